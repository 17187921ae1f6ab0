"""Load and cross-validate the corpus: docs, catalogues and programme specs.

Everything is checked when loaded; any problem raises :class:`CorpusError`
listing every problem found (file and what to fix), so a broken spec never
reaches the checkers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.catalogue import Catalogue, CatalogueList
from core.draft import path_exists
from core.findings import Citation
from core.spec import ProgrammeSpec, references
from corpus import CORPUS_DIR
from corpus.glossary import Glossary

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


def _load_yaml(path: Path, model: type[BaseModel], problems: list[str]) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as e:
        problems.append(f"{path.name}: YAML 语法错误：{e}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        errs = "; ".join(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()[:10])
        problems.append(f"{path.name}: 结构无效：{errs}")
        return None


def check_citation(c: Citation, docs: dict[str, Doc], where: str) -> list[str]:
    """Problems with one citation: unknown doc, clause or quote not in the doc."""
    doc = docs.get(c.doc)
    if doc is None:
        return [f"{where}: 引用的文档「{c.doc}」不存在"]
    out = []
    for part in c.clause.split(">"):
        if part.strip() and not doc.contains(part):
            out.append(f"{where}: 条款路径「{part.strip()}」在文档 {c.doc} 中找不到")
    if not doc.contains(c.quote):
        out.append(f"{where}: 引文在文档 {c.doc} 中找不到原文：「{c.quote[:40]}…」")
    return out


def check_rule_refs(spec: ProgrammeSpec, lists: dict[str, CatalogueList]) -> list[str]:
    """Problems with what a spec's rules refer to: draft fields, catalogue
    lists and their items/groups, the spec's own tables, columns and sections.
    What a parameter refers to comes from its type (:func:`core.spec.references`)."""
    out: list[str] = []
    tables = {t.id: {c.id for c in t.columns} for t in spec.tables}
    sections = {s.id for s in spec.sections}
    for rule in spec.rules:
        where = f"{spec.id}:{rule.id}"
        for path in rule.applies_when or {}:
            if not path_exists(path):
                out.append(f"{where}: applies_when 字段路径「{path}」不在 Draft 模型中")
        for label, p in [("", rule.check)] + [
            (f"（读法「{r.label}」）", rule.reading_params(r)) for r in rule.readings if r.check is not None
        ]:
            out += _param_refs(f"{where}{label}", p, lists, tables, sections)
    for i, claim in enumerate(spec.claims, start=1):
        out += _param_refs(f"{spec.id}:claims[{i}]", claim, lists, tables, sections)
    if spec.drafting is not None:
        out += _param_refs(f"{spec.id}:drafting", spec.drafting, lists, tables, sections)
    return out


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
        if kind == "draft_path" and not path_exists(value):
            out.append(f"{where}: 字段路径「{value}」不在 Draft 模型中")
        elif kind == "list" and value not in lists:
            out.append(f"{where}: 目录列表「{value}」不存在")
        elif kind == "table" and value not in tables:
            out.append(f"{where}: 表格「{value}」未在 tables 中声明")
        elif kind == "section" and value not in sections:
            out.append(f"{where}: 章节「{value}」未在 sections 中声明")
        elif kind == "column":
            for table in rule_tables:
                if table in tables and value not in tables[table]:
                    out.append(f"{where}: 表格 {table} 没有列「{value}」")
    lst = lists.get(getattr(p, "list", None) or "")
    if lst is not None:
        for opt in getattr(p, "options", None) or []:
            if lst.item(opt) is None:
                out.append(f"{where}: 选项「{opt}」不在列表 {lst.id} 中")
        known_groups = {i.group for i in lst.items}
        for g in getattr(p, "groups", None) or []:
            if g not in known_groups:
                out.append(f"{where}: 分组「{g}」不在列表 {lst.id} 中")
    return out


def load_corpus(root: Path = CORPUS_DIR) -> Corpus:
    """Load docs, catalogues and programmes from ``root`` and cross-check them."""
    problems: list[str] = []
    docs: dict[str, Doc] = {}
    for path in sorted((root / "docs").glob("*.md")):
        try:
            doc = parse_doc(path)
        except CorpusError as e:
            problems.extend(e.problems)
            continue
        if doc.meta.id != path.stem:
            problems.append(f"{path.name}: front matter id「{doc.meta.id}」与文件名不一致")
        if doc.meta.id in docs:
            problems.append(f"{path.name}: 文档 id「{doc.meta.id}」重复")
        docs[doc.meta.id] = doc

    catalogues: dict[str, Catalogue] = {}
    lists: dict[str, CatalogueList] = {}
    for path in sorted((root / "scenarios").glob("*.yaml")):
        cat = _load_yaml(path, Catalogue, problems)
        if cat is None:
            continue
        if cat.id in catalogues:
            problems.append(f"{path.name}: 目录 id「{cat.id}」重复")
        catalogues[cat.id] = cat
        for d in cat.docs:
            if d not in docs:
                problems.append(f"{path.name}: 引用的文档「{d}」不存在")
        for lst in cat.lists:
            if lst.id in lists:
                problems.append(f"{path.name}: 列表 id「{lst.id}」重复（列表 id 全局唯一）")
            lists[lst.id] = lst
            if lst.source is not None:
                problems += check_citation(lst.source, docs, f"{path.name}:{lst.id}")

    programmes: dict[str, ProgrammeSpec] = {}
    for path in sorted((root / "programmes").glob("*.yaml")):
        spec = _load_yaml(path, ProgrammeSpec, problems)
        if spec is None:
            continue
        if spec.id != path.stem:
            problems.append(f"{path.name}: 项目 id「{spec.id}」与文件名不一致")
        if spec.id in programmes:
            problems.append(f"{path.name}: 项目 id「{spec.id}」重复")
        programmes[spec.id] = spec
        for d in spec.docs:
            if d not in docs:
                problems.append(f"{spec.id}: 引用的文档「{d}」不存在")
        for c in spec.catalogues:
            if c not in catalogues:
                problems.append(f"{spec.id}: 引用的目录「{c}」不存在")
        for rule in spec.rules:
            problems += check_citation(rule.citation, docs, f"{spec.id}:{rule.id}")
        problems += check_rule_refs(spec, lists)

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
