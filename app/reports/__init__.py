"""Report writers for ``shenbao check``: JSON (the public contract), Markdown,
self-contained HTML and an .xlsx matrix for batches.

Names are imported lazily, so that ``app.reports.common`` (labels, formats)
does not pull in the checker, the readers and openpyxl.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.reports.docx_report import render_docx, render_docx_index
    from app.reports.html import render_html, render_html_index
    from app.reports.json_report import entry_json, render_json
    from app.reports.markdown import render_markdown, render_markdown_batch, render_markdown_index
    from app.reports.xlsx import write_xlsx

__all__ = [
    "entry_json",
    "render_docx",
    "render_docx_index",
    "render_html",
    "render_html_index",
    "render_json",
    "render_markdown",
    "render_markdown_batch",
    "render_markdown_index",
    "write_xlsx",
]

_HOME = {
    "entry_json": "app.reports.json_report",
    "render_docx": "app.reports.docx_report",
    "render_docx_index": "app.reports.docx_report",
    "render_html": "app.reports.html",
    "render_html_index": "app.reports.html",
    "render_json": "app.reports.json_report",
    "render_markdown": "app.reports.markdown",
    "render_markdown_batch": "app.reports.markdown",
    "render_markdown_index": "app.reports.markdown",
    "write_xlsx": "app.reports.xlsx",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(name)
