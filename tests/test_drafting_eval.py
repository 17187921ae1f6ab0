"""The drafting evaluation (issue #12, item 7): the fact sheets load and meet
their floors, every labelled number is in its facts, the runner writes its
report on a small subset, and every column the rules-only drafter writes is
within its 字数 limit with no number outside the facts (a real guarantee: 100%)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.drafting.service import DraftService
from core.text import count_zishu
from corpus.loader import default_corpus
from eval.drafting.cases import HARD_TAGS, load_cases, occurs
from eval.drafting.numbers import not_in_facts, numbers_in
from eval.drafting.run import evaluate, main, model_drafter, rules_drafter, spec_problems
from eval.drafting.terms import key_terms

CASES = load_cases()
CORPUS = default_corpus()
# Written from the nt form's column titles (corpus/docs/nt-2022-form.md, 重点环节具体场景描述):
# 具体描述150、痛点150、技术方案300、保障要素150、实施成果200、其他150.
NT_LIMITS = {
    "description": 150,
    "pain_points": 150,
    "solution": 300,
    "support": 150,
    "results": 200,
    "other": 150,
}
DIGIT = re.compile(r"[0-9０-９]")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_the_set_meets_its_floors() -> None:
    cases = [c for _, c in CASES]
    assert len(cases) >= 40
    assert len({c.id for c in cases}) == len(cases)
    assert len({industry for industry, _ in CASES}) >= 7
    tags = Counter(t for c in cases for t in c.tags)
    for tag in HARD_TAGS:  # no numbers, background numbers, too long, a required column missing
        assert tags[tag] >= 5, tag
    programmes = Counter(c.programme for c in cases)
    assert programmes["nt-smart-factory-2022"] > len(cases) / 2
    assert programmes["js-smart-factory"] >= 3 and programmes["js-smart-workshop"] >= 3
    assert {c.style for c in cases} == {"notes", "writeup", "key-value"}
    assert sum(c.scenario == "auto" for c in cases) >= 3
    # missing columns of both kinds the brief names: no problem statement, no 保障要素
    nt = [c for c in cases if c.programme == "nt-smart-factory-2022"]
    assert sum("pain_points" not in c.fillable for c in nt) >= 3
    assert sum("support" not in c.fillable for c in nt) >= 3
    assert sum("results" not in c.fillable for c in nt) >= 3


def test_every_labelled_number_is_written_in_its_facts() -> None:
    for _, case in CASES:
        facts = _fold(case.facts)
        for n in case.result_numbers + case.background_numbers:
            assert _fold(n) in facts, (case.id, n)
        assert not set(case.result_numbers) & set(case.background_numbers), case.id


def test_the_no_numbers_sheets_hold_no_digit() -> None:
    sheets = [c for _, c in CASES if "no-numbers" in c.tags]
    assert sheets and all(not DIGIT.search(c.facts) and not c.result_numbers for c in sheets)


def test_the_long_sheets_have_a_passage_over_the_columns_limit() -> None:
    for _, case in CASES:
        for col in case.long_columns:
            lines = case.facts.splitlines()
            assert any(count_zishu(line) > NT_LIMITS[col] for line in lines), (case.id, col)


def test_the_labels_fit_their_programmes() -> None:
    assert spec_problems(CASES, CORPUS) == []


def test_a_number_not_in_the_facts_is_refused(tmp_path: Path) -> None:
    _, case = CASES[0]
    bad: dict[str, Any] = case.model_dump(exclude_none=True) | {"result_numbers": ["12.5%"]}
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump({"industry": "测试", "cases": [bad]}, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="不在材料中"):
        load_cases(path)


def test_a_number_is_matched_whole() -> None:
    assert occurs("0.3%", "降至0.3%。")
    assert not occurs("0.3%", "降至10.3%。")
    assert not occurs("30%", "提高130%")
    assert occurs("３５％", "提高35%")


def test_the_independent_number_check() -> None:
    facts = "漏检率由2.1%降至0.3%，停台时间减少了三成，周期缩短了三分之一，检测效率提升３５％。"
    assert not_in_facts("漏检率降至0.30%，减少三成，缩短三分之一，提升35%", facts) == []
    assert not_in_facts("漏检率降至0.2%，减少四成", facts) == ["0.2", "四成"]
    assert "一体化" not in numbers_in("一体化管控平台")


def test_key_terms_leave_out_the_definitions_template() -> None:
    text = CORPUS.lists["ts2024-scenarios"].item("14").text or ""
    terms = key_terms(text)
    assert {"机器", "视觉", "缺陷", "在线"} <= set(terms)
    assert not {"面向", "针对", "业务活动", "问题"} & set(terms)
    assert all(len(t) >= 2 and not t.endswith("等") for t in terms)
    assert "寻优" in key_terms(CORPUS.lists["ts2024-scenarios"].item("8").text or "")


def test_every_drafted_column_is_within_its_limit_and_invents_no_number() -> None:
    service = DraftService(CORPUS)
    res, rows = evaluate(CASES, CORPUS, "rules", rules_drafter(service))
    assert not res.errors and len(rows) == len(CASES)
    for (_, case), row in zip(CASES, rows, strict=True):
        for col in row.columns:
            if case.programme == "nt-smart-factory-2022":
                assert count_zishu(col.text) <= NT_LIMITS[col.key], (case.id, col.key)
        output = "".join(c.text for c in row.columns)
        assert not row.numbers.not_in_facts and not row.names_not_in_facts, case.id
        assert not_in_facts(output, case.facts) == [], case.id
    s = res.summary()
    assert s["within_limit_share"] == 1.0 and s["columns_limited"] == 6 * sum(
        c.programme == "nt-smart-factory-2022" for _, c in CASES
    )


def test_the_runner_writes_its_report_on_a_subset(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--limit", "6", "--strict"]) == 0
    data = json.loads((tmp_path / "drafting.json").read_text(encoding="utf-8"))
    (rules,) = data["methods"]
    assert rules["method"] == "rules" and rules["rows"] == 6
    for key in (
        "within_limit_share",
        "invented_numbers",
        "invented_numbers_independent",
        "invented_names",
        "fill_recall",
        "fill_precision",
        "key_terms_used",
        "result_numbers_share",
        "background_numbers_in_results",
        "seconds_per_row_median",
    ):
        assert rules[key] is not None, key
    assert "| rules | 6 |" in (tmp_path / "drafting.md").read_text(encoding="utf-8")
    assert (tmp_path / "drafting-zishu.png").stat().st_size > 1000


def test_a_model_drafter_is_asked_for_only_when_the_service_offers_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a model that cannot be used is refused: its rows would be rules-only under its name
    assert main(["--out", str(tmp_path), "--limit", "1", "--llm", "openai"]) == 2
    assert "SHENBAO_LLM__BASE_URL" in capsys.readouterr().err

    calls: list[str] = []

    class WithModel:
        def draft_row(
            self, spec: Any, facts: str, scenario: str, *, factory_type: Any = None, llm: str
        ) -> Any:
            calls.append(llm)
            return "row"

    class RulesOnly:
        def draft_row(self, spec: Any, facts: str, scenario: str, *, factory_type: Any = None) -> Any:
            return "row"

    assert model_drafter(RulesOnly(), "local") is None
    drafter = model_drafter(WithModel(), "local")
    assert drafter is not None and drafter(None, "材料", "14", None) == "row"  # type: ignore[arg-type]
    assert calls == ["local"]
