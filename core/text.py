"""字数 as Microsoft Word counts it for Chinese documents — the one place it is computed.

Word's 字数 (word count with East Asian text) is the number of East Asian
characters (CJK ideographs, kana, hangul, full-width forms and CJK
punctuation, each counted as one) plus the number of runs of other
non-space characters (a Latin word, a number such as 2,000.5 or a URL is one).
Spaces never count — the ideographic (full-width) space U+3000 included. 字符数（不计空格） is every non-space character.
"""

from __future__ import annotations

import re
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
