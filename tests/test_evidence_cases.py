"""The labelled evidence set (eval/evidence/cases/*.yaml, issue #11 item 8): it loads,
its labels are internally consistent, it matches the scenario catalogue and it meets
the floors of the brief (size, coverage, hard cases, auto subset, verdict mix)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from corpus.loader import default_corpus
from eval.evidence.cases import (
    CaseFile,
    EvidenceCase,
    HardTag,
    ScenarioRef,
    counts,
    counts_markdown,
    load_cases,
)

CASES = load_cases()
HARD = list(get_args(HardTag))  # the hard cases, each needing its floor of passages
# Written here, not imported: a result quote must hold Arabic or full-width digits,
# %, or a Chinese numeral.
NUMBER = re.compile(r"[0-9０-９%％〇零一二两三四五六七八九十百千万亿半倍]")
CN_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千万半]")
DIGIT = re.compile(r"[0-9０-９]")
FULLWIDTH_DIGIT = re.compile(r"[０-９]")
# Simplified forms whose traditional form differs (这/這, 个/個, 为/為 ...): none may
# appear in a passage tagged traditional-chars, and some traditional forms must.
SIMPLIFIED_ONLY = set("这个为与业产统数设备检测质过时们来说对发会经进实现后动电车库线链录")
TRADITIONAL_ONLY = set("這個為與業產統數設備檢測質過時們來說對發會經進實現後動電車庫線鏈錄")

CASE: dict[str, Any] = {
    "id": "s14-99",
    "scenario": {"no": 14, "name": "在线智能检测"},
    "text": "部署视觉检测系统，相机拍照后由模型判定缺陷，漏检率由2%降至0.2%。",
    "labels": {
        "system": {"present": True, "quotes": ["部署视觉检测系统"]},
        "how": {"present": True, "quotes": ["相机拍照后由模型判定缺陷"]},
        "result": {"present": True, "quotes": ["漏检率由2%降至0.2%"]},
    },
    "tags": ["short", "row"],
}


def _with(**labels: dict[str, Any]) -> dict[str, Any]:
    return {**CASE, "labels": {**CASE["labels"], **labels}}


def test_the_set_loads_with_unique_ids() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def test_every_quote_occurs_verbatim_in_its_text() -> None:
    bad = [
        (c.id, e, q)
        for c in CASES
        for e in ("system", "how", "result")
        for q in c.labels.get(e).quotes
        if q not in c.text
    ]
    assert bad == []


def test_present_iff_quotes() -> None:
    bad = [
        (c.id, e)
        for c in CASES
        for e in ("system", "how", "result")
        if c.labels.get(e).present != bool(c.labels.get(e).quotes)
    ]
    assert bad == []


def test_every_result_quote_holds_a_number() -> None:
    bad = [(c.id, q) for c in CASES for q in c.labels.result.quotes if not NUMBER.search(q)]
    assert bad == []


def test_scenarios_match_the_catalogue() -> None:
    items = {int(i.id): i for i in default_corpus().lists["ts2024-scenarios"].items}
    assert len(items) == 40
    bad = [
        (c.id, c.scenario.no, c.scenario.name)
        for c in CASES
        if c.scenario.no not in items or items[c.scenario.no].name != c.scenario.name
    ]
    assert bad == []


def test_a_claimed_level_has_a_description_in_the_catalogue() -> None:
    """A js-gradient-style case claims a level the catalogue describes for its scenario
    (the self-evaluation table prints “/” for levels a scenario does not have)."""
    items = {int(i.id): i for i in default_corpus().lists["ts2024-scenarios"].items}
    leveled = [c for c in CASES if c.level is not None]
    assert len(leveled) >= 12
    bad = [
        (c.id, c.level.claimed)
        for c in leveled
        if c.level is not None and not items[c.scenario.no].attrs["levels"].get(c.level.claimed)
    ]
    assert bad == []
    assert {c.level.shown for c in leveled if c.level is not None} == {True, False}


def test_the_floors_of_the_brief() -> None:
    assert len(CASES) >= 120
    assert len({c.scenario.no for c in CASES}) >= 28
    tags = Counter[str](t for c in CASES for t in c.tags)
    assert {t: tags[t] for t in HARD if tags[t] < 6} == {}
    assert sum(c.auto for c in CASES) >= 40


def test_the_verdict_mix_is_balanced() -> None:
    """Roughly 40% supported, 35% partial, 25% missing, each within ±10 points."""
    n = len(CASES)
    got = Counter[str](c.verdict() for c in CASES)
    for verdict, share in {"supported": 0.40, "partial": 0.35, "missing": 0.25}.items():
        assert abs(got[verdict] / n - share) <= 0.10, (verdict, got[verdict], n)


def test_every_element_is_both_present_and_absent_somewhere() -> None:
    """Per-element precision and recall need positives and negatives for each element."""
    for e in ("system", "how", "result"):
        present = sum(c.labels.get(e).present for c in CASES)
        assert 0.25 * len(CASES) <= present <= 0.8 * len(CASES), (e, present)


def test_auto_cases_do_not_name_their_scenario() -> None:
    bad = [c.id for c in CASES if c.auto and c.scenario.name in c.text]
    assert bad == []
    assert not [c.id for c in CASES if c.auto and "mixed-scenarios" in c.tags]


def test_hard_case_tags_describe_their_passages() -> None:
    for c in CASES:
        if "traditional-chars" in c.tags:
            assert not SIMPLIFIED_ONLY & set(c.text), c.id
            assert len(TRADITIONAL_ONLY & set(c.text)) >= 2, c.id
        one_sentence = not re.search(r"[。！？!?]", c.text.rstrip("。！？!?"))
        assert ("short" in c.tags) == one_sentence, c.id
        if "fullwidth-digits" in c.tags:
            assert FULLWIDTH_DIGIT.search(c.text), c.id
            assert not re.search(r"[0-9]", c.text), c.id
        if "chinese-numerals" in c.tags:
            assert any(CN_NUMERAL.search(q) and not DIGIT.search(q) for q in c.labels.result.quotes), c.id
        if "factory-level-result" in c.tags or "background-numbers" in c.tags:
            assert DIGIT.search(c.text), c.id


def test_the_verdict_is_derived_from_the_labels() -> None:
    absent = {"present": False, "quotes": []}
    assert EvidenceCase.model_validate(CASE).verdict() == "supported"
    partial = EvidenceCase.model_validate(_with(how=absent))
    assert partial.verdict() == "partial"
    assert partial.missing() == ["how"]
    none = EvidenceCase.model_validate(_with(system=absent, how=absent, result=absent))
    assert none.verdict() == "missing"
    assert none.missing() == ["system", "how", "result"]


def test_bad_labels_are_refused() -> None:
    with pytest.raises(ValidationError, match="引文不在原文中"):
        EvidenceCase.model_validate(_with(system={"present": True, "quotes": ["MES系统"]}))
    with pytest.raises(ValidationError, match="必须给出引文"):
        EvidenceCase.model_validate(_with(how={"present": True, "quotes": []}))
    with pytest.raises(ValidationError, match="引文必须为空"):
        EvidenceCase.model_validate(_with(how={"present": False, "quotes": ["由模型判定缺陷"]}))
    with pytest.raises(ValidationError, match="不含数字"):
        EvidenceCase.model_validate(_with(result={"present": True, "quotes": ["由模型判定缺陷"]}))
    with pytest.raises(ValidationError, match="文体标签"):
        EvidenceCase.model_validate({**CASE, "tags": ["short"]})
    with pytest.raises(ValidationError):
        EvidenceCase.model_validate({**CASE, "tags": ["row", "no-such-tag"]})
    with pytest.raises(ValidationError, match="场景名"):
        EvidenceCase.model_validate({**CASE, "text": CASE["text"] + "在线智能检测", "auto": True})
    with pytest.raises(ValidationError, match="读成了 false"):
        ScenarioRef.model_validate({False: 14, "name": "在线智能检测"})


def test_load_cases_reads_a_file_and_refuses_duplicate_ids(tmp_path: Path) -> None:
    import yaml

    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump({"cases": [CASE]}, allow_unicode=True), encoding="utf-8")
    assert [c.id for c in load_cases(f)] == ["s14-99"]
    (tmp_path / "b.yaml").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValueError, match="id 重复"):
        load_cases(tmp_path)
    with pytest.raises(ValueError, match="不存在"):
        load_cases(tmp_path / "none")
    assert CaseFile.model_validate({"cases": [CASE]}).cases[0].verdict() == "supported"


def test_the_readme_counts_are_current() -> None:
    readme = (Path(__file__).resolve().parents[1] / "eval/evidence/README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- counts:start -->\n", 1)[1].split("\n<!-- counts:end -->", 1)[0]
    assert block == counts_markdown(CASES)


def test_counts_of_a_small_set() -> None:
    absent = {"present": False, "quotes": []}
    two = [
        EvidenceCase.model_validate(CASE),
        EvidenceCase.model_validate(
            {**_with(how=absent), "id": "s14-98", "tags": ["row", "short", "injection"]}
        ),
    ]
    k = counts(two)
    assert k["cases"] == 2 and k["scenarios"] == 1
    assert k["verdicts"] == {"supported": 1, "partial": 1, "missing": 0}
    assert k["present"] == {"system": 2, "how": 1, "result": 2}
    assert k["tags"] == {"row": 2, "short": 2, "injection": 1}
