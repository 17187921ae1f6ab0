"""The annotated draft (issue #13 items 1 and 5): a Word comment at every
finding that is not pass/n/a, text past a 字数 limit highlighted, and nothing
else in the document changed."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from app.checking import Report, check_draft, read_checked_draft
from app.reports.html import render_html
from app.reports.markdown import render_markdown
from app.word.annotate import AUTHOR, TRACKED_NOTE, annotate_file
from core.text import count_zishu
from corpus.loader import Corpus, default_corpus
from tests.fixtures.drafts.build import W_NS, add_xml_paragraph, cc_checkbox, font_run, run
from tests.fixtures.drafts.official import fill_right, official_docx, tick
from tests.fixtures.drafts.official import save as save_official

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*/*.docx"))
NT = "nt-smart-factory-2022"
NT_PROBLEM = REPO / "examples" / NT / "问题示例-划型与字数.docx"
JS_SALARY = REPO / "examples" / "js-iif-2022" / "问题示例-工资凑数.docx"
COMMENT_PARTS = ("word/comments.xml", "word/commentsExtended.xml", "word/commentsIds.xml")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def merged_form(path: Path, corpus: Corpus) -> Path:
    """The official 南通 form (vertically merged category cells) filled by hand,
    its boxes ticked with ☑ glyphs, a Wingdings box and a content-control box,
    and an 企业简介 of 520 字 (limit 500)."""
    doc = official_docx("nt-2022-form", corpus)
    fill_right(doc, "企业名称", "南通某某机械有限公司")
    fill_right(doc, "资产总额（万元）", "9000", skip=1)
    fill_right(doc, "主营业务收入（万元）", "12,000", skip=1)
    fill_right(doc, "用工人数（人）", "300")
    fill_right(doc, "企业简介", "公司主营齿轮箱。" * 65, skip=1)  # 8 字 × 65 = 520 字
    tick(doc, "中型企业", "离散型", "三级", "否")
    add_xml_paragraph(
        doc, font_run("þ", "Wingdings"), run(" 已阅读申报须知 "), cc_checkbox(True), run(" 同意")
    )
    return save_official(doc, path)


def checked(path: Path, programme: str, corpus: Corpus) -> tuple[Any, Report]:
    spec = corpus.programme(programme)
    draft = read_checked_draft(path, spec, corpus)
    return draft, check_draft(draft, spec, corpus, path.name)


def annotate(src: Path, dest: Path, programme: str, corpus: Corpus) -> Report:
    draft, report = checked(src, programme, corpus)
    annotate_file(src, dest, report, draft, corpus.programme(programme))
    return report


# ---------------------------------------------------------------- layout comparison


def _strip_annotations(body: Any, keep_ids: set[str]) -> None:
    """Remove the comment markers not in ``keep_ids``, their reference runs and every highlight."""
    for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
        for el in list(body.iter(qn(tag))):
            if el.get(qn("w:id")) not in keep_ids:
                el.getparent().remove(el)
    for ref in list(body.iter(qn("w:commentReference"))):
        if ref.get(qn("w:id")) not in keep_ids:
            r = ref.getparent()
            r.getparent().remove(r)
    for hl in list(body.iter(qn("w:highlight"))):
        rpr = hl.getparent()
        rpr.remove(hl)
        if len(rpr) == 0:
            rpr.getparent().remove(rpr)


def _merge_runs(el: Any) -> None:
    """Adjacent runs with the same formatting and only text become one run (a split run is one again)."""
    prev = None
    for child in list(el):
        if child.tag == qn("w:r") and all(k.tag in (qn("w:rPr"), qn("w:t")) for k in child):
            if prev is not None:
                a, b = prev.find(qn("w:rPr")), child.find(qn("w:rPr"))
                same = (a is None and b is None) or (
                    a is not None and b is not None and etree.tostring(a) == etree.tostring(b)
                )
                if same:
                    pt, ct = prev.findall(qn("w:t")), child.findall(qn("w:t"))
                    if pt and ct:
                        pt[-1].text = (pt[-1].text or "") + "".join(t.text or "" for t in ct)
                        el.remove(child)
                        continue
            prev = child
        else:
            prev = None
            _merge_runs(child)


def _normal_body(data: bytes, keep_ids: set[str]) -> bytes:
    body = deepcopy(docx.Document(io.BytesIO(data)).element.body)
    _strip_annotations(body, keep_ids)
    _merge_runs(body)
    for t in body.iter(qn("w:t")):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return etree.tostring(body, encoding="utf-8")


def _parts(data: bytes) -> dict[str, bytes]:
    """Every package part except the body, the comment parts and the lists of
    parts (content types, relationships), XML parts in a canonical form."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name in ("word/document.xml", "[Content_Types].xml", *COMMENT_PARTS) or name.endswith(".rels"):
                continue
            raw = z.read(name)
            if name.endswith(".xml"):
                raw = etree.tostring(etree.fromstring(raw), method="c14n")
            out[name] = raw
    return out


