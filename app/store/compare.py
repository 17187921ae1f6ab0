"""What changed between two checks of a draft: a pure function of two finding lists.

Findings are matched first by :meth:`Finding.key` (rule id, status, message —
never the location, so a finding an edit merely moved is unchanged); what is
left is paired per rule id in order, and each pair (or lone finding) is
classified by its statuses:

=====================  ===========================  ==================
previous               current                      bucket
=====================  ===========================  ==================
fail / warn            pass                         ``fixed``
fail / warn            gone, rule still reported    ``fixed``
pass / unknown / n/a   fail / warn                  ``new``
absent                 fail / warn                  ``new``
fail / warn            fail / warn (any message)    ``still_failing``
not unknown            unknown                      ``changed_unknown``
unknown                pass / n/a                   ``changed_unknown``
fail / warn            n/a, or rule not reported    ``no_longer_applies``
=====================  ===========================  ==================

Anything else (pass ↔ n/a, a pass whose message changed, a finding identical
in both runs that is not failing) is not a change worth showing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import zip_longest

from core.findings import Finding

_FAILING = frozenset({"fail", "warn"})


@dataclass(frozen=True)
class FindingChange:
    """One rule's finding in the previous and the current run (either may be absent)."""

    rule_id: str
    previous: Finding | None
    current: Finding | None

    @property
    def message_changed(self) -> bool:
        """Whether both runs report the rule and the messages differ."""
        return (
            self.previous is not None
            and self.current is not None
            and self.previous.message != self.current.message
        )


@dataclass(frozen=True)
class Changes:
    """The difference between two runs, in the buckets described in the module doc."""

    fixed: tuple[FindingChange, ...] = ()
    new: tuple[FindingChange, ...] = ()
    still_failing: tuple[FindingChange, ...] = ()
    changed_unknown: tuple[FindingChange, ...] = ()
    no_longer_applies: tuple[FindingChange, ...] = ()

    @property
    def has_changes(self) -> bool:
        """Whether anything but identical still-failing findings differs."""
        return bool(
            self.fixed
            or self.new
            or self.changed_unknown
            or self.no_longer_applies
            or any(c.message_changed for c in self.still_failing)
        )

    def counts(self) -> dict[str, int]:
        """Number of findings per bucket, every bucket present."""
        return {
            "fixed": len(self.fixed),
            "new": len(self.new),
            "still_failing": len(self.still_failing),
            "changed_unknown": len(self.changed_unknown),
            "no_longer_applies": len(self.no_longer_applies),
        }


def compare(previous: list[Finding], current: list[Finding]) -> Changes:
    """Classify how ``current`` differs from ``previous`` (pure; see the module doc)."""
    by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(previous):
        by_key[p.key()].append(i)

    still_failing: list[FindingChange] = []
    matched_prev: set[int] = set()
    left_cur: dict[str, list[Finding]] = defaultdict(list)
    rule_order: dict[str, None] = {}
    for c in current:
        rule_order.setdefault(c.id)
        candidates = by_key.get(c.key())
        if candidates:
            i = candidates.pop(0)
            matched_prev.add(i)
            if c.status in _FAILING:
                still_failing.append(FindingChange(c.id, previous[i], c))
        else:
            left_cur[c.id].append(c)

    left_prev: dict[str, list[Finding]] = defaultdict(list)
    for i, p in enumerate(previous):
        if i not in matched_prev:
            rule_order.setdefault(p.id)
            left_prev[p.id].append(p)

    reported_now = {c.id for c in current}
    buckets: dict[str, list[FindingChange]] = defaultdict(list)
    buckets["still_failing"] = still_failing
    for rule_id in rule_order:
        for p, c in zip_longest(left_prev.get(rule_id, []), left_cur.get(rule_id, [])):
            bucket = _bucket(p, c, rule_id in reported_now)
            if bucket is not None:
                buckets[bucket].append(FindingChange(rule_id, p, c))
    return Changes(
        fixed=tuple(buckets["fixed"]),
        new=tuple(buckets["new"]),
        still_failing=tuple(buckets["still_failing"]),
        changed_unknown=tuple(buckets["changed_unknown"]),
        no_longer_applies=tuple(buckets["no_longer_applies"]),
    )


def _bucket(previous: Finding | None, current: Finding | None, rule_reported_now: bool) -> str | None:
    """The bucket of one unmatched pair, or ``None`` when it is not a change to show."""
    before = previous.status if previous is not None else None
    after = current.status if current is not None else None
    if after in _FAILING:
        return "still_failing" if before in _FAILING else "new"
    if before in _FAILING:
        if after == "pass" or (after is None and rule_reported_now):
            return "fixed"
        if after == "unknown":
            return "changed_unknown"
        return "no_longer_applies"
    if after == "unknown" and before != "unknown":
        return "changed_unknown"
    if before == "unknown" and after in ("pass", "n/a"):
        return "changed_unknown"
    return None
