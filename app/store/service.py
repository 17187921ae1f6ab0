"""The review store: every check of every draft, so a re-check can say what changed.

Callers decide what is recorded. :meth:`ReviewStore.record_run` is one
transaction: either the draft, its version, the run and all its findings are
stored, or — on any error, including a finding whose evidence cannot be written
as JSON — nothing is. A draft that could not be read (not a .docx, corrupt,
encrypted, too large …) leaves the store untouched unless the caller chooses to
call :meth:`ReviewStore.record_error`; the CLI and UI should do so only when
the user asked for the check to be recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from app.safe_text import map_model_text, unicode_safe
from app.store.compare import Changes, compare
from app.store.engine import DEFAULT_DATABASE_URL, describe, json_dumps, make_engine
from app.store.errors import (
    FindingNotSerialisableError,
    SchemaVersionError,
    StoreCorruptError,
    StoreUnavailableError,
    UnknownRunError,
)
from app.store.keys import draft_key
from app.store.models import SCHEMA_VERSION, Base, DraftRow, FindingRow, MetaRow, RunRow, VersionRow
from app.store.records import RunRecord, RunStatus, RunSummary
from core.findings import Citation, Finding, summarize

T = TypeVar("T")

DraftRef = str | tuple[str, str]
"""A draft key (``<programme>:<normalised name>``) or ``(file_name, programme)``."""

_SHA256_HEX = frozenset("0123456789abcdef")
_SQLITE_CORRUPT = frozenset({11, 26})
"""SQLITE_CORRUPT and SQLITE_NOTADB (primary result codes)."""
_CORRUPT_MARKERS = ("malformed", "not a database", "file is encrypted")


class ReviewStore:
    """Drafts, their versions, the runs of checks on them and the findings of each run.

    ``ReviewStore("sqlite:///data/shenbao.db")`` (the default) or
    ``ReviewStore("postgresql+psycopg://user:pw@host/db")``; an existing
    :class:`~sqlalchemy.Engine` may be passed instead of a URL. Nothing is
    opened until first use, when the tables are created if missing.
    """

    def __init__(self, database: str | Engine = DEFAULT_DATABASE_URL) -> None:
        self._owns_engine = isinstance(database, str)
        self.engine: Engine = make_engine(database) if isinstance(database, str) else database
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._schema_ready = False

    def close(self) -> None:
        """Release the connections (only those of an engine this store created)."""
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the tables and the ``schema_version`` row if missing (idempotent)."""
        if self._schema_ready:
            return

        def work() -> None:
            with self.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # pysqlite commits each DDL statement on its own: make the whole
                    # creation one transaction (atomic, and one disk sync, not twelve)
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                Base.metadata.create_all(conn)
                found = conn.scalar(select(MetaRow.value).where(MetaRow.key == "schema_version"))
                if found is None:
                    conn.execute(insert(MetaRow).values(key="schema_version", value=str(SCHEMA_VERSION)))
                elif int(found) > SCHEMA_VERSION:
                    raise SchemaVersionError(int(found), SCHEMA_VERSION)

        try:
            self._guard(work)
        except IntegrityError:  # another process created the schema at the same time
            self._guard(self._check_version)
        self._schema_ready = True

    def schema_version(self) -> int:
        """The schema version stored in the database."""
        self.ensure_schema()
        return self._guard(self._check_version)

    def _check_version(self) -> int:
        with self._sessions() as session:
            row = session.get(MetaRow, "schema_version")
            found = int(row.value) if row is not None else 0
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(found, SCHEMA_VERSION)
        return found

    # -- writing --------------------------------------------------------------

    def record_run(
        self,
        file_name: str,
        file_bytes_sha256: str,
        programme: str,
        findings: list[Finding],
        corpus_version: str,
        *,
        size: int | None = None,
        started: datetime | None = None,
    ) -> RunRecord:
        """Store one successful check, in one transaction (all or nothing).

        The draft is created on its first check; the version is reused when the
        same content (sha256) of the same draft was seen before, whatever the
        corpus version, so a re-check of an unchanged file is a new run of the
        same version. Raises :class:`FindingNotSerialisableError` (nothing
        stored) when a finding's evidence or citation is not JSON.
        """
        sha = _check_sha256(file_bytes_sha256)
        file_name = _storable(file_name)
        findings = [_storable_finding(f) for f in findings]
        key = draft_key(file_name, programme)
        when = _utc(started)
        counts = summarize(findings)

        def work() -> RunRecord:
            with self._sessions.begin() as session:
                draft = self._draft_for(session, key, file_name, programme)
                version = self._version_for(session, draft, sha, size, when)
                run = RunRow(
                    draft_id=draft.id,
                    version_id=version.id,
                    programme=draft.programme,
                    corpus_version=corpus_version,
                    started=when,
                    status="ok",
                    error_message=None,
                    **_count_columns(counts),
                )
                session.add(run)
                session.flush()
                for position, finding in enumerate(findings):
                    session.add(_finding_row(run.id, position, finding))
                session.flush()
                return _summary_of(run, draft, version, RunRecord, findings=list(findings))

        return self._write(work)

    def record_error(
        self,
        file_name: str,
        sha: str | None,
        programme: str,
        message: str,
        *,
        corpus_version: str = "",
        size: int | None = None,
        started: datetime | None = None,
    ) -> RunRecord:
        """Store a check that failed (status ``error``) — only when the caller asks.

        ``sha`` is the file's sha256 when its bytes could be read, else ``None``
        (the run then has no version). Nothing else calls this: a draft that could
        not be read is never recorded implicitly.
        """
        checked_sha = _check_sha256(sha) if sha is not None else None
        file_name, message = _storable(file_name), _storable(message)
        key = draft_key(file_name, programme)
        when = _utc(started)

        def work() -> RunRecord:
            with self._sessions.begin() as session:
                draft = self._draft_for(session, key, file_name, programme)
                version = (
                    self._version_for(session, draft, checked_sha, size, when)
                    if checked_sha is not None
                    else None
                )
                run = RunRow(
                    draft_id=draft.id,
                    version_id=version.id if version is not None else None,
                    programme=draft.programme,
                    corpus_version=corpus_version,
                    started=when,
                    status="error",
                    error_message=message,
                    **_count_columns(summarize([])),
                )
                session.add(run)
                session.flush()
                return _summary_of(run, draft, version, RunRecord, findings=[])

        return self._write(work)

    # -- reading --------------------------------------------------------------

    def get_run(self, run_id: int) -> RunRecord:
        """One run with its findings; :class:`UnknownRunError` if there is none."""
        self.ensure_schema()

        def work() -> RunRecord:
            with self._sessions() as session:
                run = session.get(RunRow, run_id)
                if run is None:
                    raise UnknownRunError(run_id)
                return _record_of(run)

        return self._guard(work)

    def previous_run(
        self,
        draft: DraftRef,
        before_run_id: int | None = None,
        *,
        include_errors: bool = False,
    ) -> RunRecord | None:
        """The latest run of ``draft`` before run ``before_run_id`` (or the latest
        of all when ``None``), with its findings; error runs are skipped unless
        ``include_errors``. ``None`` when there is no such run or no such draft.
        """
        key = draft if isinstance(draft, str) else draft_key(*draft)
        self.ensure_schema()

        def work() -> RunRecord | None:
            with self._sessions() as session:
                query = select(RunRow).join(RunRow.draft).where(DraftRow.key == key)
                if before_run_id is not None:
                    query = query.where(RunRow.id < before_run_id)
                if not include_errors:
                    query = query.where(RunRow.status == "ok")
                run = session.scalars(query.order_by(RunRow.id.desc()).limit(1)).first()
                return _record_of(run) if run is not None else None

        return self._guard(work)

    def history(self, file_name: str, programme: str) -> list[RunSummary]:
        """Every run of the draft, newest first, errors included, without findings."""
        key = draft_key(file_name, programme)
        self.ensure_schema()

        def work() -> list[RunSummary]:
            with self._sessions() as session:
                runs = session.scalars(
                    select(RunRow)
                    .join(RunRow.draft)
                    .where(DraftRow.key == key)
                    .options(joinedload(RunRow.draft), joinedload(RunRow.version))
                    .order_by(RunRow.id.desc())
                ).all()
                return [_summary_of(r, r.draft, r.version, RunSummary) for r in runs]

        return self._guard(work)

    def changes_since_previous(self, run: RunRecord) -> Changes | None:
        """What changed from the draft's previous successful run to ``run``
        (``None`` when ``run`` is its first)."""
        previous = self.previous_run(run.draft_key, run.id)
        return compare(previous.findings, run.findings) if previous is not None else None

    compare = staticmethod(compare)

    # -- helpers --------------------------------------------------------------

    @staticmethod
    def _draft_for(session: Session, key: str, file_name: str, programme: str) -> DraftRow:
        draft = session.scalars(select(DraftRow).where(DraftRow.key == key)).first()
        if draft is None:
            draft = DraftRow(key=key, display_name=file_name, programme=programme.strip())
            session.add(draft)
            session.flush()
        elif draft.display_name != file_name:
            draft.display_name = file_name
        return draft

    @staticmethod
    def _version_for(
        session: Session, draft: DraftRow, sha: str, size: int | None, when: datetime
    ) -> VersionRow:
        version = session.scalars(
            select(VersionRow).where(VersionRow.draft_id == draft.id, VersionRow.sha256 == sha)
        ).first()
        if version is None:
            version = VersionRow(draft_id=draft.id, sha256=sha, size=size, created=when)
            session.add(version)
            session.flush()
        elif version.size is None and size is not None:
            version.size = size
        return version

    def _write(self, work: Callable[[], T]) -> T:
        """Run a writing transaction; retry once if a concurrent writer created
        the same draft or version first (unique constraint)."""
        self.ensure_schema()
        try:
            return self._guard(work)
        except IntegrityError:
            return self._guard(work)

    def _guard(self, work: Callable[[], T]) -> T:
        """Turn a failure of the database into a :class:`StoreError` the user can act on:
        :class:`StoreCorruptError` for a damaged file or data that cannot be read
        back, :class:`StoreUnavailableError` for the rest (not reachable, locked,
        no permission …). A unique-constraint race (``IntegrityError``) is left
        to the caller, which retries."""
        try:
            return work()
        except IntegrityError:
            raise
        except DBAPIError as exc:
            reason = (str(exc.orig) if exc.orig is not None else str(exc)).strip()
            if _is_corruption(exc.orig, reason):
                raise self._corrupt(reason) from exc
            raise StoreUnavailableError(describe(self.engine.url), reason) from exc
        except ValueError as exc:  # undecodable text, JSON or dates: garbled rows
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise self._corrupt(f"存储的数据无法读回（{type(exc).__name__}: {first}）") from exc

    def _corrupt(self, reason: str) -> StoreCorruptError:
        url = self.engine.url
        database = url.database if url.get_backend_name() == "sqlite" else None
        sqlite_file = (
            Path(database).resolve()
            if database and database != ":memory:" and not database.startswith("file:")
            else None
        )
        return StoreCorruptError(describe(url), reason, sqlite_file)

    def count_rows(self) -> dict[str, int]:
        """Rows per table (for diagnostics and tests)."""
        self.ensure_schema()

        def work() -> dict[str, int]:
            with self._sessions() as session:
                return {
                    model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                    for model in (DraftRow, VersionRow, RunRow, FindingRow)
                }

        return self._guard(work)


