"""Readings of an ambiguous text as data (``Rule.readings``, design.md: "warn only
where the readings of an ambiguous text disagree on the outcome"): the engine
reports an outcome where every reading gives it and ``warn`` where they differ."""

from __future__ import annotations

from typing import Any

import pytest

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.engine import check_rule
from checkers.registry import Context
from core.draft import Draft
from core.spec import ProgrammeSpec, Rule

# nt-2022-summary's footnote: the size classes with "下划一档" (the spec's reading) and literally
DOWNGRADE = [
    {"name": "大型", "employees_min": 1000, "revenue_min": 40000},
    {"name": "中型", "employees_min": 300, "revenue_min": 2000},
    {"name": "小型", "employees_min": 20, "revenue_min": 300},
    {"name": "微型", "employees_max": 20, "revenue_max": 300, "combine": "any"},
]
LITERAL = [
    {"name": "大型", "employees_min": 1000, "revenue_min": 40000},
    {"name": "中型", "employees_min": 300, "employees_max": 1000, "revenue_min": 2000, "revenue_max": 40000},
    {"name": "小型", "employees_min": 20, "employees_max": 300, "revenue_min": 300, "revenue_max": 2000},
    {"name": "微型", "employees_max": 20, "revenue_max": 300, "combine": "any"},
]
SIZE = {"kind": "size_class", "classes": DOWNGRADE}
LITERAL_READING = {"label": "按脚注字面、不下划一档的读法", "check": {"fallback": False, "classes": LITERAL}}


def rule(check: dict[str, Any], readings: list[dict[str, Any]], severity: str = "error") -> Rule:
    return Rule.model_validate(
        {
            "id": "r1",
            "title": "测试规则",
            "severity": severity,
            "check": check,
            "citation": {"doc": "doc-a", "clause": "一", "quote": "测试条款原文"},
            "readings": readings,
        }
    )


def ctx(r: Rule, draft: dict[str, Any]) -> Context:
    spec = ProgrammeSpec.model_validate(
        {
            "id": "prog",
            "title": "测试",
            "issuer": None,
            "year": None,
            "docs": ["doc-a"],
            "rules": [r.model_dump()],
        }
    )
    return Context(draft=Draft.model_validate(draft), spec=spec, lists={})


def size(ticked: str, employees: float, revenue: float) -> dict[str, Any]:
    return {"enterprise": {"size_class": ticked, "employees": employees, "revenue": revenue}}


def test_medium_with_250_employees_fails_under_every_reading() -> None:
    # issue #10 item 2: 中型 needs 300 人及以上 "且" …; neither reading makes 250 人 中型
    r = rule(SIZE, [LITERAL_READING])
    f = check_rule(r, ctx(r, size("中型", 250, 38600)))
    assert (f.status, f.severity) == ("fail", "error")
    assert "原文另有读法" not in f.message


def test_readings_that_disagree_warn_and_name_the_reading() -> None:
    # 250 人、38600 万元: 小型 only by "下划一档"; literally no class fits
    r = rule(SIZE, [LITERAL_READING])
    f = check_rule(r, ctx(r, size("小型", 250, 38600)))
    assert f.status == "warn"
    # a label that already starts with 按 is not given a second one; the other reading's
    # message loses its full stop inside the sentence
    assert f.message == (
        "勾选小型企业，与从业人员 250 人、营业收入 38600 万元相符。原文另有读法："
        "按脚注字面、不下划一档的读法，勾选了「小型」，但从业人员 250 人、营业收入 38600 万元不同时满足任何一类的条件。"
        "读法不同、结论不同，请人工核对。"
    )
    assert f.evidence.get("readings") == {"本规范的读法": "符合", "按脚注字面、不下划一档的读法": "不符合"}
    assert f.evidence.values[-1].label == "各种读法的结论"


def test_readings_that_agree_on_a_pass_pass() -> None:
    r = rule(SIZE, [LITERAL_READING])
    assert check_rule(r, ctx(r, size("中型", 620, 38600))).status == "pass"


