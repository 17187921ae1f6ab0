"""Typed values from form text, through the shared helpers only
(:mod:`core.numbers`, :mod:`core.dates`).

Every converter returns a :class:`Read`: the value (None when empty or
unreadable), the text as written, and a Chinese note when the text could not
be read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from core.dates import DateError, parse_date, parse_period
from core.numbers import NumberError, parse_money, parse_number, to_halfwidth
from ingestion.drafts.fields import Choice, FieldInfo
from ingestion.drafts.labels import clean_value, is_garbled, is_money_unit, is_placeholder, known_units, norm
from ingestion.drafts.options import Option, match_choice, resolve_free_ticks

TRUE_WORDS = ("是", "有", "已", "通过", "符合", "yes", "y", "true")
FALSE_WORDS = ("否", "无", "未", "没有", "不", "no", "n", "false")
LIST_SEP = re.compile(r"[、，,;；\n]+")


@dataclass(frozen=True)
class Read:
    """A value read from the form."""

    value: Any
    original: str
    note: str | None = None
    extra: Any = None  # the period end when reading a period's start


def empty_text(text: str) -> bool:
    """Blank, or only blank-form filler."""
    return is_placeholder(text) or not clean_value(text)


def convert(info: FieldInfo, text: str, options: list[Option], unit: str | None = None) -> Read:
    """Read ``text`` (and the checkbox options in the same cell) as ``info``'s kind.
    ``unit`` is the unit printed in the label cell, which overrides the spec's."""
    original = (text or "").strip()
    if info.kind in ("bool", "choice") and options:
        return _from_options(info, options, original)
    if empty_text(original):
        return Read(None, original)
    if is_garbled(original):
        return Read(None, original, f"「{info.label}」的内容无法识别（疑似乱码）：「{original[:30]}」")
    value = clean_value(original)
    try:
        if info.kind == "money":
            u = unit if unit and is_money_unit(unit) else info.unit
            return Read(read_money(value, u if u and is_money_unit(u) else "万元"), original)
        if info.kind == "number":
            return Read(read_number(value, unit or info.unit), original)
        if info.kind == "date":
            return Read(parse_date(value), original)
        if info.kind in ("period_start", "period_end"):
            start, end = parse_period(value)
            return (
                Read(start, original, extra=end)
                if info.kind == "period_start"
                else Read(end, original, extra=start)
            )
        if info.kind == "bool":
            b = read_bool(value)
            if b is None:
                return Read(None, original, _bool_note(info, original))
            return Read(b, original)
        if info.kind == "choice":
            ch = match_choice(value, info.choices)
            if ch is None:
                return Read(
                    None,
                    original,
                    f"「{info.label}」的内容「{original[:30]}」不是可选项（{_names(info.choices)}）",
                )
            return Read(ch.value, original)
        if info.kind in ("list", "attachments"):
            return Read(read_list(value), original)
    except (NumberError, DateError, ValueError, ArithmeticError) as e:
        return Read(None, original, f"「{info.label}」无法识别：{e}")
    return Read(value, original)


def _names(choices: tuple[Choice, ...]) -> str:
    return "、".join(c.name for c in choices)


def _bool_note(info: FieldInfo, original: str) -> str | None:
    if len(original) > 12:
        return None  # printed statement text (承诺书) rather than an answer
    return f"「{info.label}」无法判断是或否：「{original}」"


def _from_options(info: FieldInfo, options: list[Option], original: str) -> Read:
    ticked = [o for o in options if o.ticked and o.label_key]
    free = [o for o in options if o.ticked and o.free]
    chosen: list[Choice] = []
    for o in ticked:
        if o.free:
            continue
        ch = match_choice(o.label, info.choices)
        if ch is not None and ch not in chosen:
            chosen.append(ch)
    for name in resolve_free_ticks(free, [c.name for c in info.choices]):
        ch = next(c for c in info.choices if c.name == name)
        if ch not in chosen:
            chosen.append(ch)
    shown = " ".join(o.display for o in options)
    if not chosen:
        unknown = [o.label for o in ticked if not o.free]
        if unknown:
            return Read(
                None, shown, f"「{info.label}」勾选的「{unknown[0]}」不是可选项（{_names(info.choices)}）"
            )
        return Read(None, shown)
    values = list(dict.fromkeys(c.value for c in chosen))
    if len(values) > 1:
        return Read(None, shown, f"「{info.label}」同时勾选了{'、'.join(c.name for c in chosen)}，无法确定")
    return Read(values[0], shown)


def read_money(text: str, default_unit: str = "万元") -> float:
    """An amount in 万元 (full-width digits, 大写, 亿元/元 understood)."""
    t = to_halfwidth(text).strip()
    t = re.sub(r"^(?:¥|￥|RMB|人民币)\s*", "", t, flags=re.I)
    t = re.sub(r"(?<=元)整$|整$", "", t)
    return parse_money(t, default_unit=default_unit).wan


def read_number(text: str, unit: str | None = None) -> float:
    """A number, with its unit (%, 人, 台 ...) removed."""
    t = to_halfwidth(text).strip().replace(" ", "")
    for u in (unit, *known_units(), "％"):
        if u and t.endswith(u) and len(t) > len(u):
            t = t[: -len(u)]
            break
    return parse_number(t)


def read_bool(text: str) -> bool | None:
    """是/否 (and 有/无, 已/未) written as text."""
    t = norm(clean_value(text)).strip("。.")
    if not t:
        return None
    if t.startswith(FALSE_WORDS[:5]) and not t.startswith("是"):
        return False
    if t.startswith(TRUE_WORDS):
        return True
    if t in FALSE_WORDS:
        return False
    return None


def read_list(text: str) -> list[str]:
    """Items separated by 、，,;； or new lines; "无" is the empty list."""
    parts = [p.strip().strip("。.") for p in LIST_SEP.split(text)]
    parts = [p for p in parts if p]
    if parts in (["无"], ["暂无"], ["没有"]):
        return []
    return parts


def format_value(value: Any) -> str:
    """How the template writes a value so that :func:`convert` reads it back."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)
