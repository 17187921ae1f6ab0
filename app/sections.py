"""Checking one section of a 申报书 on its own (``shenbao check PATH --section
NAME``): a writer working section by section gets that section's own rules
(its 字数 limit, its table's column limits and 环节 validity) and the evidence
review of what it claims, without the rest of the form reported as unknown.

A rule belongs to a section when everything it reads is inside the section
(``sections.<id>`` or ``tables.<id>.…``), apart from draft-level choices the
writer states (the factory type a table's 环节 are checked against)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.checking import Report, doc_titles
from app.review.claims import draft_claims
from app.review.service import review_claim_rules
from app.textfiles import TextFileError, read_utf8
from app.uploads import safe_file_name
from checkers.engine import run_rules
from core.draft import Draft
from core.findings import summarize
from core.review import flag_of
from core.spec import ProgrammeSpec, Rule
from corpus.loader import Corpus
from ingestion.drafts import DraftError, read_draft
from ingestion.drafts.labels import core

MAX_SECTION_BYTES = 5_000_000
PASTED = "粘贴的文字"
"""How a pasted section is named in its report."""


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
        return section_from_text(spec, target, text, path.name)
    if suffix != ".docx":
        raise SectionError(f"{path}：只能检查 .txt、.md 或 .docx 文件中的一个部分。")
    try:
        whole = read_draft(path, spec, corpus, check_programme=False)
    except DraftError as exc:
        # a readable Word file in which the reader found no field of the form: a part on its
        # own (a table it may still find, a text section without its heading); not an empty file
        if exc.code != "empty" or path.stat().st_size == 0:
            raise
        whole = Draft(programme=spec.id, source=path.name)
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


def section_from_text(spec: ProgrammeSpec, target: SectionTarget, text: str, source: str = PASTED) -> Draft:
    """A draft holding only the text section ``target`` with ``text`` (pasted,
    or read from a file); a table cannot be given as text."""
    if target.kind == "table":
        raise SectionError(
            f"表格「{target.title}」不能以文字检查：请上传只含该表格的 .docx（纯文本读不出表格的栏目）。"
        )
    text = text.strip()
    if not text:
        raise SectionError(f"「{target.title}」没有文字：请粘贴该部分的正文，或上传 .txt/.docx 文件。")
    if len(text.encode("utf-8")) > MAX_SECTION_BYTES:
        raise SectionError(f"文字超过 {MAX_SECTION_BYTES // 1_000_000} MB，不像申报书的一个部分。")
    return Draft(programme=spec.id, source=source, sections={target.id: text})


def read_section_upload(
    name: str, data: bytes, spec: ProgrammeSpec, corpus: Corpus, target: SectionTarget
) -> Draft:
    """An uploaded file holding only ``target``, read as :func:`read_section`
    reads a file on disk; every refusal is a :class:`SectionError` naming the
    upload by its name (never the server's temporary path) or not at all
    (the caller names it). Nothing is kept."""
    label = safe_file_name(name)
    with tempfile.TemporaryDirectory(prefix="shenbao-section-") as tmp:
        path = Path(tmp) / label
        path.write_bytes(data)
        try:
            return read_section(path, spec, corpus, target).model_copy(update={"source": label})
        except (SectionError, TextFileError, DraftError) as exc:
            raise SectionError(str(exc).replace(f"{path}：", "").replace(str(path), label)) from exc


def choices_read(spec: ProgrammeSpec, target: SectionTarget) -> list[str]:
    """The draft-level choices (``spec.variants``, e.g. the factory type) that
    bring more of the target's rules into a section check when the writer states them."""
    alone = section_rules(spec, target, set())
    return [k for k in spec.variants if section_rules(spec, target, {k}) != alone]


def rules_needing_more(spec: ProgrammeSpec, target: SectionTarget, context: set[str]) -> list[Rule]:
    """The rules that read ``target`` and also other parts of the form: a
    section check leaves them out (the whole draft's check has them)."""
    own = {r.id for r in section_rules(spec, target, context)}
    return [
        r
        for r in spec.rules
        if r.id not in own and any(x == target.path or x.startswith(target.path + ".") for x in r.reads())
    ]


def check_section(
    spec: ProgrammeSpec, corpus: Corpus, target: SectionTarget, draft: Draft, label: str
) -> Report:
    """The section's own rules and the evidence review of the claims it makes."""
    context = {k for k in spec.variants if getattr(draft, k, None)}
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
        notes=list(draft.reader_notes),
    )
