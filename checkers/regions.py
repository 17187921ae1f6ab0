"""Place an address in Jiangsu: province, city and county — the one place it is done."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.numbers import to_halfwidth

_DATA = Path(__file__).parent / "data" / "jiangsu_regions.yaml"
_SUFFIXES = ("区", "县", "市", "")
_OTHER_PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)


@dataclass(frozen=True)
class Place:
    """Where an address is: ``city`` None when it could not be placed."""

    province: str | None
    city: str | None
    county: str | None
    ambiguous: bool = False


@functools.cache
def jiangsu_cities() -> dict[str, list[str]]:
    """City → its districts and county-level units."""
    data: dict[str, list[str]] = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return data


def locate(address: str) -> Place:
    """Find the Jiangsu city (and county) an address names.

    A city name (``南通市`` or ``南通``) wins; otherwise a county-level unit
    (``昆山市``, ``沭阳县``) places it. An address naming another province, or
    nothing recognisable, gives a Place with ``city`` None.
    """
    text = to_halfwidth(address).replace(" ", "")
    cities = jiangsu_cities()
    province = "江苏省" if "江苏" in text else None
    if province is None:
        other = next((p for p in _OTHER_PROVINCES if text.startswith(p)), None)
        if other is not None:
            return Place(other, None, None)
    for city, counties in cities.items():
        short = city.removesuffix("市")
        if city in text or not _only_as_county(text, short, cities):
            county = next((c for c in counties if c in text), None)
            return Place("江苏省", city, county)
    hits = [
        (city, c)
        for city, counties in cities.items()
        for c in counties
        if any(c + s in text for s in _SUFFIXES[:3]) or (c.endswith(_SUFFIXES[:3]) and c in text)
    ]
    found = {city for city, _ in hits}
    if len(found) == 1:
        city, county = hits[0]
        return Place("江苏省", city, county)
    if found:  # several cities have a county of that name (鼓楼区)
        return Place(province, None, None, ambiguous=True)
    return Place(province, None, None)


def _only_as_county(text: str, short: str, cities: dict[str, list[str]]) -> bool:
    """Whether a city's short name occurs only inside a longer county name
    (``淮安区`` contains 淮安; ``通州`` contains no city name), or not at all."""
    stripped = text
    for counties in cities.values():
        for c in counties:
            if short in c and c != short:
                # mutmut: any replacement without the short name in it is equivalent
                stripped = stripped.replace(c, "")  # pragma: no mutate
    return short not in stripped
