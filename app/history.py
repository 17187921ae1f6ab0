"""Re-checks: store each checked draft's findings and say what changed since
the previous check of the same draft (the CLI and the UI both call this).

The review store (SQLAlchemy) is imported only when a store is opened, so
that commands which never record a check do not pay for it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.settings import Settings
from corpus.loader import Corpus

if TYPE_CHECKING:  # lazy: app.store pulls in SQLAlchemy
    from app.checking import Report
    from app.store import Changes, ReviewStore, RunRecord


def database_url(settings: Settings) -> str:
    """The review store's URL: ``SHENBAO_DATABASE_URL`` or a SQLite file in the data dir."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{(settings.data_dir / 'shenbao.db').as_posix()}"


class ReviewStores:
    """The review stores of one database URL: :meth:`open` gives a new store
    its caller closes (one CLI run), :attr:`shared` one store kept open and
    shared by every caller (the web server's connection pool)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._shared: ReviewStore | None = None
        self._lock = threading.Lock()

    def open(self) -> ReviewStore:
        """A new store on :attr:`url` (use it as a context manager to close it)."""
        from app.store import ReviewStore

        return ReviewStore(self.url)

    @property
    def shared(self) -> ReviewStore:
        """The store shared by every caller, opened on first use. Raises
        :class:`app.store.StoreError` when it cannot be opened (then it is
        tried again on the next use)."""
        with self._lock:
            if self._shared is None:
                self._shared = self.open()
            return self._shared

    def close(self) -> None:
        """Close the shared store, if it was opened."""
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (a draft version's identity)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Recorded:
    """A stored run and what changed since the draft's previous run (None: first check)."""

    run: RunRecord
    changes: Changes | None


def record_report(store: ReviewStore, report: Report, path: Path, corpus: Corpus) -> Recorded:
    """Store one successful check (one transaction) and compare it with the previous one.

    Only successful checks are stored: a file that could not be read changes
    nothing stored.
    """
    run = store.record_run(
        report.file,
        file_sha256(path),
        report.programme,
        list(report.findings),
        corpus.version,
        size=path.stat().st_size,
    )
    return Recorded(run=run, changes=store.changes_since_previous(run))


def describe_changes(changes: Changes | None) -> str:
    """One Chinese line: what changed since the previous check."""
    if changes is None:
        return "首次检查，已保存本次结果。"
    c = changes.counts()
    parts = [f"已修复 {c['fixed']} 项", f"新增问题 {c['new']} 项", f"仍未通过 {c['still_failing']} 项"]
    line = "与上次检查相比：" + "，".join(parts) + "。"
    if changes.fixed:
        line += " 已修复：" + "、".join(ch.rule_id for ch in changes.fixed) + "。"
    if changes.new:
        line += " 新增：" + "、".join(ch.rule_id for ch in changes.new) + "。"
    return line
