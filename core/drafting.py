"""Drafting contracts: a scenario row written for a programme's form, each
column checked in code against its 字数 limit, the numbers and names in it
checked against the writer's facts.

A drafter (rules-only or a language model) only proposes text; the fit of
every column, the numbers that are not in the facts and the names the facts
do not hold are computed here and in :mod:`app.drafting.guarantees`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.findings import Citation

Fit = Literal["as-written", "shortened", "cut", "empty"]
"""What happened to a column: it fitted as written, the drafter shortened it to a
target count, it was cut at a sentence boundary as the last resort, or the facts
held nothing for it (left empty, never invented)."""

FIT_LABELS: dict[str, str] = {"as-written": "原样", "shortened": "已压缩", "cut": "已截断", "empty": "未填写"}


class Fact(BaseModel):
    """One sentence (or key–value line) of the writer's facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    text: str


class DraftColumn(BaseModel):
    """One column of the drafted row: its text, limit and 字数 (Word's count),
    how it was fitted, which facts it used, and a note when it is empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    title: str
    text: str
    limit: int | None = None
    count: int
    fit: Fit
    facts_used: tuple[str, ...] = ()
    note: str | None = None


class NumberCheck(BaseModel):
    """The numbers written in the row, and those not found in the facts (must be empty)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    in_output: tuple[str, ...] = ()
    not_in_facts: tuple[str, ...] = ()


class ScenarioRow(BaseModel):
    """A drafted row of a programme's scenario table (design.md's draft contract),
    or a limited text section of the form drafted as one column (``section`` set,
    ``scenario`` {no: None, name: None}, no ``link``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    programme: str
    scenario: dict[str, int | str | None] = Field(description="{no, name} of the scenario")
    section: str | None = Field(
        default=None,
        description="The form's section drafted (one column), when the target is a section, not a row",
    )
    link: str | None = Field(default=None, description="The 所属环节 written in the row")
    target: str | None = Field(
        default=None,
        description="The drafting target (the table's or section's id) this row was drafted for",
    )
    columns: tuple[DraftColumn, ...]
    numbers: NumberCheck
    names_not_in_facts: tuple[str, ...] = ()
    facts_used: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    method: str
    notes: tuple[str, ...] = ()

    def ok(self) -> bool:
        """Every guarantee holds: columns within limits, no number or name outside the facts."""
        within = all(c.limit is None or c.count <= c.limit for c in self.columns)
        return within and not self.numbers.not_in_facts and not self.names_not_in_facts
