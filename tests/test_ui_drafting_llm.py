"""The drafting page with a model (AppTest, the fake provider from settings):
the model choice, a row drafted by the model with its guarantees, and “重新生成此栏”
regenerating one column into its box while the others keep their text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import page, texts, use_data_dir

NT = "nt-smart-factory-2022"
NOTES = """以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。
2022年公司在机加工线末端部署了视觉检测系统，由苏州某视觉科技有限公司提供。
工业相机实时采集壳体图像，缺陷识别模型判定后自动将不合格品分拣至返修区。
公司制定了视觉检测运维制度，培训质检员6名。
项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"""
ROW = {
    "description": {"facts": ["F2"], "text": "在机加工线末端部署视觉检测系统，检测壳体外观缺陷。"},
    "pain_points": {"facts": ["F1"], "text": "壳体外观缺陷靠人工目检，漏检率高、检测效率低。"},
    "solution": {
        "facts": ["F2", "F3"],
        "text": "视觉检测系统由苏州某视觉科技有限公司提供，工业相机实时采集壳体图像，缺陷识别模型判定后自动分拣不合格品。",
    },
    "support": {"facts": ["F4"], "text": "制定视觉检测运维制度，培训质检员6名。"},
    "results": {"facts": ["F5"], "text": "漏检率由2.1%降至0.3%，检测效率提升45%。"},
    "other": {"facts": [], "text": ""},
}
NEW_PAIN = "以往依靠人工目检壳体外观缺陷，漏检率高，检测效率低。"


@pytest.fixture()
def with_fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_data_dir(tmp_path, monkeypatch)
    replies = [
        json.dumps(ROW, ensure_ascii=False),
        json.dumps({"pain_points": {"facts": ["F1"], "text": NEW_PAIN}}, ensure_ascii=False),
    ]
    monkeypatch.setenv("SHENBAO_LLM__PROVIDER", "fake")
    monkeypatch.setenv("SHENBAO_LLM__FAKE_REPLIES", json.dumps(replies, ensure_ascii=False))


def area(at: AppTest, title_start: str) -> str:
    [a] = [t for t in at.text_area if t.label.startswith(title_start)]
    return str(a.value)


def test_model_drafting_and_regenerating_one_column(with_fake_model: None) -> None:
    at = page("draft")
    assert at.radio(key="draft_llm").options == ["仅规则（摘取材料原句）", "大模型（fake）"]
    at.radio(key="draft_llm").set_value("fake").run()
    assert "大模型起草" in texts(at) and "数字和单位" in texts(at)
    at.selectbox(key="draft_programme").set_value(NT).run()
    at.radio(key="draft_factory_type").set_value("离散型").run()
    at.selectbox(key="draft_scenario").set_value("14")
    at.text_area(key="draft_notes").input(NOTES).run()
    [go] = [b for b in at.button if b.label == "起草"]
    go.click().run()
    assert not at.exception, at.exception
    assert area(at, "解决的痛点") == ROW["pain_points"]["text"]
    assert "测试模型" in texts(at) and "数字和名称都来自材料" in texts(at)
    # the writer edits 实施成果 by hand, then asks for another 痛点
    [results] = [t for t in at.text_area if t.label.startswith("实施成果")]
    results.input("漏检率由2.1%降至0.3%。").run()
    [again] = [b for b in at.button if b.label == "重新生成此栏" and "pain_points" in str(b.key)]
    again.click().run()
    assert not at.exception, at.exception
    assert area(at, "解决的痛点") == NEW_PAIN
    assert area(at, "实施成果") == "漏检率由2.1%降至0.3%。"  # the hand edit is kept
    assert ":green[字数 26 / 150]" in "\n".join(m.value for m in at.markdown)  # NEW_PAIN: 26 字


def test_rules_only_cannot_regenerate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_data_dir(tmp_path, monkeypatch)
    at = page("draft")
    assert not [r for r in at.radio if r.key == "draft_llm"]  # no model here: no choice offered
    at.selectbox(key="draft_programme").set_value(NT).run()
    at.radio(key="draft_factory_type").set_value("离散型").run()
    at.text_area(key="draft_notes").input(NOTES).run()
    [go] = [b for b in at.button if b.label == "起草"]
    go.click().run()
    regenerate = [b for b in at.button if b.label == "重新生成此栏"]
    assert len(regenerate) == 6 and all(b.disabled for b in regenerate)
