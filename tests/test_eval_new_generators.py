"""Generators of kinds no bundled programme uses (yet) agree with the engine:
each is tried on a rule added to a copy of a bundled spec."""

from __future__ import annotations

from typing import Any

import pytest

from checkers.engine import run_rules
from core.spec import ProgrammeSpec
from corpus.loader import default_corpus
from eval.checkers.generate import base_expected, build_case, load_bases
from eval.checkers.generators import GENERATORS
from eval.checkers.generators.common import Gen

CORPUS = default_corpus()


def _try(check: dict[str, Any], expected_labels: set[str]) -> None:
    spec = CORPUS.programme("js-iif-2022")
    extra = spec.rules[0].model_dump() | {"id": "extra-rule", "check": check}
    spec = ProgrammeSpec.model_validate(spec.model_dump() | {"rules": [*spec.model_dump()["rules"], extra]})
    base = next(b for b in load_bases() if b.name == "js-iif-2022")
    g = Gen(spec, CORPUS.lists, base, errors=[])  # other readers of the field are not declared here
    rule = spec.rule("extra-rule")
    muts = GENERATORS[check["kind"]](g, rule)
    assert {m.label for m in muts} == expected_labels
    for mut in muts:
        case = build_case(g, rule, mut, base_expected(spec, base))
        found = {f.id.split(":", 1)[1]: f.status for f in run_rules(spec, case.draft, CORPUS.lists)}
        assert found[rule.id] == case.expected[rule.id], case.name


@pytest.mark.parametrize("strict", [False, True])
def test_date_after_generator_agrees_with_the_engine(strict: bool) -> None:
    # the base's project ends 2021-12-31
    _try(
        {"kind": "date_after", "field": "project.end", "after": "2021-01-01", "strict": strict},
        {"violation", "pass", "missing"},
    )


@pytest.mark.parametrize("strict", [False, True])
def test_date_between_generator_agrees_with_the_engine(strict: bool) -> None:
    # the base's project runs 2019-09-01 .. 2021-12-31: inside both windows (the strict one ends a day later)
    check = {
        "kind": "date_between",
        "fields": ["project.start", "project.end"],
        "start": "2019-01-01",
        "end": "2022-01-01" if strict else "2021-12-31",
        "strict": strict,
    }
    _try(check, {"violation", "missing"} | (set() if strict else {"pass"}))
