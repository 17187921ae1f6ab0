"""JSON drafts shared by the check/report tests (no tests of its own)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

PROGRAMME = "js-iif-2022"
N_RULES = 30  # rules of js-iif-2022; the good draft passes all of them


_SECTIONS = (
    "overview",
    "company_profile",
    "investment",
    "team",
    "industry_position",
    "construction",
    "innovation",
    "direct_effects",
    "market_analysis",
    "industry_impact",
)
_ATTESTATIONS = (
    "independent_legal_person",
    "sound_financial_management",
    "good_credit_no_violation",
    "no_serious_dishonesty",
    "investment_audit_and_invoices",
    "priority_typical_scenarios",
    "official_seal",
)
_FIN = {"total_assets": 50000, "liabilities_ratio": 45, "revenue": 80000, "tax": 3000, "profit": 6000}

GOOD: dict[str, Any] = {
    "programme": PROGRAMME,
    "application_date": "2022-05-10",
    "enterprise": {
        "name": "江苏示例智能装备有限公司",
        "credit_code": "91320583MA1M12345B",
        "registered_address": "江苏省苏州市昆山市玉山镇",
        "industry": "通用设备制造业",
        "founded_date": "2010-03-01",
        "contact": "张三",
        "phone": "13800000000",
        "total_assets": 52000,
        "liabilities_ratio": 44,
        "revenue": 85000,
        "tax": 3100,
        "profit": 6200,
        "two_integration": {"certified": True, "date": "2020-06-01", "level": "AAA"},
    },
    "project": {
        "name": "基于5G的工业互联网标杆工厂",
        "start": "2020-01-01",
        "end": "2021-12-31",
        "platform_name": "示例云平台",
        "investment": {
            "total": 2600,
            "platform_dev": 1200,
            "equipment": 900,
            "testing_consulting": 200,
            "salaries": 300,
        },
    },
    "selections": {
        "js-iif-2022-network": ["5g", "industrial-ethernet"],
        "js-iif-2022-platform": ["self-built"],
        "js-iif-2022-security": ["firewall"],
        "js-iif-2022-mfg": ["1", "2", "3", "4", "8"],
        "js-iif-2022-benchmark": ["2-1", "2-2", "2-3"],
        "js-iif-2022-innovation": ["3-1", "3-2"],
        "js-iif-2022-clusters": ["c01"],
    },
    "sections": {s: "本节内容。" for s in _SECTIONS},
    "metrics": {**{f"{k}_{y}": v for k, v in _FIN.items() for y in (2019, 2020)}, "project_staff": 40},
    "attestations": dict.fromkeys(_ATTESTATIONS, True),
    # 四、相关附件 1～4 (“5、其他” is optional): the attachments rule checks each by name
    "attachments": [
        "企业营业执照复印件",
        "近三年企业财务审计报告复印件",
        "项目建设投入专项审计报告复印件",
        "资质、荣誉证书文件复印件",
    ],
}


def good_draft() -> dict[str, Any]:
    """A js-iif-2022 draft on which every rule passes."""
    return copy.deepcopy(GOOD)


def salary_draft() -> dict[str, Any]:
    """The good draft, but the three counted categories sum to 1500 万元 and
    only the salaries lift the total above 2000: investment-min fails."""
    d = good_draft()
    d["project"]["investment"] = {
        "total": 2600,
        "platform_dev": 800,
        "equipment": 500,
        "testing_consulting": 200,
        "salaries": 1100,
    }
    return d


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Write a JSON draft (creating folders) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
