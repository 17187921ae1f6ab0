"""The rule engine: (ProgrammeSpec, Draft) → findings, each with its clause."""

from __future__ import annotations

from collections.abc import Mapping

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.registry import KINDS, Context, evidence, measure
from core.catalogue import CatalogueList
from core.conditions import matches, shown
from core.draft import Draft
from core.findings import Evidence, Finding, Outcome
from core.spec import ProgrammeSpec, Reading, Rule


def _status(outcome: Outcome, rule: Rule) -> Outcome:
    """A failed rule whose severity is below error reports ``warn``."""
    if outcome.status == "fail" and rule.severity != "error":
        return Outcome("warn", outcome.message, outcome.evidence, outcome.location)
    return outcome


_VERDICT = {"pass": "符合", "fail": "不符合", "warn": "需核对", "unknown": "无法判断", "n/a": "不适用"}


def _by(label: str) -> str:
    """“按…的读法” without doubling a label that starts with 按."""
    return label if label.startswith("按") else f"按{label}"


def _under_readings(rule: Rule, ctx: Context, outcome: Outcome) -> Outcome:
    """The outcome when every reading of the rule's text gives it; ``warn``
    (naming the readings) where they differ, ``unknown`` where another reading
    needs a field the draft lacks. Only a decided outcome (pass/fail) is
    compared: a missing input is ``unknown`` under every reading."""
    if not rule.readings or outcome.status not in ("pass", "fail"):
        return outcome
    differ: list[tuple[Reading, Outcome | None]] = []
    for r in rule.readings:
        if outcome.status in r.uncertain:
            differ.append((r, None))
        elif r.check is not None:
            alt = KINDS[rule.check.kind](rule.reading_params(r), ctx)
            if alt.status != outcome.status:
                differ.append((r, alt))
    if not differ:
        return outcome
    parts = [
        f"{_by(r.label)}，" + (alt.message.rstrip("。") if alt else f"无法确认“{_VERDICT[outcome.status]}”")
        for r, alt in differ
    ]
    verdicts = measure(
        "readings",
        "各种读法的结论",
        {"本规范的读法": _VERDICT[outcome.status]}
        | {r.label: _VERDICT[alt.status] if alt else "无法确认" for r, alt in differ},
    )
    lacking = [
        m for _, alt in differ if alt is not None and alt.status == "unknown" for m in alt.evidence.missing
    ]
    ev = Evidence(values=(*outcome.evidence.values, verdicts), missing=(*outcome.evidence.missing, *lacking))
    if lacking:
        return Outcome(
            "unknown", f"{outcome.message}原文另有读法：{'；'.join(parts)}。", ev, outcome.location
        )
    return Outcome(
        "warn",
        f"{outcome.message}原文另有读法：{'；'.join(parts)}。读法不同、结论不同，请人工核对。",
        ev,
        outcome.location,
    )


def _applicability(rule: Rule, ctx: Context) -> Outcome | None:
    """``n/a`` or ``unknown`` when the rule's ``applies_when`` does not hold."""
    for path, values in (rule.applies_when or {}).items():
        v = ctx.value(path)
        if v is None or v == "":
            return Outcome(
                "unknown", f"未填写「{ctx.label(path)}」，无法确定本条是否适用。", ctx.missing(path)
            )
        if not matches(v, values):
            wanted = "、".join(shown(x) for x in values)
            return Outcome(
                "n/a", f"本条仅适用于{ctx.label(path)}为「{wanted}」的情形（本申报为「{shown(v)}」）。"
            )
    return None


def check_rule(rule: Rule, ctx: Context, doc_titles: Mapping[str, str] | None = None) -> Finding:
    """Run one rule; a crash in a kind becomes an ``unknown`` finding, never a pass."""
    fn = KINDS[rule.check.kind]
    try:
        outcome = _applicability(rule, ctx) or _status(_under_readings(rule, ctx, fn(rule.check, ctx)), rule)
    except (ValueError, TypeError, KeyError, ArithmeticError) as e:
        outcome = Outcome(
            "unknown",
            f"数据无法解析，未能完成检查：{e}",
            evidence(measure("error", "错误类型", type(e).__name__)),
        )
    message = outcome.message
    if rule.note and outcome.status in ("warn", "unknown"):
        message += f"（说明：{rule.note}）"
    return Finding(
        id=f"{ctx.spec.id}:{rule.id}",
        title=rule.title,
        status=outcome.status,
        severity=rule.severity,
        message=message,
        evidence=outcome.evidence,
        location=outcome.location,
        citation=rule.citation.model_copy(update={"doc_title": (doc_titles or {}).get(rule.citation.doc)}),
    )


def run_rules(
    spec: ProgrammeSpec,
    draft: Draft,
    lists: Mapping[str, CatalogueList],
    doc_titles: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every rule of the programme on the draft, in spec order. Pure."""
    ctx = Context(draft=draft, spec=spec, lists=lists)
    return [check_rule(rule, ctx, doc_titles) for rule in spec.rules]
