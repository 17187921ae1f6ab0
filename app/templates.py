"""The programme's 申报书 as a .docx: blank (``shenbao template``) or filled
from a :class:`Draft` (the form a user fills in the browser, downloaded in
the official format). The layout comes from
:mod:`ingestion.drafts.form_layout`; what is written here is exactly what
:func:`ingestion.drafts.read_draft` reads back.

Conventions of the written form: checkboxes are □ (empty) and ☑ (ticked);
money is written in 万元 under labels that say so; dates as 2022年5月20日;
periods as 2021年1月1日--2022年5月31日; lists joined with "、"; instruction
paragraphs start with 【填写说明】. The document's keywords record
``shenbao:<programme id>`` so the reader can tell which programme it is.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table as DocxTable

from core.catalogue import CatalogueList
from core.draft import Draft, resolve_path
from core.spec import ProgrammeSpec, TableSpec
from corpus.loader import Corpus
from ingestion.drafts.detect import MARKER_PREFIX
from ingestion.drafts.fields import FieldInfo
from ingestion.drafts.form_layout import (
    NOTE,
    Attachments,
    Cover,
    FieldRow,
    FieldTable,
    FormLayout,
    Heading,
    Matrix,
    Note,
    OptionsRow,
    SectionBlock,
    SectionRow,
    TableBlock,
    form_layout,
)
from ingestion.drafts.labels import core, norm, strip_numbering
from ingestion.drafts.values import format_value

NOT_OFFICIAL = f"{NOTE}本模板依据政策要求生成，非官方格式。"
BLANK = "________"
BLANK_ROWS = 3
TICKED, EMPTY = "☑", "□"


def write_template(spec: ProgrammeSpec, corpus: Corpus, out: Path) -> None:
    """Write the programme's blank form to ``out`` (.docx)."""
    render_form(spec, corpus, None).save(str(out))


def template_bytes(spec: ProgrammeSpec, corpus: Corpus) -> bytes:
    """The programme's blank form as the bytes of a .docx file (for a download)."""
    buffer = io.BytesIO()
    render_form(spec, corpus, None).save(buffer)
    return buffer.getvalue()


def fill_template(spec: ProgrammeSpec, corpus: Corpus, draft: Draft, out: Path) -> None:
    """Write the programme's form filled with ``draft`` to ``out`` (.docx)."""
    render_form(spec, corpus, draft).save(str(out))


def render_form(spec: ProgrammeSpec, corpus: Corpus, draft: Draft | None) -> DocxDocument:
    """The form as a python-docx document, blank when ``draft`` is None."""
    layout = form_layout(spec.id, corpus)
    doc = docx.Document()
    doc.core_properties.title = layout.title
    doc.core_properties.keywords = f"{MARKER_PREFIX}{spec.id}"
    doc.core_properties.subject = spec.title
    _Writer(doc, layout, draft).write()
    return doc


