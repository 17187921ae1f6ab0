"""What the form of a programme asks for, derived from its spec and catalogues:
each field's kind (text, money, number, date, period, yes/no, choice, list),
its choices, the checkbox lists, and an index of every label, section and
table title the reader looks for. Shared by the .docx reader and the
template writer so that both see the same form.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from core.catalogue import CatalogueList, IndicatorAttrs
from core.draft import field_title, field_type
from core.numbers import NumberError, parse_chinese_numeral
from core.spec import LEVELS, FieldSpec, ProgrammeSpec, SectionSpec, TableSpec
from corpus.loader import Corpus, Doc
from ingestion.drafts.labels import (
    core,
    heading_key,
    is_money_unit,
    norm,
    split_compound,
    strip_label_prefix,
    strip_numbering,
    unit_of,
)
from ingestion.drafts.options import option_key

Kind = Literal[
    "text", "money", "number", "date", "period_start", "period_end", "bool", "choice", "list", "attachments"
]

SELECTION_KINDS = ("min_selected", "each_group_min", "group_complete", "single_group", "min_distinct_groups")
GENERIC_LABELS = frozenset(
    norm(x)
    for x in (
        "姓名",
        "电话",
        "手机",
        "职务",
        "传真",
        "邮箱",
        "电子邮箱",
        "序号",
        "名称",
        "时间",
        "日期",
        "备注",
        "其中",
        "地址",
        "职称",
        "联系电话",
        "单位",
    )
)
YES_NO = (("是", True), ("否", False))
VARIANT_LABELS = {"factory_type": "工厂类型", "target_level": "申报等级"}
INDICATOR_KINDS = ("self_eval_score", "score_recommends_level")
SCENARIO_LEVEL_KINDS = ("scene_level_count", "link_coverage")
INDICATOR_COLUMNS = {"level": "等级", "fit": "符合程度", "score": "自评分", "not_applicable": "不涉及此环节"}
SCENARIO_LEVEL_COLUMN = "达到的等级"


@dataclass(frozen=True)
class Choice:
    """One printed option of a choice field and the value it stands for."""

    name: str
    value: Any
    item_id: str | None = None


@dataclass(frozen=True)
class FieldInfo:
    """A form field: where it goes in the Draft and how its text is read."""

    path: str
    label: str
    aliases: tuple[str, ...]
    kind: Kind
    unit: str | None = None
    choices: tuple[Choice, ...] = ()
    list_id: str | None = None
    pair: str | None = None  # the other end of a period (project.start ↔ project.end)

    @property
    def labels(self) -> tuple[str, ...]:
        """Label and aliases."""
        return (self.label, *self.aliases)


def checkbox_lists(spec: ProgrammeSpec, corpus: Corpus) -> list[CatalogueList]:
    """The catalogue lists printed as checkbox groups in this programme's form:
    lists the rules count ticks over, and ``options`` lists of the spec's
    catalogues whose source is one of the spec's documents."""
    referenced = [getattr(r.check, "list", None) for r in spec.rules if r.check.kind in SELECTION_KINDS]
    ref_ids = [x for x in referenced if x and x in corpus.lists]
    out: list[CatalogueList] = []
    for cid in spec.catalogues:
        cat = corpus.catalogues.get(cid)
        if cat is None:
            continue
        for lst in cat.lists:
            own = lst.kind == "options" and lst.source is not None and lst.source.doc in spec.docs
            if lst.id in ref_ids or own:
                out.append(lst)
    for lid in ref_ids:
        if all(lid != x.id for x in out):
            out.append(corpus.lists[lid])
    return out


def form_doc(spec: ProgrammeSpec, corpus: Corpus) -> Doc | None:
    """The programme's official form (申报书) in the corpus, if there is one."""
    for d in spec.docs:
        doc = corpus.docs.get(d)
        if doc is not None and (d.endswith("-form") or doc.meta.title.endswith("申报书")):
            return doc
    return None


def _linked_list(label: str, lists: list[CatalogueList]) -> CatalogueList | None:
    key = core(split_compound(label)[0])
    if len(key) < 4:
        return None
    for lst in lists:
        title = norm(lst.title)
        tcore = core(lst.title)
        if key == tcore or key in title or (len(tcore) >= 4 and tcore in key):
            return lst
    return None


def _choice_value(path: str, tp: Any, name: str, attrs: dict[str, Any]) -> Any:
    if tp is float or tp is int:
        if "level" in attrs:
            return float(attrs["level"])
        digits = re.sub(r"[级档星型类]$", "", name.strip())
        try:
            return float(digits) if digits.isdigit() else parse_chinese_numeral(digits)
        except NumberError:
            return None
    if path.endswith("size_class"):
        return name.strip().removesuffix("企业")
    return name.strip()


