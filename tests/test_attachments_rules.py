"""The Nantong and js-iif-2022 specs check each required attachment by name
(their rules once only tested that the list was not empty)."""

from __future__ import annotations

import json
from pathlib import Path

from checkers.engine import run_rules
from core.draft import Draft
from corpus.loader import default_corpus

BASE = Path(__file__).resolve().parents[1] / "eval" / "checkers" / "base"


def _attachments_finding(programme: str, base: str, attachments: list[str] | None) -> tuple[str, str]:
    corpus = default_corpus()
    data = json.loads((BASE / base).read_text(encoding="utf-8"))
    data["attachments"] = attachments
    findings = run_rules(corpus.programme(programme), Draft.model_validate(data), corpus.lists)
    f = next(f for f in findings if f.id == f"{programme}:attachments")
    return f.status, f.message


def test_nantong_lists_only_the_licence_fails_naming_the_others() -> None:
    # 七、相关附件（一）至（三）: licence, maturity self-assessment, IP list and standards list
    status, message = _attachments_finding(
        "nt-smart-factory-2022", "nt-smart-factory-2022.discrete.json", ["营业执照"]
    )
    assert status == "fail"
    for name in ("智能制造能力成熟度自评估报告", "知识产权清单", "标准清单"):
        assert name in message


def test_nantong_optional_honours_are_not_required() -> None:
    # （四）荣誉资质 “此项材料为可选”
    listed = ["企业营业执照", "智能制造能力成熟度自评估报告", "知识产权清单", "标准清单"]
    assert (
        _attachments_finding("nt-smart-factory-2022", "nt-smart-factory-2022.discrete.json", listed)[0]
        == "pass"
    )


def test_iif_without_the_audit_report_fails() -> None:
    listed = ["企业营业执照复印件", "近三年企业财务审计报告复印件", "资质、荣誉证书文件复印件"]
    status, message = _attachments_finding("js-iif-2022", "js-iif-2022.json", listed)
    assert status == "fail" and "项目建设投入专项审计报告" in message


def test_no_list_is_unknown() -> None:
    assert _attachments_finding("js-iif-2022", "js-iif-2022.json", None)[0] == "unknown"