def test_uncertain_pass_warns_and_a_fail_stays_certain() -> None:
    # js-smart-workshop scenes-min: the 18-scenario list is not in the corpus
    check = {"kind": "required_fields", "fields": ["enterprise.name"]}
    r = rule(check, [{"label": "只计入清单所列场景的读法", "uncertain": ["pass"]}])
    passed = check_rule(r, ctx(r, {"enterprise": {"name": "某公司"}}))
    assert passed.status == "warn"
    assert "按只计入清单所列场景的读法，无法确认“符合”" in passed.message
    assert passed.evidence.get("readings") == {"本规范的读法": "符合", "只计入清单所列场景的读法": "无法确认"}
    assert check_rule(r, ctx(r, {})).status == "fail"


def test_uncertain_fail_warns_and_a_pass_stays_certain() -> None:
    check = {"kind": "required_fields", "fields": ["enterprise.name"]}
    r = rule(check, [{"label": "未标必填可空的读法", "uncertain": ["fail"]}])
    assert check_rule(r, ctx(r, {})).status == "warn"
    assert check_rule(r, ctx(r, {"enterprise": {"name": "某公司"}})).status == "pass"


def test_another_reading_lacking_its_input_is_unknown_with_the_field() -> None:
    # js-platform-cross domain-apps-each: per domain (the spec) or the platform's total
    check = {"kind": "value_range", "field": "metrics.min_domain_apps", "min": 100}
    r = rule(check, [{"label": "平台合计的读法", "check": {"field": "metrics.industrial_apps"}}])
    f = check_rule(r, ctx(r, {"metrics": {"min_domain_apps": 99}}))
    assert f.status == "unknown"
    assert f.evidence.missing_paths() == ["metrics.industrial_apps"]
    both = check_rule(r, ctx(r, {"metrics": {"min_domain_apps": 99, "industrial_apps": 99}}))
    assert both.status == "fail"


def test_two_readings_are_each_named_and_the_location_kept() -> None:
    check = {"kind": "value_range", "field": "metrics.min_domain_apps", "min": 100}
    readings = [
        {"label": "平台合计的读法", "check": {"field": "metrics.industrial_apps"}},
        {"label": "按年末数计的读法", "check": {"field": "metrics.plants"}},
    ]
    r = rule(check, readings)
    where = {"locations": {"metrics.min_domain_apps": "第4页"}}
    lacking = check_rule(r, ctx(r, {"metrics": {"min_domain_apps": 99}, **where}))
    assert (lacking.status, lacking.location) == ("unknown", "第4页")
    assert "原文另有读法：平台合计的读法" not in lacking.message  # the label gets its 按
    assert lacking.message.count("；按") == 1  # the two readings, one after the other
    assert lacking.evidence.missing_paths() == ["metrics.industrial_apps", "metrics.plants"]
    draft = {"metrics": {"min_domain_apps": 99, "industrial_apps": 150, "plants": 120}, **where}
    differ = check_rule(r, ctx(r, draft))
    assert (differ.status, differ.location) == ("warn", "第4页")
    assert "原文另有读法：按平台合计的读法，" in differ.message
    assert "；按年末数计的读法，" in differ.message
    assert differ.evidence.get("readings") == {
        "本规范的读法": "不符合",
        "平台合计的读法": "符合",
        "按年末数计的读法": "符合",
    }


def test_an_undecided_outcome_is_not_compared_with_other_readings() -> None:
    # the spec's own field is missing: unknown, whatever another reading's field says
    check = {"kind": "value_range", "field": "metrics.min_domain_apps", "min": 100}
    r = rule(check, [{"label": "平台合计的读法", "check": {"field": "metrics.industrial_apps"}}])
    f = check_rule(r, ctx(r, {"metrics": {"industrial_apps": 150}}))
    assert f.status == "unknown"
    assert "原文另有读法" not in f.message
    assert f.evidence.missing_paths() == ["metrics.min_domain_apps"]


