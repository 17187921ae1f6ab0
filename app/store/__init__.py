"""Review store: drafts, versions, runs and findings in SQLite or PostgreSQL.

Usage::

    store = ReviewStore()                      # sqlite:///data/shenbao.db
    run = store.record_run("客户A/申报书.docx", sha, "js-iif-2022", findings, corpus_version)
    previous = store.previous_run(run.draft_key, run.id)
    changes = compare(previous.findings, run.findings) if previous else None

``record_run`` stores all or nothing; unreadable drafts are stored only through
an explicit ``record_error`` (see :mod:`app.store.service`).
"""

from app.store.compare import Changes, FindingChange, compare
from app.store.engine import DEFAULT_DATABASE_URL, make_engine
from app.store.errors import (
    FindingNotSerialisableError,
    SchemaVersionError,
    StoreCorruptError,
    StoreError,
    StoreUnavailableError,
    UnknownRunError,
)
from app.store.keys import draft_key, normalise_file_name
from app.store.models import SCHEMA_VERSION
from app.store.records import RunRecord, RunStatus, RunSummary
from app.store.service import DraftRef, ReviewStore

__all__ = [
    "DEFAULT_DATABASE_URL",
    "SCHEMA_VERSION",
    "Changes",
    "DraftRef",
    "FindingChange",
    "FindingNotSerialisableError",
    "ReviewStore",
    "RunRecord",
    "RunStatus",
    "RunSummary",
    "SchemaVersionError",
    "StoreCorruptError",
    "StoreError",
    "StoreUnavailableError",
    "UnknownRunError",
    "compare",
    "draft_key",
    "make_engine",
    "normalise_file_name",
]
