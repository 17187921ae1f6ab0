"""Where ``shenbao check`` puts its reports, per format.

json/md go to stdout or to one file; html/xlsx/docx need a destination. With a
destination, a batch in md/html/docx becomes a folder holding one report per
draft plus an index; json is one file (object or array) and xlsx one workbook.
Every file is written all or nothing (:mod:`app.reports.atomic`), after all
of a batch's pages are rendered.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.checking import BatchResult
from app.reports.atomic import atomic_path, write_text_atomic
from app.reports.common import FORMATS
from app.reports.html import render_html, render_html_index
from app.reports.json_report import render_json
from app.reports.markdown import render_markdown, render_markdown_batch, render_markdown_index
from app.safe_text import UNSAFE_CHAR_CLASS, visible

_UNSAFE = re.compile(rf'(?:[\\/:*?"<>|#%&\s]|{UNSAFE_CHAR_CLASS})+')
"""Characters no report file name gets: path and shell specials, white space,
control, zero-width and bidi characters (the report of ``rtl\\u202egpj.docx``
would display as ``rtllmth.jpg``), and what is not Unicode (a file name whose
bytes were not UTF-8)."""


class OutputError(ValueError):
    """The reports cannot be written where asked (the message is for the user)."""


def render_stdout(result: BatchResult, fmt: str) -> str:
    """The text printed when no ``--out`` is given (json and md only); nothing
    in it acts on a terminal (control and bidi characters are escapes)."""
    if fmt == "json":
        return render_json(result)
    if fmt == "md":
        if result.is_batch:
            return visible(render_markdown_batch(result))
        return visible(render_markdown(result.entries[0], result.spec.title))
    raise OutputError(f"{fmt} 格式的报告需要用 --out 指定输出文件")


def report_names(files: list[str], suffix: str, reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    """A distinct, filesystem-safe report file name per draft (``stem.suffix``,
    then ``stem-2.suffix`` ... on collisions; ``reserved`` names are avoided)."""
    taken = {n.lower() for n in reserved}
    out: dict[str, str] = {}
    for f in files:
        stem = _UNSAFE.sub("_", Path(f).stem).strip("._") or "draft"
        name, n = f"{stem}{suffix}", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}{suffix}"
        taken.add(name.lower())
        out[f] = name
    return out


def _single(result: BatchResult, fmt: str) -> str:
    if fmt == "json":
        return render_json(result)
    entry = result.entries[0]
    return (
        render_html(entry, result.spec.title) if fmt == "html" else render_markdown(entry, result.spec.title)
    )


def write_reports(result: BatchResult, fmt: str, out: Path) -> list[Path]:
    """Write the reports of ``result`` to ``out``; the paths written, index first.

    Raises :class:`OutputError` for an unusable destination and lets
    ``OSError`` through for the caller to report.
    """
    if fmt not in FORMATS:
        raise OutputError(f"不支持的格式「{fmt}」，可用：{'、'.join(FORMATS)}")
    if fmt == "xlsx":
        from app.reports.xlsx import write_xlsx  # lazy: openpyxl pulls in numpy

        write_xlsx(result, out)
        return [out]
    if fmt == "docx":
        return _write_docx(result, out)
    if fmt == "json" or not result.is_batch:
        if out.is_dir():
            raise OutputError(f"--out 指向一个文件夹：{out}；{fmt} 报告请给出文件名")
        write_text_atomic(out, _single(result, fmt))
        return [out]
    if out.exists() and not out.is_dir():
        raise OutputError(f"批量检查的 {fmt} 报告按份写入文件夹，--out 应为文件夹，但 {out} 是文件")
    out.mkdir(parents=True, exist_ok=True)
    suffix = f".{fmt}"
    index_name = f"index{suffix}"
    names = report_names([e.file for e in result.entries], suffix, frozenset({index_name}))
    render = render_html if fmt == "html" else render_markdown
    pages = {names[e.file]: render(e, result.spec.title) for e in result.entries}
    index = render_html_index(result, names) if fmt == "html" else render_markdown_index(result, names)
    for name, page in pages.items():
        write_text_atomic(out / name, page)
    write_text_atomic(out / index_name, index)
    return [out / index_name, *(out / name for name in pages)]


def _write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def _write_docx(result: BatchResult, out: Path) -> list[Path]:
    """The Word report: one .docx for one draft; for a batch a folder with one
    .docx per draft and ``index.docx`` (python-docx is imported only here)."""
    from app.reports.docx_report import render_docx, render_docx_index

    if not result.is_batch:
        if out.is_dir():
            raise OutputError(f"--out 指向一个文件夹：{out}；docx 报告请给出文件名")
        _write_bytes(out, render_docx(result.entries[0], result.spec.title))
        return [out]
    if out.exists() and not out.is_dir():
        raise OutputError(f"批量检查的 docx 报告按份写入文件夹，--out 应为文件夹，但 {out} 是文件")
    out.mkdir(parents=True, exist_ok=True)
    names = report_names([e.file for e in result.entries], ".docx", frozenset({"index.docx"}))
    pages = {names[e.file]: render_docx(e, result.spec.title) for e in result.entries}
    index = render_docx_index(result, names)
    for name, data in pages.items():
        _write_bytes(out / name, data)
    _write_bytes(out / "index.docx", index)
    return [out / "index.docx", *(out / name for name in pages)]