def test_a_missing_input_is_unknown_under_every_reading() -> None:
    r = rule(SIZE, [LITERAL_READING])
    assert check_rule(r, ctx(r, {"enterprise": {"size_class": "中型"}})).status == "unknown"


def test_severity_still_turns_an_agreed_fail_into_warn() -> None:
    r = rule(SIZE, [LITERAL_READING], severity="warning")
    assert check_rule(r, ctx(r, size("中型", 250, 38600))).status == "warn"


def test_reading_parameters_are_validated_and_read() -> None:
    check = {"kind": "value_range", "field": "metrics.min_domain_apps", "min": 100}
    r = rule(check, [{"label": "平台合计的读法", "check": {"field": "metrics.industrial_apps"}}])
    assert {"metrics.min_domain_apps", "metrics.industrial_apps"} <= r.reads()
    assert r.uncertain_outcomes() == set()
    with pytest.raises(ValueError, match="min and/or max"):
        rule(check, [{"label": "没有界限的读法", "check": {"min": None}}])
    with pytest.raises(ValueError, match="not the kind"):
        rule(check, [{"label": "换一种规则的读法", "check": {"kind": "char_limit"}}])
    with pytest.raises(ValueError, match="exactly one of check"):
        rule(check, [{"label": "什么都不改的读法"}])


# "2021年之后建成": 之后 may or may not include 2021-01-01 itself; the spec keeps the
# inclusive reading in check and the strict one in readings.
AFTER = {"kind": "date_after", "field": "project.end", "after": "2021-01-01"}
STRICT_READING = {"label": "“之后”不含当日的读法", "check": {"strict": True}}


@pytest.mark.parametrize(
    ("end", "status"),
    [("2020-12-31", "fail"), ("2021-01-01", "warn"), ("2021-01-02", "pass")],
)
def test_date_after_fails_or_passes_where_both_readings_agree(end: str, status: str) -> None:
    r = rule(AFTER, [STRICT_READING])
    finding = check_rule(r, ctx(r, {"project": {"end": end}}))
    assert finding.status == status, finding.message
    if status == "warn":
        assert "不含当日" in finding.message


# "近三年（2019-2021年）": the window with both ends included, and a reading that
# excludes the ends; only a date on an end differs between them.
BETWEEN = {"kind": "date_between", "fields": ["project.start"], "start": "2019-01-01", "end": "2021-12-31"}


@pytest.mark.parametrize(
    ("start", "status"),
    [("2018-12-31", "fail"), ("2019-01-01", "warn"), ("2019-06-01", "pass"), ("2022-01-01", "fail")],
)
def test_date_between_warns_only_on_the_ends(start: str, status: str) -> None:
    r = rule(BETWEEN, [{"label": "不含首尾两日的读法", "check": {"strict": True}}])
    finding = check_rule(r, ctx(r, {"project": {"start": start}}))
    assert finding.status == status, finding.message


def test_attachments_fail_when_every_reading_agrees() -> None:
    """A reading that also accepts 付款凭证 for 发票 does not soften a draft that
    lacks the audit report under both readings; it warns where only 付款凭证 is given."""
    check = {"kind": "attachments", "required": [{"name": "专项审计报告"}, {"name": "发票"}]}
    alt = {
        "label": "付款凭证也可代替发票的读法",
        "check": {"required": [{"name": "专项审计报告"}, {"name": "发票", "any_of": ["付款凭证"]}]},
    }
    r = rule(check, [alt])
    assert check_rule(r, ctx(r, {"attachments": ["采购合同"]})).status == "fail"
    assert check_rule(r, ctx(r, {"attachments": ["专项审计报告", "付款凭证"]})).status == "warn"
    assert check_rule(r, ctx(r, {"attachments": ["专项审计报告", "发票"]})).status == "pass"
