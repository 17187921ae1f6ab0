"""The check service shared by the CLI and the UI: drafts (files on disk,
uploaded bytes, a staged batch, a draft edited with supplied values) checked
against a programme's rules, each successful check recorded in the review
store with what changed since the previous one.

It wraps the functions of :mod:`app.checking` and :mod:`app.history` with
the corpus and the review stores it is given, so that callers hold one object
instead of passing the corpus and the store to every call.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.checking import (
    BatchResult,
    Entry,
    FileError,
    ProgressFn,
    Report,
    check_draft,
    check_paths,
    read_checked_draft,
)
from app.history import Recorded, ReviewStores, record_report
from app.reports.common import STATUS_LABELS, STATUS_ORDER, verdict
from app.supplements import MissingField, missing_fields
from app.uploads import Staged, ensure_draft_suffix, safe_file_name
from core.draft import Draft
from core.findings import Finding
from core.review import flag_of
from core.spec import ProgrammeSpec
from corpus.loader import Corpus

if TYPE_CHECKING:  # lazy: app.store pulls in SQLAlchemy
    from app.review.service import ReviewService
    from app.store import Changes


@dataclass(frozen=True)
class CheckedUpload:
    """One uploaded draft after its check."""

    file_name: str
    programme: str
    sha256: str
    draft: Draft
    report: Report
    changes: Changes | None
    """What changed since the previous stored check of this file name + programme (None: first)."""
    store_note: str | None = None
    """Why the check could not be stored, when it could not."""
    switched_from: str | None = None
    """The programme chosen before the upload, when the form turned out to be
    another programme's and was checked against that one (``programme``)."""


@dataclass(frozen=True)
class StagedBatch:
    """A batch of staged uploads after its check: entries named as uploaded."""

    result: BatchResult
    store_note: str | None = None
    """Why some checks could not be stored, when they could not."""
    changes: dict[str, Changes | None] = field(default_factory=dict)
    """What changed since each stored draft's previous check, by entry name (None: first check)."""


def _store_errors() -> tuple[type[Exception], ...]:
    from app.store import StoreError

    return (StoreError, OSError)


