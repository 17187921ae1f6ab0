"""Where ``shenbao check`` puts its reports, per format.

json/md go to stdout or to one file; html/xlsx need a destination. With a
destination, a batch in md/html becomes a folder holding one report per
draft plus an index; json is one file (object or array) and xlsx one workbook.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.checking import BatchResult
from app.reports.common import FORMATS
from app.reports.html import render_html, render_html_index
from app.reports.json_report import render_json
from app.reports.markdown import render_markdown, render_markdown_batch, render_markdown_index

_UNSAFE = re.compile(r'[\\/:*?"<>|#%&\s\x00-\x1f]+')


class OutputError(ValueError):
    """The reports cannot be written where asked (the message is for the user)."""


def render_stdout(result: BatchResult, fmt: str) -> str:
    """The text printed when no ``--out`` is given (json and md only)."""
    if fmt == "json":
        return render_json(result)
    if fmt == "md":
        if result.is_batch:
            return render_markdown_batch(result)
        return render_markdown(result.entries[0], result.spec.title)
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


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


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
    if fmt == "json" or not result.is_batch:
        if out.is_dir():
            raise OutputError(f"--out 指向一个文件夹：{out}；{fmt} 报告请给出文件名")
        _write(out, _single(result, fmt))
        return [out]
    if out.exists() and not out.is_dir():
        raise OutputError(f"批量检查的 {fmt} 报告按份写入文件夹，--out 应为文件夹，但 {out} 是文件")
    out.mkdir(parents=True, exist_ok=True)
    suffix = f".{fmt}"
    index_name = f"index{suffix}"
    names = report_names([e.file for e in result.entries], suffix, frozenset({index_name}))
    written = [out / index_name]
    for entry in result.entries:
        page = (
            render_html(entry, result.spec.title)
            if fmt == "html"
            else render_markdown(entry, result.spec.title)
        )
        _write(out / names[entry.file], page)
        written.append(out / names[entry.file])
    index = render_html_index(result, names) if fmt == "html" else render_markdown_index(result, names)
    _write(out / index_name, index)
    return written
