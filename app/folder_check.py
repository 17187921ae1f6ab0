"""The consultant's folder workflow: a folder of client drafts (.docx, and .zip
files of drafts, recursively) checked in one run, with one annotated draft and
one HTML report per input written under an output folder at the input's
relative path, and the changes since each draft's previous check.

``collect`` finds the inputs (a .zip is unpacked into a staging folder with the
upload unpacker's safety rules, its drafts placed under the zip's own relative
path without ``.zip``); ``check_sources`` checks them (in worker processes for
large folders, via :func:`app.checking.check_paths`); ``annotate_sources``
writes the annotated copies, one document at a time per process, so a folder
of hundreds of drafts never holds more than one document per worker in memory.
"""

from __future__ import annotations

import functools
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from app.checking import (
    DRAFT_SUFFIXES,
    LOCK_PREFIX,
    PARALLEL_MIN_FILES,
    BatchResult,
    Entry,
    FileError,
    ProgressFn,
    Report,
    check_paths,
    default_workers,
    read_checked_draft,
)
from app.reports.atomic import write_text_atomic
from app.reports.html import render_html
from core.spec import ProgrammeSpec
from corpus.loader import Corpus, load_corpus
from ingestion.drafts import DraftError

if TYPE_CHECKING:
    from app.store import Changes
    from app.uploads import Staged

ZIP_SUFFIX = ".zip"
MACRO_SUFFIXES = (".docm", ".dotm")
"""Macro-enabled Word files: collected so that each is reported as refused, never skipped silently."""
FOLDER_SUFFIXES = (*DRAFT_SUFFIXES, ZIP_SUFFIX, *MACRO_SUFFIXES)


@dataclass(frozen=True)
class Source:
    """One draft of a folder run: where it is on disk, the name shown for it
    (and under which the review store knows it), and its path relative to the
    folder checked (where its outputs go)."""

    path: Path
    label: str
    rel: PurePosixPath


@dataclass
class Collected:
    """The drafts found, and the inputs that could not be used at all (a .zip that was refused)."""

    sources: list[Source] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(label, Chinese reason) of each refused input."""
    notes: list[str] = field(default_factory=list)
    """What was left out of a .zip, and why."""


def _is_input(path: Path) -> bool:
    return path.suffix.lower() in FOLDER_SUFFIXES and not path.name.startswith(LOCK_PREFIX)


def collect(paths: Sequence[Path], staging: Path, exclude: Path | None = None) -> Collected:
    """The drafts under ``paths``: files as given, folders searched recursively
    for drafts, .zip and macro-enabled files, each .zip unpacked under
    ``staging``. A path that does not exist is kept, so that it is reported.
    Files under ``exclude`` (the output folder, when it lies inside the folder
    checked) are not inputs: a second run must not check the annotated copies."""
    from app.uploads import UploadError, stage_uploads

    out = Collected()
    seen: set[Path] = set()
    skip = exclude.resolve() if exclude is not None else None
    for given in paths:
        if given.is_dir():
            found = sorted(
                f
                for f in given.rglob("*")
                if f.is_file()
                and _is_input(f)
                and not (skip is not None and f.resolve().is_relative_to(skip))
            )
            pairs = [(f, PurePosixPath(f.relative_to(given).as_posix())) for f in found] or [
                (given, PurePosixPath(given.name))
            ]
        else:
            pairs = [(given, PurePosixPath(given.name))]
        for f, rel in pairs:
            key = f.resolve()
            if key in seen:
                continue
            seen.add(key)
            if f.is_file() and f.suffix.lower() == ZIP_SUFFIX:
                target = staging / f"zip-{len(seen)}"
                try:
                    staged = stage_uploads([(f.name, f.read_bytes())], target)
                except (UploadError, OSError) as e:
                    out.refused.append((str(f), str(e)))
                    continue
                out.notes += staged.skipped
                base = rel.with_suffix("")
                for member, name in staged.files:
                    out.sources.append(Source(member, f"{f}/{name}", base / name))
                continue
            out.sources.append(Source(f, str(f), rel))
    return out


def check_sources(
    collected: Collected,
    programme: str,
    corpus: Corpus,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Check every collected draft (see :func:`app.checking.check_paths`); entries
    carry the sources' labels, refused inputs are error entries."""
    sources = collected.sources
    if sources:
        result = check_paths([s.path for s in sources], programme, corpus, on_progress, workers)
    else:
        result = BatchResult(spec=corpus.programme(programme))
    names = {str(s.path): s.label for s in sources}
    entries: list[Entry] = [e.model_copy(update={"file": names.get(e.file, e.file)}) for e in result.entries]
    entries += [FileError(file=label, programme=programme, error=why) for label, why in collected.refused]
    return BatchResult(spec=result.spec, entries=entries, is_batch=True)


