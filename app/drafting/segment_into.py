"""Put a drafted 环节 section into a 申报书: a form that prints a two-column
table as a heading with one sub-heading per 环节 (南通's “三、重点环节建设情况”,
read as the ``link_sections`` table) gets the drafted text under the 环节's
sub-heading, replacing what it held, or a new sub-heading at the end of the
part when the 环节 has none. The result is read back before it is returned:
that 环节 reads as written and every other field as before."""

from __future__ import annotations

import io
import re
from typing import Any

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from app.drafting.docx_into import IntoError, blank_form
from core.drafting import ScenarioRow
from core.spec import DraftingSpec, ProgrammeSpec, TableSpec
from corpus.loader import Corpus
from ingestion.drafts.docx_blocks import walk
from ingestion.drafts.docx_reader import open_document, read_blocks
from ingestion.drafts.errors import DraftError
from ingestion.drafts.fields import SpecIndex, is_attachments_heading, spec_index
from ingestion.drafts.labels import core, heading_key

_AS_WRITTEN = {"source", "originals", "locations", "reader_notes"}


def _level(p: Paragraph) -> int | None:
    """The Word heading level of a paragraph (Heading 1 → 1), None for body text."""
    m = re.match(r"(?:Heading|标题)\s*(\d)", p.style.name if p.style is not None else "")
    return int(m.group(1)) if m else None


def _link_key(text: str) -> str:
    return heading_key(text).removesuffix("环节")


def _is_sub(p: Paragraph, parent: int | None, idx: SpecIndex) -> bool:
    """A sub-heading of the part: it names a 环节, or is a deeper Word heading."""
    t = p.text.strip()
    if not t or len(t) > 30 or re.search(r"[。；;]", t):
        return False
    level = _level(p)
    if level is not None and (parent is None or level > parent):
        return True
    return _link_key(t) in idx.link_names or heading_key(t) in idx.link_names


def _ends_part(p: Paragraph, parent: int | None, idx: SpecIndex) -> bool:
    """The paragraph starts the next part of the form."""
    t = p.text.strip()
    if not t:
        return False
    if idx.section_for_heading(t) is not None or idx.table_for_heading(t) is not None:
        return True
    if is_attachments_heading(t):
        return True
    level = _level(p)
    return level is not None and parent is not None and level <= parent and not _is_sub(p, parent, idx)


def _part(doc: DocxDocument, t: TableSpec, idx: SpecIndex) -> tuple[Paragraph, list[Any], Any | None]:
    """The heading of ``t``, the body elements of its part (paragraphs and
    tables) and the element that ends it (None: the end of the document)."""
    body = doc.element.body
    children = [c for c in body.iterchildren() if c.tag.endswith(("}p", "}tbl"))]
    start = None
    for i, el in enumerate(children):
        if el.tag.endswith("}p"):
            text = Paragraph(el, doc).text.strip()
            if (text and idx.table_for_heading(text) is t) or (text and core(text) == core(t.title)):
                start = i
                break
    if start is None:
        raise IntoError(f"文档中没有找到「{t.title}」这一部分（按标题识别），无法写入。")
    heading = Paragraph(children[start], doc)
    parent = _level(heading)
    part: list[Any] = []
    for el in children[start + 1 :]:
        if el.tag.endswith("}tbl") or _ends_part(Paragraph(el, doc), parent, idx):
            return heading, part, el
        part.append(el)
    return heading, part, None


def _new_paragraph(doc: DocxDocument, text: str, style: Any | None) -> Any:
    p = doc.add_paragraph(text)
    if style is not None:
        p.style = style
    el = p._p
    el.getparent().remove(el)
    return el


def _sub_style(doc: DocxDocument, heading: Paragraph, subs: list[Paragraph]) -> Any | None:
    """The style of a new 环节 sub-heading: the part's own sub-headings', else
    the Word heading one level below the part's heading, else body text."""
    if subs:
        return subs[0].style
    parent = _level(heading)
    if parent is None:
        return None
    try:
        return doc.styles[f"Heading {min(parent + 1, 9)}"]
    except KeyError:
        return None


