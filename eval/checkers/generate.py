"""Labelled checker cases: each mutates a compliant base draft to inject ONE known
violation of ONE rule (or to remove one input, or to probe a boundary that must
still pass) and says what every rule of the programme is expected to report.

Labels
------
- ``violation``: the target rule must report ``fail`` (severity error) or
  ``warn`` (severity warning/info).
- ``missing``: an input of the target rule is removed; it must report ``unknown``.
- ``pass``: a tricky edit that must NOT be flagged (boundary values, 字数 where
  Word and ``len()`` disagree, amounts normalised from 亿元/大写 ...).
- ``base``: the unmodified base draft: every rule ``pass`` (``n/a`` where the
  rule's ``applies_when`` excludes the draft's variant).

Collateral is declared, never inferred from the checker: for every draft path a
case changes, every other rule reading that path must be declared as changed
(``also``) or unchanged (``keep``), except two mechanical consequences of the
rule kinds' documented semantics — a ``required_fields`` rule fails when one of
its fields becomes blank, and a rule whose input becomes blank reports
``unknown`` ("Unknown is not pass", design.md). An undeclared reader is a
:class:`GeneratorError`, so a label can never silently omit a side effect.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from checkers.credit_code import CHARSET
from core import spec as s
from core.catalogue import CatalogueList
from core.dates import parse_date, parse_period
from core.draft import Draft
from core.findings import Status
from core.numbers import parse_money
from core.spec import ProgrammeSpec, Rule
from corpus.loader import Corpus, default_corpus
from eval.checkers.mutate import (
    JSON,
    cjk,
    clone,
    days,
    drop,
    get,
    is_blank,
    iso,
    leaf_paths,
    put,
    quantified,
    read_path,
    to_date,
    years_before,
)

BASE_DIR = Path(__file__).resolve().parent / "base"
Label = Literal["base", "violation", "missing", "pass"]
Edit = Callable[[JSON], None]


class GeneratorError(ValueError):
    """A case is ill-formed (an undeclared side effect, an invalid draft ...)."""


@dataclass(frozen=True)
class Base:
    """A compliant base draft: ``name`` is the file stem (``js-iif-2022``,
    ``nt-smart-factory-2022.discrete``)."""

    name: str
    programme: str
    data: JSON
    draft: Draft


@dataclass(frozen=True)
class Case:
    """One labelled draft: the expected status of EVERY rule of its programme."""

    name: str
    programme: str
    base: str
    target: str | None
    label: Label
    expected: Mapping[str, Status]
    changed: Mapping[str, Status]
    message_contains: Mapping[str, tuple[str, ...]]
    note: str
    draft: Draft


@dataclass
class Mut:
    """A mutation of a base draft aimed at one rule (filled in by the generators)."""

    variant: str
    label: Label
    edit: Edit
    note: str
    status: Status | None = None
    also: dict[str, Status] = field(default_factory=dict)
    keep: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    target: str | None = None
    bases: tuple[str, ...] | None = None  # restrict to these base names (extras)


# --------------------------------------------------------------------------
# Loading bases and what each rule reads
# --------------------------------------------------------------------------


def load_bases(directory: Path = BASE_DIR) -> list[Base]:
    """Every base draft in ``directory`` (``*.json``), validated as a ``Draft``."""
    out = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        draft = Draft.model_validate(data)
        if not draft.programme:
            raise GeneratorError(f"{path.name}: base draft has no programme")
        out.append(Base(path.stem, draft.programme, data, draft))
    return out


_SELECTION_KINDS = ("min_selected", "each_group_min", "group_complete", "single_group", "min_distinct_groups")
_LEVEL_KINDS = ("min_value_by_level", "score_recommends_level", "scene_level_count", "link_coverage")
# kinds whose documented answer for a blank input is `unknown`
_UNKNOWN_WHEN_BLANK = (
    "expect_value",
    "region_in",
    "min_duration",
    "date_before",
    "date_within_years",
    "min_value",
    "min_value_by_level",
    "forbidden_values",
    "credit_code",
    "char_limit",
    "size_class",
    "min_rows",
    "min_distinct_values",
    "table_char_limits",
    "table_values_allowed",
    "table_quantified",
    *_SELECTION_KINDS,
    "self_eval_score",
    "score_recommends_level",
    "scene_level_count",
    "link_coverage",
)


def reads(rule: Rule) -> set[str]:
    """The draft paths a rule reads, at the granularity of :func:`read_path`."""
    return {x for x in (read_path(r) for r in rule.reads()) if x}


def _blank_at(data: JSON, path: str) -> bool:
    """Whether the input at a read path is blank (a table column: the whole table)."""
    if path.startswith("tables."):
        return is_blank(get(data, ".".join(path.split(".")[:2])))
    if path.startswith("selections."):
        return get(data, path) is None  # [] is an answer: nothing ticked
    return is_blank(get(data, path))


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def base_expected(spec: ProgrammeSpec, base: Base) -> dict[str, Status]:
    """The label of the base draft: ``pass``, or ``n/a`` where ``applies_when`` excludes it."""
    out: dict[str, Status] = {}
    for r in spec.rules:
        status: Status = "pass"
        for path, values in (r.applies_when or {}).items():
            v = get(base.data, path)
            if v is not None and str(v) not in values:
                status = "n/a"
        out[r.id] = status
    return out


# --------------------------------------------------------------------------
# Generic violations per rule kind
# --------------------------------------------------------------------------


@dataclass
class Gen:
    """What a generator may look at: the spec, catalogue lists and the base."""

    spec: ProgrammeSpec
    lists: Mapping[str, CatalogueList]
    base: Base
    errors: list[str] | None = None  # collect undeclared effects instead of raising

    def v(self, path: str) -> Any:
        """The base draft's value at a path."""
        return get(self.base.data, path)


def _sev(rule: Rule) -> Status:
    return "fail" if rule.severity == "error" else "warn"


def _siblings(
    g: Gen, r: Rule, kinds: tuple[str, ...], table: str | None = None, column: str | None = None
) -> tuple[str, ...]:
    """Other rules of the given kinds reading the same table column (or any column)."""
    out = []
    for x in g.spec.rules:
        p = x.check
        if x.id == r.id or p.kind not in kinds or getattr(p, "table", None) != table:
            continue
        cols = {
            getattr(p, "column", None),
            getattr(p, "distinct_column", None),
            *(getattr(p, "limits", None) or {}),
        }
        if column is None or column in cols:
            out.append(x.id)
    return tuple(out)


def _set(path: str, value: Any) -> Edit:
    return lambda d: put(d, path, value)


def _del(*paths: str) -> Edit:
    def edit(d: JSON) -> None:
        for p in paths:
            drop(d, p)

    return edit


def _seq(*edits: Edit) -> Edit:
    def edit(d: JSON) -> None:
        for e in edits:
            e(d)

    return edit


def _missing(path: str) -> Mut:
    return Mut("missing", "missing", _del(path), f"删除「{path}」：缺少输入应报 unknown")


def g_required_fields(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.RequiredFields)
    return [
        Mut(f"blank-{f}", "violation", _del(f), f"清空必填项「{f}」")
        for f in p.fields
        if not is_blank(g.v(f))
    ]


