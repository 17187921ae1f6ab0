"""The check service: draft files in, per-file reports (or per-file errors) out.

``check_file`` checks one draft and raises on unusable input;
``check_paths`` expands files and folders, checks every draft it finds and
never lets one bad file stop the batch: a file that cannot be used becomes an
:class:`FileError` entry beside the other files' :class:`Report` entries.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from app.review.service import review_draft
from app.safe_text import guess_gbk, has_undecodable_bytes, unicode_safe
from checkers.engine import run_rules
from checkers.kinds.batch import resolve_batch
from core.findings import Finding, has_error, summarize
from core.review import EvidenceFlag, flag_of
from core.spec import ProgrammeSpec
from corpus.loader import Corpus, load_corpus
from ingestion.drafts import Draft, DraftError, read_draft

DRAFT_SUFFIXES = (".docx", ".json", ".yaml", ".yml")
LOCK_PREFIX = "~$"

ProgressFn = Callable[[int, int, Path], None]
"""Called after each file with (files done, files in total, the file just done)."""


class CheckError(ValueError):
    """A file cannot be checked against the chosen programme (its ``str`` is
    the Chinese message for the user)."""


class Report(BaseModel):
    """The result of checking one draft: the JSON contract of ``shenbao check``."""

    model_config = ConfigDict(extra="forbid")
    file: str
    programme: str
    summary: dict[str, int]
    findings: list[Finding]
    evidence: list[EvidenceFlag] = []
    """The evidence review of the draft's claims (rules-only), one flag per claim."""
    notes: list[str] = []
    """What the reader noted while reading the draft, in Chinese: values it could not use
    (the field left empty), tracked changes read as accepted, …"""

    @property
    def has_error(self) -> bool:
        """Whether an error-severity rule failed."""
        return has_error(self.findings)


class FileError(BaseModel):
    """A file that could not be checked, with the reason in Chinese."""

    model_config = ConfigDict(extra="forbid")
    file: str
    programme: str
    error: str


Entry = Report | FileError


@dataclass
class BatchResult:
    """Every entry of one ``check_paths`` run, in input order.

    ``is_batch`` is true when the input named several paths or a folder, so
    the output shape (a JSON array, an index of reports) does not depend on
    how many drafts a folder happened to hold.
    """

    spec: ProgrammeSpec
    entries: list[Entry] = field(default_factory=list)
    is_batch: bool = False

    @property
    def reports(self) -> list[Report]:
        """The entries that were checked."""
        return [e for e in self.entries if isinstance(e, Report)]

    @property
    def errors(self) -> list[FileError]:
        """The entries that could not be checked."""
        return [e for e in self.entries if isinstance(e, FileError)]

    @property
    def exit_code(self) -> int:
        """2 when any file was unusable, else 1 when any error rule failed, else 0."""
        if self.errors:
            return 2
        return 1 if any(r.has_error for r in self.reports) else 0


def doc_titles(corpus: Corpus) -> dict[str, str]:
    """Corpus document id → title, for the citations in findings."""
    return {doc_id: doc.meta.title for doc_id, doc in corpus.docs.items()}


def read_checked_draft(
    path: Path, spec: ProgrammeSpec, corpus: Corpus, *, follow_form: bool = False
) -> Draft:
    """Read one draft for ``spec``, refusing another programme's form.

    With ``follow_form`` a draft recognisably of another programme is read for
    that programme instead (the draft's ``programme`` says which). Raises
    :class:`DraftError` for unusable input and :class:`CheckError` when the
    file is the form of another programme (with ``follow_form``: of none).
    """
    try:
        # the reader refuses another programme's form or JSON/YAML draft while it reads
        draft = read_draft(path, spec, corpus, check_programme=True, follow_form=follow_form)
    except DraftError as e:
        if e.code == "wrong_programme":
            raise CheckError(str(e)) from e
        raise
    return draft


def check_draft(draft: Draft, spec: ProgrammeSpec, corpus: Corpus, label: str) -> Report:
    """Run the programme's rules on a draft already read (or edited); ``label``
    is the file name shown in the report."""
    findings = run_rules(spec, draft, corpus.lists, doc_titles(corpus))
    evidence = [flag_of(r) for r in review_draft(spec, draft, corpus)]
    return Report(
        file=label,
        programme=spec.id,
        summary=summarize(findings),
        findings=findings,
        evidence=evidence,
        notes=list(draft.reader_notes),
    )


def check_file(path: Path, spec: ProgrammeSpec, corpus: Corpus, label: str | None = None) -> Report:
    """Read one draft and run the programme's rules on it.

    Raises :class:`DraftError` for unusable input and :class:`CheckError` when
    the file is the form of another programme. ``label`` is the file name
    shown in the report (default: the path as given).
    """
    draft = read_checked_draft(path, spec, corpus)
    return check_draft(draft, spec, corpus, label if label is not None else str(path))


def _is_draft_file(path: Path) -> bool:
    return path.suffix.lower() in DRAFT_SUFFIXES and not path.name.startswith(LOCK_PREFIX)


