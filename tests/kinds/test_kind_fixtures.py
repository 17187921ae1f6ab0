"""Every rule kind on its own parameters: the cases of ``fixtures/<kind>.yaml``
run through ``KINDS[kind]`` directly (no programme YAML, no engine)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from kindcase import FIXTURES, all_cases, batch_outcome, context_for, load_file, params_of

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.registry import KINDS
from core.findings import Evidence
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


def _check_measures(got: Evidence, want: dict[str, dict[str, Any]]) -> None:
    """Each named measure has the stated label, unit, value and text as written."""
    by_key = {m.key: m for m in got.values}
    for key, parts in want.items():
        assert key in by_key, f"evidence lacks measure {key!r}: {list(by_key)}"
        for attr, value in parts.items():
            assert getattr(by_key[key], attr) == value, f"{key}.{attr} = {getattr(by_key[key], attr)!r}"


def test_every_measure_and_missing_field_has_a_chinese_label() -> None:
    """Typed evidence: what a user reads next to a value is Chinese, not a path."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for kind, case in CASES:
        if case["id"] == "unlabelled-path-shown-as-is":  # the fallback for a path no form or schema names
            continue
        params = params_of(kind, case)
        ev = KINDS[kind](params, context_for(kind, case, params)).evidence
        for label in [m.label for m in ev.values] + [m.label for m in ev.missing]:
            assert cjk.search(label), f"{kind}/{case['id']}: label {label!r}"


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}/{c['id']}" for k, c in CASES])
def test_kind_case(kind: str, case: dict[str, Any]) -> None:
    params = params_of(kind, case)
    if "batch" in case:
        outcome = batch_outcome(kind, case, params)
    else:
        outcome = KINDS[kind](params, context_for(kind, case, params))
    expect = case["expect"]
    assert (outcome.status, outcome.message) == (
        expect["status"],
        expect.get("message", outcome.message),
    )
    for part in expect.get("message_contains", []):
        assert part in outcome.message
    assert "message" in expect or "message_contains" in expect, "a case states its message"
    _check_evidence(outcome.evidence.as_dict(), expect.get("evidence", {}))
    _check_measures(outcome.evidence, expect.get("measures", {}))
    if "evidence_keys" in expect:
        assert [m.key for m in outcome.evidence.values] == expect["evidence_keys"]
    if "location" in expect:
        assert outcome.location == expect["location"]
