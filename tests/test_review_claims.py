"""The claims a draft makes (from the spec's claim sources): scenario rows,
环节 sections, ticked indicators and elements, scenarios at a level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.review.claims import draft_claims
from app.review.service import NO_TEXT_NOTE, ReviewService
from core.draft import Draft
from corpus.loader import Corpus, default_corpus

BASE = Path(__file__).resolve().parents[1] / "eval" / "checkers" / "base"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def base(name: str) -> Draft:
    return Draft.model_validate(json.loads((BASE / f"{name}.json").read_text(encoding="utf-8")))


def test_the_programmes_the_issue_names_declare_claims(corpus: Corpus) -> None:
    with_claims = {pid for pid, spec in corpus.programmes.items() if spec.claims}
    assert with_claims >= {
        "nt-smart-factory-2022",
        "js-smart-factory",
        "js-smart-workshop",
        "js-5g-factory",
        "js-iif-2022",
        "js-iif",
        "wx-smart-factory-2023",
        "wx-smart-scene-2023",
        "wx-smart-workshop-2023",
        "js-gradient-2025",
    }


def test_nantong_rows_map_to_their_link_by_factory_type(corpus: Corpus) -> None:
    for variant, list_title in (("discrete", "离散型"), ("process", "流程型")):
        draft = base(f"nt-smart-factory-2022.{variant}")
        claims = draft_claims(corpus.programme("nt-smart-factory-2022"), draft, corpus)
        rows = [c for c in claims if c.kind == "scenario"]
        assert len(rows) == len(draft.tables["scenarios"])
        first = rows[0]
        assert first.item_name == draft.tables["scenarios"][0]["link"]
        assert first.definition  # the 建设要点 of that 环节
        assert first.citation is not None and list_title in first.citation.clause
        # every non-empty text column is a passage
        assert len(first.passages) == sum(
            1 for k, v in draft.tables["scenarios"][0].items() if v and k not in ("seq", "link", "remarks")
        )


def test_ticked_indicators_get_the_paragraphs_that_name_them(corpus: Corpus) -> None:
    spec = corpus.programme("js-iif-2022")
    draft = base("js-iif-2022")
    claims = draft_claims(spec, draft, corpus)
    ticked = sum(len(draft.selections.get(s.ticks or "", [])) for s in spec.claims)
    assert len(claims) == ticked
    for c in claims:
        for p in c.passages:
            assert c.title.replace(" ", "")[:2] in p.text.replace(" ", "") or any(
                part in p.text for part in c.title.replace("与", "、").split("、") if len(part) >= 2
            )


def test_a_claim_the_draft_writes_nothing_about_is_missing_and_says_so(corpus: Corpus) -> None:
    spec = corpus.programme("wx-smart-scene-2023")
    draft = base("wx-smart-scene-2023")
    reviews = ReviewService(corpus).review_draft(spec, draft)
    assert reviews, "the ticked scene elements are claims"
    for r in reviews:
        assert r.claim.passages == ()
        assert r.verdict == "missing" and NO_TEXT_NOTE in r.notes


def test_gradient_claims_carry_their_level_description(corpus: Corpus) -> None:
    spec = corpus.programme("js-gradient-2025")
    draft = base("js-gradient-2025.excellent").model_copy(
        update={
            "sections": {
                "extra": "产品数字化研发设计：部署PLM系统，基于三维模型开展协同设计，研发周期缩短30%。"
            }
        }
    )
    claims = draft_claims(spec, draft, corpus)
    assert [c.item for c in claims] == list(draft.self_eval.scenario_levels)
    for c in claims:
        assert c.level == draft.self_eval.scenario_levels[c.item or ""]
        described = corpus.lists["ts2024-scenarios"].item(c.item or "")
        assert described is not None
        assert c.level_text == (described.attrs["levels"].get(c.level) or None)
    about = [c for c in claims if c.passages]
    assert [c.title for c in about] == ["产品数字化研发设计"]  # scenario 3, the only one the text names
