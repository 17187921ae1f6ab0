"""Issue #10 item 12: a damaged SQLite review store (random bytes, truncated,
garbled pages, garbled rows) is a clear error that says how to recover; the
CLI gives the same "未能保存" hint as for an unreachable database and keeps the
exit code of the findings."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.store import ReviewStore, StoreCorruptError, StoreError, StoreUnavailableError
from tests.test_cli_fixtures import PROGRAMME, good_draft, salary_draft, write_json

runner = CliRunner()
PAGE = 4096
SHA = "ab" * 32


def _healthy_store(path: Path, runs: int = 30) -> None:
    """A real review store with some runs in it (several pages)."""
    from core.findings import Citation, Finding

    cite = Citation(doc="d", doc_title="文件", clause="一", quote="原文")
    findings = [
        Finding(
            id=f"{PROGRAMME}:r{i}",
            title="规则",
            status="pass",
            severity="error",
            message="说明" * 40,
            citation=cite,
        )
        for i in range(20)
    ]
    with ReviewStore(f"sqlite:///{path}") as store:
        for i in range(runs):
            store.record_run(f"草稿{i}.docx", SHA, PROGRAMME, findings, "v1")


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(path.stat().st_size))


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def garbled_pages(path: Path) -> None:
    """Every third page after the first overwritten with noise (the header survives)."""
    data = bytearray(path.read_bytes())
    rng = random.Random(2)
    for page in range(1, len(data) // PAGE, 3):
        data[page * PAGE : (page + 1) * PAGE] = rng.randbytes(PAGE)
    path.write_bytes(bytes(data))


def garbled_rows(path: Path) -> None:
    """A database SQLite finds intact, whose rows cannot be read back."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE findings SET evidence = '{not json' WHERE id = 1")
        conn.execute("UPDATE meta SET value = 'one' WHERE key = 'schema_version'")
    conn.close()


DAMAGE: list[Callable[[Path], None]] = [random_bytes, truncated, garbled_pages]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_damaged_file_is_a_corrupt_store_error(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    db = tmp_path / "shenbao.db"
    _healthy_store(db)
    assert db.stat().st_size > 20 * PAGE  # enough pages for the damage to hit data
    damage(db)
    with ReviewStore(f"sqlite:///{db}") as store, pytest.raises(StoreCorruptError) as info:
        store.record_run("新草稿.docx", SHA, PROGRAMME, [], "v1")
    message = str(info.value)
    assert "已损坏" in message
    assert str(db.resolve()) in message and "改名" in message  # how to recover


def test_garbled_rows_are_a_corrupt_store_error(tmp_path: Path) -> None:
    db = tmp_path / "shenbao.db"
    _healthy_store(db, runs=2)
    garbled_rows(db)
    with ReviewStore(f"sqlite:///{db}") as store, pytest.raises(StoreCorruptError, match="无法读回"):
        store.history("草稿0.docx", PROGRAMME)
    with sqlite3.connect(db) as conn:  # schema version readable again: the garbled JSON remains
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with ReviewStore(f"sqlite:///{db}") as store, pytest.raises(StoreCorruptError, match="无法读回"):
        store.get_run(1)


def test_corrupt_is_a_store_error_but_not_unavailable(tmp_path: Path) -> None:
    """The CLI and UI catch StoreError; the message is not the PostgreSQL one."""
    db = tmp_path / "shenbao.db"
    db.write_bytes(os.urandom(3 * PAGE))
    with ReviewStore(f"sqlite:///{db}") as store, pytest.raises(StoreError) as info:
        store.history("a.docx", PROGRAMME)
    assert isinstance(info.value, StoreCorruptError)
    assert not isinstance(info.value, StoreUnavailableError)
    assert "PostgreSQL" not in str(info.value)


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("draft", "code"), [(good_draft, 0), (salary_draft, 1)], ids=["passing", "failing"])
def test_cli_keeps_the_findings_exit_code_and_says_how_to_recover(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[Path], None],
    draft: Callable[[], dict[str, object]],
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(data))
    data.mkdir()
    db = data / "shenbao.db"
    _healthy_store(db)
    damage(db)
    write_json(tmp_path / "a.json", draft())

    res = runner.invoke(app, ["check", "a.json", "-p", PROGRAMME, "-f", "json"])
    assert res.exit_code == code
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("提示：检查结果未能保存到审阅记录（") and "不影响本次检查结果" in lines[0]
    assert "恢复办法" in lines[0] and str(db.resolve()) in lines[0]

    # following the advice: the damaged file renamed, the next check is stored
    db.rename(db.with_name("shenbao.db.damaged"))
    again = runner.invoke(app, ["check", "a.json", "-p", PROGRAMME, "-f", "json"])
    assert again.exit_code == code
    assert "a.json：首次检查，已保存本次结果。" in again.stderr
