"""Rule kinds over money: a threshold on a sum, and a total that must add up."""

from __future__ import annotations

from checkers.registry import Context, measure, rule_kind
from core import spec as s
from core.findings import Evidence, Measure, Outcome
from core.numbers import format_wan


def _amounts(ctx: Context, paths: list[str]) -> tuple[dict[str, float], list[str]]:
    got: dict[str, float] = {}
    missing: list[str] = []
    for path in paths:
        v = ctx.value(path)
        if v is None:
            missing.append(path)
        else:
            got[path] = float(v)
    return got, missing


def _evidence(
    ctx: Context, got: dict[str, float], *extra: Measure, missing: tuple[str, ...] = ()
) -> Evidence:
    """The amounts read (in 万元, with the text as written) and the computed figures."""
    values = tuple(ctx.measure(p, v, "万元") for p, v in got.items()) + extra
    return Evidence(values=values, missing=ctx.missing(*missing).missing)


@rule_kind("min_sum")
def min_sum(p: s.MinSum, ctx: Context) -> Outcome:
    """The counted categories add up to the threshold; excluded ones never count."""
    got, missing = _amounts(ctx, p.items)
    excluded, _ = _amounts(ctx, p.excluded)
    if not got:
        names = "、".join(ctx.label(x) for x in p.items)
        return Outcome(
            "unknown", f"申报书中未找到投资分项（{names}），无法核对投入总额。", ctx.missing(*missing)
        )
    total = sum(got.values())
    computed = [
        measure("counted_total_wan", "计入的投入合计", total, "万元"),
        measure("min_wan", "政策要求不低于", p.min, "万元"),
    ]
    computed += [measure(f"excluded:{x}", f"不计入：{ctx.label(x)}", v, "万元") for x, v in excluded.items()]
    ev = _evidence(ctx, got, *computed)
    parts = " + ".join(f"{ctx.label(x)} {format_wan(v)}" for x, v in got.items())
    if total >= p.min:
        return Outcome(
            "pass",
            f"计入的投入合计 {format_wan(total)} 万元（{parts}），不低于 {format_wan(p.min)} 万元。",
            ev,
        )
    if missing:
        names = "、".join(ctx.label(x) for x in missing)
        return Outcome(
            "unknown",
            f"已填分项合计 {format_wan(total)} 万元，低于 {format_wan(p.min)} 万元，且{names}未填写，请补充后再判断。",
            _evidence(ctx, got, *computed, missing=tuple(missing)),
        )
    msg = f"计入的投入合计 {format_wan(total)} 万元（{parts}），低于 {format_wan(p.min)} 万元。"
    if excluded and total + sum(excluded.values()) >= p.min:
        names = "、".join(ctx.label(x) for x in excluded)
        msg += f"计入{names}后虽达到 {format_wan(total + sum(excluded.values()))} 万元，但{names}不属于政策列明的投入类别，不能计入。"
    return Outcome("fail", msg, ev)


@rule_kind("sum_equals")
def sum_equals(p: s.SumEquals, ctx: Context) -> Outcome:
    """The total equals the sum of its categories (or, not ``exhaustive``, is
    not exceeded by it); blank items leave it ``unknown`` unless the filled
    ones already exceed the total."""
    total = ctx.value(p.total)
    got, missing = _amounts(ctx, p.items)
    if total is None:
        return Outcome(
            "unknown", f"申报书中未找到「{ctx.label(p.total)}」，无法核对合计。", ctx.missing(p.total)
        )
    if not got:
        return Outcome("unknown", "申报书中未找到投资分项，无法核对合计。", ctx.missing(*missing))
    t, s_ = float(total), sum(got.values())
    filled = "已填各分项之和" if missing else "各分项之和"
    ev = _evidence(
        ctx,
        got,
        ctx.measure(p.total, total, "万元"),
        measure("sum_wan", filled, s_, "万元"),
        missing=tuple(missing),
    )
    loc = ctx.location(p.total)
    head = f"{ctx.label(p.total)}填写 {format_wan(t)} 万元，但{filled}为 {format_wan(s_)} 万元"
    if s_ > t + p.tolerance:
        over = "，已超过总额" if missing else ""
        return Outcome("fail", f"{head}{over}，相差 {format_wan(s_ - t)} 万元。", ev, loc)
    if missing:
        names = "、".join(ctx.label(x) for x in missing)
        return Outcome(
            "unknown",
            f"{head}，{names}未填写，其金额决定合计是否相符，请补充（不涉及的填 0）。",
            ev,
            loc,
        )
    if abs(t - s_) <= p.tolerance:
        return Outcome("pass", f"{ctx.label(p.total)} {format_wan(t)} 万元与各分项之和一致。", ev)
    if not p.exhaustive:
        return Outcome(
            "pass", f"{ctx.label(p.total)} {format_wan(t)} 万元不低于各分项之和 {format_wan(s_)} 万元。", ev
        )
    return Outcome("fail", f"{head}，相差 {format_wan(t - s_)} 万元。", ev, loc)
