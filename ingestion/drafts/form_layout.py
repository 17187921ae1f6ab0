"""The arrangement of a programme's 申报书, for the template writer.

Where the corpus has the official form (a ``*-form`` document), every field,
checkbox group, section and table is placed where its label first occurs in
that form, under the form's own headings; label/value rows that follow each
other become one table, matrix fields ("行／列") become a grid with column
headers, sections printed inside the form's tables become table rows and a
two-column table printed as a heading with paragraphs (南通 "三、重点环节建设
情况") stays a heading. What the form does not print (fields the rules need
but the form lacks) goes to a final "补充信息" part.

Without an official form the same parts are laid out from the spec alone:
基本信息, 勾选项, each section, each table, 相关附件.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from core.catalogue import CatalogueList
from core.numbers import to_halfwidth
from core.spec import SectionSpec, TableSpec
from corpus.loader import Corpus
from ingestion.drafts.fields import FieldInfo, SpecIndex, form_doc, is_attachments_heading, spec_index
from ingestion.drafts.labels import core, heading_key, norm, split_compound, strip_numbering

NOTE = "【填写说明】"
_CN_NUM = "一二三四五六七八九十"


@dataclass
class FieldRow:
    """A label/value row; a period has both ends in one row."""

    label: str
    infos: list[FieldInfo]


@dataclass
class Matrix:
    """Matrix fields: rows × column headers."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[FieldInfo | None]]]


@dataclass
class SectionRow:
    """A section printed as a table row (label | text)."""

    section: SectionSpec


@dataclass
class OptionsRow:
    """A checkbox group row: label | □ item □ item ..."""

    label: str
    lst: CatalogueList
    group: str | None = None


Row = FieldRow | Matrix | SectionRow | OptionsRow


@dataclass
class Heading:
    """A heading printed in the form."""

    text: str
    level: int


@dataclass
class Cover:
    """Cover-page fields: "标签：____" paragraphs."""

    rows: list[FieldRow]


@dataclass
class FieldTable:
    """Consecutive rows printed as one table."""

    rows: list[Row]

    @property
    def width(self) -> int:
        """Number of grid columns the table needs."""
        return max([2, *(1 + len(r.columns) for r in self.rows if isinstance(r, Matrix))])


@dataclass
class SectionBlock:
    """A section printed as a heading followed by its text."""

    section: SectionSpec
    heading: str
    level: int


@dataclass
class TableBlock:
    """A spec table; ``segmented`` when printed as sub-headings and paragraphs."""

    table: TableSpec
    heading: str | None
    level: int
    segmented: bool = False
    intro: list[str] = field(default_factory=list)


@dataclass
class Attachments:
    """The attachments list, one box per attachment."""

    heading: str
    level: int
    names: list[str]


@dataclass
class Note:
    """An instruction paragraph (starts with 【填写说明】; the reader skips it)."""

    text: str


Block = Heading | Cover | FieldTable | SectionBlock | TableBlock | Attachments | Note


@dataclass
class FormLayout:
    """The whole form."""

    programme: str
    title: str
    official: bool
    blocks: list[Block]


# ----------------------------------------------------------------- elements


@dataclass
class _El:
    pos: float
    kind: str  # field, matrix, section, section_row, table, options, attachments, heading
    obj: object
    label: str = ""
    level: int = 1


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", to_halfwidth(text))


def _field_rows(idx: SpecIndex) -> tuple[list[FieldRow], list[FieldInfo]]:
    """Simple rows (periods merged) and matrix fields; fields a table or the
    attachments block carries are left out."""
    table_titles = {heading_key(t.title) for t in idx.spec.tables}
    rows: list[FieldRow] = []
    matrix: list[FieldInfo] = []
    done: set[str] = set()
    for info in idx.fields:
        if info.path in done or info.kind == "attachments":
            continue
        if info.kind == "list" and core(info.label) in table_titles:
            continue
        if split_compound(info.label)[1] is not None:
            matrix.append(info)
            continue
        infos = [info]
        if info.pair:
            other = idx.by_path(info.pair)
            if other is not None:
                infos = sorted([info, other], key=lambda f: f.kind != "period_start")
                done.add(other.path)
        done.add(info.path)
        rows.append(FieldRow(info.label, infos))
    return rows, matrix


