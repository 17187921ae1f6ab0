"""``build_services``: one wiring for the CLI and the UI, nothing heavy built
or imported before it is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import cli
from app.check_service import CheckService
from app.gradient import GradientService
from app.services import RetrievalService, Services, build_services
from app.settings import load_settings
from corpus.loader import Corpus, CorpusError, default_corpus

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "chromadb", "langchain_core", "streamlit", "sentence_transformers", "torch")


def test_services_share_one_corpus_and_one_store_factory(tmp_path: Path) -> None:
    svc = build_services(load_settings(data_dir=tmp_path))
    assert svc.corpus is default_corpus()
    assert isinstance(svc.checks, CheckService) and svc.checks.corpus is svc.corpus
    assert svc.checks.stores is svc.stores
    assert isinstance(svc.gradient, GradientService) and svc.gradient.corpus is svc.corpus
    assert svc.stores.url == f"sqlite:///{(tmp_path / 'shenbao.db').as_posix()}"
    assert not svc.retrieval.ready
    assert svc.stores.shared is svc.stores.shared  # one long-lived store …
    with svc.stores.open() as store:  # … and new ones for one CLI run
        assert store is not svc.stores.shared
    svc.stores.close()


def test_database_url_setting_is_used(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert build_services(load_settings(database_url=url)).stores.url == url


def test_an_invalid_corpus_is_a_corpus_error() -> None:
    def broken() -> Corpus:
        raise CorpusError(["坏了"])

    with pytest.raises(CorpusError):
        build_services(load_settings(), corpus_loader=broken)


def test_building_services_imports_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import app.cli\n"
        "from app.services import build_services\n"
        "from app.settings import load_settings\n"
        "svc = build_services(load_settings())\n"
        "svc.gradient.rules()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "SHENBAO_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []
    assert not (tmp_path / "shenbao.db").exists()  # no store opened


def test_retriever_is_built_once_and_rebuilt_after_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(data_dir=tmp_path, retrieval={"embedder": "fake:32"})
    retrieval = RetrievalService(settings, default_corpus())
    report = retrieval.build_index()
    assert report.chunks > 0 and not retrieval.ready
    first = retrieval.retriever()
    assert retrieval.ready and retrieval.retriever() is first
    retrieval.build_index()
    assert not retrieval.ready and retrieval.retriever() is not first


def test_cli_commands_obtain_their_services_from_build_services(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Services] = []
    real = build_services

    def spy(settings: object) -> Services:
        svc = real(settings)  # type: ignore[arg-type]
        built.append(svc)
        return svc

    monkeypatch.setattr("app.services.build_services", spy)
    res = CliRunner().invoke(cli.app, ["rules", "-p", "js-gradient-2025", "-f", "json"])
    assert res.exit_code == 0 and len(built) == 1
    assert len(json.loads(res.stdout)) == len(built[0].corpus.programme("js-gradient-2025").rules)


def test_cli_reports_bad_settings_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENBAO_RETRIEVAL__K", "很多")
    res = CliRunner().invoke(cli.app, ["programmes"])
    assert res.exit_code == 2 and "设置有误" in res.output
