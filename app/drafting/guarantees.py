"""The guarantees every drafted row is checked against, in code: each column
within its 字数 limit (Word's count, as the checker counts), every number in
the output found in the facts, no company, product or supplier name the facts
do not hold."""

from __future__ import annotations

import re

from core.drafting import Fit
from core.numbers import find_numbers, parse_number, to_halfwidth
from core.text import count_zishu, truncate_to_zishu

_SENTENCE_END = re.compile(r"[。！？!?；;]")
# a name a drafter could invent: an organisation (…公司/集团/研究院/大学/厂) or a Latin brand word
_ORG = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}?(?:股份有限公司|有限责任公司|有限公司|公司|集团|研究院|研究所|大学|工厂|厂)"
)
_LATIN = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9\-]{2,}(?![A-Za-z])")


def number_values(text: str) -> dict[str, float | None]:
    """The numbers written in ``text``, each with its value (None when it cannot be read)."""
    out: dict[str, float | None] = {}
    for raw in find_numbers(text):
        try:
            out[raw] = parse_number(raw.replace("，", ",").rstrip("%％"))
        except ValueError:
            out[raw] = None
    return out


def numbers_not_in(output: str, facts: str) -> tuple[list[str], list[str]]:
    """(numbers in the output, those whose value the facts do not hold)."""
    have = number_values(facts)
    values = {v for v in have.values() if v is not None}
    written = number_values(output)
    missing = [raw for raw, v in written.items() if raw not in have and (v is None or v not in values)]
    return list(written), missing


def names_not_in(output: str, facts: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Organisation and brand names in the output that the facts do not contain
    (``allowed``: generic words such as MES that name no one)."""
    f = to_halfwidth(facts)
    names = [m.group() for m in _ORG.finditer(output)] + [m.group() for m in _LATIN.finditer(output)]
    return list(dict.fromkeys(n for n in names if to_halfwidth(n) not in f and n not in allowed))


def fit_to_limit(text: str, limit: int | None) -> tuple[str, Fit]:
    """``text`` within ``limit`` 字: as written when it fits, else cut after the
    last whole sentence that fits (a cut inside the first sentence when none does)."""
    if not text:
        return "", "empty"
    if limit is None or count_zishu(text) <= limit:
        return text, "as-written"
    head = truncate_to_zishu(text, limit)
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    return (head[: ends[-1]] if ends else head), "cut"
