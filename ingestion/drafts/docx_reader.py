"""Read a filled 申报书 (.docx) into a :class:`Draft`.

What is read, and how:

- **Label → value cells.** A table cell whose text is a field label of the
  spec (spaces, widths, colons, numbering and unit suffixes tolerated) takes
  the first non-empty value cell to its right, skipping printed hints
  ("（行业大类代码+名称）") and blank spacer cells. A generic sub-label
  ("联系人 | 姓名 | 张三") passes the value on to the label before it. Matrix
  fields written "行／列" in the spec (``总资产（万元）／2021年``) take the cell
  under the column header in the label's row. A unit printed in the label
  ("（元）") overrides the spec's unit for money.
- **Inline labels** in paragraphs and cells: "申报单位（盖章）：某某公司".
- **Sections**: a heading naming a section (numbering and hint tolerated)
  takes the paragraphs up to the next heading; a table row labelled with a
  section title takes its value cell. Printed instructions are dropped.
- **Tables** of the spec: found by their header row (column titles matched
  by their core, e.g. "具体描述"); rows up to the next labelled row; blank,
  numbered-only and worked-example rows skipped; vertically merged cells give
  their text to every row they span. A two-column table printed in the form
  as a heading with sub-headings ("三、重点环节建设情况") is read from the
  sub-headings and their paragraphs.
- **Checkboxes** in every form (see :mod:`ingestion.drafts.glyphs`), mapped to
  the items of the spec's checkbox lists (:mod:`ingestion.drafts.options`);
  a list whose options are printed gets ``selections[list] = [ticked ids]``.
- **Attachments**: the options (or lines) under the 相关附件 heading.

Every value keeps its location in ``Draft.locations``; normalised values
keep their text in ``Draft.originals``; what could not be read is a Chinese
note in ``Draft.reader_notes`` and the field stays empty.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from core.draft import Draft, set_path
from core.spec import ProgrammeSpec, SectionSpec, TableSpec
from corpus.loader import Corpus
from ingestion.drafts.detect import form_title
from ingestion.drafts.docx_blocks import Block, Cell, Para, Table, iter_tables
from ingestion.drafts.errors import DraftError
from ingestion.drafts.fields import FieldInfo, LabelHit, SpecIndex, is_attachments_heading, spec_index
from ingestion.drafts.labels import (
    clean_value,
    core,
    heading_key,
    is_garbled,
    is_hint,
    label_pattern,
    norm,
    normalize_with_map,
    strip_label_prefix,
    strip_leading_hint,
    strip_numbering,
)
from ingestion.drafts.options import Container, map_options, option_key, split_options
from ingestion.drafts.structured_reader import error_text
from ingestion.drafts.values import Read, convert

EXAMPLE_SEQ = {"示例", "例", "样例", "举例", "example"}
_TOP_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")
NOTE_PREFIX = "【填写说明】"
MAX_INLINE_PARA = 300


@dataclass
class _State:
    idx: SpecIndex
    values: dict[str, Any] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    recognized: int = 0
    structured_tables: set[int] = field(default_factory=set)  # table numbers holding form labels
    data_cells: set[int] = field(default_factory=set)  # cell keys read as spec-table data
    consumed: set[int] = field(default_factory=set)  # id() of paragraphs read as section/attachment bodies

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def set_field(self, info: FieldInfo, read: Read, loc: str) -> None:
        self.recognized += 1
        self.locations.setdefault(info.path, loc)
        if read.note:
            self.note(f"{read.note}（{loc}）")
        if read.value is None:
            return
        self._put(info.path, info.label, read.value, read.original, loc, info.kind not in ("text", "list"))
        if read.extra is not None and info.pair:
            self._put(info.pair, info.label, read.extra, read.original, loc, True)

    def _put(self, path: str, label: str, value: Any, original: str, loc: str, keep_original: bool) -> None:
        old = self.values.get(path)
        if old is None:
            self.values[path] = value
            self.locations[path] = loc
            if keep_original and original:
                self.originals[path] = original
        elif old != value:
            self.note(
                f"「{label}」在文件中填写了不同的值："
                f"{self.locations.get(path)}为「{self.originals.get(path, old)}」，"
                f"{loc}为「{original}」；已采用前者，请核对。"
            )

    def set_section(self, sec: SectionSpec, text: str, loc: str) -> None:
        self.recognized += 1
        path = f"sections.{sec.id}"
        self.locations.setdefault(path, loc)
        if is_garbled(text):
            self.note(f"「{sec.title}」的内容无法识别（疑似乱码）（{loc}）")
            return
        text = text.strip()
        if not text:
            return
        if sec.id not in self.sections:
            self.sections[sec.id] = text
            self.locations[path] = loc
        elif self.sections[sec.id] != text:
            self.note(
                f"「{sec.title}」在文件中出现多处：已采用{self.locations[path]}的内容，{loc}的内容未采用，请核对。"
            )


# ------------------------------------------------------------------ tables


def _header_match(row: list[Cell], idx: SpecIndex) -> tuple[TableSpec, dict[str, int]] | None:
    best: tuple[float, TableSpec, dict[str, int]] | None = None
    live = [c for c in row if not c.continued and c.text and not any(p.has_marks for p in c.paras)]
    if len(live) < 2:
        return None
    for t in idx.spec.tables:
        colmap: dict[str, int] = {}
        used: set[int] = set()
        for col in t.columns:
            ck = core(col.title)
            for c in live:
                k = core(strip_label_prefix(c.text)) or core(c.text)
                if id(c) in used or not k:
                    continue
                short, long_ = sorted((k, ck), key=len)
                if k == ck or (len(short) >= 2 and long_.startswith(short) and len(long_) - len(short) <= 2):
                    colmap[col.id] = c.col
                    used.add(id(c))
                    break
        non_seq = [cid for cid in colmap if core(next(c.title for c in t.columns if c.id == cid)) != "序号"]
        need = max(2, math.ceil(0.6 * len(t.columns)))
        if len(colmap) >= min(need, len(t.columns)) and len(non_seq) >= min(2, len(t.columns)):
            score = len(colmap) / len(t.columns)
            if best is None or score > best[0]:
                best = (score, t, colmap)
    return (best[1], best[2]) if best else None


def _row_has_target(row: list[Cell], idx: SpecIndex) -> bool:
    for c in row:
        if c.continued or not c.text:
            continue
        hit = idx.match(c.text)
        if hit is not None and hit.targets:
            return True
    return False


def _is_example(t: TableSpec, values: dict[str, str]) -> bool:
    seq = next((values[c.id] for c in t.columns if c.id in values and core(c.title) == "序号"), "")
    if norm(seq) in EXAMPLE_SEQ:
        return True
    if t.example:
        same = sum(1 for k, v in t.example.items() if v and norm(values.get(k, "")) == norm(v))
        return same >= max(2, len([v for v in t.example.values() if v]) // 2)
    return False


def _read_data_row(st: _State, table: Table, r: int, t: TableSpec, colmap: dict[str, int]) -> None:
    values: dict[str, str] = {}
    taken: set[int] = set()
    seq_ids = {c.id for c in t.columns if core(c.title) == "序号"}
    for cid, gcol in colmap.items():
        cell = table.cell_at(r, gcol)
        if cell is None or id(cell) in taken:
            values[cid] = ""
            continue
        taken.add(id(cell))
        st.data_cells.add(cell.key)
        text = cell.text
        if is_garbled(text):
            st.note(f"「{t.title}」第{r + 1}行的单元格内容无法识别（疑似乱码）（{cell.loc}）")
            text = ""
        values[cid] = text
    if not any(v for k, v in values.items() if k not in seq_ids):
        return
    if _is_example(t, values):
        return
    header = {col.id: col.title for col in t.columns}
    if all(core(values.get(k, "")) == core(header[k]) for k in values if values.get(k)):
        return  # a repeated header row
    rows = st.tables.setdefault(t.id, [])
    rows.append(values)
    st.locations[f"tables.{t.id}.{len(rows)}"] = f"{table.loc} 第{r + 1}行"


def _classify(cell: Cell, idx: SpecIndex) -> tuple[str, LabelHit | None]:
    if cell.continued:
        return "skip", None
    text = cell.text
    if any(p.has_marks for p in cell.paras):
        return "value", None
    if text:
        hit = idx.match(text)
        if hit is not None:
            return "label", hit
        if is_hint(text):
            return "hint", None
    return "value", None


def _assign(st: _State, hit: LabelHit, cell: Cell, loc: str | None = None) -> None:
    where = loc or cell.loc
    if hit.section is not None:
        st.data_cells.add(cell.key)  # free text: not scanned for "标签：值" later
        text = strip_leading_hint(cell.text, (hit.section.hint or "",))
        text = _drop_notes(text, st.idx)
        st.set_section(hit.section, text, where)
        return
    options = split_options(cell.tokens, cell.loc) if any(p.has_marks for p in cell.paras) else []
    raw = cell.text
    if is_hint(raw) and not options:
        raw = ""
    raw = strip_leading_hint(raw)
    for info in hit.fields:
        st.set_field(info, convert(info, raw, options, hit.unit), where)


def _drop_notes(text: str, idx: SpecIndex) -> str:
    lines = [ln for ln in text.split("\n") if not _is_printed(ln, idx)]
    return "\n".join(lines).strip()


def _is_printed(text: str, idx: SpecIndex) -> bool:
    t = text.strip()
    return bool(t) and (t.startswith(NOTE_PREFIX) or norm(t) in idx.printed_paras)


def _label_row(st: _State, row: list[Cell], headers: dict[int, str]) -> None:
    idx = st.idx
    classes = [_classify(c, idx) for c in row]
    n = len(row)
    pending: tuple[LabelHit, Cell] | None = None
    i = 0
    while i < n:
        cls, hit = classes[i]
        if cls != "label" or hit is None:
            i += 1
            continue
        j = i + 1
        group: list[Cell] = []
        while j < n and classes[j][0] != "label":
            if classes[j][0] == "value":
                group.append(row[j])
            j += 1
        target = hit
        if not hit.targets and pending is not None:
            both = idx.match(pending[1].text + row[i].text)
            target = both if both is not None and both.targets else pending[0]
        if hit.has_compound and headers:
            simple: list[Cell] = []
            for c in group:
                h = headers.get(c.col, "")
                if h and idx.is_column_header(h):
                    info = idx.compound_field(hit.key, h)
                    if info is not None:
                        options = split_options(c.tokens, c.loc) if any(p.has_marks for p in c.paras) else []
                        st.set_field(
                            info, convert(info, strip_leading_hint(c.text), options, hit.unit), c.loc
                        )
                else:
                    simple.append(c)
            group = simple
        if target.targets and group:
            chosen = next((c for c in group if c.text or any(p.has_marks for p in c.paras)), group[0])
            _assign(st, target, chosen)
            pending = None
        elif hit.targets and not group:
            pending = (hit, row[i])  # the value may follow a sub-label: 联系人 | 姓名 | 张三
        i = j


def _read_table(st: _State, table: Table) -> None:
    idx = st.idx
    headers: dict[int, str] = {}
    active: tuple[TableSpec, dict[str, int]] | None = None
    for r, row in enumerate(table.rows):
        hdr = _header_match(row, idx)
        if hdr is not None:
            active = hdr
            st.recognized += 1
            st.structured_tables.add(table.number)
            st.tables.setdefault(hdr[0].id, [])
            st.locations.setdefault(f"tables.{hdr[0].id}", table.loc)
            continue
        if active is not None:
            if _row_has_target(row, idx):
                active = None
            else:
                _read_data_row(st, table, r, active[0], active[1])
                continue
        live = [c for c in row if not c.continued and c.text]
        if any(idx.is_column_header(c.text) for c in live):
            headers = {}
            for c in row:
                for col in range(c.col, c.col + c.span):
                    headers[col] = c.text
            continue
        before = st.recognized
        _label_row(st, row, headers)
        if st.recognized > before:
            st.structured_tables.add(table.number)


# ------------------------------------------------------------------ paragraphs


@dataclass
class _Inline:
    pattern: re.Pattern[str]
    targets: dict[str, LabelHit]  # normalised label → hit


def _inline_index(idx: SpecIndex) -> _Inline:
    labels: dict[str, LabelHit] = {}
    for info in idx.fields:
        for lab in info.labels:
            if "／" in lab:
                continue
            hit = idx.match(lab)
            if hit is not None and hit.targets:
                labels.setdefault(lab, hit)
    for sec in idx.spec.sections:
        labels.setdefault(strip_numbering(sec.title), LabelHit(core(sec.title), section=sec))
    pats = sorted(labels, key=lambda x: -len(norm(x)))
    keyed = {norm(lab): labels[lab] for lab in pats}
    alternation = "|".join(f"(?:{label_pattern(lab)})" for lab in pats) or "(?!)"
    return _Inline(re.compile(rf"(?P<label>{alternation})\s*[:：]"), keyed)


def _scan_inline(st: _State, inline: _Inline, para: Para, next_text: str | None) -> None:
    """Find "标签：值" in a paragraph (marks and line breaks end a value)."""
    flat = "".join(t if isinstance(t, str) else "\x00" for t in para.tokens)
    if (":" not in flat and "：" not in flat) or len(flat) > MAX_INLINE_PARA:
        return  # long paragraphs are prose, not "标签：值" lines
    text, back = normalize_with_map(flat)
    matches = list(inline.pattern.finditer(text))
    for k, m in enumerate(matches):
        hit = inline.targets.get(norm(m.group("label")))
        if hit is None:
            continue
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        stop = [p for p in (text.find("\x00", m.end(), end), text.find("\n", m.end(), end)) if p >= 0]
        end = min([end, *stop])
        a = back[m.end()] if m.end() < len(back) else len(flat)
        b = back[end] if end < len(back) else len(flat)
        value = flat[a:b].strip()
        if not value and next_text is not None and k == len(matches) - 1 and end == len(text):
            value = next_text
        cell = Cell(0, 0, 0, 1)
        cell.paras = [Para([value], para.loc)]
        _assign(st, hit, cell, para.loc)


def _stop_here(p: Para, level: int | None, idx: SpecIndex) -> bool:
    t = p.text.strip()
    if not t:
        return False
    if idx.is_known_heading(t):
        return True
    if p.heading is not None and level is not None and p.heading <= level:
        return True
    if p.heading is not None and level is None and p.heading <= 2:
        return True
    return len(t) <= 30 and bool(_TOP_NUMBERING.match(t)) and not re.search(r"[。；;]", t)


def _table_text(t: Table) -> str:
    lines = []
    for row in t.rows:
        cells = [c.text for c in row if not c.continued and c.text]
        if cells:
            lines.append(" ".join(cells))
    return "\n".join(lines)


def _capture(
    st: _State, body: list[Block], start: int, heading: Para, segmented: bool = False
) -> tuple[int, list[Para | str]]:
    """Paragraphs (and unstructured tables as text) after a heading, up to the next heading.
    In ``segmented`` mode sub-headings naming a 环节 do not end the capture."""
    out: list[Para | str] = []
    j = start
    while j < len(body):
        b = body[j]
        if isinstance(b, Para):
            if _stop_here(b, heading.heading, st.idx) and not (segmented and _names_link(b.text, st.idx)):
                break
            st.consumed.add(id(b))
            out.append(b)
        else:
            if b.number in st.structured_tables:
                break
            out.append(_table_text(b))
        j += 1
    return j, out


def _body_text(items: list[Para | str], hint: str | None, idx: SpecIndex, st: _State) -> str:
    lines: list[str] = []
    for it in items:
        text = it.text if isinstance(it, Para) else it
        t = text.strip()
        if not t or _is_printed(t, idx):
            continue
        if not lines and hint and (norm(t) == norm(hint) or core(t) == core(hint)):
            continue
        if is_garbled(t):
            st.note(f"段落内容无法识别（疑似乱码），已跳过（{it.loc if isinstance(it, Para) else '表格'}）")
            continue
        lines.append(text.rstrip())
    return "\n".join(lines).strip()


def _names_link(text: str, idx: SpecIndex) -> bool:
    name = heading_key(text)
    return len(text.strip()) <= 30 and (name.removesuffix("环节") in idx.link_names or name in idx.link_names)


def _is_subheading(p: Para, level: int | None, idx: SpecIndex) -> bool:
    t = p.text.strip()
    if not t or len(t) > 30 or re.search(r"[。；;]", t):
        return False
    if p.heading is not None and (level is None or p.heading > level):
        return True
    if _names_link(t, idx) or t.endswith("环节"):
        return True
    return (
        bool(re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])", t))
        and len(t) <= 20
    )


def _read_segments(st: _State, t: TableSpec, heading: Para, items: list[Para | str]) -> None:
    c0, c1 = t.columns[0].id, t.columns[1].id
    rows: list[tuple[str, list[str], str]] = []
    for it in items:
        if isinstance(it, Para) and _is_subheading(it, heading.heading, st.idx):
            rows.append((strip_numbering(it.text.strip()), [], it.loc))
            continue
        text = it.text if isinstance(it, Para) else it
        if not text.strip() or _is_printed(text, st.idx):
            continue
        if is_garbled(text):
            st.note(f"「{t.title}」中有无法识别的段落（疑似乱码），已跳过")
            continue
        if not rows:
            rows.append(("", [], it.loc if isinstance(it, Para) else heading.loc))
        rows[-1][1].append(text.rstrip())
    out = st.tables.setdefault(t.id, [])
    st.locations.setdefault(f"tables.{t.id}", heading.loc)
    for name, texts, loc in rows:
        body = "\n".join(texts).strip()
        if not name and not body:
            continue
        out.append({c0: name, c1: body})
        st.locations[f"tables.{t.id}.{len(out)}"] = loc


def _read_attachments(st: _State, heading: Para, items: list[Para | str]) -> None:
    info = st.idx.by_path("attachments")
    names = list(st.idx.spec.attachments)
    paras = [it for it in items if isinstance(it, Para)]
    labels: list[str] = []
    if any(p.has_marks for p in paras):
        for p in paras:
            labels += [o.label for o in split_options(p.tokens, p.loc) if o.ticked]
    else:
        labels = [p.text.strip() for p in paras if p.text.strip() and not _is_printed(p.text, st.idx)]
        labels = [x for x in labels if not is_hint(x)]
    found: list[str] = []
    for lab in labels:
        key = option_key(lab)
        name = next((n for n in names if option_key(n) and (option_key(n) == key)), None)
        if name is None:
            name = next((n for n in names if option_key(n) and option_key(n) in key), None)
        value = name or strip_numbering(clean_value(lab)).rstrip("；;。.")
        if value and value not in found:
            found.append(value)
    st.recognized += 1
    path = info.path if info else "attachments"
    if "attachments" not in st.values:
        st.values["attachments"] = found
        st.locations[path] = heading.loc


def _read_body(st: _State, body: list[Block], inline: _Inline) -> None:
    idx = st.idx
    i = 0
    while i < len(body):
        b = body[i]
        if not isinstance(b, Para) or b.has_marks:
            i += 1
            continue
        text = b.text.strip()
        sec = idx.section_for_heading(text) if text else None
        tspec = idx.table_for_heading(text) if text and sec is None else None
        if sec is not None:
            j, items = _capture(st, body, i + 1, b)
            st.set_section(sec, _body_text(items, sec.hint, idx, st), b.loc)
            i = j
            continue
        if tspec is not None and tspec.id not in st.tables and len(tspec.columns) == 2:
            j, items = _capture(st, body, i + 1, b, segmented=True)
            st.recognized += 1
            _read_segments(st, tspec, b, items)
            i = j
            continue
        if text and is_attachments_heading(text):
            j, items = _capture(st, body, i + 1, b)
            _read_attachments(st, b, items)
            i = j
            continue
        nxt = None
        if i + 1 < len(body):
            nb = body[i + 1]
            if (
                isinstance(nb, Para)
                and nb.heading is None
                and len(nb.text.strip()) <= 40
                and ":" not in nb.text
                and "：" not in nb.text
                and not idx.is_known_heading(nb.text)
            ):
                nxt = nb.text.strip()
        _scan_inline(st, inline, b, nxt)
        i += 1


def _scan_cells(st: _State, tables: list[Table], inline: _Inline) -> None:
    for t in tables:
        for row in t.rows:
            for c in row:
                if c.continued or c.key in st.data_cells:
                    continue
                for p in c.paras:
                    _scan_inline(st, inline, p, None)


def _option_containers(body: list[Block], tables: list[Table], st: _State) -> list[Container]:
    out: list[Container] = []
    prev = ""
    for b in body:
        if isinstance(b, Para):
            if b.has_marks and id(b) not in st.consumed:
                out.append(Container(split_options(b.tokens, b.loc), prev))
            elif b.text.strip():
                prev = b.text.strip()
    for t in tables:
        for row in t.rows:
            context = " ".join(c.text for c in row if not c.continued or c.col == 0)
            for c in row:
                if c.continued or c.key in st.data_cells:
                    continue
                if any(p.has_marks for p in c.paras):
                    out.append(Container(split_options(c.tokens, c.loc), context))
    return out


def _derived_lists(st: _State) -> None:
    """A list field named like a table (企业荣誉) takes the table's names."""
    for info in st.idx.fields:
        if info.kind != "list" or info.path in st.values:
            continue
        for t in st.idx.spec.tables:
            if heading_key(t.title) != core(info.label) or not st.tables.get(t.id):
                continue
            cols = [c.id for c in t.columns if core(c.title) != "序号"]
            col = "name" if "name" in cols else cols[0]
            st.values[info.path] = [r[col] for r in st.tables[t.id] if r.get(col)]
            st.locations[info.path] = st.locations.get(f"tables.{t.id}", "")


