"""Where a location string points in a .docx: the paragraph, cell or table row
behind ``第16段``, ``表1 第4行第2列``, ``表4 第2行`` or ``表3``.

The reader (:mod:`ingestion.drafts.docx_blocks`) numbers paragraphs and tables
while it walks the document; :class:`Locator` walks the same document with the
same walker (a subclass that only records the elements it passes), so the
numbers here and in a finding's location cannot disagree. A location may carry
a suffix after ``" · "`` (a passage's column title); only the part before it
is resolved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingestion.drafts.docx_blocks import Cell, P, Table, _Walker

_LOC_RE = re.compile(r"^(?:第(?P<para>\d+)段|表(?P<table>\d+)(?: 第(?P<row>\d+)行(?:第(?P<col>\d+)列)?)?)$")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Target:
    """What a location resolved to: the ``w:p`` elements a comment spans (first
    to last, in document order) and, for a row, its cells' elements."""

    kind: str  # "paragraph" | "cell" | "row" | "table"
    paragraphs: list[Any]
    cells: list[Any] = field(default_factory=list)


class _Recorder(_Walker):
    """The reader's walker, recording the elements behind each location."""

    def __init__(self, document: Any) -> None:
        super().__init__(document)
        self.body_paras: list[Any] = []
        self.tables: dict[int, Any] = {}
        self.rows: dict[int, list[Any]] = {}
        self.cells: dict[str, Any] = {}

    def para(self, p: Any, loc: str) -> Any:
        if loc == f"第{self.n_paras}段" and len(self.body_paras) < self.n_paras:
            self.body_paras.append(p)
        return super().para(p, loc)

    def table(self, tbl: Any) -> Table:
        self.tables[self.n_tables + 1] = tbl
        return super().table(tbl)

    def _rows(self, tbl: Any) -> list[Any]:
        rows = super()._rows(tbl)
        if self.tables.get(self.n_tables) is tbl:
            self.rows[self.n_tables] = rows
        return rows

    def _fill_cell(self, cell: Cell, tc: Any) -> None:
        self.cells.setdefault(cell.loc, tc)
        super()._fill_cell(cell, tc)


class Locator:
    """Resolves location strings in one python-docx ``Document``."""

    def __init__(self, document: Any) -> None:
        self.document = document
        rec = _Recorder(document)
        rec.body(document.element.body)
        self._rec = rec

    def first_paragraph(self) -> Any | None:
        """The document's first body paragraph (where unlocated findings go)."""
        if self._rec.body_paras:
            return self._rec.body_paras[0]
        return next(iter(self.document.element.body.iter(_w("p"))), None)

    def body_paragraphs_from(self, p: Any) -> list[Any]:
        """The body paragraphs from ``p`` on (``[p]`` when ``p`` is not a body paragraph)."""
        paras = self._rec.body_paras
        for i, q in enumerate(paras):
            if q is p:
                return paras[i:]
        return [p]

    def resolve(self, location: str | None) -> Target | None:
        """The element(s) a location names, or ``None`` when it names nothing in this document."""
        if not location:
            return None
        head = location.split(" · ", 1)[0].strip()
        m = _LOC_RE.match(head)
        if m is None:
            return None
        if m["para"]:
            n = int(m["para"])
            if 1 <= n <= len(self._rec.body_paras):
                return Target("paragraph", [self._rec.body_paras[n - 1]])
            return None
        t = int(m["table"])
        if m["col"]:
            tc = self._rec.cells.get(head)
            return Target("cell", _paras_of(tc), [tc]) if tc is not None else None
        rows = self._rec.rows.get(t)
        if not rows:
            return None
        if m["row"]:
            r = int(m["row"])
            if not 1 <= r <= len(rows):
                return None
            tcs = self._rec._cells(rows[r - 1])
            return Target("row", _span(tcs), tcs)
        tcs = self._rec._cells(rows[0])
        return Target("table", _span(tcs), tcs)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _paras_of(tc: Any) -> list[Any]:
    return [el for el in tc.iter(P)]


def _span(tcs: list[Any]) -> list[Any]:
    """The paragraphs of a row's cells, first to last (nested tables' included)."""
    out: list[Any] = []
    for tc in tcs:
        out.extend(_paras_of(tc))
    return out
