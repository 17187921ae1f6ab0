"""Dates and periods as written in Chinese forms — the one place they are parsed.

Accepts 2022年5月20日, 2022.5.20, 2022-05-20, 2022/5/20, 2022年5月 and
2022.5 (month precision), full-width digits and 二〇二二年五月. A period is two
dates joined by --, —, ~, 至 or 到 (``2021年1月--2022年5月``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from core.numbers import NumberError, parse_chinese_numeral, to_halfwidth


class DateError(ValueError):
    """A text that should hold a date does not."""


_CN_NUM = "零〇○一二三四五六七八九十"
_DATE_RE = re.compile(
    rf"(?P<y>\d{{4}}|[{_CN_NUM}]{{4}})\s*(?:年|[.\-/])\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*"
    rf"(?:(?:月|[.\-/])\s*(?:(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*[日号]?)?)?"
)
_PERIOD_SEP = re.compile(r"\s*(?:--|—{1,2}|–|~|～|至|到|-(?=\s*(?:\d{4}|[零〇○一二三四五六七八九]{4})))\s*")


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    try:
        return int(parse_chinese_numeral(s))
    except NumberError as e:
        raise DateError(str(e)) from e


def parse_date(text: str, *, end_of_period: bool = False) -> dt.date:
    """The date in ``text``. Month-precision dates give the 1st of the month,
    or its last day when ``end_of_period`` (the end of a 建设期)."""
    t = to_halfwidth(str(text)).strip()
    m = _DATE_RE.search(t)
    if not m:
        raise DateError(f"无法识别的日期「{text}」")
    y, mo = _num(m.group("y")), _num(m.group("m"))
    if not 1 <= mo <= 12:
        raise DateError(f"月份无效「{text}」")
    if m.group("d"):
        d = _num(m.group("d"))
    else:
        d = calendar.monthrange(y, mo)[1] if end_of_period else 1
    try:
        return dt.date(y, mo, d)
    except ValueError as e:
        raise DateError(f"日期无效「{text}」") from e


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period such as ``2021年1月--2022年5月`` → (first day, last day)."""
    t = to_halfwidth(str(text)).strip()
    parts = [p for p in _PERIOD_SEP.split(t, maxsplit=1) if p.strip()]
    if len(parts) != 2:
        raise DateError(f"无法识别的起止时间「{text}」（应为“XX年XX月--XX年XX月”）")
    start = parse_date(parts[0])
    end = parse_date(parts[1], end_of_period=True)
    if end < start:
        raise DateError(f"结束时间早于开始时间「{text}」")
    return start, end


def years_between(start: dt.date, end: dt.date) -> float:
    """Whole and fractional years from ``start`` to ``end`` (anniversary-exact)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 Feb
        anniversary = start.replace(year=start.year + years, day=28)
    return years + (end - anniversary).days / 366


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` shifted by whole years (29 Feb → 28 Feb)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)
