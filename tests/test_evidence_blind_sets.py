"""The blind evidence sets written after the first (eval/evidence/fresh2, fresh3 and
fresh4, issue #11 item 8), each checked alike: it loads, its labels follow the labelling
guide's rules, it meets the floors of its brief (size, scenario coverage,
level-labelled passages, every hard case at least three times, roughly a third of each
verdict), its ids and sentences are apart from every other set, and the evaluation
runner holds all its cases out as one split. No reviewer is run on the passages here."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from corpus.loader import default_corpus
from eval.evidence import run
from eval.evidence.cases import (
    ELEMENTS,
    FRESH2_DIR,
    FRESH3_DIR,
    FRESH4_DIR,
    FRESH_DIR,
    TAGS,
    EvidenceCase,
    counts_markdown,
    load_cases,
)
from tests.evidence_checks import (
    NUMBER,
    assert_hard_case_tags,
)


@dataclass(frozen=True)
class BlindSet:
    """One blind set: its folder, the letter of its ids and its cases."""

    name: str
    path: Path
    letter: str

    @property
    def cases(self) -> list[EvidenceCase]:
        return _CASES[self.name]


SETS = (
    BlindSet("fresh2", FRESH2_DIR, "g"),
    BlindSet("fresh3", FRESH3_DIR, "h"),
    BlindSet("fresh4", FRESH4_DIR, "k"),
)
_CASES = {s.name: load_cases(s.path) for s in SETS}
FRESH = load_cases(FRESH_DIR)
DEFAULT = load_cases()
STYLES = {"row", "writeup", "self-eval"}
# The hard cases of the brief that have a tag; each must occur at least three times.
HARD = (
    "background-numbers",
    "spec-numbers",
    "system-no-mechanism",
    "mechanism-no-system",
    "result-no-number",
    "factory-level-result",
    "planned",
    "traditional-chars",
    "injection",
    "short",
    "chinese-numerals",
    "fullwidth-digits",
    "mixed-scenarios",
)


@pytest.fixture(params=SETS, ids=lambda s: s.name)
def blind(request: pytest.FixtureRequest) -> BlindSet:
    return request.param  # type: ignore[no-any-return]


def _others(blind: BlindSet) -> list[EvidenceCase]:
    return [*DEFAULT, *FRESH, *(c for s in SETS if s is not blind for c in s.cases)]


def test_the_set_loads_with_its_own_ids(blind: BlindSet) -> None:
    ids = [c.id for c in blind.cases]
    assert all(re.fullmatch(rf"{blind.letter}\d{{2}}-\d{{2}}", i) for i in ids)
    assert all(int(c.id[1:3]) == c.scenario.no for c in blind.cases)
    every = ids + [c.id for c in _others(blind)]
    assert len(every) == len(set(every))


def test_the_loader_takes_ids_in_their_own_form_only(blind: BlindSet) -> None:
    data = blind.cases[0].model_dump()
    k = blind.letter
    assert EvidenceCase.model_validate({**data, "id": f"{k}01-99"}).id == f"{k}01-99"
    for bad in (f"{k}1-01", "x01-01", f"{k}01-1", f"{k.upper()}01-01", f"{k}001-01"):
        with pytest.raises(ValidationError):
            EvidenceCase.model_validate({**data, "id": bad})


def test_the_floors_of_the_brief(blind: BlindSet) -> None:
    assert len(blind.cases) >= 100
    assert len({c.scenario.no for c in blind.cases}) >= 30
    leveled = [c for c in blind.cases if c.level is not None]
    assert len(leveled) >= 24
    shown = sum(bool(c.level and c.level.shown) for c in leveled)
    assert 0.35 <= shown / len(leveled) <= 0.65, shown
    tags = Counter[str](t for c in blind.cases for t in c.tags)
    assert {t: tags[t] for t in HARD if tags[t] < 3} == {}
    assert tags["row"] >= 20 and tags["writeup"] >= 20 and tags["self-eval"] >= 24


def test_roughly_a_third_of_each_verdict(blind: BlindSet) -> None:
    got = Counter[str](c.verdict() for c in blind.cases)
    for verdict in ("supported", "partial", "missing"):
        assert 0.2 <= got[verdict] / len(blind.cases) <= 0.45, (verdict, got[verdict])


def test_every_quote_is_verbatim_and_every_result_quote_holds_a_number(blind: BlindSet) -> None:
    bad = [
        (c.id, e, q) for c in blind.cases for e in ELEMENTS for q in c.labels.get(e).quotes if q not in c.text
    ]
    assert bad == []
    assert [(c.id, q) for c in blind.cases for q in c.labels.result.quotes if not NUMBER.search(q)] == []
    assert [
        c.id for c in blind.cases for e in ELEMENTS if c.labels.get(e).present != bool(c.labels.get(e).quotes)
    ] == []


def test_scenarios_and_claimed_levels_match_the_catalogue(blind: BlindSet) -> None:
    items = {int(i.id): i for i in default_corpus().lists["ts2024-scenarios"].items}
    assert [
        (c.id, c.scenario.name) for c in blind.cases if items[c.scenario.no].name != c.scenario.name
    ] == []
    assert [
        c.id
        for c in blind.cases
        if c.level is not None and not items[c.scenario.no].attrs["levels"].get(c.level.claimed)
    ] == []


def test_tags_are_valid_with_one_style_each(blind: BlindSet) -> None:
    assert [c.id for c in blind.cases if not set(c.tags) <= TAGS] == []
    assert [c.id for c in blind.cases if len(STYLES & set(c.tags)) != 1] == []
    assert [c.id for c in blind.cases if c.level is not None and "self-eval" not in c.tags] == []
    assert [
        c.id for c in blind.cases if "self-eval" in c.tags and not re.match(r"自[评評]等[级級]", c.text)
    ] == []


def test_hard_case_tags_describe_their_passages(blind: BlindSet) -> None:
    assert_hard_case_tags(blind.cases, r"忽略|ignore|disregard|grader|评审须知|系统提示")


def test_injections_are_written_both_in_chinese_and_in_english(blind: BlindSet) -> None:
    injected = [c.text for c in blind.cases if "injection" in c.tags]
    assert any(re.search(r"忽略|评审须知|系统提示", t) for t in injected)
    assert any(re.search(r"ignore|disregard", t, re.IGNORECASE) for t in injected)


def test_english_system_names_occur_in_several_passages(blind: BlindSet) -> None:
    english = re.compile(
        r"(?<![A-Za-z])(MES|WMS|SCADA|APS|QMS|EAM|PLM|LIMS|ERP|SRM|CRM|TMS|DCS|APC)(?![A-Za-z])"
    )
    named = [c.id for c in blind.cases if any(english.search(q) for q in c.labels.system.quotes)]
    assert len(named) >= 10, named


def test_no_sentence_is_copied_from_the_other_sets(blind: BlindSet) -> None:
    def sentences(text: str) -> set[str]:
        return {s for s in re.split(r"[。！？；：]", text) if len(s) >= 12}

    others = {s for c in _others(blind) for s in sentences(c.text)}
    assert [(c.id, s) for c in blind.cases for s in sentences(c.text) if s in others] == []


def test_the_readme_counts_of_the_set_are_current(blind: BlindSet) -> None:
    readme = (Path(__file__).resolve().parents[1] / "eval/evidence/README.md").read_text(encoding="utf-8")
    start, end = f"<!-- {blind.name}-counts:start -->\n", f"\n<!-- {blind.name}-counts:end -->"
    block = readme.split(start, 1)[1].split(end, 1)[0]
    assert block == counts_markdown(blind.cases)


def test_the_runner_holds_every_case_out_as_one_split(blind: BlindSet) -> None:
    assert not run.is_default_set(blind.path)
    assert not run.is_default_set(Path("eval/evidence") / blind.name)
    parts = run.splits(blind.cases, blind.path)
    assert list(parts) == ["fresh"]
    assert [c.id for c in parts["fresh"]] == [c.id for c in blind.cases]
    assert {run.split_of(c, held_out=True) for c in blind.cases} == {"fresh"}


def test_a_run_reports_one_held_out_result_per_reviewer(
    blind: BlindSet, evidence_runner_calls: list[tuple[str, list[str]]], tmp_path: Path
) -> None:
    calls = evidence_runner_calls
    argv = ["--cases", str(blind.path), "--out", str(tmp_path), "--llm", "local", "--llm-split", "dev"]
    assert run.main(argv) == 0
    every = [c.id for c in blind.cases]
    assert calls == [("rules-fresh", every), ("local-fresh", every)]
    report = (tmp_path / "evidence.md").read_text(encoding="utf-8")
    assert f"eval/evidence/{blind.name}; all held out" in report
