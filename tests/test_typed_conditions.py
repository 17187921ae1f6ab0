"""Typed conditions (issue #14 item 2): ``applies_when`` and every value a
spec compares with a draft field are typed by the field's type in the Draft
schema. A yes/no field takes YAML ``true``/``false`` — the text "true" is a
validation error, not a condition that silently never holds —, a date field a
date, a number field a number, a field with fixed values (variants, the target
level) one of them; a value that can never match is a validation error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from checkers.engine import check_rule
from checkers.registry import Context
from core.draft import Draft
from core.spec import ProgrammeSpec, Rule

CITATION = {"doc": "doc-a", "clause": "一", "quote": "申报单位须如实填写"}
NAME_RULE = {"kind": "required_fields", "fields": ["enterprise.name"]}


def rule_data(
    applies_when: dict[str, list[Any]] | None = None, check: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": "typed-rule",
        "title": "企业名称已填写",
        "severity": "error",
        "check": check or NAME_RULE,
        "citation": CITATION,
        "applies_when": applies_when,
    }


def spec(*rules: dict[str, Any], **extra: Any) -> ProgrammeSpec:
    return ProgrammeSpec.model_validate(
        {
            "id": "prog",
            "title": "测试",
            "issuer": None,
            "year": None,
            "docs": ["doc-a"],
            "rules": list(rules),
            **extra,
        }
    )


def status(s: ProgrammeSpec, draft: dict[str, Any]) -> tuple[str, str]:
    f = check_rule(s.rules[0], Context(draft=Draft.model_validate(draft), spec=s, lists={}))
    return f.status, f.message


FILLED = {"name": "某某公司"}


# ---------------------------------------------------------------- yes/no fields


def test_a_yes_no_condition_written_as_yaml_true_holds_for_true_only() -> None:
    s = spec(rule_data({"enterprise.above_designated_size": [True]}))
    assert status(s, {"enterprise": {**FILLED, "above_designated_size": True}})[0] == "pass"
    assert status(s, {"enterprise": {**FILLED, "above_designated_size": False}}) == (
        "n/a",
        "本条仅适用于规模以上工业企业为「是」的情形（本申报为「否」）。",
    )
    assert status(s, {"enterprise": FILLED})[0] == "unknown"


@pytest.mark.parametrize("text", ["true", "True", "是", "1"])
def test_a_yes_no_condition_written_as_text_is_a_validation_error(text: str) -> None:
    with pytest.raises(ValidationError) as e:
        Rule.model_validate(rule_data({"enterprise.above_designated_size": [text]}))
    message = str(e.value)
    assert "enterprise.above_designated_size" in message
    assert "true 或 false（不加引号）" in message
    assert "例如：enterprise.above_designated_size: [true]" in message


def test_a_number_is_not_a_yes_no_value() -> None:
    with pytest.raises(ValidationError, match="是/否字段"):
        Rule.model_validate(rule_data({"attestations.platform_built": [1]}))


def test_expect_value_on_a_yes_no_field_needs_a_boolean() -> None:
    check = {"kind": "expect_value", "field": "enterprise.major_accident", "equals": "false"}
    with pytest.raises(ValidationError) as e:
        Rule.model_validate(rule_data(check=check))
    assert "check.equals" in str(e.value) and "true 或 false" in str(e.value)
    ok = Rule.model_validate(rule_data(check={**check, "equals": False}))
    assert ok.check.equals is False  # type: ignore[union-attr]


# ---------------------------------------------------------------- dates and numbers


def test_a_date_condition_compares_dates() -> None:
    s = spec(rule_data({"application_date": [dt.date(2022, 9, 30)]}))
    assert status(s, {"application_date": "2022-09-30", "enterprise": FILLED})[0] == "pass"
    assert status(s, {"application_date": "2022-10-01", "enterprise": FILLED}) == (
        "n/a",
        "本条仅适用于申报日期为「2022-09-30」的情形（本申报为「2022-10-01」）。",
    )


def test_a_quoted_date_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as e:
        Rule.model_validate(rule_data({"application_date": ["2022-09-30"]}))
    assert "日期字段" in str(e.value) and "不加引号" in str(e.value)


def test_a_number_condition_compares_numbers() -> None:
    s = spec(rule_data({"enterprise.maturity_level": [2, 3]}))
    assert status(s, {"enterprise": {**FILLED, "maturity_level": 3.0}})[0] == "pass"
    assert status(s, {"enterprise": {**FILLED, "maturity_level": 1}}) == (
        "n/a",
        "本条仅适用于智能制造能力成熟度等级为「2、3」的情形（本申报为「1」）。",
    )
    with pytest.raises(ValidationError, match="数字字段"):
        Rule.model_validate(rule_data({"enterprise.maturity_level": ["二级"]}))


@pytest.mark.parametrize(
    ("check", "param"),
    [
        ({"kind": "value_range", "field": "enterprise.name", "min": 1}, "check.field"),
        (
            {"kind": "min_duration", "field": "enterprise.employees", "min_years": 1, "as_of": "2022-09-30"},
            "check.field",
        ),
        (
            {"kind": "date_before", "field": "project.end", "before_field": "enterprise.name"},
            "check.before_field",
        ),
        ({"kind": "min_sum", "items": ["project.investment.total", "project.name"], "min": 1}, "check.items"),
    ],
)
def test_a_kind_on_a_field_of_another_type_is_a_validation_error(check: dict[str, Any], param: str) -> None:
    with pytest.raises(ValidationError) as e:
        Rule.model_validate(rule_data(check=check))
    assert param in str(e.value) and "无法比较" in str(e.value)


# ---------------------------------------------------------------- fields with fixed values


def test_a_variant_condition_holds_for_its_variant() -> None:
    s = spec(rule_data({"factory_type": ["离散型"]}), variants={"factory_type": ["离散型", "流程型"]})
    assert status(s, {"factory_type": "离散型", "enterprise": FILLED})[0] == "pass"
    assert status(s, {"factory_type": "流程型", "enterprise": FILLED})[0] == "n/a"


def test_a_value_outside_the_variants_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as e:
        spec(rule_data({"factory_type": ["混合型"]}), variants={"factory_type": ["离散型", "流程型"]})
    message = str(e.value)
    assert "规则 typed-rule" in message
    assert "「混合型」不是「factory_type」的可选值（离散型、流程型）" in message
    assert "例如：factory_type: [离散型]" in message


def test_a_target_level_outside_the_four_levels_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="「先进」不是「target_level」的可选值"):
        spec(rule_data({"target_level": ["先进"]}))
    assert spec(rule_data({"target_level": ["先进级"]})).rules[0].applies_when == {"target_level": ["先进级"]}


def test_an_unquoted_yes_in_a_text_condition_is_explained() -> None:
    with pytest.raises(ValidationError) as e:
        Rule.model_validate(rule_data({"factory_type": [True]}))  # YAML reads `yes` as true
    assert "文字请加引号" in str(e.value)


def test_an_empty_condition_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="没有列出任何值"):
        Rule.model_validate(rule_data({"factory_type": []}))


def test_every_bundled_spec_compares_typed_values() -> None:
    from corpus.loader import default_corpus

    corpus = default_corpus()  # validated on load: would raise on a value that can never match
    conditions = [
        v
        for p in corpus.programmes.values()
        for r in p.rules
        for vs in (r.applies_when or {}).values()
        for v in vs
    ]
    assert conditions and all(isinstance(v, str) for v in conditions)  # factory_type variants only
