"""Every checkbox form found in real Word 申报书, read from .docx built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.drafts import read_draft
from ingestion.drafts.docx_blocks import Mark
from ingestion.drafts.options import Option, resolve_free_ticks, split_options
from tests.fixtures.drafts.build import (
    cc_checkbox,
    font_run,
    form_checkbox,
    label_table,
    new_doc,
    run,
    save,
    set_cell_xml,
    sym,
)

PID = "js-iif-2022"
NET = "js-iif-2022-network"

# (ticked mark XML, empty mark XML) for every style
STYLES: dict[str, tuple[str, str]] = {
    "unicode ☑/□": (run("☑"), run("□")),
    "unicode ☒/☐": (run("☒"), run("☐")),
    "unicode ■/□": (run("■"), run("□")),
    "unicode √/□": (run("√"), run("□")),
    "unicode ✓/☐": (run("✓"), run("☐")),
    "unicode ✔/□": (run("✔"), run("□")),
    "w:sym Wingdings F0FE/F0A8": (sym("Wingdings", "F0FE"), sym("Wingdings", "F0A8")),
    "w:sym Wingdings FD/6F": (sym("Wingdings", "00FD"), sym("Wingdings", "006F")),
    "w:sym Wingdings 2 F052/F0A3": (sym("Wingdings 2", "F052"), sym("Wingdings 2", "F0A3")),
    "w:sym Wingdings 2 F054/F0A3": (sym("Wingdings 2", "F054"), sym("Wingdings 2", "F0A3")),
    "w:sym Wingdings 2 F050 check/F0A3": (sym("Wingdings 2", "F050"), sym("Wingdings 2", "F0A3")),
    "Wingdings run þ/¨": (font_run("þ", "Wingdings"), font_run("¨", "Wingdings")),
    "Wingdings run x/o": (font_run("x", "Wingdings"), font_run("o", "Wingdings")),
    "Wingdings run PUA U+F0FE/U+F0A8": (font_run("\uf0fe", "Wingdings"), font_run("\uf0a8", "Wingdings")),
    "Wingdings 2 run R/£": (font_run("R", "Wingdings 2"), font_run("£", "Wingdings 2")),
    "Wingdings 2 run T/£": (font_run("T", "Wingdings 2"), font_run("£", "Wingdings 2")),
    "w14:checkbox content control": (cc_checkbox(True), cc_checkbox(False)),
    "legacy FORMCHECKBOX": (form_checkbox(True), form_checkbox(False)),
}


def _doc(tmp_path: Path, net_cell: list[str], yes_no_cell: list[str], name: str = "a.docx") -> Path:
    doc = new_doc("江苏省工业互联网标杆工厂申报书")
    t = label_table(doc, [["网络技术", ""], ["是否通过两化融合管理体系贯标", ""]])
    set_cell_xml(t.cell(0, 1), *net_cell)
    set_cell_xml(t.cell(1, 1), *yes_no_cell)
    return save(doc, tmp_path / name)


@pytest.mark.parametrize("style", list(STYLES))
def test_every_checkbox_style(style, tmp_path, corpus):
    on, off = STYLES[style]
    path = _doc(
        tmp_path,
        [on, run(" 5G "), off, run(" 4G "), on, run(" 工业以太网 "), off, run(" 现场总线")],
        [off, run("是 "), on, run("否")],
    )
    d = read_draft(path, corpus.programmes[PID], corpus)
    assert d.selections[NET] == ["5g", "industrial-ethernet"]
    assert d.enterprise.two_integration.certified is False
    assert d.locations[f"selections.{NET}"] == "表1 第1行第2列"
    assert d.locations[f"selections.{NET}.5g"] == "表1 第1行第2列"


def test_nothing_ticked_is_an_empty_selection_not_unknown(tmp_path, corpus):
    path = _doc(tmp_path, [run("□5G □4G")], [run("□是 □否")])
    d = read_draft(path, corpus.programmes[PID], corpus)
    assert d.selections[NET] == []
    assert d.enterprise.two_integration.certified is None
    assert "js-iif-2022-security" not in d.selections  # not printed → unknown, not []


@pytest.mark.parametrize(
    ("net", "yes_no", "expected_net", "certified"),
    [
        ("√5G □4G √工业以太网", "√是 □否", ["5g", "industrial-ethernet"], True),  # √ instead of the box
        ("□5G√ □4G □工业以太网√", "□是 □否√", ["5g", "industrial-ethernet"], False),  # √ after the label
        ("5G√ 4G 工业以太网", "是√ 否", ["5g"], True),  # no boxes at all, √ after
        ("√5G 4G 工业以太网", "是 √否", ["5g"], False),  # no boxes at all, √ before
        ("□ 5G\n☑ 4G", "是（√） 否", ["4g"], True),  # options on separate lines; (√) after the label
    ],
)
def test_tick_marks_before_or_after_the_label(net, yes_no, expected_net, certified, tmp_path, corpus):
    doc = new_doc()
    label_table(doc, [["网络技术", net], ["是否通过两化融合管理体系贯标", yes_no]])
    d = read_draft(save(doc, tmp_path / "t.docx"), corpus.programmes[PID], corpus)
    assert d.selections[NET] == expected_net
    assert d.enterprise.two_integration.certified is certified


def test_two_ticks_on_a_yes_no_field_are_not_guessed(tmp_path, corpus):
    doc = new_doc()
    label_table(doc, [["是否通过两化融合管理体系贯标", "☑是 ☑否"]])
    d = read_draft(save(doc, tmp_path / "t.docx"), corpus.programmes[PID], corpus)
    assert d.enterprise.two_integration.certified is None
    assert any("同时勾选" in n and "是否通过两化融合管理体系贯标" in n for n in d.reader_notes)


def test_option_text_runs_to_the_next_box():
    tokens = [
        Mark("ticked", "char"),
        "自建工业互联网平台 平台名称：某某云 ",
        Mark("empty", "char"),
        "接入应用非自建工业互联网平台",
    ]
    opts = split_options(tokens)
    assert [(o.label, o.ticked) for o in opts] == [
        ("自建工业互联网平台 平台名称：某某云", True),
        ("接入应用非自建工业互联网平台", False),
    ]


def test_free_ticks_use_spacing_when_both_sides_name_an_option():
    tick = Option("否", True, free=True, before="是", after=" 否")
    assert resolve_free_ticks([tick], ["是", "否"]) == ["是"]
    tick = Option("否", True, free=True, before="是 ", after="否")
    assert resolve_free_ticks([tick], ["是", "否"]) == ["否"]


def test_grouped_lists_numbered_labels_and_context(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["制造系统能力", "1、生产现场优化", "☑ 1、生产工艺优化 □ 2、质量检测分析"],
            ["制造系统能力", "2、生产管理优化", "☑ 3、进度智能管控 ☑ 5、能源效率优化"],
            [
                "标杆能力",
                "2、资产全流程优化",
                "☑ 1、工厂设计仿真优化 ☑ 2、工厂资产运行优化 ☑ 3、工厂资产故障预测",
            ],
            ["所属类型", "□ 离散行业 ☑ 流程行业 □ 其他_____", ""],
            ["是否先进制造业集群", "☑ 物联网 □ 高端纺织 □ 非先进制造业集群", ""],
        ],
    )
    d = read_draft(save(doc, tmp_path / "g.docx"), corpus.programmes[PID], corpus)
    assert d.selections["js-iif-2022-mfg"] == ["1", "3", "5"]
    assert d.selections["js-iif-2022-benchmark"] == ["2-1", "2-2", "2-3"]
    assert d.selections["js-iif-2022-industry-type"] == ["process"]
    assert d.selections["js-iif-2022-clusters"] == ["c03"]


def test_filled_other_option_and_inline_platform_name(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["所属类型", "□ 离散行业 □ 流程行业 ☑ 其他 汽车零部件"],
            [
                "平台技术",
                "☑ 自建工业互联网平台 平台名称：星云工业互联网平台 "
                "□ 接入应用非自建工业互联网平台 平台名称：_____",
            ],
        ],
    )
    d = read_draft(save(doc, tmp_path / "o.docx"), corpus.programmes[PID], corpus)
    assert d.selections["js-iif-2022-industry-type"] == ["other"]
    assert d.selections["js-iif-2022-platform"] == ["self-built"]
    assert d.project.platform_name == "星云工业互联网平台"


def test_choice_fields_from_ticks(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["企业类型", "□大型企业 ☑中型企业 □小型企业 □微型企业"],
            ["工厂类型", "□流程型 ☑离散型"],
            ["智能制造能力成熟度评估结果或其他能力证明材料", "□一级 □二级 ☑三级 □四级 □五级"],
            ["企业近三年是否发生过重大、特大安全生产与环境事故", "□是（事故名称：____） ☑否"],
        ],
    )
    d = read_draft(save(doc, tmp_path / "c.docx"), corpus.programmes["nt-smart-factory-2022"], corpus)
    assert d.enterprise.size_class == "中型"
    assert d.factory_type == "离散型"
    assert d.enterprise.maturity_level == 3.0
    assert d.enterprise.major_accident is False
    assert d.selections["nt-size-classes"] == ["medium"]
    assert d.selections["nt-factory-types"] == ["discrete"]
    assert d.selections["nt-maturity-levels"] == ["3"]
