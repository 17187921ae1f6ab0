"""The .docx reader: labels, values, merged and nested cells, sections, tables,
locations, garbled cells, the official forms, programme detection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from corpus.loader import default_corpus
from ingestion.drafts import DraftError, detect_programme, read_draft
from tests.fixtures.drafts.build import label_table, new_doc, save
from tests.fixtures.drafts.official import fill_right, official_docx, tick
from tests.fixtures.drafts.official import save as save_official

JS = "js-iif-2022"
NT = "nt-smart-factory-2022"


def _read(doc, tmp_path: Path, corpus, pid: str = JS, name: str = "d.docx"):
    return read_draft(save(doc, tmp_path / name), corpus.programmes[pid], corpus)


def test_spaced_fullwidth_and_unit_suffixed_labels(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["项 目 名 称：", "智能工厂改造项目"],
            ["统一社会信用代码:", "91320100MA1ABCDE2X"],
            ["项目总投资投入（万元）", "３，５００"],  # full-width digits and comma
            ["平台和系统开发费", "１２００.５"],  # label without its unit suffix
            ["项目人员数量", "４５人"],
            ["负债率", "３５．５%"],
        ],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.project.name == "智能工厂改造项目"
    assert d.enterprise.credit_code == "91320100MA1ABCDE2X"
    assert d.project.investment.total == 3500.0
    assert d.originals["project.investment.total"] == "３，５００"
    assert d.project.investment.platform_dev == 1200.5
    assert d.metrics["project_staff"] == 45.0
    assert d.enterprise.liabilities_ratio == 35.5
    assert d.locations["project.name"] == "表1 第1行第2列"
    assert d.locations["project.investment.total"] == "表1 第3行第2列"


@pytest.mark.parametrize(
    ("label", "text", "wan"),
    [
        ("项目总投资投入(万元)", "0.2亿元", 2000.0),
        ("项目总投资投入(万元)", "贰仟万元整", 2000.0),
        ("项目总投资投入(万元)", "两千", 2000.0),
        ("项目总投资投入(万元)", "20,000,000元", 2000.0),
        ("项目总投资投入(万元)", "¥2,000", 2000.0),
        ("项目总投资投入（元）", "20000000", 2000.0),  # the unit printed in the label wins
        ("项目总投资投入（亿元）", "0.35", 3500.0),
    ],
)
def test_money_is_normalised_to_wan_with_the_original_kept(label, text, wan, tmp_path, corpus):
    doc = new_doc()
    label_table(doc, [[label, text]])
    d = _read(doc, tmp_path, corpus)
    assert d.project.investment.total == wan
    assert d.originals["project.investment.total"] == text


def test_dates_periods_lists_and_bad_values(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["成立时间", "２０１０年５月２０日"],
            ["项目建设时间", "2021.3--2022.6"],
            ["贯标时间", "二〇二〇年三月"],
            ["主营业务收入（万元）", "约一些"],
        ],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.founded_date == dt.date(2010, 5, 20)
    assert (d.project.start, d.project.end) == (dt.date(2021, 3, 1), dt.date(2022, 6, 30))
    assert d.originals["project.end"] == "2021.3--2022.6"
    assert d.enterprise.two_integration.date == dt.date(2020, 3, 1)
    assert d.enterprise.revenue is None
    assert any("主营业务收入" in n and "约一些" in n for n in d.reader_notes)


def test_list_field_and_empty_list(tmp_path, corpus):
    doc = new_doc()
    label_table(doc, [["近三年智能制造领域取得的荣誉资质", "省级示范智能车间；市级智能工厂、专精特新"]])
    d = _read(doc, tmp_path, corpus, NT)
    assert d.enterprise.honours == ["省级示范智能车间", "市级智能工厂", "专精特新"]
    doc = new_doc()
    label_table(doc, [["近三年智能制造领域取得的荣誉资质", "无"]])
    assert _read(doc, tmp_path, corpus, NT, "e.docx").enterprise.honours == []


def test_merged_cells_are_read_once(tmp_path, corpus):
    doc = new_doc()
    t = label_table(
        doc,
        [
            ["企业基本信息", "企业名称", "某某股份有限公司", ""],
            ["企业基本信息", "详细地址", "江苏省苏州市昆山市", ""],
            ["企业基本信息", "联系人信息", "姓名", "李四"],
            ["企业基本信息", "联系人信息", "移动电话", "13900000000"],
        ],
    )
    for r in range(4):  # vertical merge of the category column
        t.cell(r, 0).text = ""
    t.cell(0, 0).merge(t.cell(3, 0)).text = "企业基本信息"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "某某股份有限公司"  # horizontal merge of the value
    t.cell(2, 1).merge(t.cell(3, 1)).text = "联系人信息"
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.name == "某某股份有限公司"
    assert d.enterprise.registered_address == "江苏省苏州市昆山市"
    assert d.enterprise.contact == "李四"
    assert d.enterprise.phone == "13900000000"
    assert d.locations["enterprise.name"] == "表1 第1行第3列"
    assert d.reader_notes == []


def test_sub_label_passes_the_value_to_its_label(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["联系人", "姓名", "王五", "电话", "0513-1234567"],
            ["联系人", "职务", "经理", "手机", "13700000000"],
        ],
    )
    d = _read(doc, tmp_path, corpus, NT)
    assert d.enterprise.contact == "王五"
    assert d.enterprise.phone == "13700000000"


def test_nested_tables_are_kept_in_order(tmp_path, corpus):
    doc = new_doc()
    outer = doc.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "基本信息"
    inner = outer.cell(1, 0).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "企业名称"
    inner.cell(0, 1).text = "嵌套表格有限公司"
    inner.cell(1, 0).text = "网络技术"
    inner.cell(1, 1).text = "☑5G □4G"
    after = doc.add_table(rows=1, cols=2)
    after.cell(0, 0).text = "所属行业"
    after.cell(0, 1).text = "制造业"
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.name == "嵌套表格有限公司"
    assert d.locations["enterprise.name"] == "表2 第1行第2列"
    assert d.selections["js-iif-2022-network"] == ["5g"]
    assert d.enterprise.industry == "制造业"
    assert d.locations["enterprise.industry"] == "表3 第1行第2列"


def test_matrix_of_years(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["财务情况", "", "2019 年", "2020 年", "2021 年"],
            ["总资产（万元）", "", "5000", "6000", "7,000"],
            ["主营业务收入（万元）", "", "0.8亿元", "9000", "10000"],
        ],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.metrics["total_assets_2019"] == 5000.0
    assert d.metrics["total_assets_2020"] == 6000.0
    assert d.enterprise.total_assets == 7000.0
    assert d.metrics["revenue_2019"] == 8000.0
    assert d.enterprise.revenue == 10000.0
    assert d.locations["enterprise.revenue"] == "表1 第3行第5列"


def test_cover_inline_labels_and_conflicts(tmp_path, corpus):
    doc = new_doc("江苏省工业互联网标杆工厂申报书")
    doc.add_paragraph("申报单位（盖章）：甲公司")
    doc.add_paragraph("项目名称：  ________")
    doc.add_paragraph("申报日期：")
    doc.add_paragraph("2022 年 5 月 10 日")
    label_table(doc, [["企业名称", "乙公司"]])
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.name == "乙公司"  # tables are read first; the cover disagrees
    assert d.application_date == dt.date(2022, 5, 10)
    assert d.locations["application_date"] == "第4段"
    assert d.project.name is None
    assert any("企业名称" in n and "甲公司" in n and "乙公司" in n for n in d.reader_notes)


def test_sections_under_headings_and_in_cells(tmp_path, corpus):
    doc = new_doc()
    doc.add_heading("二、项目建设情况", level=1)
    doc.add_heading(
        "（一）、企业概况（成立时间、发展历程、资本性质、组织结构、财务状况、经营情况、技术水平等。）",
        level=2,
    )
    doc.add_paragraph("公司成立于2005年，注册资本1亿元。")
    doc.add_paragraph("")
    doc.add_paragraph("2021年营业收入12亿元。")
    doc.add_paragraph("（二）、项目建设投入情况")  # a heading without a heading style
    doc.add_paragraph("累计投入2500万元。")
    doc.add_heading("三、项目主要成效和亮点", level=1)
    doc.add_paragraph("（此处为汇总说明，不属于上一节）")
    label_table(
        doc,
        [["项目总体描述", "(按照工业互联网标杆工厂建设指南及说明进行描述,不超过1000字)", "总体描述正文。"]],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.sections["company_profile"] == "公司成立于2005年，注册资本1亿元。\n2021年营业收入12亿元。"
    assert d.sections["investment"] == "累计投入2500万元。"
    assert d.sections["overview"] == "总体描述正文。"
    assert d.locations["sections.company_profile"] == "第2段"
    assert d.locations["sections.overview"] == "表1 第1行第3列"


def test_section_hint_paragraph_is_not_content(tmp_path, corpus):
    doc = new_doc()
    doc.add_heading("二、总体情况", level=1)
    doc.add_paragraph("申报单位和工厂概述（包括基本情况、实施周期、建设内容、实施团队等）")
    doc.add_paragraph("本工厂位于南通市。")
    doc.add_heading("四、先进性、示范性与特色", level=1)
    doc.add_paragraph(
        "此部分重点阐述企业智能制造技术水平的先进性、对行业企业的示范带动性，建设特色和亮点，可复制可推广的内容、模式等。"
    )
    d = _read(doc, tmp_path, corpus, NT)
    assert d.sections == {"general": "本工厂位于南通市。"}


def test_scenario_table_by_header(tmp_path, corpus):
    doc = new_doc()
    t = label_table(
        doc,
        [
            [
                "序号",
                "所属环节名称",
                "具体描述（结合要素条件进行描述）（150字以内）",
                "解决的痛点问题描述（150字以内）",
                "采用的技术方案（包括供应商）（300字以内，可以配图）",
                "保障要素（如人、管理机制、组织标准、培训等）（150字以内，选填）",
                "实施成果（最好通过量化指标描述）（200字以内）",
                "其他（如对于其他车间、工厂的带动效应等）（150字以内，选填）",
                "备注",
            ],
            [
                "示例",
                "生产制造",
                "针对发动机壳体加工，搭建多台五轴机床+多台机器人组成柔性加工单元",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ["1", "生产作业", "部署MES", "效率低", "某公司MES", "", "效率提升20%", "", ""],
            ["2", "", "AGV配送", "人工搬运", "AGV", "", "减少搬运工6人", "", ""],
            ["3", "", "", "", "", "", "", "", ""],
        ],
    )
    t.cell(2, 1).merge(t.cell(3, 1)).text = "生产作业"  # one 环节 for two scenarios
    d = _read(doc, tmp_path, corpus, NT)
    rows = d.tables["scenarios"]
    assert [r["link"] for r in rows] == ["生产作业", "生产作业"]
    assert rows[0] == {
        "seq": "1",
        "link": "生产作业",
        "description": "部署MES",
        "pain_points": "效率低",
        "solution": "某公司MES",
        "support": "",
        "results": "效率提升20%",
        "other": "",
        "remarks": "",
    }
    assert d.locations["tables.scenarios.2"] == "表1 第4行"


def test_segmented_link_sections(tmp_path, corpus):
    doc = new_doc()
    doc.add_heading("三、重点环节建设情况", level=1)
    doc.add_paragraph(
        "申报单位按照工厂类型，对《南通市智能工厂培育企业建设要点》明确的环节分段描述，描述应重点突出、"
        "言简意赅、逻辑严密，每个环节字数请控制在1000字以内，可配图说明。"
    )
    doc.add_paragraph("一、工艺设计环节")
    doc.add_paragraph("应用三维设计软件。")
    doc.add_paragraph("建立PDM系统。")
    doc.add_paragraph("（二）计划调度")
    doc.add_paragraph("部署APS。")
    doc.add_heading("四、先进性、示范性与特色", level=1)
    doc.add_paragraph("示范性强。")
    d = _read(doc, tmp_path, corpus, NT)
    assert d.tables["link_sections"] == [
        {"link": "工艺设计环节", "text": "应用三维设计软件。\n建立PDM系统。"},
        {"link": "计划调度", "text": "部署APS。"},
    ]
    assert d.sections["advanced"] == "示范性强。"


def test_garbled_cells_stay_empty_with_a_note(tmp_path, corpus):
    doc = new_doc()
    label_table(
        doc,
        [
            ["企业名称", "锟斤拷锟斤拷有限公司"],
            ["所属行业", "\ufffd\ufffd\ufffd"],
            ["详细地址", "Ã¤Â¸Â­Ã¥Â›Â½"],
            ["项目名称", "正常项目"],
        ],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.name is None
    assert d.enterprise.industry is None
    assert d.enterprise.registered_address is None
    assert d.project.name == "正常项目"
    assert d.locations["enterprise.name"] == "表1 第1行第2列"
    assert sum("乱码" in n for n in d.reader_notes) == 3


def test_official_js_iif_form_filled_by_hand(tmp_path, corpus):
    doc = official_docx("js-iif-2022-form", corpus)
    fill_right(doc, "企业名称", "南京某某智能科技有限公司")
    fill_right(doc, "所属地区", "江苏省南京市江宁区")
    fill_right(doc, "总资产（万元）", "5,000", skip=1)
    fill_right(doc, "总资产（万元）", "6000", skip=2)
    fill_right(doc, "总资产（万元）", "0.7亿元", skip=3)
    fill_right(doc, "项目建设时间", "2021年1月--2022年3月", skip=1)  # written over "XX年XX月-- XX年XX月"
    fill_right(doc, "测试验证和项目咨询费(万元)", "叁佰万元")
    fill_right(doc, "姓名", "张三")
    fill_right(doc, "1", "国家级")
    fill_right(doc, "1", "两化融合贯标试点企业", skip=1)
    tick(doc, "是", "5G", "工业以太网", "1、生产工艺优化", "自建工业互联网平台", "物联网")
    path = save_official(doc, tmp_path / "official.docx")
    d = read_draft(path, corpus.programmes[JS], corpus)
    assert d.enterprise.name == "南京某某智能科技有限公司"
    assert d.enterprise.registered_address == "江苏省南京市江宁区"
    assert (d.metrics["total_assets_2019"], d.metrics["total_assets_2020"], d.enterprise.total_assets) == (
        5000.0,
        6000.0,
        7000.0,
    )
    assert (d.project.start, d.project.end) == (dt.date(2021, 1, 1), dt.date(2022, 3, 31))
    assert d.project.investment.testing_consulting == 300.0
    assert d.enterprise.contact == "张三"
    assert d.enterprise.two_integration.certified is True
    assert d.tables["honours"] == [
        {"seq": "1", "level": "国家级", "name": "两化融合贯标试点企业", "date": ""}
    ]
    assert d.enterprise.honours == ["两化融合贯标试点企业"]
    assert d.selections["js-iif-2022-network"] == ["5g", "industrial-ethernet"]
    assert d.selections["js-iif-2022-platform"] == ["self-built"]
    assert d.selections["js-iif-2022-mfg"] == ["1"]
    assert d.selections["js-iif-2022-clusters"] == ["c03"]
    assert d.selections["js-iif-2022-security"] == []
    assert d.attachments == []  # the printed list is not a list of attached files
    assert d.sections == {}
    assert detect_programme(path, corpus) == JS


def test_official_nt_form_filled_by_hand(tmp_path, corpus):
    doc = official_docx("nt-2022-form", corpus)
    fill_right(doc, "企业名称", "南通某某机械有限公司")
    fill_right(doc, "资产总额（万元）", "8000", skip=0)  # 2020
    fill_right(doc, "资产总额（万元）", "9000", skip=1)  # 2021
    fill_right(doc, "主营业务收入（万元）", "12,000", skip=1)
    fill_right(doc, "用工人数（人）", "300")
    fill_right(doc, "用工人数（人）", "220", skip=1)
    fill_right(doc, "企业简介", "公司主营齿轮箱。", skip=1)
    tick(doc, "中型企业", "离散型", "三级", "否")
    path = save_official(doc, tmp_path / "nt.docx")
    d = read_draft(path, corpus.programmes[NT], corpus)
    assert d.enterprise.name == "南通某某机械有限公司"
    assert d.enterprise.total_assets == 9000.0  # the 2021 column, not 2020
    assert d.enterprise.revenue == 12000.0
    assert (d.metrics["workers_before"], d.metrics["workers_after"]) == (300.0, 220.0)
    assert d.sections["intro"] == "公司主营齿轮箱。"
    assert d.enterprise.size_class == "中型"
    assert d.factory_type == "离散型"
    assert d.enterprise.maturity_level == 3.0
    assert d.enterprise.major_accident is False
    assert d.tables["scenarios"] == []  # the worked example row is not a scenario
    assert detect_programme(path, corpus) == NT


def test_a_form_of_another_programme_is_refused(tmp_path, corpus):
    doc = official_docx("nt-2022-form", corpus)
    path = save_official(doc, tmp_path / "nt.docx")
    with pytest.raises(DraftError) as e:
        read_draft(path, corpus.programmes[JS], corpus)
    assert e.value.code == "wrong_programme"
    assert "南通" in str(e.value) and "不是所选申报项目" in str(e.value)
    d = read_draft(path, corpus.programmes[JS], corpus, check_programme=False)
    assert d.programme == JS


def test_follow_form_reads_another_programmes_form_for_that_programme(tmp_path, corpus):
    # issue #10 item 14: a recognisable form is read for its own programme, not refused
    doc = official_docx("nt-2022-form", corpus)
    path = save_official(doc, tmp_path / "nt.docx")
    d = read_draft(path, corpus.programmes[JS], corpus, follow_form=True)
    assert d.programme == NT
    assert d == read_draft(path, corpus.programmes[NT], corpus)  # as if NT had been chosen


def test_follow_form_keeps_the_chosen_programme_when_the_form_cannot_be_told(tmp_path, corpus):
    doc = new_doc("一份普通的工作总结")
    path = save_official(doc, tmp_path / "x.docx")
    with pytest.raises(DraftError) as e:  # nothing of a form in it: still refused
        read_draft(path, corpus.programmes[JS], corpus, follow_form=True)
    assert e.value.code != "wrong_programme"


def test_detect_programme_unknown_document(tmp_path, corpus):
    doc = new_doc("一份普通的工作总结")
    label_table(doc, [["企业名称", "某公司"]])
    assert detect_programme(save(doc, tmp_path / "x.docx"), corpus) is None


def test_text_runs_are_joined_once_with_marks_kept_between() -> None:
    """Issue 10: a cell written as thousands of runs is joined in one pass
    (joining one run at a time was quadratic: 400k characters took 4.4 s)."""
    from ingestion.drafts.docx_blocks import Mark, _merge_text

    box = Mark("ticked", "char")
    pieces = ["智能"] * 10_000
    assert _merge_text([*pieces, box, "a", "b", box]) == ["智能" * 10_000, box, "ab", box]
    assert _merge_text([]) == []
    assert _merge_text([box, box]) == [box, box]


# ---------------------------------------------------------------- issue 10


def _retyped_js_iif(corpus, amounts: dict[str, str]):
    """The js-iif-2022 form retyped the common way: "其中：平台和系统开发费(万元)"
    in one cell where the official form merges "其中" into a cell of its own."""
    from tests.fixtures.drafts.official import markdown_docx

    body = corpus.docs["js-iif-2022-form"].body
    for label in (
        "平台和系统开发费(万元)",
        "智能设备(终端)购置费(万元)",
        "测试验证和项目咨询费(万元)",
        "项目实施人员工资(万元)",
    ):
        old = f"| 项目信息 | 其中 | {label} |  |"
        assert old in body
        body = body.replace(old, f"| 项目信息 | 其中：{label} |  |  |")
    doc = markdown_docx(body)
    for label, value in amounts.items():
        fill_right(doc, label, value)
    return doc


def test_qizhong_prefixed_investment_labels_catch_the_salary_trap(tmp_path, corpus):
    """Issue 10 item 1: with "其中：" in the label cell the categories were lost:
    investment-min said unknown (the salary-trap draft was not caught) and
    investment-sum warned. 800 + 500 + 200 = 1500 < 2000; only the 1100 of
    salaries lifts the total to 2600 (the notice: salaries do not count)."""
    from checkers.engine import run_rules

    doc = _retyped_js_iif(
        corpus,
        {
            "项目总投资投入(万元)": "2600",
            "其中：平台和系统开发费(万元)": "800",
            "其中：智能设备(终端)购置费(万元)": "500",
            "其中：测试验证和项目咨询费(万元)": "200",
            "其中：项目实施人员工资(万元)": "1100",
        },
    )
    d = read_draft(save_official(doc, tmp_path / "retyped.docx"), corpus.programmes[JS], corpus)
    inv = d.project.investment
    assert (inv.total, inv.platform_dev, inv.equipment, inv.testing_consulting, inv.salaries) == (
        2600.0,
        800.0,
        500.0,
        200.0,
        1100.0,
    )
    status = {f.id.split(":")[1]: f.status for f in run_rules(corpus.programmes[JS], d, corpus.lists)}
    assert status["investment-min"] == "fail"
    assert status["investment-sum"] == "pass"


PREFIXES = ("其中：", "1、", "（2）", "③", "含", "4. ", "(5)", "⑥ ")


@pytest.mark.parametrize(
    "pid", sorted(pid for pid, spec in default_corpus().programmes.items() if spec.fields)
)
def test_prefixed_labels_are_found_in_every_programmes_form(pid, tmp_path, corpus):
    """Issue 10 item 1: every label cell of the programme's form (its official
    layout where there is one), matrix rows included, retyped with a prefix
    forms use — 其中：, 1、, （2）, ③, 含, 4. — and half of them with a trailing
    colon: the filled form still reads back every value."""
    import itertools

    import docx

    from app.templates import fill_template
    from core.draft import resolve_path
    from ingestion.drafts.fields import spec_index
    from ingestion.drafts.labels import split_compound
    from tests.fixtures.drafts.official import iter_cells
    from tests.fixtures.drafts.sample import sample_draft

    spec = corpus.programmes[pid]
    idx = spec_index(spec, corpus)
    labels = {split_compound(lab)[0] for f in idx.fields for lab in f.labels}
    draft = sample_draft(pid, corpus)
    path = tmp_path / f"{pid}.docx"
    fill_template(spec, corpus, draft, path)
    doc = docx.Document(str(path))
    prefixes = itertools.cycle(PREFIXES)
    retyped = 0
    for cell in iter_cells(doc):
        text = cell.text.strip()
        if text in labels:
            runs = cell.paragraphs[0].runs
            runs[0].text = next(prefixes) + text + ("：" if retyped % 2 else "")
            for r in runs[1:]:
                r.text = ""
            retyped += 1
    assert retyped >= 10
    doc.save(str(path))
    back = read_draft(path, spec, corpus)
    for info in idx.fields:
        assert resolve_path(back, info.path) == resolve_path(draft, info.path), info.path
    assert back.reader_notes == []


def test_strip_label_prefix() -> None:
    from ingestion.drafts.labels import strip_label_prefix, strip_numbering

    for text in (
        "其中：平台和系统开发费",
        "其中:1、平台和系统开发费",
        "（1）平台和系统开发费",
        "①平台和系统开发费",
        "1.平台和系统开发费",
        "含：平台和系统开发费",
        "1、其中：②平台和系统开发费",
    ):
        assert strip_label_prefix(text) == "平台和系统开发费", text
    assert strip_label_prefix("其中") == ""
    assert strip_numbering("①平台") == "平台"  # NFKC made ① a bare "1" that no numbering pattern took


def test_a_hostile_long_cell_or_paragraph_refuses_the_file(tmp_path, corpus):
    """Issue 10 item 10: one text is capped (20,000 characters); the file is
    refused with a Chinese message naming where, nothing silently cut."""
    from ingestion.drafts.limits import MAX_TEXT_CHARS

    doc = new_doc()
    label_table(doc, [["项目名称", "智" * (MAX_TEXT_CHARS + 1)]])
    with pytest.raises(DraftError) as e:
        _read(doc, tmp_path, corpus)
    assert e.value.code == "text_too_long" and "表1 第1行第2列" in str(e.value) and "20,001" in str(e.value)

    doc = new_doc()
    t = label_table(doc, [["项目名称", ""]])
    for _ in range(30):  # many short paragraphs in one cell: the cell is what is capped
        t.cell(0, 1).add_paragraph("能" * 1000)
    with pytest.raises(DraftError) as e:
        _read(doc, tmp_path, corpus, name="cell.docx")
    assert e.value.code == "text_too_long" and "单元格（表1 第1行第2列）" in str(e.value)

    doc = new_doc()
    label_table(doc, [["项目名称", "某项目"]])
    doc.add_paragraph("制" * 30_000)
    with pytest.raises(DraftError) as e:
        _read(doc, tmp_path, corpus, name="para.docx")
    assert e.value.code == "text_too_long" and "段落（第" in str(e.value) and "30,000" in str(e.value)

    doc = new_doc()
    label_table(doc, [["项目名称", "智" * MAX_TEXT_CHARS]])
    assert len(_read(doc, tmp_path, corpus, name="ok.docx").project.name or "") == MAX_TEXT_CHARS


def test_docx_values_are_normalised_like_json_ones(tmp_path, corpus):
    """Issue 10 item 4: the one normalisation covers the .docx reader too."""
    doc = new_doc()
    label_table(
        doc,
        [
            ["统一社会信用代码", "９１３２０１００ＭＡ１ＡＢＣＤＥ２Ｘ\u200b"],
            ["项目名称", "智能\u202e工厂"],
        ],
    )
    d = _read(doc, tmp_path, corpus)
    assert d.enterprise.credit_code == "91320100MA1ABCDE2X"
    assert d.project.name == "智能工厂"
