"""Place an address in Jiangsu: province, city and county — the one place it is done."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.numbers import to_halfwidth

_DATA = Path(__file__).parent / "data" / "jiangsu_regions.yaml"
_ZONES = Path(__file__).parent / "data" / "jiangsu_zones.yaml"
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


@dataclass(frozen=True)
class Zone:
    """A development zone, park or 新区 and the city (and county, where it lies
    within one) it belongs to."""

    names: tuple[str, ...]
    city: str
    county: str | None
    note: str = ""


@functools.cache
def jiangsu_zones() -> tuple[tuple[Zone, ...], tuple[str, ...]]:
    """The zones whose name does not contain their county, and the words that,
    following a county's short name, name a zone of that county (江阴高新…)."""
    data = yaml.safe_load(_ZONES.read_text(encoding="utf-8"))
    zones = tuple(
        Zone(tuple(z["names"]), z["city"], z.get("county"), z.get("note") or "") for z in data["zones"]
    )
    return zones, tuple(data["zone_words"])


def _zone_in(text: str) -> Zone | None:
    """The zone whose longest name the text contains."""
    zones, _ = jiangsu_zones()
    hits = [(len(n), z) for z in zones for n in z.names if n in text]
    return max(hits, key=lambda h: h[0])[1] if hits else None


def locate(address: str) -> Place:
    """Find the Jiangsu city (and county) an address names.

    A development zone, park or 新区 named in the address (``苏州高新区``,
    ``无锡经济开发区``) places it in the zone's city and county; otherwise a city
    name (``南通市`` or ``南通``) wins; otherwise a county-level unit (``昆山市``,
    ``沭阳县``, or its short name followed by a zone word: ``江阴高新技术产业开发区``)
    places it. An address naming another province, or nothing recognisable,
    gives a Place with ``city`` None.
    """
    text = to_halfwidth(address).replace(" ", "")
    cities = jiangsu_cities()
    province = "江苏省" if "江苏" in text else None
    if province is None:
        other = next((p for p in _OTHER_PROVINCES if text.startswith(p)), None)
        if other is not None:
            return Place(other, None, None)
    zone = _zone_in(text)
    if zone is not None:  # a zone within no single county leaves the county to the address
        county = zone.county or next((c for c in cities[zone.city] if c in text), None)
        return Place("江苏省", zone.city, county)
    for city, counties in cities.items():
        short = city.removesuffix("市")
        if city in text or not _only_as_county(text, short, cities):
            county = next((c for c in counties if c in text), None)
            return Place("江苏省", city, county)
    words = jiangsu_zones()[1]
    hits = [
        (city, c)
        for city, counties in cities.items()
        for c in counties
        if any(c + s in text for s in (*_SUFFIXES[:3], *words)) or (c.endswith(_SUFFIXES[:3]) and c in text)
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
