"""Helpers of checkers/ that the kinds reach only partly: the address
locator, province spellings, the credit-code check digit and the gradient
calculator's edge cases."""

from __future__ import annotations

import pytest

from checkers.credit_code import check_digit
from checkers.gradient import attainable_level, check_indicator, recommended_level
from checkers.kinds.fields import same_province, years_before
from checkers.regions import Place, locate
from core.catalogue import IndicatorAttrs


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("", Place(None, None, None)),
        ("南通工农路1号", Place("江苏省", "南通市", None)),
        ("江苏省南通市工农路1号", Place("江苏省", "南通市", None)),
        ("江苏省淮安区翔宇大道", Place("江苏省", "淮安市", "淮安区")),
        ("昆 山市玉山镇", Place("江苏省", "苏州市", "昆山市")),
        ("江苏省鼓楼区", Place("江苏省", None, None, ambiguous=True)),
        ("鼓楼区", Place(None, None, None, ambiguous=True)),
        ("浙江省杭州市", Place("浙江省", "杭州市", None)),
        # a street named after a county (东海路) does not place it: counties need 区/县/市
        ("江苏省东海路1号", Place("江苏省", None, None)),
        # 淮安 seen only inside 淮安区 is a county, not the city name; the first county-level
        # name read ends the reading (as the division library does)
        ("淮安区与鼓楼区交界处", Place("江苏省", "淮安市", "淮安区")),
        # a two-character county name (香港 北区) places nothing on its own
        ("开发区北区1号", Place(None, None, None)),
        ("香港特别行政区北区", Place("香港特别行政区", None, "北区")),
        # 北京市 is both the province and the city; 通州区 then is Beijing's, not 南通's
        ("北京市通州区", Place("北京市", "北京市", "通州区")),
        # a later city tells an ambiguous county apart
        ("鼓楼区（福州）", Place("福建省", "福州市", "鼓楼区")),
    ],
)
def test_locate(address: str, place: Place) -> None:
    got = locate(address)
    assert (got.province, got.city, got.county, got.ambiguous) == (
        place.province,
        place.city,
        place.county,
        place.ambiguous,
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("江苏省", "江苏", True),
        ("上海市", "上海", True),
        ("广西壮族自治区", "广西", True),
        ("内蒙古自治区", "内蒙古", True),
        ("江苏省", "浙江省", False),
        ("省", "市", False),  # a bare suffix is not stripped to nothing
        ("江苏省", "苏南", False),  # a name that is no province is compared as written
        ("苏南", "江苏", False),
    ],
)
def test_same_province(a: str, b: str, same: bool) -> None:
    assert same_province(a, b) is same


def test_years_before() -> None:
    import datetime as dt

    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert years_before(dt.date(2022, 3, 31), 0.25) == dt.date(2021, 12, 31)
    assert years_before(dt.date(2022, 8, 31), 1.5) == dt.date(2021, 2, 28)


def test_check_digit_needs_17_known_characters() -> None:
    assert check_digit("91320600MA1M9Q7K2") == "3"
    with pytest.raises(ValueError):
        check_digit("91320600MA1M9Q7K")  # 16
    with pytest.raises(ValueError, match="I"):
        check_digit("91320600MA1M9Q7KI")


def test_check_indicator_without_level_or_score_is_no_problem() -> None:
    attrs = IndicatorAttrs.model_validate({"levels": {1: "一"}, "bands": {1: {"low": 0, "high": 0}}})
    assert check_indicator("1", attrs, None, None, 5) is None
    assert check_indicator("1", attrs, 1, None, None) is None
    assert check_indicator("1", attrs, 2, None, 5) == "指标1没有等级 2"


def test_attainable_and_recommended_levels() -> None:
    assert attainable_level({}, {"基础级": 1}) is None
    assert attainable_level({"基础级": 1}, {"基础级": 1, "先进级": 1}) == "基础级"
    assert attainable_level({"基础级": 0}, {"基础级": 0}) == "基础级"
    assert recommended_level(60, {"基础级": 60}) is None
    assert recommended_level(60.01, {"基础级": 60, "先进级": 70}) == "基础级"