def _matrices(infos: list[FieldInfo], title_for: dict[str, str]) -> list[Matrix]:
    """Group matrix fields by their column set, in order."""
    groups: list[Matrix] = []
    for info in infos:
        row, col = split_compound(info.label)
        assert col is not None
        target = next(
            (
                m
                for m in groups
                if any(core(c) == core(col) for c in m.columns)
                or any(core(r[0]) == core(row) for r in m.rows)
            ),
            None,
        )
        if target is None:
            target = Matrix(title_for.get(core(col), ""), [], [])
            groups.append(target)
        if all(core(c) != core(col) for c in target.columns):
            target.columns.append(col)
        ci = next(i for i, c in enumerate(target.columns) if core(c) == core(col))
        r = next((x for x in target.rows if core(x[0]) == core(row)), None)
        if r is None:
            r = (row, [])
            target.rows.append(r)
        while len(r[1]) <= ci:
            r[1].append(None)
        r[1][ci] = info
    for m in groups:
        for _, cells in m.rows:
            cells.extend([None] * (len(m.columns) - len(cells)))
        years = [re.match(r"^\s*(\d{4})", c) for c in m.columns]
        if all(years):
            order = sorted(range(len(m.columns)), key=lambda i: int(years[i].group(1)))  # type: ignore[union-attr]
            m.columns = [m.columns[i] for i in order]
            m.rows = [(label, [cells[i] for i in order]) for label, cells in m.rows]
    return groups


def choice_lists(idx: SpecIndex) -> set[str]:
    """Lists printed inside a choice field's row."""
    return {f.list_id for f in idx.fields if f.list_id}


def _options_rows(lst: CatalogueList) -> list[OptionsRow]:
    if lst.groups:
        return [OptionsRow(g, lst, g) for g in lst.groups if any(i.group == g for i in lst.items)]
    return [OptionsRow(lst.title, lst)]


# ----------------------------------------------------------------- official