def _field_info(
    spec: ProgrammeSpec,
    path: str,
    label: str,
    aliases: tuple[str, ...],
    unit: str | None,
    lists: list[CatalogueList],
    same_label: list[str],
) -> FieldInfo:
    tp = field_type(path)
    row = split_compound(label)[0]
    label_unit = unit_of(row)
    if tp is bool:
        return FieldInfo(path, label, aliases, "bool", choices=tuple(Choice(n, v) for n, v in YES_NO))
    if tp is dt.date:
        for other in same_label:
            if other != path and path.endswith(".start") and other.endswith(".end"):
                return FieldInfo(path, label, aliases, "period_start", pair=other)
            if other != path and path.endswith(".end") and other.endswith(".start"):
                return FieldInfo(path, label, aliases, "period_end", pair=other)
        return FieldInfo(path, label, aliases, "date")
    if typing.get_origin(tp) is list:
        return FieldInfo(path, label, aliases, "attachments" if path == "attachments" else "list")
    lst = _linked_list(label, lists)
    variants = spec.variants.get(path)
    if variants and tp is str:
        if lst is None:
            lst = next(
                (
                    x
                    for x in lists
                    if {option_key(i.name) for i in x.items} == {option_key(v) for v in variants}
                ),
                None,
            )
        choices = tuple(Choice(v, v) for v in variants)
        return FieldInfo(path, label, aliases, "choice", choices=choices, list_id=lst.id if lst else None)
    if lst is not None:
        choices = tuple(Choice(i.name, _choice_value(path, tp, i.name, i.attrs), i.id) for i in lst.items)
        return FieldInfo(path, label, aliases, "choice", unit or label_unit, choices, lst.id)
    if tp is float or tp is int:
        u = unit or label_unit
        kind: Kind = "money" if is_money_unit(u) or is_money_unit(label_unit) else "number"
        return FieldInfo(path, label, aliases, kind, u)
    m = re.search(r"[(（]([^()（）]+/[^()（）]+)[)）]$", row)
    if tp is str and m:
        names = [x.strip() for x in m.group(1).split("/") if x.strip()]
        return FieldInfo(path, label, aliases, "choice", choices=tuple(Choice(n, n) for n in names))
    return FieldInfo(path, label, aliases, "text", unit)


@dataclass(frozen=True)
class LabelHit:
    """What a label cell names."""

    key: str  # core of the row label
    fields: tuple[FieldInfo, ...] = ()
    section: SectionSpec | None = None
    has_compound: bool = False
    generic: bool = False  # a printed label that names no draft field (姓名, 电话 ...)
    unit: str | None = None

    @property
    def targets(self) -> bool:
        """Whether the label names a field or section."""
        return bool(self.fields) or self.section is not None


@dataclass
class SpecIndex:
    """Everything the reader looks for in a programme's form."""

    spec: ProgrammeSpec
    corpus: Corpus
    fields: list[FieldInfo] = field(default_factory=list)
    lists: list[CatalogueList] = field(default_factory=list)
    simple: dict[str, list[FieldInfo]] = field(default_factory=dict)
    exact: dict[str, list[FieldInfo]] = field(default_factory=dict)
    compound: dict[tuple[str, str], FieldInfo] = field(default_factory=dict)
    compound_rows: set[str] = field(default_factory=set)
    compound_cols: set[str] = field(default_factory=set)
    sections: dict[str, SectionSpec] = field(default_factory=dict)
    tables: dict[str, TableSpec] = field(default_factory=dict)
    printed_cells: set[str] = field(default_factory=set)
    printed_paras: set[str] = field(default_factory=set)
    form_headings: set[str] = field(default_factory=set)
    form_title: str | None = None
    link_names: set[str] = field(default_factory=set)
    matrix_titles: dict[str, str] = field(default_factory=dict)  # core(column header) → matrix title

    def by_path(self, path: str) -> FieldInfo | None:
        """The field with this Draft path."""
        return next((f for f in self.fields if f.path == path), None)

    def match(self, text: str) -> LabelHit | None:
        """The label a cell's text is, or None. Tries the whole text, then its
        first line (a label cell may carry a hint below the label)."""
        t = (text or "").strip()
        if not t or len(t) > 160:
            return None
        cands = [t]
        first = t.split("\n", 1)[0].strip()
        if first != t:
            cands.append(first)
        for c in cands:
            hit = self._match_one(c)
            if hit is not None:
                return hit
        return None

    def _match_one(self, text: str) -> LabelHit | None:
        n, k = norm(text), core(text)
        unit = unit_of(text)
        # the label without what forms print before it: 1、 （1） ① 其中： 含
        nk = core(strip_label_prefix(text)) or k
        sec = self.sections.get(nk) or self.sections.get(k)
        fields = self.exact.get(n) or self.simple.get(k) or self.simple.get(nk) or []
        has_compound = k in self.compound_rows or nk in self.compound_rows
        if fields or sec is not None or has_compound:
            key = nk if nk in self.compound_rows and k not in self.compound_rows else k
            return LabelHit(key, tuple(fields), sec if not fields else None, has_compound, False, unit)
        if len(n) <= 40 and (n in GENERIC_LABELS or k in GENERIC_LABELS or n in self.printed_cells):
            return LabelHit(k, generic=True, unit=unit)
        return None

    def compound_field(self, row_key: str, col_text: str) -> FieldInfo | None:
        """The field at (row label, column header) of a matrix."""
        return self.compound.get((row_key, core(col_text)))

    def is_column_header(self, text: str) -> bool:
        """Whether a cell is a matrix column header (2021年, 智能工厂改造前 ...)."""
        return core(text) in self.compound_cols

    def section_for_heading(self, text: str) -> SectionSpec | None:
        """The section a heading paragraph opens (numbering and hint tolerated)."""
        return _heading_lookup(text, self.sections)

    def table_for_heading(self, text: str) -> TableSpec | None:
        """The spec table a heading paragraph opens."""
        return _heading_lookup(text, self.tables)

    def is_known_heading(self, text: str) -> bool:
        """A heading printed in the form, or a section/table/attachments title."""
        if self.section_for_heading(text) is not None or self.table_for_heading(text) is not None:
            return True
        k = heading_key(text)
        return bool(k) and (k in self.form_headings or is_attachments_heading(text))


