"""Values supplied for ``unknown`` findings (``app/supplements.py``) and the
字数 of the limited texts (``app/word_counts.py``), without Streamlit."""

from __future__ import annotations

import datetime as dt

import pytest
from test_cli_fixtures import PROGRAMME, good_draft

from app.checking import check_draft
from app.supplements import (
    WEB_LOCATION,
    InputError,
    MissingField,
    apply_values,
    missing_fields,
    parse_input,
    read_inputs,
)
from app.word_counts import limited_texts
from core.draft import Draft
from corpus.loader import default_corpus


def test_missing_fields_and_their_inputs() -> None:
    corpus = default_corpus()
    spec = corpus.programme(PROGRAMME)
    d = good_draft()
    del d["project"]["investment"]["platform_dev"]
    del d["sections"]["overview"]
    del d["attestations"]["official_seal"]
    report = check_draft(Draft.model_validate(d), spec, corpus, "x")
    fields = {f.path: f for f in missing_fields(report.findings, spec, corpus)}
    assert fields["project.investment.platform_dev"].kind == "money"
    assert fields["sections.overview"].kind == "section"
    assert fields["sections.overview"].label == "项目总体描述"
    assert fields["attestations.official_seal"].kind == "bool"
    assert fields["attestations.official_seal"].label == "申报材料加盖公章"


def test_parse_input_uses_the_shared_parsers() -> None:
    money = MissingField("project.investment.total", "总投资", "money")
    assert parse_input(money, "贰仟万元") == 2000
    assert parse_input(money, "20,000,000元") == 2000
    assert parse_input(money, "  ") is None
    end = MissingField("project.end", "建设期", "date_end")
    assert parse_input(end, "2022年5月") == dt.date(2022, 5, 31)
    with pytest.raises(InputError, match="建设期"):
        parse_input(end, "去年")
    number = MissingField("enterprise.employees", "从业人员", "number", unit="人")
    assert parse_input(number, "１２０人") == 120


def test_apply_values_sets_paths_and_records_the_source() -> None:
    draft = Draft.model_validate(good_draft())
    out = apply_values(draft, {"metrics.new_metric": 3.0, "attestations.official_seal": False}, {"x": "y"})
    assert out.metrics["new_metric"] == 3.0
    assert out.attestations["official_seal"] is False
    assert out.locations["metrics.new_metric"] == "网页补充"
    assert draft.metrics.get("new_metric") is None  # the original is untouched
    with pytest.raises(InputError):
        apply_values(draft, {"enterprise.employees": "很多"})


def test_limited_texts_cover_sections_and_table_cells() -> None:
    corpus = default_corpus()
    spec = corpus.programme("nt-smart-factory-2022")
    draft = Draft(tables={"scenarios": [{"description": "智" * 151}]}, sections={"intro": "简介"})
    texts_ = limited_texts(spec, draft)
    intro = next(t for t in texts_ if not t.is_table and t.count.zishu == 2)
    assert intro.limit == 500 and not intro.over
    cells = [t for t in texts_ if t.is_table]
    assert cells and cells[0].over and cells[0].limit == 150


def test_fields_without_an_input_say_where_to_supply_them() -> None:
    corpus = default_corpus()
    spec = corpus.programme("js-gradient-2025")
    report = check_draft(Draft(programme=spec.id, target_level="基础级"), spec, corpus, "x")
    fields = {f.path: f for f in missing_fields(report.findings, spec, corpus)}
    self_eval = [f for path, f in fields.items() if path.startswith("self_eval")]
    assert self_eval and all(f.kind == "unsupported" and "梯度自评" in (f.hint or "") for f in self_eval)


def test_parse_input_of_lists_texts_and_empty_values() -> None:
    listed = MissingField("enterprise.awards", "获奖", "list")
    assert parse_input(listed, "甲、乙，丙") == ["甲", "乙", "丙"]
    assert parse_input(MissingField("sections.overview", "概述", "section"), "  正文 ") == "正文"
    assert parse_input(MissingField("attestations.official_seal", "公章", "bool"), False) is False
    assert parse_input(listed, []) is None
    assert WEB_LOCATION == "网页补充"


def test_read_inputs_collects_values_originals_and_problems() -> None:
    money = MissingField("project.investment.total", "总投资", "money")
    end = MissingField("project.end", "建设期", "date_end")
    seal = MissingField("attestations.official_seal", "公章", "bool")
    empty = MissingField("enterprise.employees", "从业人员", "number", unit="人")
    entered = {money.path: " 贰仟万元 ", end.path: "去年", seal.path: True, empty.path: ""}
    out = read_inputs([money, end, seal, empty], entered)
    assert out.values == {money.path: 2000, seal.path: True}
    assert out.originals == {money.path: "贰仟万元"}
    assert len(out.problems) == 1 and "建设期" in out.problems[0]
