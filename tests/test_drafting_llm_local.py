"""The real local model drafting one row: in-process (provider ``local``,
grammar-constrained JSON) and through the ``openai`` provider against
llama-cpp-python's OpenAI-compatible server started here on 127.0.0.1 (the
fixtures of tests/test_llm_local_model.py). Marked ``local_model``: where the
model is not set up, these are deselected and the summary says so.

The model's prose is not pinned (the eval measures it); what is checked is
that the row went through the model (``method: llm``, no fallback note), and
that every guarantee holds on what came back: each column within its limit by
Word's 字数, every number and name from the facts, every written column traced
to facts, fits only as-written/shortened/cut/empty.

The model files are looked for under the repository's ``data/`` and, for a
worktree without one, under ``SHENBAO_MODEL_DATA_DIR`` (another checkout's ``data/``)
before being assembled from the installed parts into a temporary folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.drafting.facts import split_facts
from app.drafting.guarantees import grounded_facts, names_not_in, numbers_not_in
from app.drafting.llm import build_drafter
from app.drafting.service import DraftService
from app.llm.errors import ModelFileError
from app.llm.model_files import MODELS, ModelFile, assemble, is_ready, part_files
from app.settings import load_settings
from core.drafting import ScenarioRow
from core.text import count_zishu
from corpus.loader import default_corpus
from tests.test_llm_local_model import llama_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.local_model

REPO = Path(__file__).resolve().parents[1]
# a short Nantong sheet (issue #12's 150/150/300/150/200/150 columns)
FACTS = """以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。
2022年公司在机加工线末端部署了视觉检测系统，由苏州某视觉科技有限公司提供。
工业相机实时采集壳体图像，缺陷识别模型判定后自动将不合格品分拣至返修区。
项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"""
WORKSHOP_FACTS = """车间对45台注塑机加装数据采集终端，设备管理系统实时监测温度和压力。
参数超出工艺窗口时系统自动报警并推送给班组长。
实施后设备非计划停机时间减少35%。"""


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModelFile, Path]:
    """The smallest assembled model under data/ or SHENBAO_MODEL_DATA_DIR, else assembled now."""
    extra = os.environ.get("SHENBAO_MODEL_DATA_DIR")
    dirs = [REPO / "data", *([Path(extra)] if extra else [])]
    for key in ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"):
        for d in dirs:
            if is_ready(MODELS[key], d):
                return MODELS[key], d
    for key in ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"):
        try:
            part_files(MODELS[key])
        except ModelFileError:
            continue
        data = tmp_path_factory.mktemp("model-data")
        assemble(MODELS[key], data)
        return MODELS[key], data
    pytest.fail("本地模型不可用（conftest 应已把本测试取消选择）")


def check_guarantees(row: ScenarioRow, facts: str) -> None:
    assert row.method == "llm", row.notes  # drafted by the model, not the rules fallback
    assert not any("已改用仅规则起草" in n for n in row.notes), row.notes
    assert row.ok(), row
    split = split_facts(facts)
    for c in row.columns:
        assert c.count == count_zishu(c.text)
        assert c.limit is None or c.count <= c.limit, c
        assert c.fit in ("as-written", "shortened", "cut", "empty")
        assert numbers_not_in(c.text, facts)[1] == [], c
        assert names_not_in(c.text, facts, frozenset({"MES"})) == [], c
        if c.text:
            assert grounded_facts(c.text, split, c.facts_used), c


def test_the_local_model_drafts_one_row_within_every_guarantee(local_model: tuple[ModelFile, Path]) -> None:
    spec, data = local_model
    settings = load_settings(data_dir=data, llm={"provider": "local", "local_model": spec.key})
    drafter = build_drafter(settings)
    assert drafter is not None
    corpus = default_corpus()
    started = time.perf_counter()
    row = DraftService(corpus, drafter=drafter).draft_row(
        corpus.programme("nt-smart-factory-2022"), FACTS, "14", factory_type="离散型"
    )
    print(f"\n{spec.key}: {time.perf_counter() - started:.1f} s, {drafter.stats.calls} calls")
    print("\n".join(f"{c.key} [{c.fit} {c.count}/{c.limit}] {c.text}" for c in row.columns))
    check_guarantees(row, FACTS)
    assert any(c.text for c in row.columns if c.key == "results")  # the facts hold results


def test_the_openai_provider_drafts_against_a_real_server(llama_server: str) -> None:  # noqa: F811
    settings = load_settings(
        llm={
            "provider": "openai",
            "base_url": llama_server,
            "model": "shenbao-local",
            "response_format": "json_object_schema",  # llama-cpp-python's server takes json_object + schema
            "timeout": 600,
            "max_retries": 0,
        }
    )
    drafter = build_drafter(settings)
    assert drafter is not None and drafter.provider.name == "openai"
    corpus = default_corpus()
    started = time.perf_counter()
    row = DraftService(corpus, drafter=drafter).draft_row(
        corpus.programme("js-smart-workshop"), WORKSHOP_FACTS, "16"
    )
    print(f"\nopenai via llama_cpp.server: {time.perf_counter() - started:.1f} s, {row.columns[0].text}")
    check_guarantees(row, WORKSHOP_FACTS)