@dataclass(frozen=True)
class AnnotateOutcome:
    """One input's outputs: the annotated draft (None when none was written) and
    its HTML report, or why the draft could not be annotated."""

    label: str
    annotated: Path | None
    html: Path | None
    comments: int = 0
    note: str | None = None


AnnotateProgress = Callable[[int, int, str], None]
"""Called after each draft with (done, total, label)."""


def annotate_sources(
    result: BatchResult,
    collected: Collected,
    corpus: Corpus,
    out_dir: Path,
    on_progress: AnnotateProgress | None = None,
    workers: int | None = None,
) -> list[AnnotateOutcome]:
    """For each entry: the annotated copy of its .docx at ``out_dir/<rel>`` and
    its HTML report at ``out_dir/<rel>.html``. Large folders are spread over
    worker processes; each holds one document at a time."""
    by_label = {s.label: s for s in collected.sources}
    jobs: list[tuple[Entry, Source | None]] = [(e, by_label.get(e.file)) for e in result.entries]
    n_workers = default_workers() if workers is None else workers
    outcomes: list[AnnotateOutcome | None] = [None] * len(jobs)
    if n_workers > 1 and len(jobs) >= PARALLEL_MIN_FILES:
        ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
            futures = {
                pool.submit(_worker_annotate, e, s, result.spec.id, str(corpus.root), out_dir): i
                for i, (e, s) in enumerate(jobs)
            }
            for done, fut in enumerate(as_completed(futures), start=1):
                i = futures[fut]
                try:
                    outcomes[i] = fut.result()
                except Exception as exc:  # a crashed worker: the draft is named, the others go on
                    outcomes[i] = AnnotateOutcome(
                        jobs[i][0].file, None, None, note=f"批注时进程异常退出（{exc}）"
                    )
                if on_progress is not None:
                    on_progress(done, len(jobs), jobs[i][0].file)
    else:
        for i, (e, s) in enumerate(jobs):
            outcomes[i] = annotate_one(e, s, result.spec, corpus, out_dir)
            if on_progress is not None:
                on_progress(i + 1, len(jobs), e.file)
    return [o for o in outcomes if o is not None]


def _worker_annotate(
    entry: Entry, source: Source | None, programme: str, root: str, out_dir: Path
) -> AnnotateOutcome:
    corpus = _worker_corpus(root)
    return annotate_one(entry, source, corpus.programme(programme), corpus, out_dir)


@functools.cache
def _worker_corpus(root: str) -> Corpus:
    return load_corpus(Path(root))


def output_rel(entry_file: str, source: Source | None) -> PurePosixPath:
    """Where an entry's outputs go under the output folder (its relative path)."""
    if source is not None:
        return source.rel
    return PurePosixPath(Path(entry_file).name or "draft")


def annotate_one(
    entry: Entry, source: Source | None, spec: ProgrammeSpec, corpus: Corpus, out_dir: Path
) -> AnnotateOutcome:
    """One entry's annotated draft (for a checked .docx) and HTML report."""
    from app.word.annotate import annotate_file

    rel = output_rel(entry.file, source)
    html = out_dir / f"{rel}.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(html, render_html(entry, spec.title))
    if not isinstance(entry, Report) or source is None:
        return AnnotateOutcome(entry.file, None, html, note="无法检查，未生成批注稿")
    if not _is_docx(source.path):
        return AnnotateOutcome(entry.file, None, html, note="不是 Word 文档（.docx），未生成批注稿")
    try:
        draft = read_checked_draft(source.path, spec, corpus)
        dest = out_dir / rel.as_posix()
        done = annotate_file(source.path, dest, entry, draft, spec)
    except (DraftError, OSError, ValueError) as e:
        return AnnotateOutcome(entry.file, None, html, note=f"未能生成批注稿：{e}")
    return AnnotateOutcome(entry.file, dest, html, done.comments + done.evidence_comments)


