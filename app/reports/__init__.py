"""Report writers for ``shenbao check``: JSON (the public contract), Markdown,
self-contained HTML and an .xlsx matrix for batches."""

from app.reports.html import render_html, render_html_index
from app.reports.json_report import entry_json, render_json
from app.reports.markdown import render_markdown, render_markdown_batch, render_markdown_index
from app.reports.xlsx import write_xlsx

__all__ = [
    "entry_json",
    "render_html",
    "render_html_index",
    "render_json",
    "render_markdown",
    "render_markdown_batch",
    "render_markdown_index",
    "write_xlsx",
]