def _comment_ids(data: bytes) -> set[str]:
    return {str(c.comment_id) for c in docx.Document(io.BytesIO(data)).comments}


def assert_same_layout(original: Path, annotated: Path) -> None:
    a, b = original.read_bytes(), annotated.read_bytes()
    keep = _comment_ids(a)
    assert _normal_body(b, keep) == _normal_body(a, keep)
    assert _parts(b) == _parts(a)
    # the same paragraphs, table cell texts, styles and sections through python-docx too
    da, db = docx.Document(io.BytesIO(a)), docx.Document(io.BytesIO(b))
    assert [(p.text, p.style.name if p.style else None) for p in db.paragraphs] == [
        (p.text, p.style.name if p.style else None) for p in da.paragraphs
    ]
    cells = lambda d: [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]  # noqa: E731
    assert cells(db) == cells(da)
    assert [etree.tostring(s._sectPr) for s in db.sections] == [
        etree.tostring(s._sectPr) for s in da.sections
    ]


def anchored_comments(data: bytes) -> dict[str, list[Any]]:
    """Comment text → the w:p elements holding its range start (one per comment with that text)."""
    d = docx.Document(io.BytesIO(data))
    by_id = {str(c.comment_id): c.text for c in d.comments}
    out: dict[str, list[Any]] = {}
    for start in d.element.body.iter(qn("w:commentRangeStart")):
        text = by_id[start.get(qn("w:id"))]
        out.setdefault(text, []).append(start.getparent())
    return out


def _comment_for(data: bytes, needle: str) -> tuple[str, list[Any]]:
    hits = [(t, ps) for t, ps in anchored_comments(data).items() if needle in t]
    assert hits, f"no comment mentioning {needle}"
    return hits[0]


def same(a: Any, b: Any) -> bool:
    """Whether two lxml proxies are the same node (proxies are not always the same object)."""
    return a is not None and b is not None and a.getroottree().getpath(a) == b.getroottree().getpath(b)


