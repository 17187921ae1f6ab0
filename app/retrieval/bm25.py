"""BM25 over jieba tokens.

The tokenizer is a private ``jieba.Tokenizer`` (not jieba's global one) whose
dictionary is extended with the catalogue terms (环节, scenario and indicator
names ...) so that policy vocabulary such as 设备故障诊断与预测 is segmented
the way the policies use it; search-mode segmentation also emits the shorter
words inside such terms, so a query using a part still matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rank_bm25 import BM25Okapi  # type: ignore[import-untyped]

from app.jieba_quiet import jieba_module
from corpus.loader import Corpus

jieba = jieba_module()

_KEEP = re.compile(r"[0-9a-z\u4e00-\u9fff]", re.I)
_STOPWORDS_TEXT = (
    "的 了 和 与 及 或 等 在 是 对 为 以 从 由 将 把 被 其 之 并 而 且 也 都 就 于 中 上 下 我 我们 你 你们 "
    "他 它 这 那 这个 那个 哪些 什么 怎么 怎样 如何 吗 呢 吧 啊 能 能不能 可以 要 需要 多少 几 个 有 有没有 没有 一下 请问 一个 一些 相关"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def catalogue_terms(corpus: Corpus) -> list[str]:
    """Names of every catalogue list item (spaces removed), longest first."""
    names = {re.sub(r"\s+", "", item.name) for lst in corpus.lists.values() for item in lst.items}
    return sorted((n for n in names if len(n) >= 2), key=lambda n: (-len(n), n))


class ChineseTokenizer:
    """jieba search-mode tokens, lower-cased, without punctuation and stopwords."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for term in terms:
            self._jieba.add_word(term, freq=None)

    def __call__(self, text: str) -> list[str]:
        """Tokens of ``text``."""
        out: list[str] = []
        for tok in self._jieba.cut_for_search(text.lower()):
            tok = tok.strip()
            if tok and _KEEP.search(tok) and tok not in STOPWORDS:
                out.append(tok)
        return out


@dataclass(frozen=True)
class Scored:
    """A document id with its score."""

    id: str
    score: float


class BM25Index:
    """Okapi BM25 over a fixed set of texts."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str], tokenizer: ChineseTokenizer) -> None:
        self.ids = list(ids)
        self.tokenizer = tokenizer
        tokens = [tokenizer(t) for t in texts]
        self._bm25 = BM25Okapi(tokens) if tokens else None

    def search(self, query: str, n: int, allow: Callable[[int], bool] | None = None) -> list[Scored]:
        """The ``n`` best-scoring texts with a positive score; ``allow(i)``
        filters by position in ``ids``."""
        if self._bm25 is None:
            return []
        q = self.tokenizer(query)
        if not q:
            return []
        scores = self._bm25.get_scores(q)
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], i))
        out: list[Scored] = []
        for i in order:
            if scores[i] <= 0:
                break
            if allow is None or allow(i):
                out.append(Scored(self.ids[i], float(scores[i])))
                if len(out) >= n:
                    break
        return out
