"""Generators of the money kinds (mirrors ``checkers/kinds/money.py``)."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Edit, Gen, Mut, del_, missing, set_
from eval.checkers.generators.registry import generator
from eval.checkers.mutate import JSON, get, put


@generator("min_sum")
def g_min_sum(g: Gen, r: Rule) -> list[Mut]:
    """The largest counted item (and the total with it) one below and exactly at the minimum."""
    p = r.check
    assert isinstance(p, s.MinSum)
    vals = {x: float(g.v(x)) for x in p.items}
    delta = sum(vals.values()) - (p.min - 1)
    big = max(vals, key=lambda x: vals[x])
    totals = [t for t in ("project.investment.total",) if g.v(t) is not None]

    def shrink(by: float) -> Edit:
        def edit(d: JSON) -> None:
            put(d, big, vals[big] - by)
            for t in totals:  # keep the total equal to the sum of its items
                put(d, t, float(get(d, t)) - by)

        return edit

    # the total shrinks with the item, so a total-equals-sum rule keeps its status
    keep = tuple(x.id for x in g.spec.rules if isinstance(x.check, s.SumEquals) and totals)
    return [
        Mut(
            "one-below-min",
            "violation",
            shrink(delta),
            f"计入的投入合计 {p.min - 1:g} 万元，低于 {p.min:g}",
            keep=keep,
        ),
        Mut("exactly-min", "pass", shrink(delta - 1), f"计入的投入合计恰为 {p.min:g} 万元", keep=keep),
    ]


@generator("sum_equals")
def g_sum_equals(g: Gen, r: Rule) -> list[Mut]:
    """The total off by 100 and off by less than the tolerance."""
    p = r.check
    assert isinstance(p, s.SumEquals)
    total = float(g.v(p.total))
    filled = [x for x in p.items if g.v(x) is not None]
    return [
        Mut("total-off-by-100", "violation", set_(p.total, total + 100), "总投资比各分项之和多 100 万元"),
        Mut(
            "items-exceed-total",
            "violation",
            set_(p.total, total - 100),
            "各分项之和比总投资多 100 万元：分项不可能超过总额",
        ),
        Mut("within-tolerance", "pass", set_(p.total, total + p.tolerance / 2), "差额在容差内"),
        Mut(
            "item-blank-short",
            "missing",
            del_(filled[0]),
            f"「{filled[0]}」未填，已填分项之和低于总投资：未填金额可补足差额，无法判断",
        ),
        missing(p.total),
    ]