T = TypeVar("T")


def _heading_lookup(text: str, table: dict[str, T]) -> T | None:
    """The entry a heading names: its key, or its key followed by a parenthesised hint."""
    t = (text or "").strip()
    if not t or len(t) > 240:
        return None
    k = heading_key(t)
    if k in table:
        return table[k]
    n = norm(strip_numbering(t))
    for key, val in table.items():
        if n.startswith(key) and n[len(key) :].startswith("("):
            return val
    k = core(strip_label_prefix(t))  # "其中：…" before the heading's numbering or after it
    if k in table:
        return table[k]
    n = norm(strip_label_prefix(t))
    for key, val in table.items():
        if n.startswith(key) and n[len(key) :].startswith("("):
            return val
    return None


def is_attachments_heading(text: str) -> bool:
    """ "四、相关附件", "附件清单", "申报附件" ..."""
    k = heading_key(text)
    return k in ("相关附件", "附件", "附件清单", "申报附件", "附件材料", "证明材料", "相关附件材料")


_CACHE: dict[tuple[str, int], tuple[ProgrammeSpec, SpecIndex]] = {}


def spec_index(spec: ProgrammeSpec, corpus: Corpus) -> SpecIndex:
    """The (cached) index of a programme's form."""
    key = (spec.id, id(corpus))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1]
    idx = _build(spec, corpus)
    _CACHE[key] = (spec, idx)
    return idx


def derived_field_specs(spec: ProgrammeSpec, have: set[str]) -> list[FieldSpec]:
    """A field for every draft path a rule reads that no field of the spec
    names (statements the applicant declares, dates, figures): the form must
    ask for everything its rules read. Labelled as findings name the path —
    the schema's title, else the title of the first rule reading it. Ticks,
    sections, tables and the self-evaluation have places of their own."""
    out: list[FieldSpec] = []
    seen = set(have)
    for rule in spec.rules:
        for path in sorted(rule.reads()):
            if path in seen or path.split(".", 1)[0] in ("selections", "sections", "tables", "self_eval"):
                continue
            try:
                field_type(path)
            except KeyError:
                continue
            seen.add(path)
            out.append(FieldSpec(path=path, label=field_title(path) or rule.title))
    return out


