"""Issue #10 item 12 (Chroma): a damaged local index is a clear error that
says to rebuild, and ``shenbao ingest --rebuild`` does recover it — removing
Chroma's files and nothing else. The index is real (PersistentClient in
tmp_path), built with the deterministic fake embedder; its ``chroma.sqlite3``
is then damaged on disk."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.retrieval.embedders import FakeEmbedder
from app.retrieval.errors import IndexCorruptError
from app.retrieval.service import build_retriever, ingest_corpus
from app.retrieval.store import ChromaIndex, _forget_client, sqlite_damage
from app.settings import Settings, load_settings
from corpus.loader import Corpus
from tests.test_retrieval_ingest import DOCS, small_corpus

runner = CliRunner()
PAGE = 4096


def truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def garbled_pages(db: Path) -> None:
    """Every third page after the first overwritten with noise (the header survives)."""
    data = bytearray(db.read_bytes())
    rng = random.Random(3)
    for page in range(2, len(data) // PAGE, 3):
        data[page * PAGE : (page + 1) * PAGE] = rng.randbytes(PAGE)
    db.write_bytes(bytes(data))


def one_garbled_page(db: Path) -> None:
    """A single page garbled: Chroma may not notice until it reads that page."""
    data = bytearray(db.read_bytes())
    page = len(data) // PAGE // 2
    data[page * PAGE : (page + 1) * PAGE] = random.Random(4).randbytes(PAGE)
    db.write_bytes(bytes(data))


DAMAGE: list[Callable[[Path], None]] = [truncated, garbled_pages]


def _settings(data: Path) -> Settings:
    return load_settings(data_dir=data, retrieval={"embedder": "fake:64"})


def _damaged_index(data: Path, corpus: Corpus, damage: Callable[[Path], None]) -> Settings:
    """A real index of three documents, closed as at the end of a process, then damaged."""
    settings = _settings(data)
    report = ingest_corpus(settings, corpus=small_corpus(corpus, DOCS), embedder=FakeEmbedder(64))
    assert report.added > 20
    _forget_client(settings.chroma_path)  # the next open reads the files, as a new process would
    db = settings.chroma_path / "chroma.sqlite3"
    assert db.stat().st_size > 20 * PAGE
    damage(db)
    assert sqlite_damage(settings.chroma_path) is not None
    return settings


def _search(settings: Settings, corpus: Corpus) -> list[str]:
    retriever = build_retriever(settings, corpus=small_corpus(corpus, DOCS), embedder=FakeEmbedder(64))
    return [r.record.id for r in retriever.search("正常经营1年以上", 3)]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_damaged_index_says_to_rebuild_and_rebuild_recovers(
    tmp_path: Path, corpus: Corpus, damage: Callable[[Path], None]
) -> None:
    settings = _damaged_index(tmp_path, corpus, damage)
    foreign = settings.chroma_path / "说明.txt"
    foreign.write_text("not Chroma's", encoding="utf-8")

    with pytest.raises(IndexCorruptError) as info:
        _search(settings, corpus)
    message = str(info.value)
    assert "已损坏" in message and "shenbao ingest --rebuild" in message
    assert str(settings.chroma_path) in message  # what to delete if the rebuild fails too

    report = ingest_corpus(
        settings, corpus=small_corpus(corpus, DOCS), embedder=FakeEmbedder(64), rebuild=True
    )
    assert report.added == report.chunks > 20
    assert sqlite_damage(settings.chroma_path) is None
    assert len(_search(settings, corpus)) == 3
    assert foreign.read_text(encoding="utf-8") == "not Chroma's"  # only Chroma's files were removed


def test_rebuild_removes_damage_chroma_has_not_noticed(tmp_path: Path, corpus: Corpus) -> None:
    """Dropping the collection would leave the garbled page in the file: the
    rebuild checks the file and starts afresh."""
    settings = _damaged_index(tmp_path, corpus, one_garbled_page)
    ingest_corpus(settings, corpus=small_corpus(corpus, DOCS), embedder=FakeEmbedder(64), rebuild=True)
    assert sqlite_damage(settings.chroma_path) is None
    assert len(_search(settings, corpus)) == 3


def test_rebuild_of_a_healthy_index_keeps_other_collections(tmp_path: Path, corpus: Corpus) -> None:
    settings = _settings(tmp_path)
    small = small_corpus(corpus, DOCS)
    other = ChromaIndex.from_settings(
        load_settings(data_dir=tmp_path, chroma={"collection": "other"}, retrieval={"embedder": "fake:64"}),
        FakeEmbedder(64),
    )
    from app.retrieval.pipeline import ingest

    kept = ingest(small, other).chunks
    ingest_corpus(settings, corpus=small, embedder=FakeEmbedder(64), rebuild=True)
    assert other.count() == kept


@pytest.mark.parametrize("damage", [truncated, garbled_pages], ids=lambda f: f.__name__)
def test_cli_ingest_rebuild_recovers(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], None]
) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHENBAO_RETRIEVAL__EMBEDDER", "fake:64")
    _damaged_index(tmp_path, corpus, damage)

    broken = runner.invoke(app, ["search", "智能工厂"])
    assert broken.exit_code == 2
    assert "shenbao ingest --rebuild" in broken.stderr and "Traceback" not in broken.stderr
    plain = runner.invoke(app, ["ingest"])
    assert plain.exit_code == 2 and "shenbao ingest --rebuild" in plain.stderr

    rebuilt = runner.invoke(app, ["ingest", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    found = runner.invoke(app, ["search", "智能工厂", "-f", "json"])
    assert found.exit_code == 0 and found.stdout.startswith("[")
