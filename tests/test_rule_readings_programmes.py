"""The issue #10 examples on the programmes' own rules: an outcome every reading
gives is reported as such (fail, pass), ``warn`` only where readings differ
(items 2, 3, 8). Expected statuses come from the policy texts cited per test."""

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


def base(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BASE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def finding(data: dict[str, Any], rule: str) -> Finding:
    draft = Draft.model_validate(data)
    spec = CORPUS.programme(draft.programme or "")
    return next(f for f in run_rules(spec, draft, CORPUS.lists) if f.id == f"{spec.id}:{rule}")


# --- item 2: size-class (nt-2022-summary footnote: 中型 = 300人及以上…，且营业收入…) ---


def test_medium_ticked_for_250_employees_fails() -> None:
    d = base("nt-smart-factory-2022.discrete")
    d["enterprise"].update(employees=250, size_class="中型")
    f = finding(d, "size-class")
    assert (f.status, f.severity) == ("fail", "error")


def test_small_only_by_the_downgrade_rule_warns() -> None:
    d = base("nt-smart-factory-2022.discrete")
    d["enterprise"].update(employees=250, revenue=38600, size_class="小型")
    f = finding(d, "size-class")
    assert f.status == "warn"
    assert "按脚注字面、不下划一档的读法" in f.message


# --- item 2: scenes-min (“18个场景中至少 8个场景”, “39个场景中至少 18个场景”, “25个场景”) ---


@pytest.mark.parametrize(
    ("programme", "n"), [("js-smart-workshop", 8), ("js-smart-factory", 18), ("js-benchmark-enterprise", 25)]
)
def test_fewer_scenarios_than_required_fail_whatever_the_list(programme: str, n: int) -> None:
    d = base(programme)
    rows = d["tables"]["scenarios"]
    names = list(dict.fromkeys(r["scenario"] for r in rows))
    d["tables"]["scenarios"] = [
        dict(r, scenario=names[0]) if r["scenario"] not in names[: n - 1] else r for r in rows
    ]
    short = finding(d, "scenes-min")
    assert (short.status, short.severity) == ("fail", "error")
    enough = finding(base(programme), "scenes-min")
    assert enough.status == "warn"  # the named scenarios may not all be on the list the corpus lacks
    assert "只计入清单所列场景的读法" in enough.message


# --- item 3: js-gradient-2025 basic-requirements (一、1 “……可参照执行”) ---


def test_provincial_specialised_sme_below_designated_size_passes() -> None:
    d = base("js-gradient-2025.basic")
    d["enterprise"].update(above_designated_size=False, titles=["江苏省专精特新中小企业"])
    f = finding(d, "basic-requirements")
    assert (f.status, f.severity) == ("pass", "error")
    assert "可参照执行" in f.message


def test_below_designated_size_without_a_listed_title_fails() -> None:
    d = base("js-gradient-2025.basic")
    d["enterprise"].update(above_designated_size=False, titles=["高新技术企业"])
    assert finding(d, "basic-requirements").status == "fail"


# --- item 8: wx-smart-scene-2023 prior-award-excluded (一、5 “已获评的国家级智能制造优秀场景不再申报”) ---


def test_national_scene_with_the_year_in_between_is_excluded() -> None:
    d = base("wx-smart-scene-2023")
    d["enterprise"]["honours"] = ["工业和信息化部2022年度智能制造优秀场景"]
    f = finding(d, "prior-award-excluded")
    assert f.status == "warn"  # severity warning: the text says 原则上
    assert "按政策不得申报" in f.message


def test_scene_honour_without_a_level_is_reviewed_not_passed() -> None:
    d = base("wx-smart-scene-2023")
    d["enterprise"]["honours"] = ["2022年度智能制造优秀场景"]
    f = finding(d, "prior-award-excluded")
    assert f.status == "warn"
    assert "未写明颁发级别" in f.message


def test_provincial_scene_honour_is_not_excluded() -> None:
    d = base("wx-smart-scene-2023")
    d["enterprise"]["honours"] = ["江苏省2022年度智能制造优秀场景"]
    assert finding(d, "prior-award-excluded").status == "pass"


def test_every_rule_with_readings_is_an_error_rule() -> None:
    # the ambiguity lives in the readings; severity says how strong the text is
    soft = [
        f"{pid}:{r.id}"
        for pid, spec in CORPUS.programmes.items()
        for r in spec.rules
        if r.readings and r.severity != "error"
    ]
    assert soft == []
