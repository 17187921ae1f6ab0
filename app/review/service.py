"""The review service: a passage (or a draft's claims) in, reviews out.

Rules-only today (``method="rules"``); the LLM reviewers plug in behind the
same :meth:`ReviewService.review_claim`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.review.claims import draft_claims
from app.review.passage import SCENARIO_LIST, passage_claim
from app.review.rules import review_rules
from app.review.scenarios import Candidate, find_scenario
from core.draft import Draft
from core.review import Claim, ClaimReview, flag_of
from core.spec import ProgrammeSpec
from corpus.loader import Corpus

NO_TEXT_NOTE = "申报书中没有写到该项的文字，找不到证据。"

if TYPE_CHECKING:  # lazy: the ranker pulls in jieba and rank_bm25
    from app.review.scenarios import ScenarioRanker


class ReviewInputError(ValueError):
    """The input cannot be reviewed (empty passage, unknown scenario or level)."""


@dataclass(frozen=True)
class PassageReview:
    """A passage's review: the scenario it was reviewed against, the ranked
    candidates (``--scenario auto``), and the claim review."""

    file: str | None
    review: ClaimReview
    candidates: tuple[Candidate, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """design.md's review contract."""
        r = self.review
        return {
            "file": self.file,
            "scenario": {"no": _no(r.claim.item), "name": r.claim.item_name},
            **({"level": r.claim.level} if r.claim.level else {}),
            "candidates": [{"no": _no(c.no), "name": c.name, "score": c.score} for c in self.candidates],
            "verdict": r.verdict,
            "elements": {k: {"present": e.present, "quotes": list(e.quotes)} for k, e in r.elements.items()},
            "missing": list(r.missing),
            "citation": r.claim.citation.model_dump() if r.claim.citation else None,
            "method": r.method,
            "notes": list(r.notes),
        }


def claim_json(review: ClaimReview) -> dict[str, Any]:
    """One claim's review as a report's evidence entry (:class:`core.review.EvidenceFlag`)."""
    return flag_of(review).model_dump(mode="json")


def review_claim_rules(claim: Claim) -> ClaimReview:
    """Review one claim with the rules alone; a claim the draft writes nothing
    about is ``missing`` and says so."""
    review = review_rules(claim)
    if not claim.passages:
        return review.model_copy(update={"notes": (*review.notes, NO_TEXT_NOTE)})
    return review


def review_draft(spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[ClaimReview]:
    """Every claim the draft makes (the spec's claim sources), reviewed by the rules."""
    return [review_claim_rules(c) for c in draft_claims(spec, draft, corpus)]


def _no(item_id: str | None) -> int | str | None:
    return int(item_id) if item_id and item_id.isdigit() else item_id


class ReviewService:
    """Reviews passages against the 40 typical scenarios."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    @functools.cached_property
    def ranker(self) -> ScenarioRanker:
        """BM25 over the scenario definitions (built on first use)."""
        from app.review.scenarios import ScenarioRanker

        return ScenarioRanker(self.corpus)

    def review_passage(
        self, text: str, scenario: str = "auto", *, level: str | None = None, file: str | None = None
    ) -> PassageReview:
        """Review one passage as a claim of ``scenario`` (a number, a name or
        ``auto``: the best-ranked scenario for the passage)."""
        if not text.strip():
            raise ReviewInputError("段落为空，没有可审阅的内容。")
        lst = self.corpus.lists[SCENARIO_LIST]
        candidates: tuple[Candidate, ...] = ()
        if scenario == "auto":
            candidates = tuple(self.ranker.rank(text, 5))
            if not candidates:
                raise ReviewInputError(
                    "无法判断这段文字对应哪个典型场景，请用 --scenario 指定场景编号或名称。"
                )
            item = find_scenario(lst, candidates[0].no)
        else:
            try:
                item = find_scenario(lst, scenario)
            except ValueError as exc:
                raise ReviewInputError(str(exc)) from exc
        if level is not None and level not in (item.attrs.get("levels") or {}):
            raise ReviewInputError(f"等级「{level}」不是基础级/先进级/卓越级/领航级之一。")
        claim = passage_claim(self.corpus, lst, item, text, level=level)
        return PassageReview(file=file, review=self.review_claim(claim), candidates=candidates)

    def review_claim(self, claim: Claim) -> ClaimReview:
        """Review one claim (rules-only)."""
        return review_claim_rules(claim)

    def review_draft(self, spec: ProgrammeSpec, draft: Draft) -> list[ClaimReview]:
        """Every claim the draft makes (the spec's claim sources), reviewed."""
        return [self.review_claim(c) for c in draft_claims(spec, draft, self.corpus)]
