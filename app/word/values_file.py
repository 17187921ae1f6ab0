"""The values ``shenbao fill`` writes into a draft, read and typed before
anything is written.

A values file is YAML (or JSON) keyed by the Draft paths the rules read —
the keys the check page's 补充缺失信息 form uses (``enterprise.employees``,
``attestations.law_abiding``, ``selections.<list id>``, ``sections.<id>``,
and ``tables.<id>`` for a part of the form written as one section per 环节,
南通's ``tables.link_sections``: 环节 → text, or a list of rows);
nested mappings are read as dotted paths (``enterprise: {employees: 320}``).
Two keys are reserved: ``programme`` (the programme id, when ``-p`` is not
given) and ``rows`` (scenario rows to add to the programme's scenario table:
each the JSON ``shenbao draft`` prints, or a mapping of column id or column
title → text).

Every value is read with the check page's parsers (money to 万元, dates,
numbers, 是/否, choices and checkbox items by name or id); every value that
cannot be used is reported at once, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.supplements import InputError, MissingField, apply_values, field_for, parse_input
from core.draft import Draft, field_ref, path_exists
from core.drafting import DraftColumn, NumberCheck, ScenarioRow
from core.spec import DraftingSpec, ProgrammeSpec, TableSpec
from core.text import measure
from corpus.loader import Corpus
from ingestion.drafts.labels import core
from ingestion.drafts.options import option_key
from ingestion.drafts.values import read_bool, read_list

MAX_VALUES_BYTES = 2_000_000
RESERVED = ("programme", "rows")
_NOT_FILLABLE = ("source", "originals", "locations", "reader_notes", "tables", "self_eval", "programme")


class FillError(ValueError):
    """Values that cannot be used or written; ``problems`` are the Chinese
    messages, one per field (``str`` joins them)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class FillPlan:
    """Typed values to write, and rows to add."""

    values: dict[str, Any] = field(default_factory=dict)
    """Draft path → value as the Draft holds it."""
    labels: dict[str, str] = field(default_factory=dict)
    """Draft path → the field's Chinese label (for messages)."""
    rows: list[ScenarioRow] = field(default_factory=list)


def load_values_file(path: Path) -> dict[str, Any]:
    """The mapping in a YAML/JSON values file; :class:`FillError` when it is
    missing, too large, not UTF-8, not YAML/JSON or not a mapping."""
    import yaml

    from app.textfiles import TextFileError, read_utf8

    try:
        text = read_utf8(path, MAX_VALUES_BYTES, "不像一个填写值文件。")
    except TextFileError as exc:
        raise FillError([str(exc)]) from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise FillError([f"{path}：不是有效的 YAML/JSON（{str(exc).splitlines()[0]}）。"]) from exc
    if data is None:
        raise FillError([f"{path}：文件是空的，没有要填写的值。"])
    if not isinstance(data, dict):
        raise FillError([f"{path}：应为“字段路径: 值”的映射（见 examples/fill-values.yaml）。"])
    return data


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths; the reserved keys are left out."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        k = str(key)
        if not prefix and k in RESERVED:
            continue
        path = f"{prefix}{k}"
        if isinstance(value, dict) and (not path_exists(path) or _is_container(path)):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def _is_container(path: str) -> bool:
    """Whether a Draft path holds fields or an open dictionary (not a value)."""
    ref = field_ref(path)
    if ref is None:
        return False
    tp = ref.type
    return (isinstance(tp, type) and issubclass(tp, BaseModel)) or typing.get_origin(tp) is dict


