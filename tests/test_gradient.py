"""The gradient self-evaluation calculator (``app/gradient.py``) without
Streamlit: its programme, lists and rules found in the spec, and its verdicts."""

from __future__ import annotations

import pytest

from app.gradient import GradientError, GradientResult, GradientRules, GradientService
from core.draft import IndicatorEval
from corpus.loader import default_corpus

PROGRAMME = "js-gradient-2025"

SCORED = ("1", "2", "3", "4", "5", "6", "8", "9", "10")
# 15 scenarios that have a 先进级 description, covering 生产作业, 生产管理 and 运营管理
ADVANCED = ("9", "10", "11", "12", "13", "7", "8", "15", "17", "18", "25", "26", "27", "29", "3")


def answers(level: int, score: float, fit: str | None = None) -> dict[str, IndicatorEval]:
    return {i: IndicatorEval(level=level, fit=fit, score=score) for i in SCORED}


def run(ind: dict[str, IndicatorEval], scen: dict[str, str], maturity: float | None = None) -> GradientResult:
    svc = GradientService(default_corpus())
    return svc.evaluate(svc.rules(PROGRAMME), ind, scen, maturity)


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


def test_programme_lists_and_rules_come_from_the_spec() -> None:
    svc = GradientService(default_corpus())
    [rules] = svc.programmes()
    assert rules.spec.id == PROGRAMME and svc.rules() == rules
    assert rules.indicators == "js-dt-eval-2025-indicators" and rules.scenarios == "ts2024-scenarios"
    assert [r.id for r in rules.level_rules] == [
        "self-eval-score",
        "score-recommends-level",
        "scene-count",
        "link-coverage",
    ]
    assert [r.id for r in rules.maturity_rules] == ["maturity-level"]
    assert rules.bands == {"基础级": 60, "先进级": 70, "卓越级": 80, "领航级": 90}
    assert len(svc.indicator_list(rules).items) == 10 and len(svc.scenario_list(rules).items) == 40
    with pytest.raises(GradientError, match="js-iif-2022"):
        svc.rules("js-iif-2022")
    assert GradientRules.of(default_corpus().programme("js-iif-2022")) is None


def test_renamed_rules_are_found_by_kind() -> None:
    corpus = default_corpus()
    spec = corpus.programme(PROGRAMME)
    renamed = spec.model_copy(
        update={"rules": [r.model_copy(update={"id": f"x-{r.id}"}) for r in spec.rules]}
    )
    rules = GradientRules.of(renamed)
    assert rules is not None
    svc = GradientService(corpus)
    r = svc.evaluate(rules, answers(6, 95, "非常符合"), dict.fromkeys(ADVANCED, "先进级"), 2)
    assert r.claimable == "先进级" and r.maturity_checked
    assert {f.id.split(":")[1] for f in r.levels[0].findings} == {
        "x-self-eval-score",
        "x-score-recommends-level",
        "x-scene-count",
        "x-link-coverage",
        "x-maturity-level",
    }
