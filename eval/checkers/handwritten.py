"""Hand-written cases and declared collateral, as data: ``eval/checkers/cases/<programme>.yaml``.

A file holds, for one programme:

- ``cases``: the tricky cases no generic generator makes (amounts written in
  大写 or 亿元, Word's 字数 against ``len()``, the js-gradient-2025 calculator
  ...). Each has an ``id`` (the case is named ``<base>:<rule>:<id>``), the
  ``rule`` it targets, its ``label``, the ``edits`` to the base draft, the
  expected status of every other rule it affects (``also``), the readers of the
  edited paths it leaves unchanged (``keep``) and a ``why`` note. ``bases``
  restricts a case to some base drafts of the programme; two cases may share
  an id when their bases are disjoint (the same edit, base by base).
- ``base``: rule → the status it reports on an unmodified base draft when that
  is not ``pass`` (another reading of the rule's text gives another outcome on
  the base), with ``bases`` to restrict it and the reason in ``why``;
- ``collateral``: the side effects of GENERATED cases that a programme's shared
  fields imply, keyed by ``<rule>/<variant>`` — explicit, reviewed labels; its
  ``status`` relabels the generated case itself where the readings of the
  rule's text (``Rule.readings``) disagree on the edit, with the reason in ``why``.

Edits are applied in order; each step has exactly one key:

- ``set``: dotted path → JSON value (``mutate.put``, i.e. ``core.draft.set_path``;
  ``tables.scenarios.0.link`` is a cell of the first row);
- ``delete``: the paths removed;
- ``money`` / ``date``: path → the text as the applicant wrote it, normalised by
  ``core.numbers.parse_money`` / ``core.dates.parse_date`` and kept in ``originals``;
- ``period``: 项目建设时间 as written, read by ``core.dates.parse_period`` into
  ``project.start`` / ``project.end``;
- ``text``: path → ``{hanzi: n, then: "..."}``, a text of n CJK ideographs
  (``mutate.cjk``, 字数 known by construction) followed by ``then``.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.dates import parse_date, parse_period
from core.findings import Status
from core.numbers import parse_money
from core.spec import ProgrammeSpec
from eval.checkers.generators.common import GeneratorError, Mut
from eval.checkers.mutate import JSON, cjk, drop, iso, put

CASES_DIR = Path(__file__).resolve().parent / "cases"


def _originals(d: JSON) -> dict[str, str]:
    """The draft's texts as written, by path (created when absent)."""
    out: dict[str, str] = d.setdefault("originals", {})
    return out


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text of known 字数: ``hanzi`` CJK ideographs followed by ``then``."""

    hanzi: int = Field(ge=0)
    then: str = ""


class Step(_Strict):
    """One edit of the base draft (exactly one key, see the module docstring)."""

    set: dict[str, Any] | None = None
    delete: list[str] | None = None
    money: dict[str, str] | None = None
    date: dict[str, str] | None = None
    period: str | None = None
    text: dict[str, Text] | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Step:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"an edit step has exactly one key, got {given or 'none'}")
        return self

    def apply(self, d: JSON) -> None:
        """Apply this step to a draft's JSON form."""
        for path, value in (self.set or {}).items():
            put(d, path, copy.deepcopy(value))
        for path in self.delete or []:
            drop(d, path)
        for path, written in (self.money or {}).items():
            put(d, path, parse_money(written).wan)
            _originals(d)[path] = written
        for path, written in (self.date or {}).items():
            put(d, path, iso(parse_date(written)))
            _originals(d)[path] = written
        if self.period is not None:
            start, end = parse_period(self.period)
            put(d, "project.start", iso(start))
            put(d, "project.end", iso(end))
            _originals(d)["project.end"] = self.period
        for path, text in (self.text or {}).items():
            put(d, path, cjk(text.hanzi) + text.then)


