"""The batch step of ``unique_per_batch`` (checkers.kinds.batch.resolve_batch)
on findings built straight from drafts: every shared code is settled, whatever
the order of the batch, and a rule of ``warning`` severity warns ("一次只能申报一个")."""

from __future__ import annotations

from kindcase import context_for

from checkers.engine import run_rules
from checkers.kinds.batch import resolve_batch
from core.draft import Draft
from core.spec import ProgrammeSpec

A, B = "91430100MA4L0XXXXX", "91430100MA4L0YYYYY"


def _statuses(codes: list[tuple[str, str]], severity: str = "error") -> list[str]:
    ctx = context_for("unique_per_batch", {"params": {}, "draft": {}})
    rule = ctx.spec.rules[0].model_copy(update={"severity": severity})
    spec: ProgrammeSpec = ctx.spec.model_copy(update={"rules": [rule]})
    reports = [
        (name, run_rules(spec, Draft.model_validate({"enterprise": {"credit_code": code}}), ctx.lists))
        for name, code in codes
    ]
    return [findings[0].status for findings in resolve_batch(spec, reports)]


def test_a_lone_code_first_does_not_stop_the_shared_one_after_it() -> None:
    assert _statuses([("a.json", A), ("b.json", B), ("c.json", B)]) == ["pass", "fail", "fail"]


def test_a_warning_rule_warns_on_each_draft() -> None:
    assert _statuses([("a.json", A), ("b.json", A)], severity="warning") == ["warn", "warn"]


def test_an_error_rule_fails_on_each_draft() -> None:
    assert _statuses([("a.json", A), ("b.json", A)]) == ["fail", "fail"]
