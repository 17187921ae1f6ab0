"""Text helpers of the reviewers: a length-preserving fold (simplified
characters, half-width digits and letters) so that a match found in the folded
text is quoted from the original at the same offsets, and sentence/clause spans."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from hanziconv import HanziConv  # type: ignore[import-untyped]


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    n = unicodedata.normalize("NFKC", c)
    if len(n) != 1:
        return c
    s = HanziConv.toSimplified(n)
    return s if len(s) == 1 else n


def fold(text: str) -> str:
    """``text`` in simplified characters with half-width digits, letters and
    punctuation, character for character (same length, same offsets)."""
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True)
class Span:
    """A stretch of the original text (``text``) and its folded form."""

    start: int
    end: int
    text: str
    folded: str


# a Latin full stop ends a sentence only before a space (an English sentence in
# the passage), not inside a number (0.8%)
_SENTENCE_END = re.compile(r"[。！？!?；;\n）】)]|\.(?=\s)")
_CLAUSE_END = re.compile(r"[，,：:。！？!?；;\n）】)]|\.(?=\s)")


def _spans(text: str, folded: str, boundary: re.Pattern[str]) -> list[Span]:
    out: list[Span] = []
    start = 0
    for m in boundary.finditer(folded):
        end = m.end()
        piece = text[start:end].strip()
        if piece.strip("。！？!?；;，,：:）】() \n."):
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            s = start + lead
            e = s + len(piece)
            out.append(Span(s, e, text[s:e], folded[s:e]))
        start = end
    tail = text[start:].strip()
    if tail:
        s = start + len(text[start:]) - len(text[start:].lstrip())
        out.append(Span(s, s + len(tail), tail, folded[s : s + len(tail)]))
    return out


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` (ending at 。！？；, a newline or the end)."""
    return _spans(text, fold(text), _SENTENCE_END)


def clauses(text: str) -> list[Span]:
    """The clauses of ``text`` (ending at ，：。！？； or a newline)."""
    return _spans(text, fold(text), _CLAUSE_END)