def _opposite(v: bool | str | int) -> bool | str | int:
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    return f"非{v}"


def g_expect_value(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.ExpectValue)
    bad = _opposite(p.equals)
    return [
        Mut("opposite", "violation", _set(p.field, bad), f"「{p.field}」填为 {bad!r}（应为 {p.equals!r}）"),
        _missing(p.field),
    ]


_OTHER_CITY_ADDRESS = {
    "南通市": "江苏省苏州市昆山市玉山镇前进西路1号",
    "无锡市": "江苏省常州市武进区湖塘镇人民中路8号",
}


def g_region_in(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.RegionIn)
    muts = []
    if p.cities:
        addr = _OTHER_CITY_ADDRESS.get(p.cities[0], "江苏省南京市江宁区将军大道188号")
        muts.append(
            Mut("other-city", "violation", _set(p.field, addr), f"注册地址在{p.cities[0]}以外：{addr}")
        )
    muts.append(
        Mut(
            "other-province",
            "violation",
            _set(p.field, "浙江省嘉兴市南湖区中环南路1288号"),
            "注册地址在浙江省",
        )
    )
    muts.append(
        Mut(
            "ambiguous-district",
            "missing",
            _set(p.field, "鼓楼区中山北路30号"),
            "只写“鼓楼区”：南京、徐州都有鼓楼区，无法确定所在城市，应报 unknown",
        )
    )
    muts.append(_missing(p.field))
    return muts


def g_min_duration(g: Gen, r: Rule) -> list[Mut]:
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
            _set(p.field, iso(days(edge, 1))),
            f"{p.field} = {iso(days(edge, 1))}：截至 {iso(ref)} 差一天满 {n} 年",
        ),
        Mut(
            "exactly-n-years",
            "pass",
            _set(p.field, iso(edge)),
            f"{p.field} = {iso(edge)}：截至 {iso(ref)} 恰好满 {n} 年（“以上”含本数）",
        ),
        _missing(p.field),
    ]


def g_date_before(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.DateBefore)
    ref = p.before or to_date(g.v(p.before_field or ""))
    return [
        _late(p, ref),
        Mut("same-day", "pass", _set(p.field, iso(ref)), f"{p.field} 与 {iso(ref)} 同日（“前”含当日）"),
        _missing(p.field),
    ]


