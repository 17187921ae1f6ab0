"""What every case generator shares: the base drafts, the labelled case, the
mutation a generator proposes and small edits of a draft's JSON form."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from core import spec as s
from core.catalogue import CatalogueList
from core.draft import Draft
from core.findings import Status
from core.spec import ProgrammeSpec, Rule
from eval.checkers.mutate import JSON, drop, get, put

BASE_DIR = Path(__file__).resolve().parents[1] / "base"
Label = Literal["base", "violation", "missing", "pass"]
Edit = Callable[[JSON], None]


class GeneratorError(ValueError):
    """A case is ill-formed (an undeclared side effect, an invalid draft ...)."""


@dataclass(frozen=True)
class Base:
    """A compliant base draft: ``name`` is the file stem (``js-iif-2022``,
    ``nt-smart-factory-2022.discrete``)."""

    name: str
    programme: str
    data: JSON
    draft: Draft


@dataclass(frozen=True)
class Case:
    """One labelled draft: the expected status of EVERY rule of its programme."""

    name: str
    programme: str
    base: str
    target: str | None
    label: Label
    expected: Mapping[str, Status]
    changed: Mapping[str, Status]
    message_contains: Mapping[str, tuple[str, ...]]
    note: str
    draft: Draft


@dataclass
class Mut:
    """A mutation of a base draft aimed at one rule (from a generator or a
    hand-written case): ``also`` declares other rules whose status changes,
    ``keep`` other readers of the edited paths whose status does not."""

    variant: str
    label: Label
    edit: Edit
    note: str
    status: Status | None = None
    also: dict[str, Status] = field(default_factory=dict)
    keep: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    target: str | None = None
    bases: tuple[str, ...] | None = None  # restrict to these base names (hand-written cases)


@dataclass
class Gen:
    """What a generator may look at: the spec, catalogue lists and the base."""

    spec: ProgrammeSpec
    lists: Mapping[str, CatalogueList]
    base: Base
    errors: list[str] | None = None  # collect undeclared effects instead of raising

    def v(self, path: str) -> Any:
        """The base draft's value at a path."""
        return get(self.base.data, path)


def load_bases(directory: Path = BASE_DIR) -> list[Base]:
    """Every base draft in ``directory`` (``*.json``), validated as a ``Draft``."""
    out = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        draft = Draft.model_validate(data)
        if not draft.programme:
            raise GeneratorError(f"{path.name}: base draft has no programme")
        out.append(Base(path.stem, draft.programme, data, draft))
    return out


def sev(rule: Rule) -> Status:
    """The status a violation of the rule reports: ``fail`` for errors, else
    ``warn``; also ``warn`` where the spec declares that another reading of the
    text cannot confirm a failure (``Reading.uncertain``)."""
    if "fail" in rule.uncertain_outcomes():
        return "warn"
    return "fail" if rule.severity == "error" else "warn"


def passed(rule: Rule) -> Status:
    """The status a compliant draft reports: ``pass``, or ``warn`` where the
    spec declares that another reading cannot confirm a pass (e.g. the scenario
    list the text refers to is not in the corpus)."""
    return "warn" if "pass" in rule.uncertain_outcomes() else "pass"


def siblings(
    g: Gen,
    r: Rule,
    kinds: tuple[type[s.Params], ...],
    table: str | None = None,
    column: str | None = None,
) -> tuple[str, ...]:
    """Other rules of the given kinds reading the same table column (or any column)."""
    out = []
    for x in g.spec.rules:
        p = x.check
        if x.id == r.id or not isinstance(p, kinds) or getattr(p, "table", None) != table:
            continue
        cols = {
            getattr(p, "column", None),
            getattr(p, "distinct_column", None),
            *(getattr(p, "limits", None) or {}),
        }
        if column is None or column in cols:
            out.append(x.id)
    return tuple(out)


def set_(path: str, value: Any) -> Edit:
    """An edit writing ``value`` at ``path``."""
    return lambda d: put(d, path, value)


def del_(*paths: str) -> Edit:
    """An edit removing the values at ``paths``."""

    def edit(d: JSON) -> None:
        for p in paths:
            drop(d, p)

    return edit


def seq(*edits: Edit) -> Edit:
    """The edits applied in order."""

    def edit(d: JSON) -> None:
        for e in edits:
            e(d)

    return edit


def missing(path: str) -> Mut:
    """The input at ``path`` removed: the rule must report ``unknown``."""
    return Mut("missing", "missing", del_(path), f"删除「{path}」：缺少输入应报 unknown")
