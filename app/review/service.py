"""The review service: a passage (or a draft's claims) in, reviews out.

Rules-only by default (``method="rules"``). A language-model reviewer
(:class:`app.review.llm.LLMReviewer`) is injected in the constructor, or
built on first use from the settings by ``reviewer_factory`` (so that
importing and building the services imports no model SDK). A model that
cannot be used here (not installed, not assembled) leaves the review
rules-only, and every review says so in its notes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.llm.errors import LLMUnavailableError
from app.review.claims import draft_claims
from app.review.passage import SCENARIO_LIST, passage_claim
from app.review.rules import review_rules
from app.review.scenarios import Candidate, find_scenario
from core.draft import Draft
from core.review import Claim, ClaimReview, ElementCheck, flag_of
from core.spec import ProgrammeSpec
from corpus.loader import Corpus

if TYPE_CHECKING:
    from app.settings import Settings

NO_TEXT_NOTE = "申报书中没有写到该项的文字，找不到证据。"

if TYPE_CHECKING:  # lazy: the ranker pulls in jieba and rank_bm25
    from app.review.scenarios import ScenarioRanker


class ReviewInputError(ValueError):
    """The input cannot be reviewed (empty passage, unknown scenario or level)."""


class ReviewCancelled(Exception):
    """A draft's review was cancelled; :attr:`done` holds the claims reviewed so far."""

    def __init__(self, done: list[ClaimReview], total: int) -> None:
        super().__init__(f"审阅已取消（完成 {len(done)}/{total} 项）。")
        self.done = done
        self.total = total


class Reviewer(Protocol):
    """Something that reviews a claim: the LLM reviewer (the rules-only one is a function)."""

    method: str
    concurrency: int

    def review(self, claim: Claim) -> ClaimReview:
        """The claim's review (verdict computed by :func:`core.review.review_of`)."""
        ...


ReviewerFactory = Callable[[str], "Reviewer | None"]
"""Builds the reviewer of a provider name (``None`` for ``none``); raises
:mod:`app.llm.errors` errors."""

Progress = Callable[[int, int], None]


def llm_reviewer_factory(settings: Settings) -> ReviewerFactory:
    """A factory of LLM reviewers from ``settings`` (imports the LLM layer only when called)."""

    def build(name: str) -> Reviewer | None:
        from app.review.llm import build_reviewer

        return build_reviewer(settings, name)

    return build


def app_model(settings: Settings) -> str | None:
    """The model the app offers for evidence review: the configured provider,
    else the local model when it is set up here (``make llm``); None when
    review can only be rules-only."""
    if settings.llm.provider != "none":
        return settings.llm.provider
    import importlib.util

    from app.llm.model_files import MODELS, is_ready

    model = MODELS.get(settings.llm.local_model)
    if importlib.util.find_spec("llama_cpp") is None or model is None:
        return None
    return "local" if is_ready(model, settings.data_dir) else None


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
            "elements": {k: _element_json(e) for k, e in r.elements.items()},
            "missing": list(r.missing),
            "citation": r.claim.citation.model_dump() if r.claim.citation else None,
            "method": r.method,
            "notes": list(r.notes),
        }


def claim_json(review: ClaimReview) -> dict[str, Any]:
    """One claim's review as a report's evidence entry (:class:`core.review.EvidenceFlag`)."""
    return flag_of(review).model_dump(mode="json")


def with_notes(review: ClaimReview, claim: Claim, note: str | None = None) -> ClaimReview:
    """``review`` with ``note`` (why a model was not used) and, for a claim the
    draft writes nothing about, :data:`NO_TEXT_NOTE` added to its notes."""
    notes = (*review.notes, *((note,) if note else ()), *(() if claim.passages else (NO_TEXT_NOTE,)))
    return review.model_copy(update={"notes": notes}) if notes != review.notes else review


def review_claim_rules(claim: Claim) -> ClaimReview:
    """Review one claim with the rules alone; a claim the draft writes nothing
    about is ``missing`` and says so."""
    return with_notes(review_rules(claim), claim)