def _is_corruption(orig: BaseException | None, reason: str) -> bool:
    """Whether a driver error says the database file is damaged."""
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_CORRUPT:
        return True
    lowered = reason.lower()
    return any(marker in lowered for marker in _CORRUPT_MARKERS)


def _storable(text: str) -> str:
    """Text every backend can store: what UTF-8 cannot encode is replaced
    (:func:`app.safe_text.unicode_safe`) and NUL, which PostgreSQL refuses in
    text, is written ``\\x00``."""
    return unicode_safe(text).replace("\x00", "\\x00")


def _storable_finding(finding: Finding) -> Finding:
    """``finding`` itself, or a copy whose text is :func:`_storable` when it needs it."""
    try:
        return map_model_text(finding, _storable)
    except (PydanticSerializationError, ValidationError) as exc:
        raise FindingNotSerialisableError(finding.id, str(exc).splitlines()[0]) from exc


def _check_sha256(value: str) -> str:
    sha = value.strip().lower()
    if len(sha) != 64 or not set(sha) <= _SHA256_HEX:
        raise ValueError(f"not a sha256 hex digest: {value!r}")
    return sha


def _utc(when: datetime | None) -> datetime:
    if when is None:
        return datetime.now(UTC)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _count_columns(counts: dict[str, int]) -> dict[str, int]:
    return {
        "n_pass": counts["pass"],
        "n_fail": counts["fail"],
        "n_warn": counts["warn"],
        "n_unknown": counts["unknown"],
        "n_na": counts["n/a"],
    }


