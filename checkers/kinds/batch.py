"""Batch-level rule kinds: a rule about several drafts of one batch.

``unique_per_batch`` ("一次只能申报一个"): one draft per enterprise per
programme in a batch. On one draft the kind passes (a batch of one holds no
second draft); :func:`resolve_batch` — called by the batch runner after every
draft of the batch is checked — fails it on each draft of an enterprise that
has several. Both are pure: the batch step reads only the findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from checkers.registry import Context, evidence, is_blank, measure, rule_kind
from core import spec as s
from core.findings import Evidence, Finding, Outcome
from core.spec import ProgrammeSpec


def _norm(value: object) -> str:
    return "".join(str(value).split()).upper()


@rule_kind("unique_per_batch")
def unique_per_batch(p: s.UniquePerBatch, ctx: Context) -> Outcome:
    """On one draft: pass with the value the batch compares (unknown when it is blank)."""
    v = ctx.value(p.field)
    if is_blank(v):
        return Outcome(
            "unknown",
            f"申报书中未找到「{ctx.label(p.field)}」，无法核对同一企业是否重复申报，请补充。",
            ctx.missing(p.field),
        )
    code = _norm(v)
    return Outcome(
        "pass",
        f"{ctx.label(p.field)} {code}：本次检查中只有这一份申报书（批量检查时逐份比对，同一企业只能申报一个）。",
        evidence(ctx.measure(p.field, code)),
        ctx.location(p.field),
    )


def resolve_batch(spec: ProgrammeSpec, reports: Sequence[tuple[str, list[Finding]]]) -> list[list[Finding]]:
    """The findings of every draft of a batch (``(file label, findings)``, one
    programme) with each ``unique_per_batch`` rule settled across the batch: a
    value shared by several drafts fails on each of them, naming the others."""
    out = [list(findings) for _, findings in reports]
    for rule in spec.rules:
        p = rule.check
        if not isinstance(p, s.UniquePerBatch):
            continue
        fid = f"{spec.id}:{rule.id}"
        groups: dict[str, list[tuple[int, int]]] = {}
        for i, findings in enumerate(out):
            for j, f in enumerate(findings):
                if f.id != fid or f.status != "pass":
                    continue
                value = f.evidence.as_dict().get(p.field)
                if value is not None:
                    groups.setdefault(_norm(value), []).append((i, j))
        for code, where in groups.items():
            if len(where) < 2:
                continue
            files = [reports[i][0] for i, _ in where]
            for i, j in where:
                old = out[i][j]
                others = [name for name in files if name != reports[i][0]] or files
                status = "fail" if rule.severity == "error" else "warn"
                out[i][j] = old.model_copy(
                    update={
                        "status": status,
                        "message": (
                            f"统一社会信用代码 {code} 在本批次的 {len(where)} 份申报书中出现"
                            f"（另见：{'、'.join(others)}）：同一企业一次只能申报一个，请只保留一份。"
                        ),
                        "evidence": Evidence(
                            values=(
                                *old.evidence.values,
                                measure("same_enterprise", "同一企业的其他申报书", others),
                            ),
                            missing=old.evidence.missing,
                        ),
                    }
                )
    return out
