"""Checkbox glyphs as they occur in real Word forms.

Three kinds of mark:

- ``empty``  — an unticked box;
- ``ticked`` — a box with a tick, a cross or filled in;
- ``tick``   — a bare check mark (√ ✓ ✔) written instead of a box or after
  the option's label.

Unicode characters (any font):

=========  ==============================================================
kind       characters
=========  ==============================================================
empty      □ U+25A1, ☐ U+2610, ▢ U+25A2, ◻ U+25FB, ⬜ U+2B1C
ticked     ☑ U+2611, ☒ U+2612, ■ U+25A0, ◼ U+25FC, ⬛ U+2B1B, ▣ U+25A3,
           ⊠ U+22A0, ⌧ U+2327, 🗹 U+1F5F9, 🗷 U+1F5F7, 🗵 U+1F5F5
tick       √ U+221A, ✓ U+2713, ✔ U+2714, 🗸 U+1F5F8
=========  ==============================================================

Symbol fonts: Word stores these either as ``<w:sym w:font=".." w:char="F0FE"/>``
(the code is taken modulo 0xF000) or as a run whose ``w:rFonts`` ascii/hAnsi
font is the symbol font, with the character (``þ``, ``R`` ...) or its
private-use form (U+F0FE, U+F052) as text.

==============  ======  =====  ==========================================
font            code    char   glyph → kind
==============  ======  =====  ==========================================
Wingdings       0xFE    þ      ☑ box with check → ticked
Wingdings       0xFD    ý      ☒ box with x → ticked
Wingdings       0x78    x      ⌧ x in a box → ticked
Wingdings       0x6E    n      ■ black square → ticked
Wingdings       0xFC    ü      ✓ check mark → tick
Wingdings       0xA8    ¨      ◻ white medium square → empty
Wingdings       0x6F    o      □ white square → empty
Wingdings       0x70    p      bold white square → empty
Wingdings       0x71    q      ❑ shadowed white square → empty
Wingdings       0x72    r      ❒ shadowed white square → empty
Wingdings 2     0x52    R      ☑ box with check → ticked
Wingdings 2     0x53    S      ☒ box with x → ticked
Wingdings 2     0x54    T      ☒ box with bold x → ticked
Wingdings 2     0x51    Q      🗵 box with script x → ticked
Wingdings 2     0xA0    (nbsp) ■ black square → ticked
Wingdings 2     0xA1    ¡      ◼ black medium square → ticked
Wingdings 2     0xA2    ¢      ⬛ black large square → ticked
Wingdings 2     0xA3    £      ⬜ white large square → empty
Wingdings 2     0x50    P      ✓ check mark → tick
==============  ======  =====  ==========================================

Bare crosses (✗, Wingdings 0xFB, Wingdings 2 0x4F) are *not* marks: a cross
alone may mean "no" and is left as text.
"""

from __future__ import annotations

from typing import Literal

MarkKind = Literal["empty", "ticked", "tick"]

UNICODE_MARKS: dict[str, MarkKind] = {
    **dict.fromkeys("□☐▢◻⬜", "empty"),
    **dict.fromkeys("☑☒■◼⬛▣⊠⌧\U0001f5f9\U0001f5f7\U0001f5f5", "ticked"),
    **dict.fromkeys("√✓✔\U0001f5f8", "tick"),
}

WINGDINGS: dict[int, MarkKind] = {
    0xFE: "ticked",
    0xFD: "ticked",
    0x78: "ticked",
    0x6E: "ticked",
    0xFC: "tick",
    0xA8: "empty",
    0x6F: "empty",
    0x70: "empty",
    0x71: "empty",
    0x72: "empty",
}

WINGDINGS_2: dict[int, MarkKind] = {
    0x52: "ticked",
    0x53: "ticked",
    0x54: "ticked",
    0x51: "ticked",
    0xA0: "ticked",
    0xA1: "ticked",
    0xA2: "ticked",
    0xA3: "empty",
    0x50: "tick",
}


def symbol_font(name: str | None) -> dict[int, MarkKind] | None:
    """The glyph table of a symbol font name (``Wingdings``, ``Wingdings 2``), else None."""
    if not name:
        return None
    key = "".join(name.split()).lower()
    if key == "wingdings":
        return WINGDINGS
    if key == "wingdings2":
        return WINGDINGS_2
    return None


def is_symbol_font(name: str | None) -> bool:
    """Whether text in this font is symbol codes rather than letters (Wingdings 1-3, Webdings, Symbol)."""
    if not name:
        return False
    key = "".join(name.split()).lower()
    return key.startswith(("wingdings", "webdings"))


def symbol_code(ch: str) -> int:
    """The font code of a symbol character: private-use U+F0xx → 0xxx."""
    code = ord(ch)
    return code - 0xF000 if 0xF000 <= code <= 0xF0FF else code


def mark_of_symbol(table: dict[int, MarkKind], ch: str) -> MarkKind | None:
    """The mark a character in a symbol font stands for, if any."""
    code = symbol_code(ch)
    return table.get(code) if code <= 0xFF else None


def mark_of_char(ch: str) -> MarkKind | None:
    """The mark a Unicode character (in an ordinary font) stands for, if any.

    A private-use character U+F0xx whose symbol font was lost is read with
    Wingdings 2 codes for its box letters (P R S T Q £) and Wingdings codes
    otherwise (þ ý ¨ o x ü)."""
    if 0xF000 <= ord(ch) <= 0xF0FF:
        code = ord(ch) - 0xF000
        return WINGDINGS_2.get(code) if code in (0x50, 0x51, 0x52, 0x53, 0x54, 0xA3) else WINGDINGS.get(code)
    return UNICODE_MARKS.get(ch)


GLYPH_FOR: dict[MarkKind, str] = {"empty": "□", "ticked": "☑", "tick": "√"}
