"""The key terms of a scenario definition, defined reproducibly: the words of
the definition (the 2024 指引's text, ``corpus/scenarios/typical-scenarios-2024.yaml``)
as segmented by jieba's precise mode with its bundled dictionary plus the two
words of :data:`ADDED` (without them jieba cuts 多目标排产寻优 into 排产寻/优等),
keeping those of at least two characters that hold a Chinese character or a
letter, minus the retrieval stopwords (:data:`app.retrieval.bm25.STOPWORDS`),
the words of the definitions' template (:data:`TEMPLATE`) and the mis-cuts that
glue an enumeration's 等 to the word before it (高等, 低等 in 成本高等问题), each
term once, in order.

A term is *used* by a row when it occurs verbatim in the row's text (all columns
joined); it is *in the facts* when it occurs verbatim in the facts, the ceiling
for a drafter that only copies the facts' sentences.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from app.jieba_quiet import jieba_module
from app.retrieval.bm25 import STOPWORDS

jieba = jieba_module()

TEMPLATE = frozenset(
    {"面向", "针对", "业务", "活动", "业务活动", "问题", "应用", "技术", "实现", "基于", "通过"}
)
"""Words every definition is built from (“面向……等业务活动，针对……等问题，应用……等技术，实现……”):
they say nothing about the scenario."""

ADDED = ("寻优", "调优")
"""Words added to jieba's dictionary: the definitions' 寻优 (多目标排产寻优) and 调优 (参数动态调优难)."""

_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@functools.cache
def _tokenizer() -> Any:
    tok = jieba.Tokenizer()  # private: jieba's global dictionary is left alone
    tok.initialize()
    for word in ADDED:
        tok.add_word(word)
    return tok


def key_terms(definition: str) -> list[str]:
    """The key terms of a scenario definition, in order of first occurrence."""
    out: list[str] = []
    for word in _tokenizer().lcut(definition):
        w = word.strip()
        if len(w) < 2 or not _KEEP.search(w) or w.endswith("等"):
            continue
        if w not in STOPWORDS and w not in TEMPLATE and w not in out:
            out.append(w)
    return out


def used(terms: list[str], text: str) -> list[str]:
    """The terms that occur verbatim in ``text``."""
    return [t for t in terms if t in text]
