"""Findings: what a rule concluded about a draft, with the clause behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, JsonValue, model_validator

Status = Literal["pass", "fail", "warn", "unknown", "n/a"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "warn", "unknown", "n/a")


class Measure(BaseModel):
    """One value a rule used: a stable key (the draft path, or a name such as
    ``counted_total_wan`` for a computed figure), its Chinese label, the value
    (JSON: numbers, text, ISO dates, lists), its unit, and the text as written
    when the reader normalised it (``1,200万元`` → 1200 万元)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    value: JsonValue
    unit: str | None = None
    original: str | None = None


class MissingField(BaseModel):
    """A field a rule needed that the draft lacks: its draft path and Chinese label."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str = Field(min_length=1)
    label: str = Field(min_length=1)


class Evidence(BaseModel):
    """What a finding rests on: the values measured (with labels and units)
    and the fields that were missing.

    Older review-store rows hold a flat ``{key: value}`` dict (with an optional
    ``missing`` list of paths); they are read as measures labelled by their key.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    values: tuple[Measure, ...] = ()
    missing: tuple[MissingField, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _legacy_flat_dict(cls, data: Any) -> Any:
        if not isinstance(data, dict) or (set(data) <= {"values", "missing"} and _typed_shape(data)):
            return data
        flat = dict(data)
        missing = flat.pop("missing", None) or []
        return {
            "values": [{"key": str(k), "label": str(k), "value": v} for k, v in flat.items()],
            "missing": [_legacy_missing(m) for m in missing],
        }

    def __bool__(self) -> bool:
        return bool(self.values or self.missing)

    def get(self, key: str, default: Any = None) -> Any:
        """The value measured under ``key`` (``default`` when there is none)."""
        for m in self.values:
            if m.key == key:
                return m.value
        return default

    def missing_paths(self) -> list[str]:
        """The draft paths of the missing fields, in order."""
        return [m.path for m in self.missing]

    def as_dict(self) -> dict[str, Any]:
        """``{key: value}`` for every measure, plus ``missing`` (paths) when
        any field is missing: the compact view tests and tools compare."""
        out: dict[str, Any] = {m.key: m.value for m in self.values}
        if self.missing:
            out["missing"] = self.missing_paths()
        return out


def _typed_shape(data: dict[str, Any]) -> bool:
    """Whether a dict with only ``values``/``missing`` keys is the typed shape
    (lists of objects) rather than a legacy flat dict that used those names."""
    values, missing = data.get("values", []), data.get("missing", [])
    return (
        isinstance(values, list | tuple)
        and all(isinstance(v, dict | Measure) for v in values)
        and isinstance(missing, list | tuple)
        and all(isinstance(m, dict | MissingField) for m in missing)
    )


def _legacy_missing(item: Any) -> Any:
    return {"path": item, "label": item} if isinstance(item, str) else item


def missing_evidence(*fields: tuple[str, str]) -> Evidence:
    """Evidence of fields the draft lacks, given as ``(path, label)`` pairs."""
    return Evidence(missing=tuple(MissingField(path=p, label=label) for p, label in fields))


@dataclass(frozen=True)
class Outcome:
    """What a rule kind concluded, before the engine adds id and citation."""

    status: Status
    message: str
    evidence: Evidence = field(default_factory=Evidence)
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
    evidence: Evidence = Evidence()
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
