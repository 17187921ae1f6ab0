"""Blank and filled 申报书 templates, and their round trip through the reader."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from app.templates import NOT_OFFICIAL, fill_template, write_template
from core.draft import resolve_path
from corpus.loader import default_corpus
from ingestion.drafts import detect_programme, read_draft
from ingestion.drafts.docx_blocks import Para, walk
from ingestion.drafts.fields import spec_index
from tests.fixtures.drafts.official import fill_right, tick
from tests.fixtures.drafts.sample import sample_draft

PROGRAMMES = sorted(default_corpus().programmes)
OFFICIAL = {
    "js-iif-2022": "江苏省工业互联网标杆工厂申报书",
    "nt-smart-factory-2022": "南通市智能工厂培育企业申报书",
}


def _text(path) -> str:
    """Paragraph and cell texts in document order (boxes shown)."""
    parts: list[str] = []
    for b in walk(docx.Document(str(path))):
        if isinstance(b, Para):
            parts.append(b.display)
        else:
            for row in b.rows:
                parts.extend(
                    c.content.paras[0].display if len(c.content.paras) == 1 else c.text
                    for c in row
                    if not c.continued
                )
    return "\n".join(parts)


@pytest.mark.parametrize("pid", PROGRAMMES)
def test_blank_template_reads_back_empty(pid, tmp_path, corpus):
    spec = corpus.programmes[pid]
    out = tmp_path / f"{pid}.docx"
    write_template(spec, corpus, out)
    d = read_draft(out, spec, corpus)
    idx = spec_index(spec, corpus)
    filled = {
        f.path: resolve_path(d, f.path) for f in idx.fields if resolve_path(d, f.path) not in (None, [])
    }
    assert filled == {}
    assert d.sections == {}
    assert all(rows == [] for rows in d.tables.values())
    assert all(ticks == [] for ticks in d.selections.values())
    assert set(d.selections) == {lst.id for lst in idx.lists}  # every checkbox group printed and found
    assert set(d.tables) == {t.id for t in spec.tables}
    assert d.attachments in (None, [])
    assert d.reader_notes == []
    assert detect_programme(out, corpus) == pid
    first = docx.Document(str(out)).paragraphs
    if pid in OFFICIAL:
        assert first[0].text == OFFICIAL[pid]
        assert NOT_OFFICIAL not in _text(out)
    else:
        assert first[1].text == NOT_OFFICIAL


@pytest.mark.parametrize("pid", PROGRAMMES)
def test_filled_template_round_trip_loses_nothing(pid, tmp_path, corpus):
    spec = corpus.programmes[pid]
    draft = sample_draft(pid, corpus)
    out = tmp_path / f"{pid}-filled.docx"
    fill_template(spec, corpus, draft, out)
    back = read_draft(out, spec, corpus)
    for info in spec_index(spec, corpus).fields:
        assert resolve_path(back, info.path) == resolve_path(draft, info.path), info.path
    assert back.selections == draft.selections
    assert back.sections == draft.sections
    assert back.tables == draft.tables
    assert back.attachments == draft.attachments
    assert back.reader_notes == []


def test_round_trip_values_are_the_real_ones(tmp_path, corpus):
    """The sample is not vacuous: spot-check values of js-iif-2022."""
    draft = sample_draft("js-iif-2022", corpus)
    assert draft.project.start == dt.date(2021, 1, 5) and draft.project.end == dt.date(2022, 3, 31)
    assert draft.enterprise.two_integration.certified is not None
    assert draft.metrics["total_assets_2019"] > 0
    assert len(draft.selections["js-iif-2022-innovation"]) == 10
    assert draft.tables["honours"][1]["name"] == "奖项名称第2行"
    out = tmp_path / "f.docx"
    fill_template(corpus.programmes["js-iif-2022"], corpus, draft, out)
    back = read_draft(out, corpus.programmes["js-iif-2022"], corpus)
    assert back.originals["project.start"] == "2021年1月5日--2022年3月31日"
    assert back.enterprise.honours == ["奖项名称第1行", "奖项名称第2行"]


def test_js_iif_template_follows_the_official_form(tmp_path, corpus):
    out = tmp_path / "js.docx"
    write_template(corpus.programmes["js-iif-2022"], corpus, out)
    text = _text(out)
    order = [
        "申报单位（盖章）：",
        "江苏省工业互联网标杆工厂企业申报信用承诺书",
        "一、项目申请表",
        "财务情况",
        "2019 年",
        "项目建设时间",
        "项目总体描述",
        "(按照工业互联网标杆工厂建设指南及说明进行描述,不超过1000字)",
        "□5G",
        "二、项目建设情况",
        "（一）、企业概况",
        "三、项目主要成效和亮点",
        "四、相关附件",
        "□ 1、企业营业执照复印件",
    ]
    positions = [text.find(s) for s in order]
    assert all(p >= 0 for p in positions), [s for s, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "序号\n级别\n奖项名称\n获得时间" in text  # the honours table's header row


def test_nt_template_has_hints_header_rows_and_example_note(tmp_path, corpus):
    out = tmp_path / "nt.docx"
    write_template(corpus.programmes["nt-smart-factory-2022"], corpus, out)
    text = _text(out)
    assert "（发展历程、主营业务、市场销售等方面基本情况，不超过500字）" in text
    assert "（对智能工厂建设内容、投资规模、近期规划、特点和预期成效进行简要描述，不超过800字。）" in text
    assert "具体描述（结合要素条件进行描述）（150字以内）" in text
    assert "应用描述（150字以内）" in text
    assert "“生产制造”" in text and "示例" in text  # the worked example is mentioned, not printed as a row
    assert "针对发动机壳体加工" not in text
    assert "□大型企业  □中型企业  □小型企业  □微型企业" in text
    assert "智能工厂改造前" in text and "智能工厂建成后（预计）" in text


def test_template_filled_by_hand_like_a_user(tmp_path, corpus):
    spec = corpus.programmes["nt-smart-factory-2022"]
    blank = tmp_path / "blank.docx"
    write_template(spec, corpus, blank)
    doc = docx.Document(str(blank))
    fill_right(doc, "统一社会信用代码", "91320600MA1XXXXX1A")
    fill_right(doc, "资产总额（万元）", "１２，０００")
    fill_right(doc, "用工人数（人）", "320")
    fill_right(doc, "用工人数（人）", "260", skip=1)
    tick(doc, "小型企业", "流程型", "二级", "否", "民营")
    for p in doc.paragraphs:
        if p.text.startswith("工厂名称："):
            p.runs[0].text = "工厂名称：南通智能工厂"
    doc.save(str(tmp_path / "filled.docx"))
    d = read_draft(tmp_path / "filled.docx", spec, corpus)
    assert d.project.name == "南通智能工厂"
    assert d.enterprise.credit_code == "91320600MA1XXXXX1A"
    assert d.enterprise.total_assets == 12000.0
    assert (d.metrics["workers_before"], d.metrics["workers_after"]) == (320.0, 260.0)
    assert d.enterprise.size_class == "小型"
    assert d.factory_type == "流程型"
    assert d.enterprise.maturity_level == 2.0
    assert d.enterprise.major_accident is False
    assert d.selections["nt-enterprise-nature"] == ["private"]
    assert d.locations["project.name"] == "第2段"