class CheckService:
    """Checks drafts against the programmes of ``corpus`` and records each
    successful check in ``stores``."""

    def __init__(self, corpus: Corpus, stores: ReviewStores) -> None:
        self.corpus = corpus
        self.stores = stores

    def review_with_model(
        self,
        result: BatchResult,
        reviewer: ReviewService,
        llm: str,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> BatchResult:
        """``result`` with each report's evidence reviewed again by the model
        ``llm`` (the drafts are read again; checking is not repeated).
        ``progress(done, total, file)`` follows the claims of each draft."""
        entries: list[Entry] = []
        for entry in result.entries:
            if not isinstance(entry, Report):
                entries.append(entry)
                continue
            draft = read_checked_draft(Path(entry.file), result.spec, self.corpus)
            step = (lambda d, t, f=entry.file: progress(d, t, f)) if progress else None
            reviews = reviewer.review_draft(result.spec, draft, llm=llm, progress=step)
            entries.append(entry.model_copy(update={"evidence": [flag_of(r) for r in reviews]}))
        return BatchResult(spec=result.spec, entries=entries, is_batch=result.is_batch)

    def check_upload(
        self, name: str, data: bytes, spec: ProgrammeSpec, *, follow_form: bool = False
    ) -> CheckedUpload:
        """Check an uploaded draft and store the result (in the shared store).

        With ``follow_form`` a form (or JSON/YAML draft) recognisably of another
        programme is checked against that programme: the result's
        ``programme`` is then not ``spec.id`` and ``switched_from`` is.
        Raises :class:`ingestion.drafts.DraftError` (unusable file) or
        :class:`app.checking.CheckError` (another programme's form, or with
        ``follow_form`` a draft naming a programme the corpus lacks); nothing
        is stored then. A failure of the store itself does not fail the
        check: it is reported in ``store_note``.
        """
        label = safe_file_name(name)
        ensure_draft_suffix(label)
        chosen = spec
        with tempfile.TemporaryDirectory(prefix="shenbao-upload-") as tmp:
            path = Path(tmp) / label
            path.write_bytes(data)
            draft = read_checked_draft(path, spec, self.corpus, follow_form=follow_form)
            spec = self.corpus.programme(draft.programme or spec.id)
            report = check_draft(draft, spec, self.corpus, label)
            changes: Changes | None = None
            note: str | None = None
            try:
                changes = self.record(report, path).changes
            except _store_errors() as e:
                note = f"检查结果未能保存到审阅记录（{e}），不影响本次检查结果。"
        return CheckedUpload(
            file_name=label,
            programme=spec.id,
            sha256=hashlib.sha256(data).hexdigest(),
            draft=draft,
            report=report,
            changes=changes,
            store_note=note,
            switched_from=chosen.id if spec.id != chosen.id else None,
        )

    def recheck(self, draft: Draft, spec: ProgrammeSpec, label: str) -> Report:
        """Run the programme's rules again on a (possibly edited) draft; nothing is stored."""
        return check_draft(draft, spec, self.corpus, label)

    def check_paths(
        self,
        paths: Sequence[Path],
        programme: str,
        on_progress: ProgressFn | None = None,
        workers: int | None = None,
    ) -> BatchResult:
        """Check every draft under ``paths`` (see :func:`app.checking.check_paths`); nothing is stored."""
        return check_paths(paths, programme, self.corpus, on_progress, workers)

    def check_staged(
        self,
        staged: Staged,
        spec: ProgrammeSpec,
        on_progress: ProgressFn | None = None,
        on_store: ProgressFn | None = None,
    ) -> StagedBatch:
        """Check staged uploads in this process (forking workers inside a web
        server is not safe), name the entries as uploaded and store each
        checked draft; a store failure is a note, not an error.
        ``on_progress`` is called after each check, ``on_store`` after each
        draft stored (storing a large batch takes seconds too)."""
        result = self.check_paths([p for p, _ in staged.files], spec.id, on_progress, workers=1)
        result = relabel(result, staged)
        paths = {name: path for path, name in staged.files}
        reports = result.reports
        changes: dict[str, Changes | None] = {}
        try:
            for i, report in enumerate(reports, start=1):
                changes[report.file] = self.record(report, paths[report.file]).changes
                if on_store is not None:
                    on_store(i, len(reports), paths[report.file])
        except _store_errors() as e:
            note = f"检查结果未能全部保存到审阅记录（{e}），不影响本次检查结果。"
            return StagedBatch(result, note, changes)
        return StagedBatch(result, changes=changes)

    def record(self, report: Report, path: Path) -> Recorded:
        """Store one successful check in the shared store and compare it with the previous one."""
        return record_report(self.stores.shared, report, path, self.corpus)

    def missing_fields(self, findings: Iterable[Finding], spec: ProgrammeSpec) -> list[MissingField]:
        """The fields the ``unknown`` findings need (see :func:`app.supplements.missing_fields`)."""
        return missing_fields(findings, spec, self.corpus)


def relabel(result: BatchResult, staged: Staged) -> BatchResult:
    """Entries named by the uploaded names instead of the temporary paths."""
    names = {str(path): name for path, name in staged.files}
    entries: list[Entry] = [e.model_copy(update={"file": names.get(e.file, e.file)}) for e in result.entries]
    return BatchResult(spec=result.spec, entries=entries, is_batch=True)


def matrix_rows(result: BatchResult) -> list[dict[str, str]]:
    """One row per draft: file, verdict, counts per status, each rule's status
    and, for a file that could not be checked, why. All cells are text, so an
    unchecked file's row is blank rather than "None"."""
    rule_ids = [f"{result.spec.id}:{r.id}" for r in result.spec.rules]
    rows: list[dict[str, str]] = []
    for entry in result.entries:
        row = {"文件": entry.file}
        if isinstance(entry, FileError):
            row["结论"] = "无法检查"
            row.update({STATUS_LABELS[s]: "" for s in STATUS_ORDER})
            row.update({rid.split(":", 1)[1]: "" for rid in rule_ids})
            row["说明"] = entry.error
            rows.append(row)
            continue
        row["结论"] = verdict(entry.findings)
        row.update({STATUS_LABELS[s]: str(entry.summary.get(s, 0)) for s in STATUS_ORDER})
        by_id = {f.id: f.status for f in entry.findings}
        for rid in rule_ids:
            row[rid.split(":", 1)[1]] = STATUS_LABELS[by_id[rid]] if rid in by_id else ""
        row["说明"] = ""
        rows.append(row)
    return rows
