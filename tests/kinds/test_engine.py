"""The engine's own behaviour, independent of any kind: severity → warn, the
note suffix, ``applies_when`` → n/a / unknown, crashes → unknown, the finding's
id and citation; and the registry's Context helpers."""

from __future__ import annotations

from typing import Any

import pytest

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.engine import check_rule, run_rules
from checkers.registry import KINDS, Context, is_blank, rule_kind
from core.draft import Draft
from core.findings import Outcome
from core.spec import ProgrammeSpec, Rule

NOTE = "原文未写明，按从严理解"


def rule(
    check: dict[str, Any] | None = None,
    *,
    severity: str = "error",
    note: str | None = None,
    applies_when: dict[str, list[Any]] | None = None,
    rule_id: str = "r1",
) -> Rule:
    return Rule.model_validate(
        {
            "id": rule_id,
            "title": "企业名称已填写",
            "severity": severity,
            "check": check or {"kind": "required_fields", "fields": ["enterprise.name"]},
            "citation": {"doc": "doc-a", "clause": "一、申报条件 > 1", "quote": "申报单位须如实填写"},
            "note": note,
            "applies_when": applies_when,
        }
    )


def ctx(draft: dict[str, Any] | None = None, *rules: Rule, **spec: Any) -> Context:
    s = ProgrammeSpec.model_validate(
        {
            "id": "prog",
            "title": "测试项目",
            "issuer": None,
            "year": None,
            "docs": ["doc-a"],
            "rules": [r.model_dump() for r in rules] or [rule().model_dump()],
            **spec,
        }
    )
    return Context(draft=Draft.model_validate(draft or {}), spec=s, lists={})


FILLED = {"enterprise": {"name": "某某公司"}}


def test_finding_carries_id_title_severity_and_citation() -> None:
    r = rule(severity="warning")
    f = check_rule(r, ctx(FILLED, r), {"doc-a": "申报通知"})
    assert (f.id, f.title, f.status, f.severity) == ("prog:r1", "企业名称已填写", "pass", "warning")
    assert f.message == "已填写：企业名称。"
    assert f.citation.model_dump() == {
        "doc": "doc-a",
        "doc_title": "申报通知",
        "clause": "一、申报条件 > 1",
        "text": "申报单位须如实填写",
    }


def test_citation_without_doc_titles() -> None:
    r = rule()
    assert check_rule(r, ctx(FILLED, r)).citation.doc_title is None
    assert check_rule(r, ctx(FILLED, r), {"other": "别的文件"}).citation.doc_title is None


def test_evidence_and_location_pass_through() -> None:
    r = rule({"kind": "expect_value", "field": "enterprise.major_accident", "equals": False})
    draft = {"enterprise": {"major_accident": True}, "locations": {"enterprise.major_accident": "第3页"}}
    f = check_rule(r, ctx(draft, r))
    assert (f.status, f.location) == ("fail", "第3页")
    assert f.evidence.as_dict() == {"enterprise.major_accident": True, "expected": False}
    # typed evidence: each value carries its Chinese label
    assert [(m.key, m.label) for m in f.evidence.values] == [
        ("enterprise.major_accident", "近三年重大及以上事故"),
        ("expected", "政策要求"),
    ]


@pytest.mark.parametrize(
    ("severity", "draft", "status"),
    [
        ("error", {}, "fail"),
        ("warning", {}, "warn"),
        ("info", {}, "warn"),
        ("warning", FILLED, "pass"),
        ("info", FILLED, "pass"),
    ],
)
def test_severity_below_error_turns_fail_into_warn(severity: str, draft: dict[str, Any], status: str) -> None:
    r = rule(severity=severity)
    f = check_rule(r, ctx(draft, r))
    assert f.status == status
    if status == "warn":
        assert f.message == "以下内容未填写：企业名称。请补全后再提交。"
        assert f.evidence.as_dict() == {"missing": ["enterprise.name"]}


def test_warn_keeps_evidence_and_location() -> None:
    r = rule(
        {"kind": "expect_value", "field": "enterprise.major_accident", "equals": False}, severity="warning"
    )
    draft = {"enterprise": {"major_accident": True}, "locations": {"enterprise.major_accident": "第3页"}}
    f = check_rule(r, ctx(draft, r))
    assert (f.status, f.location, f.message) == (
        "warn",
        "第3页",
        "近三年重大及以上事故为「是」，政策要求为「否」。",
    )
    assert f.evidence.as_dict() == {"enterprise.major_accident": True, "expected": False}


