"""The real local model (llama-cpp-python with the GGUF shipped on PyPI) on one
claim, in-process and behind an OpenAI-compatible server (llama-cpp-python's
own, started here on 127.0.0.1). Marked ``local_model``: where the model is not
set up, these are deselected and the summary says so (see conftest.py).

A model's judgement is not pinned here (the eval measures it); what is checked
is that the review went through the model (method is the provider's, no
fallback note), that every quote it kept is verbatim, and that the verdict is
the one the elements give."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.llm.errors import ModelFileError
from app.llm.model_files import MODELS, ModelFile, assemble, is_ready, part_files
from app.review.llm import build_reviewer
from app.review.service import ReviewService
from app.settings import load_settings
from core.review import Claim, ClaimReview, Passage, verbatim, verdict_of
from corpus.loader import default_corpus

pytestmark = pytest.mark.local_model

REPO = Path(__file__).resolve().parents[1]
# the example: all three elements (tests/test_review_rules.py)
FULL = (
    "针对人工目检漏检率高的问题，公司在总装线末端部署了视觉检测系统。"
    "工业相机实时采集产品图像，边缘服务器上的缺陷识别模型判定后自动将不合格品分拣至返修线。"
    "项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"
)
CLAIM = Claim(
    id="scenario.14",
    programme="",
    kind="scenario",
    title="在线智能检测",
    item="14",
    item_name="在线智能检测",
    passages=(Passage(text=FULL),),
)


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModelFile, Path]:
    """The smallest local model available: assembled under data/ already, or
    assembled now from its installed parts into a temp dir."""
    for key in ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"):
        spec = MODELS[key]
        if is_ready(spec, REPO / "data"):
            return spec, REPO / "data"
    for key in ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"):
        spec = MODELS[key]
        try:
            part_files(spec)
        except ModelFileError:
            continue
        data = tmp_path_factory.mktemp("model-data")
        assemble(spec, data)
        return spec, data
    pytest.fail("本地模型不可用（conftest 应已把本测试取消选择）")


def check_review(r: ClaimReview, method: str) -> None:
    assert r.method == method, r.notes  # not a fallback to rules
    assert not any("已改用仅规则审阅" in n for n in r.notes)
    for e in r.elements.values():
        assert e.present == bool(e.quotes)
        assert all(verbatim(q, FULL) for q in e.quotes)
    assert r.verdict == verdict_of({k: e.present for k, e in r.elements.items()})


def test_local_model_reviews_one_claim(local_model: tuple[ModelFile, Path]) -> None:
    spec, data = local_model
    settings = load_settings(data_dir=data, llm={"provider": "local", "local_model": spec.key})
    reviewer = build_reviewer(settings)
    assert reviewer is not None and reviewer.method == "local"
    started = time.perf_counter()
    r = ReviewService(default_corpus(), reviewer).review_claim(CLAIM)
    elapsed = time.perf_counter() - started
    print(f"\n{spec.key}: {elapsed:.1f} s, verdict {r.verdict}, elements {dict(r.elements)}, notes {r.notes}")
    check_review(r, "local")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def llama_server(local_model: tuple[ModelFile, Path], tmp_path: Path) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on 127.0.0.1 with the local model
    (its log goes to a file: a pipe nobody reads would fill and block it)."""
    spec, data = local_model
    port = _free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(data / "models" / spec.filename),
        "--model_alias", "shenbao-local",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
    ]  # fmt: skip
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                err = (tmp_path / "server.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {err}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not come up within 180 s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_openai_provider_against_a_real_openai_compatible_server(llama_server: str) -> None:
    settings = load_settings(
        llm={
            "provider": "openai",
            "base_url": llama_server,
            "model": "shenbao-local",
            # llama-cpp-python's server takes a schema as json_object + schema, not json_schema
            "response_format": "json_object_schema",
            "timeout": 300,
            "max_retries": 0,
        }
    )
    reviewer = build_reviewer(settings)
    assert reviewer is not None and reviewer.method == "openai" and reviewer.concurrency == 4
    started = time.perf_counter()
    r = ReviewService(default_corpus(), reviewer).review_claim(CLAIM)
    print(
        f"\nopenai via llama_cpp.server: {time.perf_counter() - started:.1f} s, verdict {r.verdict}, notes {r.notes}"
    )
    check_review(r, "openai")