def _official(idx: SpecIndex, body: str, title: str) -> list[Block]:
    flat = _compact(body)
    lines = body.splitlines()

    def pos(*texts: str) -> float:
        found = [flat.find(_compact(t)) for t in texts if t and _compact(t)]
        found = [p for p in found if p >= 0]
        return min(found) if found else math.inf

    els: list[_El] = []
    # headings of the form, with their positions
    offset = 0
    title_key = heading_key(title)
    sec_titles = {heading_key(s.title): s for s in idx.spec.sections}
    for raw in lines:
        line = raw.strip()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            text = line.lstrip("#").strip().replace("[存疑]", "")  # editorial marks of the cleaned corpus
            if heading_key(text) != title_key:
                els.append(_El(offset, "heading", text, text, max(1, level - 1)))
        offset += len(_compact(raw))
    heading_texts = list(els)

    cells = {core(c) for ln in lines if ln.strip().startswith("|") for c in ln.strip().strip("|").split("|")}

    def table_line(text: str) -> bool:
        """Whether the text is printed as a cell of one of the form's tables."""
        return core(text) in cells

    rows, matrix_infos = _field_rows(idx)
    for fr in rows:
        labels = [lab for f in fr.infos for lab in f.labels]
        p = pos(*labels)
        shown = min(labels, key=lambda lab: (pos(lab), labels.index(lab)))
        els.append(_El(p, "field", FieldRow(shown if p < math.inf else fr.label, fr.infos)))
    col_titles = {
        **idx.matrix_titles,
        **_matrix_titles(lines, [split_compound(f.label)[1] or "" for f in matrix_infos]),
    }
    for m in _matrices(matrix_infos, col_titles):
        els.append(_El(pos(*(r[0] for r in m.rows)), "matrix", m))
    skip = choice_lists(idx)
    for lst in idx.lists:
        if lst.id in skip:
            continue
        p = pos(*(i.name for i in lst.items[:3]))
        for orow in _options_rows(lst):
            gp = pos(orow.group) if orow.group else p
            els.append(_El(min(p, gp) if gp < math.inf else p, "options", orow))
    used_headings: set[int] = set()
    for s in idx.spec.sections:
        h = next(
            (
                e
                for e in heading_texts
                if sec_titles.get(heading_key(e.label)) is s or _heading_names(e.label, s.title)
            ),
            None,
        )
        if h is not None:
            used_headings.add(id(h))
            els.append(_El(h.pos, "section", SectionBlock(s, h.label, h.level)))
        elif table_line(strip_numbering(s.title)):
            els.append(_El(pos(strip_numbering(s.title)), "section_row", SectionRow(s)))
        else:
            els.append(_El(math.inf, "section", SectionBlock(s, s.title, 2)))
    for t in idx.spec.tables:
        h = next((e for e in heading_texts if _heading_names(e.label, t.title)), None)
        if h is not None:
            used_headings.add(id(h))
            seg = len(t.columns) == 2 and not table_line(t.columns[1].title)
            intro = _intro(lines, h.label) if seg else []
            els.append(_El(h.pos, "table", TableBlock(t, h.label, h.level, seg, intro)))
        else:
            p = pos(t.title)
            p = p if p < math.inf else _header_line_pos(lines, t)
            els.append(_El(p, "table", TableBlock(t, None if table_line(t.title) else t.title, 2)))
    if idx.spec.attachments or idx.by_path("attachments"):
        h = next((e for e in heading_texts if is_attachments_heading(e.label)), None)
        if h is not None:
            used_headings.add(id(h))
        names = list(idx.spec.attachments)
        els.append(
            _El(
                h.pos if h else math.inf,
                "attachments",
                Attachments(h.label if h else "相关附件", h.level if h else 1, names),
            )
        )
    els = [e for e in els if not (e.kind == "heading" and id(e) in used_headings)]
    order = {"heading": 0, "section": 1, "table": 1, "attachments": 1}
    els.sort(key=lambda e: (e.pos, order.get(e.kind, 2)))
    return _assemble(els, official=True)


def _header_line_pos(lines: list[str], t: TableSpec) -> float:
    """Position of a printed table whose header row has most of the table's columns."""
    offset = 0
    cols = {core(c.title) for c in t.columns}
    for raw in lines:
        line = raw.strip()
        if line.startswith("|"):
            cells = {core(c) for c in line.strip("|").split("|") if c.strip()}
            if len(cols & cells) >= max(2, math.ceil(0.6 * len(cols))):
                return offset
        offset += len(_compact(raw))
    return math.inf


def _heading_names(heading: str, title: str) -> bool:
    hk, tk = heading_key(heading), heading_key(title)
    if hk == tk:
        return True
    n = norm(strip_numbering(heading))
    return n.startswith(tk) and n[len(tk) :].startswith("(")


def _intro(lines: list[str], heading: str) -> list[str]:
    """The printed paragraphs right after a heading in the form."""
    out: list[str] = []
    started = False
    for raw in lines:
        line = raw.strip()
        if line.startswith("#"):
            if started:
                break
            started = line.lstrip("#").strip() == heading
            continue
        if started and line and not line.startswith("|"):
            out.append(line)
    return out


