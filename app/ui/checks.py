"""The check page's plumbing, free of widgets so it can be tested directly:
an uploaded file → (Draft, Report, what changed), the fields the user may
supply for ``unknown`` findings, and the re-check with those values.

Everything here calls the services: :func:`app.checking.read_checked_draft`
reads the uploaded file once and :func:`app.checking.check_draft` decides its
report (and re-decides it on the edited draft), :func:`app.history.record_report` stores it, and
the values typed in are read by the shared parsers in ``checkers/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Literal

from pydantic import ValidationError

from app.checking import DRAFT_SUFFIXES, Report, check_draft, read_checked_draft
from app.history import record_report
from app.store import Changes, ReviewStore, StoreError
from checkers.registry import Context
from core.dates import parse_date
from core.draft import Draft, field_ref, field_type, set_path
from core.findings import Finding
from core.numbers import parse_money
from core.spec import CharLimit, ProgrammeSpec, TableCharLimits
from core.text import TextCount, measure
from corpus.loader import Corpus
from ingestion.drafts import DraftError
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

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class InputError(ValueError):
    """A value typed in the browser cannot be used (``str`` is the Chinese message)."""


@dataclass(frozen=True)
class CheckedUpload:
    """One uploaded draft after its check."""

    file_name: str
    programme: str
    sha256: str
    draft: Draft
    report: Report
    changes: Changes | None
    """What changed since the previous stored check of this file name + programme (None: first)."""
    store_note: str | None = None
    """Why the check could not be stored, when it could not."""


def safe_file_name(name: str) -> str:
    """The last component of an uploaded file's name, without path separators
    or control characters (never empty)."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned or "申报书.docx"


def ensure_draft_suffix(name: str) -> None:
    """Refuse a file whose name is not a draft type, with a Chinese message."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in DRAFT_SUFFIXES:
        shown = suffix or "无扩展名"
        raise DraftError(
            f"不支持的文件类型（{shown}）：请上传 Word 格式的申报书（.docx）。"
            "旧版 .doc、PDF 或扫描件请先用 Word 另存为 .docx。",
            "unsupported_type",
        )


def check_upload(
    name: str, data: bytes, spec: ProgrammeSpec, corpus: Corpus, store: ReviewStore
) -> CheckedUpload:
    """Check an uploaded draft and store the result.

    Raises :class:`DraftError` (unusable file) or :class:`app.checking.CheckError`
    (another programme's form); nothing is stored then. A failure of the store
    itself does not fail the check: it is reported in ``store_note``.
    """
    label = safe_file_name(name)
    ensure_draft_suffix(label)
    with tempfile.TemporaryDirectory(prefix="shenbao-upload-") as tmp:
        path = Path(tmp) / label
        path.write_bytes(data)
        draft = read_checked_draft(path, spec, corpus)
        report = check_draft(draft, spec, corpus, label)
        changes: Changes | None = None
        note: str | None = None
        try:
            changes = record_report(store, report, path, corpus).changes
        except (StoreError, OSError) as e:
            note = f"检查结果未能保存到审阅记录（{e}），不影响本次检查结果。"
    return CheckedUpload(
        file_name=label,
        programme=spec.id,
        sha256=hashlib.sha256(data).hexdigest(),
        draft=draft,
        report=report,
        changes=changes,
        store_note=note,
    )


def recheck(draft: Draft, spec: ProgrammeSpec, corpus: Corpus, label: str) -> Report:
    """Run the programme's rules again on a (possibly edited) draft."""
    return check_draft(draft, spec, corpus, label)


# -- 字数 of the limited texts -------------------------------------------------


@dataclass(frozen=True)
class LimitedText:
    """A section or table cell with a 字数 limit, and its counts."""

    where: str
    count: TextCount
    limit: int
    is_table: bool = False

    @property
    def over(self) -> bool:
        """Whether the 字数 exceeds the limit."""
        return self.count.zishu > self.limit


def limited_texts(spec: ProgrammeSpec, draft: Draft) -> list[LimitedText]:
    """Every section with a ``char_limit`` rule (present or not) and every
    non-empty cell of a column with a ``table_char_limits`` rule, with its 字数
    counted by :func:`core.text.measure` and its limit."""
    out: list[LimitedText] = []
    sections = {s.id: s.title for s in spec.sections}
    for rule in spec.rules:
        check = rule.check
        if isinstance(check, CharLimit):
            text = draft.sections.get(check.section) or ""
            out.append(LimitedText(sections.get(check.section, check.section), measure(text), check.limit))
        elif isinstance(check, TableCharLimits):
            table = next((t for t in spec.tables if t.id == check.table), None)
            title = table.title if table is not None else check.table
            columns = {c.id: c.title for c in table.columns} if table is not None else {}
            for n, row in enumerate(draft.tables.get(check.table) or [], start=1):
                for col, limit in check.limits.items():
                    cell = row.get(col) or ""
                    if cell.strip():
                        where = f"{title} 第 {n} 行 · {columns.get(col, col)}"
                        out.append(LimitedText(where, measure(cell), limit, is_table=True))
    return out


# -- values the user supplies for unknown findings ----------------------------


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
    """The fields named in ``evidence["missing"]`` of the unknown findings, in
    finding order, each once, with the input that suits its type."""
    needed: dict[str, list[str]] = {}
    for f in findings:
        if f.status != "unknown":
            continue
        for path in f.evidence.get("missing") or []:
            if isinstance(path, str) and path:
                needed.setdefault(path, []).append(f.title)
    index = spec_index(spec, corpus)
    ctx = Context(draft=Draft(), spec=spec, lists=corpus.lists)
    return [
        _describe(path, tuple(titles), index.by_path(path), spec, corpus, ctx)
        for path, titles in needed.items()
    ]


def _describe(
    path: str,
    rules: tuple[str, ...],
    info: FieldInfo | None,
    spec: ProgrammeSpec,
    corpus: Corpus,
    ctx: Context,
) -> MissingField:
    label = ctx.label(path)
    if label == path:  # no form label nor schema title: the rule's title says what it is
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
