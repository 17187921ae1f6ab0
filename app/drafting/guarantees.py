"""The guarantees every drafted row is checked against, in code: each column
within its 字数 limit (Word's count, as the checker counts), every number in
the output found in the facts, no company, product or supplier name the facts
do not hold."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from core.drafting import Fact, Fit
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


_MAGNITUDE = {"万": 1e4, "亿": 1e8}
_PERCENT_WORD = re.compile(r"^(?:百分之|.*成$)")


def _kinds(raw: str, value: float | None, text: str) -> list[tuple[str, float | None, float | None]]:
    """Each occurrence of the number ``raw`` in (half-width) ``text`` as (kind,
    value as written, value with its 万/亿 applied): kind ``percent`` (% after it,
    or 百分之…/…成), ``money`` (元 after it, through 万/亿) or ``plain``."""
    out: list[tuple[str, float | None, float | None]] = []
    for m in re.finditer(rf"(?<![\d.,，]){re.escape(raw)}(?![\d])", text):
        after = text[m.end() : m.end() + 3].lstrip()
        scale = _MAGNITUDE.get(after[:1], 1.0)
        unit = after[1:2] if scale != 1.0 else after[:1]
        if after[:1] in "%％" or _PERCENT_WORD.match(raw):
            kind = "percent"
        elif unit == "元":
            kind = "money"
        else:
            kind = "plain"
        out.append((kind, value, value * scale if value is not None else None))
    return out or [("plain", value, value)]


def numbers_not_in(output: str, facts: str) -> tuple[list[str], list[str]]:
    """(numbers in the output, those the facts do not hold). A number is held
    when the facts write the same value in the same kind after unit
    normalisation: a percentage only by a percentage, an amount of money by
    the same amount in any unit (2000万元 = 0.2亿元 = 20,000,000元), a plain
    number by any number of that value (两千 = 2,000 = 2000)."""
    f, o = to_halfwidth(facts), to_halfwidth(output)
    have: set[tuple[str, float]] = set()
    for raw, v in number_values(f).items():
        for kind, value, scaled in _kinds(raw, v, f):
            have |= {("any", v) for v in (value, scaled) if v is not None}
            if scaled is not None:
                have.add((kind, scaled))
    written = number_values(o)
    missing: list[str] = []
    for raw, v in written.items():
        for kind, value, scaled in _kinds(raw, v, o):
            if scaled is None:
                ok = raw in number_values(f)
            elif kind == "plain":
                ok = ("any", scaled) in have or ("any", value) in have
            else:
                ok = (kind, scaled) in have
            if not ok:
                missing.append(raw)
                break
    return list(written), missing


def names_not_in(output: str, facts: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Organisation and brand names in the output that the facts do not contain
    (``allowed``: generic words such as MES that name no one)."""
    f = to_halfwidth(facts)
    names = [m.group() for m in _ORG.finditer(output)] + [m.group() for m in _LATIN.finditer(output)]
    return list(dict.fromkeys(n for n in names if n not in allowed and _core(to_halfwidth(n)) not in f))


# words a match of _ORG may start with that are not part of the name (由…公司提供, 采用…公司的)
_LEAD = re.compile(
    r"^.*(?:[由向从与和及在为是经将把的了，、,(（:：]|采用|选用|委托|联合|携手|依托|引入|引进|联手)"
)


def _core(name: str) -> str:
    """The name without the words before it that the organisation pattern took
    in (系统由苏州某科技有限公司 → 苏州某科技有限公司); a Latin word is itself."""
    core = _LEAD.sub("", name)
    return core if len(core) >= 3 else name


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


_WORDISH = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in to_halfwidth(text) if _WORDISH.match(c)]
    return {a + b for a, b in itertools.pairwise(chars)}


def grounded_facts(text: str, facts: Sequence[Fact], cited: Iterable[str] = ()) -> tuple[str, ...]:
    """The ids of the facts ``text`` is written from: a fact whose character
    bigrams the text shares (a third of them, at least 3; a fact the drafter
    cited needs a fifth, at least 2). A paraphrase keeps enough of its source's
    words to be traced; a sentence made up from nothing is traced to no fact."""
    have = _bigrams(text)
    said = set(cited)
    out: list[str] = []
    for f in facts:
        grams = _bigrams(f.text)
        if not grams:
            continue
        shared = len(grams & have)
        share, least = (0.2, 2) if f.id in said else (1 / 3, 3)
        if shared >= max(min(least, len(grams)), share * len(grams)):
            out.append(f.id)
    return tuple(out)