def _matrix_titles(lines: list[str], cols: list[str]) -> dict[str, str]:
    """For each column header, the printed label before it on its header row
    ("财务情况 | 2019 年 | 2020 年")."""
    out: dict[str, str] = {}
    keys = {core(c) for c in cols if c}
    for raw in lines:
        if not raw.strip().startswith("|"):
            continue
        cells = [c.strip() for c in raw.strip().strip("|").split("|")]
        hits = [i for i, c in enumerate(cells) if core(c) in keys]
        if not hits:
            continue
        before = [c for c in cells[: hits[0]] if c and not re.match(r"^\d{4}\s*年", c)]
        title = before[-1] if before else ""
        for i in hits:
            out.setdefault(core(cells[i]), title)
    return out


# ----------------------------------------------------------------- generic


def _generic(idx: SpecIndex) -> list[Block]:
    els: list[_El] = []
    part = iter(_CN_NUM)
    n = 0.0

    def add(kind: str, obj: object, level: int = 1) -> None:
        nonlocal n
        n += 1
        els.append(_El(n, kind, obj, level=level))

    rows, matrix_infos = _field_rows(idx)
    if rows or matrix_infos:
        add("heading", f"{next(part)}、基本信息")
        for fr in rows:
            add("field", fr)
        for m in _matrices(matrix_infos, idx.matrix_titles):
            add("matrix", m)
    skip = choice_lists(idx)
    option_lists = [lst for lst in idx.lists if lst.id not in skip]
    if option_lists:
        add("heading", f"{next(part)}、勾选项（在符合的选项前打 √ 或将 □ 改为 ☑）")
        for lst in option_lists:
            if lst.groups:
                add("field_title", lst.title)
            for orow in _options_rows(lst):
                add("options", orow)
    for s in idx.spec.sections:
        add("section", SectionBlock(s, f"{next(part, '')}、{strip_numbering(s.title)}".lstrip("、"), 1))
    for t in idx.spec.tables:
        add("table", TableBlock(t, f"{next(part, '')}、{strip_numbering(t.title)}".lstrip("、"), 1))
    if idx.spec.attachments or idx.by_path("attachments"):
        add(
            "attachments",
            Attachments(f"{next(part, '')}、相关附件".lstrip("、"), 1, list(idx.spec.attachments)),
        )
    return _assemble(els, official=False)


# ----------------------------------------------------------------- assembly


def _assemble(els: list[_El], official: bool) -> list[Block]:
    blocks: list[Block] = []
    cover: list[FieldRow] = []
    current: FieldTable | None = None
    seen_heading = False
    extra_started = False
    for e in els:
        if official and e.pos == math.inf and not extra_started:
            extra_started = True
            current = None
            blocks.append(Heading("补充信息", 1))
            blocks.append(Note(f"{NOTE}以下栏目申报书原文未单列，但审核规则需要，请一并填写。"))
        row_like = e.kind in ("field", "matrix", "section_row", "options")
        if official and not seen_heading and e.kind == "field" and e.pos < math.inf:
            assert isinstance(e.obj, FieldRow)
            cover.append(e.obj)
            continue
        if row_like:
            if current is None:
                current = FieldTable([])
                blocks.append(current)
            current.rows.append(e.obj)  # type: ignore[arg-type]
            continue
        current = None
        if e.kind == "heading":
            seen_heading = True
            assert isinstance(e.obj, str)
            blocks.append(Heading(e.obj, e.level))
        elif e.kind == "field_title":
            assert isinstance(e.obj, str)
            blocks.append(Note(f"{NOTE}{e.obj}"))
        else:
            seen_heading = True
            blocks.append(e.obj)  # type: ignore[arg-type]
    if cover:
        blocks.insert(0, Cover(cover))
    return blocks


def form_layout(pid: str, corpus: Corpus) -> FormLayout:
    """The layout of programme ``pid``'s form."""
    spec = corpus.programme(pid)
    idx = spec_index(spec, corpus)
    doc = form_doc(spec, corpus)
    if doc is not None:
        return FormLayout(spec.id, doc.meta.title, True, _official(idx, doc.body, doc.meta.title))
    title = spec.title if spec.title.endswith("申报书") else f"{spec.title}申报书"
    return FormLayout(spec.id, title, False, _generic(idx))
