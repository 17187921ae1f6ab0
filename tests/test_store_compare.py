"""compare(): what changed between two runs' findings (pure, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from app.store import Changes, compare
from core.findings import Citation, Finding

CITATION = Citation(doc="000", clause="一、2", text="条款")


def f(rule: str, status: Any, message: str | None = None, location: str | None = None) -> Finding:
    return Finding(
        id=f"p:{rule}",
        title=rule,
        status=status,
        severity="error",
        message=message if message is not None else f"{rule}-{status}",
        location=location,
        citation=CITATION,
    )


def buckets(changes: Changes) -> dict[str, list[str]]:
    return {
        name: [c.rule_id.removeprefix("p:") for c in getattr(changes, name)]
        for name in ("fixed", "new", "still_failing", "changed_unknown", "no_longer_applies")
    }


@pytest.mark.parametrize(
    ("before", "after", "bucket"),
    [
        ("fail", "pass", "fixed"),
        ("warn", "pass", "fixed"),
        ("pass", "fail", "new"),
        ("unknown", "warn", "new"),
        ("n/a", "fail", "new"),
        (None, "fail", "new"),
        ("fail", "fail", "still_failing"),
        ("fail", "warn", "still_failing"),
        ("pass", "unknown", "changed_unknown"),
        ("fail", "unknown", "changed_unknown"),
        ("unknown", "pass", "changed_unknown"),
        (None, "unknown", "changed_unknown"),
        ("fail", "n/a", "no_longer_applies"),
        ("warn", None, "no_longer_applies"),
        ("pass", "pass", None),
        ("pass", "n/a", None),
        ("unknown", "unknown", None),
        ("pass", None, None),
        ("unknown", None, None),
    ],
)
def test_status_transitions(before: Any, after: Any, bucket: str | None) -> None:
    previous = [f("r", before)] if before else []
    current = [f("r", after)] if after else []
    got = {name: ids for name, ids in buckets(compare(previous, current)).items() if ids}
    assert got == ({bucket: ["r"]} if bucket else {})


def test_mixed_runs() -> None:
    previous = [f("a", "fail"), f("b", "pass"), f("c", "warn"), f("d", "unknown"), f("e", "pass")]
    current = [f("a", "pass"), f("b", "fail"), f("c", "warn"), f("d", "pass"), f("e", "pass")]
    assert buckets(compare(previous, current)) == {
        "fixed": ["a"],
        "new": ["b"],
        "still_failing": ["c"],
        "changed_unknown": ["d"],
        "no_longer_applies": [],
    }


def test_location_does_not_matter() -> None:
    changes = compare([f("a", "fail", "超限", "table 1")], [f("a", "fail", "超限", "table 3")])
    assert buckets(changes)["still_failing"] == ["a"]
    assert not changes.has_changes


def test_still_failing_with_another_message() -> None:
    changes = compare(
        [f("len", "fail", "1046 字，超过 1000 字")], [f("len", "fail", "1020 字，超过 1000 字")]
    )
    (change,) = changes.still_failing
    assert change.message_changed and changes.has_changes
    assert change.previous is not None and change.previous.message.startswith("1046")


def test_several_findings_of_one_rule() -> None:
    previous = [f("rows", "fail", "第3行超限"), f("rows", "fail", "第5行超限")]
    current = [f("rows", "fail", "第5行超限"), f("rows", "fail", "第7行超限")]
    changes = compare(previous, current)
    # row 5 is matched exactly; row 3 and row 7 pair up as the same rule still failing
    assert [c.current.message for c in changes.still_failing if c.current] == ["第5行超限", "第7行超限"]

    partly_fixed = compare(previous, [f("rows", "fail", "第5行超限")])
    assert [c.previous.message for c in partly_fixed.fixed if c.previous] == ["第3行超限"]


def test_empty_and_identical() -> None:
    assert compare([], []) == Changes()
    same = [f("a", "pass"), f("b", "fail")]
    changes = compare(same, list(same))
    assert changes.counts() == {
        "fixed": 0,
        "new": 0,
        "still_failing": 1,
        "changed_unknown": 0,
        "no_longer_applies": 0,
    }
    assert not changes.has_changes
