"""Per-rule fixtures for EVERY rule of every programme.

Passing fixture: the compliant base draft(s) of the programme (eval/checkers/base)
give ``pass`` (or ``n/a`` where the rule does not apply to the variant; ``warn``
only where another reading of the rule's text, ``Rule.readings``, cannot confirm
the pass).
Failing fixture: at least one generated violation of the rule gives its labelled
status (``fail`` for severity error, ``warn`` for warning/info, and ``warn`` for
an error where the readings of its text disagree or the kind itself cannot
settle it: several modes ticked, an honour or title close to the named one).

Every labelled case must agree with the engine: a disagreement is a bug in the
checker, the spec or the label, fixed where it is, never listed as expected.
"""

from __future__ import annotations

import functools

import pytest

from checkers.credit_code import validate_credit_code
from checkers.engine import run_rules
from checkers.kinds.batch import resolve_batch
from corpus.loader import default_corpus
from eval.checkers.generate import (
    Case,
    Gen,
    GeneratorError,
    Mut,
    base_expected,
    build_case,
    generate_cases,
    load_bases,
)

CORPUS = default_corpus()
RULES = [(pid, r.id) for pid, spec in sorted(CORPUS.programmes.items()) for r in spec.rules]
RULE_IDS = [f"{p}:{r}" for p, r in RULES]

# (case name, rule key) → the bug behind it (see the eval report)


@functools.cache
def _cases() -> tuple[Case, ...]:
    return tuple(generate_cases(CORPUS))


@functools.cache
def _by_name() -> dict[str, Case]:
    return {c.name: c for c in _cases()}


@functools.cache
def _findings(case_name: str) -> dict[str, tuple[str, str]]:
    case = _by_name()[case_name]
    spec = CORPUS.programme(case.programme)
    return {f.id.split(":", 1)[1]: (f.status, f.message) for f in run_rules(spec, case.draft, CORPUS.lists)}


def _agrees(case: Case, rule: str) -> bool:
    status, message = _findings(case.name)[rule]
    words = case.message_contains.get(rule, ())
    return status == case.expected[rule] and all(w in message for w in words)


@pytest.mark.parametrize(("programme", "rule"), RULES, ids=RULE_IDS)
def test_base_draft_passes(programme: str, rule: str) -> None:
    bases = [c for c in _cases() if c.programme == programme and c.label == "base"]
    assert bases, f"no base draft for {programme}"
    for case in bases:
        status, message = _findings(case.name)[rule]
        has_readings = bool(CORPUS.programme(programme).rule(rule).readings)
        assert case.expected[rule] in ("pass", "n/a") or (case.expected[rule] == "warn" and has_readings)
        assert status == case.expected[rule], f"{case.name}: {rule} {status}: {message}"


def _batch_violation(programme: str, rule: str) -> None:
    """A batch-level rule (one draft alone cannot violate it): two copies of the
    programme's base draft in one batch give its labelled status on both."""
    spec = CORPUS.programme(programme)
    base = next(b for b in load_bases() if b.programme == programme)
    findings = run_rules(spec, base.draft, CORPUS.lists)
    settled = resolve_batch(spec, [("a.json", findings), ("b.json", list(findings))])
    want = "fail" if spec.rule(rule).severity == "error" else "warn"
    for name, other, found in (("a.json", "b.json", settled[0]), ("b.json", "a.json", settled[1])):
        f = next(f for f in found if f.id == f"{programme}:{rule}")
        assert f.status == want and other in f.message, (name, f.status, f.message)


@pytest.mark.parametrize(("programme", "rule"), RULES, ids=RULE_IDS)
def test_violation_gives_labelled_status(programme: str, rule: str) -> None:
    if CORPUS.programme(programme).rule(rule).check.batch_level:
        _batch_violation(programme, rule)
        return
    violations = [
        c for c in _cases() if c.programme == programme and c.target == rule and c.label == "violation"
    ]
    assert violations, f"no violation case for {programme}:{rule}"
    r = CORPUS.programme(programme).rule(rule)
    # kinds that warn by themselves: several modes ticked, an honour or title close to the named one
    kind_warns = r.check.kind in ("single_group", "honours_excluded") or getattr(r.check, "substitutes", None)
    for case in violations:
        assert case.expected[rule] in ("fail", "warn")
        if r.severity == "error" and case.expected[rule] == "warn":
            assert r.readings or kind_warns, case.name
    agreeing = [c.name for c in violations if _agrees(c, rule)]
    assert agreeing, f"no violation of {programme}:{rule} gives its labelled status: " + "; ".join(
        f"{c.name} → {_findings(c.name)[rule]}" for c in violations
    )


def test_every_rule_has_a_violation_case() -> None:
    targeted = {(c.programme, c.target) for c in _cases() if c.label == "violation"}
    # batch-level rules are violated by a batch, not by one draft (test_violation_gives_labelled_status)
    single = [(p, r) for p, r in RULES if not CORPUS.programme(p).rule(r).check.batch_level]
    assert [r for r in single if r not in targeted] == []


def test_every_programme_has_a_missing_input_case() -> None:
    with_missing = {c.programme for c in _cases() if c.label == "missing"}
    assert sorted(set(CORPUS.programmes) - with_missing) == []


def test_variant_bases_exist() -> None:
    names = {b.name for b in load_bases()}
    assert {"nt-smart-factory-2022.discrete", "nt-smart-factory-2022.process"} <= names
    assert {"js-gradient-2025.basic", "js-gradient-2025.excellent"} <= names
    assert {b.programme for b in load_bases()} == set(CORPUS.programmes)


def test_base_credit_codes_are_valid() -> None:
    for base in load_bases():
        code = base.draft.enterprise.credit_code
        assert code is not None and validate_credit_code(code) is None, base.name


def test_salary_case_says_why() -> None:
    case = _by_name()["js-iif-2022:investment-min:salaries-reach-2000"]
    status, message = _findings(case.name)["investment-min"]
    assert status == "fail" and "工资" in message


def test_undeclared_side_effect_is_refused() -> None:
    base = next(b for b in load_bases() if b.name == "js-iif-2022")
    spec = CORPUS.programme("js-iif-2022")
    g = Gen(spec, CORPUS.lists, base)
    mut = Mut("moves-application-date", "violation", lambda d: d.update(application_date="2022-06-30"), "")
    with pytest.raises(GeneratorError, match="project-completed"):
        build_case(g, spec.rule("application-deadline"), mut, base_expected(spec, base))


def test_engine_agrees_with_every_label() -> None:
    found = {
        (c.name, f"{c.programme}:{rule}") for c in _cases() for rule in c.expected if not _agrees(c, rule)
    }
    assert sorted(found) == []
