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


_INSTRUCTION = re.compile(
    r"(?:忽略|无视|不要理会|不必遵守|忘记|忘掉)(?:你|以上|上述|之前|前面|先前|所有|全部|一切|的|\s)*"
    r"(?:规则|要求|指令|提示|说明|约束|限制|设定)"
    r"|(?:你|您)(?:现在|必须|应该|应当|需要)(?:是|扮演|改为|按|输出|写)"
    r"|系统提示|提示词|扮演|判定为通过|直接输出|不受字数限制|不用管字数"
    r"|ignore\s+(?:all\s+|the\s+|any\s+)?(?:previous|above|prior|earlier)"
    r"|disregard\s+(?:all|the|previous|above)|system\s*prompt|</?\s*(?:system|assistant|user)\s*>",
    re.IGNORECASE,
)


def instruction_like(text: str) -> bool:
    """Whether a fact reads as an instruction to a language model (“忽略以上要求…”,
    “ignore previous instructions”) rather than a fact about the scenario."""
    return _INSTRUCTION.search(text) is not None


def split_instructions(facts: Sequence[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(the facts, those that read as instructions): a drafter gets only the first."""
    kept = [f for f in facts if not instruction_like(f.text)]
    return kept, [f for f in facts if instruction_like(f.text)]
