"""Checking one section of a 申报书 on its own (``shenbao check PATH --section
NAME``): a writer working section by section gets that section's own rules
(its 字数 limit, its table's column limits and 环节 validity) and the evidence
review of what it claims, without the rest of the form reported as unknown.

A rule belongs to a section when everything it reads is inside the section
(``sections.<id>`` or ``tables.<id>.…``), apart from draft-level choices the
writer states (the factory type a table's 环节 are checked against)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.checking import Report, doc_titles
from app.review.claims import draft_claims
from app.review.service import review_claim_rules
from app.textfiles import read_utf8
from checkers.engine import run_rules
from core.draft import Draft
from core.findings import summarize
from core.review import flag_of
from core.spec import ProgrammeSpec, Rule
from corpus.loader import Corpus
from ingestion.drafts import read_draft
from ingestion.drafts.labels import core

MAX_SECTION_BYTES = 5_000_000


class SectionError(ValueError):
    """The section cannot be checked (unknown name, wrong file type, nothing in it)."""


@dataclass(frozen=True)
class SectionTarget:
    """A section of the form: a free-text section or a table."""

    kind: Literal["section", "table"]
    id: str
    title: str

    @property
    def path(self) -> str:
        """Its draft path prefix."""
        return f"{'sections' if self.kind == 'section' else 'tables'}.{self.id}"


def targets(spec: ProgrammeSpec) -> list[SectionTarget]:
    """Every section and table of the programme's form."""
    return [SectionTarget("section", s.id, s.title) for s in spec.sections] + [
        SectionTarget("table", t.id, t.title) for t in spec.tables
    ]


def find_target(spec: ProgrammeSpec, name: str) -> SectionTarget:
    """The section or table ``name`` names: its id or its title (the title
    folded, with or without its numbering: 二、总体情况 = 总体情况)."""
    key = core(name)
    for t in targets(spec):
        if name == t.id or key == core(t.title) or key in (core(t.title.split("、", 1)[-1]),):
            return t
    shown = "、".join(f"{t.title}（{t.id}）" for t in targets(spec))
    raise SectionError(f"「{spec.title}」的申报书没有「{name}」这一部分。可选：{shown or '无'}。")


def section_rules(spec: ProgrammeSpec, target: SectionTarget, context: set[str]) -> list[Rule]:
    """The rules that read only inside ``target`` (and the stated ``context`` fields)."""
    out = []
    for rule in spec.rules:
        reads = rule.reads()
        inside = {r for r in reads if r == target.path or r.startswith(target.path + ".")}
        if inside and reads - inside <= context:
            out.append(rule)
    return out


def read_section(path: Path, spec: ProgrammeSpec, corpus: Corpus, target: SectionTarget) -> Draft:
    """A draft holding only ``target``, from a .txt (a text section: the whole
    file) or a .docx (what the reader finds of the target; for a text section
    without its heading, the whole document's text)."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        if target.kind == "table":
            raise SectionError(f"{path}：表格「{target.title}」须用 .docx 提供（纯文本读不出表格的栏目）。")
        text = read_utf8(path, MAX_SECTION_BYTES, "不像申报书的一个部分。").strip()
        if not text:
            raise SectionError(f"{path}：文件是空的。")
        return Draft(programme=spec.id, source=path.name, sections={target.id: text})
    if suffix != ".docx":
        raise SectionError(f"{path}：只能检查 .txt、.md 或 .docx 文件中的一个部分。")
    whole = read_draft(path, spec, corpus, check_programme=False)
    if target.kind == "table":
        rows = whole.tables.get(target.id)
        if not rows:
            raise SectionError(f"{path}：没有找到表格「{target.title}」（按表头识别）或表格为空。")
        return Draft(programme=spec.id, source=path.name, tables={target.id: rows}, locations=whole.locations)
    text = whole.sections.get(target.id) or ""
    if not text:
        import docx

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs if p.text.strip())
    if not text.strip():
        raise SectionError(f"{path}：文档中没有文字。")
    return Draft(programme=spec.id, source=path.name, sections={target.id: text})


def check_section(
    spec: ProgrammeSpec, corpus: Corpus, target: SectionTarget, draft: Draft, label: str
) -> Report:
    """The section's own rules and the evidence review of the claims it makes."""
    context = {k for k in ("factory_type",) if getattr(draft, k, None)}
    only = spec.model_copy(update={"rules": section_rules(spec, target, context)})
    findings = run_rules(only, draft, corpus.lists, doc_titles(corpus))
    claims = [
        c
        for c in draft_claims(spec, draft, corpus)
        if c.id == target.path or c.id.startswith(target.path + ".")
    ]
    return Report(
        file=label,
        programme=spec.id,
        summary=summarize(findings),
        findings=findings,
        evidence=[flag_of(review_claim_rules(c)) for c in claims],
    )
