"""Findings: what a rule concluded about a draft, with the clause behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

Status = Literal["pass", "fail", "warn", "unknown", "n/a"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "warn", "unknown", "n/a")


@dataclass(frozen=True)
class Outcome:
    """What a rule kind concluded, before the engine adds id and citation."""

    status: Status
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    location: str | None = None


class Citation(BaseModel):
    """The policy clause behind a rule, a finding, a retrieval hit, an evidence
    flag or a drafted sentence: the corpus document, its title, the clause path
    (heading/clause labels joined by " > ", e.g. ``"一、申报条件 > 2"``) and a
    verbatim quote of the clause.

    Specs write the quote as ``quote``; reports and the review store write it as
    ``text`` (the JSON contract), and both names are read.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)
    doc: str
    doc_title: str | None = None
    clause: str
    quote: str = Field(
        min_length=1, validation_alias=AliasChoices("quote", "text"), serialization_alias="text"
    )


class Finding(BaseModel):
    """One rule's verdict on one draft.

    Findings compare *without* their location (like bandit's issues), so a
    finding the user acknowledged stays acknowledged when an edit moves it.
    """

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    status: Status
    severity: Literal["error", "warning", "info"]
    message: str
    evidence: dict[str, Any] = {}
    location: str | None = None
    citation: Citation

    def key(self) -> tuple[str, str, str]:
        """Identity for comparing runs: rule id, status and message."""
        return (self.id, self.status, self.message)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())


def summarize(findings: list[Finding]) -> dict[str, int]:
    """Counts per status, every status present."""
    out: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for f in findings:
        out[f.status] += 1
    return out


def has_error(findings: list[Finding]) -> bool:
    """Whether any error-severity rule failed (the CLI's exit 1)."""
    return any(f.status == "fail" and f.severity == "error" for f in findings)
