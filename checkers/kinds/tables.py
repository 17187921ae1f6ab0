"""Rule kinds over free-text sections and form tables: 字数 limits, row counts,
allowed values, quantified results."""

from __future__ import annotations

from typing import Any

from checkers.registry import Context, evidence, is_blank, measure, rule_kind
from core import spec as s
from core.catalogue import CatalogueList
from core.findings import Outcome, missing_evidence
from core.numbers import find_numbers, to_halfwidth
from core.text import measure as count_text


def _table(ctx: Context, table_id: str) -> tuple[str, list[dict[str, str]] | None]:
    spec_table = next(t for t in ctx.spec.tables if t.id == table_id)
    rows = ctx.draft.tables.get(table_id)
    if rows is not None:
        rows = [r for r in rows if any(not is_blank(v) for v in r.values())]
    return spec_table.title, rows


def _col_title(ctx: Context, table_id: str, col: str) -> str:
    t = next(t for t in ctx.spec.tables if t.id == table_id)
    return next((c.title for c in t.columns if c.id == col), col)


def _no_table(title: str, table_id: str) -> Outcome:
    return Outcome(
        "unknown",
        f"申报书中未找到「{title}」表格或表格为空，无法判断。",
        missing_evidence((f"tables.{table_id}", title)),
    )


def _row_loc(ctx: Context, table_id: str, idx: int) -> str | None:
    return ctx.draft.locations.get(f"tables.{table_id}.{idx}")


@rule_kind("char_limit")
def char_limit(p: s.CharLimit, ctx: Context) -> Outcome:
    """A section's 字数 (Word's count) is within the limit."""
    path = f"sections.{p.section}"
    text = ctx.value(path)
    title = ctx.label(path)
    if is_blank(text):
        return Outcome("unknown", f"申报书中未找到「{title}」或内容为空，无法核对字数。", ctx.missing(path))
    c = count_text(str(text))
    ev = evidence(
        measure("zishu", "字数（Word 字数统计）", c.zishu, "字"),
        measure("chars_no_spaces", "字符数（不计空格）", c.chars_no_spaces, "个"),
        measure("limit", "字数上限", p.limit, "字"),
    )
    loc = ctx.location(path)
    if c.zishu > p.limit:
        return Outcome(
            "fail",
            f"{title} {c.zishu} 字，超过 {p.limit} 字上限（字符数 {c.chars_no_spaces}），请删减 {c.zishu - p.limit} 字。",
            ev,
            loc,
        )
    return Outcome("pass", f"{title} {c.zishu} 字，未超过 {p.limit} 字上限。", ev, loc)


@rule_kind("table_char_limits")
def table_char_limits(p: s.TableCharLimits, ctx: Context) -> Outcome:
    """Every cell of the limited columns is within its 字数 limit."""
    title, rows = _table(ctx, p.table)
    if not rows:
        return _no_table(title, p.table)
    over: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=1):
        for col, limit in p.limits.items():
            n = count_text(row.get(col) or "").zishu
            if n > limit:
                over.append({"row": i, "column": _col_title(ctx, p.table, col), "zishu": n, "limit": limit})
    ev = evidence(
        measure("rows", "行数", len(rows), "行"),
        measure(
            "over",
            "超出字数的单元格",
            [f"第 {o['row']} 行「{o['column']}」{o['zishu']} 字（上限 {o['limit']} 字）" for o in over],
        ),
        measure("limits", "各栏字数上限", {_col_title(ctx, p.table, c): n for c, n in p.limits.items()}),
    )
    if over:
        detail = "；".join(
            f"第 {o['row']} 行「{o['column']}」{o['zishu']} 字，超过 {o['limit']} 字" for o in over[:8]
        )
        more = f"（另有 {len(over) - 8} 处）" if len(over) > 8 else ""
        return Outcome(
            "fail",
            f"「{title}」有 {len(over)} 处超出字数限制：{detail}{more}。",
            ev,
            _row_loc(ctx, p.table, int(over[0]["row"])),
        )
    return Outcome("pass", f"「{title}」{len(rows)} 行均未超出各栏字数限制。", ev)


@rule_kind("min_rows")
def min_rows(p: s.MinRows, ctx: Context) -> Outcome:
    """The table has enough (distinct) rows."""
    title, rows = _table(ctx, p.table)
    if rows is None:  # absent: unknown; present but empty: 0 rows, a failure
        return _no_table(title, p.table)
    if p.distinct_column:
        n = len({to_halfwidth(r.get(p.distinct_column) or "").strip() for r in rows} - {""})
    else:
        n = len(rows)
    ev = evidence(measure("count", "项数", n, "项"), measure("min", "要求不少于", p.min, "项"))
    if n >= p.min:
        return Outcome("pass", f"「{title}」共 {n} 项，满足不少于 {p.min} 项。", ev)
    return Outcome("fail", f"「{title}」共 {n} 项，要求不少于 {p.min} 项，还差 {p.min - n} 项。", ev)


