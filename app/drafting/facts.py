"""A writer's facts (free notes, a case write-up, key–value lines) as numbered
sentences, the unit every drafted column is built from and cites."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.drafting import Fact

_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_KEY_VALUE = re.compile(r"^\s*([^:：\n]{1,12})[:：]\s*(.+)$")


def split_facts(text: str) -> list[Fact]:
    """The facts' sentences in order, ids F1, F2, …; a ``键：值`` line is one
    fact (its value keeps the key as context: ``供应商：某某`` stays whole)."""
    out: list[Fact] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces = [line] if _KEY_VALUE.match(line) and len(line) <= 60 else _END.split(line)
        for piece in pieces:
            piece = piece.strip()
            if piece.strip("。；;，, "):
                out.append(Fact(id=f"F{len(out) + 1}", text=piece))
    return out


def facts_in(text: str, facts: Sequence[Fact]) -> tuple[str, ...]:
    """The ids of the facts whose sentence (without its closing mark) occurs in ``text``."""
    return tuple(f.id for f in facts if f.text.rstrip("。；;") in text)
