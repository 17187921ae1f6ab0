"""Honours and titles read by their parts — issuing level, name, year — and
matched against the honours a policy names (the one place it is done).

A policy names an honour by level and kind ("国家级智能制造优秀场景"); drafts
write it as the certificate does ("工业和信息化部2022年度智能制造优秀场景",
"江苏省专精特新中小企业（2023年）"). Matching fixed strings misses the year
between the words; matching parts does not. A match is *certain* when the level
is one the policy names and every word of the name is there; it is *close*
when the honour could be the named one but the text does not settle it (the
level is not written, a word differs, several honours are named at once) — a
close match is for a person to review, never a pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from checkers.regions import jiangsu_cities
from core.numbers import to_halfwidth
from core.spec import HonourLevel, HonourPattern

_QUOTES = "“”\"'‘’「」『』《》〈〉"
_NATIONAL = ("国家级", "国家", "工业和信息化部", "工信部", "全国", "国务院")
_PROVINCES = (
    "江苏", "浙江", "安徽", "山东", "上海", "北京", "天津", "重庆", "河北", "山西", "辽宁", "吉林",
    "黑龙江", "福建", "江西", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆",
)  # fmt: skip
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ALTERNATIVES = ("或", "/", "／")


def normalise(text: str) -> str:
    """Half-width, without spaces or quotation marks (专精特新“小巨人” = 专精特新小巨人)."""
    t = to_halfwidth(text)
    return "".join(ch for ch in t if not ch.isspace() and ch not in _QUOTES)


def _level(t: str) -> HonourLevel | None:
    """The issuing level an honour's text names, or None when it names none.
    A Jiangsu county-level name (江阴市, 如东县, 通州区) is 县级 — also after its
    city (南通市通州区) — and a prefecture city alone (无锡市) 市级."""
    if any(w in t for w in _NATIONAL):
        return "国家级"
    if "省级" in t or t.startswith("省") or any(f"{p}省" in t or t.startswith(p) for p in _PROVINCES):
        return "省级"
    cities = jiangsu_cities()
    for counties in cities.values():
        for c in counties:
            pattern = c if c.endswith(("区", "县", "市")) else f"{c}(?:市|县|区)"
            if len(c) > 1 and re.search(pattern, t):
                return "县级"
    if "县级" in t or "区级" in t:
        return "县级"
    if "市级" in t or any(city in t for city in cities):
        return "市级"
    return None


@dataclass(frozen=True)
class Honour:
    """One honour or title as written, and its parts."""

    text: str
    level: HonourLevel | None
    year: int | None
    several: bool  # the text names alternatives ("示范工厂或优秀场景")

    @property
    def norm(self) -> str:
        """The normalised text the name's words are looked for in."""
        return normalise(self.text)


def parse_honour(text: str) -> Honour:
    """An honour's issuing level, year (the first four-digit year) and whether it names several."""
    t = normalise(text)
    years = _YEAR.findall(t)
    return Honour(
        text=text.strip(),
        level=_level(t),
        year=int(years[0]) if years else None,
        several=any(a in t for a in _ALTERNATIVES),
    )


Match = Literal["certain", "close"]


@dataclass(frozen=True)
class HonourMatch:
    """How an honour matches a pattern, and why a close one is not certain."""

    honour: Honour
    pattern: HonourPattern
    match: Match
    reason: str | None = None


def match_honour(honour: Honour, pattern: HonourPattern) -> HonourMatch | None:
    """Certain, close (with the reason) or no match (None).

    The last word of ``pattern.terms`` is the kind of honour (优秀场景, 示范工厂):
    without it, or a ``near`` word, there is no match. An honour at a level the
    pattern does not name is no match; one whose level is not written is close."""
    t = honour.norm
    *qualifiers, kind = [normalise(w) for w in pattern.terms]
    has_kind = kind in t
    near = next((w for w in pattern.near if normalise(w) in t), None)
    if not has_kind and near is None:
        return None
    if pattern.levels and honour.level is not None and honour.level not in pattern.levels:
        return None
    reasons = []
    if pattern.levels and honour.level is None:
        reasons.append("未写明颁发级别")
    lacking = [w for w in qualifiers if w not in t]
    if not has_kind:
        reasons.append(f"名称为「{near}」而非「{kind}」")
    elif lacking:
        reasons.append(f"名称中没有「{'、'.join(lacking)}」")
    if honour.several:
        reasons.append("同时列出几种荣誉")
    if reasons:
        return HonourMatch(honour, pattern, "close", "，".join(reasons))
    return HonourMatch(honour, pattern, "certain")


def best_match(honour: Honour, patterns: list[HonourPattern]) -> HonourMatch | None:
    """The strongest match of an honour among the patterns (certain before close)."""
    found = [m for p in patterns if (m := match_honour(honour, p)) is not None]
    found.sort(key=lambda m: m.match != "certain")
    return found[0] if found else None
