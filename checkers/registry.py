"""The registry of rule-kind implementations and the context they read.

A rule kind is a pure function ``(params, Context) -> Outcome``: no I/O, no
LLM, no randomness. Each is registered once under the name of its params
model's ``kind``; registering a name twice is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from core.catalogue import CatalogueList
from core.draft import Draft, leaf_titles, resolve_path
from core.findings import Evidence, Measure, Outcome, missing_evidence
from core.spec import ProgrammeSpec


@dataclass(frozen=True)
class Context:
    """Everything a rule kind may read: the draft, the spec and the catalogue lists."""

    draft: Draft
    spec: ProgrammeSpec
    lists: Mapping[str, CatalogueList]

    def value(self, path: str) -> Any:
        """The draft value at a dotted path (None when absent)."""
        return resolve_path(self.draft, path)

    def label(self, path: str) -> str:
        """A Chinese label for a draft field: the form's label, else the schema's."""
        for f in self.spec.fields:
            if f.path == path:
                return f.label
        if path.startswith("sections."):
            for s in self.spec.sections:
                if f"sections.{s.id}" == path:
                    return s.title
        title = leaf_titles().get(path)
        if title:
            return title
        # a statement or figure without a form label: the title of the rule that reads it
        for rule in self.spec.rules:
            if getattr(rule.check, "field", None) == path:
                return rule.title
        return path

    def location(self, path: str) -> str | None:
        """Where the reader found the field, if it recorded it."""
        return self.draft.locations.get(path)

    def original(self, path: str) -> str | None:
        """The text as written for a normalised value, if recorded."""
        return self.draft.originals.get(path)

    def measure(self, path: str, value: Any, unit: str | None = None) -> Measure:
        """A draft field's value as evidence: keyed by its path, labelled as
        the form labels it, with the text as written when it was normalised."""
        return Measure(key=path, label=self.label(path), value=value, unit=unit, original=self.original(path))

    def missing(self, *paths: str) -> Evidence:
        """Evidence that these draft fields are missing, with their labels."""
        return missing_evidence(*((p, self.label(p)) for p in paths))


def measure(key: str, label: str, value: Any, unit: str | None = None) -> Measure:
    """A computed or policy value as evidence (a total, a bound, a count)."""
    return Measure(key=key, label=label, value=value, unit=unit)


def evidence(*values: Measure) -> Evidence:
    """Evidence made of these measures."""
    return Evidence(values=values)


KindFn = Callable[[Any, Context], Outcome]
KINDS: dict[str, KindFn] = {}
F = TypeVar("F", bound=KindFn)


def rule_kind(name: str) -> Callable[[F], F]:
    """Register the implementation of rule kind ``name`` (refuses duplicates)."""

    def deco(fn: F) -> F:
        if name in KINDS:
            raise ValueError(f"rule kind {name!r} registered twice")
        KINDS[name] = fn
        return fn

    return deco


def is_blank(v: Any) -> bool:
    """None, an empty/blank string or an empty collection."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, list | dict | tuple | set):
        return len(v) == 0
    return False
