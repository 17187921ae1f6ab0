"""Numbers and money as written in Chinese forms — the one place they are parsed.

Accepts Arabic numbers with thousands separators (2,000 / 2，000), full-width
digits (２０００), Chinese numerals in lower case and 大写 (两千, 贰仟, 一万二千),
mixed forms (1.5万, 3千万) and units 亿/万/千/元; money is normalised to 万元
and the normalisation is described so findings can report it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "貳": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "叄": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS) + "点點"

_ARABIC = r"[-+]?\d+(?:[,，]\d{3})*(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"(?P<num>{_ARABIC}|[{_CN_CHARS}]+)\s*(?P<unit>亿元|万元|千元|元|亿|万|千)?")


class NumberError(ValueError):
    """A text that should hold a number does not."""


@functools.lru_cache(maxsize=65536)
def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation → ASCII (NFKC, keeping CJK)."""
    return unicodedata.normalize("NFKC", text)


def parse_chinese_numeral(text: str) -> float:
    """Value of a Chinese numeral such as 两千, 贰仟伍佰, 一万二千, 三点五 or 二〇二二."""
    text = text.strip()
    if not text:
        raise NumberError("空的中文数字")
    if "点" in text or "點" in text:
        int_part, _, frac = text.replace("點", "点").partition("点")
        whole = parse_chinese_numeral(int_part) if int_part else 0.0
        digits = "".join(str(_DIGITS[c]) for c in frac if c in _DIGITS)
        return whole + (float("0." + digits) if digits else 0.0)
    if all(c in _DIGITS for c in text):  # digit-by-digit, e.g. 二〇二二
        return float("".join(str(_DIGITS[c]) for c in text))
    total, section, digit = 0.0, 0.0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        elif c in _BIG_UNITS:
            unit = _BIG_UNITS[c]
            section += digit or 0
            if unit > 10_000 and total:  # 一万亿 style: multiply everything so far
                total = (total + section) * unit
            else:
                total += section * unit
            section, digit = 0.0, None
        else:
            raise NumberError(f"无法识别的中文数字「{text}」")
    return total + section + (digit or 0)


def parse_number(text: str) -> float:
    """A plain number from text (Arabic with separators, full-width, or Chinese)."""
    t = to_halfwidth(str(text)).strip().replace(" ", "")
    m = re.fullmatch(_ARABIC, t)
    if m:
        return float(t.replace(",", "").replace("，", ""))
    m = re.fullmatch(rf"({_ARABIC})([万亿千])", t)
    if m:
        return float(m.group(1).replace(",", "")) * {"千": 1e3, "万": 1e4, "亿": 1e8}[m.group(2)]
    return parse_chinese_numeral(t)


@dataclass(frozen=True)
class Money:
    """An amount normalised to 万元, with the text it came from."""

    wan: float
    original: str

    def describe(self) -> str:
        """How the text was read, e.g. ``0.2亿元 → 2000 万元``."""
        return f"{self.original} → {format_wan(self.wan)} 万元"


_UNIT_TO_WAN = {"亿元": 1e4, "亿": 1e4, "万元": 1.0, "万": 1.0, "千元": 0.1, "元": 1e-4}


def parse_money(text: str, default_unit: str = "万元") -> Money:
    """Read an amount and normalise it to 万元.

    ``default_unit`` applies when the text has no unit (e.g. a cell under a
    "（万元）" header). Mixed forms: ``1.5亿元``, ``2,000万元``, ``20,000,000元``,
    ``贰仟万元``, ``两千万``, ``3千万元``.
    """
    original = str(text).strip()
    t = to_halfwidth(original).replace(" ", "").replace("人民币", "").rstrip("。.")
    if not t:
        raise NumberError("金额为空")
    m = re.fullmatch(rf"(?P<num>{_ARABIC}|[{_CN_CHARS}]+?)(?P<unit>亿元|万元|千元|元|亿|万)?", t)
    if not m:
        m2 = re.fullmatch(rf"(?P<num>{_ARABIC})(?P<mult>[千百十])(?P<unit>亿元|万元|亿|万)", t)
        if not m2:
            raise NumberError(f"无法识别的金额「{original}」")
        base = float(m2.group("num").replace(",", "")) * _SMALL_UNITS[m2.group("mult")]
        return Money(base * _UNIT_TO_WAN[m2.group("unit")], original)
    num, unit = m.group("num"), m.group("unit") or default_unit
    if m.group("unit") and unit[0] in "万亿" and not re.match(r"[-+\d]", num):
        # a Chinese numeral runs through its 万/亿: 壹亿贰仟万元 = 120,000,000 元
        return Money(parse_chinese_numeral(num + unit[0]) * _UNIT_TO_WAN["元"], original)
    value = parse_number(num)
    return Money(value * _UNIT_TO_WAN[unit], original)


def format_wan(value: float) -> str:
    """A 万元 amount without trailing zeros: 2000, 1999.5."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


_CN_NUM = rf"[{''.join(_DIGITS)}两十拾百佰][{_CN_CHARS}]*"
# a percentage in words: 百分之三十(五点五), 千分之五; or 成 (tenths): 三成, 两成半 — but not
# the 成 of a word (一成不变, 统一成本, 唯一成功, 第三成员 ...)
_WORD_PERCENT_RE = re.compile(
    rf"[百千]分之{_CN_NUM}"
    rf"|(?<![第统唯万])[一二两三四五六七八九十](?:成半|成)(?![不本果效绩功为熟型品分员立就长交])"
)


def find_numbers(text: str) -> list[str]:
    """Every number written in a text (Arabic, or Chinese with a unit or %, or a
    percentage in words: 百分之三十, 三成), as written."""
    t = to_halfwidth(text or "")
    out = re.findall(r"\d+(?:[,，]\d{3})*(?:\.\d+)?", t)
    out += [
        m
        for m in re.findall(
            rf"[{''.join(_DIGITS)}两][{_CN_CHARS}]*(?=[%％倍个台套项次人万亿元天小时分钟秒])", t
        )
    ]
    out += _WORD_PERCENT_RE.findall(t)
    return out
