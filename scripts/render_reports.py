"""Render every report format for the bundled example drafts into a folder.

Used to show that a refactor leaves reports byte-identical: run it before and
after (``python scripts/render_reports.py OUT``) and compare the folders, or let
``tests/test_report_snapshots.py`` compare against the checked-in snapshots.
The xlsx workbook and the Word report are written as text (sheet, cell, value;
paragraphs with their style and table rows) because their zips carry timestamps.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORMATS = ("json", "md", "html", "xlsx", "docx")


def xlsx_as_text(path: Path) -> str:
    """Every non-empty cell of every sheet, one per line."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{ws.title}!{cell.coordinate}\t{cell.value!r}")
    return "\n".join(lines) + "\n"


def _docx_as_text(dest: Path) -> list[Path]:
    """Each .docx written (one file, or a batch folder's) replaced by its text form."""
    from app.reports.docx_report import docx_as_text

    files = sorted(dest.glob("*.docx")) if dest.is_dir() else [dest]
    out: list[Path] = []
    for f in files:
        text_dest = f.with_name(f.name + ".txt")
        text_dest.write_text(docx_as_text(f.read_bytes()), encoding="utf-8")
        f.unlink()
        out.append(text_dest)
    return out


def render(out: Path) -> list[Path]:
    """Write one report per (example file or example folder, format) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    targets: list[tuple[str, Path, str]] = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        targets.append((folder.name, folder, folder.name))
        for doc in sorted(folder.glob("*.docx")):
            targets.append((folder.name, doc, f"{folder.name}__{doc.stem}"))
    for programme, path, stem in targets:
        for fmt in FORMATS:
            suffix = "xlsx" if fmt == "xlsx" else fmt
            dest = out / f"{stem}.{suffix}"
            if fmt in ("html", "md", "docx") and path.is_dir():
                dest = out / f"{stem}.{fmt}.d"
            rel = str(path.relative_to(ROOT))
            cmd = [sys.executable, "-m", "app.cli", "check", rel, "-p", programme, "-f", fmt]
            cmd += ["-o", str(dest), "--no-history"]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(cmd)} → {proc.returncode}: {proc.stderr}")
            if fmt == "xlsx":
                text_dest = out / f"{stem}.xlsx.txt"
                text_dest.write_text(xlsx_as_text(dest), encoding="utf-8")
                dest.unlink()
                written.append(text_dest)
            elif fmt == "docx":
                written += _docx_as_text(dest)
            else:
                written.append(dest)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/render_reports.py OUTDIR")
    for p in render(Path(sys.argv[1])):
        print(p)
