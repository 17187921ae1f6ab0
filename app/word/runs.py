"""Edits inside WordprocessingML that keep the layout: a cell's or a
paragraph's text replaced in the formatting of its first run, a span of a
paragraph replaced inside the runs it covers, a paragraph inserted after
another in the same paragraph format, and checkbox marks ticked or cleared
in the form they are printed in (a glyph character, a ``w:sym`` symbol, a
Wingdings run, a ``w14:checkbox`` content control or a legacy form-field
checkbox). Table properties, cell properties (merges, widths, borders) and
paragraph properties are never touched."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

from ingestion.drafts import glyphs
from ingestion.drafts.docx_blocks import W14, W

_RUN_CONTAINERS = ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")


def q(tag: str, ns: str = W) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{{{ns}}}{tag}"


# ----------------------------------------------------------------- text


def _first_rpr(p: Any) -> Any | None:
    for r in p.iter(q("r")):
        rpr = r.find(q("rPr"))
        if rpr is not None:
            return rpr
    ppr = p.find(q("pPr"))
    mark = ppr.find(q("rPr")) if ppr is not None else None
    return mark


def _clean_rpr(rpr: Any | None) -> Any | None:
    """A run format for new text: the given one without symbol fonts."""
    if rpr is None:
        return None
    out = copy.deepcopy(rpr)
    fonts = out.find(q("rFonts"))
    if fonts is not None and any(
        glyphs.is_symbol_font(fonts.get(q(a))) for a in ("ascii", "hAnsi", "eastAsia", "cs")
    ):
        out.remove(fonts)
    for tag in ("del", "ins"):  # revision marks of a paragraph mark are not text formats
        el = out.find(q(tag))
        if el is not None:
            out.remove(el)
    return out


def new_run(text: str, rpr: Any | None) -> Any:
    """A ``w:r`` holding ``text`` in format ``rpr`` (copied)."""
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    fmt = _clean_rpr(rpr)
    if fmt is not None:
        r.append(fmt)
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def _clear_paragraph(p: Any) -> None:
    for child in list(p):
        if child.tag != q("pPr"):
            p.remove(child)


def set_paragraph_text(p: Any, text: str) -> None:
    """Replace a paragraph's content with ``text`` in the format of its first run."""
    rpr = _first_rpr(p)
    _clear_paragraph(p)
    if text:
        p.append(new_run(text, rpr))


def insert_paragraph_after(p: Any, text: str, like: Any | None = None) -> Any:
    """A new paragraph after ``p`` holding ``text``, formatted like ``like`` (default ``p``)."""
    model = like if like is not None else p
    new = copy.deepcopy(model)
    set_paragraph_text(new, text)
    p.addnext(new)
    return new


def set_lines(p: Any, text: str) -> Any:
    """``text`` into paragraph ``p``, one paragraph per line (the extra lines
    follow ``p`` in its format); returns the last paragraph written."""
    lines = text.split("\n")
    set_paragraph_text(p, lines[0])
    last = p
    for line in lines[1:]:
        last = insert_paragraph_after(last, line, like=p)
    return last


def set_cell_text(tc: Any, text: str) -> None:
    """Replace a cell's paragraphs with ``text`` (one paragraph per line), in
    the format of the cell's first paragraph and run; nested tables and cell
    properties stay."""
    paras = [el for el in tc if el.tag == q("p")]
    if not paras:
        from docx.oxml import OxmlElement

        p = OxmlElement("w:p")
        tc.append(p)
        paras = [p]
    first = paras[0]
    for extra in paras[1:]:
        tc.remove(extra)
    set_lines(first, text)


# ----------------------------------------------------------------- spans


@dataclass
class _Piece:
    element: Any  # a w:t
    start: int  # offset of its first character in the paragraph text


def paragraph_text(p: Any) -> tuple[str, list[_Piece]]:
    """The paragraph's ``w:t`` texts joined (deleted text is ``w:delText`` and
    not included), with the offset of each."""
    pieces: list[_Piece] = []
    parts: list[str] = []
    n = 0
    for t in p.iter(q("t")):
        if any(a.tag in (q("del"), q("moveFrom")) for a in t.iterancestors()):
            continue
        text = t.text or ""
        pieces.append(_Piece(t, n))
        parts.append(text)
        n += len(text)
    return "".join(parts), pieces