class _Writer:
    def __init__(self, doc: DocxDocument, layout: FormLayout, draft: Draft | None) -> None:
        self.doc = doc
        self.layout = layout
        self.draft = draft

    # ------------------------------------------------------------ values
    def value(self, path: str) -> Any:
        return None if self.draft is None else resolve_path(self.draft, path)

    def field_text(self, infos: list[FieldInfo]) -> str:
        info = infos[0]
        if info.kind in ("period_start", "period_end"):
            start = self.value(next((f.path for f in infos if f.kind == "period_start"), info.path))
            end = self.value(next((f.path for f in infos if f.kind == "period_end"), info.pair or info.path))
            if isinstance(start, dt.date) and isinstance(end, dt.date):
                return f"{format_value(start)}--{format_value(end)}"
            return ""
        return format_value(self.value(info.path))

    def choice_boxes(self, info: FieldInfo) -> str:
        v = self.value(info.path)
        parts = []
        for c in info.choices:
            ticked = v is not None and type(v) is type(c.value) and (c.value == v or c.name == v)
            ticked = ticked or (isinstance(v, str) and v == c.name)
            parts.append(f"{TICKED if ticked else EMPTY}{c.name}")
        return "  ".join(parts)

    def option_boxes(self, lst: CatalogueList, group: str | None) -> str:
        ticks = set(self.draft.selections.get(lst.id, [])) if self.draft else set()
        items = [i for i in lst.items if group is None or i.group == group]
        return "  ".join(f"{TICKED if i.id in ticks else EMPTY}{i.name}" for i in items)

    def row_value(self, infos: list[FieldInfo]) -> str:
        info = infos[0]
        if info.kind in ("bool", "choice"):
            return self.choice_boxes(info)
        return self.field_text(infos)

    # ------------------------------------------------------------ blocks
    def write(self) -> None:
        title = self.doc.add_paragraph(style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(self.layout.title)
        if not self.layout.official:
            self.doc.add_paragraph(NOT_OFFICIAL)
        for b in self.layout.blocks:
            if isinstance(b, Cover):
                self.cover(b)
            elif isinstance(b, Heading):
                self.doc.add_heading(b.text, level=min(max(b.level, 1), 9))
            elif isinstance(b, Note):
                self.note(b.text)
            elif isinstance(b, FieldTable):
                self.field_table(b)
            elif isinstance(b, SectionBlock):
                self.section(b)
            elif isinstance(b, TableBlock):
                self.table(b)
            elif isinstance(b, Attachments):
                self.attachments(b)

    def note(self, text: str) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.italic = True
        run.font.size = Pt(9)

    def cover(self, b: Cover) -> None:
        for row in b.rows:
            value = self.row_value(row.infos) or BLANK
            self.doc.add_paragraph(f"{row.label}：{value}")

    def field_table(self, b: FieldTable) -> None:
        width = b.width
        n_rows = sum(1 + len(r.rows) if isinstance(r, Matrix) else 1 for r in b.rows)
        t = self.doc.add_table(rows=n_rows, cols=width)
        t.style = "Table Grid"
        r = 0
        for row in b.rows:
            if isinstance(row, Matrix):
                r = self.matrix(t, r, row, width)
                continue
            label_cell = t.cell(r, 0)
            value_cell = t.cell(r, 1).merge(t.cell(r, width - 1)) if width > 2 else t.cell(r, 1)
            if isinstance(row, FieldRow):
                label_cell.text = row.label
                value_cell.text = self.row_value(row.infos)
            elif isinstance(row, OptionsRow):
                label_cell.text = row.label
                value_cell.text = self.option_boxes(row.lst, row.group)
            elif isinstance(row, SectionRow):
                label_cell.text = strip_numbering(row.section.title)
                if row.section.hint:
                    hint = label_cell.add_paragraph().add_run(row.section.hint)
                    hint.italic = True
                    hint.font.size = Pt(9)
                text = (self.draft.sections.get(row.section.id, "") if self.draft else "") or ""
                lines = text.split("\n")
                value_cell.text = lines[0]
                for line in lines[1:]:
                    value_cell.add_paragraph(line)
            r += 1

    def matrix(self, t: DocxTable, r: int, m: Matrix, width: int) -> int:
        t.cell(r, 0).text = m.title
        for i, col in enumerate(m.columns):
            t.cell(r, 1 + i).text = col
        if 1 + len(m.columns) < width:
            t.cell(r, len(m.columns)).merge(t.cell(r, width - 1))
        r += 1
        for label, infos in m.rows:
            t.cell(r, 0).text = label
            for i, info in enumerate(infos):
                if info is not None:
                    t.cell(r, 1 + i).text = self.row_value([info])
            if 1 + len(m.columns) < width:
                t.cell(r, len(m.columns)).merge(t.cell(r, width - 1))
            r += 1
        return r

    def section(self, b: SectionBlock) -> None:
        self.doc.add_heading(b.heading, level=min(max(b.level, 1), 9))
        hint = b.section.hint
        if hint and norm(hint) not in norm(b.heading):
            run = self.doc.add_paragraph().add_run(hint)
            run.italic = True
        text = (self.draft.sections.get(b.section.id, "") if self.draft else "") or ""
        for line in text.split("\n") if text else [""]:
            self.doc.add_paragraph(line)

    def table(self, b: TableBlock) -> None:
        t = b.table
        if b.heading:
            self.doc.add_heading(b.heading, level=min(max(b.level, 1), 9))
        for line in b.intro:
            self.doc.add_paragraph(line)
        if t.example:
            shown = next((v for k, v in t.example.items() if v and core(k) != "seq" and k != "seq"), "")
            self.note(
                f"{NOTE}政策原文在此表中印有一行填写示例（“{shown[:30]}”），模板未列出；填写时不要保留示例行。"
            )
        rows = (self.draft.tables.get(t.id, []) if self.draft else []) or []
        if b.segmented:
            c0, c1 = t.columns[0].id, t.columns[1].id
            for row in rows:
                self.doc.add_heading(row.get(c0, ""), level=min(b.level + 1, 9))
                for line in (row.get(c1, "") or "").split("\n"):
                    self.doc.add_paragraph(line)
            return
        self.grid(t, rows)

    def grid(self, t: TableSpec, rows: list[dict[str, str]]) -> None:
        n = len(rows) if self.draft is not None and rows else BLANK_ROWS
        table = self.doc.add_table(rows=1 + n, cols=len(t.columns))
        table.style = "Table Grid"
        for i, col in enumerate(t.columns):
            table.cell(0, i).text = col.title
        for r in range(n):
            for i, col in enumerate(t.columns):
                if rows:
                    text = rows[r].get(col.id, "") or ""
                elif core(col.title) == "序号":
                    text = str(r + 1)
                else:
                    text = ""
                lines = text.split("\n")
                cell = table.cell(r + 1, i)
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)

    def attachments(self, b: Attachments) -> None:
        self.doc.add_heading(b.heading, level=min(max(b.level, 1), 9))
        attached = list(self.draft.attachments or []) if self.draft else []
        names = list(b.names) + [a for a in attached if a not in b.names]
        for i, name in enumerate(names, start=1):
            box = TICKED if name in attached else EMPTY
            self.doc.add_paragraph(f"{box} {i}、{name}")
