"""Generators of the single-field kinds (mirrors ``checkers/kinds/fields.py``):
presence, expected values, places, dates, numbers, forbidden values, the
credit code, the size class and the plausibility of figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checkers.credit_code import CHARSET
from core import spec as s
from core.divisions import COUNTY, counties, divisions, normalise_province
from core.divisions import cities as cities_of
from core.findings import Status
from core.spec import Rule
from eval.checkers.generators.common import Gen, Label, Mut, del_, missing, seq, set_
from eval.checkers.generators.places import other_city_address, other_province_address
from eval.checkers.generators.registry import generator
from eval.checkers.mutate import days, is_blank, iso, to_date, years_before


@generator("required_fields")
def g_required_fields(g: Gen, r: Rule) -> list[Mut]:
    """Each filled required field blanked in turn."""
    p = r.check
    assert isinstance(p, s.RequiredFields)
    return [
        Mut(f"blank-{f}", "violation", del_(f), f"清空必填项「{f}」")
        for f in p.fields
        if not is_blank(g.v(f))
    ]


def _opposite(v: bool | str | int) -> bool | str | int:
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    return f"非{v}"


@generator("expect_value")
def g_expect_value(g: Gen, r: Rule) -> list[Mut]:
    """The opposite of the expected value, and the field removed; with
    substitutes, the titles decide (none, a certain one, a close one, absent)."""
    p = r.check
    assert isinstance(p, s.ExpectValue)
    bad = _opposite(p.equals)
    if p.substitutes is None:
        return [
            Mut(
                "opposite", "violation", set_(p.field, bad), f"「{p.field}」填为 {bad!r}（应为 {p.equals!r}）"
            ),
            missing(p.field),
        ]
    sub = p.substitutes.field
    title = next((t for t in p.substitutes.any_of if t.levels), p.substitutes.any_of[0])
    certain = f"{_LEVEL_WORDS[title.levels[0]] if title.levels else ''}{''.join(title.terms)}（2023年）"
    close = "".join(title.terms)
    return [
        Mut(
            "opposite-no-title",
            "violation",
            seq(set_(p.field, bad), set_(sub, [])),
            f"「{p.field}」为 {bad!r}，且没有可参照执行的称号",
        ),
        Mut(
            "opposite-with-title",
            "pass",
            seq(set_(p.field, bad), set_(sub, [certain])),
            f"「{p.field}」为 {bad!r}，但具有「{certain}」称号：原文“可参照执行”",
        ),
        Mut(
            "opposite-with-close-title",
            "violation",
            seq(set_(p.field, bad), set_(sub, [close])),
            f"「{close}」未写颁发级别，是否为「{title.name}」须核对",
            status="warn" if title.levels else "pass",
        ),
        Mut(
            "opposite-titles-absent",
            "missing",
            seq(set_(p.field, bad), del_(sub)),
            f"「{p.field}」为 {bad!r}，企业称号未填写：无法判断是否可参照执行",
        ),
        Mut("missing", "missing", del_(p.field, sub), f"删除「{p.field}」和企业称号：缺少输入应报 unknown"),
    ]


_LEVEL_WORDS = {"国家级": "工业和信息化部", "省级": "江苏省", "市级": "无锡市", "县级": "江阴市"}


@generator("honours_excluded")
def g_honours_excluded(g: Gen, r: Rule) -> list[Mut]:
    """Each excluded honour written as a certificate writes it (issuer, year in
    between), without its level (close: review), at a level the policy does not
    name (pass), and — with a window — won before it (pass) or in its first year (review)."""
    p = r.check
    assert isinstance(p, s.HonoursExcluded)
    cur = list(g.v(p.field) or [])
    as_of = to_date(g.v(p.as_of_field)) if p.as_of_field else None
    year = as_of.year if as_of else 2022
    muts = []

    def add(variant: str, label: Label, text: str, note: str, status: Status | None = None) -> None:
        muts.append(Mut(variant, label, set_(p.field, [*cur, text]), note, status=status))

    for i, x in enumerate(p.excluded, start=1):
        name = "".join(x.terms)
        level = x.levels[0] if x.levels else None
        issuer = _LEVEL_WORDS[level] if level else "江苏省"
        add(
            f"excluded-{i}",
            "violation",
            f"{issuer}{year}年度{name}",
            f"「{issuer}{year}年度{name}」：年份夹在级别和名称之间",
        )
        if level:
            add(f"excluded-{i}-no-level", "violation", name, f"「{name}」未写颁发级别：须核对", status="warn")
            other = next((lv for lv in _LEVEL_WORDS if lv not in x.levels), None)
            if other is not None:
                text = f"{_LEVEL_WORDS[other]}{name}"
                add(f"excluded-{i}-other-level", "pass", text, f"「{text}」：政策未排除该级别")
        if p.within_years is not None and as_of is not None:
            old = as_of.year - int(p.within_years) - 1
            add(
                f"excluded-{i}-long-ago",
                "pass",
                f"{issuer}{old}年{name}",
                f"{old} 年获评：早于近 {p.within_years:g} 年",
            )
            edge = years_before(as_of, int(p.within_years)).year
            add(
                f"excluded-{i}-edge-year",
                "violation",
                f"{issuer}{edge}年{name}",
                f"{edge} 年获评：只知年份，无法判断是否在近 {p.within_years:g} 年内",
                status="warn",
            )
    muts.append(missing(p.field))
    return muts


@generator("region_in")
def g_region_in(g: Gen, r: Rule) -> list[Mut]:
    """An address in another city of the programme's province and one in
    another province — both chosen from the national division table to differ
    from the region the rule names (``places``) — an ambiguous district, none."""
    p = r.check
    assert isinstance(p, s.RegionIn)
    muts = []
    provinces = [p.province] if p.province else []
    if p.cities:
        addr = other_city_address(p.cities)
        if addr is not None:
            muts.append(
                Mut(
                    "other-city",
                    "violation",
                    set_(p.field, addr),
                    f"注册地址在{'、'.join(p.cities)}以外：{addr}",
                )
            )
    addr = other_province_address(provinces, p.cities or [])
    muts.append(Mut("other-province", "violation", set_(p.field, addr), f"注册地址在另一省份：{addr}"))
    name, inside = _shared_county(p.province, p.cities or [])
    muts.append(
        Mut(
            "ambiguous-district",
            "missing" if inside else "violation",
            set_(p.field, f"{name}中山北路30号"),
            f"只写“{name}”：几个城市都有，其中有的在政策要求的地区内，无法确定所在城市，应报 unknown"
            if inside
            else f"只写“{name}”：几个城市都有，但都不在政策要求的地区内，应报不符合",
        )
    )
    muts.append(missing(p.field))
    return muts


def _shared_county(province: str | None, cities: list[str]) -> tuple[str, bool]:
    """A county-level name several cities share, and whether one of them lies in the
    rule's region: the region's own shared name where it has one (南通: 通州区, also
    Beijing's), else 鼓楼区 (南京, 徐州, 福州, 开封), which may lie wholly outside it."""
    prov = normalise_province(province) if province else None
    region = [c for city in cities for c in counties(city, prov)] if cities else counties_of(prov)
    seen: dict[str, int] = {}
    for d in divisions().values():
        if d.rank == COUNTY:
            seen[d.name] = seen.get(d.name, 0) + 1
    shared = sorted(n for n in dict.fromkeys(region) if seen.get(n, 0) > 1)
    if "鼓楼区" in shared or not shared:
        return "鼓楼区", "鼓楼区" in shared
    return shared[0], True


def counties_of(province: str | None) -> list[str]:
    """Every county-level name of a province (of the country when None)."""
    if province is None:
        return [d.name for d in divisions().values() if d.rank == COUNTY]
    return [c for city in cities_of(province) for c in counties(city, province)]


@generator("min_duration")
def g_min_duration(g: Gen, r: Rule) -> list[Mut]:
    """One day short of the minimum duration and exactly the minimum."""
    p = r.check
    assert isinstance(p, s.MinDuration)
    ref = p.as_of or to_date(g.v(p.as_of_field or ""))
    n = int(p.min_years)
    assert n == p.min_years, "fractional years not generated"
    edge = years_before(ref, n)
    return [
        Mut(
            "one-day-short",
            "violation",
            set_(p.field, iso(days(edge, 1))),
            f"{p.field} = {iso(days(edge, 1))}：截至 {iso(ref)} 差一天满 {n} 年",
        ),
        Mut(
            "exactly-n-years",
            "pass",
            set_(p.field, iso(edge)),
            f"{p.field} = {iso(edge)}：截至 {iso(ref)} 恰好满 {n} 年（“以上”含本数）",
        ),
        missing(p.field),
    ]


@generator("date_before")
def g_date_before(g: Gen, r: Rule) -> list[Mut]:
    """The first late date, the reference day itself, no date."""
    p = r.check
    assert isinstance(p, s.DateBefore)
    ref = p.before or to_date(g.v(p.before_field or ""))
    return [
        _late(p, ref),
        Mut("same-day", "pass", set_(p.field, iso(ref)), f"{p.field} 与 {iso(ref)} 同日（“前”含当日）"),
        missing(p.field),
    ]


def _late(p: s.DateBefore, ref: dt.date) -> Mut:
    """One day after the reference; with ``same_month_ok`` (month-precision periods)
    the first day of the next month, the earliest date that is really late."""
    if p.same_month_ok:
        nxt = dt.date(ref.year + ref.month // 12, ref.month % 12 + 1, 1)
        return Mut("next-month", "violation", set_(p.field, iso(nxt)), f"{p.field} 在 {iso(ref)} 的下一个月")
    return Mut(
        "one-day-late", "violation", set_(p.field, iso(days(ref, 1))), f"{p.field} 晚于 {iso(ref)} 一天"
    )


@generator("date_within_years")
def g_date_within_years(g: Gen, r: Rule) -> list[Mut]:
    """One day before the window, after the reference, on the window's start."""
    p = r.check
    assert isinstance(p, s.DateWithinYears)
    ref = p.of or to_date(g.v(p.of_field or ""))
    edge = years_before(ref, int(p.years))
    return [
        Mut(
            "one-day-too-early",
            "violation",
            set_(p.field, iso(days(edge, -1))),
            f"{p.field} 早于近 {p.years:g} 年的起点 {iso(edge)} 一天",
        ),
        Mut("after-reference", "violation", set_(p.field, iso(days(ref, 1))), f"{p.field} 晚于 {iso(ref)}"),
        Mut("on-window-start", "pass", set_(p.field, iso(edge)), f"{p.field} 恰为近 {p.years:g} 年的起点"),
        missing(p.field),
    ]


def _below(m: float) -> float:
    """A value just under a lower bound (levels and counts are whole numbers)."""
    return m - 1 if m >= 1 else round(m / 2, 2)


@generator("value_range")
def g_value_range(g: Gen, r: Rule) -> list[Mut]:
    """Just outside each bound and exactly on it."""
    p = r.check
    assert isinstance(p, s.ValueRange)
    muts = []
    if p.min is not None:
        if p.exclusive:
            muts.append(
                Mut(
                    "equal-to-exclusive-min",
                    "violation",
                    set_(p.field, p.min),
                    f"{p.field} = {p.min:g}：要求高于 {p.min:g}",
                )
            )
        else:
            muts.append(
                Mut(
                    "below-min",
                    "violation",
                    set_(p.field, _below(p.min)),
                    f"{p.field} = {_below(p.min):g}：低于 {p.min:g}",
                )
            )
            muts.append(Mut("equal-to-min", "pass", set_(p.field, p.min), f"{p.field} 恰为下限 {p.min:g}"))
    if p.max is not None:
        muts.append(
            Mut(
                "above-max",
                "violation",
                set_(p.field, p.max + 1),
                f"{p.field} = {p.max + 1:g}：高于 {p.max:g}",
            )
        )
        muts.append(Mut("equal-to-max", "pass", set_(p.field, p.max), f"{p.field} 恰为上限 {p.max:g}"))
    muts.append(missing(p.field))
    return muts


@generator("min_value_by_level")
def g_min_value_by_level(g: Gen, r: Rule) -> list[Mut]:
    """Just under and exactly on the bound of the base's target level."""
    p = r.check
    assert isinstance(p, s.MinValueByLevel)
    level = g.v("target_level")
    need = p.min_by_level[level]
    return [
        Mut(
            "below-level-min", "violation", set_(p.field, need - 1), f"{level}要求 ≥{need:g}，填 {need - 1:g}"
        ),
        Mut("equal-to-level-min", "pass", set_(p.field, need), f"{level}要求 ≥{need:g}，恰为 {need:g}"),
        missing(p.field),
    ]


@generator("forbidden_values")
def g_forbidden_values(g: Gen, r: Rule) -> list[Mut]:
    """Each forbidden value written into the field; for a scalar exact match
    also a forbidden value written with look-alike characters (lower case plus
    级, full width, a zero-width space inside); with ``recognised``, a value
    outside the scale (unknown)."""
    p = r.check
    assert isinstance(p, s.ForbiddenValues)
    cur = g.v(p.field)
    muts = []
    for i, bad in enumerate(p.values):
        written = f"{bad}（2021年获评）" if p.match == "contains" else bad
        value: Any = [*cur, written] if isinstance(cur, list) else written
        muts.append(
            Mut(f"forbidden-{i + 1}", "violation", set_(p.field, value), f"{p.field} 含被排除的「{written}」")
        )
    if p.match == "exact" and not isinstance(cur, list):
        bad = p.values[0]
        for j, (look_alike, how) in enumerate(
            (
                (bad.lower() + "级", "小写加“级”"),
                ("".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in bad), "全角"),
                (bad[:1] + "\u200b" + bad[1:], "夹零宽空格"),
            )
        ):
            muts.append(
                Mut(f"look-alike-{j + 1}", "violation", set_(p.field, look_alike), f"「{bad}」的{how}写法")
            )
    if p.recognised is not None:
        muts.append(
            Mut(
                "unrecognised",
                "missing",
                set_(p.field, [*cur, "无法识别"] if isinstance(cur, list) else "无法识别"),
                f"{p.field} 的值不在可识别的范围（{'、'.join(p.recognised)}）内：应报 unknown",
            )
        )
    muts.append(missing(p.field))
    return muts


def _wrong_check_digit(code: str) -> str:
    right = code[17]
    wrong = CHARSET[(CHARSET.index(right) + 1) % len(CHARSET)]
    return code[:17] + wrong


@generator("credit_code")
def g_credit_code(g: Gen, r: Rule) -> list[Mut]:
    """A wrong check digit, 17 characters, the unused letter O; lower case passes."""
    p = r.check
    assert isinstance(p, s.CreditCode)
    code = str(g.v(p.field))
    return [
        Mut("wrong-check-digit", "violation", set_(p.field, _wrong_check_digit(code)), "第 18 位校验码错误"),
        Mut("17-chars", "violation", set_(p.field, code[:17]), "只有 17 位"),
        Mut("letter-o", "violation", set_(p.field, code[:9] + "O" + code[10:]), "含不使用的字母 O"),
        Mut("lower-case", "pass", set_(p.field, code.lower()), "小写字母书写的同一代码"),
        missing(p.field),
    ]


@generator("size_class")
def g_size_class(g: Gen, r: Rule) -> list[Mut]:
    """Another class ticked; the class written with 企业 still passes."""
    p = r.check
    assert isinstance(p, s.SizeClass)
    ticked = str(g.v(p.field))
    other = next(c.name for c in p.classes if c.name != ticked)
    return [
        Mut("other-class", "violation", set_(p.field, other), f"勾选「{other}」，与从业人员和营业收入不符"),
        Mut("suffix-enterprise", "pass", set_(p.field, f"{ticked}企业"), f"写作「{ticked}企业」仍是同一类"),
        missing(p.employees_field),
    ]


@generator("metrics_sane")
def g_metrics_sane(g: Gen, r: Rule) -> list[Mut]:
    """A percentage over 100 (100 passes) and each part above its whole."""
    p = r.check
    assert isinstance(p, s.MetricsSane)
    muts = []
    if p.percent_fields:
        f = p.percent_fields[-1]
        muts.append(Mut("percent-over-100", "violation", set_(f, 105), f"{f} = 105%"))
        muts.append(Mut("percent-100", "pass", set_(f, 100), f"{f} = 100%（边界）"))
    for n, pair in enumerate(p.pairs, start=1):
        muts.append(
            Mut(
                f"part-exceeds-whole-{n}",
                "violation",
                set_(pair.part, float(g.v(pair.whole)) + 1),
                f"{pair.part} 大于 {pair.whole}",
            )
        )
    muts.append(
        Mut(
            "all-missing",
            "missing",
            del_(*p.percent_fields, *[x for pr in p.pairs for x in (pr.part, pr.whole)]),
            "删除全部效果数据",
        )
    )
    return muts
