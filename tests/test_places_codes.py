"""Regions, the 统一社会信用代码 check digit and the size class."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkers.credit_code import CHARSET, check_digit, validate_credit_code
from checkers.kinds.fields import classify_size
from checkers.regions import locate
from core.spec import SizeClassDef


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("江苏省南通市崇川区工农路1号", "南通市"),
        ("昆山市玉山镇", "苏州市"),
        ("江苏省沭阳县", "宿迁市"),
        ("江苏省泰兴市", "泰州市"),
        ("江苏省海门市", "南通市"),
        ("无锡市新吴区", "无锡市"),
        ("江苏省淮安市淮安区", "淮安市"),
        ("南京市鼓楼区", "南京市"),
        ("徐州市鼓楼区", "徐州市"),
        ("江阴市", "无锡市"),
    ],
)
def test_locate_jiangsu(address: str, city: str) -> None:
    assert locate(address).city == city


def test_locate_outside_or_ambiguous() -> None:
    assert (locate("浙江省杭州市").province, locate("浙江省杭州市").city) == ("浙江省", "杭州市")
    assert locate("北京市通州区").city == "北京市"  # not 南通's 通州
    place = locate("鼓楼区中山路")
    assert place.ambiguous and place.city is None and place.name == "鼓楼区"
    assert set(place.candidates) == {
        "江苏省南京市鼓楼区",
        "江苏省徐州市鼓楼区",
        "福建省福州市鼓楼区",
        "河南省开封市鼓楼区",
    }


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q"])
def test_valid_credit_codes(code: str) -> None:
    assert validate_credit_code(code) is None


def test_invalid_credit_codes() -> None:
    assert "校验位" in (validate_credit_code("91350100M000100Y44") or "")
    assert "18 位" in (validate_credit_code("9135010") or "")
    assert "非法字符" in (validate_credit_code("91350100M000100YO3") or "")


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_check_digit_validates_and_single_changes_are_caught(first17: str) -> None:
    code = first17 + check_digit(first17)
    assert validate_credit_code(code) is None
    wrong = CHARSET[(CHARSET.index(code[-1]) + 1) % 31]
    assert validate_credit_code(code[:-1] + wrong) is not None


# Enterprise size classes as in the 统计上大中小微型企业划分办法 footnote of the Nantong form
# (industrial: 大型 ≥1000 人 and ≥40000 万元; 中型 ≥300 人 and ≥2000 万元; 小型 ≥20 人 and ≥300 万元;
# 微型 <20 人 or <300 万元).
CLASSES = [
    SizeClassDef(name="大型", employees_min=1000, revenue_min=40000),
    SizeClassDef(name="中型", employees_min=300, revenue_min=2000),
    SizeClassDef(name="小型", employees_min=20, revenue_min=300),
    SizeClassDef(name="微型", employees_max=20, revenue_max=300, combine="any"),
]


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1500, 50000, "大型"),
        (1500, 30000, "中型"),  # large needs both bounds, else drops a class
        (250, 5000, "小型"),  # 250 employees is not 中型 whatever the revenue
        (300, 2000, "中型"),
        (19, 5000, "微型"),
        (50, 100, "微型"),
        (20, 300, "小型"),
    ],
)
def test_size_class(employees: float, revenue: float, expected: str) -> None:
    assert classify_size(CLASSES, employees, revenue) == expected


def test_size_class_falls_back_to_the_last_class_unless_told_not_to() -> None:
    # the same footnote read literally (each class's lower and upper bounds): 250 人 and
    # 38600 万元 meet no class's bounds; by default the last class is the fallback
    literal = [
        SizeClassDef(name="大型", employees_min=1000, revenue_min=40000),
        SizeClassDef(name="中型", employees_min=300, employees_max=1000, revenue_min=2000, revenue_max=40000),
        SizeClassDef(name="小型", employees_min=20, employees_max=300, revenue_min=300, revenue_max=2000),
        SizeClassDef(name="微型", employees_max=20, revenue_max=300, combine="any"),
    ]
    assert classify_size(literal, 250, 38600) == "微型"
    assert classify_size(literal, 250, 38600, fallback=False) is None


# ---------------------------------------------------------------- development zones (issue #10, item 7)

ZONE_ADDRESSES = [
    # (address, city, county by its full name, or None where the zone lies in no single one)
    ("苏州工业园区星湖街328号", "苏州市", "苏州工业园区"),
    ("江阴高新技术产业开发区长山大道1号", "无锡市", "江阴市"),
    ("宜兴经济技术开发区东氿大道1号", "无锡市", "宜兴市"),
    ("江苏省无锡经济开发区金融一街1号", "无锡市", None),
    ("南京江北新区浦滨路1号", "南京市", None),  # a 国家级新区 over parts of 浦口 and 六合,
    ("苏州高新区狮山路1号", "苏州市", "虎丘区"),  # 一区两牌 with 虎丘区
    ("无锡新吴区长江路1号", "无锡市", "新吴区"),  # a district
    ("常州武进国家高新区武宜南路1号", "常州市", "武进区"),
    ("南通经济技术开发区通盛大道1号", "南通市", None),
    ("无锡高新区新华路1号", "无锡市", "新吴区"),  # 一区两牌 with 新吴区
    ("太仓港经济技术开发区北环路1号", "苏州市", "太仓市"),
    ("东海经济开发区晶都大道1号", "连云港市", "东海县"),  # a county's short name and a zone word
]


@pytest.mark.parametrize(("address", "city", "county"), ZONE_ADDRESSES)
def test_zones_parks_and_new_areas_resolve_to_their_city(address: str, city: str, county: str | None) -> None:
    place = locate(address)
    assert (place.province, place.city, place.county) == ("江苏省", city, county)


def test_an_address_naming_a_zone_within_a_zone() -> None:
    # 浒墅关经济技术开发区 lies in 苏州高新区: both names place the address in 苏州市 虎丘
    place = locate("江苏省苏州高新区浒墅关经济技术开发区青莲路1号")
    assert (place.province, place.city, place.county) == ("江苏省", "苏州市", "虎丘区")


def test_a_zone_outside_jiangsu_is_not_jiangsu() -> None:
    place = locate("上海漕河泾开发区宜山路1号")
    assert place.province == "上海市" and place.zone is None


def test_a_street_named_after_a_county_still_places_nothing() -> None:
    assert locate("江苏省东海路1号").city is None  # a zone word must follow the county's name


def test_zone_table_names_known_cities_and_counties() -> None:
    from checkers.regions import jiangsu_cities, jiangsu_zones

    zones, words = jiangsu_zones()
    cities = jiangsu_cities()
    assert words and zones
    names = [n for z in zones for n in z.names]
    assert len(names) == len(set(names))
    for z in zones:
        assert z.city in cities, z
        assert z.county is None or z.county in cities[z.city], z
        assert z.note, z  # each entry says what it is (and whether its county is certain)
        for n in z.names:
            assert locate(n).city == z.city, n


def _region_status(pid: str, rule: str, address: str) -> str:
    from checkers.engine import check_rule
    from checkers.registry import Context
    from core.draft import Draft
    from corpus.loader import default_corpus

    corpus = default_corpus()
    spec = corpus.programmes[pid]
    draft = Draft.model_validate({"enterprise": {"registered_address": address}})
    return check_rule(spec.rule(rule), Context(draft=draft, spec=spec, lists=corpus.lists)).status


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("江阴高新技术产业开发区长山大道1号", "pass"),
        ("宜兴经济技术开发区东氿大道1号", "pass"),
        ("江苏省无锡经济开发区金融一街1号", "pass"),
        ("无锡新吴区长江路1号", "pass"),
        ("苏州工业园区星湖街328号", "fail"),  # in Jiangsu, not in 无锡
        ("上海漕河泾开发区宜山路1号", "fail"),
    ],
)
def test_wuxi_region_rule_decides_zone_addresses(address: str, status: str) -> None:
    assert _region_status("wx-smart-factory-2023", "registered-in-wuxi", address) == status


@pytest.mark.parametrize(
    ("address", "status"),
    [*((a, "pass") for a, _, _ in ZONE_ADDRESSES), ("上海漕河泾开发区宜山路1号", "fail")],
)
def test_jiangsu_region_rule_decides_zone_addresses(address: str, status: str) -> None:
    assert _region_status("js-iif-2022", "registered-in-jiangsu", address) == status
