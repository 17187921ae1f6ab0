"""The bundled corpus, catalogues and specs: complete, sourced, and faithful to the policy texts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from core.catalogue import IndicatorAttrs, ScenarioAttrs
from core.spec import ProgrammeSpec
from corpus.loader import Corpus, CorpusError, load_corpus
from tests.conftest import POLICY_SOURCES

DESIGN_PROGRAMMES = {
    "js-iif-2022",
    "js-smart-workshop",
    "js-smart-factory",
    "js-5g-factory",
    "js-iif",
    "js-benchmark-enterprise",
    "js-platform-enterprise",
    "js-platform-industry",
    "js-platform-regional",
    "js-platform-cross",
    "nt-smart-factory-2022",
    "wx-smart-factory-2023",
    "wx-smart-workshop-2023",
    "wx-smart-scene-2023",
    "js-gradient-2025",
}

# Must-have rule ids from design.md (a public contract: users filter by id).
MUST_HAVE = {
    "js-iif-2022": [
        "registered-in-jiangsu",
        "project-completed",
        "investment-min",
        "investment-window",
        "investment-sum",
        "two-integration-cert",
        "basic-tech-network",
        "basic-tech-platform",
        "basic-tech-security",
        "mfg-directions",
        "mfg-min-indicators",
        "benchmark-direction-complete",
        "innovation-mode",
        "overview-length",
        "credit-code",
        "financials-complete",
        "attachments",
    ],
    "js-smart-workshop": [
        "operating-years",
        "maturity-prereq",
        "reserve-pool",
        "no-major-accident",
        "links-min",
        "scenes-min",
        "support-elements",
    ],
    "js-smart-factory": ["operating-years", "links-min", "scenes-min", "prior-workshop"],
    "nt-smart-factory-2022": [
        "registered-in-nantong",
        "operating-years",
        "maturity-level",
        "recent-award-excluded",
        "intro-length",
        "overview-length",
        "link-section-length",
        "scenario-table-limits",
        "equipment-desc-length",
        "scenario-link-valid",
        "results-quantified",
        "size-class",
        "effects-sane",
    ],
    "wx-smart-factory-2023": ["registered-in-wuxi", "credit-rating", "in-production", "prior-award-excluded"],
    "wx-smart-workshop-2023": [
        "registered-in-wuxi",
        "credit-rating",
        "in-production",
        "prior-award-excluded",
    ],
    "wx-smart-scene-2023": ["registered-in-wuxi", "credit-rating", "in-production", "prior-award-excluded"],
    "js-gradient-2025": [
        "self-eval-score",
        "score-recommends-level",
        "scene-count",
        "link-coverage",
        "maturity-level",
        "basic-requirements",
    ],
}


def test_every_design_programme_has_a_spec(corpus: Corpus) -> None:
    assert set(corpus.programmes) >= DESIGN_PROGRAMMES


@pytest.mark.parametrize(("pid", "rule_ids"), sorted(MUST_HAVE.items()))
def test_must_have_rule_ids_exist(corpus: Corpus, pid: str, rule_ids: list[str]) -> None:
    have = {r.id for r in corpus.programmes[pid].rules}
    assert not set(rule_ids) - have


def test_a_citation_quote_not_in_its_doc_is_refused(corpus_copy: Path) -> None:
    """Every quote occurs verbatim because the loader refuses one that does not:
    alter one quote by a character and the corpus no longer loads."""
    spec = corpus_copy / "programmes" / "js-iif-2022.yaml"
    text = spec.read_text(encoding="utf-8")
    assert 'quote: "企业在江苏省境内注册"' in text
    spec.write_text(
        text.replace('quote: "企业在江苏省境内注册"', 'quote: "企业在浙江省境内注册"', 1), encoding="utf-8"
    )
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "js-iif-2022" in str(e.value) and "企业在浙江省境内注册" in str(e.value)


def test_docs_record_the_raw_source_hash(corpus: Corpus) -> None:
    assert POLICY_SOURCES.is_dir(), "the raw policy texts are in corpus/sources/"
    for doc in corpus.docs.values():
        raw = (POLICY_SOURCES / doc.meta.source).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == doc.meta.source_sha256, doc.meta.id


def test_docs_are_cleaned(corpus: Corpus) -> None:
    for doc in corpus.docs.values():
        assert "<input" not in doc.body and "<p>" not in doc.body, doc.meta.id
        assert not re.search(r"^\s*—\s*\d+\s*—\s*$", doc.body, re.M), f"page number left in {doc.meta.id}"
        assert not re.search(r"^\s*3-\d{2}\s*$", doc.body, re.M), f"page number left in {doc.meta.id}"


def test_every_source_is_split_into_documents(corpus: Corpus) -> None:
    by_source: dict[str, int] = {}
    for doc in corpus.docs.values():
        by_source[doc.meta.source] = by_source.get(doc.meta.source, 0) + 1
    assert by_source["001_bdb1f17e7eba8b28.txt"] == 7  # seven guides
    assert by_source["000_5a9c4a7418ecdce1.txt"] == 4  # notice + 3 attachments
    assert by_source["002_b89e1015c0eb4f5c.txt"] == 4
    assert by_source["003_762d7247bcbe6989.txt"] >= 3
    assert by_source["004_075631c92597cdcb.txt"] == 1


def test_typical_scenario_catalogue_has_40_in_15_links(corpus: Corpus) -> None:
    scen = [lst for lst in corpus.lists.values() if lst.kind == "scenarios"]
    assert len(scen) == 1
    items = scen[0].items
    assert len(items) == 40
    assert len({i.group for i in items}) == 15
    for i in items:
        ScenarioAttrs.model_validate(i.attrs)
    # "/" in the self-evaluation table is kept as absent, never as text
    assert all(v != "/" for i in items for v in i.attrs["levels"].values())


def test_self_evaluation_indicators(corpus: Corpus) -> None:
    ind = [lst for lst in corpus.lists.values() if lst.kind == "indicators"]
    assert len(ind) == 1
    items = ind[0].items
    assert len(items) == 10
    allowed = {i.id for i in items if IndicatorAttrs.model_validate(i.attrs).not_applicable_allowed}
    # 自评价表格的 1、5、6 问题中，具有"不涉及此环节"选项
    assert allowed == {"1", "5", "6"}
    for i in items:
        attrs = IndicatorAttrs.model_validate(i.attrs)
        if i.name == "数字化投入规模":  # only "投入规模为____万元"; how it is scored is not in the text
            assert not attrs.levels and attrs.note
            continue
        assert sorted(attrs.levels) == [1, 2, 3, 4, 5, 6]
        # 打分分段: level n covers [20(n-2), 20(n-1)), level 1 is 0
        assert (attrs.bands[1].low, attrs.bands[1].high) == (0, 0)
        assert (attrs.bands[4].low, attrs.bands[4].high) == (40, 60)
        assert attrs.bands[6].fit["非常符合"] == [94, 100]


def _rule(corpus: Corpus, pid: str, rid: str) -> tuple[ProgrammeSpec, dict[str, object]]:
    spec = corpus.programmes[pid]
    return spec, spec.rule(rid).check.model_dump()


def test_spot_js_smart_factory_links_and_scenes(corpus: Corpus) -> None:
    # 001 §3-2: 至少覆盖 13 个环节中的 7 个 ... 不少于 18 个场景
    spec, links = _rule(corpus, "js-smart-factory", "links-min")
    assert links["min"] == 7
    lst = corpus.lists[str(links["list"])]
    assert len(lst.items) == 13
    assert "13个环节中的至少 7个环节" in spec.rule("links-min").citation.quote
    _, scenes = _rule(corpus, "js-smart-factory", "scenes-min")
    assert scenes["min"] == 18
    assert "18" in spec.rule("scenes-min").citation.quote


def test_spot_js_smart_workshop_counts(corpus: Corpus) -> None:
    _, links = _rule(corpus, "js-smart-workshop", "links-min")
    assert links["min"] == 3 and len(corpus.lists[str(links["list"])].items) == 5
    _, scenes = _rule(corpus, "js-smart-workshop", "scenes-min")
    assert scenes["min"] == 8


def test_spot_js_platform_cross_30000_devices(corpus: Corpus) -> None:
    spec = corpus.programmes["js-platform-cross"]
    hits = [r for r in spec.rules if r.check.kind == "value_range" and r.check.min == 30000]  # type: ignore[union-attr]
    assert hits, "the 30000-device threshold of 3-7 is missing"
    assert any("30000" in r.citation.quote or "3万" in r.citation.quote for r in hits)


def test_spot_nt_scenario_table_limits(corpus: Corpus) -> None:
    spec, p = _rule(corpus, "nt-smart-factory-2022", "scenario-table-limits")
    table = next(t for t in spec.tables if t.id == p["table"])
    titles = {c.id: c.title for c in table.columns}
    limits = {titles[k]: v for k, v in p["limits"].items()}  # type: ignore[attr-defined]
    # 附件2 重点环节具体场景描述: 具体描述150 解决的痛点150 技术方案300 保障要素150 实施成果200 其他150
    assert sorted(limits.values()) == sorted([150, 150, 300, 150, 200, 150])
    assert [limits[k] for k in titles.values() if k in limits] == [150, 150, 300, 150, 200, 150]


def test_spot_nt_section_limits(corpus: Corpus) -> None:
    for rid, limit in (("intro-length", 500), ("overview-length", 800), ("equipment-desc-length", 150)):
        _, p = _rule(corpus, "nt-smart-factory-2022", rid)
        assert p.get("limit", None) == limit or limit in dict(p.get("limits", {})).values(), rid  # type: ignore[arg-type]


def test_spot_js_iif_2022_investment(corpus: Corpus) -> None:
    spec, p = _rule(corpus, "js-iif-2022", "investment-min")
    assert p["min"] == 2000
    assert "project.investment.salaries" in p["excluded"]  # type: ignore[operator]
    assert "project.investment.salaries" not in p["items"]  # type: ignore[operator]
    assert "2000万元" in spec.rule("investment-min").citation.quote
    _, ov = _rule(corpus, "js-iif-2022", "overview-length")
    assert ov["limit"] == 1000


def test_spot_js_gradient_levels(corpus: Corpus) -> None:
    _, p = _rule(corpus, "js-gradient-2025", "scene-count")
    assert p["min_by_level"] == {"基础级": 8, "先进级": 15, "卓越级": 20, "领航级": 25}
    _, m = _rule(corpus, "js-gradient-2025", "maturity-level")
    assert m["min_by_level"] == {"基础级": 2, "先进级": 2, "卓越级": 3, "领航级": 4}
    _, s = _rule(corpus, "js-gradient-2025", "score-recommends-level")
    assert s["bands"] == {"基础级": 60, "先进级": 70, "卓越级": 80, "领航级": 90}


def test_rules_where_texts_are_silent_carry_a_note(corpus: Corpus) -> None:
    for spec in corpus.programmes.values():
        for rule in spec.rules:
            if rule.severity == "warning" and rule.check.kind in ("min_rows", "link_coverage"):
                assert rule.note, f"{spec.id}:{rule.id} decides on a choice and must say which"
