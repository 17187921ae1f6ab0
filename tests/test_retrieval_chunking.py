"""Clause-aware chunking of the corpus documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.loader import Corpus, Doc, DocMeta, compact
from ingestion.corpus.chunking import (
    Chunk,
    ChunkStats,
    build_index_text,
    chunk_corpus,
    chunk_doc,
    clause_number,
)

NUMBERED = re.compile(
    r"^(\d{1,3}\s*[.、．]|[（(](\d{1,3}|[一二三四五六七八九十]+)[）)]|[一二三四五六七八九十]+(是|、))"
)


def make_doc(body: str, doc_id: str = "t-doc", programmes: tuple[str, ...] = ("p-1",)) -> Doc:
    meta = DocMeta(
        id=doc_id,
        title="测试文档",
        issuer=None,
        doc_number=None,
        date=None,
        region="江苏省",
        programmes=list(programmes),
        part=None,
        source="x.txt",
        source_sha256="0" * 64,
    )
    return Doc(meta=meta, body=body, path=Path(f"{doc_id}.md"), compact=compact(body))


@pytest.fixture(scope="module")
def chunks(corpus: Corpus) -> list[Chunk]:
    return chunk_corpus(corpus)


def _paragraphs(body: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for line in body.splitlines():
        s = line.strip()
        if not s or s.startswith(("#", "|")):
            if cur:
                out.append("\n".join(cur))
            cur = []
            continue
        cur.append(s)
    if cur:
        out.append("\n".join(cur))
    return out


def test_no_numbered_clause_is_split(corpus: Corpus, chunks: list[Chunk]) -> None:
    by_doc: dict[str, list[str]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc, []).append(compact(c.text))
    checked = 0
    for doc_id, doc in corpus.docs.items():
        for para in _paragraphs(doc.body):
            if not NUMBERED.match(para):
                continue
            whole = compact(para)
            assert any(whole in text for text in by_doc[doc_id]), f"{doc_id}: 条款被切开：{para[:40]}"
            checked += 1
    assert checked > 300


def test_clause_chunks_start_with_their_number(chunks: list[Chunk]) -> None:
    clauses = [c for c in chunks if c.kind == "clause"]
    assert len(clauses) > 300
    for c in clauses:
        assert c.clause
        found = clause_number(c.text)
        assert found is not None and found[0] == c.clause


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("1.申报单位是在江苏省境内注册", "1"),
        ("2、申报项目须为已建成项目", "2"),
        ("（3） 申报企业需具有良好的智能制造基础", "（3）"),
        ("(2) 项目成果", "(2)"),
        ("一是网络技术方面。", "一是"),
        ("（一）企业自主申报。", "（一）"),
        ("1.5G 专网建设。采用虚拟专网", "1"),
        ("2022年5月20日前报送", None),
        ("根据《统计上大中小微型企业划分办法》", None),
    ],
)
def test_clause_number(text: str, marker: str | None) -> None:
    found = clause_number(text)
    assert (found[0] if found else None) == marker


def test_table_becomes_one_chunk_per_row_with_header(chunks: list[Chunk]) -> None:
    rows = [c for c in chunks if c.doc == "js-gradient-2025-self-eval" and c.kind == "table-row"]
    header = "| 序号 | 环节 | 场景名称 | 基础级场景描述 | 先进级场景描述 | 卓越级场景描述 | 领航级场景描述 |"
    assert rows[0].row == 0 and rows[0].text == header  # the header row alone
    rows = rows[1:]
    assert [c.row for c in rows] == list(range(1, 41))
    for c in rows:
        assert c.table_header == header
        assert c.text.startswith(header + "\n")
        assert c.text.count("\n") == 1
    row18 = next(c for c in rows if c.scenario == "18")
    assert (row18.link, row18.scenario_name) == ("仓储物流", "智能仓储")
    assert row18.clause_path == "二、典型场景对照参考表 > 第18行"
    assert "场景名称：智能仓储" in row18.index_text


def test_scenario_guide_metadata(chunks: list[Chunk]) -> None:
    guide = [c for c in chunks if c.doc == "scenarios-guide-2024" and c.scenario]
    assert {c.scenario for c in guide} == {str(i) for i in range(1, 41)}
    c18 = next(c for c in guide if c.scenario == "18")
    assert c18.link == "仓储物流"
    assert c18.scenario_name == "智能仓储"
    assert c18.headings == ("八、仓储物流", "18.智能仓储")
    assert c18.programmes == ("js-gradient-2025",)
    meta = c18.metadata()
    for key in ("doc", "doc_title", "heading_path", "clause_path", "link", "scenario", "programmes"):
        assert meta[key], key


def test_metadata_present_everywhere(corpus: Corpus, chunks: list[Chunk]) -> None:
    assert {c.doc for c in chunks} == set(corpus.docs)
    for c in chunks:
        m = c.metadata()
        assert m["doc"] == c.doc and m["doc_title"] == corpus.docs[c.doc].meta.title
        assert m["programmes"] == list(corpus.docs[c.doc].meta.programmes)
        assert all(v is not None for v in m.values())
        assert c.text.strip()
    ids = [c.id for c in chunks]
    assert len(set(ids)) == len(ids)


def test_heading_path_and_clause_path(chunks: list[Chunk]) -> None:
    c = next(
        c
        for c in chunks
        if c.doc == "js-iif-2022-notice" and c.clause == "2" and "一、申报条件" in c.headings
    )
    assert c.clause_path == "一、申报条件 > 2"
    assert "2000万元" in c.text


def test_colon_clause_keeps_its_items_and_plain_text_is_grouped() -> None:
    body = (
        "## 一、申报条件\n\n"
        "1.申报单位须满足以下要求：\n\n"
        "（1）在本市注册；\n\n"
        "（2）正常经营满一年。\n\n"
        "2.其他要求。\n\n"
        "说明一。\n\n"
        "说明二。\n\n"
        "## 二、空白章节\n\n"
        "## 三、附件\n"
    )
    stats = ChunkStats()
    out = chunk_doc(make_doc(body), stats)
    clauses = [c for c in out if c.kind == "clause"]
    assert [c.clause for c in clauses] == ["1", "2"]
    assert "（1）在本市注册" in clauses[0].text and "（2）正常经营满一年" in clauses[0].text
    texts = [c for c in out if c.kind == "text"]
    assert len(texts) == 1 and texts[0].text == "说明一。\n\n说明二。"
    headings = [c.text for c in out if c.kind == "heading"]
    assert headings == ["二、空白章节", "三、附件"]
    assert stats.made["clause"] == 2


def test_blank_form_rows_are_dropped_with_a_reason() -> None:
    body = (
        "## 汇总表\n\n"
        "| 序号 | 企业名称 | 建设内容（200字以内） |\n"
        "|---|---|---|\n"
        "| 1 |  |  |\n"
        "| 2 |  |  |\n\n"
        "## 申报表\n\n"
        "| 企业名称 |  |  |\n"
        "|---|---|---|\n"
        "| 统一社会信用代码 |  | 成立时间 |\n"
        "| 荣誉 | 1 |  |\n"
        "| 荣誉 | 2 |  |\n"
    )
    stats = ChunkStats()
    out = chunk_doc(make_doc(body), stats)
    rows = [c for c in out if c.kind == "table-row"]
    # The header row is a chunk of its own (the column limits are content).
    assert rows[0].clause_path == "汇总表 > 表头" and "200字以内" in rows[0].text
    # A form: its first row is content too; repeated blank rows collapse.
    assert [c.row for c in rows[1:]] == [1, 2, 3]
    assert rows[1].text == "| 企业名称 |  |  |"
    assert stats.dropped == {"空白表格行": 2, "重复的空白填写行": 1}
    assert build_index_text("T", ("申报表",), "table-row", rows[2].text, rows[2].table_header).endswith(
        "统一社会信用代码；成立时间"
    )


def test_ids_are_content_hashes() -> None:
    body = "## 一、条件\n\n1.甲。\n\n2.乙。\n"
    a = chunk_doc(make_doc(body))
    b = chunk_doc(make_doc(body))
    assert [c.id for c in a] == [c.id for c in b]
    changed = chunk_doc(make_doc(body.replace("乙", "丙")))
    assert a[0].id == changed[0].id and a[1].id != changed[1].id
    dup = chunk_doc(make_doc("## 一\n\n1.同。\n\n## 一\n\n1.同。\n"))
    assert len({c.id for c in dup}) == 2
