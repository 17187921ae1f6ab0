"""The rule engine: (ProgrammeSpec, Draft) → findings, each with its clause."""

from __future__ import annotations

from collections.abc import Mapping

import checkers.kinds  # noqa: F401  (registers every rule kind)
from checkers.registry import KINDS, Context, evidence, measure
from core.catalogue import CatalogueList
from core.draft import Draft
from core.findings import Finding, Outcome
from core.spec import ProgrammeSpec, Rule


def _status(outcome: Outcome, rule: Rule) -> Outcome:
    """A failed rule whose severity is below error reports ``warn``."""
    if outcome.status == "fail" and rule.severity != "error":
        return Outcome("warn", outcome.message, outcome.evidence, outcome.location)
    return outcome


def _applicability(rule: Rule, ctx: Context) -> Outcome | None:
    """``n/a`` or ``unknown`` when the rule's ``applies_when`` does not hold."""
    for path, values in (rule.applies_when or {}).items():
        v = ctx.value(path)
        if v is None or v == "":
            return Outcome(
                "unknown", f"未填写「{ctx.label(path)}」，无法确定本条是否适用。", ctx.missing(path)
            )
        if str(v) not in values:
            return Outcome(
                "n/a", f"本条仅适用于{ctx.label(path)}为「{'、'.join(values)}」的情形（本申报为「{v}」）。"
            )
    return None


def check_rule(rule: Rule, ctx: Context, doc_titles: Mapping[str, str] | None = None) -> Finding:
    """Run one rule; a crash in a kind becomes an ``unknown`` finding, never a pass."""
    fn = KINDS[rule.check.kind]
    try:
        outcome = _applicability(rule, ctx) or _status(fn(rule.check, ctx), rule)
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
