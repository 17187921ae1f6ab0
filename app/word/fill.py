"""Write values back into the writer's own .docx (``shenbao fill``, and the
check page's 下载已填写的申报书): each value goes where the reader found its
field — the value cell of its label, the blank after "标签：", the box of
its option, the paragraphs under its section heading — replacing only an
empty or placeholder value (``replace=True`` also rewrites filled ones);
scenario rows are added with :mod:`app.drafting.docx_into`, and the 环节
sections of a part printed by 环节 (``tables.link_sections``) with
:mod:`app.drafting.segment_into`, the code ``shenbao draft --into`` uses.

All or nothing: a value whose place cannot be found, or a filled field when
``replace`` is off, is a :class:`FillError` naming the field, and nothing is
returned. The filled document is read back before it is returned: every
value must read back as given and every other field as before.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.word.locate import Located, Target, locate
from app.word.runs import (
    box_options,
    paragraph_text,
    q,
    replace_span,
    set_box,
    set_cell_text,
    set_lines,
)
from app.word.values_file import FillError, segment_target
from checkers.kinds.tables import match_item
from core.catalogue import CatalogueList
from core.draft import Draft, resolve_path
from core.drafting import DraftColumn, NumberCheck, ScenarioRow
from core.spec import DraftingSpec, ProgrammeSpec
from core.text import measure
from corpus.loader import Corpus
from ingestion.drafts.docx_blocks import Mark, Para, iter_paras
from ingestion.drafts.docx_reader import NOTE_PREFIX, open_document, read_blocks
from ingestion.drafts.errors import DraftError
from ingestion.drafts.fields import FieldInfo, SpecIndex, spec_index
from ingestion.drafts.labels import (
    clean_value,
    heading_key,
    is_hint,
    is_placeholder,
    label_pattern,
    norm,
    normalize_with_map,
)
from ingestion.drafts.options import match_choice, option_key
from ingestion.drafts.values import format_value

_AS_WRITTEN = ("source", "originals", "locations", "reader_notes")


class _NoPlace(Exception):
    """A value cannot be written (each argument a message naming the field)."""


@dataclass
class FillResult:
    """The filled document and what was done."""

    data: bytes
    written: list[str] = field(default_factory=list)
    """Labels of the fields written."""
    unchanged: list[str] = field(default_factory=list)
    """Labels of the fields that already held the value."""
    rows_added: int = 0
    links_written: list[str] = field(default_factory=list)
    """The 环节 whose sections were written (``tables.link_sections``)."""
    draft: Draft | None = None
    """The filled document as the reader reads it."""


def fill_docx(
    data: bytes,
    spec: ProgrammeSpec,
    corpus: Corpus,
    values: dict[str, Any],
    rows: Sequence[ScenarioRow] = (),
    *,
    replace: bool = False,
    labels: dict[str, str] | None = None,
    name: str = "draft.docx",
) -> FillResult:
    """``data`` (a .docx) with ``values`` (Draft path → typed value) written
    where the form holds them and ``rows`` added to the scenario table.
    Raises :class:`FillError` (every problem, each naming its field) and
    :class:`ingestion.drafts.DraftError` for a file that is not a readable .docx."""
    doc = open_document(data)
    located = locate(doc)
    before = read_blocks(located.blocks, spec, corpus, name)
    writer = _Writer(spec, corpus, located, before, replace, labels or {})
    writer.values = values
    writer.box_locs = _every_box_location(located, spec, corpus, name)
    problems: list[str] = []
    result = FillResult(b"")
    for path, value in values.items():
        try:
            if writer.write(path, value):
                result.written.append(writer.label(path))
            else:
                result.unchanged.append(writer.label(path))
        except _NoPlace as exc:
            problems.extend(str(m) for m in exc.args)
    if problems:
        raise FillError(problems)
    buf = io.BytesIO()
    doc.save(buf)
    out = buf.getvalue()
    if rows:
        from app.drafting.docx_into import IntoError, rows_into_bytes

        try:
            out = rows_into_bytes(spec, corpus, rows, out)
        except IntoError as exc:
            raise FillError([str(exc)]) from exc
        result.rows_added = len(rows)
    if writer.segments:
        from app.drafting.docx_into import IntoError
        from app.drafting.segment_into import segment_into_bytes

        for row in writer.segments:
            try:
                out = segment_into_bytes(spec, corpus, row, out)
            except IntoError as exc:
                raise FillError([f"环节「{row.link}」：{exc}"]) from exc
        result.links_written = [row.link or "" for row in writer.segments]
    after = _read(out, spec, corpus, name)
    _verify(before, after, values, writer, len(rows), spec)
    result.data, result.draft = out, after
    return result


def _every_box_location(located: Located, spec: ProgrammeSpec, corpus: Corpus, name: str) -> dict[str, str]:
    """Where each printed checkbox item is: the reader records the location of
    ticked items only, so the document is read once more with every box ticked."""
    blocks = copy.deepcopy(located.blocks)
    for para in iter_paras(blocks):
        para.tokens = [
            Mark("ticked", t.source) if isinstance(t, Mark) and t.kind == "empty" else t for t in para.tokens
        ]
    try:
        draft = read_blocks(blocks, spec, corpus, name)
    except DraftError:
        return {}
    return {k: v for k, v in draft.locations.items() if k.startswith("selections.")}


def _read(data: bytes, spec: ProgrammeSpec, corpus: Corpus, name: str) -> Draft:
    from ingestion.drafts.docx_blocks import walk

    return read_blocks(walk(open_document(data)), spec, corpus, name)


# ----------------------------------------------------------------- verification


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float) and not isinstance(b, bool):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_leaves(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def _verify(
    before: Draft, after: Draft, values: dict[str, Any], writer: _Writer, rows: int, spec: ProgrammeSpec
) -> None:
    problems: list[str] = []
    for path, value in values.items():
        if path.startswith("tables."):
            problems += _segment_problems(before, after, path, writer)
            continue
        got = resolve_path(after, path)
        if path.startswith("selections."):
            ok = set(value) == set(got or []) if writer.replace else set(value) <= set(got or [])
        else:
            ok = _same(value, got)
        if not ok:
            problems.append(
                f"「{writer.label(path)}」写入后读回的是「{format_value(got) or '空'}」，"
                f"不是「{format_value(value)}」：申报书中这一栏的格式无法自动填写，请在 Word 中手工填写。"
            )
    d = spec.scenario_drafting
    table = d.table if d else None
    ticked_lists = {p.split(".")[1] for p in values if p.startswith("selections.")}
    ticked_lists |= {info.list_id for p in values if (info := writer.idx.by_path(p)) and info.list_id}
    old = _leaves(before.model_dump(mode="json", exclude=set(_AS_WRITTEN)))
    new = _leaves(after.model_dump(mode="json", exclude=set(_AS_WRITTEN)))
    for key in sorted(set(old) | set(new)):
        if any(key == p or key.startswith(f"{p}.") for p in values):
            continue
        if table and key == f"tables.{table}":
            continue
        if key.startswith("selections.") and key.split(".")[1] in ticked_lists:
            continue
        if not _same(old.get(key), new.get(key)):
            problems.append(f"写入后「{key}」的读取结果发生了变化（原为「{old.get(key)}」），已放弃写入。")
    if table:
        n_old, n_new = len(before.tables.get(table, [])), len(after.tables.get(table, []))
        if n_new != n_old + rows:
            problems.append(f"场景表写入后读回 {n_new} 行，应为 {n_old + rows} 行。")
    if problems:
        raise FillError(problems)


def _link_key(text: str) -> str:
    """A 环节 name compared as the form prints it (设备管理环节 = 设备管理)."""
    return heading_key(text).removesuffix("环节")


def _segment_problems(before: Draft, after: Draft, path: str, writer: _Writer) -> list[str]:
    """The 环节 sections given for table ``path`` read back as given, every
    other 环节 of the table as before."""
    tid = path.split(".", 1)[1]
    d = segment_target(writer.spec, tid)
    assert d is not None and d.link_column is not None
    link_col, text_col = d.link_column, next(iter(d.columns))
    given = writer.links.get(path, {})
    keys = {_link_key(n) for n in given}
    rows = after.tables.get(tid, [])
    problems: list[str] = []
    for name, text in given.items():
        got = [r.get(text_col, "") for r in rows if _link_key(r.get(link_col, "")) == _link_key(name)]
        if got != [text]:
            shown = "、".join(g[:20] for g in got) or "空"
            problems.append(
                f"「{writer.label(path)}」中「{name}」写入后读回的是「{shown}」，不是给定的内容，已放弃写入。"
            )
    kept_before = [r for r in before.tables.get(tid, []) if _link_key(r.get(link_col, "")) not in keys]
    kept_after = [r for r in rows if _link_key(r.get(link_col, "")) not in keys]
    if kept_before != kept_after:
        problems.append(f"写入后「{writer.label(path)}」其他环节的读取结果发生了变化，已放弃写入。")
    return problems


# ----------------------------------------------------------------- writing


def _empty(text: str) -> bool:
    t = text.strip()
    return not t or is_placeholder(t) or not clean_value(t) or is_hint(t)


class _Writer:
    def __init__(
        self,
        spec: ProgrammeSpec,
        corpus: Corpus,
        located: Located,
        draft: Draft,
        replace: bool,
        labels: dict[str, str],
    ) -> None:
        self.spec = spec
        self.corpus = corpus
        self.idx: SpecIndex = spec_index(spec, corpus)
        self.located = located
        self.draft = draft
        self.replace = replace
        self.labels = labels
        self.values: dict[str, Any] = {}
        self.box_locs: dict[str, str] = {}
        self.done: set[str] = set()
        self.segments: list[ScenarioRow] = []
        """环节 sections to write, in the order given."""
        self.links: dict[str, dict[str, str]] = {}
        """Table path → 环节 (the list's name) → text, for every 环节 given."""
        all_labels = sorted({lab for f in self.idx.fields for lab in f.labels if "／" not in lab}, key=len)
        self.any_label = re.compile(
            "|".join(f"(?:{label_pattern(lab)})\\s*[:：]" for lab in reversed(all_labels)) or "(?!)"
        )

    def label(self, path: str) -> str:
        info = self.idx.by_path(path)
        if path in self.labels:
            return self.labels[path]
        if info is not None:
            return info.label
        if path.startswith("sections."):
            sid = path.split(".", 1)[1]
            return next((s.title for s in self.spec.sections if s.id == sid), path)
        from app.supplements import field_for

        return field_for(path, self.spec, self.corpus).label

    def _filled(self, path: str, current: Any) -> None:
        if not self.replace:
            shown = format_value(current) if not isinstance(current, str) else current
            raise _NoPlace(
                f"「{self.label(path)}」在申报书中已填写为「{shown[:40]}」，未改写；如需改写请加 --replace。"
            )

    def _target(self, path: str) -> Target:
        target = self.located.at(self.draft.locations.get(path))
        if target is None:
            raise _NoPlace(
                f"「{self.label(path)}」（{path}）：申报书中没有找到这一栏，无法写入；"
                "请先在 Word 中加上这一栏（可参考 shenbao template 生成的模板），或删去这个值。"
            )
        return target

    def write(self, path: str, value: Any) -> bool:
        """Write one value; False when the draft already holds it."""
        if path in self.done:
            return True
        if path.startswith("tables."):
            return self._segments(path, value)
        current = resolve_path(self.draft, path)
        if path.startswith("selections."):
            return self._selection(path, value, current)
        if current not in (None, "", []) and _same(value, current):
            return False
        if path.startswith("sections."):
            if current:
                self._filled(path, current)
            self._section(path, str(value))
            return True
        info = self.idx.by_path(path)
        if info is None:
            raise _NoPlace(
                f"「{self.label(path)}」（{path}）：本项目的申报书没有这一栏，无法写入；"
                "它只能在检查页面补充，或写入 JSON/YAML 草稿。"
            )
        if current not in (None, "", []):
            self._filled(path, current)
        target = self._target(path)
        if info.kind in ("bool", "choice") and self._tick_choice(info, target, value):
            return True
        self._text(info, target, self._formatted(info, value))
        return True

    # ---------------------------------------------------------- formats
    def _formatted(self, info: FieldInfo, value: Any) -> str:
        if info.kind in ("period_start", "period_end"):
            pair = info.pair or ""
            other = self.values[pair] if pair in self.values else resolve_path(self.draft, pair)
            self.done.add(pair)
            start, end = (value, other) if info.kind == "period_start" else (other, value)
            if start is None or end is None:
                raise _NoPlace(
                    f"「{info.label}」是起止时间，须同时给出开始和结束时间（{info.path}、{info.pair}）。"
                )
            return f"{format_value(start)}--{format_value(end)}"
        if info.kind == "money":
            return f"{format_value(value)}万元"
        if info.kind == "choice":
            ch = next((c for c in info.choices if _same(c.value, value)), None)
            return ch.name if ch is not None else format_value(value)
        return format_value(value)

    # ---------------------------------------------------------- text
    def _text(self, info: FieldInfo, target: Target, text: str) -> None:
        paras = [target.element] if target.kind == "para" else list(target.element.iter(q("p")))
        for p in paras:
            if self._inline(info, p, text):
                return
        if target.kind == "cell" and target.cell is not None and self.idx.match(target.cell.text) is None:
            set_cell_text(target.element, text)
            return
        where = target.para.loc if target.para else target.cell.loc if target.cell else "申报书"
        raise _NoPlace(f"「{info.label}」：在{where}找不到填写位置，无法写入。")

    def _inline(self, info: FieldInfo, p: Any, text: str) -> bool:
        """Write after "标签：" in paragraph ``p``; False when the label is not there."""
        flat, _ = paragraph_text(p)
        normed, back = normalize_with_map(flat)
        for lab in sorted(info.labels, key=len, reverse=True):
            m = re.search(f"{label_pattern(lab)}\\s*[:：]", normed)
            if m is None:
                continue
            nxt = self.any_label.search(normed, m.end())
            end_n = nxt.start() if nxt else len(normed)
            line = normed.find("\n", m.end(), end_n)
            end_n = line if line >= 0 else end_n
            a = back[m.end()] if m.end() < len(back) else len(flat)
            b = back[end_n] if end_n < len(back) else len(flat)
            old = flat[a:b]
            if not _empty(old) and not self.replace:
                raise _NoPlace(
                    f"「{info.label}」在申报书中已填写为「{old.strip()[:40]}」，未改写；如需改写请加 --replace。"
                )
            text_out = text
            if nxt is not None:  # keep the spacing before the next label
                kept = len(old) - len(old.rstrip(" \t\u3000"))
                b -= kept
                text_out = text if kept else f"{text} "
            replace_span(p, a, b, text_out)
            return True
        return False

    # ---------------------------------------------------------- boxes
    def _tick_choice(self, info: FieldInfo, target: Target, value: Any) -> bool:
        options = box_options(target.element)
        if not options:
            return False
        want = next((c for c in info.choices if _same(c.value, value) or c.name == value), None)
        mapped = [(o, match_choice(o.label, info.choices)) for o in options]
        if want is None or all(ch != want for _, ch in mapped):
            raise _NoPlace(f"「{info.label}」：申报书的勾选项中没有「{format_value(value)}」，无法勾选。")
        for o, ch in mapped:
            if ch is not None:
                set_box(o.box, ch == want)
        return True

    def _selection(self, path: str, value: list[str], current: Any) -> bool:
        lid = path.split(".", 1)[1]
        lst = self.corpus.lists[lid]
        have = set(current or [])
        want = set(value)
        if want <= have and (not self.replace or want == have):
            return False
        names = {i.id: i.name for i in lst.items}
        changes = [(iid, True) for iid in value if iid not in have]
        if self.replace:
            changes += [(iid, False) for iid in have - want]
        for iid, tick in changes:
            loc = self.box_locs.get(f"{path}.{iid}")
            target = self.located.at(loc)
            if target is None:
                raise _NoPlace(f"「{lst.title}」：申报书中没有找到「{names[iid]}」的勾选框，无法勾选。")
            key = option_key(names[iid])
            opts = [o for o in box_options(target.element) if option_key(o.label) == key]
            opts = opts or [
                o for o in box_options(target.element) if option_key(o.label).startswith(key) and key
            ]
            if not opts:
                raise _NoPlace(f"「{lst.title}」：在{loc}找不到「{names[iid]}」的勾选框，无法勾选。")
            set_box(opts[0].box, tick)
        return True

    # ---------------------------------------------------------- 环节 sections
    def _link_lists(self, d: DraftingSpec) -> tuple[list[CatalogueList], str | None]:
        """The lists a 环节 may come from: the factory type's (given in the
        values, else read from the draft), else every type's; and that type."""
        if d.link_list_by:
            by = d.link_list_by_field or ""
            kind = self.values[by] if by in self.values else resolve_path(self.draft, by)
            if isinstance(kind, str) and kind in d.link_list_by:
                return [self.corpus.lists[d.link_list_by[kind]]], kind
            return [self.corpus.lists[lid] for lid in dict.fromkeys(d.link_list_by.values())], None
        return ([self.corpus.lists[d.link_list]] if d.link_list else []), None

    def _segments(self, path: str, rows: list[dict[str, str]]) -> bool:
        """Queue the 环节 sections of a part printed by 环节 (written after the
        other values by :func:`app.drafting.segment_into.segment_into_bytes`);
        False when every one already reads as given."""
        tid = path.split(".", 1)[1]
        d = segment_target(self.spec, tid)
        if d is None or d.link_column is None:
            raise _NoPlace(
                f"「{self.label(path)}」（{path}）：本项目的申报书没有按环节分段填写的这一部分，无法写入。"
            )
        link_col, text_col = d.link_column, next(iter(d.columns))
        title = self.label(path)
        table = next(t for t in self.spec.tables if t.id == tid)
        col_title = next(c.title for c in table.columns if c.id == text_col)
        lists, kind = self._link_lists(d)
        have = self.draft.tables.get(tid, [])
        problems: list[str] = []
        written = False
        for r in rows:
            given, text = r[link_col], r[text_col]
            name = (
                next((m for lst in lists if (m := match_item(lst, given))), None) if lists else given.strip()
            )
            if name is None:
                problems.append(self._no_link(title, given, lists, kind))
                continue
            old = next(
                (x.get(text_col, "") for x in have if _link_key(x.get(link_col, "")) == _link_key(name)), ""
            )
            self.links.setdefault(path, {})[name] = text
            if old.strip() and not _empty(old):
                if old == text:
                    continue
                if not self.replace:
                    shown = " ".join(old.split())[:40]
                    problems.append(
                        f"「{title}」中「{name}」在申报书中已填写为「{shown}」，未改写；如需改写请加 --replace。"
                    )
                    continue
            column = DraftColumn(
                key=text_col, title=col_title, text=text, count=measure(text).zishu, fit="as-written"
            )
            self.segments.append(
                ScenarioRow(
                    programme=self.spec.id,
                    scenario={"no": None, "name": ""},
                    target=tid,
                    link=name,
                    columns=(column,),
                    numbers=NumberCheck(),
                    method="values-file",
                )
            )
            written = True
        if problems:
            raise _NoPlace(*problems)
        return written

    @staticmethod
    def _no_link(title: str, given: str, lists: list[CatalogueList], kind: str | None) -> str:
        """The message for a 环节 the part has no place for."""
        known = "；".join(f"{lst.title}：{''.join(f'「{i.name}」' for i in lst.items)}" for lst in lists)
        why = f"（工厂类型：{kind}）" if kind else ""
        return (
            f"「{title}」中没有「{given}」这一环节{why}，无法写入；可填写的环节为 {known or '无'}。"
            "请改用其中的环节名称，或删去这一项。"
        )

    # ---------------------------------------------------------- sections
    def _section(self, path: str, text: str) -> None:
        sid = path.split(".", 1)[1]
        sec = next(s for s in self.spec.sections if s.id == sid)
        target = self._target(path)
        if target.kind == "cell":
            info = FieldInfo(path, sec.title, (), "text")
            for p in target.element.iter(q("p")):
                if self._inline(info, p, text):
                    return
            set_cell_text(target.element, text)
            return
        assert target.para is not None
        info = FieldInfo(path, sec.title, (), "text")
        if self._inline(info, target.element, text):
            return  # "标题：" with the text after the colon
        self._under_heading(target, sec.hint or "", text)

    def _under_heading(self, target: Target, hint: str, text: str) -> None:
        """Write a section's text into the paragraphs after its heading (the
        first blank one, others blank ones removed), or a new paragraph."""
        elements = dict((id(para), el) for para, el in self.located.body)
        blocks = self.located.blocks
        i = next(k for k, b in enumerate(blocks) if b is target.para)
        last = target.element
        slots: list[Any] = []
        for b in blocks[i + 1 :]:
            if not isinstance(b, Para):
                break  # a table ends the section's paragraphs
            t = b.text.strip()
            if b.heading is not None or (t and self.idx.is_known_heading(t)):
                break
            el = elements[id(b)]
            last = el
            if t.startswith(NOTE_PREFIX) or (hint and norm(t) == norm(hint)) or b.has_marks:
                continue
            if t and not self.replace:
                raise _NoPlace(
                    f"「{(target.para.text if target.para else '').strip()}」下已有内容，未改写；如需改写请加 --replace。"
                )
            slots.append(el)
        if slots:
            for extra in slots[1:]:
                extra.getparent().remove(extra)
            set_lines(slots[0], text)
            return
        from docx.oxml import OxmlElement

        p = OxmlElement("w:p")
        last.addnext(p)
        set_lines(p, text)
