"""Rule kinds over date windows: on or after a date, within a fixed window.

Conventions (docs/analyst-walkthrough.md): "以后/以来" include the date the
text names, so ``date_after`` is inclusive unless ``strict``; a window
written as years ("2019-2021年") includes both years whole. Where a text is
ambiguous (之后), the spec states one reading in ``check`` and the other in
``readings``; the engine then warns only where the readings disagree.
"""

from __future__ import annotations

import datetime as dt

from checkers.registry import Context, evidence, is_blank, measure, rule_kind
from core import spec as s
from core.findings import Outcome


def _date(ctx: Context, path: str) -> dt.date | None:
    v = ctx.value(path)
    return v if isinstance(v, dt.date) else None


def _missing(ctx: Context, *paths: str) -> Outcome:
    names = "」「".join(ctx.label(p) for p in paths)
    return Outcome("unknown", f"申报书中未找到「{names}」，无法判断，请补充。", ctx.missing(*paths))


@rule_kind("date_after")
def date_after(p: s.DateAfter, ctx: Context) -> Outcome:
    """A date is on or after (``strict``: after) a fixed date or another date field."""
    d = _date(ctx, p.field)
    if d is None:
        return _missing(ctx, p.field)
    ref = p.after if p.after is not None else _date(ctx, p.after_field or "")
    if ref is None:
        return _missing(ctx, p.after_field or "")
    ref_label = (
        ref.isoformat() if p.after is not None else f"{ctx.label(p.after_field or '')}（{ref.isoformat()}）"
    )
    ev = evidence(
        ctx.measure(p.field, d.isoformat()),
        measure("after", ctx.label(p.after_field) if p.after_field else "起始日期", ref.isoformat()),
        measure("strict", "是否含当日", "不含当日" if p.strict else "含当日"),
    )
    loc = ctx.location(p.field)
    label = ctx.label(p.field)
    if d > ref or (d == ref and not p.strict):
        word = "晚于" if d > ref else "恰为"
        return Outcome("pass", f"{label} {d.isoformat()} {word}{ref_label}，符合要求。", ev, loc)
    if d == ref:
        return Outcome(
            "fail", f"{label} {d.isoformat()} 恰为{ref_label}，政策要求在此日期之后（不含当日）。", ev, loc
        )
    need = "之后（不含当日）" if p.strict else "或之后"
    return Outcome("fail", f"{label} {d.isoformat()} 早于{ref_label}，政策要求在此日期{need}。", ev, loc)


@rule_kind("date_between")
def date_between(p: s.DateBetween, ctx: Context) -> Outcome:
    """Every listed date lies within the fixed window (ends included unless ``strict``).

    A date outside fails whatever the other fields hold; otherwise a blank
    field is unknown."""
    window = f"{p.start.isoformat()} 至 {p.end.isoformat()}（{'不含' if p.strict else '含'}首尾两日）"
    dates = {f: _date(ctx, f) for f in p.fields}
    ev = evidence(
        *(ctx.measure(f, d.isoformat()) for f, d in dates.items() if d is not None),
        measure("start", "起始日期", p.start.isoformat()),
        measure("end", "截止日期", p.end.isoformat()),
    )

    def inside(d: dt.date) -> bool:
        return p.start < d < p.end if p.strict else p.start <= d <= p.end

    outside = [f for f, d in dates.items() if d is not None and not inside(d)]
    if outside:
        shown = "、".join(f"{ctx.label(f)} {dates[f].isoformat()}" for f in outside)  # type: ignore[union-attr]
        return Outcome("fail", f"{shown} 不在 {window}内。", ev, ctx.location(outside[0]))
    blank = [f for f, d in dates.items() if d is None or is_blank(d)]
    if blank:
        out = _missing(ctx, *blank)
        return Outcome("unknown", out.message, type(ev)(values=ev.values, missing=out.evidence.missing))
    shown = "、".join(f"{ctx.label(f)} {d.isoformat()}" for f, d in dates.items() if d is not None)
    both = "均" if len(p.fields) > 1 else ""
    return Outcome("pass", f"{shown} {both}在 {window}内。", ev, ctx.location(p.fields[0]))
