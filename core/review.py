"""Evidence review contracts: a claim a draft makes, the elements that show it,
and the verdict computed from them.

The reviewer (rules-only or a language model) only *finds and quotes*; the
verdict is computed here from the elements, and every quote must occur
verbatim in the claim's passages (:func:`verbatim`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.findings import Citation

ElementName = Literal["system", "how", "result", "level"]
ELEMENTS: tuple[ElementName, ...] = ("system", "how", "result")
"""The three elements every claim needs; ``level`` is added for a claimed gradient level."""

ELEMENT_LABELS: dict[str, str] = {
    "system": "系统/装备",
    "how": "工作方式",
    "result": "量化成效",
    "level": "达到所报等级",
}
"""The Chinese name of each element, as the reports say what is missing (缺少：…)."""

Verdict = Literal["supported", "partial", "missing"]
VERDICT_LABELS: dict[str, str] = {"supported": "证据充分", "partial": "证据不全", "missing": "缺少证据"}


class Passage(BaseModel):
    """A stretch of draft text about a claim, and where it is in the draft."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    location: str | None = None


class Claim(BaseModel):
    """Something a draft claims that needs evidence: a scenario row, a 环节
    section, a ticked indicator or scene element, a scenario at a level.

    ``definition`` is the policy's own description of what is claimed (the
    catalogue text, or the claimed level's description), cited by ``citation``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, description="Stable key in the draft, e.g. tables.scenes.3")
    programme: str
    kind: str = Field(description="scenario | link | indicator | element | level")
    title: str = Field(min_length=1, description="What is claimed, as the draft names it")
    item: str | None = Field(default=None, description="The catalogue item id it maps to, if any")
    item_name: str | None = None
    level: str | None = Field(default=None, description="The claimed level (js-gradient-2025)")
    level_text: str | None = Field(default=None, description="That level's description, verbatim")
    definition: str | None = None
    citation: Citation | None = None
    passages: tuple[Passage, ...] = ()

    def text(self) -> str:
        """All passages joined, one per line (what quotes are checked against)."""
        return "\n".join(p.text for p in self.passages)


class ElementCheck(BaseModel):
    """Whether one element is shown, with the verbatim quotes that show it and
    notes on quotes that were dropped (not verbatim, wrong type)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    present: bool
    quotes: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


class ClaimReview(BaseModel):
    """The review of one claim: its elements, the verdict computed from them,
    the missing elements, the method that found them and any notes (a fallback
    to rules-only, dropped quotes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    claim: Claim
    elements: dict[str, ElementCheck]
    verdict: Verdict
    missing: tuple[str, ...]
    method: str = Field(description="rules | local | openai | fake (the model that found the quotes)")
    notes: tuple[str, ...] = ()


def needed_elements(claim: Claim) -> tuple[str, ...]:
    """The elements a claim must show: the three, plus ``level`` when a level is claimed."""
    return (*ELEMENTS, "level") if claim.level else ELEMENTS


def verdict_of(present: dict[str, bool]) -> Verdict:
    """``supported`` when every element is present, ``missing`` when none is,
    ``partial`` otherwise."""
    shown = [v for v in present.values()]
    if shown and all(shown):
        return "supported"
    if not any(shown):
        return "missing"
    return "partial"


def review_of(
    claim: Claim, elements: dict[str, ElementCheck], method: str, notes: tuple[str, ...] = ()
) -> ClaimReview:
    """A :class:`ClaimReview` with the verdict and missing list computed in code
    (an element the reviewer did not report counts as absent)."""
    needed = needed_elements(claim)
    checks = {e: elements.get(e, ElementCheck(present=False)) for e in needed}
    present = {e: c.present and bool(c.quotes) for e, c in checks.items()}
    return ClaimReview(
        claim=claim,
        elements=checks,
        verdict=verdict_of(present),
        missing=tuple(e for e in needed if not present[e]),
        method=method,
        notes=notes,
    )


def verbatim(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs in ``text`` exactly (after trimming the quote's
    own surrounding whitespace); an empty quote never does."""
    q = quote.strip()
    return bool(q) and q in text


class ClaimRef(BaseModel):
    """What a flag is about: the claim's id in the draft, its kind, title and level."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: str
    title: str
    level: str | None = None


class ItemRef(BaseModel):
    """The catalogue item a claim maps to (number or id, and name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    no: int | str
    name: str | None = None


class EvidenceFlag(BaseModel):
    """One entry of a report's ``evidence`` list (design.md's contract: claim,
    verdict, missing, quotes, citation), with the elements, the passages the
    quotes come from, the method and notes."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    claim: ClaimRef
    item: ItemRef | None = None
    location: str | None = None
    verdict: Verdict
    missing: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    elements: dict[str, ElementCheck] = {}
    citation: Citation | None = None
    method: str
    notes: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = ()


def flag_of(review: ClaimReview) -> EvidenceFlag:
    """A review as a report's evidence entry."""
    c = review.claim
    no: int | str | None = int(c.item) if c.item and c.item.isdigit() else c.item
    return EvidenceFlag(
        claim=ClaimRef(id=c.id, kind=c.kind, title=c.title, level=c.level),
        item=ItemRef(no=no, name=c.item_name) if no is not None else None,
        location=next((p.location for p in c.passages if p.location), None),
        verdict=review.verdict,
        missing=review.missing,
        quotes=tuple(dict.fromkeys(q for e in review.elements.values() for q in e.quotes)),
        elements=review.elements,
        citation=c.citation,
        method=review.method,
        notes=review.notes,
        passages=c.passages,
    )