def _tc_of(p: Any) -> Any:
    el = p
    while el is not None and el.tag != qn("w:tc"):
        el = el.getparent()
    return el


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("src", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_keeps_its_layout_and_its_findings(src: Path, tmp_path: Path, corpus: Corpus) -> None:
    programme = src.parent.name
    dest = tmp_path / src.name
    report = annotate(src, dest, programme, corpus)
    assert_same_layout(src, dest)
    _, again = checked(dest, programme, corpus)
    assert [(f.id, f.status, f.message, f.location) for f in again.findings] == [
        (f.id, f.status, f.message, f.location) for f in report.findings
    ]
    assert again.evidence == report.evidence
    # one comment per finding that is not pass/n/a, one per evidence flag not supported, all by shenbao
    comments = list(docx.Document(str(dest)).comments)
    wanted = sum(f.status not in ("pass", "n/a") for f in report.findings) + sum(
        e.verdict != "supported" for e in report.evidence
    )
    assert len(comments) == wanted > 0
    assert {c.author for c in comments} == {AUTHOR}


def test_a_form_with_merged_cells_and_checkbox_glyphs(tmp_path: Path, corpus: Corpus) -> None:
    src = merged_form(tmp_path / "form.docx", corpus)
    dest = tmp_path / "annotated.docx"
    report = annotate(src, dest, NT, corpus)
    assert_same_layout(src, dest)
    _, again = checked(dest, NT, corpus)
    assert [(f.id, f.status, f.message, f.location) for f in again.findings] == [
        (f.id, f.status, f.message, f.location) for f in report.findings
    ]
    # 企业简介 is 520 字 against a 500 字 limit: the last 20 字 are highlighted, from the 501st on
    [intro] = [f for f in report.findings if f.id == f"{NT}:intro-length"]
    assert intro.status == "fail"
    d = docx.Document(str(dest))
    marked = [
        r for r in d.element.body.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:highlight')}") is not None
    ]
    assert marked
    p = marked[0].getparent()
    runs = list(p.iter(qn("w:r")))
    before = "".join(t.text or "" for r in runs[: runs.index(marked[0])] for t in r.iter(qn("w:t")))
    lit = "".join(t.text or "" for r in marked for t in r.iter(qn("w:t")))
    assert count_zishu(before) == 500
    assert count_zishu(lit) == 20
    assert marked[0].find(f"{qn('w:rPr')}/{qn('w:highlight')}").get(qn("w:val")) == "yellow"


def test_comments_sit_on_the_cell_and_row_the_findings_name(tmp_path: Path, corpus: Corpus) -> None:
    dest = tmp_path / "a.docx"
    report = annotate(NT_PROBLEM, dest, NT, corpus)
    by_id = {f.id: f for f in report.findings}
    assert by_id[f"{NT}:size-class"].location == "表1 第4行第2列"
    assert by_id[f"{NT}:scenario-table-limits"].location == "表4 第2行"
    data = dest.read_bytes()
    d = docx.Document(io.BytesIO(data))
    # 划型: the finding says 勾选了「中型」; the comment sits in table 1, row 4, column 2 — the ticked box
    _, [p] = _comment_for(data, "size-class")
    assert same(_tc_of(p), d.tables[0].cell(3, 1)._tc)
    assert "中型" in d.tables[0].cell(3, 1).text
    # 字数: the comment spans row 2 of table 4, first cell to last
    text, [p] = _comment_for(data, "scenario-table-limits")
    row = d.tables[3].rows[1]
    assert same(_tc_of(p), row.cells[0]._tc)
    ids = {s.get(qn("w:id")) for s in p.iter(qn("w:commentRangeStart"))}
    ends = [e for e in d.element.body.iter(qn("w:commentRangeEnd")) if e.get(qn("w:id")) in ids]
    assert len(ends) == 1 and same(_tc_of(ends[0].getparent()), row.cells[-1]._tc)
    assert "348 字，超过 300 字" in text and "依据：《" in text and "【不通过｜必备】" in text
    # the over-limit cell (技术方案, 348 字 > 300) is highlighted from its 301st 字 on
    marked = [r for r in row._tr.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:highlight')}") is not None]
    lit = "".join(t.text or "" for r in marked for t in r.iter(qn("w:t")))
    assert count_zishu(lit) == 48
    # evidence: 生产作业 lacks a quantified result; its comment sits on the passage it quotes (table 4 row 3)
    text, [p] = _comment_for(data, "【证据审阅｜证据不全】生产作业")
    assert "缺少量化成效" in text
    assert same(_tc_of(p).getparent(), d.tables[3].rows[2]._tr)
    assert "搭建由数控机床和上下料机器人组成的柔性加工单元" in "".join(
        t.text or "" for t in _tc_of(p).iter(qn("w:t"))
    )


def test_a_finding_without_location_goes_on_the_first_paragraph(tmp_path: Path, corpus: Corpus) -> None:
    dest = tmp_path / "a.docx"
    report = annotate(JS_SALARY, dest, "js-iif-2022", corpus)
    [f] = [f for f in report.findings if f.status == "fail"]
    assert f.id == "js-iif-2022:investment-min" and f.location is None
    d = docx.Document(str(dest))
    _, [p] = _comment_for(dest.read_bytes(), "investment-min")
    assert same(p, d.element.body.find(qn("w:p")))


def test_existing_comments_are_kept(tmp_path: Path, corpus: Corpus) -> None:
    d = docx.Document(str(NT_PROBLEM))
    para = next(p for p in d.paragraphs if p.runs)
    d.add_comment(para.runs, text="请财务核对数字", author="审核人", initials="SH")
    src = tmp_path / "commented.docx"
    d.save(str(src))
    dest = tmp_path / "annotated.docx"
    annotate(src, dest, NT, corpus)
    assert_same_layout(src, dest)  # the reviewer's markers are compared, not stripped
    after = list(docx.Document(str(dest)).comments)
    mine = [c for c in after if c.author == "审核人"]
    assert [c.text for c in mine] == ["请财务核对数字"]
    assert len({c.comment_id for c in after}) == len(after)  # new ids do not clash with the reviewer's
    assert len(after) > 1


def _tracked(src: Path, dest: Path, corpus: Corpus) -> tuple[str, str]:
    """``src`` with a tracked insertion and a tracked deletion in the 企业简介 text."""
    spec = corpus.programme(NT)
    intro = read_checked_draft(src, spec, corpus).sections["intro"]
    first_line = intro.split("\n")[0].strip()
    d = docx.Document(str(src))
    p = next(
        p
        for p in d.element.body.iter(qn("w:p"))
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() == first_line
    )
    ins = etree.fromstring(
        f'<w:ins {W_NS} w:id="901" w:author="客户" w:date="2026-11-01T00:00:00Z">'
        "<w:r><w:t>（修订新增）</w:t></w:r></w:ins>"
    )
    dele = etree.fromstring(
        f'<w:del {W_NS} w:id="902" w:author="客户" w:date="2026-11-01T00:00:00Z">'
        "<w:r><w:delText>（修订删除）</w:delText></w:r></w:del>"
    )
    p.append(ins)
    p.append(dele)
    d.save(str(dest))
    return "（修订新增）", "（修订删除）"


def test_tracked_changes_are_read_accepted_and_kept(tmp_path: Path, corpus: Corpus) -> None:
    src = tmp_path / "tracked.docx"
    added, removed = _tracked(NT_PROBLEM, src, corpus)
    draft, report = checked(src, NT, corpus)
    assert added in draft.sections["intro"] and removed not in draft.sections["intro"]
    dest = tmp_path / "annotated.docx"
    annotate_file(src, dest, report, draft, corpus.programme(NT))
    assert_same_layout(src, dest)
    body = docx.Document(str(dest)).element.body
    assert [t.text for i in body.iter(qn("w:ins")) for t in i.iter(qn("w:t"))] == [added]
    assert [t.text for d in body.iter(qn("w:del")) for t in d.iter(qn("w:delText"))] == [removed]
    assert TRACKED_NOTE in [c.text for c in docx.Document(str(dest)).comments]
    _, again = checked(dest, NT, corpus)
    assert [f.key() for f in again.findings] == [f.key() for f in report.findings]
    # the check report says so too (issue #13: "say so in the report"), in every format
    assert report.notes and "修订" in report.notes[0] and "接受全部修订" in report.notes[0]
    assert report.notes[0] in render_markdown(report)
    assert report.notes[0] in render_html(report)
    _, plain = checked(NT_PROBLEM, NT, corpus)
    assert not any("修订" in n for n in plain.notes)
