"""A .docx body as plain structures in document order: paragraphs (text and
checkbox marks) and tables (a grid of cells, merged cells resolved once,
nested tables kept inside their cell).

Walks the WordprocessingML directly (lxml elements from python-docx) so that
every checkbox form is seen: glyph characters, ``w:sym`` symbol-font
characters, runs in Wingdings fonts, ``w14:checkbox`` content controls and
legacy ``FORMCHECKBOX`` fields. Content controls (``w:sdt``), ``w:ins``,
hyperlinks and smart tags are descended into; deleted text, field
instructions and drawings are skipped.

Locations: body paragraphs are "第N段" (every body paragraph counts, empty or
not); tables are numbered "表N" in document order (a nested table gets the
next number after its parent); cells are "表N 第R行第C列" (grid row and
column, 1-based).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingestion.drafts import glyphs
from ingestion.drafts.limits import check_text_length

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _q(tag: str, ns: str = W) -> str:
    return f"{{{ns}}}{tag}"


P, TBL, TR, TC, R, T, SYM, SDT, SDT_CONTENT, SDT_PR = (
    _q("p"),
    _q("tbl"),
    _q("tr"),
    _q("tc"),
    _q("r"),
    _q("t"),
    _q("sym"),
    _q("sdt"),
    _q("sdtContent"),
    _q("sdtPr"),
)
_CONTAINERS = {
    _q(t) for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")
}
_SKIP = {_q(t) for t in ("del", "moveFrom", "pPr", "rPr", "proofErr", "bookmarkStart", "bookmarkEnd")}


@dataclass(frozen=True)
class Mark:
    """A checkbox mark in the text flow."""

    kind: glyphs.MarkKind
    source: str  # "char", "sym", "font", "sdt", "formfield"


Token = str | Mark


@dataclass
class Para:
    """One paragraph: its tokens (text pieces and marks) and where it is."""

    tokens: list[Token]
    loc: str
    style: str = ""
    heading: int | None = None  # 0 for Title, 1.. for Heading N / outline level

    @property
    def text(self) -> str:
        """The text without marks."""
        return "".join(t for t in self.tokens if isinstance(t, str))

    @property
    def display(self) -> str:
        """The text with marks shown as □ ☑ √."""
        return "".join(t if isinstance(t, str) else glyphs.GLYPH_FOR[t.kind] for t in self.tokens)

    @property
    def has_marks(self) -> bool:
        """Whether the paragraph contains any checkbox mark."""
        return any(isinstance(t, Mark) for t in self.tokens)


@dataclass(eq=False)
class Cell:
    """One table cell on the grid. A vertically merged continuation cell is
    kept (``continued``) and points to the cell holding the content."""

    table: int
    row: int  # 0-based grid row
    col: int  # 0-based grid column where the cell starts
    span: int
    paras: list[Para] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    origin: Cell | None = None  # the top cell of a vertical merge, for continuations
    key: int = 0  # identity of the underlying <w:tc>, unique in the document (the origin's for continuations)

    @property
    def continued(self) -> bool:
        """Whether this is the second or later row of a vertical merge."""
        return self.origin is not None

    @property
    def content(self) -> Cell:
        """The cell holding the text (self, or the merge's top cell)."""
        return self.origin if self.origin is not None else self

    @property
    def text(self) -> str:
        """The content's text, paragraphs joined by newlines, stripped."""
        return "\n".join(p.text for p in self.content.paras).strip()

    @property
    def tokens(self) -> list[Token]:
        """The content's tokens, paragraphs separated by newlines."""
        out: list[Token] = []
        for i, p in enumerate(self.content.paras):
            if i:
                out.append("\n")
            out.extend(p.tokens)
        return out

    @property
    def loc(self) -> str:
        """Where the cell is, e.g. ``表2 第4行第2列``."""
        return f"表{self.table} 第{self.row + 1}行第{self.col + 1}列"

    def covers(self, col: int) -> bool:
        """Whether the cell spans grid column ``col``."""
        return self.col <= col < self.col + self.span


@dataclass(eq=False)
class Table:
    """A table: rows of unique cells (horizontal merges collapsed)."""

    number: int
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def loc(self) -> str:
        """``表N``."""
        return f"表{self.number}"

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell of row ``row`` covering grid column ``col``."""
        for c in self.rows[row]:
            if c.covers(col):
                return c
        return None


Block = Para | Table


class _Styles:
    """styleId → (name, outline level) from the styles part."""

    def __init__(self, document: Any) -> None:
        self.names: dict[str, str] = {}
        self.levels: dict[str, int] = {}
        try:
            styles = document.styles.element
        except Exception:  # a broken or missing styles part: no style names
            return
        for st in styles.iterchildren(_q("style")):
            sid = st.get(_q("styleId")) or ""
            name_el = st.find(_q("name"))
            name = name_el.get(_q("val")) if name_el is not None else sid
            self.names[sid] = name or sid
            lvl = st.find(f"{_q('pPr')}/{_q('outlineLvl')}")
            if lvl is not None and (lvl.get(_q("val")) or "").isdigit():
                self.levels[sid] = int(lvl.get(_q("val")) or 0)

    def heading(self, p: Any) -> tuple[str, int | None]:
        ppr = p.find(_q("pPr"))
        sid = ""
        level: int | None = None
        if ppr is not None:
            ps = ppr.find(_q("pStyle"))
            if ps is not None:
                sid = ps.get(_q("val")) or ""
            ol = ppr.find(_q("outlineLvl"))
            if ol is not None and (ol.get(_q("val")) or "").isdigit() and int(ol.get(_q("val")) or 9) < 9:
                level = int(ol.get(_q("val")) or 0) + 1
        name = self.names.get(sid, sid)
        low = name.lower().replace(" ", "")
        if level is None:
            for prefix in ("heading", "标题"):
                if low.startswith(prefix) and low[len(prefix) :].isdigit():
                    level = int(low[len(prefix) :])
            if low in ("title", "标题"):
                level = 0
            elif sid in self.levels and self.levels[sid] < 9:
                level = self.levels[sid] + 1
        return name, level


class _Walker:
    def __init__(self, document: Any) -> None:
        self.styles = _Styles(document)
        self.n_tables = 0
        self.n_paras = 0
        self.n_cells = 0

    # ---------------- blocks ----------------
    def body(self, body_el: Any) -> list[Block]:
        out: list[Block] = []
        for el in self._block_children(body_el):
            if el.tag == P:
                self.n_paras += 1
                out.append(self.para(el, f"第{self.n_paras}段"))
            elif el.tag == TBL:
                out.append(self.table(el))
        return out

    def _block_children(self, parent: Any) -> list[Any]:
        out: list[Any] = []
        for el in parent:
            if el.tag in (P, TBL):
                out.append(el)
            elif el.tag == SDT:
                content = el.find(SDT_CONTENT)
                if content is not None:
                    out.extend(self._block_children(content))
            elif el.tag == _q("customXml"):
                out.extend(self._block_children(el))
        return out

    # ---------------- tables ----------------
    def table(self, tbl: Any) -> Table:
        self.n_tables += 1
        table = Table(self.n_tables)
        above: dict[int, Cell] = {}  # grid col → cell of the previous row covering it
        for r, tr in enumerate(self._rows(tbl)):
            row: list[Cell] = []
            col = self._grid_before(tr)
            current: dict[int, Cell] = {}
            for tc in self._cells(tr):
                span = self._span(tc)
                self.n_cells += 1
                cell = Cell(table.number, r, col, span, key=self.n_cells)
                if self._vmerge(tc) == "continue" and col in above:
                    top = above[col].content
                    cell.origin = top
                    cell.key = top.key
                else:
                    self._fill_cell(cell, tc)
                row.append(cell)
                for c in range(col, col + span):
                    current[c] = cell
                col += span
            above = current
            table.rows.append(row)
        return table

    def _rows(self, tbl: Any) -> list[Any]:
        out: list[Any] = []
        for el in tbl:
            if el.tag == TR:
                out.append(el)
            elif el.tag in (SDT, _q("customXml")):
                inner = el.find(SDT_CONTENT) if el.tag == SDT else el
                if inner is not None:
                    out.extend(x for x in inner if x.tag == TR)
        return out

    def _cells(self, tr: Any) -> list[Any]:
        out: list[Any] = []
        for el in tr:
            if el.tag == TC:
                out.append(el)
            elif el.tag in (SDT, _q("customXml")):
                inner = el.find(SDT_CONTENT) if el.tag == SDT else el
                if inner is not None:
                    out.extend(x for x in inner if x.tag == TC)
        return out

    @staticmethod
    def _grid_before(tr: Any) -> int:
        el = tr.find(f"{_q('trPr')}/{_q('gridBefore')}")
        v = el.get(_q("val")) if el is not None else None
        return int(v) if v and v.isdigit() else 0

    @staticmethod
    def _span(tc: Any) -> int:
        el = tc.find(f"{_q('tcPr')}/{_q('gridSpan')}")
        v = el.get(_q("val")) if el is not None else None
        return max(1, int(v)) if v and v.isdigit() else 1

    @staticmethod
    def _vmerge(tc: Any) -> str | None:
        el = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
        if el is None:
            return None
        return el.get(_q("val")) or "continue"

    def _fill_cell(self, cell: Cell, tc: Any) -> None:
        length = 0
        for el in self._block_children(tc):
            if el.tag == P:
                para = self.para(el, cell.loc)
                cell.paras.append(para)
                length += sum(len(t) for t in para.tokens if isinstance(t, str))
                check_text_length(length, f"单元格（{cell.loc}）")
            elif el.tag == TBL:
                cell.tables.append(self.table(el))

    # ---------------- paragraphs ----------------
    def para(self, p: Any, loc: str) -> Para:
        style, level = self.styles.heading(p)
        tokens: list[Token] = []
        self._inline(p, tokens)
        merged = _merge_text(tokens)
        check_text_length(sum(len(t) for t in merged if isinstance(t, str)), f"段落（{loc}）")
        return Para(merged, loc, style, level)

    def _inline(self, parent: Any, out: list[Token]) -> None:
        for el in parent:
            tag = el.tag
            if tag == R:
                self._run(el, out)
            elif tag == SDT:
                box = _sdt_checkbox(el)
                if box is not None:
                    out.append(Mark("ticked" if box else "empty", "sdt"))
                    continue
                content = el.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, out)
            elif tag in _CONTAINERS:
                self._inline(el, out)
            # everything else (deleted text, bookmarks, math, properties) is skipped

    def _run(self, r: Any, out: list[Token]) -> None:
        fonts = _run_fonts(r)
        table = next((t for t in (glyphs.symbol_font(f) for f in fonts) if t is not None), None)
        symbolic = any(glyphs.is_symbol_font(f) for f in fonts)
        for el in r:
            tag = el.tag
            if tag == T:
                text = el.text or ""
                if table is not None or symbolic:
                    for ch in text:
                        if ord(ch) >= 0x2E80 and not 0xF000 <= ord(ch) <= 0xF0FF:
                            out.append(ch)  # CJK text in the run's east-Asian font
                            continue
                        kind = glyphs.mark_of_symbol(table, ch) if table is not None else None
                        if kind is not None:
                            out.append(Mark(kind, "font"))
                        # other symbol-font characters are decoration, not text
                else:
                    for ch in text:
                        kind = glyphs.mark_of_char(ch)
                        out.append(Mark(kind, "char") if kind is not None else ch)
            elif tag == SYM:
                kind = _sym_mark(el)
                if kind is not None:
                    out.append(Mark(kind, "sym"))
            elif tag == _q("tab"):
                out.append(" ")
            elif tag in (_q("br"), _q("cr")):
                out.append("\n")
            elif tag == _q("noBreakHyphen"):
                out.append("-")
            elif tag == _q("fldChar"):
                box = _formfield_checkbox(el)
                if box is not None:
                    out.append(Mark("ticked" if box else "empty", "formfield"))


def _run_fonts(r: Any) -> list[str]:
    rfonts = r.find(f"{_q('rPr')}/{_q('rFonts')}")
    if rfonts is None:
        return []
    return [v for v in (rfonts.get(_q("ascii")), rfonts.get(_q("hAnsi"))) if v]


def _sym_mark(sym: Any) -> glyphs.MarkKind | None:
    font = sym.get(_q("font"))
    raw = sym.get(_q("char")) or ""
    try:
        code = int(raw, 16)
    except ValueError:
        return None
    table = glyphs.symbol_font(font)
    if table is not None:
        return table.get(code - 0xF000 if code >= 0xF000 else code)
    if code >= 0xF000 or glyphs.is_symbol_font(font):
        return None
    return glyphs.mark_of_char(chr(code))


def _sdt_checkbox(sdt: Any) -> bool | None:
    """True/False for a ``w14:checkbox`` content control, None for other controls."""
    pr = sdt.find(SDT_PR)
    if pr is None:
        return None
    cb = pr.find(_q("checkbox", W14))
    if cb is None:
        return None
    checked = cb.find(_q("checked", W14))
    if checked is None:
        return False
    return (checked.get(_q("val", W14)) or "1").lower() in ("1", "true", "on")


def _formfield_checkbox(fld: Any) -> bool | None:
    """True/False for the begin mark of a legacy FORMCHECKBOX field, else None."""
    if fld.get(_q("fldCharType")) != "begin":
        return None
    cb = fld.find(f"{_q('ffData')}/{_q('checkBox')}")
    if cb is None:
        return None
    checked = cb.find(_q("checked"))
    if checked is not None:
        return (checked.get(_q("val")) or "1").lower() in ("1", "true", "on")
    default = cb.find(_q("default"))
    return default is not None and (default.get(_q("val")) or "0").lower() in ("1", "true", "on")


def _merge_text(tokens: list[Token]) -> list[Token]:
    """Adjacent text tokens joined into one string, marks kept between them.
    Linear in the text's length: pieces are collected and joined once (adding
    one run or character at a time to a string was quadratic on long cells)."""
    out: list[Token] = []
    pending: list[str] = []
    for t in tokens:
        if isinstance(t, str):
            pending.append(t)
            continue
        if pending:
            out.append("".join(pending))
            pending = []
        out.append(t)
    if pending:
        out.append("".join(pending))
    return out


def walk(document: Any) -> list[Block]:
    """The body of a python-docx ``Document`` as paragraphs and tables in order."""
    return _Walker(document).body(document.element.body)


def iter_tables(blocks: list[Block]) -> list[Table]:
    """Every table, nested ones included, in document order."""
    out: list[Table] = []

    def visit(t: Table) -> None:
        out.append(t)
        for row in t.rows:
            for c in row:
                if not c.continued:
                    for inner in c.tables:
                        visit(inner)

    for b in blocks:
        if isinstance(b, Table):
            visit(b)
    return out


def iter_paras(blocks: list[Block]) -> list[Para]:
    """Every paragraph (body and cells, nested tables included) in document order."""
    out: list[Para] = []

    def visit_table(t: Table) -> None:
        for row in t.rows:
            for c in row:
                if c.continued:
                    continue
                out.extend(c.paras)
                for inner in c.tables:
                    visit_table(inner)

    for b in blocks:
        if isinstance(b, Para):
            out.append(b)
        else:
            visit_table(b)
    return out
