"""Money, numbers and dates as written in Chinese forms."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import DateError, parse_date, parse_period, years_between
from core.numbers import NumberError, find_numbers, parse_chinese_numeral, parse_money, parse_number


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("2000", 2000),
        ("2,000", 2000),
        ("２０００", 2000),
        ("两千", 2000),
        ("贰仟", 2000),
        ("0.2亿元", 2000),
        ("20,000,000元", 2000),
        ("2000万元", 2000),
        ("1.5亿", 15000),
        ("3千万元", 3000),
        ("贰仟伍佰万元", 2500),
        ("1,999.5", 1999.5),
        ("一千九百九十九万元", 1999),
        ("壹亿贰仟万元", 12000),
        ("５００万元", 500),
        ("人民币2000万元", 2000),
    ],
)
def test_parse_money_to_wan(text: str, wan: float) -> None:
    assert parse_money(text).wan == pytest.approx(wan)


def test_money_keeps_what_was_written() -> None:
    m = parse_money("0.2亿元")
    assert m.original == "0.2亿元"
    assert m.describe() == "0.2亿元 → 2000 万元"


@pytest.mark.parametrize("bad", ["", "约两千多", "abc", "2000美元x"])
def test_parse_money_refuses_non_amounts(bad: str) -> None:
    with pytest.raises(NumberError):
        parse_money(bad)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零五", 105),
        ("两千零一十", 2010),
        ("一万二千", 12000),
        ("三点五", 3.5),
        ("二〇二二", 2022),
        ("一亿二千万", 120_000_000),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    assert parse_chinese_numeral(text) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_with_separators_roundtrip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    full = f"{n}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full) == n


_CN = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """Reference conversion for 0 < n < 10000 (independent of the parser)."""
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    out, zero = "", False
    for value, unit in units:
        d = n // value % 10
        if d:
            if zero:
                out += "零"
            out += _CN[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numeral_roundtrip(n: int) -> None:
    assert parse_chinese_numeral(_to_chinese(n)) == n


def test_find_numbers() -> None:
    assert find_numbers("效率提升20%，节约成本三百万元") == ["20", "三百万"]
    assert find_numbers("显著提升了管理水平") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("不良品率降低百分之三十", ["百分之三十"]),
        ("能耗下降百分之十二点五，交付周期缩短百分之百", ["百分之十二点五", "百分之百"]),
        ("废品率降至千分之五", ["千分之五"]),
        ("人工成本降低三成", ["三成"]),
        ("库存减少两成半，效率提升近九成", ["两成半", "九成"]),
        ("产能提升十成", ["十成"]),
    ],
)
def test_find_numbers_reads_percentages_in_words(text: str, found: list[str]) -> None:
    # issue #10: 实施成果 quantified in words (百分之三十, 三成) states a number
    assert find_numbers(text) == found


@pytest.mark.parametrize(
    "text",
    ["工艺一成不变", "实现统一成本核算", "唯一成功的方案", "第三成员单位", "形成闭环，完成建设，取得成效"],
)
def test_find_numbers_ignores_the_cheng_of_words(text: str) -> None:
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2022年5月20日", dt.date(2022, 5, 20)),
        ("2022.5.20", dt.date(2022, 5, 20)),
        ("2022-05-20", dt.date(2022, 5, 20)),
        ("2022/5/20", dt.date(2022, 5, 20)),
        ("2022年5月", dt.date(2022, 5, 1)),
        ("二〇二二年五月二十日", dt.date(2022, 5, 20)),
        ("２０２２年５月２０日", dt.date(2022, 5, 20)),
    ],
)
def test_parse_date(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


def test_month_precision_end_of_period() -> None:
    assert parse_date("2022年2月", end_of_period=True) == dt.date(2022, 2, 28)


@pytest.mark.parametrize(
    "text",
    [
        "2021年1月--2022年5月",
        "2021.1-2022.5",
        "2021年1月至2022年5月",
        "2021年1月—2022年5月",
        "2021年1月~2022年5月",
    ],
)
def test_parse_period(text: str) -> None:
    assert parse_period(text) == (dt.date(2021, 1, 1), dt.date(2022, 5, 31))


@pytest.mark.parametrize("bad", ["去年", "2022年13月", "2022年5月--2021年1月"])
def test_bad_dates(bad: str) -> None:
    with pytest.raises(DateError):
        if "--" in bad:
            parse_period(bad)
        else:
            parse_date(bad)


def test_years_between_is_anniversary_exact() -> None:
    assert years_between(dt.date(2021, 9, 30), dt.date(2022, 9, 30)) == 1
    assert years_between(dt.date(2021, 10, 1), dt.date(2022, 9, 30)) < 1