def _late(p: s.DateBefore, ref: dt.date) -> Mut:
    """One day after the reference; with ``same_month_ok`` (month-precision periods)
    the first day of the next month, the earliest date that is really late."""
    if p.same_month_ok:
        nxt = dt.date(ref.year + ref.month // 12, ref.month % 12 + 1, 1)
        return Mut("next-month", "violation", _set(p.field, iso(nxt)), f"{p.field} 在 {iso(ref)} 的下一个月")
    return Mut(
        "one-day-late", "violation", _set(p.field, iso(days(ref, 1))), f"{p.field} 晚于 {iso(ref)} 一天"
    )


def g_date_within_years(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.DateWithinYears)
    ref = to_date(g.v(p.of_field))
    edge = years_before(ref, int(p.years))
    return [
        Mut(
            "one-day-too-early",
            "violation",
            _set(p.field, iso(days(edge, -1))),
            f"{p.field} 早于近 {p.years:g} 年的起点 {iso(edge)} 一天",
        ),
        Mut("after-reference", "violation", _set(p.field, iso(days(ref, 1))), f"{p.field} 晚于 {iso(ref)}"),
        Mut("on-window-start", "pass", _set(p.field, iso(edge)), f"{p.field} 恰为近 {p.years:g} 年的起点"),
        _missing(p.field),
    ]


def _below(m: float) -> float:
    """A value just under a lower bound (levels and counts are whole numbers)."""
    return m - 1 if m >= 1 else round(m / 2, 2)


def g_min_value(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MinValue)
    muts = []
    if p.min is not None:
        if p.exclusive:
            muts.append(
                Mut(
                    "equal-to-exclusive-min",
                    "violation",
                    _set(p.field, p.min),
                    f"{p.field} = {p.min:g}：要求高于 {p.min:g}",
                )
            )
        else:
            muts.append(
                Mut(
                    "below-min",
                    "violation",
                    _set(p.field, _below(p.min)),
                    f"{p.field} = {_below(p.min):g}：低于 {p.min:g}",
                )
            )
            muts.append(Mut("equal-to-min", "pass", _set(p.field, p.min), f"{p.field} 恰为下限 {p.min:g}"))
    if p.max is not None:
        muts.append(
            Mut(
                "above-max",
                "violation",
                _set(p.field, p.max + 1),
                f"{p.field} = {p.max + 1:g}：高于 {p.max:g}",
            )
        )
        muts.append(Mut("equal-to-max", "pass", _set(p.field, p.max), f"{p.field} 恰为上限 {p.max:g}"))
    muts.append(_missing(p.field))
    return muts


def g_min_value_by_level(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MinValueByLevel)
    level = g.v("target_level")
    need = p.min_by_level[level]
    return [
        Mut(
            "below-level-min", "violation", _set(p.field, need - 1), f"{level}要求 ≥{need:g}，填 {need - 1:g}"
        ),
        Mut("equal-to-level-min", "pass", _set(p.field, need), f"{level}要求 ≥{need:g}，恰为 {need:g}"),
        _missing(p.field),
    ]


def g_forbidden_values(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.ForbiddenValues)
    cur = g.v(p.field)
    muts = []
    for i, bad in enumerate(p.values):
        written = f"{bad}（2021年获评）" if p.match == "contains" else bad
        value: Any = [*cur, written] if isinstance(cur, list) else written
        muts.append(
            Mut(f"forbidden-{i + 1}", "violation", _set(p.field, value), f"{p.field} 含被排除的「{written}」")
        )
    muts.append(_missing(p.field))
    return muts


def g_min_sum(g: Gen, r: Rule) -> list[Mut]:
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


def g_sum_equals(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.SumEquals)
    total = float(g.v(p.total))
    return [
        Mut("total-off-by-100", "violation", _set(p.total, total + 100), "总投资比各分项之和多 100 万元"),
        Mut("within-tolerance", "pass", _set(p.total, total + p.tolerance / 2), "差额在容差内"),
        _missing(p.total),
    ]


def _ticks(g: Gen, list_id: str) -> list[str]:
    return list(g.v(f"selections.{list_id}") or [])


def _group_of(g: Gen, list_id: str) -> dict[str, str]:
    return {i.id: i.group or "" for i in g.lists[list_id].items}


def g_min_selected(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MinSelected)
    ticks = _ticks(g, p.list)
    counted = [t for t in ticks if p.options is None or t in p.options]
    muts = []

    def untouched(removed: list[str]) -> tuple[str, ...]:
        """Sibling counts restricted to options none of which was removed keep their status."""
        return tuple(
            x.id
            for x in g.spec.rules
            if x.id != r.id
            and isinstance(x.check, s.MinSelected)
            and x.check.list == p.list
            and x.check.options is not None
            and not set(x.check.options) & set(removed)
        )

    if p.min > 0:
        keep_n = p.min - 1
        drop_ids = counted[keep_n:]
        left = [t for t in ticks if t not in drop_ids]
        muts.append(
            Mut(
                "one-below-min",
                "violation",
                _set(f"selections.{p.list}", left),
                f"只勾选 {keep_n} 项（要求至少 {p.min} 项）",
                keep=untouched(drop_ids),
            )
        )
        if len(counted) > p.min:
            exact = [t for t in ticks if t not in counted[p.min :]]
            muts.append(
                Mut(
                    "exactly-min",
                    "pass",
                    _set(f"selections.{p.list}", exact),
                    f"恰好勾选 {p.min} 项",
                    keep=untouched(counted[p.min :]),
                )
            )
    if p.max is not None:
        extra = [i.id for i in g.lists[p.list].items if p.options is None or i.id in p.options]
        muts.append(
            Mut(
                "above-max",
                "violation",
                _set(f"selections.{p.list}", extra[: p.max + 1]),
                f"勾选 {p.max + 1} 项（最多 {p.max} 项）",
            )
        )
    muts.append(_missing(f"selections.{p.list}"))
    return muts


def g_each_group_min(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.EachGroupMin)
    ticks, groups = _ticks(g, p.list), _group_of(g, p.list)
    names = p.groups or list(dict.fromkeys(i.group or "" for i in g.lists[p.list].items))
    muts = []
    for n, grp in enumerate(names, start=1):
        left = [t for t in ticks if groups.get(t) != grp]
        muts.append(
            Mut(f"group-{n}-empty", "violation", _set(f"selections.{p.list}", left), f"方向「{grp}」未勾选")
        )
    muts.append(_missing(f"selections.{p.list}"))
    return muts


def g_group_complete(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.GroupComplete)
    ticks = _ticks(g, p.list)
    members = g.lists[p.list].group_items()
    complete = [grp for grp, items in members.items() if all(i.id in ticks for i in items)]
    drop_ids = {members[grp][-1].id for grp in complete}
    left = [t for t in ticks if t not in drop_ids]
    almost = [i.id for items in members.values() for i in items[:-1]]
    return [
        Mut(
            "complete-group-missing-one",
            "violation",
            _set(f"selections.{p.list}", left),
            f"唯一全具备的方向各少勾一项：{sorted(drop_ids)}",
        ),
        Mut(
            "every-group-partial",
            "violation",
            _set(f"selections.{p.list}", almost),
            "每个方向都勾选了除最后一项外的全部指标，但没有任何方向全具备",
        ),
        _missing(f"selections.{p.list}"),
    ]


def g_single_group(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.SingleGroup)
    ticks, groups = _ticks(g, p.list), _group_of(g, p.list)
    mine = {groups[t] for t in ticks}
    other = next(i.id for i in g.lists[p.list].items if i.group not in mine)
    return [
        Mut("none-ticked", "violation", _set(f"selections.{p.list}", []), "未勾选任何模式的指标"),
        Mut(
            "two-modes",
            "violation",
            _set(f"selections.{p.list}", [*ticks, other]),
            "同时勾选两种模式的指标：政策要求选择一种模式，提示（warn）",
            status="warn",
        ),
        _missing(f"selections.{p.list}"),
    ]


def _rows(g: Gen, table: str) -> list[dict[str, str]]:
    return [dict(r) for r in g.v(f"tables.{table}") or []]


def g_min_rows(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MinRows)
    rows = _rows(g, p.table)
    path = f"tables.{p.table}"
    muts = []
    if p.distinct_column:
        col = p.distinct_column
        names = list(dict.fromkeys(row[col] for row in rows))
        # rename the last rows to the first row's name until only min-1 distinct names remain
        keep_names = set(names[: p.min - 1])
        dup = [dict(row, **{col: names[0]}) if row[col] not in keep_names else row for row in rows]
        muts.append(
            Mut(
                "duplicate-names",
                "violation",
                _set(path, dup),
                f"{len(rows)} 行但只有 {p.min - 1} 个不同的场景名称",
            )
        )
        exact_names = set(names[: p.min])
        exact = [dict(row, **{col: names[0]}) if row[col] not in exact_names else row for row in rows]
        muts.append(Mut("exactly-min-distinct", "pass", _set(path, exact), f"恰好 {p.min} 个不同的场景名称"))
    else:
        muts.append(Mut("empty-table", "violation", _set(path, []), "表格存在但未填写任何一行"))
    muts.append(_missing(path))
    return muts


def g_min_distinct_values(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MinDistinctValues)
    rows = _rows(g, p.table)
    col = p.column
    values = list(dict.fromkeys(row[col] for row in rows))
    kept = set(values[: p.min - 1])
    fewer = [dict(row, **{col: values[0]}) if row[col] not in kept else row for row in rows]
    exact_kept = set(values[: p.min])
    exact = [dict(row, **{col: values[0]}) if row[col] not in exact_kept else row for row in rows]
    path = f"tables.{p.table}"
    # every value written stays a valid one: the allowed-values rules on the column are unchanged
    keep = _siblings(g, r, ("table_values_allowed",), p.table, col)
    muts = [
        Mut(
            "one-below-min",
            "violation",
            _set(path, fewer),
            f"「{col}」只有 {p.min - 1} 个不同取值",
            keep=keep,
        ),
        Mut("exactly-min", "pass", _set(path, exact), f"「{col}」恰有 {p.min} 个不同取值", keep=keep),
    ]
    if p.list is not None:
        # the same 环节 written with and without the suffix “环节” counts once
        first = values[0]
        variant = [dict(row, **{col: f"{first}环节"}) if row[col] not in kept else row for row in rows]
        muts.append(
            Mut(
                "suffix-variant-counts-once",
                "violation",
                _set(path, variant),
                f"「{first}」与「{first}环节」是同一环节，只有 {p.min - 1} 个不同环节",
                keep=keep,
            )
        )
    muts.append(_missing(path))
    return muts


def g_char_limit(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.CharLimit)
    path = f"sections.{p.section}"
    return [
        Mut(
            "one-over-limit",
            "violation",
            _set(path, cjk(p.limit + 1)),
            f"{p.limit + 1} 个汉字（限 {p.limit} 字）",
        ),
        Mut("exactly-limit", "pass", _set(path, cjk(p.limit)), f"恰好 {p.limit} 个汉字"),
        _missing(path),
    ]


def _quantified_columns(g: Gen, table: str) -> set[str]:
    return {
        x.check.column
        for x in g.spec.rules
        if isinstance(x.check, s.TableQuantified) and x.check.table == table
    }


def g_table_char_limits(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.TableCharLimits)
    rows = _rows(g, p.table)
    path = f"tables.{p.table}"
    quant = _quantified_columns(g, p.table)
    muts = []
    for col, limit in p.limits.items():
        make = quantified if col in quant else cjk
        over = [dict(rows[0], **{col: make(limit + 1)}), *rows[1:]]
        exact = [*rows[:-1], dict(rows[-1], **{col: make(limit)})]
        keep = _siblings(g, r, ("table_quantified",), p.table, col)  # the long text states a number
        muts.append(
            Mut(
                f"{col}-one-over",
                "violation",
                _set(path, over),
                f"第 1 行「{col}」{limit + 1} 字（限 {limit}）",
                keep=keep,
            )
        )
        muts.append(
            Mut(f"{col}-exactly-limit", "pass", _set(path, exact), f"末行「{col}」恰好 {limit} 字", keep=keep)
        )
    muts.append(_missing(path))
    return muts


def _dup_row_index(rows: list[dict[str, str]], col: str) -> int:
    """The last row whose value in ``col`` also occurs in another row (editing it
    keeps the set of values the other rows cover)."""
    for i in range(len(rows) - 1, -1, -1):
        if sum(1 for r in rows if r.get(col) == rows[i].get(col)) > 1:
            return i
    return len(rows) - 1


def g_table_values_allowed(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.TableValuesAllowed)
    rows = _rows(g, p.table)
    path = f"tables.{p.table}"
    i = _dup_row_index(rows, p.column)
    bad_value = "总装测试" if p.column != "dimension" else "服务"
    suffix = "维度" if p.column == "dimension" else "环节"
    bad_row = i
    if sum(1 for row in rows if row.get(p.column) == rows[i].get(p.column)) > 1:
        bad = [dict(row, **{p.column: bad_value}) if n == i else row for n, row in enumerate(rows)]
    else:  # every value is unique: add the bad row rather than lose a covered value
        bad = [*rows, dict(rows[i], **{p.column: bad_value})]
        bad_row = len(rows)
    spaced = [
        dict(row, **{p.column: f" {row[p.column]}{suffix} "}) if n == i else row for n, row in enumerate(rows)
    ]
    # the edited row's value also occurs in another row: the set of valid values is unchanged,
    # so the distinct-value counts on the column keep their status
    keep = _siblings(g, r, ("min_distinct_values",), p.table, p.column)
    # an appended row copies a compliant row: limits, counts and numbers of the table keep their status
    bad_keep = (
        keep
        if bad_row < len(rows)
        else _siblings(
            g, r, ("min_distinct_values", "table_char_limits", "min_rows", "table_quantified"), p.table
        )
    )
    return [
        Mut(
            "invalid-value",
            "violation",
            _set(path, bad),
            f"第 {bad_row + 1} 行「{p.column}」填「{bad_value}」，不在目录中",
            keep=bad_keep,
        ),
        Mut(
            "suffix-and-spaces",
            "pass",
            _set(path, spaced),
            f"第 {i + 1} 行写成「{spaced[i][p.column]}」，仍是同一项",
            keep=keep,
        ),
        _missing(path),
    ]


def g_table_quantified(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.TableQuantified)
    rows = _rows(g, p.table)
    path = f"tables.{p.table}"
    vague = [dict(rows[0], **{p.column: "生产效率和产品质量显著提升，运营成本明显下降。"}), *rows[1:]]
    empty = [*rows[:-1], dict(rows[-1], **{p.column: ""})]
    chinese = [dict(rows[0], **{p.column: "生产效率提高两倍，检验人员减少五人。"}), *rows[1:]]
    keep = _siblings(g, r, ("table_char_limits",), p.table, p.column)  # short texts, within any limit
    return [
        Mut("no-number", "violation", _set(path, vague), "第 1 行实施成果没有任何数字", keep=keep),
        Mut("empty-cell", "violation", _set(path, empty), "末行实施成果未填写", keep=keep),
        Mut(
            "chinese-numerals", "pass", _set(path, chinese), "用中文数字量化（两倍、五人）也是量化", keep=keep
        ),
        _missing(path),
    ]


def _wrong_check_digit(code: str) -> str:
    right = code[17]
    wrong = CHARSET[(CHARSET.index(right) + 1) % len(CHARSET)]
    return code[:17] + wrong


def g_credit_code(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.CreditCode)
    code = str(g.v(p.field))
    return [
        Mut("wrong-check-digit", "violation", _set(p.field, _wrong_check_digit(code)), "第 18 位校验码错误"),
        Mut("17-chars", "violation", _set(p.field, code[:17]), "只有 17 位"),
        Mut("letter-o", "violation", _set(p.field, code[:9] + "O" + code[10:]), "含不使用的字母 O"),
        Mut("lower-case", "pass", _set(p.field, code.lower()), "小写字母书写的同一代码"),
        _missing(p.field),
    ]


def g_size_class(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.SizeClass)
    ticked = str(g.v(p.field))
    other = next(c.name for c in p.classes if c.name != ticked)
    return [
        Mut("other-class", "violation", _set(p.field, other), f"勾选「{other}」，与从业人员和营业收入不符"),
        Mut("suffix-enterprise", "pass", _set(p.field, f"{ticked}企业"), f"写作「{ticked}企业」仍是同一类"),
        _missing(p.employees_field),
    ]


def g_metrics_sane(g: Gen, r: Rule) -> list[Mut]:
    p = r.check
    assert isinstance(p, s.MetricsSane)
    muts = []
    if p.percent_fields:
        f = p.percent_fields[-1]
        muts.append(Mut("percent-over-100", "violation", _set(f, 105), f"{f} = 105%"))
        muts.append(Mut("percent-100", "pass", _set(f, 100), f"{f} = 100%（边界）"))
    for n, pair in enumerate(p.pairs, start=1):
        muts.append(
            Mut(
                f"part-exceeds-whole-{n}",
                "violation",
                _set(pair.part, float(g.v(pair.whole)) + 1),
                f"{pair.part} 大于 {pair.whole}",
            )
        )
    muts.append(
        Mut(
            "all-missing",
            "missing",
            _del(*p.percent_fields, *[x for pr in p.pairs for x in (pr.part, pr.whole)]),
            "删除全部效果数据",
        )
    )
    return muts


def _ind(level: int, fit: str | None, score: float) -> dict[str, Any]:
    return {"level": level, "fit": fit, "score": score}


def g_self_eval_score(g: Gen, r: Rule) -> list[Mut]:
    return []  # js-gradient-2025 cases are written per base in EXTRAS


def g_none(g: Gen, r: Rule) -> list[Mut]:
    return []


GENERATORS: dict[str, Callable[[Gen, Rule], list[Mut]]] = {
    "required_fields": g_required_fields,
    "expect_value": g_expect_value,
    "region_in": g_region_in,
    "min_duration": g_min_duration,
    "date_before": g_date_before,
    "date_within_years": g_date_within_years,
    "min_value": g_min_value,
    "min_value_by_level": g_min_value_by_level,
    "forbidden_values": g_forbidden_values,
    "min_sum": g_min_sum,
    "sum_equals": g_sum_equals,
    "min_selected": g_min_selected,
    "each_group_min": g_each_group_min,
    "group_complete": g_group_complete,
    "single_group": g_single_group,
    "min_distinct_groups": g_none,
    "min_rows": g_min_rows,
    "min_distinct_values": g_min_distinct_values,
    "char_limit": g_char_limit,
    "table_char_limits": g_table_char_limits,
    "table_values_allowed": g_table_values_allowed,
    "table_quantified": g_table_quantified,
    "credit_code": g_credit_code,
    "size_class": g_size_class,
    "metrics_sane": g_metrics_sane,
    "self_eval_score": g_self_eval_score,
    "score_recommends_level": g_none,
    "scene_level_count": g_none,
    "link_coverage": g_none,
}


# --------------------------------------------------------------------------
# Hand-written cases: the tricky ones and the js-gradient-2025 calculator
# --------------------------------------------------------------------------


def _money(path: str, text: str) -> Edit:
    """Write an amount as the applicant wrote it: the text goes to ``originals``,
    the value normalised by ``core.numbers.parse_money`` to the field."""

    def edit(d: JSON) -> None:
        put(d, path, parse_money(text).wan)
        d.setdefault("originals", {})[path] = text

    return edit


def _period(text: str) -> Edit:
    """项目建设时间 as written, read by ``core.dates.parse_period`` (month
    precision: the end is the last day of its month)."""

    def edit(d: JSON) -> None:
        start, end = parse_period(text)
        put(d, "project.start", iso(start))
        put(d, "project.end", iso(end))
        d.setdefault("originals", {})["project.end"] = text

    return edit


def _date(path: str, text: str) -> Edit:
    """A date as written, read by ``core.dates.parse_date``."""

    def edit(d: JSON) -> None:
        put(d, path, iso(parse_date(text)))
        d.setdefault("originals", {})[path] = text

    return edit


_INV = "project.investment."


def _investment(**amounts: float) -> Edit:
    def edit(d: JSON) -> None:
        for k, v in amounts.items():
            put(d, _INV + k, v)

    return edit


def _investment_written(**texts: str) -> Edit:
    """Investment items as the applicant wrote them (see :func:`_money`), in order."""
    return _seq(*(_money(_INV + k, text) for k, text in texts.items()))


def extras_js_iif_2022(g: Gen) -> list[Mut]:
    # the items still add up to the total: the total-equals-sum rule keeps its status
    investment = partial(Mut, target="investment-min", keep=("investment-sum",))
    overview = partial(Mut, target="overview-length", keep=("sections-complete",))
    return [
        investment(
            "salaries-reach-2000",
            "violation",
            _investment(platform_dev=800, equipment=700, testing_consulting=300, salaries=400, total=2200),
            "三类投入合计 1800 万元，加上人员工资 400 万元才到 2200 万元：工资不计入，须不通过并说明",
            contains=("工资",),
        ),
        investment(
            "daxie-and-yi-below-2000",
            "violation",
            _investment_written(
                platform_dev="伍佰万元",
                equipment="0.1亿元",
                testing_consulting="2,000,000元",
                salaries="叁佰万元",
                total="贰仟万元",
            ),
            "金额以大写、亿元、元书写：500 + 1000 + 200 = 1700 万元（工资 300 不计）",
        ),
        investment(
            "yi-yuan-exactly-2000",
            "pass",
            _investment_written(
                platform_dev="0.1亿元",
                equipment="捌佰万元",
                testing_consulting="２００万元",
                salaries="350万元",
                total="2,350万元",
            ),
            "0.1亿元 + 捌佰万元 + ２００万元 = 2000 万元，恰好达到",
        ),
        investment(
            "originals-normalised-unchanged",
            "pass",
            _investment_written(
                platform_dev="玖佰捌拾万元",
                equipment="0.126亿元",
                testing_consulting="2,100,000元",
                total="贰仟捌佰万元",
            ),
            "同样的金额按原文书写（大写、亿元、元）并规范化为万元",
        ),
        Mut(
            "one-item-missing-still-2000",
            "pass",
            _del(_INV + "testing_consulting"),
            "测试验证和项目咨询费未填，但其余两类已达 2240 万元",
            target="investment-min",
            also={"investment-sum": "warn"},
        ),
        investment(
            "one-item-missing-below",
            "missing",
            _seq(_investment(platform_dev=600, equipment=900, total=1850), _del(_INV + "testing_consulting")),
            "已填两类合计 1500 万元，测试验证和项目咨询费未填：无法判断",
        ),
        overview(
            "word-1001-hanzi-990",
            "violation",
            _set("sections.overview", cjk(990) + " 5G MES ERP WMS QMS APS PLM 2022 98.5% 30 IPv6"),
            "990 个汉字 + 11 个英文/数字词：Word 字数 1001，超限；只数汉字的计数只有 990",
        ),
        overview(
            "len-1020-word-1000",
            "pass",
            _set("sections.overview", cjk(991) + " 5G MES ERP WMS QMS APS SCADA PLM IPv6"),
            "991 个汉字 + 9 个英文/数字词：Word 字数 1000，而 len() 去空格为 1020",
        ),
        overview(
            "word-1001-latin",
            "violation",
            _set("sections.overview", cjk(995) + " MES ERP WMS PLM APS SCADA"),
            "995 个汉字 + 6 个英文词 = 1001 字",
        ),
        Mut(
            "five-ticked-one-direction-empty",
            "violation",
            _set("selections.js-iif-2022-mfg", ["1", "2", "3", "4", "5"]),
            "勾选 5 项，但经营管理优化方向一项未勾：方向不全（mfg-min-indicators 仍通过）",
            target="mfg-directions",
            keep=("mfg-min-indicators",),
        ),
        Mut(
            "four-ticked-all-directions",
            "violation",
            _set("selections.js-iif-2022-mfg", ["1", "3", "8", "9"]),
            "三个方向都涉及但只勾选 4 项",
            target="mfg-min-indicators",
            keep=("mfg-directions",),
        ),
        Mut(
            "end-month-equals-application-month",
            "pass",
            _period("2019年9月--2022年5月"),
            "项目建设时间写作“2019年9月--2022年5月”（parse_period 取月末 2022-05-31），申报日期 2022-05-10："
            "规则说明写明“结束月份与申报日期同月视为已建成”",
            target="project-completed",
            also={},
            keep=("basic-info-complete",),
        ),
    ]


def _enterprise_size(employees: int, size_class: str, revenue: str | None = None) -> Edit:
    """从业人员, 营业收入 as written (when given) and the ticked 企业规模."""
    edits = [_set("enterprise.employees", employees)]
    if revenue is not None:
        edits.append(_money("enterprise.revenue", revenue))
    return _seq(*edits, _set("enterprise.size_class", size_class))


def extras_nt(g: Gen) -> list[Mut]:
    disc = ("nt-smart-factory-2022.discrete",)
    proc = ("nt-smart-factory-2022.process",)
    # basic information edited in place, never blanked: its completeness rule keeps its status
    basic_info = partial(Mut, keep=("basic-info-complete",))
    size = partial(basic_info, target="size-class")
    return [
        basic_info(
            "kunshan-address",
            "violation",
            _set("enterprise.registered_address", "江苏省昆山市玉山镇前进西路1号"),
            "昆山市属苏州市，不在南通",
            target="registered-in-nantong",
        ),
        basic_info(
            "county-only-rugao",
            "pass",
            _set("enterprise.registered_address", "如皋市如城街道福寿路99号"),
            "只写县级市如皋（属南通市）",
            target="registered-in-nantong",
        ),
        basic_info(
            "founded-2021-10-01",
            "violation",
            _date("enterprise.founded_date", "2021年10月1日"),
            "2021年10月1日成立，截至 2022-09-30 不满 1 年",
            target="operating-years",
        ),
        basic_info(
            "founded-2021-09-30",
            "pass",
            _date("enterprise.founded_date", "2021.9.30"),
            "2021.9.30 成立，截至 2022-09-30 恰满 1 年",
            target="operating-years",
        ),
        size(
            "medium-with-250-employees",
            "violation",
            _enterprise_size(250, "中型"),
            "勾选中型，但从业人员 250 人（中型须 300 人及以上）：应为小型",
            bases=disc,
        ),
        size(
            "large-revenue-short",
            "violation",
            _enterprise_size(1200, "大型", revenue="3.6亿元"),
            "1200 人但营业收入 3.6亿元（< 40000 万元）：两项下限不全满足，降为中型",
        ),
        size(
            "daxie-revenue-small",
            "violation",
            _enterprise_size(350, "中型", revenue="壹仟玖佰万元"),
            "350 人但营业收入壹仟玖佰万元（< 2000 万元）：应为小型",
        ),
        size(
            "micro-one-condition",
            "pass",
            _enterprise_size(15, "微型", revenue="伍仟万元"),
            "从业人员 15 人（< 20），营业收入 5000 万元：微型满足一项即可",
        ),
        size(
            "small-revenue-below-300",
            "violation",
            _enterprise_size(25, "小型", revenue="2,500,000元"),
            "25 人但营业收入 250 万元（< 300 万元）：应为微型",
        ),
        size(
            "medium-at-lower-bounds",
            "pass",
            _enterprise_size(300, "中型", revenue="0.2亿元"),
            "300 人、0.2亿元（= 2000 万元）：恰为中型下限（“及以上”含本数）",
        ),
        Mut(
            "example-link-name",
            "violation",
            lambda d: d["tables"]["scenarios"][0].update(link="生产制造"),
            "场景表所属环节写作申报书示例中的“生产制造”，不是建设要点的环节",
            target="scenario-link-valid",
            keep=("scenario-table-filled", "scenario-table-limits", "results-quantified"),
        ),
        Mut(
            "process-link-in-discrete",
            "violation",
            lambda d: d["tables"]["link_sections"][0].update(link="营销管理"),
            "离散型工厂把“工艺设计”一段写成流程型才有的“营销管理”环节（工艺设计也就没有描述）",
            target="link-sections-valid",
            bases=disc,
            keep=("link-section-length",),
            also={"links-described": "warn"},
        ),
        Mut(
            "discrete-link-in-process",
            "violation",
            lambda d: d["tables"]["link_sections"][0].update(link="工艺设计"),
            "流程型工厂把“营销管理”一段写成离散型才有的“工艺设计”环节（营销管理也就没有描述）",
            target="link-sections-valid",
            bases=proc,
            keep=("link-section-length",),
            also={"links-described": "warn"},
        ),
        Mut(
            "suffix-duplicate-link",
            "violation",
            lambda d: d["tables"]["link_sections"][7].update(
                link=f"{d['tables']['link_sections'][0]['link']}环节"
            ),
            "第 8 段写成“X环节”，与第 1 段是同一环节：只描述了 7 个环节",
            target="links-described",
            keep=("link-section-length", "link-sections-valid"),
        ),
        Mut(
            "factory-type-flipped",
            "violation",
            _set("factory_type", "流程型"),
            "离散型工厂的申报书勾成流程型：第一环节“工艺设计”不属于流程型 8 个环节",
            target="link-sections-valid",
            bases=disc,
            keep=("basic-info-complete", "factory-type-selected"),
            also={"scenario-link-valid": "pass", "equipment-link-valid": "warn", "links-described": "warn"},
        ),
    ]


def extras_workshop(g: Gen) -> list[Mut]:
    def invalid_counted(d: JSON) -> None:
        rows = d["tables"]["scenarios"]
        for row in rows:
            if row["link"] not in ("计划调度", "生产作业"):
                row["link"] = "总装测试"

    return [
        Mut(
            "invalid-link-not-counted",
            "violation",
            invalid_counted,
            "只有计划调度、生产作业两个有效环节，其余行写“总装测试”（不在 5 个环节中）：有效环节不足 3 个",
            target="links-min",
            also={"scenario-link-valid": "fail"},
            keep=("scenes-min",),
        ),
    ]


def extras_benchmark(g: Gen) -> list[Mut]:
    def dims(d: JSON) -> None:
        for row in d["tables"]["scenarios"]:
            if row["dimension"] == "供应链":
                row["dimension"] = "生产维度"

    return [
        Mut(
            "dimension-suffix-not-a-third",
            "violation",
            dims,
            "供应链维度的行改写为“生产维度”：取值有生产、产品、生产维度三种，实际只有两个维度",
            target="dimensions-all",
            keep=("dimension-valid", "links-min", "scenario-link-valid", "scenes-min"),
        ),
    ]


def extras_platform_revenue(g: Gen) -> list[Mut]:
    return [
        Mut(
            "daxie-exactly-100",
            "violation",
            _money("metrics.platform_software_revenue", "壹佰万元"),
            "平台及软件营业收入“壹佰万元”= 100 万元：原文“超过100万元”，不通过",
            target="revenue-min",
        ),
        Mut(
            "yi-over-100",
            "pass",
            _money("metrics.platform_software_revenue", "0.0186亿元"),
            "0.0186亿元 = 186 万元，超过 100 万元",
            target="revenue-min",
        ),
    ]


# js-gradient-2025: the self-evaluation calculator and the scenario counts.
_GR = "self_eval.indicators"
_SL = "self_eval.scenario_levels"
_BASIC = ("js-gradient-2025.basic",)
_EXCELLENT = ("js-gradient-2025.excellent",)


def _indicator(n: str, value: dict[str, Any]) -> Edit:
    return lambda d: d["self_eval"]["indicators"].__setitem__(n, value)


def _levels(update: Mapping[str, str | None]) -> Edit:
    def edit(d: JSON) -> None:
        lv = d["self_eval"]["scenario_levels"]
        for k, v in update.items():
            if v is None:
                lv.pop(k, None)
            else:
                lv[k] = v

    return edit


def extras_gradient(g: Gen) -> list[Mut]:
    rec = "score-recommends-level"
    # the cases aimed at each rule, with the neighbouring rule they leave unchanged (bases vary)
    score = partial(Mut, target="self-eval-score", keep=(rec,))
    recommend = partial(Mut, target=rec, keep=("self-eval-score",), bases=_EXCELLENT)
    scenes = partial(Mut, target="scene-count", keep=("link-coverage",))
    coverage = partial(Mut, target="link-coverage", keep=("scene-count",))
    return [
        # self-eval-score (basic: 508/800 = 63.5 with indicator 6 不涉及; excellent: 748/900 = 83.11)
        Mut(
            "score-exactly-60",
            "violation",
            _indicator("2", _ind(4, "基本符合", 44)),
            "第2题改为 4 级基本符合 44 分：(508-72+44)/800 = 60.00，原文“高于60分”，不通过；"
            "建议等级也随之没有",
            target="self-eval-score",
            also={rec: "warn"},
            bases=_BASIC,
        ),
        score(
            "no-reweighting-would-fail",
            "pass",
            _indicator("5", {"not_applicable": True}),
            "第5题也选“不涉及此环节”：其余 7 题 452/700 = 64.57（若不重新分配权重按 900 分计则只有 50.2）",
            bases=_BASIC,
        ),
        score(
            "score-outside-fit-band",
            "violation",
            _indicator("3", _ind(5, "比较符合", 75)),
            "第3题 5 级“比较符合”应在 [67,74) 分段，填 75",
            bases=_BASIC,
        ),
        score(
            "score-outside-level-band",
            "violation",
            _indicator("4", _ind(5, None, 80)),
            "第4题 5 级应在 [60,80) 分段，填 80",
            bases=_BASIC,
        ),
        score(
            "not-applicable-not-allowed",
            "violation",
            _indicator("2", {"not_applicable": True}),
            "第2题（生产作业）不允许选择“不涉及此环节”",
            bases=_BASIC,
        ),
        Mut(
            "level-2-zero",
            "violation",
            _indicator("9", _ind(2, "基本符合", 0)),
            "第9题 2 级“基本符合”为 (0-7)，不含 0（总分 663/900 = 73.67 仍高于 60，只有分段错误；"
            "建议等级随之降为先进级）",
            target="self-eval-score",
            also={rec: "warn"},
            bases=_EXCELLENT,
        ),
        score(
            "level-6-score-100",
            "violation",
            _indicator("2", _ind(6, "非常符合", 100)),
            "第2题 6 级“非常符合”为 [94-100)，原文左闭右开，100 不在分段内",
            bases=_EXCELLENT,
        ),
        score(
            "level-6-score-99-5",
            "pass",
            _indicator("2", _ind(6, "非常符合", 99.5)),
            "第2题 6 级“非常符合”99.5 分，在 [94-100) 内",
            bases=_EXCELLENT,
        ),
        Mut(
            "indicator-missing",
            "missing",
            lambda d: d["self_eval"]["indicators"].pop("10"),
            "缺少第10题的等级和分数：无法计算总分",
            target="self-eval-score",
            also={rec: "unknown"},
        ),
        # score-recommends-level
        recommend(
            "score-75-for-excellent",
            "violation",
            _seq(
                *[_indicator(k, _ind(5, "非常符合", 78)) for k in ("1", "2", "3", "4", "5")],
                *[_indicator(k, _ind(5, "比较符合", 72)) for k in ("6", "8", "9", "10")],
            ),
            "得分 (5×78+4×72)/900 = 75.33：建议先进级，申报卓越级高于建议等级",
        ),
        recommend(
            "score-exactly-80-for-excellent",
            "violation",
            _indicator("10", _ind(4, "比较符合", 51)),
            "第10题改为 4 级比较符合 51 分：720/900 = 80.00，原文“高于80”才建议卓越级",
        ),
        # scene-count
        scenes(
            "seven-basic-scenes",
            "violation",
            _levels({"22": None, "29": None, "32": None}),
            "只剩 7 个场景达到基础级（要求 8 个）",
            bases=_BASIC,
        ),
        scenes(
            "slash-level-not-counted",
            "violation",
            _levels({"22": None, "29": None, "32": None, "1": "基础级", "39": "基础级"}),
            "场景 1、39 在基础级印“/”，自评为基础级不计：实际 7 个",
            bases=_BASIC,
        ),
        scenes(
            "exactly-eight",
            "pass",
            _levels({"29": None, "32": None}),
            "恰好 8 个场景达到基础级",
            bases=_BASIC,
        ),
        scenes(
            "nineteen-excellent",
            "violation",
            _levels({"10": "先进级", "11": "先进级", "13": "先进级"}),
            "3 个场景降为先进级，只剩 19 个达到卓越级（要求 20 个）",
            bases=_EXCELLENT,
        ),
        scenes(
            "lower-levels-do-not-count",
            "violation",
            _levels({"10": "基础级", "11": "先进级", "13": "先进级", "20": "先进级", "24": "先进级"}),
            "先进级、基础级的场景不计入卓越级：19 个",
            bases=_EXCELLENT,
        ),
        Mut(
            "no-scenario-levels",
            "missing",
            _set(_SL, {}),
            "场景自评等级未填写",
            target="scene-count",
            also={"link-coverage": "unknown"},
        ),
        # link-coverage
        coverage(
            "no-production-operation",
            "violation",
            _levels(
                {
                    "9": None,
                    "12": None,
                    "14": None,
                    "16": None,
                    "25": "基础级",
                    "26": "基础级",
                    "27": "基础级",
                }
            ),
            "去掉全部映射到生产作业的场景（9、12、14、16），换成营销与售后的 3 个：场景数 9，但未覆盖生产作业",
            bases=_BASIC,
        ),
        coverage(
            "production-only-via-slash-level",
            "violation",
            _levels(
                {
                    "9": None,
                    "12": None,
                    "14": None,
                    "16": None,
                    "11": "基础级",
                    "25": "基础级",
                    "26": "基础级",
                }
            ),
            "生产作业只剩场景 11（工艺动态优化），它在基础级印“/”，自评基础级不计入场景数（8 个），"
            "也不应计入环节覆盖：未覆盖生产作业",
            bases=_BASIC,
        ),
        coverage(
            "no-factory-construction",
            "violation",
            _levels(
                {
                    "1": "先进级",
                    "2": "先进级",
                    "31": "先进级",
                    "33": "先进级",
                    "19": "卓越级",
                    "20": "卓越级",
                    "21": "卓越级",
                    "23": "卓越级",
                    "24": "卓越级",
                }
            ),
            "映射到工厂建设的场景（1、2、31、33）都降为先进级，另补 5 个卓越级场景：23 个，但未覆盖工厂建设",
            bases=_EXCELLENT,
        ),
    ]


def extras_platform_variant(g: Gen) -> list[Mut]:
    """The (离散行业) bases fill both access figures; a discrete platform that states
    no 流程行业 data points must not be asked for them (the rule notes say the
    figure applies to 流程行业 only)."""
    rules = {x.id for x in g.spec.rules}
    na: dict[str, Status] = {r: "n/a" for r in ("industry-data-points-each",) if r in rules}
    paths = ["metrics.process_data_points"] + (["metrics.min_industry_data_points"] if na else [])
    return [
        Mut(
            "discrete-without-data-points",
            "pass",
            _del(*paths),
            "离散行业平台不填流程行业的工艺数据采集点：该条只适用于流程行业，应为 n/a",
            target="data-points",
            status="n/a",
            also=na,
            bases=(g.spec.id,),  # the 离散行业 base; the .process base is 流程行业
        ),
    ]


def extras_platform_industry(g: Gen) -> list[Mut]:
    return [*extras_platform_revenue(g), *extras_platform_variant(g)]


def _no_extras(g: Gen) -> list[Mut]:
    return []


EXTRAS: dict[str, Callable[[Gen], list[Mut]]] = {
    "js-platform-enterprise": extras_platform_variant,
    "js-platform-cross": extras_platform_variant,
    "js-iif-2022": extras_js_iif_2022,
    "nt-smart-factory-2022": extras_nt,
    "js-smart-workshop": extras_workshop,
    "js-benchmark-enterprise": extras_benchmark,
    "js-platform-industry": extras_platform_industry,
    "js-gradient-2025": extras_gradient,
}

# Collateral of generic cases that a programme's shared fields imply, keyed by
# "<rule>/<variant>" (every base of the programme) — explicit, reviewed labels.
COLLATERAL: dict[str, dict[str, tuple[dict[str, Status], tuple[str, ...]]]] = {
    "js-iif-2022": {
        # base ticks 1,2 | 3,4,6 | 8,9 (7 of 10)
        "mfg-directions/group-1-empty": ({}, ("mfg-min-indicators",)),  # 5 left
        "mfg-directions/group-2-empty": ({"mfg-min-indicators": "fail"}, ()),  # 4 left
        "mfg-directions/group-3-empty": ({}, ("mfg-min-indicators",)),  # 5 left
        "mfg-min-indicators/one-below-min": ({"mfg-directions": "fail"}, ()),  # 1,2,3,4: 经营管理 empty
        "mfg-min-indicators/exactly-min": ({"mfg-directions": "fail"}, ()),  # 1,2,3,4,6: 经营管理 empty
        # project end 2021-12-31 and start 2019-09-01 stay inside the windows of 2022-05-20/21
        "application-deadline/one-day-late": ({}, ("project-completed", "investment-window")),
        "application-deadline/same-day": ({}, ("project-completed", "investment-window")),
        "basic-info-complete/blank-project.investment.total": ({"investment-sum": "unknown"}, ()),
    },
    "js-iif": {
        # base ticks every item of js-iif-basic; keeping only 1.1 drops the other aspects
        "aspect-basic/one-below-min": (
            {
                "basic-tech-network": "warn",
                "basic-tech-platform": "warn",
                "basic-tech-emergency-supply": "warn",
                "mfg-directions": "warn",
            },
            (),
        ),
        "aspect-basic/exactly-min": (
            {"basic-tech-platform": "warn", "basic-tech-emergency-supply": "warn", "mfg-directions": "warn"},
            ("basic-tech-network",),
        ),
        "basic-tech-network/one-below-min": ({}, ("aspect-basic",)),
        "basic-tech-platform/one-below-min": ({}, ("aspect-basic",)),
        "basic-tech-emergency-supply/one-below-min": ({}, ("aspect-basic",)),
        "mfg-directions/one-below-min": ({}, ("aspect-basic",)),
    },
}


# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------


def _required_after(rule: Rule, data: JSON) -> Status | None:
    p = rule.check
    if not isinstance(p, s.RequiredFields):
        return None
    return _sev(rule) if any(is_blank(get(data, f)) for f in p.fields) else None


def build_case(g: Gen, rule: Rule, mut: Mut, base_exp: Mapping[str, Status]) -> Case:
    """Apply a mutation and label every rule; refuse undeclared side effects."""
    data = clone(g.base.data)
    mut.edit(data)
    try:
        draft = Draft.model_validate(data)
    except ValueError as e:
        raise GeneratorError(f"{g.base.name}:{rule.id}:{mut.variant}: invalid draft: {e}") from e
    status: Status = mut.status or {"violation": _sev(rule), "missing": "unknown", "pass": "pass"}.get(
        mut.label, "pass"
    )
    extra_also, extra_keep = COLLATERAL.get(g.spec.id, {}).get(f"{rule.id}/{mut.variant}", ({}, ()))
    also = {**extra_also, **mut.also}
    keep = set(mut.keep) | set(extra_keep)
    touched = {x for x in (read_path(p) for p in leaf_paths(g.base.data, data)) if x}
    changed: dict[str, Status] = {rule.id: status}
    undeclared: list[str] = []
    for other in g.spec.rules:
        if other.id == rule.id:
            continue
        if other.id in also:
            changed[other.id] = also[other.id]
            continue
        hit = [t for t in touched if any(_overlaps(t, r) for r in reads(other))]
        if not hit:
            continue
        if (req := _required_after(other, data)) is not None:
            changed[other.id] = req
        elif isinstance(other.check, s.RequiredFields) or other.id in keep:
            continue
        elif other.check.kind in _UNKNOWN_WHEN_BLANK and all(_blank_at(data, t) for t in hit):
            changed[other.id] = "unknown"
        else:
            undeclared.append(f"{other.id} (reads {', '.join(sorted(hit))})")
    name = f"{g.base.name}:{rule.id}:{mut.variant}"
    if undeclared:
        msg = f"{name}: undeclared effect on {'; '.join(undeclared)}"
        if g.errors is None:
            raise GeneratorError(msg)
        g.errors.append(msg)
    expected = dict(base_exp) | changed
    changed = {k: v for k, v in changed.items() if v != base_exp[k] or k == rule.id}
    return Case(
        name=name,
        programme=g.spec.id,
        base=g.base.name,
        target=rule.id,
        label=mut.label,
        expected=expected,
        changed=changed,
        message_contains={rule.id: mut.contains} if mut.contains else {},
        note=mut.note,
        draft=draft,
    )


def _base_case(spec: ProgrammeSpec, base: Base, exp: Mapping[str, Status]) -> Case:
    return Case(
        name=f"{base.name}:base",
        programme=spec.id,
        base=base.name,
        target=None,
        label="base",
        expected=dict(exp),
        changed={},
        message_contains={},
        note=base.draft.source or "",
        draft=base.draft,
    )


def cases_for_base(
    spec: ProgrammeSpec, lists: Mapping[str, CatalogueList], base: Base, errors: list[str] | None = None
) -> list[Case]:
    """The base case, the generic cases of every rule and the programme's extras."""
    g = Gen(spec, lists, base, errors)
    exp = base_expected(spec, base)
    out = [_base_case(spec, base, exp)]
    for rule in spec.rules:
        if exp[rule.id] == "n/a":
            continue
        for mut in GENERATORS[rule.check.kind](g, rule):
            out.append(build_case(g, rule, mut, exp))
    for mut in EXTRAS.get(spec.id, _no_extras)(g):
        if mut.bases is not None and base.name not in mut.bases:
            continue
        assert mut.target is not None
        out.append(build_case(g, spec.rule(mut.target), mut, exp))
    return out


def generate_cases(
    corpus: Corpus | None = None,
    programme: str | None = None,
    bases: Iterable[Base] | None = None,
    errors: list[str] | None = None,
) -> list[Case]:
    """Every labelled case (optionally of one programme), base cases first per base."""
    corpus = corpus or default_corpus()
    out: list[Case] = []
    for base in bases if bases is not None else load_bases():
        if programme is not None and base.programme != programme:
            continue
        spec = corpus.programme(base.programme)
        out.extend(cases_for_base(spec, corpus.lists, base, errors))
    names = [c.name for c in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise GeneratorError(f"duplicate case names: {sorted(dup)}")
    return out