def _strict_json(value: Any) -> Any:
    """``value`` as plain JSON data; raises ``ValueError`` or ``TypeError`` if it is not."""
    return json.loads(json_dumps(value))


def _finding_row(run_id: int, position: int, finding: Finding) -> FindingRow:
    """The row of one finding; :class:`FindingNotSerialisableError` if its data is not JSON."""
    try:
        data = finding.model_dump(mode="json")
        evidence = _strict_json(data["evidence"])
        citation = _strict_json(data["citation"])
    except (PydanticSerializationError, ValueError, TypeError) as exc:
        raise FindingNotSerialisableError(finding.id, str(exc).splitlines()[0]) from exc
    return FindingRow(
        run_id=run_id,
        position=position,
        rule_id=finding.id,
        title=finding.title,
        status=finding.status,
        severity=finding.severity,
        message=finding.message,
        evidence=evidence,
        location=finding.location,
        citation=citation,
    )


def _finding_of(row: FindingRow) -> Finding:
    return Finding(
        id=row.rule_id,
        title=row.title,
        status=cast(Any, row.status),
        severity=cast(Any, row.severity),
        message=row.message,
        evidence=row.evidence,
        location=row.location,
        citation=Citation.model_validate(row.citation),
    )


def _record_of(run: RunRow) -> RunRecord:
    findings = [_finding_of(f) for f in run.findings]
    return _summary_of(run, run.draft, run.version, RunRecord, findings=findings)


S = TypeVar("S", bound=RunSummary)


def _summary_of(run: RunRow, draft: DraftRow, version: VersionRow | None, kind: type[S], **extra: Any) -> S:
    started = run.started if run.started.tzinfo is not None else run.started.replace(tzinfo=UTC)
    return kind(
        id=run.id,
        draft_key=draft.key,
        file_name=draft.display_name,
        programme=run.programme,
        sha256=version.sha256 if version is not None else None,
        size=version.size if version is not None else None,
        corpus_version=run.corpus_version,
        started=started,
        status=cast(RunStatus, run.status),
        error_message=run.error_message,
        summary={
            "pass": run.n_pass,
            "fail": run.n_fail,
            "warn": run.n_warn,
            "unknown": run.n_unknown,
            "n/a": run.n_na,
        },
        **extra,
    )


__all__ = ["DraftRef", "ReviewStore"]
