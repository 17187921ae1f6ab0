"""Where a review's quotes sit in a passage: the passage cut into plain and
quoted pieces, for showing the quotes highlighted in place."""

from __future__ import annotations


def highlight(text: str, quotes: tuple[str, ...] | list[str]) -> list[tuple[str, bool]]:
    """``text`` as (piece, quoted) pairs, in order; every occurrence of every
    quote is marked, overlapping quotes merge. Joined, the pieces are ``text``."""
    marked = [False] * len(text)
    for quote in quotes:
        q = quote.strip()
        if not q:
            continue
        start = text.find(q)
        while start != -1:
            for i in range(start, start + len(q)):
                marked[i] = True
            start = text.find(q, start + 1)
    pieces: list[tuple[str, bool]] = []
    for ch, m in zip(text, marked, strict=True):
        if pieces and pieces[-1][1] == m:
            pieces[-1] = (pieces[-1][0] + ch, m)
        else:
            pieces.append((ch, m))
    return pieces
