"""政策检索 page (AppTest) over the hybrid retriever, with the deterministic fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import page, texts

from app.retrieval import ingest_corpus
from app.settings import load_settings


@pytest.fixture()
def fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENBAO_RETRIEVAL__EMBEDDER", "fake:128")
    monkeypatch.setenv("CHROMA_TELEMETRY", "False")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="module")
def indexed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose index holds the whole corpus (fake embedder)."""
    d = tmp_path_factory.mktemp("indexed")
    ingest_corpus(load_settings(data_dir=d, retrieval={"embedder": "fake:128"}))
    return d


def ask(at: AppTest, query: str, programme: str = "", doc: str = "") -> AppTest:
    at.selectbox(key="search_programme").set_value(programme).run()
    if doc:
        at.selectbox(key="search_doc").set_value(doc).run()
    at.text_input(key="search_query").input(query)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_empty_index_offers_to_build_it_then_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder: None
) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "data"))
    at = ask(page("search"), "投入不低于2000万元")
    assert "为空" in at.warning[0].value
    build = [b for b in at.button if b.label == "现在建立索引"]
    assert build
    build[0].click().run()
    assert not at.exception and not at.error
    assert "已建立索引" in at.success[0].value
    at = ask(at, "投入不低于2000万元")
    shown = texts(at)
    assert "「投入不低于2000万元」的 5 条结果" in shown
    assert "关于组织开展2022年度省工业互联网示范工程项目（标杆工厂类）申报工作的通知" in shown


def test_results_carry_citations_and_filters_apply(
    indexed_dir: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder: None
) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(indexed_dir))
    at = ask(page("search"), "仓储管理系统 RFID 自动出入库", programme="nt-smart-factory-2022")
    headers = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(headers) == 5
    assert all("南通" in h for h in headers)  # every hit is from a 南通 document
    assert any("RFID" in m.value for m in at.markdown if m.value.startswith(">"))
    assert any("相关度" in c.value for c in at.caption)
    # a document filter narrows further
    at = ask(at, "仓储", programme="js-iif-2022", doc="js-iif-2022-notice")
    headers = [m.value for m in at.markdown if m.value.startswith("**")]
    assert headers and all("标杆工厂类）申报工作的通知" in h for h in headers)


def test_empty_query_and_broken_settings_give_chinese_messages(
    indexed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(indexed_dir))
    monkeypatch.setenv("SHENBAO_RETRIEVAL__EMBEDDER", "no-such-model")
    at = page("search")
    at.form_submit_button[0].click().run()
    assert "请输入检索内容" in at.warning[0].value
    at = ask(at, "投入")
    assert "未知的嵌入模型" in at.error[0].value
    assert not at.exception