def _write(doc: DocxDocument, t: TableSpec, idx: SpecIndex, link: str, text: str) -> None:
    heading, part, end = _part(doc, t, idx)
    parent = _level(heading)
    paras = [Paragraph(el, doc) if el.tag.endswith("}p") else None for el in part]
    subs = [p for p in paras if p is not None and _is_sub(p, parent, idx)]
    mine = next((p for p in subs if _link_key(p.text) == _link_key(link)), None)
    lines = [line for line in text.split("\n") if line.strip()]
    if mine is not None:
        k = part.index(mine._p)
        for el in part[k + 1 :]:
            if el.tag.endswith("}p") and _is_sub(Paragraph(el, doc), parent, idx):
                break
            el.getparent().remove(el)
        anchor = mine._p
        for line in lines:
            new = _new_paragraph(doc, line, None)
            anchor.addnext(new)
            anchor = new
        return
    new_els = [_new_paragraph(doc, link, _sub_style(doc, heading, subs))]
    new_els += [_new_paragraph(doc, line, None) for line in lines]
    if end is not None:
        for el in new_els:
            end.addprevious(el)
    else:
        anchor = part[-1] if part else heading._p
        for el in new_els:
            anchor.addnext(el)
            anchor = el


def _read(data: bytes, spec: ProgrammeSpec, corpus: Corpus) -> dict[str, Any]:
    return read_blocks(walk(open_document(data)), spec, corpus, "draft.docx").model_dump(
        mode="json", exclude=_AS_WRITTEN
    )


def segment_into_bytes(
    spec: ProgrammeSpec, corpus: Corpus, row: ScenarioRow, into: bytes | None = None
) -> bytes:
    """The .docx (``into``, the writer's own draft, or None for the programme's
    blank form; the bytes given are never changed) with the drafted 环节
    section ``row`` under its 环节's sub-heading. Raises :class:`IntoError`
    when the row is not such a section, the part is not found, or the result
    does not read back as written."""
    d: DraftingSpec | None = spec.draft_target(row.target) if row.target else None
    if d is None or d.table is None or d.link_column is None or len(d.columns) != 1:
        raise IntoError(f"这不是「{spec.title}」按环节分段的章节的起草结果，无法写入。")
    if not row.link:
        raise IntoError("没有所属环节：请用 --link 指定环节后再写入。")
    if len(row.columns) != 1 or not row.columns[0].text.strip():
        raise IntoError("这一环节的内容为空，未写入。")
    t = next(x for x in spec.tables if x.id == d.table)
    text_col = next(iter(d.columns))
    data = into if into is not None else blank_form(spec, corpus)
    try:
        before = _read(data, spec, corpus)
        doc = open_document(data)
    except DraftError as exc:
        raise IntoError(str(exc)) from exc
    _write(doc, t, spec_index(spec, corpus), row.link, row.columns[0].text)
    buf = io.BytesIO()
    doc.save(buf)
    out = buf.getvalue()
    after = _read(out, spec, corpus)
    want = "\n".join(line for line in row.columns[0].text.split("\n") if line.strip()).strip()
    rows = after["tables"].get(t.id, [])
    got = [r for r in rows if _link_key(r.get(d.link_column, "")) == _link_key(row.link)]
    if len(got) != 1 or got[0].get(text_col) != want:
        raise IntoError(f"写入后读回的「{t.title}」中「{row.link}」不是起草的内容，已放弃写入。")
    others_before = {k: v for k, v in before.items() if k != "tables"}
    others_after = {k: v for k, v in after.items() if k != "tables"}
    tables_before = {k: v for k, v in before["tables"].items() if k != t.id}
    tables_after = {k: v for k, v in after["tables"].items() if k != t.id}
    kept = [
        r
        for r in before["tables"].get(t.id, [])
        if _link_key(r.get(d.link_column, "")) != _link_key(row.link)
    ]
    if (
        others_before != others_after
        or tables_before != tables_after
        or kept != [r for r in rows if r not in got]
    ):
        raise IntoError("写入后申报书其他内容的读取结果发生了变化，已放弃写入。")
    return out
