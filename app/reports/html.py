"""The HTML report: one self-contained page (inline CSS, no scripts, no
external assets). Drafts are untrusted, so every string that reaches the page
goes through :func:`esc` (which also shows control and bidi characters as
escapes), and a Content-Security-Policy forbids scripts and remote loads even
if something slipped through."""

from __future__ import annotations

from html import escape

from app.checking import BatchResult, Entry, FileError
from app.reports.common import (
    ERROR_COLOUR,
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
from core.findings import Finding

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_VERDICT_STATUS = {"不通过": "fail", "待补充": "unknown", "通过": "pass"}

_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;
 background:#fafafa;color:#222;line-height:1.6}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:1.5em;margin:0 0 4px} h2{font-size:1.2em;margin:28px 0 8px}
h3{font-size:1em;margin:0 0 6px} code{font-size:.85em;color:#555}
.meta{color:#555;margin:2px 0}
.verdict{display:inline-block;padding:4px 14px;border-radius:4px;font-weight:bold;margin:10px 0}
.counts{display:flex;gap:8px;flex-wrap:wrap;list-style:none;padding:0;margin:8px 0 0}
.counts li{padding:4px 12px;border-radius:4px}
.finding{background:#fff;border:1px solid #ddd;border-left-width:6px;border-radius:4px;
 padding:12px 16px;margin:10px 0}
.badge{display:inline-block;padding:0 8px;border-radius:3px;font-size:.85em;margin-right:6px}
.sev{font-size:.8em;color:#666;margin-left:6px}
.msg{margin:4px 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dt{color:#666} dd{margin:0}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;
 vertical-align:top}
blockquote{margin:8px 0 0;padding:6px 12px;background:#f6f6f6;border-left:3px solid #bbb}
blockquote footer{color:#666;font-size:.85em;margin-top:4px}
.error{background:#fff;border:1px solid #ddd;border-left:6px solid;padding:12px 16px}
summary{cursor:pointer}
"""
_CSS += f".error{{border-left-color:#{ERROR_COLOUR}}}.s-error{{background:#{ERROR_COLOUR}}}"
_CSS += "".join(
    f".s-{s.replace('/', '')} .badge,.counts .s-{s.replace('/', '')},.verdict.s-{s.replace('/', '')}"
    f"{{background:#{c}}}.finding.s-{s.replace('/', '')}{{border-left-color:#{c}}}"
    for s, c in STATUS_COLOURS.items()
)


def esc(text: object) -> str:
    """HTML-escaped text (quotes included, so it is safe in attributes too);
    control, zero-width and bidi characters are shown as escapes."""
    return escape(visible(str(text)), quote=True)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def _cls(status: str) -> str:
    return "s-" + status.replace("/", "")


def _finding(f: Finding) -> str:
    rows = []
    if f.location:
        rows.append(f"<dt>位置</dt><dd>{esc(f.location)}</dd>")
    if f.evidence:
        cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in evidence_rows(f.evidence))
        rows.append(f"<dt>依据数据</dt><dd><table>{cells}</table></dd>")
    details = f"<dl>{''.join(rows)}</dl>" if rows else ""
    return (
        f'<article class="finding {_cls(f.status)}">'
        f'<h3><span class="badge">{esc(STATUS_LABELS[f.status])}</span>{esc(f.title)} '
        f'<code>{esc(f.id)}</code><span class="sev">{esc(SEVERITY_LABELS[f.severity])}</span></h3>'
        f'<p class="msg">{esc(f.message)}</p>{details}'
        f"<blockquote><p>{esc(f.citation.quote)}</p><footer>{esc(citation_text(f))}</footer></blockquote>"
        "</article>"
    )


def render_html(entry: Entry, programme_title: str | None = None) -> str:
    """One draft's report page: verdict, counts, findings grouped by status
    (fail first; passes folded), each with message, evidence, location and
    the clause quoted with its document title."""
    head = (
        f'<h1>申报书检查报告</h1><p class="meta">文件：{esc(entry.file)}</p>'
        f'<p class="meta">申报项目：{esc(programme_title or entry.programme)}（{esc(entry.programme)}）</p>'
    )
    if isinstance(entry, FileError):
        body = head + f'<div class="error"><h2>无法检查</h2><p>{esc(entry.error)}</p></div>'
        return _page(f"无法检查：{entry.file}", body)
    v = verdict(entry.findings)
    counts = "".join(
        f'<li class="{_cls(s)}">{esc(STATUS_LABELS[s])} <b>{entry.summary.get(s, 0)}</b></li>'
        for s in STATUS_ORDER
    )
    parts = [
        head,
        f'<div class="verdict {_cls(_VERDICT_STATUS[v])}">{esc(v)}</div>',
        f'<ul class="counts">{counts}</ul>',
    ]
    if entry.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in entry.notes)
        parts.append(f'<div class="notes"><p>读取说明：</p><ul>{notes}</ul></div>')
    for status, findings in grouped(entry.findings):
        title = f"{esc(STATUS_LABELS[status])}（{len(findings)}）"
        items = "".join(_finding(f) for f in findings)
        if status in ("pass", "n/a"):
            parts.append(
                f'<details><summary><h2 style="display:inline">{title}</h2></summary>{items}</details>'
            )
        else:
            parts.append(f'<section class="{_cls(status)}"><h2>{title}</h2>{items}</section>')
    if entry.evidence:
        heads = "".join(f"<th>{esc(h)}</th>" for h in flag_row(entry.evidence[0]))
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in flag_row(f).values()) + "</tr>"
            for f in entry.evidence
        )
        parts.append(
            f'<section class="evidence"><h2>证据审阅（{len(entry.evidence)} 项申报内容）</h2>'
            f"<p>{esc(evidence_note(entry.evidence))}</p><p>{esc(evidence_summary(entry.evidence))}</p>"
            f"<table><tr>{heads}</tr>{rows}</table></section>"
        )
    return _page(f"检查报告：{entry.file}", "\n".join(parts))


def render_html_index(result: BatchResult, links: dict[str, str] | None = None) -> str:
    """The batch index page: a row per draft with verdict, counts or error,
    linking to each draft's page when ``links`` (file → relative path) is given."""
    links = links or {}
    spec = result.spec
    head_cells = "".join(f"<th>{esc(STATUS_LABELS[s])}</th>" for s in STATUS_ORDER)
    rows = []
    for e in result.entries:
        name = esc(e.file)
        if e.file in links:
            name = f'<a href="{esc(links[e.file])}">{name}</a>'
        if isinstance(e, FileError):
            rows.append(
                f'<tr><td>{name}</td><td class="s-error">无法检查</td>'
                f'<td colspan="{len(STATUS_ORDER)}">{esc(e.error)}</td></tr>'
            )
            continue
        v = verdict(e.findings)
        counts = "".join(f"<td>{e.summary.get(s, 0)}</td>" for s in STATUS_ORDER)
        rows.append(
            f'<tr><td>{name}</td><td class="{_cls(_VERDICT_STATUS[v])}">'
            f'<span class="badge">{esc(v)}</span></td>{counts}</tr>'
        )
    body = (
        f'<h1>批量检查：{esc(spec.title)}</h1><p class="meta">{esc(spec.id)}；共 {len(result.entries)} 份，'
        f"已检查 {len(result.reports)} 份，无法检查 {len(result.errors)} 份，"
        f"不通过 {sum(r.has_error for r in result.reports)} 份</p>"
        f"<table><thead><tr><th>文件</th><th>结论</th>{head_cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return _page(f"批量检查：{spec.title}", body)
