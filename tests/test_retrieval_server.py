"""Server mode: the same ingestion and retrieval against a real Chroma server
(``chroma run``) that this test starts on a free loopback port and stops."""

from __future__ import annotations

import dataclasses
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.retrieval.embedders import FakeEmbedder
from app.retrieval.errors import EmbeddingModelMismatchError, StoreUnavailableError
from app.retrieval.retriever import Filters
from app.retrieval.service import build_retriever, ingest_corpus
from app.retrieval.store import ChromaIndex
from app.settings import load_settings
from corpus.loader import Corpus


def _chroma() -> str:
    assert CHROMA is not None, "the chroma CLI (package chromadb) is not installed: run make test"
    return CHROMA


# the chroma CLI installed beside this interpreter (a venv need not be on PATH), else on PATH
_BESIDE = Path(sys.executable).parent / "chroma"
CHROMA = str(_BESIDE) if _BESIDE.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [_chroma(), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path / "db")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chroma server did not start: " + (path / "server.log").read_text())
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_ingest_and_search_through_server(chroma_url: str, corpus: Corpus, tmp_path: Path) -> None:
    small = dataclasses.replace(
        corpus,
        docs={k: corpus.docs[k] for k in ("js-iif-2022-notice", "nt-2022-notice", "scenarios-guide-2024")},
    )
    settings = load_settings(
        data_dir=tmp_path,
        chroma={"url": chroma_url, "collection": "server-test"},
        retrieval={"embedder": "fake:64"},
    )
    first = ingest_corpus(settings, corpus=small)
    assert first.added == first.chunks > 40
    again = ingest_corpus(settings, corpus=small)
    assert (again.added, again.unchanged) == (0, first.chunks)
    assert not (tmp_path / "chroma").exists(), "server mode must not write a local index"

    retriever = build_retriever(settings, corpus=corpus)
    docs = retriever.invoke("平台和系统开发费 2000万元", k=3)
    assert len(docs) == 3
    assert any(d.metadata["doc"] == "js-iif-2022-notice" and "2000万元" in d.page_content for d in docs)
    only = retriever.search("智能仓储", 5, Filters(scenario="智能仓储"))
    assert only and all(r.record.metadata["scenario"] == "18" for r in only)

    with pytest.raises(EmbeddingModelMismatchError):
        ChromaIndex.from_settings(settings, FakeEmbedder(dim=32))


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        chroma={"url": f"http://127.0.0.1:{_free_port()}"},
        retrieval={"embedder": "fake:64"},
    )
    with pytest.raises(StoreUnavailableError) as err:
        ChromaIndex.from_settings(settings, FakeEmbedder(dim=64))
    assert "SHENBAO_CHROMA__URL" in str(err.value)