def folder_drafts(folder: Path) -> list[Path]:
    """The drafts under a folder, recursively: .docx/.json/.yaml/.yml files,
    sorted, Office lock files ``~$*`` skipped."""
    return sorted(f for f in folder.rglob("*") if f.is_file() and _is_draft_file(f))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded with :func:`folder_drafts`.

    A file named explicitly is kept whatever its type (the reader says why it
    cannot be used); a path that does not exist and a folder without drafts
    are kept so that they are reported. Duplicates are dropped.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        found = (folder_drafts(p) or [p]) if p.is_dir() else [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def undecodable_name_error(path: Path) -> str | None:
    """The Chinese message for a path whose name is not UTF-8 (its bytes come
    back surrogate-escaped), else ``None``. Such a name cannot be written to a
    report or the review store, so the file is refused with a way to rename it."""
    label = str(path)
    if not has_undecodable_bytes(label):
        return None
    bad = next((part for part in reversed(path.parts) if has_undecodable_bytes(part)), path.name)
    what = "文件名" if bad == path.name else f"所在文件夹名「{unicode_safe(bad)}」"
    guess = guess_gbk(bad)
    hint = f"按 GBK 编码读作「{guess}」，" if guess else ""
    return (
        f"{what}不是 UTF-8 编码，无法写入报告和审阅记录：{hint}"
        "这通常是在 Windows 上压缩、在 Linux/macOS 上用 unzip 解压造成的。"
        "请改名后再检查（例如 `convmv -f gbk -t utf-8 -r --notest 文件夹`，或解压时用 `unzip -O GBK`）。"
    )


def _check_one(path: Path, spec: ProgrammeSpec, corpus: Corpus) -> Entry:
    label = str(path)
    name_error = undecodable_name_error(path)
    if name_error is not None:
        return FileError(file=unicode_safe(label), programme=spec.id, error=name_error)
    if not path.exists():
        return FileError(file=label, programme=spec.id, error=f"文件不存在：{label}")
    if path.is_dir():
        return FileError(
            file=label, programme=spec.id, error=f"文件夹中没有申报书（{'、'.join(DRAFT_SUFFIXES)}）：{label}"
        )
    if not path.is_file():
        return FileError(file=label, programme=spec.id, error=f"不是普通文件：{label}")
    try:
        return check_file(path, spec, corpus, label)
    except (DraftError, CheckError) as e:
        return FileError(file=label, programme=spec.id, error=str(e))
    except OSError as e:
        return FileError(file=label, programme=spec.id, error=f"无法读取文件：{e.strerror or e}")
    except Exception as e:  # one broken draft must not stop a batch of hundreds
        return FileError(
            file=label,
            programme=spec.id,
            error=f"检查时发生内部错误（{type(e).__name__}: {e}），请将该文件报告给维护者",
        )


# Batches at least this large are spread over worker processes (each loads the corpus once).
PARALLEL_MIN_FILES = 16


def _worker_check(path: Path, programme: str, root: str) -> Entry:
    """Worker-process entry: check one file with the worker's own corpus."""
    corpus = _worker_corpus(root)
    return _check_one(path, corpus.programme(programme), corpus)


@functools.cache
def _worker_corpus(root: str) -> Corpus:
    return load_corpus(Path(root))


def default_workers() -> int:
    """Worker processes for batches: one per CPU core."""
    return max(1, os.cpu_count() or 1)


def check_paths(
    paths: Sequence[Path],
    programme: str,
    corpus: Corpus,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Check every draft under ``paths`` against ``programme``.

    Raises :class:`corpus.loader.CorpusError` (listing the valid ids) for an
    unknown programme; every per-file problem becomes a :class:`FileError`.
    Batches of :data:`PARALLEL_MIN_FILES` or more run on ``workers`` processes
    (default: one per core); entries keep the order of the files either way.
    """
    spec = corpus.programme(programme)
    files = expand_paths(paths)
    result = BatchResult(spec=spec, is_batch=len(paths) > 1 or any(p.is_dir() for p in paths))
    n_workers = default_workers() if workers is None else workers
    if n_workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        result.entries.extend(_check_parallel(files, spec.id, corpus, n_workers, on_progress))
    else:
        for i, path in enumerate(files, start=1):
            result.entries.append(_check_one(path, spec, corpus))
            if on_progress is not None:
                on_progress(i, len(files), path)
    settle_batch_rules(result)
    return result


def settle_batch_rules(result: BatchResult) -> None:
    """Settle the batch-level rules (``unique_per_batch``) across the batch's
    reports, in place: a rule that passed on each draft alone fails on every
    draft of an enterprise that has several in the batch."""
    reports = result.reports
    settled = resolve_batch(result.spec, [(r.file, r.findings) for r in reports])
    for report, findings in zip(reports, settled, strict=True):
        if findings != report.findings:
            report.findings = findings
            report.summary = summarize(findings)


def _check_parallel(
    files: list[Path], programme: str, corpus: Corpus, workers: int, on_progress: ProgressFn | None
) -> list[Entry]:
    entries: list[Entry | None] = [None] * len(files)
    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(_worker_check, f, programme, str(corpus.root)): i for i, f in enumerate(files)}
        for done, fut in enumerate(as_completed(futures), start=1):
            i = futures[fut]
            try:
                entries[i] = fut.result()
            except Exception as e:  # a crashed worker still yields one error entry
                entries[i] = FileError(
                    file=unicode_safe(str(files[i])),
                    programme=programme,
                    error=f"检查进程异常退出（{type(e).__name__}），请重试",
                )
            if on_progress is not None:
                on_progress(done, len(files), files[i])
    return [e for e in entries if e is not None]
