"""Generators of the text and table kinds (mirrors ``checkers/kinds/tables.py``):
字数 limits, row counts, distinct values, allowed values and quantified cells."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut, missing, set_, siblings
from eval.checkers.generators.registry import generator
from eval.checkers.mutate import cjk, quantified


def _rows(g: Gen, table: str) -> list[dict[str, str]]:
    return [dict(r) for r in g.v(f"tables.{table}") or []]


@generator("min_rows")
def g_min_rows(g: Gen, r: Rule) -> list[Mut]:
    """Distinct names one below and exactly at the minimum, or an empty table."""
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
                set_(path, dup),
                f"{len(rows)} 行但只有 {p.min - 1} 个不同的场景名称",
            )
        )
        exact_names = set(names[: p.min])
        exact = [dict(row, **{col: names[0]}) if row[col] not in exact_names else row for row in rows]
        muts.append(Mut("exactly-min-distinct", "pass", set_(path, exact), f"恰好 {p.min} 个不同的场景名称"))
    else:
        muts.append(Mut("empty-table", "violation", set_(path, []), "表格存在但未填写任何一行"))
    muts.append(missing(path))
    return muts


@generator("min_distinct_values")
def g_min_distinct_values(g: Gen, r: Rule) -> list[Mut]:
    """Distinct values one below and exactly at the minimum; suffix spellings count once."""
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
    keep = siblings(g, r, (s.TableValuesAllowed,), p.table, col)
    muts = [
        Mut(
            "one-below-min",
            "violation",
            set_(path, fewer),
            f"「{col}」只有 {p.min - 1} 个不同取值",
            keep=keep,
        ),
        Mut("exactly-min", "pass", set_(path, exact), f"「{col}」恰有 {p.min} 个不同取值", keep=keep),
    ]
    if p.list is not None:
        # the same 环节 written with and without the suffix “环节” counts once
        first = values[0]
        variant = [dict(row, **{col: f"{first}环节"}) if row[col] not in kept else row for row in rows]
        muts.append(
            Mut(
                "suffix-variant-counts-once",
                "violation",
                set_(path, variant),
                f"「{first}」与「{first}环节」是同一环节，只有 {p.min - 1} 个不同环节",
                keep=keep,
            )
        )
    muts.append(missing(path))
    return muts


@generator("char_limit")
def g_char_limit(g: Gen, r: Rule) -> list[Mut]:
    """One 字 over the limit and exactly the limit."""
    p = r.check
    assert isinstance(p, s.CharLimit)
    path = f"sections.{p.section}"
    return [
        Mut(
            "one-over-limit",
            "violation",
            set_(path, cjk(p.limit + 1)),
            f"{p.limit + 1} 个汉字（限 {p.limit} 字）",
        ),
        Mut("exactly-limit", "pass", set_(path, cjk(p.limit)), f"恰好 {p.limit} 个汉字"),
        missing(path),
    ]


def _quantified_columns(g: Gen, table: str) -> set[str]:
    return {
        x.check.column
        for x in g.spec.rules
        if isinstance(x.check, s.TableQuantified) and x.check.table == table
    }


@generator("table_char_limits")
def g_table_char_limits(g: Gen, r: Rule) -> list[Mut]:
    """A cell of each limited column one 字 over and exactly at its limit."""
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
        keep = siblings(g, r, (s.TableQuantified,), p.table, col)  # the long text states a number
        muts.append(
            Mut(
                f"{col}-one-over",
                "violation",
                set_(path, over),
                f"第 1 行「{col}」{limit + 1} 字（限 {limit}）",
                keep=keep,
            )
        )
        muts.append(
            Mut(f"{col}-exactly-limit", "pass", set_(path, exact), f"末行「{col}」恰好 {limit} 字", keep=keep)
        )
    muts.append(missing(path))
    return muts


def _dup_row_index(rows: list[dict[str, str]], col: str) -> int:
    """The last row whose value in ``col`` also occurs in another row (editing it
    keeps the set of values the other rows cover)."""
    for i in range(len(rows) - 1, -1, -1):
        if sum(1 for r in rows if r.get(col) == rows[i].get(col)) > 1:
            return i
    return len(rows) - 1


@generator("table_values_allowed")
def g_table_values_allowed(g: Gen, r: Rule) -> list[Mut]:
    """A value outside the catalogue; the suffix and spaces of a valid one still pass."""
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
    keep = siblings(g, r, (s.MinDistinctValues,), p.table, p.column)
    # an appended row copies a compliant row: limits, counts and numbers of the table keep their status
    bad_keep = (
        keep
        if bad_row < len(rows)
        else siblings(g, r, (s.MinDistinctValues, s.TableCharLimits, s.MinRows, s.TableQuantified), p.table)
    )
    return [
        Mut(
            "invalid-value",
            "violation",
            set_(path, bad),
            f"第 {bad_row + 1} 行「{p.column}」填「{bad_value}」，不在目录中",
            keep=bad_keep,
        ),
        Mut(
            "suffix-and-spaces",
            "pass",
            set_(path, spaced),
            f"第 {i + 1} 行写成「{spaced[i][p.column]}」，仍是同一项",
            keep=keep,
        ),
        missing(path),
    ]


@generator("table_quantified")
def g_table_quantified(g: Gen, r: Rule) -> list[Mut]:
    """A cell without a number, an empty cell; Chinese numerals still count."""
    p = r.check
    assert isinstance(p, s.TableQuantified)
    rows = _rows(g, p.table)
    path = f"tables.{p.table}"
    vague = [dict(rows[0], **{p.column: "生产效率和产品质量显著提升，运营成本明显下降。"}), *rows[1:]]
    empty = [*rows[:-1], dict(rows[-1], **{p.column: ""})]
    chinese = [dict(rows[0], **{p.column: "生产效率提高两倍，检验人员减少五人。"}), *rows[1:]]
    keep = siblings(g, r, (s.TableCharLimits,), p.table, p.column)  # short texts, within any limit
    return [
        Mut("no-number", "violation", set_(path, vague), "第 1 行实施成果没有任何数字", keep=keep),
        Mut("empty-cell", "violation", set_(path, empty), "末行实施成果未填写", keep=keep),
        Mut(
            "chinese-numerals", "pass", set_(path, chinese), "用中文数字量化（两倍、五人）也是量化", keep=keep
        ),
        missing(path),
    ]
