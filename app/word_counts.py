"""字数 of the texts a programme limits: every section with a ``char_limit``
rule and every cell of a column with a ``table_char_limits`` rule, counted as
Word counts them (:func:`core.text.measure`)."""

from __future__ import annotations

from dataclasses import dataclass

from core.draft import Draft
from core.spec import CharLimit, ProgrammeSpec, TableCharLimits
from core.text import TextCount, measure


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
