"""Load and cross-validate the corpus: docs, catalogues and programme specs.

Everything is checked when loaded; any problem raises :class:`CorpusError`
listing every problem found (file and what to fix), so a broken spec never
reaches the checkers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.catalogue import Catalogue, CatalogueList
from core.divisions import normalise_city, normalise_province
from core.draft import path_exists
from core.findings import Citation
from core.spec import ProgrammeSpec, RegionIn, references
from corpus import CORPUS_DIR
from corpus.glossary import Glossary
from corpus.problems import close_path, explain, where

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_WS = re.compile(r"\s+")


class CorpusError(ValueError):
    """The corpus data is inconsistent; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("语料/规则数据有误：\n" + "\n".join(f"- {p}" for p in problems))


class DocMeta(BaseModel):
    """Front matter of a corpus document."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    issuer: str | None
    doc_number: str | None
    date: dt.date | None
    region: str
    programmes: list[str]
    part: str | None
    source: str
    source_sha256: str


@dataclass(frozen=True)
class Doc:
    """A cleaned corpus document: metadata, Markdown body, and the body with
    whitespace removed (what citations are matched against)."""

    meta: DocMeta
    body: str
    path: Path
    compact: str = field(repr=False, default="")

    def contains(self, text: str) -> bool:
        """Whether ``text`` occurs in the body, whitespace ignored."""
        return compact(text) in self.compact


def compact(text: str) -> str:
    """Text with all whitespace removed (Chinese reflow is whitespace-only)."""
    return _WS.sub("", text)


@dataclass
class Corpus:
    """The whole validated corpus."""

    docs: dict[str, Doc]
    catalogues: dict[str, Catalogue]
    lists: dict[str, CatalogueList]
    programmes: dict[str, ProgrammeSpec]
    root: Path
    version: str = ""
    """Short content hash of docs, catalogues and specs: stamps runs, eval results and indexes."""
    glossary: Glossary = field(default_factory=Glossary)
    """The search glossary (``search/glossary.yaml``): query expansion for retrieval."""

    def programme(self, pid: str) -> ProgrammeSpec:
        """The spec with this id, or a CorpusError naming the valid ids."""
        if pid not in self.programmes:
            raise CorpusError([f"未知的申报项目 id「{pid}」。可用：{', '.join(sorted(self.programmes))}"])
        return self.programmes[pid]


def parse_doc(path: Path) -> Doc:
    """Read one corpus Markdown file with its front matter."""
    text = path.read_text(encoding="utf-8")
    m = _FRONT_MATTER.match(text)
    if not m:
        raise CorpusError([f"{path.name}: 缺少 YAML front matter（--- ... ---）"])
    try:
        meta = DocMeta.model_validate(yaml.load(m.group(1), Loader=_LOADER))
    except ValidationError as e:
        raise CorpusError([f"{path.name}: front matter 无效：{e}"]) from e
    body = text[m.end() :]
    return Doc(meta=meta, body=body, path=path, compact=compact(body))


def shown_path(path: Path, root: Path) -> str:
    """A corpus file as problems name it: ``corpus/programmes/x.yaml``."""
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return path.name


def _load_yaml(path: Path, model: type[BaseModel], problems: list[str], shown: str | None = None) -> Any:
    """The file validated by ``model``, or None with its problems added (each
    naming the file, the rule by id, the key, what to write and an example)."""
    shown = shown or path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"第 {mark.line + 1} 行：" if mark is not None else ""
        problems.append(
            f"{shown}：YAML 语法错误，{line}{e}。常见原因：缩进不齐、冒号后缺空格、含冒号的文字未加引号"
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems.extend(explain(e, data, shown, model))
        return None


def check_citation(c: Citation, docs: dict[str, Doc], where: str) -> list[str]:
    """Problems with one citation: unknown doc, clause or quote not in the doc."""
    doc = docs.get(c.doc)
    if doc is None:
        known = "、".join(sorted(docs)[:8])
        return [
            f"{where} · citation.doc：引用的文档「{c.doc}」不存在。应为 corpus/docs 中的文档 id，例如：{known}"
        ]
    out = []
    for part in c.clause.split(">"):
        if part.strip() and not doc.contains(part):
            out.append(
                f"{where} · citation.clause：条款路径「{part.strip()}」在文档 {c.doc} 中找不到。"
                '应为文档中的标题，逐级用 > 分隔，例如：clause: "一、申报条件 > （一）基本条件"'
            )
    if not doc.contains(c.quote):
        out.append(
            f"{where} · citation.quote：引文在文档 {c.doc} 中找不到原文：「{c.quote[:40]}…」。"
            f"请从 corpus/docs/{c.doc}.md 的同一段（或同一表格单元格）逐字复制（空白可不同）"
        )
    return out


def check_rule_refs(
    spec: ProgrammeSpec, lists: dict[str, CatalogueList], file: str | None = None
) -> list[str]:
    """Problems with what a spec's rules refer to: draft fields, catalogue
    lists and their items/groups, the spec's own tables, columns and sections,
    the provinces and cities a region rule names.
    What a parameter refers to comes from its type (:func:`core.spec.references`)."""
    out: list[str] = []
    file = file or f"programmes/{spec.id}.yaml"
    tables = {t.id: {c.id for c in t.columns} for t in spec.tables}
    sections = {s.id for s in spec.sections}
    for rule in spec.rules:
        at = where(file, rule.id)
        for path in rule.applies_when or {}:
            if not path_exists(path):
                out.append(f"{at} · applies_when：字段路径「{path}」不在 Draft 模型中{close_path(path)}")
        for label, p in [("", rule.check)] + [
            (f"（读法「{r.label}」）", rule.reading_params(r)) for r in rule.readings if r.check is not None
        ]:
            out += _param_refs(f"{at}{label}", p, lists, tables, sections)
        if isinstance(rule.check, RegionIn):
            out += _region_names(at, rule.check)
    for i, claim in enumerate(spec.claims, start=1):
        out += _param_refs(f"{file} · claims[第 {i} 项]", claim, lists, tables, sections)
    for i, target in enumerate(spec.drafting, start=1):
        out += _param_refs(f"{file} · drafting[第 {i} 项]", target, lists, tables, sections)
    return out


def _region_names(at: str, p: RegionIn) -> list[str]:
    """The province and cities a region rule names are real (full or short names)."""
    out: list[str] = []
    province = None
    if p.province is not None:
        try:
            province = normalise_province(p.province)
        except ValueError as e:
            out.append(f"{at} · check.province：{e}")
    for city in p.cities or []:
        try:
            normalise_city(city, province)
        except ValueError as e:
            out.append(f"{at} · check.cities：{e}")
    return out


def _param_named(p: BaseModel, value: str) -> str:
    """The parameter of ``p`` that holds ``value`` (for naming it in a problem)."""
    for name in type(p).model_fields:
        v = getattr(p, name)
        if v == value or (isinstance(v, list | dict) and value in v):
            return name
    return "check"


def _param_refs(
    where: str,
    p: BaseModel,
    lists: dict[str, CatalogueList],
    tables: dict[str, set[str]],
    sections: set[str],
) -> list[str]:
    """Problems with what one set of rule parameters (or a claim source) refers to."""
    out: list[str] = []
    refs = list(references(p))
    rule_tables = [v for k, v in refs if k == "table"]
    for kind, value in refs:
        key = f"{where} · check.{_param_named(p, value)}" if " · 规则 " in where else where
        if kind == "draft_path" and not path_exists(value):
            out.append(f"{key}：字段路径「{value}」不在 Draft 模型中{close_path(value)}")
        elif kind == "list" and value not in lists:
            close = difflib.get_close_matches(value, list(lists), n=1)
            hint = (
                f"是不是「{close[0]}」？" if close else "目录列表在 corpus/scenarios/*.yaml 的 lists 中声明。"
            )
            out.append(f"{key}：目录列表「{value}」不存在。{hint}")
        elif kind == "table" and value not in tables:
            out.append(f"{key}：表格「{value}」未在 tables 中声明。已声明：{'、'.join(tables) or '无'}")
        elif kind == "section" and value not in sections:
            out.append(
                f"{key}：章节「{value}」未在 sections 中声明。已声明：{'、'.join(sorted(sections)) or '无'}"
            )
        elif kind == "column":
            for table in rule_tables:
                if table in tables and value not in tables[table]:
                    out.append(
                        f"{key}：表格 {table} 没有列「{value}」。它的列：{'、'.join(sorted(tables[table]))}"
                    )
    lst = lists.get(getattr(p, "list", None) or "")
    if lst is not None:
        for opt in getattr(p, "options", None) or []:
            if lst.item(opt) is None:
                out.append(f"{where} · check.options：选项「{opt}」不在列表 {lst.id} 中（写列表项的 id）")
        known_groups = {i.group for i in lst.items}
        for g in getattr(p, "groups", None) or []:
            if g not in known_groups:
                groups = "、".join(sorted(x for x in known_groups if x))
                out.append(f"{where} · check.groups：分组「{g}」不在列表 {lst.id} 中。它的分组：{groups}")
    return out


def load_corpus(root: Path = CORPUS_DIR, programme: str | None = None) -> Corpus:
    """Load docs, catalogues and programmes from ``root`` and cross-check them.
    With ``programme``, load and check only that programme's spec, and report
    only its own problems and those of the docs and catalogues it uses."""
    if programme is not None:
        return _load_one(root, programme)
    problems: list[str] = []
    docs, catalogues, lists = _load_shared(root, problems)

    programmes: dict[str, ProgrammeSpec] = {}
    for path in sorted((root / "programmes").glob("*.yaml")):
        spec = _load_spec(path, root, docs, catalogues, lists, problems)
        if spec is None:
            continue
        if spec.id in programmes:
            problems.append(f"{shown_path(path, root)} · id：项目 id「{spec.id}」重复")
        programmes[spec.id] = spec

    glossary = load_glossary(root, docs, problems)

    if problems:
        raise CorpusError(problems)
    return Corpus(
        docs=docs,
        catalogues=catalogues,
        lists=lists,
        programmes=programmes,
        root=root,
        version=content_version(root),
        glossary=glossary,
    )


def _load_shared(
    root: Path, problems: list[str]
) -> tuple[dict[str, Doc], dict[str, Catalogue], dict[str, CatalogueList]]:
    """The docs and the catalogues (and their lists), with their problems added,
    each starting with the file it is in."""
    docs: dict[str, Doc] = {}
    for path in sorted((root / "docs").glob("*.md")):
        shown = shown_path(path, root)
        try:
            doc = parse_doc(path)
        except CorpusError as e:
            problems.extend(f"{shown}：{p.removeprefix(path.name + ': ')}" for p in e.problems)
            continue
        if doc.meta.id != path.stem:
            problems.append(
                f"{shown} · id：front matter id「{doc.meta.id}」与文件名不一致，应为 id: {path.stem}"
            )
        if doc.meta.id in docs:
            problems.append(f"{shown} · id：文档 id「{doc.meta.id}」重复")
        docs[doc.meta.id] = doc

    catalogues: dict[str, Catalogue] = {}
    lists: dict[str, CatalogueList] = {}
    for path in sorted((root / "scenarios").glob("*.yaml")):
        shown = shown_path(path, root)
        cat = _load_yaml(path, Catalogue, problems, shown)
        if cat is None:
            continue
        if cat.id in catalogues:
            problems.append(f"{shown} · id：目录 id「{cat.id}」重复")
        catalogues[cat.id] = cat
        for d in cat.docs:
            if d not in docs:
                problems.append(f"{shown} · docs：引用的文档「{d}」不存在")
        for lst in cat.lists:
            if lst.id in lists:
                problems.append(f"{shown} · 列表 {lst.id}：列表 id 重复（列表 id 全局唯一）")
            lists[lst.id] = lst
            if lst.source is not None:
                problems += check_citation(lst.source, docs, f"{shown} · 列表 {lst.id}")
    return docs, catalogues, lists


def _load_spec(
    path: Path,
    root: Path,
    docs: dict[str, Doc],
    catalogues: dict[str, Catalogue],
    lists: dict[str, CatalogueList],
    problems: list[str],
) -> ProgrammeSpec | None:
    """One programme spec, validated and cross-checked against the docs and catalogues."""
    shown = shown_path(path, root)
    spec: ProgrammeSpec | None = _load_yaml(path, ProgrammeSpec, problems, shown)
    if spec is None:
        return None
    if spec.id != path.stem:
        problems.append(f"{shown} · id：项目 id「{spec.id}」与文件名不一致，应为 id: {path.stem}")
    for d in spec.docs:
        if d not in docs:
            problems.append(f"{shown} · docs：引用的文档「{d}」不存在（应为 corpus/docs/<id>.md 的 id）")
    for c in spec.catalogues:
        if c not in catalogues:
            problems.append(
                f"{shown} · catalogues：引用的目录「{c}」不存在（应为 corpus/scenarios/<id>.yaml 的 id）"
            )
    for rule in spec.rules:
        problems += check_citation(rule.citation, docs, where(shown, rule.id))
    problems += check_rule_refs(spec, lists, shown)
    return spec


def _load_one(root: Path, programme: str) -> Corpus:
    """The corpus with only one programme's spec, checked; the problems of the
    docs and catalogues it does not use are not its own and are left out."""
    path = root / "programmes" / f"{programme}.yaml"
    if not path.is_file():
        known = "、".join(sorted(p.stem for p in (root / "programmes").glob("*.yaml")))
        raise CorpusError([f"找不到 {shown_path(path, root)}。已有的申报项目：{known}"])
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError:
        raw = None
    raw = raw if isinstance(raw, dict) else {}
    used = {f"docs/{d}.md" for d in raw.get("docs") or [] if isinstance(d, str)}
    used |= {f"scenarios/{c}.yaml" for c in raw.get("catalogues") or [] if isinstance(c, str)}
    shared: list[str] = []
    docs, catalogues, lists = _load_shared(root, shared)
    mine = [p for p in shared if any(p.startswith(f"{root.name}/{u}") for u in used)]
    spec = _load_spec(path, root, docs, catalogues, lists, mine)
    if mine or spec is None:
        raise CorpusError(mine)
    return Corpus(
        docs=docs,
        catalogues=catalogues,
        lists=lists,
        programmes={spec.id: spec},
        root=root,
        version=content_version(root),
    )


def load_glossary(root: Path, docs: dict[str, Doc], problems: list[str]) -> Glossary:
    """The search glossary (empty when the file is absent); every policy term
    must occur in some document."""
    path = root / "search" / "glossary.yaml"
    if not path.is_file():
        return Glossary()
    glossary = _load_yaml(path, Glossary, problems)
    if glossary is None:
        return Glossary()
    for i, entry in enumerate(glossary.entries, start=1):
        for term in entry.policy:
            if not any(compact(term) in d.compact for d in docs.values()):
                problems.append(f"{path.name}: 第 {i} 条的政策用语「{term}」不在任何文档中")
    return glossary  # type: ignore[no-any-return]


def content_version(root: Path) -> str:
    """A 12-hex-digit hash of every corpus data file (names and bytes)."""
    h = hashlib.sha256()
    for sub in ("docs", "scenarios", "programmes"):
        for path in sorted((root / sub).glob("*")):
            if path.is_file():
                h.update(f"{sub}/{path.name}\0".encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


@functools.cache
def default_corpus() -> Corpus:
    """The bundled corpus, loaded once per process."""
    return load_corpus(CORPUS_DIR)
