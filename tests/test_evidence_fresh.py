"""The fresh, blind evidence set (eval/evidence/fresh/*.yaml, issue #11 item 8): it
loads, its labels are consistent with the labelling guide's rules, it meets the floors
of the brief (size, scenario coverage, ids apart from the default set), and the
evaluation runner holds every fresh case out as one split, for the rules-only
reviewer and for a model alike. No reviewer is run on the fresh passages here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from corpus.loader import default_corpus
from eval.evidence import run
from eval.evidence.cases import CASES_DIR, ELEMENTS, FRESH_DIR, counts_markdown, load_cases
from tests.evidence_checks import (
    NUMBER,
    assert_hard_case_tags,
)

FRESH = load_cases(FRESH_DIR)
DEFAULT = load_cases()


def test_the_fresh_set_loads_with_its_own_ids() -> None:
    ids = [c.id for c in FRESH]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"f\d{2}-\d{2}", i) for i in ids)
    assert all(int(c.id[1:3]) == c.scenario.no for c in FRESH)
    assert not set(ids) & {c.id for c in DEFAULT}
    assert all(c.id.startswith("s") for c in DEFAULT)


def test_the_floors_of_the_brief() -> None:
    assert len(FRESH) >= 60
    assert len({c.scenario.no for c in FRESH}) >= 25
    leveled = [c for c in FRESH if c.level is not None]
    assert len(leveled) >= 3 and {c.level.shown for c in leveled if c.level} == {True, False}
    tags = Counter[str](t for c in FRESH for t in c.tags)
    hard = (
        "background-numbers",
        "system-no-mechanism",
        "mechanism-no-system",
        "result-no-number",
        "factory-level-result",
        "planned",
        "traditional-chars",
        "injection",
        "short",
    )
    assert {t: tags[t] for t in hard if tags[t] < 2} == {}
    assert tags["row"] >= 15 and tags["writeup"] >= 15


def test_roughly_a_third_of_each_verdict() -> None:
    got = Counter[str](c.verdict() for c in FRESH)
    for verdict in ("supported", "partial", "missing"):
        assert 0.2 <= got[verdict] / len(FRESH) <= 0.45, (verdict, got[verdict])


def test_every_quote_is_verbatim_and_every_result_quote_holds_a_number() -> None:
    bad = [(c.id, e, q) for c in FRESH for e in ELEMENTS for q in c.labels.get(e).quotes if q not in c.text]
    assert bad == []
    assert [(c.id, q) for c in FRESH for q in c.labels.result.quotes if not NUMBER.search(q)] == []


def test_scenarios_and_claimed_levels_match_the_catalogue() -> None:
    items = {int(i.id): i for i in default_corpus().lists["ts2024-scenarios"].items}
    assert [(c.id, c.scenario.name) for c in FRESH if items[c.scenario.no].name != c.scenario.name] == []
    assert [
        c.id
        for c in FRESH
        if c.level is not None and not items[c.scenario.no].attrs["levels"].get(c.level.claimed)
    ] == []


def test_hard_case_tags_describe_their_passages() -> None:
    assert_hard_case_tags(FRESH, r"忽略|ignore|AI|grader|评审须知")


def test_the_readme_counts_of_the_fresh_set_are_current() -> None:
    readme = (Path(__file__).resolve().parents[1] / "eval/evidence/README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- fresh-counts:start -->\n", 1)[1].split("\n<!-- fresh-counts:end -->", 1)[0]
    assert block == counts_markdown(FRESH)


def test_the_runner_holds_every_fresh_case_out_as_one_split() -> None:
    assert not run.is_default_set(FRESH_DIR)
    assert not run.is_default_set(Path("eval/evidence/fresh"))
    parts = run.splits(FRESH, FRESH_DIR)
    assert list(parts) == ["fresh"]
    assert [c.id for c in parts["fresh"]] == [c.id for c in FRESH]
    assert {run.split_of(c, held_out=True) for c in FRESH} == {"fresh"}


def test_the_default_set_keeps_its_dev_and_holdout_splits() -> None:
    for path in (None, CASES_DIR, next(CASES_DIR.glob("*.yaml"))):
        assert run.is_default_set(path)
    parts = run.splits(DEFAULT, None)
    assert list(parts) == ["dev", "holdout"]
    assert [c.id for c in parts["holdout"]] == [c.id for c in DEFAULT if int(c.id[-2:]) % 3 == 0]
    assert len(parts["dev"]) + len(parts["holdout"]) == len(DEFAULT)


def test_a_fresh_run_reports_one_held_out_result_per_reviewer(
    evidence_runner_calls: list[tuple[str, list[str]]], tmp_path: Path
) -> None:
    calls = evidence_runner_calls
    argv = ["--cases", str(FRESH_DIR), "--out", str(tmp_path), "--llm", "local", "--llm-split", "dev"]
    assert run.main(argv) == 0
    every = [c.id for c in FRESH]
    assert calls == [("rules-fresh", every), ("local-fresh", every)]
    report = (tmp_path / "evidence.md").read_text(encoding="utf-8")
    assert "eval/evidence/fresh; all held out" in report and "| rules-fresh |" in report


def test_a_default_run_keeps_its_methods(
    evidence_runner_calls: list[tuple[str, list[str]]], tmp_path: Path
) -> None:
    calls = evidence_runner_calls
    assert run.main(["--out", str(tmp_path), "--llm", "local"]) == 0
    parts = run.splits(DEFAULT, None)
    assert calls == [
        ("rules", [c.id for c in DEFAULT]),
        ("rules-dev", [c.id for c in parts["dev"]]),
        ("rules-holdout", [c.id for c in parts["holdout"]]),
        ("local-holdout", [c.id for c in parts["holdout"]]),
    ]
    assert "(eval/evidence/cases);" in (tmp_path / "evidence.md").read_text(encoding="utf-8")
