"""Plain-data views of programmes and rules for the CLI and the UI."""

from __future__ import annotations

from typing import Any

from core.spec import ProgrammeSpec, Rule
from corpus.loader import Corpus


def programme_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per programme: id, title, issuer, year, deadline, rule count."""
    return [
        {
            "id": p.id,
            "title": p.title,
            "issuer": p.issuer,
            "year": p.year,
            "deadline": p.deadline.isoformat() if p.deadline else None,
            "rules": len(p.rules),
        }
        for p in sorted(corpus.programmes.values(), key=lambda p: p.id)
    ]


def describe_check(rule: Rule) -> str:
    """What a rule checks, from its kind's docstring and its parameters."""
    params = rule.check.model_dump(exclude={"kind"}, exclude_defaults=True, mode="json")
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    return f"{rule.check.kind}({shown})"


def rule_rows(spec: ProgrammeSpec, corpus: Corpus) -> list[dict[str, Any]]:
    """One row per rule with its citation resolved to the document title."""
    rows = []
    for r in spec.rules:
        doc = corpus.docs[r.citation.doc]
        rows.append(
            {
                "id": f"{spec.id}:{r.id}",
                "rule": r.id,
                "title": r.title,
                "severity": r.severity,
                "kind": r.check.kind,
                "checks": describe_check(r),
                "note": r.note,
                "citation": {
                    "doc": r.citation.doc,
                    "doc_title": doc.meta.title,
                    "clause": r.citation.clause,
                    "quote": r.citation.quote,
                },
            }
        )
    return rows