@rule_kind("min_distinct_values")
def min_distinct_values(p: s.MinDistinctValues, ctx: Context) -> Outcome:
    """A column takes enough distinct values (e.g. 环节 covered)."""
    title, rows = _table(ctx, p.table)
    if not rows:
        return _no_table(title, p.table)
    raw = [v for r in rows if (v := (r.get(p.column) or "").strip())]
    list_id, problem = _chosen_list(p.list, p.list_by_field, p.list_by, ctx)
    if problem is not None:
        return problem
    if list_id is not None:
        lst = ctx.lists[list_id]
        raw = [m for v in raw if (m := match_item(lst, v)) is not None]  # a value naming no item is no 环节
    values = list(dict.fromkeys(raw))
    col = _col_title(ctx, p.table, p.column)
    ev = evidence(
        measure("values", col, values),
        measure("count", "覆盖数", len(values), "个"),
        measure("min", "要求不少于", p.min, "个"),
    )
    if len(values) >= p.min:
        return Outcome("pass", f"「{title}」的{col}覆盖 {len(values)} 个，满足不少于 {p.min} 个。", ev)
    return Outcome(
        "fail",
        f"「{title}」的{col}仅覆盖 {len(values)} 个（{'、'.join(values)}），要求不少于 {p.min} 个。",
        ev,
    )


def _chosen_list(
    fixed: str | None, by_field: str | None, by: dict[str, str] | None, ctx: Context
) -> tuple[str | None, Outcome | None]:
    """The catalogue list a rule uses: ``fixed``, or the one ``by`` maps the
    draft's ``by_field`` value to (an ``unknown`` outcome when that is empty or
    not one of the choices)."""
    if by is None or by_field is None:  # the params models require list_by_field with list_by
        return fixed, None
    key = ctx.value(by_field)
    if is_blank(key):
        return None, Outcome(
            "unknown",
            f"未填写「{ctx.label(by_field)}」，无法确定按哪一类环节核对。",
            ctx.missing(by_field),
        )
    chosen = by.get(str(key))
    if chosen is None:
        return None, Outcome(
            "unknown", f"「{key}」不是可选的类型（{'、'.join(by)}）。", evidence(ctx.measure(by_field, key))
        )
    return chosen, None


def _norm(s_: str) -> str:
    return "".join(to_halfwidth(s_).split()).strip("。.；;")


def match_item(lst: CatalogueList, value: str) -> str | None:
    """The name of the list item a cell names: exact (id or name, whitespace and
    width folded), else the one item whose name contains the value or is contained
    in it (计划调度环节 → 计划调度). None when nothing or several match."""
    v = _norm(value)
    for i in lst.items:
        if v in (_norm(i.name), _norm(i.id)):
            return i.name
    hits = [
        i.name for i in lst.items if len(_norm(i.name)) > 1 and (_norm(i.name) in v or v in _norm(i.name))
    ]
    return hits[0] if len(set(hits)) == 1 else None


@rule_kind("table_values_allowed")
def table_values_allowed(p: s.TableValuesAllowed, ctx: Context) -> Outcome:
    """Each cell of the column names an item of the allowed list."""
    title, rows = _table(ctx, p.table)
    if not rows:
        return _no_table(title, p.table)
    list_id, problem = _chosen_list(p.list, p.list_by_field, p.list_by, ctx)
    if problem is not None:
        return problem
    assert list_id is not None
    lst = ctx.lists[list_id]
    bad = []
    for i, row in enumerate(rows, start=1):
        v = (row.get(p.column) or "").strip()
        if v and match_item(lst, v) is None:
            bad.append((i, v))
    col = _col_title(ctx, p.table, p.column)
    ev = evidence(
        measure("list", "核对依据", lst.title),
        measure("invalid", "不在范围内的取值", [f"第 {r} 行「{v}」" for r, v in bad]),
        measure("allowed", "可选", [i.name for i in lst.items]),
    )
    if bad:
        detail = "；".join(f"第 {r} 行「{v}」" for r, v in bad)
        return Outcome(
            "fail",
            f"「{title}」的{col}不在「{lst.title}」中：{detail}。可选：{'、'.join(i.name for i in lst.items)}。",
            ev,
            _row_loc(ctx, p.table, bad[0][0]),
        )
    return Outcome("pass", f"「{title}」的{col}均属于「{lst.title}」。", ev)


@rule_kind("table_quantified")
def table_quantified(p: s.TableQuantified, ctx: Context) -> Outcome:
    """Each non-empty cell of the column states a number."""
    title, rows = _table(ctx, p.table)
    if not rows:
        return _no_table(title, p.table)
    col = _col_title(ctx, p.table, p.column)
    empty, vague = [], []
    for i, row in enumerate(rows, start=1):
        text = row.get(p.column) or ""
        if is_blank(text):
            empty.append(i)
        elif not find_numbers(text):
            vague.append(i)
    ev = evidence(
        measure("rows_without_numbers", "未给出量化数据的行", vague),
        measure("empty_rows", "未填写的行", empty),
    )
    if vague or empty:
        parts = []
        if vague:
            parts.append(f"第 {'、'.join(map(str, vague))} 行未给出量化数据")
        if empty:
            parts.append(f"第 {'、'.join(map(str, empty))} 行未填写")
        return Outcome(
            "fail",
            f"「{title}」的{col}：{'；'.join(parts)}。请写明可核实的数字（如效率提升xx%、成本降低xx万元）。",
            ev,
            _row_loc(ctx, p.table, (vague or empty)[0]),
        )
    return Outcome("pass", f"「{title}」{len(rows)} 行的{col}均有量化数据。", ev)
