"""Typed finding evidence: measured values with Chinese labels and units, and
the fields that were missing; older flat dicts (review-store rows written
before evidence was typed) still read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.reports.common import evidence_rows
from core.findings import Evidence, Measure, MissingField, missing_evidence


def test_as_dict_and_get() -> None:
    ev = Evidence(
        values=(Measure(key="enterprise.revenue", label="营业收入", value=2000.0, unit="万元"),),
        missing=(MissingField(path="enterprise.employees", label="从业人员"),),
    )
    assert ev.as_dict() == {"enterprise.revenue": 2000.0, "missing": ["enterprise.employees"]}
    assert ev.get("enterprise.revenue") == 2000.0
    assert ev.get("absent", "无") == "无"
    assert ev.missing_paths() == ["enterprise.employees"]
    assert bool(ev) and not bool(Evidence())


def test_json_round_trip_keeps_labels_units_and_order() -> None:
    ev = Evidence(
        values=(
            Measure(key="b", label="乙", value=[1, 2], unit="项"),
            Measure(key="a", label="甲", value="x", original="Ｘ"),
        ),
        missing=(MissingField(path="p", label="某字段"),),
    )
    assert Evidence.model_validate_json(ev.model_dump_json()) == ev


def test_legacy_flat_dict_is_read_as_measures_labelled_by_key() -> None:
    ev = Evidence.model_validate({"合计": 1800.0, "missing": ["enterprise.name"]})
    assert ev.values == (Measure(key="合计", label="合计", value=1800.0),)
    assert ev.missing == (MissingField(path="enterprise.name", label="enterprise.name"),)
    # a legacy dict that happened to use the key "values" for a list of names
    old = Evidence.model_validate({"values": ["计划调度", "生产作业"], "count": 2})
    assert old.get("values") == ["计划调度", "生产作业"] and old.get("count") == 2


def test_a_value_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValidationError):
        Measure(key="k", label="值", value=object())
    with pytest.raises(ValidationError):
        Measure(key="k", label="", value=1)  # a value without a label is no evidence


def test_report_rows_show_label_value_unit_and_text_as_written() -> None:
    ev = Evidence(
        values=(
            Measure(key="r", label="营业收入", value=2000.0, unit="万元", original="两千万元"),
            Measure(key="l", label="已勾选", value=["计划调度", "生产作业"]),
            Measure(key="m", label="重大事故", value=False),
        ),
        missing=missing_evidence(("a", "从业人员"), ("b", "营业收入"), ("a", "从业人员")).missing,
    )
    assert evidence_rows(ev) == [
        ("营业收入", "2000 万元（原文：两千万元）"),
        ("已勾选", "计划调度、生产作业"),
        ("重大事故", "否"),
        ("缺少", "从业人员、营业收入"),
    ]