def replace_span(p: Any, start: int, end: int, text: str) -> None:
    """Replace characters ``start:end`` of :func:`paragraph_text` with ``text``:
    the new text goes into the run holding ``start`` (or the run before it),
    the covered characters of later runs are removed."""
    _, pieces = paragraph_text(p)
    placed = False
    for piece in pieces:
        old = piece.element.text or ""
        a, b = piece.start, piece.start + len(old)
        lo, hi = max(start, a), min(end, b)
        if not placed and (a <= start < b or (start == end == b) or (start == b and start == end)):
            piece.element.text = old[: start - a] + text + old[max(hi, start) - a :]
            piece.element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            placed = True
        elif lo < hi:
            piece.element.text = old[: lo - a] + old[hi - a :]
    if not placed:
        rpr = _first_rpr(p)
        p.append(new_run(text, rpr))


# ----------------------------------------------------------------- checkboxes


@dataclass
class Box:
    """A checkbox mark in a paragraph or cell and how it is printed."""

    kind: glyphs.MarkKind
    source: str  # char, font, sym, sdt, formfield
    element: Any  # the w:t, w:sym, w:sdt or w:fldChar
    index: int = 0  # the character's index in its w:t
    font: dict[int, glyphs.MarkKind] | None = None


@dataclass
class Atom:
    """One step of a container's text flow: a character or a box."""

    char: str = ""
    box: Box | None = None


def _fonts(r: Any) -> list[str]:
    rf = r.find(f"{q('rPr')}/{q('rFonts')}")
    if rf is None:
        return []
    return [v for v in (rf.get(q("ascii")), rf.get(q("hAnsi"))) if v]


def _sdt_box(sdt: Any) -> bool | None:
    pr = sdt.find(q("sdtPr"))
    cb = pr.find(q("checkbox", W14)) if pr is not None else None
    if cb is None:
        return None
    checked = cb.find(q("checked", W14))
    return checked is not None and (checked.get(q("val", W14)) or "1").lower() in ("1", "true", "on")


def _formfield_box(fld: Any) -> bool | None:
    if fld.get(q("fldCharType")) != "begin":
        return None
    cb = fld.find(f"{q('ffData')}/{q('checkBox')}")
    if cb is None:
        return None
    checked = cb.find(q("checked"))
    if checked is not None:
        return (checked.get(q("val")) or "1").lower() in ("1", "true", "on")
    default = cb.find(q("default"))
    return default is not None and (default.get(q("val")) or "0").lower() in ("1", "true", "on")


def _sym_box(sym: Any) -> Box | None:
    font = sym.get(q("font"))
    try:
        code = int(sym.get(q("char")) or "", 16)
    except ValueError:
        return None
    table = glyphs.symbol_font(font)
    if table is not None:
        kind = table.get(code - 0xF000 if code >= 0xF000 else code)
        return Box(kind, "sym", sym, font=table) if kind else None
    if code >= 0xF000 or glyphs.is_symbol_font(font):
        return None
    kind = glyphs.mark_of_char(chr(code))
    return Box(kind, "sym", sym) if kind else None


def _run_atoms(r: Any, out: list[Atom]) -> None:
    fonts = _fonts(r)
    table = next((t for t in (glyphs.symbol_font(f) for f in fonts) if t is not None), None)
    symbolic = any(glyphs.is_symbol_font(f) for f in fonts)
    for el in r:
        if el.tag == q("t"):
            for i, ch in enumerate(el.text or ""):
                if table is not None or symbolic:
                    if ord(ch) >= 0x2E80 and not 0xF000 <= ord(ch) <= 0xF0FF:
                        out.append(Atom(ch))
                        continue
                    kind = glyphs.mark_of_symbol(table, ch) if table is not None else None
                    if kind is not None:
                        out.append(Atom(box=Box(kind, "font", el, i, table)))
                else:
                    kind = glyphs.mark_of_char(ch)
                    out.append(Atom(box=Box(kind, "char", el, i)) if kind else Atom(ch))
        elif el.tag == q("sym"):
            box = _sym_box(el)
            if box is not None:
                out.append(Atom(box=box))
        elif el.tag == q("tab"):
            out.append(Atom(" "))
        elif el.tag in (q("br"), q("cr")):
            out.append(Atom("\n"))
        elif el.tag == q("fldChar"):
            ticked = _formfield_box(el)
            if ticked is not None:
                out.append(Atom(box=Box("ticked" if ticked else "empty", "formfield", el)))


def _inline_atoms(parent: Any, out: list[Atom]) -> None:
    for el in parent:
        if el.tag == q("r"):
            _run_atoms(el, out)
        elif el.tag == q("sdt"):
            ticked = _sdt_box(el)
            if ticked is not None:
                out.append(Atom(box=Box("ticked" if ticked else "empty", "sdt", el)))
                continue
            content = el.find(q("sdtContent"))
            if content is not None:
                _inline_atoms(content, out)
        elif el.tag in {q(t) for t in _RUN_CONTAINERS}:
            _inline_atoms(el, out)