def plan_values(data: Mapping[str, Any], spec: ProgrammeSpec, corpus: Corpus) -> FillPlan:
    """Read a values mapping for ``spec``; :class:`FillError` naming every
    value that cannot be used."""
    plan = FillPlan()
    problems: list[str] = []
    sections = {s.id for s in spec.sections}
    for path, raw in flatten(data).items():
        head, _, key = path.partition(".")
        if head == "tables" and segment_target(spec, key) is not None:
            table = next(t for t in spec.tables if t.id == key)
            try:
                plan.values[path] = read_segments(raw, spec, key)
            except InputError as exc:
                problems.append(f"「{table.title}」（{path}）：{exc}")
                continue
            plan.labels[path] = table.title
            continue
        if head in _NOT_FILLABLE or not path_exists(path):
            problems.append(
                f"「{path}」不是可填写的字段（字段路径见检查报告“缺少”一项或 examples/fill-values.yaml）。"
            )
            continue
        if head == "sections" and key not in sections:
            names = "、".join(sorted(sections)) or "无"
            problems.append(f"「{path}」：本项目没有 id 为「{key}」的章节（可用：{names}）。")
            continue
        fld = field_for(path, spec, corpus)
        try:
            value = read_value(fld, raw)
        except InputError as exc:
            problems.append(str(exc))
            continue
        if value is None:
            problems.append(f"「{fld.label}」（{path}）：值是空的；不填写的字段请从文件中删去。")
            continue
        plan.values[path] = value
        plan.labels[path] = fld.label
    if plan.values and not problems:
        try:
            apply_values(Draft(), plan.values)
        except InputError as exc:
            problems.append(str(exc))
    for i, raw in enumerate(_rows_of(data), start=1):
        try:
            plan.rows.append(read_row(raw, spec))
        except InputError as exc:
            problems.append(f"rows 第{i}行：{exc}")
    if problems:
        raise FillError(problems)
    if not plan.values and not plan.rows:
        raise FillError(["没有要填写的值：请按 examples/fill-values.yaml 写出字段路径和值。"])
    return plan


def segment_target(spec: ProgrammeSpec, table_id: str) -> DraftingSpec | None:
    """The drafting target of a table the form prints as one section per 环节
    under a heading (南通's “三、重点环节建设情况”, read as ``link_sections``:
    a 环节 column and one text column), None for any other table."""
    d = spec.draft_target(table_id) if table_id else None
    if d is None or d.table != table_id or d is spec.scenario_drafting:
        return None
    if d.link_column is None or len(d.columns) != 1:
        return None
    return d


def _section_text(text: str) -> str:
    """A section's text as the reader reads it back: its non-blank lines."""
    return "\n".join(line for line in text.split("\n") if line.strip()).strip()


def read_segments(raw: Any, spec: ProgrammeSpec, table_id: str) -> list[dict[str, str]]:
    """The 环节 sections of table ``table_id`` given in a values file, as the
    Draft holds its rows (``[{<link column>: 环节, <text column>: text}]``):
    a mapping 环节 → text, or a list of rows, each ``shenbao draft --target
    <table>``'s JSON or a mapping of column id or title → text.
    :class:`InputError` (Chinese) when a row cannot be used."""
    d = segment_target(spec, table_id)
    assert d is not None and d.link_column is not None
    table = next(t for t in spec.tables if t.id == table_id)
    link_col, text_col = d.link_column, next(iter(d.columns))
    pairs: list[tuple[str, Any]] = []
    if isinstance(raw, dict):
        pairs = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, list):
        pairs = [_segment_pair(item, spec, table, d, link_col, text_col) for item in raw]
    else:
        raise InputError(f"应为“环节: 描述”的映射（如 设备管理: ……），或行的列表，而不是{_kind_name(raw)}。")
    if not pairs:
        raise InputError("没有要填写的环节；不填写请从文件中删去。")
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for link, text in pairs:
        name = link.strip()
        if not name:
            raise InputError("有一项没有写环节名称。")
        if text is None or isinstance(text, (bool, list | dict)):
            shown = "空的" if text is None else f"应为文字，而不是{_kind_name(text)}"
            raise InputError(f"「{name}」的内容{shown}；不填写的环节请从文件中删去。")
        body = _section_text(str(text))
        if not body:
            raise InputError(f"「{name}」的内容是空的；不填写的环节请从文件中删去。")
        key = core(name).removesuffix("环节")
        if key in seen:
            raise InputError(f"「{name}」出现了两次。")
        seen.add(key)
        out.append({link_col: name, text_col: body})
    return out


