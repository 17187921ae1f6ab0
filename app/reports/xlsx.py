"""The .xlsx report for batches (a single draft gives a one-row matrix).

Sheets: 矩阵 (a row per draft, a column per rule id, cells = status label
with its fill colour, frozen header and file column, an 错误 column), 按规则汇总
(per rule: counts per status), 按申报书汇总 (per draft: verdict, counts, error).
Strings from drafts are always written as text, never as formulas, with
control and bidi characters (which Excel refuses or which reorder the text)
and what UTF-8 cannot encode shown as escapes (:func:`app.safe_text.visible`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.checking import BatchResult, Entry, FileError, Report
from app.reports.atomic import atomic_path
from app.reports.common import (
    ERROR_COLOUR,
    SEVERITY_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_ORDER,
    flag_row,
    verdict,
)
from app.safe_text import visible

MATRIX_SHEET = "矩阵"
RULES_SHEET = "按规则汇总"
DRAFTS_SHEET = "按申报书汇总"
EVIDENCE_SHEET = "证据审阅"
_VERDICT_COLOURS = {
    "不通过": STATUS_COLOURS["fail"],
    "待补充": STATUS_COLOURS["unknown"],
    "通过": STATUS_COLOURS["pass"],
}
_BOLD = Font(bold=True)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _put(ws: Worksheet, row: int, col: int, value: Any, fill: str | None = None) -> Cell:
    """Write a cell; strings stay text even when they start with ``=``, and
    characters a workbook cannot hold are shown as escapes."""
    if isinstance(value, str):
        value = visible(value)
    cell: Cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if fill:
        cell.fill = _fill(fill)
    return cell


def _header(ws: Worksheet, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        _put(ws, 1, col, title).font = _BOLD
    ws.freeze_panes = "B2"


def _widths(ws: Worksheet, widths: Mapping[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _rule_ids(result: BatchResult) -> list[tuple[str, str, str]]:
    """(finding id, title, severity) for every rule of the programme, in spec order."""
    spec = result.spec
    return [(f"{spec.id}:{r.id}", r.title, r.severity) for r in spec.rules]


def _file_and_verdict(ws: Worksheet, row: int, entry: Entry, err_col: int) -> Report | None:
    """Write an entry's file (column 1) and verdict (column 2). A file that could
    not be checked gets 无法检查 and its error (in ``err_col``) instead: ``None``."""
    _put(ws, row, 1, entry.file)
    if isinstance(entry, FileError):
        _put(ws, row, 2, "无法检查", ERROR_COLOUR)
        _put(ws, row, err_col, entry.error, ERROR_COLOUR)
        return None
    v = verdict(entry.findings)
    _put(ws, row, 2, v, _VERDICT_COLOURS[v])
    return entry


def _matrix(ws: Worksheet, result: BatchResult, rules: list[tuple[str, str, str]]) -> None:
    ids = [rid for rid, _, _ in rules]
    _header(ws, ["文件", "结论", *ids, "错误"])
    for col in range(3, 3 + len(ids)):
        ws.cell(row=1, column=col).alignment = Alignment(text_rotation=90, horizontal="center")
    ws.row_dimensions[1].height = 200
    err_col = 3 + len(ids)
    for row, entry in enumerate(result.entries, start=2):
        report = _file_and_verdict(ws, row, entry, err_col)
        if report is None:
            continue
        by_id = {f.id: f for f in report.findings}
        for col, rid in enumerate(ids, start=3):
            f = by_id.get(rid)
            if f is not None:
                _put(ws, row, col, STATUS_LABELS[f.status], STATUS_COLOURS[f.status])
    _widths(ws, {1: 40, 2: 10, err_col: 60} | {c: 6 for c in range(3, err_col)})
    ws.auto_filter.ref = f"A1:{get_column_letter(err_col)}{max(1, len(result.entries) + 1)}"


def _rule_summary(ws: Worksheet, reports: list[Report], rules: list[tuple[str, str, str]]) -> None:
    _header(ws, ["规则 id", "规则", "要求", *(STATUS_LABELS[s] for s in STATUS_ORDER)])
    counts = Counter((f.id, f.status) for r in reports for f in r.findings)
    for row, (rid, title, severity) in enumerate(rules, start=2):
        _put(ws, row, 1, rid)
        _put(ws, row, 2, title)
        _put(ws, row, 3, SEVERITY_LABELS[severity])
        for col, s in enumerate(STATUS_ORDER, start=4):
            n = counts[rid, s]
            _put(ws, row, col, n, STATUS_COLOURS[s] if n and s in ("fail", "warn") else None)
    _widths(ws, {1: 44, 2: 60, 3: 10})


def _draft_summary(ws: Worksheet, result: BatchResult) -> None:
    _header(ws, ["文件", "结论", *(STATUS_LABELS[s] for s in STATUS_ORDER), "错误"])
    err_col = 3 + len(STATUS_ORDER)
    for row, entry in enumerate(result.entries, start=2):
        report = _file_and_verdict(ws, row, entry, err_col)
        if report is None:
            continue
        for col, s in enumerate(STATUS_ORDER, start=3):
            _put(ws, row, col, report.summary.get(s, 0))
    _widths(ws, {1: 40, 2: 10, err_col: 60})


_FLAG_COLOURS = {
    "supported": STATUS_COLOURS["pass"],
    "partial": STATUS_COLOURS["warn"],
    "missing": STATUS_COLOURS["fail"],
}


def _evidence(ws: Worksheet, reports: list[Report]) -> None:
    """One row per claim of every draft: what it claims, the verdict, what is missing, where, the quotes."""
    heads = ["文件", "申报内容", "结论", "缺少", "位置", "说明", "引文", "政策依据"]
    _header(ws, heads)
    row = 2
    for report in reports:
        for flag in report.evidence:
            cells = flag_row(flag)
            source = (
                f"《{flag.citation.doc_title or flag.citation.doc}》{flag.citation.clause}"
                if flag.citation
                else ""
            )
            values = [report.file, *cells.values(), "\n".join(flag.quotes), source]
            for col, value in enumerate(values, start=1):
                _put(ws, row, col, value, _FLAG_COLOURS[flag.verdict] if col == 3 else None)
            row += 1
    _widths(ws, {1: 36, 2: 30, 3: 10, 4: 24, 5: 24, 6: 30, 7: 60, 8: 50})


def write_xlsx(result: BatchResult, out: Path) -> None:
    """Write the matrix and both summaries of ``result`` to ``out`` (a
    temporary file renamed into place: ``out`` is the whole workbook or
    untouched, never a partial one)."""
    rules = _rule_ids(result)
    wb = Workbook()
    matrix = wb.active
    assert matrix is not None  # a new workbook always has one sheet
    matrix.title = MATRIX_SHEET
    _matrix(matrix, result, rules)
    _rule_summary(wb.create_sheet(RULES_SHEET), result.reports, rules)
    _draft_summary(wb.create_sheet(DRAFTS_SHEET), result)
    _evidence(wb.create_sheet(EVIDENCE_SHEET), result.reports)
    wb.properties.title = f"{result.spec.title} 批量检查"
    with atomic_path(out) as tmp:
        wb.save(tmp)
