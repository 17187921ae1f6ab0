"""Review store against SQLite (a temp file) and a real PostgreSQL server.

Every test that takes ``store`` runs once per backend. The PostgreSQL server is
started once per session by :func:`pg_server` from the Debian server binaries
(``scripts/install-system-deps.sh`` installs them) as an unprivileged user,
listening on 127.0.0.1 only; each test gets its own schema. If the server
cannot start, the fixture fails (never skips) and shows the server log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import inspect, text

from app.store import (
    SCHEMA_VERSION,
    FindingNotSerialisableError,
    ReviewStore,
    SchemaVersionError,
    StoreUnavailableError,
    UnknownRunError,
    draft_key,
    make_engine,
    normalise_file_name,
)
from app.store.engine import normalise_url
from core.findings import Citation, Evidence, Finding, Measure, MissingField

PROGRAMME = "js-iif-2022"
CORPUS_V1 = "corpus-2024.1"
CORPUS_V2 = "corpus-2024.2"
PG_USER = "shenbao"

# -- PostgreSQL server (session) -----------------------------------------------


@dataclass(frozen=True)
class PgServer:
    """A running throw-away PostgreSQL server on the loopback interface."""

    port: int
    log: Path

    def url(self, schema: str | None = None) -> str:
        base = f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/postgres"
        return f"{base}?options=-csearch_path%3D{schema}" if schema else base

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=PG_USER, dbname="postgres", autocommit=True
        )


def _pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: $SHENBAO_PG_BINDIR, PATH, or the newest Debian install."""
    override = os.environ.get("SHENBAO_PG_BINDIR")
    if override:
        return Path(override)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(cmd: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start PostgreSQL for the session (initdb + pg_ctl as an unprivileged user); stop it after."""
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/install-system-deps.sh "
            "or set SHENBAO_PG_BINDIR",
            pytrace=False,
        )
    base = Path(tempfile.mkdtemp(prefix="shenbao-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            pytest.fail("running as root but there is no 'postgres' user to run the server as", pytrace=False)
        os.chown(base, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = base / "data", base / "server.log"
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, "--auth=trust", "--no-sync"]
    init = _run([*as_user, *initdb, "--encoding=UTF8", "--locale=C"])
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"initdb failed ({init.returncode}):\n{init.stdout}\n{init.stderr}", pytrace=False)
    pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log)]
    started: subprocess.CompletedProcess[str] | None = None
    port = 0
    for _attempt in range(3):  # another process may take the port between probe and bind
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = _run([*pg_ctl, "-w", "-t", "30", "-o", options, "start"])
        if started.returncode == 0:
            break
    assert started is not None
    if started.returncode != 0:
        server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else "(no log)"
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(
            f"PostgreSQL did not start ({started.returncode}):\n{started.stdout}\n{started.stderr}\n"
            f"--- server log ---\n{server_log}",
            pytrace=False,
        )
    try:
        yield PgServer(port=port, log=log)
    finally:
        _run([*pg_ctl, "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


# -- one store per test, per backend -------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new schema on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'shenbao.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with server.admin() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield server.url(schema)
    with server.admin() as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture()
def store(store_url: str) -> Iterator[ReviewStore]:
    with ReviewStore(store_url) as s:
        yield s


# -- data -----------------------------------------------------------------------

CITATION = Citation(doc="000", doc_title="通知", clause="一、申报条件 2", text="投资额不低于2000万元")


def finding(rule: str, status: Any = "pass", message: str | None = None, **kw: Any) -> Finding:
    return Finding(
        id=f"{PROGRAMME}:{rule}",
        title=f"规则{rule}",
        status=status,
        severity=kw.pop("severity", "error"),
        message=message if message is not None else f"{rule} {status}",
        citation=kw.pop("citation", CITATION),
        **kw,
    )


def sha(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


# -- recording and reading back ---------------------------------------------------


def test_record_run_round_trips_findings(store: ReviewStore) -> None:
    findings = [
        finding(
            "investment-min",
            "fail",
            "三项投资合计 1800 万元，低于 2000 万元",
            evidence=Evidence(
                values=(
                    Measure(key="total", label="合计", value=1800.0, unit="万元", original="1,800万元"),
                    Measure(key="items", label="项目", value=["平台", "设备"]),
                    Measure(key="date", label="日期", value="2022-05-20"),
                ),
                missing=(MissingField(path="project.investment.testing_consulting", label="检测咨询费"),),
            ),
            location="table 2, row 4",
        ),
        finding("credit-code", "pass", severity="warning"),
        finding("overview-length", "warn", location=None),
        finding("attachments", "unknown"),
        finding("two-integration-cert", "n/a", severity="info"),
    ]
    run = store.record_run("客户A/申报书.docx", sha("v1"), PROGRAMME, findings, CORPUS_V1, size=1234)

    assert run.status == "ok" and run.error_message is None
    assert run.summary == {"pass": 1, "fail": 1, "warn": 1, "unknown": 1, "n/a": 1}
    assert (run.sha256, run.size, run.corpus_version, run.programme) == (
        sha("v1"),
        1234,
        CORPUS_V1,
        PROGRAMME,
    )
    assert run.draft_key == draft_key("客户A/申报书.docx", PROGRAMME)
    assert run.started.tzinfo is not None

    loaded = store.get_run(run.id)
    assert loaded.summary == run.summary
    assert abs(loaded.started - run.started) < dt.timedelta(seconds=1)
    assert [f.model_dump() for f in loaded.findings] == [f.model_dump() for f in findings]
    assert loaded.findings[0].evidence == findings[0].evidence  # labels, units, text as written, order
    assert [m.key for m in loaded.findings[0].evidence.values] == ["total", "items", "date"]
    assert loaded.findings[0].location == "table 2, row 4"
    assert loaded.findings[2].location is None


def test_get_unknown_run(store: ReviewStore) -> None:
    with pytest.raises(UnknownRunError, match="12345"):
        store.get_run(12345)


def test_same_hash_twice_is_a_new_run_of_the_same_version(store: ReviewStore) -> None:
    first = store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x")], CORPUS_V1)
    again = store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x")], CORPUS_V1)
    newer_corpus = store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x")], CORPUS_V2)
    edited = store.record_run("a.docx", sha("v2"), PROGRAMME, [finding("x")], CORPUS_V2)

    assert len({first.id, again.id, newer_corpus.id, edited.id}) == 4
    assert store.count_rows() == {"drafts": 1, "versions": 2, "runs": 4, "findings": 4}
    assert first.sha256 == again.sha256 == newer_corpus.sha256 != edited.sha256


def test_draft_identity(store: ReviewStore) -> None:
    a = store.record_run("./客户A/申报书（修改）.DOCX", sha("v1"), PROGRAMME, [], CORPUS_V1)
    b = store.record_run("客户A\\申报书(修改).docx", sha("v2"), PROGRAMME, [], CORPUS_V1)
    other_folder = store.record_run("客户B/申报书(修改).docx", sha("v1"), PROGRAMME, [], CORPUS_V1)
    other_programme = store.record_run(
        "客户A/申报书(修改).docx", sha("v1"), "js-smart-factory", [], CORPUS_V1
    )

    assert a.draft_key == b.draft_key == f"{PROGRAMME}:客户a/申报书(修改).docx"
    assert len({a.draft_key, other_folder.draft_key, other_programme.draft_key}) == 3
    assert b.file_name == "客户A\\申报书(修改).docx"  # display name follows the latest upload
    assert store.count_rows()["drafts"] == 3
    assert normalise_file_name("  申报书　 初稿.docx ") == "申报书 初稿.docx"


def test_previous_run(store: ReviewStore) -> None:
    r1 = store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x", "fail")], CORPUS_V1)
    err = store.record_error("a.docx", sha("v2"), PROGRAMME, "文件损坏")
    r2 = store.record_run("a.docx", sha("v3"), PROGRAMME, [finding("x", "pass")], CORPUS_V1)
    store.record_run("b.docx", sha("v1"), PROGRAMME, [], CORPUS_V1)

    latest = store.previous_run(("a.docx", PROGRAMME))
    assert latest is not None and latest.id == r2.id
    before_r2 = store.previous_run(r2.draft_key, r2.id)
    assert before_r2 is not None and before_r2.id == r1.id  # the error run is skipped
    assert before_r2.findings == [finding("x", "fail")]
    with_errors = store.previous_run(r2.draft_key, r2.id, include_errors=True)
    assert with_errors is not None and with_errors.id == err.id and with_errors.findings == []
    assert store.previous_run(r1.draft_key, r1.id) is None
    assert store.previous_run(("never-seen.docx", PROGRAMME)) is None


def test_changes_between_runs(store: ReviewStore) -> None:
    store.record_run(
        "a.docx",
        sha("v1"),
        PROGRAMME,
        [finding("a", "fail"), finding("b", "pass"), finding("c", "warn"), finding("d", "unknown")],
        CORPUS_V1,
    )
    current = store.record_run(
        "a.docx",
        sha("v2"),
        PROGRAMME,
        [finding("a", "pass"), finding("b", "fail"), finding("c", "warn"), finding("d", "pass")],
        CORPUS_V1,
    )
    changes = store.changes_since_previous(current)
    assert changes is not None
    assert [c.rule_id for c in changes.fixed] == [f"{PROGRAMME}:a"]
    assert [c.rule_id for c in changes.new] == [f"{PROGRAMME}:b"]
    assert [c.rule_id for c in changes.still_failing] == [f"{PROGRAMME}:c"]
    assert [c.rule_id for c in changes.changed_unknown] == [f"{PROGRAMME}:d"]
    first = store.previous_run(current.draft_key, current.id)
    assert first is not None and store.changes_since_previous(first) is None


def test_history(store: ReviewStore) -> None:
    t0 = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    r1 = store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x", "fail")], CORPUS_V1, started=t0)
    e = store.record_error("a.docx", None, PROGRAMME, "无法读取", started=t0 + dt.timedelta(hours=1))
    r2 = store.record_run(
        "a.docx", sha("v1"), PROGRAMME, [finding("x")], CORPUS_V2, started=t0 + dt.timedelta(hours=2)
    )
    store.record_run("a.docx", sha("v1"), "js-smart-factory", [], CORPUS_V1)

    runs = store.history("a.docx", PROGRAMME)
    assert [r.id for r in runs] == [r2.id, e.id, r1.id]
    assert [r.status for r in runs] == ["ok", "error", "ok"]
    assert runs[0].summary["pass"] == 1 and runs[2].summary["fail"] == 1
    assert runs[1].error_message == "无法读取" and runs[1].sha256 is None
    assert runs[2].started == t0
    assert not hasattr(runs[0], "findings")
    assert store.history("nothing.docx", PROGRAMME) == []


def test_record_error_reuses_the_version(store: ReviewStore) -> None:
    store.record_run("a.docx", sha("v1"), PROGRAMME, [], CORPUS_V1)
    err = store.record_error("a.docx", sha("v1"), PROGRAMME, "加密文件，无法打开")
    assert err.status == "error" and err.sha256 == sha("v1")
    assert store.count_rows() == {"drafts": 1, "versions": 1, "runs": 2, "findings": 0}


# -- bad input changes nothing ------------------------------------------------------


def test_unserialisable_finding_stores_nothing(store: ReviewStore) -> None:
    not_json = Evidence(values=(Measure(key="value", label="数值", value=float("nan")),))  # JSON has no NaN
    bad = [finding("ok"), finding("broken", "fail", evidence=not_json)]
    with pytest.raises(FindingNotSerialisableError, match="broken"):
        store.record_run("a.docx", sha("v1"), PROGRAMME, bad, CORPUS_V1)
    assert store.count_rows() == {"drafts": 0, "versions": 0, "runs": 0, "findings": 0}

    store.record_run("a.docx", sha("v1"), PROGRAMME, [finding("ok")], CORPUS_V1)
    with pytest.raises(FindingNotSerialisableError):
        store.record_run("renamed/A.docx", sha("v2"), PROGRAMME, bad, CORPUS_V1)
    assert store.count_rows() == {"drafts": 1, "versions": 1, "runs": 1, "findings": 1}
    assert store.history("a.docx", PROGRAMME)[0].file_name == "a.docx"  # no rename either


def test_invalid_arguments_store_nothing(store: ReviewStore) -> None:
    with pytest.raises(ValueError, match="sha256"):
        store.record_run("a.docx", "not-a-hash", PROGRAMME, [], CORPUS_V1)
    with pytest.raises(ValueError, match="file name"):
        store.record_run("  ", sha("v1"), PROGRAMME, [], CORPUS_V1)
    assert store.count_rows() == {"drafts": 0, "versions": 0, "runs": 0, "findings": 0}


# -- schema ---------------------------------------------------------------------------


def test_schema_creation_is_idempotent(store_url: str) -> None:
    with ReviewStore(store_url) as first:
        first.record_run("a.docx", sha("v1"), PROGRAMME, [finding("x")], CORPUS_V1)
        first.ensure_schema()
    for _ in range(2):
        with ReviewStore(store_url) as again:
            again.ensure_schema()
            assert again.schema_version() == SCHEMA_VERSION
            assert again.count_rows() == {"drafts": 1, "versions": 1, "runs": 1, "findings": 1}
            with again.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM meta")).scalar_one() == 1


def test_newer_schema_is_refused_and_nothing_is_created(store_url: str) -> None:
    engine = make_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT)"))
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', '99')"))
    with ReviewStore(engine) as s, pytest.raises(SchemaVersionError, match="99"):
        s.history("a.docx", PROGRAMME)
    assert inspect(engine).get_table_names() == ["meta"]  # the table creation was rolled back
    engine.dispose()


# -- opening ---------------------------------------------------------------------------


def test_unreachable_postgres_is_a_clear_error() -> None:
    url = f"postgresql://someone:secret@127.0.0.1:{_free_port()}/nothing"
    with ReviewStore(url) as s, pytest.raises(StoreUnavailableError) as info:
        s.history("a.docx", PROGRAMME)
    assert "无法打开审查记录数据库" in str(info.value) and "secret" not in str(info.value)


def test_sqlite_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreUnavailableError):
        ReviewStore(f"sqlite:///{tmp_path / 'file' / 'sub' / 'shenbao.db'}")


def test_default_url_is_a_sqlite_file_under_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with ReviewStore() as s:
        s.record_run("a.docx", sha("v1"), PROGRAMME, [], CORPUS_V1)
    assert (tmp_path / "data" / "shenbao.db").is_file()


def test_bare_postgresql_url_uses_psycopg() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"


def test_pg_server_listens_on_loopback_only(pg_server: PgServer) -> None:
    start = time.monotonic()
    with pg_server.admin() as conn:
        row = conn.execute("SHOW listen_addresses").fetchone()
    assert row is not None and row[0] == "127.0.0.1"
    assert time.monotonic() - start < 5
