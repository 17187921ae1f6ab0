"""The dates and words the programmes' messages state (issue #10 item 9): a
duration message names the cut-off the rule needs — the latest date that
meets it — and the wx in-production message names what is not in production.
Each case runs a programme's own rule on its base draft with one date changed;
the expected cut-offs are computed from the policy texts by hand:
js-guide-smart-factory 一、1 “正常经营三年以上”, wx-2023-guide 一、1 “注册满一周年”,
nt-2022-notice 二、(2) “截至2022年9月30日……1年以上”, js-iif-2022-notice 一、2
“近3年以内” and 三 “2022年5月20日前”."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checkers.engine import run_rules
from core.draft import Draft
from core.findings import Finding
from corpus.loader import default_corpus
from eval.checkers.generators.common import BASE_DIR

CORPUS = default_corpus()


def finding(base: str, rule: str, **changes: Any) -> Finding:
    """The rule's finding on a base draft with dotted paths changed."""
    data = json.loads((BASE_DIR / f"{base}.json").read_text(encoding="utf-8"))
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    draft = Draft.model_validate(data)
    spec = CORPUS.programme(draft.programme or "")
    return next(f for f in run_rules(spec, draft, CORPUS.lists) if f.id == f"{spec.id}:{rule}")


def test_js_iif_licence_age_names_the_cut_off() -> None:
    # 三年以上 as of 2024-07-15: founded on or before 2021-07-15 (not "2024-11-20 之前")
    f = finding(
        "js-iif", "operating-years", application_date="2024-07-15", enterprise__founded_date="2021-11-20"
    )
    assert f.status == "fail"
    assert "须为 2021-07-15 或更早" in f.message
    assert "2024-11-20" not in f.message
    on_the_day = finding(
        "js-iif", "operating-years", application_date="2024-07-15", enterprise__founded_date="2021-07-15"
    )
    assert on_the_day.status == "pass"


@pytest.mark.parametrize(
    "programme", ["wx-smart-factory-2023", "wx-smart-workshop-2023", "wx-smart-scene-2023"]
)
def test_wx_registration_year_names_the_cut_off(programme: str) -> None:
    # 满一周年 as of the application date 2022-07-15: registered on or before 2021-07-15;
    # the 申报截止日 (not given) may be later, so the finding warns but names the date
    f = finding(
        programme, "registered-one-year", application_date="2022-07-15", enterprise__founded_date="2021-11-20"
    )
    assert f.status == "warn"
    assert "须为 2021-07-15 或更早" in f.message
    assert "2022-11-20" not in f.message


def test_nt_operating_year_names_the_fixed_cut_off() -> None:
    f = finding("nt-smart-factory-2022.discrete", "operating-years", enterprise__founded_date="2021-10-01")
    assert f.status == "fail"
    assert "截至 2022-09-30 不满 1 年（须为 2021-09-30 或更早）" in f.message


def test_investment_window_names_the_window() -> None:
    # 近3年 before the application date 2022-05-10: from 2019-05-10; started 2019-01-01 → outside
    f = finding(
        "js-iif-2022", "investment-window", application_date="2022-05-10", project__start="2019-01-01"
    )
    assert "不在 2019-05-10 至 2022-05-10 的近 3 年内" in f.message


def test_deadline_names_the_date() -> None:
    f = finding("js-iif-2022", "application-deadline", application_date="2022-05-21")
    assert f.status == "fail"
    assert "2022-05-21 晚于2022-05-20" in f.message


def test_in_production_says_what_is_not_in_production() -> None:
    f = finding("wx-smart-factory-2023", "in-production", enterprise__in_production=False)
    assert f.status == "fail"
    assert f.message.startswith("工厂、车间、场景已建成并正常投产使用为「否」")
    assert "正常生产经营" not in f.message
