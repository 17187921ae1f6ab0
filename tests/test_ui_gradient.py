"""智能工厂梯度自评 page (AppTest); the calculator is tested in test_gradient.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_gradient import ADVANCED
from test_ui_fixtures import page, use_data_dir


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def test_page_form_computes_the_claimable_level(data_dir: Path) -> None:
    at = page("gradient")
    assert not at.exception
    assert at.title[0].value == "智能工厂梯度自评"
    assert {m.label: m.value for m in at.metric} == {
        "综合得分": "—",
        "得分建议的等级": "—",
        "可申报等级": "暂不满足基础级",
    }
    levels = [s for s in at.selectbox if s.key and s.key.endswith(":level")]
    assert len(levels) == 9  # indicator 7 has no levels
    assert len([c for c in at.checkbox if c.key and c.key.endswith(":na")]) == 3
    for s in levels:
        s.set_value(6)
    at.run()
    for s in [s for s in at.selectbox if s.key and s.key.endswith(":fit:6")]:
        s.set_value("非常符合")
    at.run()
    for n in at.number_input:
        n.set_value(95.0)
    for sid in ADVANCED:
        at.selectbox(key=f"grad:scn:{sid}").set_value("先进级")
    at.selectbox(key="grad:maturity").set_value("二级")
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "综合得分": "95.00",
        "得分建议的等级": "领航级",
        "可申报等级": "先进级",
    }
    assert "申报卓越级还需要" in [e.label for e in at.expander]
    table = at.dataframe[0].value
    assert list(table["结论"]) == ["可申报", "可申报", "不满足", "不满足"]
    # the level text of the chosen level is shown as help
    assert any("数字孪生" in c.value for c in at.caption)
