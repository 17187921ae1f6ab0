"""Addresses elsewhere, chosen from the national administrative divisions
(the table bundled with ``cpca``), so a generated "other province" or "other
city" violation differs from whatever region the programme names — no
province or city is written into the generator.

The table is read as data (``cpca/resources/adcodes.csv``: 12-digit code,
name); the package is located without importing it (its import pulls in
pandas). Codes: ``PP0000`` a province, ``PPCC00`` a city, others a county.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from eval.checkers.generators.common import GeneratorError

_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
STREET = "人民路1号"


@dataclass(frozen=True)
class Division:
    """One administrative division: 6-digit code and name."""

    code: str
    name: str

    @property
    def level(self) -> str:
        """``province``, ``city`` or ``county``, from the code."""
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"


def _table() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise GeneratorError("生成地区用例需要 cpca 包自带的全国行政区划表（pip install cpca）")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@functools.cache
def divisions() -> tuple[Division, ...]:
    """Every province, city and county of the national table, by code."""
    with _table().open(encoding="utf-8") as f:
        rows = {(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(f)}
    return tuple(Division(code, name) for code, name in sorted(rows))


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
