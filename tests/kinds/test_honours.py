"""Honours read by their parts (checkers/honours.py): the issuing level a text
names, its year, and how it matches a policy's honour — certain, close or not
at all. Levels follow the module's contract: a national body is 国家级, a
province 省级, a Jiangsu county-level unit (also after its city) 县级, a
prefecture city alone 市级."""

from __future__ import annotations

import pytest

from checkers.honours import best_match, match_honour, normalise, parse_honour
from core.spec import HonourLevel, HonourPattern

SCENE = HonourPattern(name="国家级智能制造优秀场景", levels=["国家级"], terms=["智能制造", "优秀场景"])
INNOVATIVE = HonourPattern(name="创新型中小企业", terms=["创新型中小企业"])
SPECIALISED = HonourPattern(
    name="省级专精特新中小企业", levels=["省级"], terms=["专精特新", "中小企业"], near=["专精特新小巨人"]
)


def test_normalise_folds_width_spaces_and_quotation_marks() -> None:
    assert normalise("专精特新“小巨人” 企业") == "专精特新小巨人企业"
    assert normalise("《国家级》　智能制造「优秀场景」（２０２２）") == "国家级智能制造优秀场景(2022)"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("工业和信息化部2022年度智能制造优秀场景", "国家级"),
        ("2022年度省级智能制造示范工厂", "省级"),  # 省级 not at the start
        ("省示范智能车间", "省级"),  # 省 at the start stands for the province
        ("江苏2023年智能制造示范工厂", "省级"),  # the province's name at the start
        ("2023年江苏省专精特新中小企业", "省级"),  # 江苏省 after the year
        ("江阴市智能制造示范工厂", "县级"),  # a county-level city is not 市级
        ("南通市通州区智能制造示范车间", "县级"),  # a district, also after its city
        ("淮安区示范智能车间", "县级"),  # a district whose name holds its city's
        ("丰县智能制造示范工厂", "县级"),  # a county the data writes with its 县
        ("县级智能制造示范车间", "县级"),
        ("区级智能制造示范车间", "县级"),
        ("无锡市2021年度智能制造示范工厂", "市级"),
        ("市级智能制造示范工厂", "市级"),
        ("连云港市2022年智能制造示范工厂", "市级"),  # holds 连云 (a district) but not 连云区
        ("2022年度智能制造优秀场景", None),
    ],
)
def test_level_named_by_the_text(text: str, level: HonourLevel | None) -> None:
    assert parse_honour(text).level == level


def test_year_and_several() -> None:
    h = parse_honour(" 江苏省专精特新中小企业（2023年） ")
    assert (h.text, h.year, h.several) == ("江苏省专精特新中小企业（2023年）", 2023, False)
    assert parse_honour("工信部智能制造示范工厂或优秀场景").several
    assert parse_honour("省级示范智能车间").year is None


def test_match_is_certain_close_or_none() -> None:
    certain = match_honour(parse_honour("工信部2022年度智能制造优秀场景"), SCENE)
    assert certain is not None and (certain.match, certain.reason) == ("certain", None)
    close = match_honour(parse_honour("2022年度智能制造优秀场景"), SCENE)
    assert close is not None and (close.match, close.reason) == ("close", "未写明颁发级别")
    assert match_honour(parse_honour("江苏省智能制造优秀场景"), SCENE) is None  # another level
    assert match_honour(parse_honour("国家级专精特新小巨人企业"), SCENE) is None  # another honour


def test_close_names_every_missing_word() -> None:
    pattern = HonourPattern(name="国家级工业互联网试点示范项目", terms=["工业互联网", "试点", "示范项目"])
    m = match_honour(parse_honour("国家级示范项目"), pattern)
    assert m is not None and (m.match, m.reason) == ("close", "名称中没有「工业互联网、试点」")


def test_best_match_prefers_certain_to_close_whatever_the_order() -> None:
    # 江苏省创新型中小企业: certainly 创新型中小企业; close to 省级专精特新中小企业 (no 专精特新)
    h = parse_honour("江苏省创新型中小企业")
    for patterns in ([SPECIALISED, INNOVATIVE], [INNOVATIVE, SPECIALISED]):
        m = best_match(h, patterns)
        assert m is not None and (m.pattern.name, m.match) == ("创新型中小企业", "certain")
    close = best_match(parse_honour("专精特新中小企业"), [INNOVATIVE, SPECIALISED])
    assert close is not None and (close.pattern.name, close.match) == ("省级专精特新中小企业", "close")
    assert best_match(parse_honour("高新技术企业"), [INNOVATIVE, SPECIALISED]) is None
