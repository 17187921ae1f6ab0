"""``shenbao fill``: values written back into the writer's own .docx, where the
reader finds each field, the layout kept; re-checking shows the findings the
missing values left unknown resolved (expected outcomes from the policy texts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from typer.testing import CliRunner

from app.checking import check_draft
from app.cli import app
from app.templates import fill_template
from app.word.fill import fill_docx
from app.word.values_file import FillError, plan_values
from core.draft import Draft
from ingestion.drafts import read_draft
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

ROOT = Path(__file__).resolve().parents[1]
BASES = ROOT / "eval" / "checkers" / "base"
EXAMPLES = ROOT / "examples"
runner = CliRunner()
NT = "nt-smart-factory-2022"
IIF = "js-iif-2022"


def _statuses(path: Path, pid: str, corpus: Any) -> dict[str, str]:
    spec = corpus.programme(pid)
    report = check_draft(read_draft(path, spec, corpus), spec, corpus, path.name)
    return {f.id.split(":", 1)[1]: f.status for f in report.findings}


def _drop(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    cur = data
    for p in parents:
        cur = cur[p]
    cur.pop(last)


def _write_values(tmp_path: Path, values: dict[str, Any], name: str = "values.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fill_cli(draft: Path, values: Path, out: Path, *extra: str) -> Any:
    return runner.invoke(app, ["fill", str(draft), "--values", str(values), "--out", str(out), *extra])


# ----------------------------------------------------------------- the template's layout

NT_MISSING = [
    "enterprise.registered_address",
    "enterprise.founded_date",
    "enterprise.employees",
    "enterprise.revenue",
    "enterprise.size_class",
    "enterprise.maturity_level",
    "enterprise.major_accident",
    "attestations.independent_legal_person",
    "factory_type",
    "sections.intro",
    "application_date",
]
# As a writer would type them (the values of the compliant base draft).
NT_VALUES: dict[str, Any] = {
    "enterprise": {
        "registered_address": "江苏省南通市通州区兴东街道通扬路298号",
        "founded_date": "2009年12月8日",
        "employees": 620,
        "revenue": "3.86亿元",
        "size_class": "中型",
        "maturity_level": "三级",
        "major_accident": "否",
    },
    "attestations": {"independent_legal_person": True},
    "factory_type": "离散型",
    "application_date": "2022-11-18",
}


@pytest.fixture()
def nt_blank(tmp_path: Path, corpus: Any) -> Path:
    """The official 南通 form (template writer) filled with the compliant base
    draft, minus the fields in :data:`NT_MISSING`."""
    data = json.loads((BASES / "nt-smart-factory-2022.discrete.json").read_text(encoding="utf-8"))
    intro = data["sections"]["intro"]
    for path in NT_MISSING:
        _drop(data, path)
    out = tmp_path / "南通-缺项.docx"
    fill_template(corpus.programme(NT), corpus, Draft.model_validate(data), out)
    (tmp_path / "intro.txt").write_text(intro, encoding="utf-8")
    return out


def test_missing_values_leave_rules_unknown_and_filling_them_resolves_them(nt_blank, tmp_path, corpus):
    before = _statuses(nt_blank, NT, corpus)
    decided_by_missing = [
        "registered-in-nantong",  # 注册在南通 (address)
        "operating-years",  # ≥1 年 on 2022-09-30 (founding date)
        "maturity-level",  # GB/T 39116 ≥ 二级
        "size-class",  # ticked class vs 从业人员 and 营业收入
        "no-major-accident",
        "independent-legal-person",
        "intro-length",  # 企业简介 ≤ 500 字
        "deadline",
    ]
    assert all(before[r] == "unknown" for r in decided_by_missing), before
    values = {**NT_VALUES, "sections.intro": (tmp_path / "intro.txt").read_text(encoding="utf-8")}
    out = tmp_path / "南通-已填写.docx"
    result = _fill_cli(nt_blank, _write_values(tmp_path, values), out, "-p", NT)
    assert result.exit_code == 0, result.output
    after = _statuses(out, NT, corpus)
    # 南通市通州区 is in 南通; founded 2009 → 13 years on 2022-09-30; 三级 ≥ 二级;
    # 620 人 and 38600 万元 are 中型 (300-1000 人, 2000-40000 万元); the intro is within 500 字.
    assert {r: after[r] for r in decided_by_missing} == dict.fromkeys(decided_by_missing, "pass")
    assert "unknown" not in after.values()
    d = read_draft(out, corpus.programme(NT), corpus)
    assert d.enterprise.revenue == 38600 and d.enterprise.size_class == "中型"
    assert d.enterprise.maturity_level == 3 and d.enterprise.major_accident is False


def test_the_filled_form_keeps_every_other_paragraph_and_cell(nt_blank, tmp_path):
    out = tmp_path / "out.docx"
    assert _fill_cli(nt_blank, _write_values(tmp_path, NT_VALUES), out, "-p", NT).exit_code == 0
    a, b = docx.Document(str(nt_blank)), docx.Document(str(out))
    assert [p.style.name for p in a.paragraphs] == [p.style.name for p in b.paragraphs]
    diff = [(x.text, y.text) for x, y in zip(a.paragraphs, b.paragraphs, strict=True) if x.text != y.text]
    assert diff == [("申报日期：________", "申报日期：2022年11月18日")]  # the blank after the label only
    assert len(a.tables) == len(b.tables)
    changed: list[tuple[str, str]] = []
    for ta, tb in zip(a.tables, b.tables, strict=True):
        assert ta._tbl.tblPr.xml == tb._tbl.tblPr.xml
        tcs_a, tcs_b = list(ta._tbl.iter_tcs()), list(tb._tbl.iter_tcs())
        assert len(tcs_a) == len(tcs_b)  # merged cells stay merged (same <w:tc> count)
        for ca, cb in zip(tcs_a, tcs_b, strict=True):
            pr_a, pr_b = ca.tcPr, cb.tcPr
            assert (pr_a.xml if pr_a is not None else "") == (pr_b.xml if pr_b is not None else "")
            text_a = "".join(t.text or "" for t in ca.iter(ca.tag.replace("tc", "t")))
            text_b = "".join(t.text or "" for t in cb.iter(cb.tag.replace("tc", "t")))
            if text_a != text_b:
                changed.append((text_a, text_b))
    # only the value cells of the given fields: blanks written, boxes ticked in place
    assert sorted(changed) == sorted(
        [
            ("", "2009年12月8日"),
            ("", "620"),
            ("", "38600万元"),
            ("", "江苏省南通市通州区兴东街道通扬路298号"),
            ("□大型企业  □中型企业  □小型企业  □微型企业", "□大型企业  ☑中型企业  □小型企业  □微型企业"),
            ("□一级  □二级  □三级  □四级  □五级", "□一级  □二级  ☑三级  □四级  □五级"),
            ("□是  □否", "□是  ☑否"),  # 重大事故：否
            ("□离散型  □流程型", "☑离散型  □流程型"),
            ("□是  □否", "☑是  □否"),  # 独立法人：是
        ]
    )


# ----------------------------------------------------------------- the bundled examples


def _clear_value_of(doc: Any, label: str) -> None:
    """Empty the value cell right of the cell whose text starts with ``label``."""
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for i, cell in enumerate(cells[:-1]):
                if cell.text.strip().startswith(label) and cells[i + 1]._tc is not cell._tc:
                    cells[i + 1].text = ""
                    return
    raise AssertionError(label)


def _untick_yes_no(doc: Any, label: str) -> None:
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for i, cell in enumerate(cells[:-1]):
                if cell.text.strip().startswith(label):
                    cells[i + 1].text = "□是 □否"
                    return
    raise AssertionError(label)


def test_bundled_example_with_blanked_cells_is_filled_back_to_pass(tmp_path, corpus):
    doc = docx.Document(str(EXAMPLES / IIF / "合规示例.docx"))
    for label in ("平台和系统开发费", "智能设备", "测试验证和项目咨询费"):
        _clear_value_of(doc, label)
    _untick_yes_no(doc, "具有独立的法人资格")
    blank = save(doc, tmp_path / "缺项.docx")
    before = _statuses(blank, IIF, corpus)
    assert before["investment-min"] == "unknown" and before["legal-person"] == "unknown"
    values = {
        "project.investment.platform_dev": "980万元",
        "project.investment.equipment": 1260,
        "project.investment.testing_consulting": "210",
        "attestations.independent_legal_person": "是",
    }
    out = tmp_path / "已填写.docx"
    result = _fill_cli(blank, _write_values(tmp_path, values), out)  # programme from the form
    assert result.exit_code == 0, result.output
    after = _statuses(out, IIF, corpus)
    # 980 + 1260 + 210 = 2450 万元 ≥ 2000 万元 (一、申报条件 2); 总投资 2800 = the categories' sum
    assert after["investment-min"] == "pass"
    assert after["investment-sum"] == "pass"
    assert after["legal-person"] == "pass"
    assert after == _statuses(EXAMPLES / IIF / "合规示例.docx", IIF, corpus)


def test_replace_moves_the_tick_of_a_choice(tmp_path, corpus):
    src = EXAMPLES / NT / "问题示例-划型与字数.docx"
    values = _write_values(tmp_path, {"enterprise": {"employees": 620}})
    out = tmp_path / "out.docx"
    refused = _fill_cli(src, values, out, "-p", NT)
    assert refused.exit_code == 2 and "已填写" in refused.output and "--replace" in refused.output
    assert not out.exists()
    assert _fill_cli(src, values, out, "-p", NT, "--replace").exit_code == 0
    # 620 人 with 中型 ticked: 300-1000 人 is 中型 → the mistake of the example is gone
    assert _statuses(out, NT, corpus)["size-class"] == "pass"


def test_scenario_rows_are_appended_through_docx_into(tmp_path, corpus):
    src = EXAMPLES / NT / "合规示例-离散型.docx"
    spec = corpus.programme(NT)
    n = len(read_draft(src, spec, corpus).tables["scenarios"])
    row = {
        "link": "生产作业",
        "description": "冲压车间部署设备联网与数据采集系统。",
        "pain_points": "设备状态靠人工巡检。",
        "solution": "建设设备物联平台，实时采集120台设备的运行数据。",
        "results": "设备综合效率提升12%。",
    }
    out = tmp_path / "out.docx"
    result = _fill_cli(src, _write_values(tmp_path, {"rows": [row]}), out, "-p", NT)
    assert result.exit_code == 0, result.output
    rows = read_draft(out, spec, corpus).tables["scenarios"]
    assert len(rows) == n + 1
    assert rows[-1]["results"] == "设备综合效率提升12%。" and rows[-1]["link"] == "生产作业"


# ----------------------------------------------------------------- every checkbox form

STYLES: dict[str, str] = {
    "unicode □": run("□"),
    "unicode ☐": run("☐"),
    "w:sym Wingdings F0A8": sym("Wingdings", "F0A8"),
    "w:sym Wingdings 006F": sym("Wingdings", "006F"),
    "w:sym Wingdings 2 F0A3": sym("Wingdings 2", "F0A3"),
    "Wingdings run ¨": font_run("¨", "Wingdings"),
    "Wingdings run PUA U+F0A8": font_run("\uf0a8", "Wingdings"),
    "Wingdings 2 run £": font_run("£", "Wingdings 2"),
    "w14:checkbox content control": cc_checkbox(False),
    "legacy FORMCHECKBOX": form_checkbox(False),
}


@pytest.mark.parametrize("style", list(STYLES))
def test_boxes_are_ticked_in_the_form_they_are_printed_in(style, tmp_path, corpus):
    off = STYLES[style]
    doc = new_doc("江苏省工业互联网标杆工厂申报书")
    t = label_table(doc, [["网络技术", ""], ["是否通过两化融合管理体系贯标", ""]])
    set_cell_xml(t.cell(0, 1), off, run(" 5G "), off, run(" 4G "), off, run(" 工业以太网"))
    set_cell_xml(t.cell(1, 1), off, run("是 "), off, run("否"))
    src = save(doc, tmp_path / "a.docx")
    spec = corpus.programme(IIF)
    values = {
        "selections.js-iif-2022-network": ["5g", "工业以太网"],
        "enterprise.two_integration.certified": True,
    }
    plan = plan_values(values, spec, corpus)
    result = fill_docx(src.read_bytes(), spec, corpus, plan.values)
    out = tmp_path / "b.docx"
    out.write_bytes(result.data)
    d = read_draft(out, spec, corpus)
    assert d.selections["js-iif-2022-network"] == ["5g", "industrial-ethernet"]
    assert d.enterprise.two_integration.certified is True
    # the box kept its form: no ☑ glyph replaced a symbol, a control or a field
    xml = docx.Document(str(out)).tables[0]._tbl.xml
    if "sym" in style:
        assert "w:sym" in xml and "☑" not in xml
    if "content control" in style:
        assert 'w14:checked w14:val="1"' in xml
    if "FORMCHECKBOX" in style:
        assert 'w:checked w:val="1"' in xml


# ----------------------------------------------------------------- refusals


def test_a_value_without_a_place_names_the_field_and_writes_nothing(tmp_path):
    src = EXAMPLES / IIF / "合规示例.docx"
    out = tmp_path / "out.docx"
    # 从业人员 is not printed in the 标杆工厂 form
    result = _fill_cli(src, _write_values(tmp_path, {"enterprise.employees": 300}), out)
    assert result.exit_code == 2
    assert "从业人员" in result.output and "没有这一栏" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"project.investment.equipment": "很多"}, "智能设备"),
        ({"application_date": "下个月"}, "申报日期"),
        ({"project.investment.equipment": [1, 2]}, "应为数值"),
        ({"attestations.independent_legal_person": "也许"}, "是 或 否"),
        ({"selections.js-iif-2022-network": ["6G"]}, "6G"),
        ({"enterprise.nonsense": 1}, "不是可填写的字段"),
        ({"sections.nope": "x"}, "没有 id 为「nope」的章节"),
        ({"tables.scenarios": []}, "不是可填写的字段"),
    ],
)
def test_bad_values_are_refused_with_a_chinese_message(values, says, tmp_path):
    src = EXAMPLES / IIF / "合规示例.docx"
    out = tmp_path / "out.docx"
    result = _fill_cli(src, _write_values(tmp_path, values), out)
    assert result.exit_code == 2
    assert says in result.output
    assert "未生成文件" in result.output or "无法" in result.output
    assert not out.exists()


def test_all_or_nothing_when_one_of_several_values_cannot_be_placed(tmp_path, corpus):
    src = EXAMPLES / IIF / "合规示例.docx"
    spec = corpus.programme(IIF)
    plan = plan_values({"enterprise.employees": 300, "project.name": "新项目"}, spec, corpus)
    with pytest.raises(FillError) as err:
        fill_docx(src.read_bytes(), spec, corpus, plan.values, replace=True)
    assert len(err.value.problems) == 1 and "从业人员" in err.value.problems[0]


def test_the_example_values_file_fills_the_blank_form(tmp_path, corpus):
    blank = tmp_path / "空白.docx"
    assert runner.invoke(app, ["template", "-p", NT, "-o", str(blank)]).exit_code == 0
    out = tmp_path / "已填写.docx"
    result = _fill_cli(blank, EXAMPLES / "fill-values.yaml", out)
    assert result.exit_code == 0, result.output
    d = read_draft(out, corpus.programme(NT), corpus)
    assert d.enterprise.employees == 620 and d.enterprise.revenue == 38600
    assert d.selections["nt-capability-base"] == ["js-5star-cloud", "city-workshop"]
    assert d.sections["intro"].startswith("南通锦恒") and len(d.tables["scenarios"]) == 1
    assert d.factory_type == "离散型"
    assert [r["link"] for r in d.tables["link_sections"]] == ["设备管理"]


def test_not_a_docx_and_same_file_are_refused(tmp_path):
    draft = tmp_path / "a.json"
    draft.write_text(json.dumps({"programme": IIF}), encoding="utf-8")
    values = _write_values(tmp_path, {"project.name": "x"})
    result = _fill_cli(draft, values, tmp_path / "o.docx", "-p", IIF)
    assert result.exit_code == 2 and ".docx" in result.output
    src = tmp_path / "same.docx"
    src.write_bytes((EXAMPLES / IIF / "合规示例.docx").read_bytes())
    assert _fill_cli(src, values, src).exit_code == 2
    assert src.read_bytes() == (EXAMPLES / IIF / "合规示例.docx").read_bytes()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("enterprise: [unclosed", "不是有效的 YAML/JSON"),
        ("- a\n- b\n", "应为“字段路径: 值”的映射"),
        ("", "文件是空的"),
        ("rows: 3\n", "rows 应为一个列表"),
    ],
)
def test_unusable_values_files_are_refused(text, says, tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text(text, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = _fill_cli(EXAMPLES / IIF / "合规示例.docx", values, out)
    assert result.exit_code == 2 and says in result.output
    assert not out.exists()


# ----------------------------------------------------------------- 三、重点环节建设情况 (tables.link_sections)
#
# The form (corpus/docs/nt-2022-form.md, 三、重点环节建设情况): “申报单位按照工厂类型，对《南通市智能工厂
# 培育企业建设要点》明确的环节分段描述……每个环节字数请控制在1000字以内”. The 建设要点
# (corpus/docs/nt-2022-guide.md) name eight 环节 per factory type: 离散型 一、工艺设计 … 八、互联互通;
# 流程型 starts with 营销管理 instead of 工艺设计. The reports' 缺少 line names the part as
# ``tables.link_sections``, so that is the key of the values file.

LINKS_DISCRETE = [
    "工艺设计",
    "计划调度",
    "生产作业",
    "设备管理",
    "质量管控",
    "仓储配送",
    "能源、环保、安全管控",
    "互联互通",
]
# A writer's own short paragraphs, one per 环节 (each far below 1000 字).
LINK_TEXTS = {
    "工艺设计": "部署PLM和CAPP系统，建立零部件三维模型库和典型工艺库。",
    "计划调度": "部署APS高级排程系统，与ERP、MES集成，自动生成车间作业计划。",
    "生产作业": "对关键零件加工线进行自动化改造，新增工业机器人36台。",
    "设备管理": "对286台关键设备加装数据采集终端。\n设备综合效率提升12%。",
    "质量管控": "部署QMS系统，关键尺寸100%在线检测。",
    "仓储配送": "建设自动化立体仓库和WMS系统，配置AGV 12台。",
    "能源、环保、安全管控": "部署能源管理系统，对水、电、气消耗分项计量。",
    "互联互通": "建成覆盖全厂的工业以太网和5G网络。",
}
LINK_RULES = ["link-section-length", "links-described", "link-sections-valid"]


@pytest.fixture()
def nt_template(tmp_path: Path) -> Path:
    """The blank 南通 form as ``shenbao template`` writes it."""
    blank = tmp_path / "空白.docx"
    assert runner.invoke(app, ["template", "-p", NT, "-o", str(blank)]).exit_code == 0
    return blank


def _links(path: Path, corpus: Any) -> list[dict[str, str]]:
    return read_draft(path, corpus.programme(NT), corpus).tables.get("link_sections", [])


def test_link_sections_are_filled_into_the_blank_form_and_resolve_the_unknown_findings(
    nt_template, tmp_path, corpus
):
    before = _statuses(nt_template, NT, corpus)
    assert {r: before[r] for r in LINK_RULES} == dict.fromkeys(LINK_RULES, "unknown")
    given = dict(LINK_TEXTS)
    given["设备管理环节"] = given.pop("设备管理")  # as a sub-heading may print it
    values = {"factory_type": "离散型", "tables": {"link_sections": given}}
    out = tmp_path / "已填写.docx"
    result = _fill_cli(nt_template, _write_values(tmp_path, values), out)
    assert result.exit_code == 0, result.output
    assert "按环节写入 8 个环节" in result.output
    # read back: one row per 环节 under the list's name, the text's lines kept
    rows = _links(out, corpus)
    assert sorted(r["link"] for r in rows) == sorted(LINKS_DISCRETE)
    assert {r["link"]: r["text"] for r in rows} == LINK_TEXTS
    after = _statuses(out, NT, corpus)
    # eight 环节 of 离散型 described (≥ 8), each within 1000 字, each one of the 建设要点's 环节
    assert {r: after[r] for r in LINK_RULES} == dict.fromkeys(LINK_RULES, "pass")
    # besides them only the rule on the ticked factory type (工厂类型 □流程型 □离散型) changed
    changed = {r for r in before if before[r] != after[r]} - set(LINK_RULES)
    assert changed == {"factory-type-selected"} and after["factory-type-selected"] == "pass"


def test_a_written_link_section_is_refused_without_replace_and_replaced_with_it(tmp_path, corpus):
    src = EXAMPLES / NT / "合规示例-离散型.docx"  # describes all eight 环节
    old = _links(src, corpus)
    new_text = "设备点检、保养、维修全部在设备管理系统中闭环管理。"
    values = _write_values(tmp_path, {"tables.link_sections": {"设备管理": new_text}})
    out = tmp_path / "out.docx"
    refused = _fill_cli(src, values, out, "-p", NT)
    assert refused.exit_code == 2
    assert "「设备管理」在申报书中已填写为" in refused.output and "--replace" in refused.output
    assert not out.exists()
    done = _fill_cli(src, values, out, "-p", NT, "--replace")
    assert done.exit_code == 0, done.output
    new = _links(out, corpus)
    assert [r["link"] for r in new] == [r["link"] for r in old]  # in place, not appended
    assert next(r["text"] for r in new if r["link"] == "设备管理") == new_text
    assert [r for r in new if r["link"] != "设备管理"] == [r for r in old if r["link"] != "设备管理"]


def test_a_link_section_already_holding_the_text_is_left_unchanged(tmp_path, corpus):
    src = EXAMPLES / NT / "合规示例-离散型.docx"
    text = next(r["text"] for r in _links(src, corpus) if r["link"] == "质量管控")
    out = tmp_path / "out.docx"
    result = _fill_cli(
        src, _write_values(tmp_path, {"tables.link_sections": {"质量管控": text}}), out, "-p", NT
    )
    assert result.exit_code == 0, result.output
    assert "未改动 1 项" in result.output and "按环节写入" not in result.output
    assert _links(out, corpus) == _links(src, corpus)


def test_a_placeholder_under_a_link_sub_heading_counts_as_blank(tmp_path, corpus):
    doc = docx.Document(str(EXAMPLES / NT / "合规示例-离散型.docx"))
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p.text.strip() == "仓储配送")
    paras[i + 1].text = "________"
    src = save(doc, tmp_path / "占位.docx")
    text = "建设自动化立体仓库和WMS系统。"
    out = tmp_path / "out.docx"
    result = _fill_cli(
        src, _write_values(tmp_path, {"tables.link_sections": {"仓储配送": text}}), out, "-p", NT
    )
    assert result.exit_code == 0, result.output
    assert next(r["text"] for r in _links(out, corpus) if r["link"] == "仓储配送") == text


@pytest.mark.parametrize(
    ("src", "link", "says"),
    [
        # 营销管理 is a 环节 of 流程型 only; the example ticks 离散型
        ("example", "营销管理", "没有「营销管理」这一环节（工厂类型：离散型）"),
        # in neither type's eight 环节; the blank form has no factory type ticked: both lists are named
        ("blank", "售后服务", "没有「售后服务」这一环节"),
    ],
)
def test_a_link_the_form_has_no_place_for_is_refused_and_nothing_is_written(
    src, link, says, nt_template, tmp_path, corpus
):
    path = EXAMPLES / NT / "合规示例-离散型.docx" if src == "example" else nt_template
    values = {"enterprise.contact": "张三", "tables.link_sections": {link: "客户订单线上管理。"}}
    if src == "example":
        values = {"tables.link_sections": {"工艺设计": "x", link: "客户订单线上管理。"}}
    out = tmp_path / "out.docx"
    result = _fill_cli(path, _write_values(tmp_path, values), out, "-p", NT)
    assert result.exit_code == 2
    assert "未生成文件" in result.output and says in result.output
    assert "工艺设计" in result.output and "互联互通" in result.output  # the 环节 it may name
    if src == "blank":
        assert "流程型制造工厂" in result.output and "离散型制造工厂" in result.output
    assert not out.exists()


def test_a_document_without_the_part_is_refused(nt_template, tmp_path):
    doc = docx.Document(str(nt_template))
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p.text.strip() == "三、重点环节建设情况")
    for p in (paras[i], paras[i + 1]):  # the heading and its instruction
        p._p.getparent().remove(p._p)
    src = save(doc, tmp_path / "无此部分.docx")
    out = tmp_path / "out.docx"
    values = {"factory_type": "离散型", "tables.link_sections": {"设备管理": "加装数据采集终端。"}}
    result = _fill_cli(src, _write_values(tmp_path, values), out, "-p", NT)
    assert result.exit_code == 2
    assert "没有找到「三、重点环节建设情况」" in result.output
    assert not out.exists()


def test_link_sections_as_rows_and_as_drafted_json(nt_template, tmp_path, corpus):
    from app.drafting.service import DraftService

    spec = corpus.programme(NT)
    facts = "为全厂数控机床加装数据采集模块，接入设备管理系统。\n实施后非计划停机时间减少40%。"
    drafted = DraftService(corpus).draft_row(
        spec, facts, target="link_sections", link="设备管理", factory_type="离散型"
    )
    rows = [
        {"环节": "工艺设计", "描述": "部署PLM系统。"},  # column titles
        {"link": "质量管控", "text": "部署QMS系统。"},  # column ids
        drafted.model_dump(mode="json"),  # shenbao draft --target link_sections
    ]
    out = tmp_path / "out.docx"
    values = {"factory_type": "离散型", "tables.link_sections": rows}
    result = _fill_cli(nt_template, _write_values(tmp_path, values), out)
    assert result.exit_code == 0, result.output
    assert _links(out, corpus) == [
        {"link": "工艺设计", "text": "部署PLM系统。"},
        {"link": "质量管控", "text": "部署QMS系统。"},
        {"link": "设备管理", "text": drafted.columns[0].text},
    ]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("设备管理", "应为“环节: 描述”的映射"),
        ({}, "没有要填写的环节"),
        ({"设备管理": ""}, "「设备管理」的内容是空的"),
        ({"设备管理": ["a"]}, "应为文字，而不是列表"),
        ([{"环节": "设备管理", "描述": "a"}, {"link": "设备管理环节", "text": "b"}], "出现了两次"),
        ([{"环节": "设备管理", "附图": "a"}], "没有「附图」这一栏"),
        ([{"描述": "a"}], "没有写环节名称"),
    ],
)
def test_unusable_link_section_values_are_refused(value, says, corpus):
    spec = corpus.programme(NT)
    with pytest.raises(FillError) as err:
        plan_values({"tables": {"link_sections": value}}, spec, corpus)
    assert len(err.value.problems) == 1
    assert "三、重点环节建设情况" in err.value.problems[0] and says in err.value.problems[0]


def test_a_drafted_link_section_under_rows_is_pointed_to_tables(corpus):
    from app.drafting.service import DraftService

    spec = corpus.programme(NT)
    drafted = DraftService(corpus).draft_row(
        spec,
        "加装数据采集模块，停机时间减少40%。",
        target="link_sections",
        link="设备管理",
        factory_type="离散型",
    )
    with pytest.raises(FillError, match=r"请写在 tables\.link_sections 下"):
        plan_values({"rows": [drafted.model_dump(mode="json")]}, spec, corpus)


def test_other_tables_stay_unfillable(corpus):
    spec = corpus.programme(NT)
    with pytest.raises(FillError, match=r"「tables\.equipment」不是可填写的字段"):
        plan_values({"tables.equipment": [{"name": "MES"}]}, spec, corpus)
