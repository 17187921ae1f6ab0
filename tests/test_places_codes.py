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
    assert locate("浙江省杭州市").city is None
    assert locate("北京市通州区").city is None  # not 南通's 通州
    assert locate("鼓楼区中山路").ambiguous  # 南京 or 徐州


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