def atoms(container: Any) -> list[Atom]:
    """The text flow of a paragraph (``w:p``) or a cell (``w:tc``, paragraphs
    separated by new lines) with its checkbox marks."""
    out: list[Atom] = []
    paras = [container] if container.tag == q("p") else list(container.iter(q("p")))
    for i, p in enumerate(paras):
        if i:
            out.append(Atom("\n"))
        _inline_atoms(p, out)
    return out


@dataclass
class BoxOption:
    """A box and the label printed after it (up to the next mark or line end)."""

    box: Box
    label: str


def box_options(container: Any) -> list[BoxOption]:
    """The boxed options of a paragraph or cell. Bare check marks (√) are
    not boxes: an option ticked with one is not offered for editing."""
    out: list[BoxOption] = []
    cur: BoxOption | None = None
    for a in atoms(container):
        if a.box is not None:
            cur = BoxOption(a.box, "") if a.box.kind != "tick" else None
            if cur is not None:
                out.append(cur)
        elif cur is not None:
            if a.char == "\n":
                cur = None
            else:
                cur.label += a.char
    return out


_TICK_FOR = {"□": "☑", "☐": "☑", "▢": "☑", "◻": "☑", "⬜": "☑"}
_EMPTY_FOR = {"☑": "□", "☒": "□", "■": "□", "◼": "□", "⬛": "□", "▣": "□", "⊠": "□", "⌧": "□"}


def _font_code(table: dict[int, glyphs.MarkKind], ticked: bool) -> int:
    if table is glyphs.WINGDINGS_2:
        return 0x52 if ticked else 0xA3
    return 0xFE if ticked else 0xA8


def set_box(box: Box, ticked: bool) -> None:
    """Tick or clear a box in the form it is printed in."""
    if (box.kind != "empty") == ticked:
        return
    if box.source in ("char", "font"):
        text = box.element.text or ""
        ch = text[box.index]
        if box.source == "char" and not 0xF000 <= ord(ch) <= 0xF0FF:
            new = (_TICK_FOR if ticked else _EMPTY_FOR).get(ch, "☑" if ticked else "□")
        else:
            table = box.font or (
                glyphs.WINGDINGS_2 if glyphs.symbol_code(ch) in glyphs.WINGDINGS_2 else glyphs.WINGDINGS
            )
            code = _font_code(table, ticked)
            new = chr(0xF000 + code) if 0xF000 <= ord(ch) <= 0xF0FF else chr(code)
        box.element.text = text[: box.index] + new + text[box.index + 1 :]
    elif box.source == "sym":
        raw = box.element.get(q("char")) or ""
        if box.font is not None:
            code = _font_code(box.font, ticked)
            prefix = 0xF000 if raw.upper().startswith("F0") else 0
            box.element.set(q("char"), f"{prefix + code:04X}")
        else:
            box.element.set(q("char"), f"{ord('☑' if ticked else '□'):04X}")
    elif box.source == "sdt":
        _set_sdt(box.element, ticked)
    elif box.source == "formfield":
        cb = box.element.find(f"{q('ffData')}/{q('checkBox')}")
        checked = cb.find(q("checked"))
        if checked is None:
            from docx.oxml import OxmlElement

            checked = OxmlElement("w:checked")
            cb.append(checked)
        checked.set(q("val"), "1" if ticked else "0")
    box.kind = "ticked" if ticked else "empty"


def _set_sdt(sdt: Any, ticked: bool) -> None:
    pr = sdt.find(q("sdtPr"))
    cb = pr.find(q("checkbox", W14))
    checked = cb.find(q("checked", W14))
    if checked is None:
        checked = cb.makeelement(q("checked", W14), {})
        cb.insert(0, checked)
    checked.set(q("val", W14), "1" if ticked else "0")
    state = cb.find(q("checkedState" if ticked else "uncheckedState", W14))
    glyph = "☒" if ticked else "☐"
    if state is not None and state.get(q("val", W14)):
        with contextlib.suppress(ValueError):
            glyph = chr(int(state.get(q("val", W14)) or "", 16))
    content = sdt.find(q("sdtContent"))
    if content is not None:
        ts = list(content.iter(q("t")))
        if ts:
            ts[0].text = glyph
            for t in ts[1:]:
                t.text = ""