def _self_eval_fields(spec: ProgrammeSpec, corpus: Corpus, idx: SpecIndex) -> list[FieldInfo]:
    """Matrix fields for the self-evaluation the rules read: per indicator its
    等级 / 符合程度 / 自评分 / 不涉及此环节 (where allowed), per scenario the
    level it reached."""
    out: list[FieldInfo] = []
    done: set[str] = set()
    for rule in spec.rules:
        lid = getattr(rule.check, "list", None)
        if lid in done or lid not in corpus.lists:
            continue
        lst = corpus.lists[lid]
        if rule.check.kind in INDICATOR_KINDS:
            done.add(lid)
            idx.matrix_titles.update({core(c): "数字化转型自评价" for c in INDICATOR_COLUMNS.values()})
            for item in lst.items:
                attrs = IndicatorAttrs.model_validate(item.attrs)
                base = f"self_eval.indicators.{item.id}"
                cols = INDICATOR_COLUMNS if attrs.bands else {}
                if not attrs.not_applicable_allowed:
                    cols = {k: v for k, v in cols.items() if k != "not_applicable"}
                elif not cols:
                    cols = {"not_applicable": INDICATOR_COLUMNS["not_applicable"]}
                fits = list(dict.fromkeys(f for b in attrs.bands.values() for f in b.fit))
                for key, col in cols.items():
                    label = f"{item.name}／{col}"
                    path = f"{base}.{key}"
                    if key == "fit":
                        out.append(
                            FieldInfo(path, label, (), "choice", choices=tuple(Choice(f, f) for f in fits))
                        )
                    elif key == "not_applicable":
                        out.append(
                            FieldInfo(path, label, (), "bool", choices=tuple(Choice(n, v) for n, v in YES_NO))
                        )
                    else:
                        out.append(FieldInfo(path, label, (), "number"))
        elif rule.check.kind in SCENARIO_LEVEL_KINDS:
            done.add(lid)
            idx.matrix_titles[core(SCENARIO_LEVEL_COLUMN)] = "典型场景自评等级"
            levels = tuple(Choice(v, v) for v in LEVELS)
            for item in lst.items:
                label = f"{item.name}／{SCENARIO_LEVEL_COLUMN}"
                out.append(
                    FieldInfo(f"self_eval.scenario_levels.{item.id}", label, (), "choice", choices=levels)
                )
    return out


def _register(idx: SpecIndex, info: FieldInfo) -> None:
    idx.fields.append(info)
    for lab in info.labels:
        row, col = split_compound(lab)
        if col is not None:
            idx.compound[(core(row), core(col))] = info
            idx.compound_rows.add(core(row))
            idx.compound_cols.add(core(col))
        else:
            idx.simple.setdefault(core(lab), [])
            if info not in idx.simple[core(lab)]:
                idx.simple[core(lab)].append(info)
            # a label printed with its own lead word (其中：2024年投入) is also found when the
            # cell carries another prefix too (1、其中：2024年投入), which the reader strips whole
            bare = core(strip_label_prefix(lab))
            if bare and bare != core(lab):
                idx.simple.setdefault(bare, [info])
            idx.exact.setdefault(norm(lab), [])
            if info not in idx.exact[norm(lab)]:
                idx.exact[norm(lab)].append(info)


def _build(spec: ProgrammeSpec, corpus: Corpus) -> SpecIndex:
    idx = SpecIndex(spec, corpus)
    idx.lists = checkbox_lists(spec, corpus)
    specs = list(spec.fields)
    for key in spec.variants:  # draft-level choices the form must ask even when no field names them
        if key in VARIANT_LABELS and all(f.path != key for f in spec.fields):
            specs.append(FieldSpec(path=key, label=VARIANT_LABELS[key]))
    specs += derived_field_specs(spec, {f.path for f in specs})
    by_label: dict[str, list[str]] = {}
    for f in specs:
        by_label.setdefault(norm(f.label), []).append(f.path)
    for f in specs:
        try:
            info = _field_info(
                spec, f.path, f.label, tuple(f.aliases), f.unit, idx.lists, by_label[norm(f.label)]
            )
        except KeyError:
            continue
        _register(idx, info)
    for info in _self_eval_fields(spec, corpus, idx):
        _register(idx, info)
    for s in spec.sections:
        idx.sections[heading_key(s.title)] = s
    for t in spec.tables:
        idx.tables[heading_key(t.title)] = t
    for cid in spec.catalogues:
        cat = corpus.catalogues.get(cid)
        for lst in cat.lists if cat else []:
            if lst.kind == "links":
                idx.link_names.update(core(i.name) for i in lst.items)
    doc = form_doc(spec, corpus)
    if doc is not None:
        idx.form_title = doc.meta.title
        _read_form_doc(doc.body, idx)
    return idx


def _read_form_doc(body: str, idx: SpecIndex) -> None:
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) or not c for c in cells):
                continue
            for c in cells:
                n = norm(c)
                if len(n) >= 2 and not n.isdigit() and "□" not in c and not n.startswith("("):
                    idx.printed_cells.add(n)
            continue
        if line.startswith("#"):
            idx.form_headings.add(heading_key(line.lstrip("#").strip()))
            continue
        n = norm(line)
        if len(n) >= 2:
            idx.printed_paras.add(n)