def review_draft(spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[ClaimReview]:
    """Every claim the draft makes (the spec's claim sources), reviewed by the rules."""
    return [review_claim_rules(c) for c in draft_claims(spec, draft, corpus)]


def _element_json(e: ElementCheck) -> dict[str, Any]:
    """An element in the review contract; ``dropped`` (quotes a model gave that
    failed the checks, with the reason) only when there are some."""
    return {
        "present": e.present,
        "quotes": list(e.quotes),
        **({"dropped": list(e.dropped)} if e.dropped else {}),
    }


def _no(item_id: str | None) -> int | str | None:
    return int(item_id) if item_id and item_id.isdigit() else item_id


class ReviewService:
    """Reviews passages against the 40 typical scenarios, and a draft's claims;
    rules-only unless a model is asked for (``llm``) or set as the default."""

    def __init__(
        self,
        corpus: Corpus,
        reviewer: Reviewer | None = None,
        *,
        reviewer_factory: ReviewerFactory | None = None,
        default_llm: str = "none",
    ) -> None:
        self.corpus = corpus
        self.default_llm = reviewer.method if reviewer is not None else default_llm
        self._factory = reviewer_factory
        self._reviewers: dict[str, tuple[Reviewer | None, str | None]] = {}
        if reviewer is not None:
            self._reviewers[reviewer.method] = (reviewer, None)
        self._lock = threading.Lock()

    @functools.cached_property
    def ranker(self) -> ScenarioRanker:
        """BM25 over the scenario definitions (built on first use)."""
        from app.review.scenarios import ScenarioRanker

        return ScenarioRanker(self.corpus)

    def reviewer(self, llm: str | None = None) -> tuple[Reviewer | None, str | None]:
        """The reviewer of ``llm`` (default: the service's) built once, and a
        note when it cannot be used here (then the review is rules-only).
        Raises :class:`app.llm.errors.LLMConfigError` for an unknown provider
        or settings it cannot work with."""
        name = llm or self.default_llm
        if name == "none":
            return None, None
        with self._lock:
            if name not in self._reviewers:
                if self._factory is None:
                    from app.llm.errors import LLMConfigError

                    raise LLMConfigError(f"没有配置大模型审阅（{name}），只能用 none（仅规则）。")
                try:
                    self._reviewers[name] = (self._factory(name), None)
                except LLMUnavailableError as exc:
                    self._reviewers[name] = (None, f"{exc} 本次只用规则审阅。")
            return self._reviewers[name]

    def review_passage(
        self,
        text: str,
        scenario: str = "auto",
        *,
        level: str | None = None,
        file: str | None = None,
        llm: str | None = None,
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
        return PassageReview(file=file, review=self.review_claim(claim, llm=llm), candidates=candidates)

    def review_claim(self, claim: Claim, llm: str | None = None) -> ClaimReview:
        """Review one claim, rules-only or with the model ``llm``; a claim the
        draft writes nothing about is ``missing`` and says so."""
        reviewer, note = self.reviewer(llm)
        return with_notes(
            reviewer.review(claim) if reviewer is not None else review_rules(claim), claim, note
        )

    def review_draft(
        self,
        spec: ProgrammeSpec,
        draft: Draft,
        *,
        llm: str | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> list[ClaimReview]:
        """Every claim the draft makes (the spec's claim sources), reviewed in
        order. ``progress(done, total)`` follows the claims; setting ``cancel``
        stops before the next claim with :class:`ReviewCancelled`. Claims go to
        an OpenAI-compatible server up to its concurrency limit at once."""
        claims = draft_claims(spec, draft, self.corpus)
        reviewer, _ = self.reviewer(llm)
        workers = reviewer.concurrency if reviewer is not None else 1
        done: list[ClaimReview] = []

        def one(claim: Claim) -> ClaimReview:
            if cancel is not None and cancel.is_set():
                raise ReviewCancelled([], len(claims))
            return self.review_claim(claim, llm=llm)

        if workers <= 1 or len(claims) <= 1:
            for claim in claims:
                if cancel is not None and cancel.is_set():
                    raise ReviewCancelled(done, len(claims))
                done.append(one(claim))
                if progress:
                    progress(len(done), len(claims))
            return done
        with ThreadPoolExecutor(max_workers=min(workers, len(claims))) as pool:
            futures = [pool.submit(one, c) for c in claims]
            for future in futures:
                try:
                    done.append(future.result())
                except ReviewCancelled:
                    for f in futures:
                        f.cancel()
                    raise ReviewCancelled(done, len(claims)) from None
                if progress:
                    progress(len(done), len(claims))
        return done
