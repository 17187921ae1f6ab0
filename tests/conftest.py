"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

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


# --- the real local model (marker ``local_model``) -------------------------------------
# Tests marked ``local_model`` run the real GGUF through llama-cpp-python. Where the model
# is not set up here (llama-cpp-python not built, model parts not installed), they are
# *deselected*, not skipped-as-passed: pytest's last line counts them as "deselected" and
# a section of the summary says which and why. SHENBAO_REQUIRE_LOCAL_MODEL=1 turns that
# into a failure (for a machine where `make llm` is expected to have succeeded).

_LOCAL_MODEL_STATE: dict[str, object] = {}


def local_model_unavailable() -> str | None:
    """Why the real local model cannot run here (None when it can)."""
    import importlib.util

    from app.llm.errors import ModelFileError
    from app.llm.model_files import MODELS, is_ready, part_files

    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python 未安装（make llm）"
    for spec in MODELS.values():
        if is_ready(spec, REPO / "data"):
            return None
        try:
            part_files(spec)
            return None
        except ModelFileError:
            continue
    return "没有安装任何本地模型的分卷包（make llm）"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "local_model: runs the real local model (needs `make llm`)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    marked = [i for i in items if i.get_closest_marker("local_model")]
    if not marked:
        return
    reason = local_model_unavailable()
    if reason is None:
        return
    import os

    if os.environ.get("SHENBAO_REQUIRE_LOCAL_MODEL") == "1":
        for item in marked:
            item.add_marker(pytest.mark.usefixtures("_require_local_model"))
        _LOCAL_MODEL_STATE["reason"] = reason
        return
    items[:] = [i for i in items if not i.get_closest_marker("local_model")]
    config.hook.pytest_deselected(items=marked)
    _LOCAL_MODEL_STATE.update(reason=reason, deselected=[i.nodeid for i in marked])


@pytest.fixture()
def _require_local_model() -> None:
    pytest.fail(f"本地模型测试须运行，但本地模型不可用：{_LOCAL_MODEL_STATE['reason']}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    deselected = _LOCAL_MODEL_STATE.get("deselected")
    if not deselected:
        return
    assert isinstance(deselected, list)
    terminalreporter.section("本地模型测试未运行", sep="=", yellow=True, bold=True)
    terminalreporter.write_line(
        f"{len(deselected)} 项需要真实本地模型的测试未运行（计入 deselected，不算通过）："
        f"{_LOCAL_MODEL_STATE['reason']}。"
    )
    for nodeid in deselected:
        terminalreporter.write_line(f"  {nodeid}")


@pytest.fixture()
def evidence_runner_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """The evidence eval runner (``eval.evidence.run``) with its reviewers replaced by
    recorders: no reviewer reads a passage; each call is listed as (method, case ids)."""
    from eval.evidence import run

    calls: list[tuple[str, list[str]]] = []

    def evaluate(cases: list[Any], corpus: Any, method: str, reviewer: Any) -> run.MethodResult:
        calls.append((method, [c.id for c in cases]))
        return run.MethodResult(method=method, total=len(cases), verdict_ok=len(cases))

    def evaluate_model(part: list[Any], corpus: Any, name: str, split: str) -> run.MethodResult:
        return evaluate(part, corpus, f"{name}-{split}", None)

    monkeypatch.setattr(run, "evaluate", evaluate)
    monkeypatch.setattr(run, "_evaluate_model", evaluate_model)
    monkeypatch.setattr(
        run, "scenario_ranking", lambda cases, corpus: {"cases": 0, "top1": None, "top3": None}
    )
    monkeypatch.setattr(run, "plot_confusion", lambda res, out: out)
    return calls
