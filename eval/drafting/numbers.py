"""An independent check that every number a drafted row writes occurs in the
facts (written here, not taken from :mod:`core.numbers` or the drafter's own
guarantee, so that a bug there does not hide itself).

A number in the output is an Arabic number (full-width folded, ``1,200`` read as
1200, decimals kept), a run of Chinese numerals with the measure word after it
(``三成``, ``两次``), ``百分之…`` or a fraction ``…分之…``. It is *in the facts* when the same text occurs
there, or the facts hold a number of the same value (Arabic or Chinese). The
check is conservative: a unit conversion (``三成`` written as ``30%``) counts
as a number not in the facts.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CN = "零〇一二两三四五六七八九十百千万亿"
_MEASURE = "%个人台次天年月日倍成分秒时元吨项条套家名批级周番度米件"
_CN_NUMBER = re.compile(rf"百分之[{_CN}]+|[{_CN}]+分之[{_CN}]+|[{_CN}]+[{_MEASURE}]")
_CN_RUN = re.compile(rf"[{_CN}]+")
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}


def cn_value(run: str) -> float:
    """The value of a run of Chinese numerals (一千二百 → 1200, 两万 → 20000)."""
    total = section = digit = 0
    for ch in run:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit or 1) * _SMALL[ch]
            digit = 0
        elif ch in _LARGE:
            total += (section + digit or 1) * _LARGE[ch]
            section = digit = 0
    return float(total + section + digit)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def numbers_in(text: str) -> list[str]:
    """The numbers written in ``text`` (Arabic and Chinese), as written (width folded)."""
    t = _norm(text)
    return [m.group() for m in _ARABIC.finditer(t)] + [m.group() for m in _CN_NUMBER.finditer(t)]


def _value(token: str) -> float:
    if token[0].isdigit():
        return float(token.replace(",", ""))
    if token.startswith("百分之"):
        return cn_value(token.removeprefix("百分之"))
    if "分之" in token:
        den, num = token.split("分之")
        return cn_value(num) / cn_value(den)
    return cn_value(token.rstrip(_MEASURE))


def values_in(text: str) -> set[float]:
    """Every number value the text holds: Arabic numbers and any run of Chinese numerals."""
    t = _norm(text)
    return {float(m.group().replace(",", "")) for m in _ARABIC.finditer(t)} | {
        cn_value(m.group()) for m in _CN_RUN.finditer(t)
    }


def not_in_facts(output: str, facts: str) -> list[str]:
    """The numbers of ``output`` that the facts do not hold (verbatim or by value)."""
    f = _norm(facts)
    have = values_in(facts)
    return [n for n in dict.fromkeys(numbers_in(output)) if n not in f and _value(n) not in have]
