"""智能工厂梯度自评 page (AppTest) and its calculator ``app/ui/gradient.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui_fixtures import page, use_data_dir

from app.ui.gradient import PROGRAMME, GradientResult, evaluate
from core.draft import IndicatorEval
from corpus.loader import default_corpus

SCORED = ("1", "2", "3", "4", "5", "6", "8", "9", "10")
# 15 scenarios that have a 先进级 description, covering 生产作业, 生产管理 and 运营管理
ADVANCED = ("9", "10", "11", "12", "13", "7", "8", "15", "17", "18", "25", "26", "27", "29", "3")


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def answers(level: int, score: float, fit: str | None = None) -> dict[str, IndicatorEval]:
    return {i: IndicatorEval(level=level, fit=fit, score=score) for i in SCORED}


def run(ind: dict[str, IndicatorEval], scen: dict[str, str], maturity: float | None = None) -> GradientResult:
    corpus = default_corpus()
    return evaluate(corpus.programme(PROGRAMME), corpus, ind, scen, maturity)


def test_high_score_and_fifteen_advanced_scenarios_claim_advanced_level() -> None:
    r = run(answers(6, 95, "非常符合"), dict.fromkeys(ADVANCED, "先进级"))
    assert r.score.score == 95 and r.recommended == "领航级"
    assert r.counts == {"基础级": 15, "先进级": 15, "卓越级": 0, "领航级": 0}
    assert r.claimable == "先进级"
    nxt = r.next_level
    assert nxt is not None and nxt.level == "卓越级"
    gap_ids = {f.id.split(":")[1] for f in nxt.gaps}
    assert gap_ids == {"scene-count", "link-coverage"}
    assert any("要求不少于 20 个" in f.message for f in nxt.gaps)
    assert not r.maturity_checked


def test_low_score_claims_nothing_whatever_the_scenarios() -> None:
    r = run(answers(4, 45, "基本符合"), dict.fromkeys(ADVANCED, "先进级"))
    assert r.score.score == 45 and r.recommended is None
    assert r.claimable is None
    assert r.next_level is not None and r.next_level.level == "基础级"
    assert {f.id.split(":")[1] for f in r.next_level.gaps} == {"self-eval-score", "score-recommends-level"}


def test_score_level_caps_the_claim() -> None:
    # 72 points recommend 先进级: even with enough 卓越级 scenarios the claim stops there
    everything = {str(i): "卓越级" for i in range(1, 41)}
    r = run(answers(5, 72, "比较符合"), everything)
    assert r.recommended == "先进级" and r.claimable == "先进级"


def test_not_applicable_only_where_allowed_and_maturity_checked() -> None:
    ind = answers(6, 95, "非常符合")
    ind["1"] = IndicatorEval(not_applicable=True)
    ok = run(ind, dict.fromkeys(ADVANCED, "先进级"), maturity=2)
    assert ok.score.score == 95 and not ok.score.problems and ok.claimable == "先进级" and ok.maturity_checked
    ind["2"] = IndicatorEval(not_applicable=True)
    bad = run(ind, dict.fromkeys(ADVANCED, "先进级"))
    assert bad.score.problems and bad.claimable is None
    low = run(answers(6, 95, "非常符合"), dict.fromkeys(ADVANCED, "先进级"), maturity=1)
    assert low.claimable is None


def test_missing_answers_are_unknown_not_pass() -> None:
    r = run({}, {})
    assert r.score.missing == list(SCORED)
    assert r.claimable is None
    assert all(f.status == "unknown" for f in r.levels[0].findings)


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