def _build(st: _State, spec: ProgrammeSpec, source: str, selections: dict[str, list[str]]) -> Draft:
    data: dict[str, Any] = {"programme": spec.id, "source": source}
    for path, value in st.values.items():
        set_path(data, path, value)
    for k in ("sections", "tables", "selections"):
        data.setdefault(k, {})
    data["sections"].update(st.sections)
    data["tables"].update(st.tables)
    data["selections"].update(selections)
    data["originals"] = st.originals
    data["locations"] = st.locations
    data["reader_notes"] = st.notes
    for _ in range(5):
        try:
            return Draft.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                loc = [str(x) for x in err["loc"]]
                path = ".".join(loc)
                st.notes.append(f"「{path}」的值无法使用，已忽略：{error_text(err)}")
                cur: Any = data
                for part in loc[:-1]:
                    cur = cur.get(part, {}) if isinstance(cur, dict) else {}
                if isinstance(cur, dict):
                    cur.pop(loc[-1], None)
            data["reader_notes"] = st.notes
    return Draft(programme=spec.id, source=source, reader_notes=st.notes)


TRACKED_CHANGES_NOTE = (
    "文件含修订痕迹（跟踪更改）：已按“接受全部修订”后的文字检查（插入的计入，删除的不计）。"
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def has_tracked_changes(document: Any) -> bool:
    """Whether the document body holds tracked insertions or deletions (``w:ins``/``w:del``)."""
    body = document.element.body
    return body.find(f".//{_W}ins") is not None or body.find(f".//{_W}del") is not None


def open_document(data: bytes) -> Any:
    """python-docx ``Document`` from bytes, errors as :class:`DraftError`."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx/lxml raise many types for broken packages
        msg = str(e)
        if "content type" in msg or "not a Word file" in msg:
            raise DraftError(
                "这不是 Word 文档（.docx）：可能是 Word 模板（.dotx）、"
                "启用宏的文档（.docm）或其他 Office 文件。"
                "请在 Word 中另存为 Word 文档（.docx）后再上传。",
                "not_word",
            ) from e
        raise DraftError(
            "文件已损坏，Word 文档内容无法解析。请用 Word 打开并重新保存为 .docx 后再上传。", "corrupt"
        ) from e


def read_blocks(blocks: list[Block], spec: ProgrammeSpec, corpus: Corpus, source: str) -> Draft:
    """A Draft from already walked blocks (:func:`ingestion.drafts.docx_blocks.walk`)."""
    idx = spec_index(spec, corpus)
    st = _State(idx)
    tables = iter_tables(blocks)
    for t in tables:
        _read_table(st, t)
    inline = _inline_index(idx)
    _read_body(st, blocks, inline)
    _scan_cells(st, tables, inline)
    sel = map_options(_option_containers(blocks, tables, st), idx.lists)
    for lid, loc in sel.seen.items():
        st.locations[f"selections.{lid}"] = loc
        st.recognized += 1
    for (lid, iid), loc in sel.item_locs.items():
        st.locations[f"selections.{lid}.{iid}"] = loc
    _derived_lists(st)
    title = norm(form_title(spec.id, corpus))
    if any(isinstance(b, Para) and norm(b.text) == title for b in blocks[:40]):
        st.recognized += 1  # the form's own title: a form, even if nothing is filled in yet
    if st.recognized == 0:
        raise DraftError(
            f"未在文件中找到申报书内容：没有找到「{spec.title}」申报书的栏目（如企业名称、勾选项、各部分标题）。"
            "请确认上传的是填写后的申报书。",
            "empty",
        )
    return _build(st, spec, source, sel.ticked)
