"""A drafted row after the writer edited it by hand: every column recounted
with Word's 字数, its numbers and names checked again against the notes (a
number the writer typed that the notes do not hold is reported, never
accepted silently), and what keeps the row out of the form's table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.drafting.facts import facts_in, split_facts
from app.drafting.guarantees import names_not_in, numbers_not_in
from app.review.rules import load_lexicon
from core.drafting import DraftColumn, NumberCheck, ScenarioRow
from core.spec import ProgrammeSpec
from core.text import count_zishu

EDITED_NOTE = "已手动修改：字数、数字和名称按修改后的文字重新核对。"
EDITED_METHOD_SUFFIX = "+edited"
"""Appended to a row's ``method`` when the writer changed any column."""


@dataclass(frozen=True)
class ColumnIssues:
    """What is wrong with one column: 字 over its limit (0 when within), the
    numbers and the names in it that the notes do not hold."""

    over: int = 0
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def ok(self) -> bool:
        """Within the limit, and every number and name from the notes."""
        return not (self.over or self.numbers or self.names)


def _generic_words() -> frozenset[str]:
    return frozenset(load_lexicon().acronyms)  # MES, ERP …: generic, they name no one


def _edited_column(
    spec: ProgrammeSpec, row: ScenarioRow, col: DraftColumn, text: str, facts_text: str
) -> DraftColumn:
    d = spec.draft_target(row.target or row.section) if (row.target or row.section) else spec.drafting[0]
    required = d is not None and (
        d.section == col.key or ((c := d.columns.get(col.key)) is not None and c.required)
    )
    if not text:
        note = "这一栏为空：材料中有相关内容时请填写（不要编造）。" if required else "选填，未填写。"
        return col.model_copy(update={"text": "", "count": 0, "fit": "empty", "facts_used": (), "note": note})
    return col.model_copy(
        update={
            "text": text,
            "count": count_zishu(text),
            "fit": "as-written",
            "facts_used": facts_in(text, split_facts(facts_text)),
            "note": EDITED_NOTE,
        }
    )


def edit_row(spec: ProgrammeSpec, row: ScenarioRow, texts: Mapping[str, str], facts_text: str) -> ScenarioRow:
    """``row`` with the writer's text for the columns in ``texts`` (leading and
    trailing blanks dropped): a changed column is recounted, its facts found
    again and marked as edited; the row's numbers and names are checked again
    on the whole edited text. Unchanged columns keep what the drafter said."""
    columns: list[DraftColumn] = []
    changed = False
    for col in row.columns:
        text = texts.get(col.key, col.text).strip()
        if text == col.text:
            columns.append(col)
        else:
            changed = True
            columns.append(_edited_column(spec, row, col, text, facts_text))
    if not changed:
        return row
    output = "".join(c.text for c in columns)
    written, not_in_facts = numbers_not_in(output, facts_text)
    return row.model_copy(
        update={
            "columns": tuple(columns),
            "numbers": NumberCheck(in_output=tuple(written), not_in_facts=tuple(not_in_facts)),
            "names_not_in_facts": tuple(names_not_in(output, facts_text, _generic_words())),
            "facts_used": tuple(dict.fromkeys(f for c in columns for f in c.facts_used)),
            "method": row.method.removesuffix(EDITED_METHOD_SUFFIX) + EDITED_METHOD_SUFFIX,
        }
    )


def column_issues(row: ScenarioRow, facts_text: str) -> dict[str, ColumnIssues]:
    """Per column (by key) what is over the limit or not from the notes."""
    generic = _generic_words()
    out: dict[str, ColumnIssues] = {}
    for c in row.columns:
        _, numbers = numbers_not_in(c.text, facts_text)
        out[c.key] = ColumnIssues(
            over=max(0, c.count - c.limit) if c.limit is not None else 0,
            numbers=tuple(numbers),
            names=tuple(names_not_in(c.text, facts_text, generic)),
        )
    return out


def refusals(row: ScenarioRow) -> list[str]:
    """Why ``row`` cannot go into the form's table (empty when it can): a
    column over its 字数 limit (the table's limit rule would fail), no
    所属环节, or no text at all. Numbers and names not in the notes are
    warned about on the page, not refused: the writer may know more than the
    notes say, and answers for it."""
    out = [
        f"「{c.title}」{c.count} 字，超出上限 {c.limit} 字 {c.count - c.limit} 字，请删减后再加入表格。"
        for c in row.columns
        if c.limit is not None and c.count > c.limit
    ]
    if not row.link and row.section is None:
        out.append("未确定所属环节：请在上方选择所属环节后重新起草。")
    if not any(c.text for c in row.columns):
        out.append("这一行各栏都是空的，没有可加入表格的内容。")
    return out