def test_unknown_stays_unknown_whatever_the_severity() -> None:
    r = rule({"kind": "expect_value", "field": "enterprise.major_accident", "equals": False}, severity="info")
    assert check_rule(r, ctx({}, r)).status == "unknown"


@pytest.mark.parametrize(
    ("severity", "draft", "status", "suffixed"),
    [
        ("warning", {}, "warn", True),  # a fail shown as warn
        ("error", {}, "fail", False),  # a plain failure needs no explanation of an ambiguity
        ("error", FILLED, "pass", False),
    ],
)
def test_note_suffix_only_on_warn_and_unknown(severity: str, draft: Any, status: str, suffixed: bool) -> None:
    r = rule(severity=severity, note=NOTE)
    f = check_rule(r, ctx(draft, r))
    assert f.status == status
    base = "以下内容未填写：企业名称。请补全后再提交。" if status != "pass" else "已填写：企业名称。"
    assert f.message == (base + f"（说明：{NOTE}）" if suffixed else base)


def test_note_suffix_on_unknown_and_warn_from_the_kind() -> None:
    r = rule({"kind": "expect_value", "field": "enterprise.major_accident", "equals": False}, note=NOTE)
    f = check_rule(r, ctx({}, r))
    assert f.message == f"申报书中未找到「近三年重大及以上事故」，无法判断，请补充。（说明：{NOTE}）"
    lists_rule = rule({"kind": "single_group", "list": "modes"}, note=NOTE)
    from core.catalogue import CatalogueList

    modes = CatalogueList.model_validate(
        {
            "id": "modes",
            "kind": "options",
            "title": "新模式",
            "items": [{"id": "a", "name": "甲一", "group": "甲"}, {"id": "b", "name": "乙一", "group": "乙"}],
        }
    )
    c = ctx({"selections": {"modes": ["a", "b"]}}, lists_rule)
    c = Context(draft=c.draft, spec=c.spec, lists={"modes": modes})
    f = check_rule(lists_rule, c)
    assert f.status == "warn"
    assert f.message.endswith(f"请确认主模式。（说明：{NOTE}）")


def test_no_note_no_suffix() -> None:
    r = rule(severity="warning")
    assert "说明" not in check_rule(r, ctx({}, r)).message


def test_note_suffix_on_n_a_is_not_added() -> None:
    r = rule(note=NOTE, applies_when={"factory_type": ["离散型"]})
    f = check_rule(r, ctx({"factory_type": "流程型"}, r))
    assert (f.status, f.message) == ("n/a", "本条仅适用于工厂类型为「离散型」的情形（本申报为「流程型」）。")


@pytest.mark.parametrize(
    ("draft", "status", "message"),
    [
        ({}, "unknown", "未填写「工厂类型」，无法确定本条是否适用。"),
        ({"factory_type": ""}, "unknown", "未填写「工厂类型」，无法确定本条是否适用。"),
        ({"factory_type": "流程型"}, "n/a", "本条仅适用于工厂类型为「离散型」的情形（本申报为「流程型」）。"),
        ({"factory_type": "离散型"}, "fail", "以下内容未填写：企业名称。请补全后再提交。"),
        ({"factory_type": "离散型", **FILLED}, "pass", "已填写：企业名称。"),
    ],
)
def test_applies_when(draft: dict[str, Any], status: str, message: str) -> None:
    r = rule(applies_when={"factory_type": ["离散型"]})
    f = check_rule(r, ctx(draft, r))
    assert (f.status, f.message) == (status, message)
    if status == "unknown":
        assert f.evidence.as_dict() == {"missing": ["factory_type"]}
    if status == "n/a":
        assert f.evidence.as_dict() == {}


def test_applies_when_unknown_gets_the_note_and_is_not_a_warn() -> None:
    r = rule(severity="warning", note=NOTE, applies_when={"factory_type": ["离散型"]})
    f = check_rule(r, ctx({}, r))
    assert (f.status, f.message) == ("unknown", f"未填写「工厂类型」，无法确定本条是否适用。（说明：{NOTE}）")


def test_applies_when_several_values_and_conditions() -> None:
    r = rule(applies_when={"factory_type": ["离散型", "混合型"], "target_level": ["先进级"]})
    f = check_rule(r, ctx({"factory_type": "流程型", "target_level": "先进级"}, r))
    assert f.message == "本条仅适用于工厂类型为「离散型、混合型」的情形（本申报为「流程型」）。"
    f = check_rule(r, ctx({"factory_type": "混合型", "target_level": "基础级"}, r))
    assert f.message == "本条仅适用于申报等级为「先进级」的情形（本申报为「基础级」）。"
    f = check_rule(r, ctx({"factory_type": "混合型"}, r))
    assert f.message == "未填写「申报等级」，无法确定本条是否适用。"
    f = check_rule(r, ctx({"factory_type": "混合型", "target_level": "先进级", **FILLED}, r))
    assert f.status == "pass"


