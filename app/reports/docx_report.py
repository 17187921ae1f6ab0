"""The Word report (``shenbao check -f docx``): the Chinese report as a .docx
a consultant can forward — title, verdict, a summary table of counts per
status, the findings grouped by status (fails first, as in the HTML and
Markdown reports), each with its requirement, message, location, evidence
and the policy clause quoted, then the evidence review; and for a batch an
index document with one row per draft. Text from drafts is made safe for
XML (control characters become escapes) before it is written."""

from __future__ import annotations

import io
from typing import Any

from app.checking import BatchResult, Entry, FileError, Report
from app.reports.common import (
    SEVERITY_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_ORDER,
    citation_text,
    evidence_note,
    evidence_rows,
    evidence_summary,
    flag_row,
    grouped,
    verdict,
)
from app.safe_text import visible

QUOTE_STYLE = "Intense Quote"
"""The paragraph style of a quoted clause (in python-docx's default template)."""


def _t(text: object) -> str:
    """Text safe for a .docx (no control or bidi characters)."""
    return visible(str(text))


def _document(title: str) -> Any:
    import docx

    doc = docx.Document()
    doc.core_properties.title = _t(title)
    doc.core_properties.author = "shenbao"
    doc.core_properties.comments = "shenbao 申报书检查报告"
    return doc


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(
    doc: Any, header: list[str], rows: list[list[str]], colours: list[str | None] | None = None
) -> Any:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for i, h in enumerate(header):
        cell = table.cell(0, i)
        cell.text = _t(h)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            table.cell(r, i).text = _t(value)
        colour = colours[r - 1] if colours else None
        if colour:
            for i in range(len(row)):
                _shade(table.cell(r, i), colour)
    return table


def _labelled(doc: Any, label: str, text: str, style: str | None = None) -> None:
    p = doc.add_paragraph(style=style)
    p.add_run(f"{label}：").bold = True
    p.add_run(_t(text))


def _summary(doc: Any, report: Report) -> None:
    doc.add_heading("检查结果统计", level=1)
    rows = [[STATUS_LABELS[s], str(report.summary.get(s, 0))] for s in STATUS_ORDER]
    rows.append(["合计", str(sum(report.summary.get(s, 0) for s in STATUS_ORDER))])
    colours: list[str | None] = [STATUS_COLOURS[s] for s in STATUS_ORDER] + [None]
    _table(doc, ["状态", "条数"], rows, colours)


def _finding(doc: Any, f: Any) -> None:
    doc.add_heading(_t(f"{f.title}（{f.id}）"), level=3)
    _labelled(doc, "要求", SEVERITY_LABELS[f.severity])
    _labelled(doc, "说明", f.message)
    if f.location:
        _labelled(doc, "位置", f.location)
    rows = evidence_rows(f.evidence) if f.evidence else []
    if rows:
        doc.add_paragraph().add_run("依据数据：").bold = True
        for k, v in rows:
            doc.add_paragraph(_t(f"{k}：{v}"), style="List Bullet")
    _labelled(doc, "政策依据", citation_text(f))
    doc.add_paragraph(_t(f.citation.quote), style=QUOTE_STYLE)


def _evidence(doc: Any, report: Report) -> None:
    if not report.evidence:
        return
    doc.add_heading(f"证据审阅（{len(report.evidence)} 项申报内容）", level=1)
    doc.add_paragraph(evidence_note(report.evidence))
    doc.add_paragraph(evidence_summary(report.evidence))
    heads = list(flag_row(report.evidence[0]))
    _table(doc, heads, [list(flag_row(f).values()) for f in report.evidence])


def _entry_document(entry: Entry, programme_title: str | None) -> Any:
    doc = _document(f"申报书检查报告：{entry.file}")
    doc.add_heading(_t(f"申报书检查报告：{entry.file}"), level=0)
    _labelled(doc, "申报项目", f"{programme_title or entry.programme}（{entry.programme}）")
    if isinstance(entry, FileError):
        _labelled(doc, "结论", "无法检查")
        doc.add_paragraph(_t(entry.error))
        return doc
    _labelled(doc, "结论", verdict(entry.findings))
    _summary(doc, entry)
    for note in entry.notes:
        _labelled(doc, "读取说明", note)
    for status, findings in grouped(entry.findings):
        doc.add_heading(f"{STATUS_LABELS[status]}（{len(findings)}）", level=1)
        for f in findings:
            _finding(doc, f)
    _evidence(doc, entry)
    return doc


def _bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_docx(entry: Entry, programme_title: str | None = None) -> bytes:
    """One draft's report as the bytes of a .docx."""
    return _bytes(_entry_document(entry, programme_title))


def render_docx_index(result: BatchResult, names: dict[str, str] | None = None) -> bytes:
    """A batch overview as a .docx: one table row per draft (with the file
    name of its report when ``names`` gives one)."""
    names = names or {}
    spec = result.spec
    doc = _document(f"批量检查：{spec.title}")
    doc.add_heading(_t(f"批量检查：{spec.title}（{spec.id}）"), level=0)
    doc.add_paragraph(
        f"共 {len(result.entries)} 份申报书：已检查 {len(result.reports)} 份，"
        f"无法检查 {len(result.errors)} 份，"
        f"存在不通过的必备条件 {sum(r.has_error for r in result.reports)} 份。"
    )
    header = ["文件", "结论", *(STATUS_LABELS[s] for s in STATUS_ORDER), "报告文件"]
    rows: list[list[str]] = []
    for e in result.entries:
        if isinstance(e, FileError):
            cells = ["无法检查：" + e.error] + [""] * len(STATUS_ORDER)
        else:
            cells = [verdict(e.findings)] + [str(e.summary.get(s, 0)) for s in STATUS_ORDER]
        rows.append([e.file, *cells, names.get(e.file, "")])
    _table(doc, header, rows)
    return _bytes(doc)


def docx_as_text(data: bytes) -> str:
    """A .docx as text, for snapshots and tests: every body paragraph as
    ``[style] text`` and every table row as cells joined by `` | ``."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(f"[{block.style.name if block.style is not None else ''}] {block.text}")
        elif isinstance(block, Table):
            lines += ["| " + " | ".join(c.text for c in row.cells) + " |" for row in block.rows]
    return "\n".join(lines) + "\n"