def _drafted_row(raw: dict[str, Any], spec: ProgrammeSpec) -> ScenarioRow:
    """A row as ``shenbao draft`` writes it (JSON), drafted for ``spec``'s programme."""
    from pydantic import ValidationError

    try:
        row = ScenarioRow.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"不是有效的 shenbao draft 输出：{exc.errors()[0]['msg']}") from exc
    if row.programme != spec.id:
        raise InputError(f"这一行是为「{row.programme}」起草的，不是「{spec.id}」。")
    return row


def _segment_pair(
    item: Any, spec: ProgrammeSpec, table: TableSpec, d: DraftingSpec, link_col: str, text_col: str
) -> tuple[str, Any]:
    """(环节, text) of one row of a list of 环节 sections."""

    if not isinstance(item, dict):
        raise InputError(
            f"每一行应为“栏目: 内容”的映射（{link_col}、{text_col}），而不是{_kind_name(item)}。"
        )
    if "columns" in item and "method" in item:
        row = _drafted_row(item, spec)
        if row.target != d.table or len(row.columns) != 1:
            raise InputError(
                f"这是「{row.target or row.section}」的起草结果，不是「{table.title}」的一个环节。"
            )
        return row.link or "", row.columns[0].text
    by_key = {c.id: c.id for c in table.columns} | {core(c.title): c.id for c in table.columns}
    got: dict[str, Any] = {}
    for k, v in item.items():
        col = by_key.get(str(k)) or by_key.get(core(str(k)))
        if col is None:
            names = "、".join(f"{c.title}（{c.id}）" for c in table.columns)
            raise InputError(f"没有「{k}」这一栏（可用：{names}）。")
        got[col] = v
    link = got.get(link_col)
    if not isinstance(link, str):
        raise InputError("有一行没有写环节名称。")
    return link, got.get(text_col)


def _rows_of(data: Mapping[str, Any]) -> list[Any]:
    rows = data.get("rows")
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise FillError(
            ["rows 应为一个列表：每项是一行场景（shenbao draft 输出的 JSON，或“栏目: 内容”的映射）。"]
        )
    return rows


def _text(fld: MissingField, raw: Any) -> str:
    if isinstance(raw, (bool, list | dict)):
        raise InputError(f"「{fld.label}」应为文字，而不是{_kind_name(raw)}。")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw)


def _kind_name(raw: Any) -> str:
    if isinstance(raw, bool):
        return "是/否"
    if isinstance(raw, list):
        return "列表"
    if isinstance(raw, dict):
        return "映射"
    if isinstance(raw, int | float):
        return "数字"
    return "文字"


