"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import CORPUS_DIR
from corpus.loader import Corpus, default_corpus

REPO = Path(__file__).resolve().parents[1]
POLICY_SOURCES = REPO / "corpus" / "sources"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return default_corpus()


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus data (docs, catalogues, specs, search glossary)."""
    dst = tmp_path / "corpus"
    for sub in ("docs", "scenarios", "programmes", "search"):
        shutil.copytree(CORPUS_DIR / sub, dst / sub)
    return dst


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test writes its review store / index under a temp dir, never into the repo."""
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path_factory.mktemp("data")))
