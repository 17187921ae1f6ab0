"""Every rule kind on its own parameters: the cases of ``fixtures/<kind>.yaml``
run through ``KINDS[kind]`` directly (no programme YAML, no engine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from kindcase import FIXTURES, all_cases, context_for, load_file, params_of

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.registry import KINDS
from core.spec import RULE_PARAMS

CASES = all_cases()


def test_every_kind_has_a_fixture_file_with_pass_and_fail() -> None:
    for kind in RULE_PARAMS:
        assert (FIXTURES / f"{kind}.yaml").is_file(), f"no fixture file for {kind}"
        statuses = {c["expect"]["status"] for c in load_file(kind)["cases"]}
        assert {"pass", "fail"} <= statuses, f"{kind}: needs a passing and a failing case ({statuses})"


def test_fixture_files_name_kinds_and_ids_are_unique() -> None:
    assert {p.stem for p in FIXTURES.glob("*.yaml")} <= set(RULE_PARAMS)
    ids = [f"{k}/{c['id']}" for k, c in CASES]
    assert len(ids) == len(set(ids))


def _plain(value: Any) -> Any:
    """YAML reads 2022-06-30 as a date; evidence holds ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _check_evidence(got: dict[str, Any], want: dict[str, Any]) -> None:
    for key, value in _plain(want).items():
        assert key in got, f"evidence lacks {key!r}: {got}"
        assert got[key] == value, f"evidence[{key!r}] = {got[key]!r}, expected {value!r}"


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}/{c['id']}" for k, c in CASES])
def test_kind_case(kind: str, case: dict[str, Any]) -> None:
    params = params_of(kind, case)
    outcome = KINDS[kind](params, context_for(kind, case, params))
    expect = case["expect"]
    assert (outcome.status, outcome.message) == (
        expect["status"],
        expect.get("message", outcome.message),
    )
    for part in expect.get("message_contains", []):
        assert part in outcome.message
    assert "message" in expect or "message_contains" in expect, "a case states its message"
    _check_evidence(outcome.evidence, expect.get("evidence", {}))
    if "location" in expect:
        assert outcome.location == expect["location"]
