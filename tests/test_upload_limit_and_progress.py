"""Issue #10 item 13: the browser refuses uploads over the 20 MB that the
readers accept (Streamlit's default would take 200 MB), however the app is
started; a batch shows progress while it stores its results, not only while
it checks."""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from test_cli_fixtures import PROGRAMME, good_draft, salary_draft, write_json
from test_ui_fixtures import json_bytes, page
from typer.testing import CliRunner

import app.cli as cli
from app.check_service import CheckService
from app.history import ReviewStores
from app.uploads import stage_uploads
from corpus.loader import default_corpus
from ingestion.drafts.filetype import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[1]
LIMIT_MB = 20  # issue #10: "drafts over 20 MB are refused"
runner = CliRunner()


def test_the_reader_limit_is_20_mb() -> None:
    assert MAX_FILE_BYTES == LIMIT_MB * 1024 * 1024


def test_streamlit_config_sets_the_upload_limit() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == LIMIT_MB


def test_serve_passes_the_upload_limit_and_runs_where_the_config_is(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], Path]] = []

    def fake_call(cmd: list[str], cwd: Path) -> int:
        calls.append((cmd, Path(cwd)))
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    res = runner.invoke(cli.app, ["serve"])
    assert res.exit_code == 0
    ((cmd, cwd),) = calls
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == str(LIMIT_MB)
    assert (cwd / ".streamlit" / "config.toml").is_file()  # Streamlit reads the config from its cwd


@pytest.mark.parametrize(("name", "key"), [("check", "check_upload"), ("batch", "batch_upload")])
def test_every_uploader_refuses_more_than_the_limit(name: str, key: str) -> None:
    """Each uploader carries the limit, so the browser refuses a larger file
    before sending it, even when the app is started without the config."""
    at = page(name)
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    assert at.file_uploader(key=key).proto.max_upload_size_mb == LIMIT_MB


# -- progress of the store step ----------------------------------------------------------


def test_cli_batch_shows_progress_while_storing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "data"))
    for name in ("a", "b", "c"):
        write_json(tmp_path / "d" / f"{name}.json", good_draft())
    write_json(tmp_path / "d" / "e.json", salary_draft())
    (tmp_path / "d" / "f.json").write_text("{", encoding="utf-8")  # not checked, not stored
    bars: dict[str, list[tuple[int, int]]] = {}

    @contextmanager
    def recording(total: int, label: str = "检查中") -> Iterator[Any]:
        calls = bars.setdefault(label, [])
        yield lambda done, n, _path: calls.append((done, n))

    monkeypatch.setattr(cli, "_progress", recording)
    res = runner.invoke(cli.app, ["check", "d", "-p", PROGRAMME, "-f", "json"])
    assert res.exit_code == 2
    assert bars["检查中"][-1] == (5, 5)
    assert bars["保存中"] == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_staged_batch_reports_progress_while_storing(tmp_path: Path) -> None:
    svc = CheckService(default_corpus(), ReviewStores(f"sqlite:///{tmp_path / 'review.db'}"))
    staged = stage_uploads(
        [("a.json", json_bytes(good_draft())), ("b.json", json_bytes(salary_draft())), ("c.pdf", b"x")],
        tmp_path / "staged",
    )
    stored: list[tuple[int, int]] = []
    batch = svc.check_staged(
        staged, svc.corpus.programme(PROGRAMME), on_store=lambda n, total, _p: stored.append((n, total))
    )
    assert batch.store_note is None
    assert stored == [(1, 2), (2, 2)]
    svc.stores.close()
