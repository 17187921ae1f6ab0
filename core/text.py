"""字数 as Microsoft Word counts it for Chinese documents — the one place it is computed.

Word's 字数 (word count with East Asian text) is the number of East Asian
characters (CJK ideographs, kana, hangul, full-width forms and CJK
punctuation, each counted as one) plus the number of runs of other
non-space characters (a Latin word, a number such as 2,000.5 or a URL is one).
Spaces never count — the ideographic (full-width) space U+3000 included. 字符数（不计空格） is every non-space character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# East Asian characters that Word counts one by one.
_ASIAN = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi
    "\u2ff0-\u2fff\u3001-\u303f"  # ideographic description, CJK symbols and punctuation (not U+3000)
    "\u3040-\u31ff"  # kana, bopomofo, hangul compat, kanbun, CJK strokes
    "\u3200-\u4dbf"  # enclosed CJK, compatibility, ext A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f\uac00-\ud7ff"  # hangul
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe10-\ufe1f\ufe30-\ufe4f"  # vertical forms, CJK compatibility forms
    "\uff00-\uffef"  # half-width and full-width forms
    "\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u2025\u00b7\u2027"  # — ― ‘ ’ “ ” … ‥ · ‧ in Chinese text
    "\U00020000-\U0003134f"  # CJK ext B..G
)
_ASIAN_RE = re.compile(f"[{_ASIAN}]")
_OTHER_RUN_RE = re.compile(f"[^\\s{_ASIAN}]+")
_SPACE_RE = re.compile(r"\s")


@dataclass(frozen=True)
class TextCount:
    """字数 (Word) and 字符数 (no spaces) of a text."""

    zishu: int
    chars_no_spaces: int

    def describe(self) -> str:
        """``1046 字（字符数 1050）`` for messages and the UI."""
        return f"{self.zishu} 字（字符数 {self.chars_no_spaces}）"


def count_zishu(text: str) -> int:
    """Word-compatible 字数 of ``text``."""
    if not text:
        return 0
    return len(_ASIAN_RE.findall(text)) + len(_OTHER_RUN_RE.findall(text))


def count_chars_no_spaces(text: str) -> int:
    """字符数（不计空格）: every character that is not whitespace."""
    return len(_SPACE_RE.sub("", text or ""))


def measure(text: str) -> TextCount:
    """Both counts at once."""
    return TextCount(count_zishu(text), count_chars_no_spaces(text))


def truncate_to_zishu(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose 字数 is ≤ ``limit`` (cuts between tokens)."""
    if count_zishu(text) <= limit:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_zishu(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    # do not end inside a Latin/number run: back off to the run's start
    cut = lo
    while 0 < cut < len(text) and _OTHER_RUN_RE.match(text[cut - 1]) and _OTHER_RUN_RE.match(text[cut]):
        cut -= 1
    return text[:cut]


# Invisible characters that change no glyph but defeat comparisons: the format
# characters of Unicode (category Cf: zero-width space/joiners, bidi controls
# LRM/RLM/LRE…PDI, word joiner, soft hyphen, BOM, tag characters) and the
# variation selectors.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def strip_invisible(text: str) -> str:
    """``text`` without invisible characters (zero-width, bidi controls, soft
    hyphen, BOM, tag characters, variation selectors). Word does not count
    them, so 字数 is unchanged; free text (sections, table cells) gets only this."""
    if text.isascii():
        return text
    return _INVISIBLE_RE.sub("", text)


def normalise_value(text: str) -> str:
    """A value as rules compare it: invisible characters removed, then NFKC
    (full-width letters and digits to ASCII, compatibility forms folded:
    "Ｃ\u200b" → "C"). Not for free text whose 字数 is counted: NFKC turns
    full-width punctuation, which Word counts one by one, into ASCII."""
    if text.isascii():
        return text
    t = _INVISIBLE_RE.sub("", text)
    return t if unicodedata.is_normalized("NFKC", t) else unicodedata.normalize("NFKC", t)
