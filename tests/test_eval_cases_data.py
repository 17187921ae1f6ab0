"""Hand-written eval cases as data (eval/checkers/cases/*.yaml), the generator
registry and the edits they rely on."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from checkers.engine import run_rules
from core.spec import ProgrammeSpec
from corpus.loader import default_corpus
from eval.checkers.generate import base_expected, build_case, generate_cases, load_bases
from eval.checkers.generators import GENERATORS, generator
from eval.checkers.generators.common import Gen
from eval.checkers.handwritten import CaseFile, Step, load_case_files
from eval.checkers.mutate import put

CORPUS = default_corpus()
CASE = {"id": "x", "rule": "r", "label": "pass", "edits": [{"delete": ["a.b"]}], "why": "一个说明"}


def test_every_case_file_matches_a_programme_and_yields_cases() -> None:
    files = load_case_files()
    assert files, "no hand-written case files"
    names = {c.name for c in generate_cases(CORPUS)}
    for pid, hand in files.items():
        assert pid in CORPUS.programmes
        bases = [b.name for b in load_bases() if b.programme == pid]
        for case in hand.cases:
            made = {f"{b}:{case.rule}:{case.id}" for b in case.bases or bases}
            assert made <= names, f"{pid}: {case.id} made no case on {sorted(made - names)}"


def test_every_declared_collateral_is_used() -> None:
    """A collateral entry names a generated case that exists (no stale labels)."""
    names = {c.name.split(":", 1)[1] for c in generate_cases(CORPUS)}
    stale = [
        f"{pid}: {key}"
        for pid, hand in load_case_files().items()
        for key in hand.collateral
        if key.replace("/", ":") not in names
    ]
    assert stale == []


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError):
        CaseFile.model_validate({"programme": "p", "cases": [{**CASE, "note": "?"}]})
    with pytest.raises(ValidationError):
        CaseFile.model_validate({"programme": "p", "extras": []})


def test_an_edit_step_has_exactly_one_key() -> None:
    with pytest.raises(ValidationError, match="exactly one key"):
        Step.model_validate({"set": {"a": 1}, "delete": ["b"]})
    with pytest.raises(ValidationError, match="exactly one key"):
        Step.model_validate({})


def test_a_case_id_is_used_once_per_base() -> None:
    with pytest.raises(ValidationError, match="used twice"):
        CaseFile.model_validate({"programme": "p", "cases": [CASE, CASE]})
    CaseFile.model_validate(
        {"programme": "p", "cases": [{**CASE, "bases": ["p.a"]}, {**CASE, "bases": ["p.b"]}]}
    )


def test_written_amounts_are_normalised_and_kept() -> None:
    d: dict[str, object] = {}
    Step.model_validate({"money": {"enterprise.revenue": "0.2亿元"}}).apply(d)
    assert d == {"enterprise": {"revenue": 2000.0}, "originals": {"enterprise.revenue": "0.2亿元"}}


def test_put_indexes_table_rows() -> None:
    d = {"tables": {"t": [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]}}
    put(d, "tables.t.1.a", "x")
    assert d == {"tables": {"t": [{"a": "1", "b": "2"}, {"a": "x", "b": "4"}]}}


def test_a_generator_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        generator("min_sum")(GENERATORS["min_sum"])


def test_min_distinct_groups_generator_agrees_with_the_engine() -> None:
    """No programme uses min_distinct_groups yet: try its generator on a rule added to js-iif-2022."""
    spec = CORPUS.programme("js-iif-2022")
    extra = spec.rules[0].model_dump() | {
        "id": "mfg-two-groups",
        "check": {"kind": "min_distinct_groups", "list": "js-iif-2022-mfg", "min": 2},
    }
    spec = ProgrammeSpec.model_validate(spec.model_dump() | {"rules": [*spec.model_dump()["rules"], extra]})
    base = next(b for b in load_bases() if b.name == "js-iif-2022")
    g = Gen(spec, CORPUS.lists, base, errors=[])  # the other rules on the list are not declared here
    rule = spec.rule("mfg-two-groups")
    muts = GENERATORS["min_distinct_groups"](g, rule)
    assert {m.label for m in muts} == {"violation", "pass", "missing"}
    for mut in muts:
        case = build_case(g, rule, mut, base_expected(spec, base))
        found = {f.id.split(":", 1)[1]: f.status for f in run_rules(spec, case.draft, CORPUS.lists)}
        assert found[rule.id] == case.expected[rule.id], case.name