class HandCase(_Strict):
    """One hand-written case aimed at one rule."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    rule: str
    label: Literal["violation", "missing", "pass"]
    status: Status | None = Field(
        default=None, description="The target's expected status when not the label's default."
    )
    bases: list[str] | None = None
    edits: list[Step] = Field(min_length=1)
    also: dict[str, Status] = {}
    keep: list[str] = []
    contains: list[str] = Field(default=[], description="Words the target's message must contain.")
    why: str = Field(min_length=4)

    def apply(self, d: JSON) -> None:
        """Apply every edit in order."""
        for step in self.edits:
            step.apply(d)

    def mut(self) -> Mut:
        """This case as the mutation the assembly labels."""
        return Mut(
            variant=self.id,
            label=self.label,
            edit=self.apply,
            note=self.why,
            status=self.status,
            also=dict(self.also),
            keep=tuple(self.keep),
            contains=tuple(self.contains),
            target=self.rule,
            bases=tuple(self.bases) if self.bases is not None else None,
        )


class Collateral(_Strict):
    """The declared side effects of one generated case on other rules, and —
    where the readings of the target's text disagree on the generated edit
    (``Rule.readings`` with changed parameters) — the target's own status."""

    status: Status | None = None
    also: dict[str, Status] = {}
    keep: list[str] = []
    why: str = Field(min_length=2)


class BaseLabel(_Strict):
    """The status of one rule on an unmodified base draft when it is not ``pass``:
    the base is compliant under the spec's reading but another reading of the
    rule's text (``Rule.readings``) gives another outcome."""

    status: Status
    bases: list[str] | None = None
    why: str = Field(min_length=4)


class CaseFile(_Strict):
    """The hand-written cases and declared collateral of one programme."""

    programme: str
    base: dict[str, BaseLabel] = {}
    collateral: dict[str, Collateral] = {}
    cases: list[HandCase] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> CaseFile:
        seen: dict[str, list[HandCase]] = {}
        for c in self.cases:
            seen.setdefault(c.id, []).append(c)
        for cid, same in seen.items():
            if len(same) == 1:
                continue
            bases = [b for c in same for b in (c.bases or ["*"])]
            if "*" in bases or len(bases) != len(set(bases)):
                raise ValueError(f"case id {cid!r} is used twice on the same base")
        for key in self.collateral:
            if key.count("/") != 1:
                raise ValueError(f"collateral key {key!r} is not <rule>/<variant>")
        return self

    def problems(self, spec: ProgrammeSpec, base_names: set[str]) -> list[str]:
        """What in this file does not match the programme spec or its base drafts."""
        rules = {r.id for r in spec.rules}
        out = []
        for c in self.cases:
            named = {c.rule, *c.also, *c.keep}
            out += [f"case {c.id}: unknown rule {r!r}" for r in sorted(named - rules)]
            out += [f"case {c.id}: unknown base {b!r}" for b in sorted(set(c.bases or []) - base_names)]
        for key, col in self.collateral.items():
            named = {key.split("/")[0], *col.also, *col.keep}
            out += [f"collateral {key}: unknown rule {r!r}" for r in sorted(named - rules)]
        for rid, label in self.base.items():
            out += [f"base: unknown rule {rid!r}"] if rid not in rules else []
            out += [f"base {rid}: unknown base {b!r}" for b in sorted(set(label.bases or []) - base_names)]
        return out

    def base_label(self, rule: str, base: str) -> Status | None:
        """The declared status of ``rule`` on the unmodified ``base`` draft, if not ``pass``."""
        label = self.base.get(rule)
        if label is None or (label.bases is not None and base not in label.bases):
            return None
        return label.status

    def collateral_of(
        self, rule: str, variant: str
    ) -> tuple[dict[str, Status], tuple[str, ...], Status | None]:
        """The declared (also, keep, target status) of the generated case ``variant`` of ``rule``."""
        col = self.collateral.get(f"{rule}/{variant}")
        return (dict(col.also), tuple(col.keep), col.status) if col else ({}, (), None)


@functools.cache
def load_case_files(directory: Path = CASES_DIR) -> dict[str, CaseFile]:
    """Every case file in ``directory``, validated, by programme id (the file stem)."""
    out: dict[str, CaseFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            cf = CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as e:
            raise GeneratorError(f"{path.name}: {e}") from e
        if cf.programme != path.stem:
            raise GeneratorError(f"{path.name}: programme {cf.programme!r} does not match the file name")
        out[cf.programme] = cf
    return out
