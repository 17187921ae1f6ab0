"""Catalogues: the enumerations the rules count over, as validated data.

A catalogue file in ``corpus/scenarios/`` holds one or more *lists*. A list is
an ordered set of items (环节, scenarios, indicators, checkbox options ...);
items may belong to a *group* (the direction of an indicator, the 环节 of a
scenario). List ids are global: rules and drafts refer to a list by its id.
Two list kinds carry structured attributes that are validated here:
``scenarios`` (typical scenarios with per-level descriptions) and
``indicators`` (self-evaluation indicators with level texts and score bands).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.findings import Citation
from core.spec import LEVELS, Strict

ListKind = Literal["options", "links", "scenarios", "indicators", "mapping", "elements"]


class Item(Strict):
    """One entry of a list. ``id`` is unique within the list (a short slug or
    the number printed in the text); ``name`` is the label as printed."""

    id: str
    name: str
    group: str | None = None
    text: str | None = Field(default=None, description="Definition / 要点, verbatim from the corpus.")
    attrs: dict[str, Any] = {}


class ScenarioAttrs(BaseModel):
    """attrs of a ``scenarios`` item: the self-evaluation description per level,
    ``None`` where the text prints "/"."""

    model_config = ConfigDict(extra="forbid")
    levels: dict[Literal["基础级", "先进级", "卓越级", "领航级"], str | None]


class Band(BaseModel):
    """A score band [low, high] (inclusive) with optional 符合程度 sub-bands."""

    model_config = ConfigDict(extra="forbid")
    low: float
    high: float
    fit: dict[str, list[float]] = {}


class IndicatorAttrs(BaseModel):
    """attrs of an ``indicators`` item: its six level texts, the score band of
    each level, and whether 不涉及此环节 is allowed."""

    model_config = ConfigDict(extra="forbid")
    levels: dict[int, str]
    bands: dict[int, Band]
    not_applicable_allowed: bool = False
    weight: float | None = None
    note: str | None = None


class CatalogueList(Strict):
    """An ordered list of items of one kind, with the clause it comes from."""

    id: str
    kind: ListKind
    title: str
    items: list[Item] = Field(min_length=1)
    groups: list[str] | None = Field(
        default=None, description="Ordered group names; every item.group must be one of them."
    )
    source: Citation | None = None
    note: str | None = Field(default=None, description="Assumptions where the text is silent.")

    @model_validator(mode="after")
    def _consistent(self) -> CatalogueList:
        ids = [i.id for i in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"list {self.id}: duplicate item id(s) {', '.join(dup)}")
        if self.groups is not None:
            bad = sorted({str(i.group) for i in self.items if i.group not in self.groups})
            if bad:
                raise ValueError(f"list {self.id}: item groups not declared: {bad}")
        for item in self.items:
            if self.kind == "scenarios":
                ScenarioAttrs.model_validate(item.attrs)
            elif self.kind == "indicators":
                IndicatorAttrs.model_validate(item.attrs)
        return self

    def item(self, key: str) -> Item | None:
        """Find an item by id or by name (as printed)."""
        for i in self.items:
            if key in (i.id, i.name):
                return i
        return None

    def group_items(self) -> dict[str, list[Item]]:
        """Items by group, in list order."""
        out: dict[str, list[Item]] = {}
        for i in self.items:
            out.setdefault(i.group or "", []).append(i)
        return out


class Catalogue(Strict):
    """One catalogue file."""

    id: str
    title: str
    docs: list[str] = Field(min_length=1)
    lists: list[CatalogueList] = Field(min_length=1)


__all__ = ["LEVELS", "Band", "Catalogue", "CatalogueList", "IndicatorAttrs", "Item", "ScenarioAttrs"]
