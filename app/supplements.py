"""Values the user supplies for ``unknown`` findings: which draft fields the
findings need and how to ask for each (its input kind, from the programme's
form fields, the catalogue lists or the Draft schema), reading what was typed
with the shared parsers of ``core/`` and ``ingestion/``, and the edited draft
to re-check.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from checkers.registry import Context
from core.dates import parse_date
from core.draft import Draft, field_ref, field_type, set_path
from core.findings import Finding
from core.numbers import parse_money
from core.spec import ProgrammeSpec
from corpus.loader import Corpus
from ingestion.drafts.fields import FieldInfo, spec_index
from ingestion.drafts.values import read_list, read_number

InputKind = Literal[
    "bool",
    "money",
    "number",
    "date",
    "date_end",
    "text",
    "section",
    "choice",
    "selection",
    "list",
    "unsupported",
]

WEB_LOCATION = "网页补充"
"""The location recorded for a value the user typed in the browser."""


class InputError(ValueError):
    """A value typed in the browser cannot be used (``str`` is the Chinese message)."""


@dataclass(frozen=True)
class MissingField:
    """A draft field an ``unknown`` finding needs, and how to ask for it."""

    path: str
    label: str
    kind: InputKind
    unit: str | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    """(shown name, value) for choice and selection fields."""
    rules: tuple[str, ...] = ()
    """Titles of the findings that need this field."""
    hint: str | None = None
    """For fields that cannot be typed in here: where to supply them instead."""


_INFO_KINDS: dict[str, InputKind] = {
    "text": "text",
    "money": "money",
    "number": "number",
    "date": "date",
    "period_start": "date",
    "period_end": "date_end",
    "bool": "bool",
    "choice": "choice",
    "list": "list",
    "attachments": "list",
}


def missing_fields(findings: Iterable[Finding], spec: ProgrammeSpec, corpus: Corpus) -> list[MissingField]:
    """The fields named in ``evidence.missing`` of the unknown findings, in
    finding order, each once, with the input that suits its type."""
    needed: dict[str, list[str]] = {}
    for f in findings:
        if f.status != "unknown":
            continue
        for path in f.evidence.missing_paths():
            needed.setdefault(path, []).append(f.title)
    index = spec_index(spec, corpus)
    ctx = Context(draft=Draft(), spec=spec, lists=corpus.lists)
    return [
        _describe(path, tuple(titles), index.by_path(path), spec, corpus, ctx)
        for path, titles in needed.items()
    ]


def field_for(path: str, spec: ProgrammeSpec, corpus: Corpus) -> MissingField:
    """How to ask for any one draft field, as :func:`missing_fields` asks for
    those of the unknown findings (used to read the values of ``shenbao fill``)."""
    ctx = Context(draft=Draft(), spec=spec, lists=corpus.lists)
    return _describe(path, (), spec_index(spec, corpus).by_path(path), spec, corpus, ctx)


def _describe(
    path: str,
    rules: tuple[str, ...],
    info: FieldInfo | None,
    spec: ProgrammeSpec,
    corpus: Corpus,
    ctx: Context,
) -> MissingField:
    label = ctx.label(path)
    if label == path and rules:  # no form label nor schema title: the rule's title says what it is
        label = rules[0]
    head, _, key = path.partition(".")
    if info is not None:
        choices = tuple((c.name, c.value) for c in info.choices)
        return MissingField(path, info.label, _INFO_KINDS[info.kind], info.unit, choices, rules)
    if head == "sections":
        return MissingField(path, label, "section", rules=rules)
    if head == "selections" and key in corpus.lists:
        lst = corpus.lists[key]
        return MissingField(
            path, lst.title, "selection", choices=tuple((i.name, i.id) for i in lst.items), rules=rules
        )
    if head == "tables":
        title = next((t.title for t in spec.tables if t.id == key), key)
        hint = f"请在申报书的「{title}」表格中填写后重新上传。"
        return MissingField(path, title, "unsupported", rules=rules, hint=hint)
    if head == "self_eval":
        hint = "请在「智能工厂梯度自评」页面逐项填写自评价，或在申报书中补充后重新上传。"
        return MissingField(path, label, "unsupported", rules=rules, hint=hint)
    if path in spec.variants:
        return MissingField(
            path, label, "choice", choices=tuple((v, v) for v in spec.variants[path]), rules=rules
        )
    return MissingField(path, label, _kind_of_type(path), rules=rules)


def _kind_of_type(path: str) -> InputKind:
    try:
        tp = field_type(path)
    except KeyError:
        return "text"
    if tp is bool:
        return "bool"
    if tp is float or tp is int:
        return "money" if "万元" in (((ref := field_ref(path)) and ref.description) or "") else "number"
    if tp is dt.date:
        return "date"
    if tp is str:
        return "text"
    if typing.get_origin(tp) is list:
        return "list"
    return "unsupported"


def parse_input(field: MissingField, raw: Any) -> Any:
    """The Draft value for what was entered; ``None`` when nothing was.

    Money goes through :func:`core.numbers.parse_money` (万元), dates
    through :func:`core.dates.parse_date`, numbers through the reader's
    number parser; errors become :class:`InputError` with the parser's message.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw):
        return None
    try:
        if field.kind == "money":
            return parse_money(str(raw)).wan
        if field.kind == "number":
            return read_number(str(raw), field.unit)
        if field.kind in ("date", "date_end"):
            return parse_date(str(raw), end_of_period=field.kind == "date_end")
        if field.kind == "list":
            return read_list(str(raw))
        if field.kind in ("text", "section"):
            return str(raw).strip()
    except ValueError as e:
        raise InputError(f"「{field.label}」：{e}") from e
    return raw


@dataclass(frozen=True)
class SuppliedValues:
    """What was entered for the missing fields, read."""

    values: dict[str, Any]
    """Draft path → value, for the fields something usable was entered for."""
    originals: dict[str, str]
    """Draft path → the text as typed, for the values typed as text."""
    problems: list[str]
    """The Chinese message of each value that cannot be read."""


def read_inputs(fields: Iterable[MissingField], entered: Mapping[str, Any]) -> SuppliedValues:
    """Read what was entered (draft path → raw input) for ``fields`` with
    :func:`parse_input`; fields left empty are left out."""
    values: dict[str, Any] = {}
    originals: dict[str, str] = {}
    problems: list[str] = []
    by_path = {f.path: f for f in fields}
    for path, raw in entered.items():
        try:
            value = parse_input(by_path[path], raw)
        except InputError as e:
            problems.append(str(e))
            continue
        if value is not None:
            values[path] = value
            if isinstance(raw, str):
                originals[path] = raw.strip()
    return SuppliedValues(values, originals, problems)


def apply_values(
    draft: Draft, values: Mapping[str, Any], originals: Mapping[str, str] | None = None
) -> Draft:
    """A copy of ``draft`` with the values set at their dotted paths (located
    as typed in the browser). Raises :class:`InputError` if the draft schema
    refuses a value."""
    data = draft.model_dump()
    for path, value in values.items():
        set_path(data, path, value)
        data["locations"][path] = WEB_LOCATION
        if originals and path in originals:
            data["originals"][path] = originals[path]
    try:
        return Draft.model_validate(data)
    except ValidationError as e:
        problems = "；".join(f"{'.'.join(str(x) for x in err['loc'])}：{err['msg']}" for err in e.errors())
        raise InputError(f"补充的信息无法使用：{problems}") from e
