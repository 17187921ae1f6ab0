"""Rule kinds over single draft fields: presence, values, dates, places, codes."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from checkers.credit_code import validate_credit_code
from checkers.honours import best_match, parse_honour
from checkers.regions import Place, locate
from checkers.registry import Context, evidence, is_blank, measure, rule_kind
from core import spec as s
from core.dates import add_years, years_between
from core.divisions import divisions, find_cities, find_province, normalise_city, normalise_province
from core.findings import Evidence, Outcome
from core.numbers import format_wan


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return format_wan(v)
    return str(v)


def _missing(ctx: Context, path: str) -> Outcome:
    return Outcome("unknown", f"申报书中未找到「{ctx.label(path)}」，无法判断，请补充。", ctx.missing(path))


@rule_kind("required_fields")
def required_fields(p: s.RequiredFields, ctx: Context) -> Outcome:
    """Every listed field is filled in."""
    missing = [f for f in p.fields if is_blank(ctx.value(f))]
    if missing:
        names = "、".join(ctx.label(f) for f in missing)
        return Outcome("fail", f"以下内容未填写：{names}。请补全后再提交。", ctx.missing(*missing))
    return Outcome("pass", f"已填写：{'、'.join(ctx.label(f) for f in p.fields)}。")


@rule_kind("expect_value")
def expect_value(p: s.ExpectValue, ctx: Context) -> Outcome:
    """A field has the expected value (or, with ``substitutes``, the draft
    carries a title that meets the requirement instead)."""
    v = ctx.value(p.field)
    if v is not None and v == p.equals:
        ev = evidence(ctx.measure(p.field, v), measure("expected", "政策要求", p.equals))
        return Outcome("pass", f"{ctx.label(p.field)}：{_fmt(v)}，符合要求。", ev, ctx.location(p.field))
    if p.substitutes is not None:
        return _by_substitutes(p, p.substitutes, v, ctx)
    if v is None:
        return _missing(ctx, p.field)
    ev = evidence(ctx.measure(p.field, v), measure("expected", "政策要求", p.equals))
    return Outcome(
        "fail",
        f"{ctx.label(p.field)}为「{_fmt(v)}」，政策要求为「{_fmt(p.equals)}」。",
        ev,
        ctx.location(p.field),
    )


def _by_substitutes(p: s.ExpectValue, sub: s.Substitutes, v: Any, ctx: Context) -> Outcome:
    """The requirement is not met by the field itself: the titles decide."""
    titles = ctx.value(sub.field)
    names = "、".join(t.name for t in sub.any_of)
    head = (
        f"未填写「{ctx.label(p.field)}」"
        if v is None
        else f"{ctx.label(p.field)}为「{_fmt(v)}」（政策要求为「{_fmt(p.equals)}」）"
    )
    values = [ctx.measure(p.field, v)] if v is not None else []
    values += [measure("expected", "政策要求", p.equals), measure("substitutes", "可参照执行的称号", names)]
    if titles is None:
        lacking = [p.field, sub.field] if v is None else [sub.field]
        return Outcome(
            "unknown",
            f"{head}；具有{names}称号的企业可参照执行，但申报书未填写「{ctx.label(sub.field)}」，请补充。",
            Evidence(values=tuple(values), missing=ctx.missing(*lacking).missing),
        )
    listed = [str(t) for t in (titles if isinstance(titles, list) else [titles])]
    matches = [m for t in listed if (m := best_match(parse_honour(t), sub.any_of)) is not None]
    ev = evidence(*values, ctx.measure(sub.field, listed))
    certain = [m for m in matches if m.match == "certain"]
    if certain:
        m = certain[0]
        return Outcome(
            "pass",
            f"{head}，但企业具有「{m.honour.text}」称号（{m.pattern.name}），原文规定可参照执行。",
            ev,
            ctx.location(sub.field),
        )
    if matches:
        detail = "；".join(f"「{m.honour.text}」与「{m.pattern.name}」相近，但{m.reason}" for m in matches)
        return Outcome(
            "warn", f"{head}。{detail}，请核对是否属于可参照执行的称号。", ev, ctx.location(sub.field)
        )
    if v is None:
        return _missing(ctx, p.field)
    shown = "、".join(listed) or "无"
    return Outcome(
        "fail",
        f"{head}，企业称号（{shown}）中也没有可参照执行的{names}称号。",
        ev,
        ctx.location(p.field),
    )


def same_province(a: str, b: str) -> bool:
    """Whether two spellings name one province: 江苏省 = 江苏, 上海市 = 上海,
    广西壮族自治区 = 广西 (names that are no province are compared as written)."""
    pa, pb = find_province(a), find_province(b)
    if pa is None or pb is None:
        return a.strip() == b.strip()
    return pa.code == pb.code


_REGISTERED = "enterprise.registered_address"


def _wanted(p: s.RegionIn) -> tuple[str | None, list[str]]:
    """The rule's province and cities by their full names (a spec may write
    浙江 or 浙江省, 南通 or 南通市); the province of the cities when the rule
    names only cities that all lie in one."""
    province = normalise_province(p.province) if p.province else None
    wanted = [normalise_city(c, province) for c in p.cities or []]
    if province is None and wanted:
        homes = {find_cities(c)[0].province_code for c in wanted}
        if len(homes) == 1:
            province = divisions()[homes.pop()].name
    return province, wanted


def _decide(place: Place, province: str | None, wanted: list[str]) -> str:
    """pass / fail / unknown for a place (not ambiguous)."""
    if province and place.province is not None and place.province != province:
        return "fail"
    if wanted:
        if place.city is None:
            return "unknown"
        return "pass" if place.city in wanted else "fail"
    return "unknown" if place.province is None else "pass"


@rule_kind("region_in")
def region_in(p: s.RegionIn, ctx: Context) -> Outcome:
    """The address in ``field`` lies in the province and, if given, one of the cities.

    The address is placed with the national division data (every province,
    city and county-level unit; Jiangsu's development zones as a supplement);
    the rule may name its province and cities by full or short name. It fails
    only when the address is clearly elsewhere; when the city cannot be
    determined, or a county-level name lies in several cities that the rule
    would judge differently, it is ``unknown``, never a guess.
    """
    addr = ctx.value(p.field)
    if is_blank(addr):
        return _missing(ctx, p.field)
    province, wanted = _wanted(p)
    place = locate(str(addr))
    label = ctx.label(p.field)
    ev = evidence(
        ctx.measure(p.field, addr),
        measure("province", "所在省份", place.province),
        measure("city", "所在城市", place.city),
        measure("county", "所在县（市、区）", place.county),
        *([measure("candidates", "可能的所在地", list(place.candidates))] if place.ambiguous else []),
    )
    loc = ctx.location(p.field)
    want = "、".join(wanted) if wanted else province or ""
    required = f"政策要求在{want}注册" if p.field == _REGISTERED else f"政策要求{label}在{want}"
    if province and place.province is not None and place.province != province:
        return Outcome("fail", f"{label}「{addr}」不在{province}，{required}。", ev, loc)
    if place.ambiguous:
        # each candidate written out in full places itself: the rule decides only where they agree
        outcomes = {_decide(locate(c), province, wanted) for c in place.candidates}
        where = "、".join(c.removesuffix(place.name or "") for c in place.candidates)
        if outcomes == {"fail"}:
            return Outcome(
                "fail",
                f"{label}「{addr}」中的「{place.name}」在{where}都有，都不在{want}，{required}。",
                ev,
                loc,
            )
        if outcomes == {"pass"}:
            return Outcome(
                "pass", f"{label}「{addr}」中的「{place.name}」在{where}都有，都在{want}，符合要求。", ev, loc
            )
        return Outcome(
            "unknown",
            f"{label}「{addr}」中的「{place.name}」在{where}都有，无法确定是哪一个，请写明省、市。",
            ev,
            loc,
        )
    status = _decide(place, province, wanted)
    if status == "fail":
        return Outcome("fail", f"{label}位于{place.city}，{required}。", ev, loc)
    if status == "unknown" and wanted:
        return Outcome("unknown", f"无法从{label}「{addr}」判断所在城市，请写明市、县（区）。", ev, loc)
    if status == "unknown":
        return Outcome("unknown", f"无法从{label}「{addr}」判断所在省份，请写明省、市。", ev, loc)
    if wanted:
        return Outcome("pass", f"{label}位于{place.city}{place.county or ''}，符合要求。", ev, loc)
    city = place.city if place.city != place.province else ""
    return Outcome("pass", f"{label}位于{place.province}{city or ''}，符合要求。", ev, loc)


def years_before(d: dt.date, years: float) -> dt.date:
    """``d`` moved back ``years`` years; a fractional part counts in whole
    months (1.5 years → 18 months), the day clipped to the month's end."""
    whole = int(years)
    months = round((years - whole) * 12)
    out = add_years(d, -whole)
    if months:
        index = out.year * 12 + out.month - 1 - months
        year, month = divmod(index, 12)
        out = dt.date(year, month + 1, min(out.day, calendar.monthrange(year, month + 1)[1]))
    return out


def _date(ctx: Context, path: str) -> dt.date | None:
    v = ctx.value(path)
    return v if isinstance(v, dt.date) else None


@rule_kind("min_duration")
def min_duration(p: s.MinDuration, ctx: Context) -> Outcome:
    """At least ``min_years`` from a date field to the reference date."""
    start = _date(ctx, p.field)
    if start is None:
        return _missing(ctx, p.field)
    ref = p.as_of if p.as_of is not None else _date(ctx, p.as_of_field or "")
    if ref is None:
        return _missing(ctx, p.as_of_field or "")
    years = years_between(start, ref)
    ev = evidence(
        ctx.measure(p.field, start.isoformat()),
        measure("as_of", ctx.label(p.as_of_field) if p.as_of_field else "计算截止日", ref.isoformat()),
        measure("years", "已满年限", round(years, 2), "年"),
    )
    loc = ctx.location(p.field)
    need = _fmt(p.min_years)
    if years >= p.min_years:
        return Outcome(
            "pass",
            f"截至 {ref.isoformat()} 已满 {need} 年（{ctx.label(p.field)} {start.isoformat()}）。",
            ev,
            loc,
        )
    # the latest date that would have met the bound (whole years only: a fractional bound is
    # measured in days by years_between, which whole months would not match exactly)
    latest = years_before(ref, p.min_years) if float(p.min_years).is_integer() else None
    tail = f"（须为 {latest.isoformat()} 或更早）" if latest else ""
    return Outcome(
        "fail",
        f"{ctx.label(p.field)}为 {start.isoformat()}，截至 {ref.isoformat()} 不满 {need} 年{tail}。",
        ev,
        loc,
    )


@rule_kind("date_before")
def date_before(p: s.DateBefore, ctx: Context) -> Outcome:
    """A date is on or before a fixed date or another date field."""
    d = _date(ctx, p.field)
    if d is None:
        return _missing(ctx, p.field)
    ref = p.before if p.before is not None else _date(ctx, p.before_field or "")
    if ref is None:
        return _missing(ctx, p.before_field or "")
    ref_label = (
        ref.isoformat() if p.before is not None else f"{ctx.label(p.before_field or '')}（{ref.isoformat()}）"
    )
    ev = evidence(
        ctx.measure(p.field, d.isoformat()),
        measure("before", ctx.label(p.before_field) if p.before_field else "截止日期", ref.isoformat()),
    )
    if d <= ref:
        return Outcome(
            "pass", f"{ctx.label(p.field)} {d.isoformat()} 不晚于{ref_label}。", ev, ctx.location(p.field)
        )
    if p.same_month_ok and (d.year, d.month) == (ref.year, ref.month):
        return Outcome(
            "pass",
            f"{ctx.label(p.field)} {d.isoformat()} 与{ref_label}在同一月内，按月计不晚于。",
            ev,
            ctx.location(p.field),
        )
    return Outcome(
        "fail", f"{ctx.label(p.field)} {d.isoformat()} 晚于{ref_label}。", ev, ctx.location(p.field)
    )


@rule_kind("date_within_years")
def date_within_years(p: s.DateWithinYears, ctx: Context) -> Outcome:
    """A date lies within ``years`` years before a reference date field."""
    d = _date(ctx, p.field)
    if d is None:
        return _missing(ctx, p.field)
    ref = p.of if p.of is not None else _date(ctx, p.of_field or "")
    if ref is None:
        return _missing(ctx, p.of_field or "")
    earliest = years_before(ref, p.years)
    ev = evidence(
        ctx.measure(p.field, d.isoformat()),
        measure("reference", ctx.label(p.of_field) if p.of_field else "起算日", ref.isoformat()),
        measure("earliest", "最早可为", earliest.isoformat()),
    )
    if earliest <= d <= ref:
        return Outcome("pass", f"{ctx.label(p.field)} {d.isoformat()} 在近 {_fmt(p.years)} 年内。", ev)
    return Outcome(
        "fail",
        f"{ctx.label(p.field)} {d.isoformat()} 不在 {earliest.isoformat()} 至 {ref.isoformat()} 的近"
        f" {_fmt(p.years)} 年内。",
        ev,
        ctx.location(p.field),
    )


def _bound_check(v: float, lo: float | None, hi: float | None, exclusive: bool) -> bool:
    if lo is not None and (v <= lo if exclusive else v < lo):
        return False
    return not (hi is not None and v > hi)


@rule_kind("value_range")
def value_range(p: s.ValueRange, ctx: Context) -> Outcome:
    """A number is within its bound(s)."""
    v = ctx.value(p.field)
    if v is None:
        return _missing(ctx, p.field)
    unit = p.unit or ""
    ev = evidence(
        ctx.measure(p.field, v, p.unit),
        *([measure("min", "下限", p.min, p.unit)] if p.min is not None else []),
        *([measure("max", "上限", p.max, p.unit)] if p.max is not None else []),
    )
    bound = []
    if p.min is not None:
        bound.append(f"{'高于' if p.exclusive else '不低于'} {_fmt(p.min)}{unit}")
    if p.max is not None:
        bound.append(f"不高于 {_fmt(p.max)}{unit}")
    want = "且".join(bound)
    if _bound_check(float(v), p.min, p.max, p.exclusive):
        return Outcome(
            "pass", f"{ctx.label(p.field)}为 {_fmt(v)}{unit}，满足{want}。", ev, ctx.location(p.field)
        )
    return Outcome("fail", f"{ctx.label(p.field)}为 {_fmt(v)}{unit}，要求{want}。", ev, ctx.location(p.field))


@rule_kind("min_value_by_level")
def min_value_by_level(p: s.MinValueByLevel, ctx: Context) -> Outcome:
    """A number meets the bound of the draft's target level."""
    level = ctx.draft.target_level
    if level is None:
        return Outcome(
            "unknown",
            "未选择申报等级（基础级/先进级/卓越级/领航级），无法判断。",
            ctx.missing("target_level"),
        )
    if level not in p.min_by_level:
        return Outcome("n/a", f"申报等级「{level}」无此项要求。")
    v = ctx.value(p.field)
    if v is None:
        return _missing(ctx, p.field)
    need = p.min_by_level[level]
    ev = evidence(
        ctx.measure(p.field, v),
        measure("target_level", "申报等级", level),
        measure("min", f"{level}要求", need),
    )
    if float(v) >= need:
        return Outcome("pass", f"{ctx.label(p.field)}为 {_fmt(v)}，满足{level}“{_fmt(need)} 及以上”。", ev)
    return Outcome(
        "fail",
        f"{ctx.label(p.field)}为 {_fmt(v)}，{level}要求 {_fmt(need)} 及以上。",
        ev,
        ctx.location(p.field),
    )


def _squash(text: str) -> str:
    """Text without spaces, upper-case, for comparisons (draft values arrive
    NFKC-folded and without invisible characters: :mod:`core.draft`)."""
    return "".join(text.split()).upper()


def _grade_key(text: str) -> str:
    """:func:`_squash` without a trailing 级/等级: "c级" and "C" are one grade."""
    t = _squash(text)
    for suffix in ("等级", "级"):
        if len(t) > len(suffix) and t.endswith(suffix):
            return t[: -len(suffix)]
    return t


@rule_kind("forbidden_values")
def forbidden_values(p: s.ForbiddenValues, ctx: Context) -> Outcome:
    """No value of the field matches a forbidden one."""
    v = ctx.value(p.field)
    if v is None:
        return _missing(ctx, p.field)
    values = [str(x) for x in (v if isinstance(v, list) else [v])]
    key = _squash if p.match == "contains" else _grade_key
    keyed = [(x, key(x)) for x in values]
    bad_keys = [key(bad) for bad in p.values]
    hits = [x for x, k in keyed for b in bad_keys if (b in k if p.match == "contains" else k == b)]
    ev = evidence(ctx.measure(p.field, values), measure("forbidden", "不得申报的情形", p.values))
    if hits:
        return Outcome(
            "fail",
            f"{ctx.label(p.field)}含「{'、'.join(dict.fromkeys(hits))}」，按政策不得申报。",
            ev,
            ctx.location(p.field),
        )
    known = {*bad_keys, *(key(x) for x in p.recognised or [])}
    odd = [x for x, k in keyed if p.recognised is not None and k not in known]
    if odd:
        return Outcome(
            "unknown",
            f"{ctx.label(p.field)}「{'、'.join(odd)}」不是可识别的值（{'、'.join(p.recognised or [])}），"
            "无法判断是否属于排除范围，请核对后按可识别的写法填写。",
            ev,
            ctx.location(p.field),
        )
    shown = "、".join(values) if values else "无"
    return Outcome("pass", f"{ctx.label(p.field)}：{shown}，不在排除范围内。", ev, ctx.location(p.field))


@rule_kind("honours_excluded")
def honours_excluded(p: s.HonoursExcluded, ctx: Context) -> Outcome:
    """No listed honour is one the policy excludes (matched by level, name and year)."""
    v = ctx.value(p.field)
    if v is None:
        return _missing(ctx, p.field)
    listed = [str(x) for x in (v if isinstance(v, list) else [v]) if str(x).strip()]
    matches = [m for text in listed if (m := best_match(parse_honour(text), p.excluded)) is not None]
    window: tuple[dt.date, dt.date] | None = None
    if p.within_years is not None and any(m.match == "certain" for m in matches):
        as_of = _date(ctx, p.as_of_field or "")
        if as_of is None:  # only a certain match needs the date that opens the window
            return _missing(ctx, p.as_of_field or "")
        window = (years_before(as_of, p.within_years), as_of)
    certain: list[str] = []
    close: list[str] = []
    for m in matches:
        text = m.honour.text
        reason = m.reason
        if window is not None and m.match == "certain":
            year = m.honour.year
            if year is not None and year < window[0].year:
                continue  # won before the window opened
            if year is None:
                reason = "未写明获评年份，无法判断是否在近 " + _fmt(p.within_years) + " 年内"
            elif year == window[0].year:
                reason = f"获评于 {year} 年，无法判断是否在 {window[0].isoformat()} 之后"
        if m.match == "certain" and reason is None:
            certain.append(f"「{text}」（{m.pattern.name}）")
        else:
            close.append(f"「{text}」与「{m.pattern.name}」相近，但{reason}")
    ev = evidence(
        ctx.measure(p.field, listed),
        measure("excluded", "不得申报的情形", [x.name for x in p.excluded]),
        *([measure("window_start", "近期起算日", window[0].isoformat())] if window else []),
    )
    loc = ctx.location(p.field)
    if certain:
        return Outcome("fail", f"{ctx.label(p.field)}含{'、'.join(certain)}，按政策不得申报。", ev, loc)
    if close:
        return Outcome("warn", f"{'；'.join(close)}。请核对该荣誉是否属于不得申报的情形。", ev, loc)
    shown = "、".join(listed) if listed else "无"
    return Outcome("pass", f"{ctx.label(p.field)}：{shown}，不在排除范围内。", ev, loc)


@rule_kind("credit_code")
def credit_code(p: s.CreditCode, ctx: Context) -> Outcome:
    """The 统一社会信用代码 is well formed (GB 32100-2015 check digit)."""
    code = ctx.value(p.field)
    if is_blank(code):
        return _missing(ctx, p.field)
    problem = validate_credit_code(str(code))
    ev = evidence(ctx.measure(p.field, code))
    if problem:
        return Outcome("fail", f"{problem}。请核对营业执照。", ev, ctx.location(p.field))
    return Outcome("pass", f"统一社会信用代码 {str(code).strip()} 校验通过。", ev, ctx.location(p.field))


def classify_size(
    classes: list[s.SizeClassDef], employees: float, revenue: float, fallback: bool = True
) -> str | None:
    """The size class for these figures: the first (largest) class whose
    bounds are met (all of them, or any one for ``combine: any``); the last
    class is the fallback, or — without ``fallback`` — None (no class fits)."""
    for c in classes:
        checks = []
        if c.employees_min is not None:
            checks.append(employees >= c.employees_min)
        if c.revenue_min is not None:
            checks.append(revenue >= c.revenue_min)
        if c.employees_max is not None:
            checks.append(employees < c.employees_max)
        if c.revenue_max is not None:
            checks.append(revenue < c.revenue_max)
        ok = any(checks) if c.combine == "any" else all(checks)
        if checks and ok:
            return c.name
    return classes[-1].name if fallback else None


def _size_name(name: str) -> str:
    """大型企业 / 大型 / 大 → 大."""
    return name.strip().removesuffix("企业").removesuffix("型")


@rule_kind("size_class")
def size_class(p: s.SizeClass, ctx: Context) -> Outcome:
    """The ticked size class matches 从业人员 and 营业收入."""
    ticked = ctx.value(p.field)
    emp, rev = ctx.value(p.employees_field), ctx.value(p.revenue_field)
    for path, v in ((p.field, ticked), (p.employees_field, emp), (p.revenue_field, rev)):
        if is_blank(v):
            return _missing(ctx, path)
    computed = classify_size(p.classes, float(emp), float(rev), p.fallback)
    ev = evidence(
        ctx.measure(p.field, ticked),
        ctx.measure(p.employees_field, emp, "人"),
        ctx.measure(p.revenue_field, rev, "万元"),
        measure("computed", "按划型标准应为", computed),
    )
    if computed is None:
        return Outcome(
            "fail",
            f"勾选了「{ticked}」，但从业人员 {_fmt(emp)} 人、营业收入 {_fmt(rev)} 万元不同时满足任何一类的条件。",
            ev,
            ctx.location(p.field),
        )
    if _size_name(str(ticked)) == _size_name(computed):
        return Outcome(
            "pass",
            f"勾选{_size_name(str(ticked))}型企业，与从业人员 {_fmt(emp)} 人、营业收入 {_fmt(rev)} 万元相符。",
            ev,
        )
    return Outcome(
        "fail",
        f"勾选了「{ticked}」，但从业人员 {_fmt(emp)} 人、营业收入 {_fmt(rev)} 万元按划型标准应为「{computed}」。",
        ev,
        ctx.location(p.field),
    )


@rule_kind("metrics_sane")
def metrics_sane(p: s.MetricsSane, ctx: Context) -> Outcome:
    """Percentages within 0–100 and parts not above their wholes."""
    problems: list[str] = []
    seen = 0
    for path in p.percent_fields:
        v = ctx.value(path)
        if v is None:
            continue
        seen += 1
        if not 0 <= float(v) <= 100:
            problems.append(f"{ctx.label(path)}为 {_fmt(v)}%，应在 0–100% 之间")
    for pair in p.pairs:
        part, whole = ctx.value(pair.part), ctx.value(pair.whole)
        if part is None or whole is None:
            continue
        seen += 1
        if float(part) > float(whole):
            problems.append(
                f"{ctx.label(pair.part)}（{_fmt(part)}）大于{ctx.label(pair.whole)}（{_fmt(whole)}）"
            )
    if problems:
        return Outcome(
            "fail", "；".join(problems) + "。请核对数据。", evidence(measure("problems", "问题", problems))
        )
    if seen == 0:
        return Outcome(
            "unknown",
            "申报书中未找到实施前后的效果数据，无法核对。",
            ctx.missing(*p.percent_fields, *(x for pair in p.pairs for x in (pair.part, pair.whole))),
        )
    return Outcome("pass", f"已核对 {seen} 项效果数据，数值合理。")
