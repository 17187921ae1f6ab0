"""Generators of the date-window kinds (mirrors ``checkers/kinds/dates.py``):
the first date outside the window, the boundary day (inside unless ``strict``)
and a removed date."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Gen, Label, Mut, missing, set_
from eval.checkers.generators.registry import generator
from eval.checkers.mutate import days, iso, to_date


@generator("date_after")
def g_date_after(g: Gen, r: Rule) -> list[Mut]:
    """A day before the reference; the reference day itself (passes when
    inclusive, fails when ``strict``); a day after it; no date."""
    p = r.check
    assert isinstance(p, s.DateAfter)
    ref = p.after or to_date(g.v(p.after_field or ""))
    muts = [
        Mut("a-day-early", "violation", set_(p.field, iso(days(ref, -1))), f"{p.field} 早于 {iso(ref)} 一天"),
        Mut("a-day-after", "pass", set_(p.field, iso(days(ref, 1))), f"{p.field} 晚于 {iso(ref)} 一天"),
    ]
    if p.strict:
        muts.append(
            Mut(
                "same-day",
                "violation",
                set_(p.field, iso(ref)),
                f"{p.field} 恰为 {iso(ref)}（“之后”不含当日）",
            )
        )
    else:
        muts.append(
            Mut(
                "same-day", "pass", set_(p.field, iso(ref)), f"{p.field} 恰为 {iso(ref)}（“以后/以来”含当日）"
            )
        )
    muts.append(missing(p.field))
    return muts


@generator("date_between")
def g_date_between(g: Gen, r: Rule) -> list[Mut]:
    """The first field a day before the window, the last a day after it, both
    on the window's ends (inside unless ``strict``), the first field removed."""
    p = r.check
    assert isinstance(p, s.DateBetween)
    first, last = p.fields[0], p.fields[-1]
    on_ends: Label = "violation" if p.strict else "pass"

    def both_ends(d: dict[str, object]) -> None:
        set_(first, iso(p.start))(d)
        set_(last, iso(p.end))(d)

    return [
        Mut(
            "a-day-before-start",
            "violation",
            set_(first, iso(days(p.start, -1))),
            f"{first} 早于 {iso(p.start)} 一天",
        ),
        Mut(
            "a-day-after-end", "violation", set_(last, iso(days(p.end, 1))), f"{last} 晚于 {iso(p.end)} 一天"
        ),
        Mut(
            "on-the-ends",
            on_ends,
            both_ends,
            f"{first} 恰为 {iso(p.start)}、{last} 恰为 {iso(p.end)}（{'不含' if p.strict else '含'}首尾两日）",
        ),
        missing(first),
    ]
