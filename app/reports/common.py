"""What every report format shares: status labels, order and colours."""

from __future__ import annotations

import json
from typing import Any

from core.findings import Finding, Status

FORMATS: tuple[str, ...] = ("json", "md", "html", "xlsx")
"""Report formats of ``shenbao check``."""
STDOUT_FORMATS: tuple[str, ...] = ("json", "md")
"""Formats that can go to stdout (the others need ``--out``)."""

STATUS_ORDER: tuple[Status, ...] = ("fail", "warn", "unknown", "pass", "n/a")
"""Display order of findings: what needs fixing first."""

STATUS_LABELS: dict[str, str] = {
    "pass": "通过",
    "fail": "不通过",
    "warn": "警告",
    "unknown": "无法判断",
    "n/a": "不适用",
}

SEVERITY_LABELS: dict[str, str] = {"error": "必备", "warning": "建议", "info": "参考"}
"""How binding a rule is: an error rule decides pass/fail (exit 1), the others advise."""

STATUS_COLOURS: dict[str, str] = {
    "pass": "C6EFCE",
    "fail": "FFC7CE",
    "warn": "FFEB9C",
    "unknown": "D9D9D9",
    "n/a": "F2F2F2",
}
"""Background fill per status (hex RGB, the spreadsheet-conventional shades)."""

ERROR_COLOUR = "F4B084"


def grouped(findings: list[Finding]) -> list[tuple[Status, list[Finding]]]:
    """Findings grouped by status in :data:`STATUS_ORDER`, empty groups dropped."""
    groups: list[tuple[Status, list[Finding]]] = []
    for status in STATUS_ORDER:
        members = [f for f in findings if f.status == status]
        if members:
            groups.append((status, members))
    return groups


def value_text(value: Any) -> str:
    """One evidence value as compact text (strings as-is, the rest as JSON)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def citation_text(f: Finding) -> str:
    """《document title》clause — the source line of a finding's citation."""
    title = f.citation.doc_title or f.citation.doc
    return f"《{title}》{f.citation.clause}"


def verdict(findings: list[Finding]) -> str:
    """The one-word conclusion: 不通过 (an error rule fails), 待补充 (an error
    rule could not be decided — unknown is not pass), else 通过."""
    if any(f.status == "fail" and f.severity == "error" for f in findings):
        return "不通过"
    if any(f.status == "unknown" and f.severity == "error" for f in findings):
        return "待补充"
    return "通过"
