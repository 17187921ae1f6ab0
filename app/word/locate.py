"""Where the reader's locations are in a Word document: the same walk as
:func:`ingestion.drafts.docx_blocks.walk`, keeping for every paragraph and
cell the WordprocessingML element it was read from, so that a location the
reader recorded ("第5段", "表2 第4行第2列") leads back to the element to edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingestion.drafts.docx_blocks import Block, Cell, Para, _Walker, iter_tables


class _LocatingWalker(_Walker):
    """The reader's walker, remembering the element behind each paragraph and cell."""

    def __init__(self, document: Any) -> None:
        super().__init__(document)
        self.para_els: dict[int, Any] = {}
        self.cell_els: dict[int, Any] = {}

    def para(self, p: Any, loc: str) -> Para:
        out = super().para(p, loc)
        self.para_els[id(out)] = p
        return out

    def _fill_cell(self, cell: Cell, tc: Any) -> None:
        self.cell_els[id(cell)] = tc
        super()._fill_cell(cell, tc)


@dataclass
class Target:
    """What a location names: a body paragraph or a table cell, with its element."""

    kind: str  # "para" or "cell"
    element: Any  # w:p or w:tc
    para: Para | None = None
    cell: Cell | None = None


@dataclass
class Located:
    """A walked document: the reader's blocks and the element of every location."""

    blocks: list[Block]
    targets: dict[str, Target] = field(default_factory=dict)
    body: list[tuple[Para, Any]] = field(default_factory=list)
    """Body paragraphs in order with their elements."""

    def at(self, loc: str | None) -> Target | None:
        """The paragraph or cell at a reader's location, if there is one."""
        return self.targets.get(loc or "")


def locate(document: Any) -> Located:
    """Walk a python-docx ``Document`` as the reader does, keeping elements."""
    walker = _LocatingWalker(document)
    blocks = walker.body(document.element.body)
    out = Located(blocks)
    for b in blocks:
        if isinstance(b, Para):
            el = walker.para_els[id(b)]
            out.body.append((b, el))
            out.targets[b.loc] = Target("para", el, para=b)
    for t in iter_tables(blocks):
        for row in t.rows:
            for c in row:
                if not c.continued and id(c) in walker.cell_els:
                    out.targets.setdefault(c.loc, Target("cell", walker.cell_els[id(c)], cell=c))
    return out
