"""The Markdown report. Text from the draft is escaped so that it cannot add
links, HTML or table cells when the Markdown is rendered, nor act on a
terminal when the report is printed (control and bidi characters are shown
as escapes, see :func:`app.safe_text.visible`)."""

from __future__ import annotations

import re

from app.checking import BatchResult, Entry, FileError, Report
from app.reports.common import (
    SEVERITY_LABELS,
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

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_NEWLINES = re.compile(r"\s*\n\s*")


def md_escape(text: str) -> str:
    """Text safe inside Markdown (one line; markup characters backslash-escaped;
    control and bidi characters shown as escapes)."""
    return _SPECIAL.sub(r"\\\1", visible(_NEWLINES.sub(" ", text)))


def _summary_line(report: Report) -> str:
    return "，".join(f"{STATUS_LABELS[s]} {report.summary.get(s, 0)}" for s in STATUS_ORDER)


def render_markdown(entry: Entry, programme_title: str | None = None) -> str:
    """One draft's report: summary, then findings grouped by status, fails first."""
    lines = [f"# 申报书检查报告：{md_escape(entry.file)}", ""]
    lines.append(f"- 申报项目：{md_escape(programme_title or entry.programme)}（{entry.programme}）")
    if isinstance(entry, FileError):
        lines += ["- 结论：**无法检查**", "", f"> {md_escape(entry.error)}", ""]
        return "\n".join(lines)
    lines += [f"- 结论：**{verdict(entry.findings)}**", f"- 统计：{_summary_line(entry)}", ""]
    if entry.notes:
        lines += ["读取说明：", ""] + [f"- {md_escape(n)}" for n in entry.notes] + [""]
    for status, findings in grouped(entry.findings):
        lines += [f"## {STATUS_LABELS[status]}（{len(findings)}）", ""]
        for f in findings:
            lines.append(f"### {md_escape(f.title)} `{f.id}`")
            lines.append("")
            lines.append(f"- 要求：{SEVERITY_LABELS[f.severity]}")
            lines.append(f"- 说明：{md_escape(f.message)}")
            if f.location:
                lines.append(f"- 位置：{md_escape(f.location)}")
            if f.evidence:
                lines.append("- 依据数据：")
                lines += [f"  - {md_escape(k)}：{md_escape(v)}" for k, v in evidence_rows(f.evidence)]
            lines.append(f"- 政策依据：{md_escape(citation_text(f))}")
            lines += ["", f"> {md_escape(f.citation.quote)}", ""]
    if entry.evidence:
        lines += [f"## 证据审阅（{len(entry.evidence)} 项申报内容）", "", evidence_note(entry.evidence), ""]
        lines += [f"- {evidence_summary(entry.evidence)}", ""]
        heads = list(flag_row(entry.evidence[0]))
        lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += [
            "| " + " | ".join(md_escape(v) for v in flag_row(f).values()) + " |" for f in entry.evidence
        ]
        lines.append("")
    return "\n".join(lines)


def render_markdown_index(result: BatchResult, links: dict[str, str] | None = None) -> str:
    """A batch overview: one table row per draft, linking to its report when
    ``links`` (file → relative report path) is given."""
    links = links or {}
    spec = result.spec
    lines = [
        f"# 批量检查：{md_escape(spec.title)}（{spec.id}）",
        "",
        f"共 {len(result.entries)} 份申报书：已检查 {len(result.reports)} 份，"
        f"无法检查 {len(result.errors)} 份，"
        f"存在不通过的必备条件 {sum(r.has_error for r in result.reports)} 份。",
        "",
        "| 文件 | 结论 | " + " | ".join(STATUS_LABELS[s] for s in STATUS_ORDER) + " |",
        "|---|---|" + "---:|" * len(STATUS_ORDER),
    ]
    for e in result.entries:
        name = md_escape(e.file)
        if e.file in links:
            name = f"[{name}](<{links[e.file]}>)"
        if isinstance(e, FileError):
            cells = ["无法检查：" + md_escape(e.error)] + [""] * len(STATUS_ORDER)
        else:
            cells = [verdict(e.findings)] + [str(e.summary.get(s, 0)) for s in STATUS_ORDER]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_markdown_batch(result: BatchResult) -> str:
    """A whole batch in one document: the index, then every draft's report."""
    parts = [render_markdown_index(result)]
    parts += [render_markdown(e, result.spec.title) for e in result.entries]
    return "\n\n---\n\n".join(parts)