def read_value(fld: MissingField, raw: Any) -> Any:
    """The Draft value of ``raw`` for ``fld``; :class:`InputError` (Chinese,
    naming the field) when it has the wrong type or cannot be read."""
    kind = fld.kind
    if raw is None:
        return None
    if kind == "unsupported":
        raise InputError(f"「{fld.label}」不能在这里填写：{fld.hint or ''}")
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        b = read_bool(raw) if isinstance(raw, str) else None
        if b is None:
            raise InputError(f"「{fld.label}」应为 是 或 否（true/false），而不是「{raw}」。")
        return b
    if kind == "choice":
        for name, value in fld.choices:
            if raw == value and not isinstance(raw, bool):
                return value
            if isinstance(raw, str) and option_key(raw) == option_key(name):
                return value
        names = "、".join(name for name, _ in fld.choices)
        raise InputError(f"「{fld.label}」应为以下之一：{names}；「{raw}」不是可选项。")
    if kind == "selection":
        items = read_list(raw) if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise InputError(f"「{fld.label}」应为勾选项的列表（名称或编号），而不是{_kind_name(raw)}。")
        by_id = {v: v for _, v in fld.choices}
        by_name = {option_key(n): v for n, v in fld.choices}
        out: list[str] = []
        for x in items:
            iid = by_id.get(x) or by_name.get(option_key(x))
            if iid is None:
                raise InputError(f"「{fld.label}」中没有「{x}」这一项（按名称或编号）。")
            if iid not in out:
                out.append(iid)
        return out or None
    if kind in ("money", "number"):
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise InputError(f"「{fld.label}」应为数值，而不是{_kind_name(raw)}。")
        if isinstance(raw, int | float):
            return float(raw)
        return parse_input(fld, raw)
    if kind in ("date", "date_end"):
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if not isinstance(raw, str):
            raise InputError(f"「{fld.label}」应为日期（如 2022-05-20），而不是{_kind_name(raw)}。")
        return parse_input(fld, raw)
    if kind == "list":
        if isinstance(raw, list):
            if not all(isinstance(x, str | int | float) and not isinstance(x, bool) for x in raw):
                raise InputError(f"「{fld.label}」应为文字的列表。")
            return [str(x).strip() for x in raw if str(x).strip()]
        return parse_input(fld, _text(fld, raw))
    return parse_input(fld, _text(fld, raw))


def read_row(raw: Any, spec: ProgrammeSpec) -> ScenarioRow:
    """A scenario row: ``shenbao draft``'s JSON, or column id/title → text."""

    d = spec.scenario_drafting
    if d is None or d.table is None or d.link_column is None:
        raise InputError(f"「{spec.title}」的申报书没有可写入的场景表。")
    if not isinstance(raw, dict):
        raise InputError("每一行应为“栏目: 内容”的映射。")
    if "columns" in raw and "method" in raw:
        row = _drafted_row(raw, spec)
        if row.section is not None:
            raise InputError(
                f"这是章节「{row.section}」的起草结果，不是场景表的一行：请写作 sections.{row.section}。"
            )
        if row.target is not None and segment_target(spec, row.target) is not None:
            title = next(t.title for t in spec.tables if t.id == row.target)
            raise InputError(
                f"这是「{title}」中一个环节的起草结果，不是场景表的一行：请写在 tables.{row.target} 下。"
            )
        if row.target is not None and row.target != d.table:
            raise InputError(f"这是「{row.target}」的起草结果，不是场景表的一行。")
        return row
    table = next(t for t in spec.tables if t.id == d.table)
    by_key = {c.id: c for c in table.columns} | {core(c.title): c for c in table.columns}
    texts: dict[str, str] = {}
    scenario = ""
    for key, value in raw.items():
        k = str(key)
        if k == "scenario":
            scenario = str(value or "")
            continue
        col = by_key.get(k) or by_key.get(core(k))
        if col is None and len(core(k)) >= 2:  # part of a title: 技术方案 → 采用的技术方案
            starts = [c for c in table.columns if core(k) in core(c.title)]
            col = starts[0] if len(starts) == 1 else None
        if col is None:
            names = "、".join(c.title for c in table.columns)
            raise InputError(f"「{table.title}」没有「{k}」这一栏（可用：{names}）。")
        if isinstance(value, (bool, list | dict)):
            raise InputError(f"「{col.title}」应为文字。")
        texts[col.id] = "" if value is None else str(value)
    if not any(v.strip() for v in texts.values()):
        raise InputError("这一行没有内容。")
    columns = tuple(
        DraftColumn(
            key=c.id, title=c.title, text=texts[c.id], count=measure(texts[c.id]).zishu, fit="as-written"
        )
        for c in table.columns
        if c.id in texts and c.id != d.link_column
    )
    return ScenarioRow(
        programme=spec.id,
        scenario={"no": None, "name": scenario},
        link=texts.get(d.link_column) or None,
        columns=columns,
        numbers=NumberCheck(),
        method="values-file",
    )