def test_applies_when_compares_a_yes_no_field_with_booleans() -> None:
    r = rule(applies_when={"enterprise.above_designated_size": [True]})
    assert check_rule(r, ctx({"enterprise": {"above_designated_size": True}}, r)).status == "fail"
    f = check_rule(r, ctx({"enterprise": {"above_designated_size": False}}, r))
    assert (f.status, f.message) == ("n/a", "本条仅适用于规模以上工业企业为「是」的情形（本申报为「否」）。")


@pytest.mark.parametrize("exc", [ValueError("坏数"), TypeError("t"), KeyError("k"), ZeroDivisionError("z")])
def test_a_crashing_kind_is_unknown_never_pass(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    def boom(p: Any, c: Context) -> Outcome:
        raise exc

    monkeypatch.setitem(KINDS, "required_fields", boom)
    r = rule(severity="warning", note=NOTE)
    f = check_rule(r, ctx(FILLED, r))
    assert f.status == "unknown"
    assert f.message == f"数据无法解析，未能完成检查：{exc}（说明：{NOTE}）"
    assert f.evidence.as_dict() == {"error": type(exc).__name__}
    assert [m.label for m in f.evidence.values] == ["错误类型"]


def test_other_exceptions_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(p: Any, c: Context) -> Outcome:
        raise RuntimeError("bug")

    monkeypatch.setitem(KINDS, "required_fields", boom)
    r = rule()
    with pytest.raises(RuntimeError):
        check_rule(r, ctx(FILLED, r))


def test_run_rules_in_spec_order_with_the_lists() -> None:
    from core.catalogue import CatalogueList

    opts = CatalogueList.model_validate(
        {"id": "opts", "kind": "options", "title": "选项", "items": [{"id": "a", "name": "甲"}]}
    )
    r1 = rule(rule_id="b-second")
    r2 = rule(
        {"kind": "expect_value", "field": "enterprise.major_accident", "equals": False}, rule_id="a-first"
    )
    r3 = rule({"kind": "min_selected", "list": "opts", "min": 1}, rule_id="c-third")
    c = ctx({**FILLED, "selections": {"opts": ["a"]}}, r1, r2, r3)
    findings = run_rules(c.spec, c.draft, {"opts": opts}, {"doc-a": "通知"})
    assert [(f.id, f.status) for f in findings] == [
        ("prog:b-second", "pass"),
        ("prog:a-first", "unknown"),
        ("prog:c-third", "pass"),
    ]
    assert findings[0].citation.doc_title == "通知"


# ---- the registry


def test_register_twice_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        rule_kind("required_fields")(lambda p, c: Outcome("pass", ""))
    assert "test-kind-x" not in KINDS
    fn = rule_kind("test-kind-x")(lambda p, c: Outcome("pass", ""))
    try:
        assert KINDS["test-kind-x"] is fn
    finally:
        del KINDS["test-kind-x"]


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        (" \t", True),
        ("x", False),
        ([], True),
        ({}, True),
        ((), True),
        (set(), True),
        ([""], False),
        (0, False),
        (False, False),
        (0.0, False),
    ],
)
def test_is_blank(value: Any, blank: bool) -> None:
    assert is_blank(value) is blank


def test_context_labels() -> None:
    r = rule({"kind": "expect_value", "field": "attestations.no_arrears", "equals": True})
    c = ctx(
        {"originals": {"enterprise.revenue": "两千万元"}, "locations": {"enterprise.revenue": "第1页"}},
        r,
        fields=[{"path": "enterprise.name", "label": "单位名称"}],
        sections=[{"id": "summary", "title": "项目简介"}],
    )
    assert c.label("enterprise.name") == "单位名称"  # the form's label first
    assert c.label("enterprise.revenue") == "营业收入"  # else the schema's title
    assert c.label("sections.summary") == "项目简介"
    assert c.label("sections.other") == "sections.other"
    assert c.label("attestations.no_arrears") == "企业名称已填写"  # else the title of the rule reading it
    assert c.label("metrics.x") == "metrics.x"
    assert c.original("enterprise.revenue") == "两千万元"
    assert c.location("enterprise.revenue") == "第1页"
    assert c.original("enterprise.name") is None
    assert c.location("enterprise.name") is None
    assert c.value("enterprise.revenue") is None