def _is_docx(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(2) == b"PK"
    except OSError:
        return False


CHANGES_SHEET = "变化"


def change_rows(result: BatchResult, changes: dict[str, Changes | None]) -> list[list[str | int]]:
    """The 变化 sheet's rows (header first): per draft, what was fixed, what is
    new and what still fails since its previous check."""
    rows: list[list[str | int]] = [
        [
            "文件",
            "与上次相比",
            "已修复",
            "新增问题",
            "仍未通过",
            "已修复的规则",
            "新增问题的规则",
            "仍未通过的规则",
        ]
    ]
    for entry in result.entries:
        if isinstance(entry, FileError):
            rows.append([entry.file, "无法检查", "", "", "", "", "", ""])
            continue
        if entry.file not in changes:
            rows.append([entry.file, "未保存（未与上次对比）", "", "", "", "", "", ""])
            continue
        ch = changes[entry.file]
        if ch is None:
            rows.append([entry.file, "首次检查", "", "", "", "", "", ""])
            continue
        c = ch.counts()
        state = "有变化" if ch.has_changes else "无变化"
        rows.append(
            [
                entry.file,
                state,
                c["fixed"],
                c["new"],
                c["still_failing"],
                "、".join(x.rule_id for x in ch.fixed),
                "、".join(x.rule_id for x in ch.new),
                "、".join(x.rule_id for x in ch.still_failing),
            ]
        )
    return rows


def add_changes_sheet(workbook: Path, rows: list[list[str | int]]) -> None:
    """Add (or replace) the 变化 sheet of an .xlsx report, all or nothing."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from app.reports.atomic import atomic_path
    from app.safe_text import visible

    wb = load_workbook(workbook)
    if CHANGES_SHEET in wb.sheetnames:
        del wb[CHANGES_SHEET]
    ws = wb.create_sheet(CHANGES_SHEET, 1)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=visible(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    for col, width in zip("ABCDEFGH", (40, 14, 8, 8, 8, 40, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    with atomic_path(workbook) as tmp:
        wb.save(tmp)


def staged_sources(staged: Staged) -> Collected:
    """The staged uploads of the batch page as sources (named and placed as uploaded)."""
    return Collected(sources=[Source(path, name, PurePosixPath(name)) for path, name in staged.files])


def bundle_zip(
    result: BatchResult,
    collected: Collected,
    corpus: Corpus,
    matrix: Path | None,
    dest: Path,
    on_progress: AnnotateProgress | None = None,
) -> int:
    """A .zip at ``dest`` of the annotated drafts and the HTML reports (at each
    draft's relative path) and the matrix workbook (``汇总表.xlsx``), written
    one draft at a time. The number of annotated drafts in it."""
    import zipfile

    from app.word.annotate import annotate_bytes

    by_label = {s.label: s for s in collected.sources}
    n = 0
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        if matrix is not None:
            z.write(matrix, "汇总表.xlsx")
        for i, entry in enumerate(result.entries, start=1):
            source = by_label.get(entry.file)
            rel = output_rel(entry.file, source)
            z.writestr(f"{rel}.html", render_html(entry, result.spec.title))
            if isinstance(entry, Report) and source is not None and _is_docx(source.path):
                try:
                    draft = read_checked_draft(source.path, result.spec, corpus)
                    data, _ = annotate_bytes(source.path.read_bytes(), entry, draft, result.spec)
                except (DraftError, OSError, ValueError):
                    data = None
                if data is not None:
                    z.writestr(rel.as_posix(), data)
                    n += 1
            if on_progress is not None:
                on_progress(i, len(result.entries), entry.file)
    return n
