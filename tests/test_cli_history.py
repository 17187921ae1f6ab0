"""`shenbao check` stores each run and says what changed since the previous check."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from app.store import ReviewStore
from tests.test_cli_fixtures import good_draft, salary_draft, write_json

runner = CliRunner()


def test_recheck_after_edit_shows_what_was_fixed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(data))
    write_json(tmp_path / "a.json", salary_draft())
    first = runner.invoke(app, ["check", "a.json", "-p", "js-iif-2022", "-f", "md"])
    assert first.exit_code == 1
    assert "a.json：首次检查，已保存本次结果。" in first.stderr

    write_json(tmp_path / "a.json", good_draft())  # the edit: investment fixed
    second = runner.invoke(app, ["check", "a.json", "-p", "js-iif-2022", "-f", "md"])
    assert second.exit_code == 0
    assert "已修复 1 项，新增问题 0 项，仍未通过 0 项" in second.stderr
    assert "js-iif-2022:investment-min" in second.stderr

    with ReviewStore(f"sqlite:///{data / 'shenbao.db'}") as store:
        runs = store.history("a.json", "js-iif-2022")
    assert len(runs) == 2


def test_unusable_file_stores_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(data))
    (tmp_path / "bad.docx").write_bytes(b"%PDF-1.4 not a docx")
    res = runner.invoke(app, ["check", "bad.docx", "-p", "js-iif-2022"])
    assert res.exit_code == 2
    with ReviewStore(f"sqlite:///{data / 'shenbao.db'}") as store:
        assert store.history("bad.docx", "js-iif-2022") == []
        assert store.count_rows()["runs"] == 0


def test_no_history_writes_no_store(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "data"))
    write_json(tmp_path / "a.json", good_draft())
    res = runner.invoke(app, ["check", "a.json", "-p", "js-iif-2022", "--no-history"])
    assert res.exit_code == 0
    assert not (tmp_path / "data" / "shenbao.db").exists()
