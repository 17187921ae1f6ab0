"""What every report format shares: status labels, order and colours."""

from __future__ import annotations

import json
from typing import Any

from core.findings import Evidence, Finding, Measure, Status
from core.review import ELEMENT_LABELS, VERDICT_LABELS, EvidenceFlag

FORMATS: tuple[str, ...] = ("json", "md", "html", "xlsx", "docx")
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
    """One evidence value as compact text: strings as-is, 是/否, whole floats
    without ``.0``, lists joined with 、, the rest as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(value_text(v) for v in value) or "无"
    if isinstance(value, dict) and all(isinstance(v, str | int | float | list) for v in value.values()):
        return "；".join(f"{k}：{value_text(v)}" for k, v in value.items()) or "无"
    return json.dumps(value, ensure_ascii=False, default=str)


def measure_text(m: Measure) -> str:
    """A measure's value with its unit, and the text as written when it was
    normalised: ``1200 万元（原文：1,200万元）``."""
    value = value_text(m.value)
    text = f"{value} {m.unit}" if m.unit and m.value is not None else value
    if m.original and m.original.replace(" ", "") not in (value, text.replace(" ", "")):
        text += f"（原文：{m.original}）"
    return text


def evidence_rows(ev: Evidence) -> list[tuple[str, str]]:
    """A finding's evidence as (Chinese label, text) rows: each measured
    value, then one 缺少 row naming the missing fields."""
    rows = [(m.label, measure_text(m)) for m in ev.values]
    if ev.missing:
        rows.append(("缺少", "、".join(dict.fromkeys(m.label for m in ev.missing))))
    return rows


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


def flag_title(flag: EvidenceFlag) -> str:
    """What a flag is about: the claim's title, its catalogue item when that
    differs, and the claimed level."""
    title = flag.claim.title
    if flag.item and flag.item.name and flag.item.name != title:
        title += f"（{flag.item.name}）"
    if flag.claim.level:
        title += f"（{flag.claim.level}）"
    return title


def flag_row(flag: EvidenceFlag) -> dict[str, str]:
    """One evidence flag as report cells (Chinese headers → text)."""
    return {
        "申报内容": flag_title(flag),
        "结论": VERDICT_LABELS[flag.verdict],
        "缺少": "、".join(ELEMENT_LABELS.get(m, m) for m in flag.missing) or "—",
        "位置": flag.location or "—",
        "说明": "；".join(flag.notes),
    }


def evidence_summary(flags: list[EvidenceFlag]) -> str:
    """``证据充分 3，证据不全 2，缺少证据 1`` over a report's flags."""
    return "，".join(f"{label} {sum(f.verdict == v for f in flags)}" for v, label in VERDICT_LABELS.items())


EVIDENCE_NOTE = (
    "按“系统/装备、工作方式、量化成效”三要素逐项查找原文（仅规则审阅，未使用大模型）；"
    "结论供修改参考，不影响上面的检查结论。"
)
"""What the evidence section is and is not: shown above it in every format."""


def evidence_note(flags: list[EvidenceFlag]) -> str:
    """:data:`EVIDENCE_NOTE`, or, where a model found the quotes, which model and
    that the code checked every quote."""
    models = sorted({f.method for f in flags if f.method != "rules"})
    if not models:
        return EVIDENCE_NOTE
    return (
        f"按“系统/装备、工作方式、量化成效”三要素逐项查找原文：大模型（{'、'.join(models)}）找出引文，"
        "程序逐条核对（须逐字出自原文、类型相符），未通过的引文已舍去；结论供修改参考，不影响上面的检查结论。"
    )
