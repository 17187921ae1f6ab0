"""The annotated draft: a copy of the .docx with a Word comment (批注, author
"shenbao") at every finding that is not pass or n/a, and at every claim whose
evidence is not sufficient, and the text past a 字数 limit highlighted.

Nothing else changes: comments are anchored with range markers and one
reference run per comment (no text), and a highlight only adds ``w:highlight``
to runs (a run is split where the limit falls; both halves keep the run's
formatting). Existing comments, tracked changes (``w:ins``/``w:del``) and every
other part of the package are kept as they are.

Where a comment goes: the paragraph, cell or table row the finding's location
names (:mod:`app.word.anchors`); an evidence flag goes on the passage that holds
its first quote (else its first passage, else where the claim was ticked); what
has no location goes on the document's first paragraph.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.checking import Report
from app.reports.atomic import atomic_path
from app.reports.common import SEVERITY_LABELS, STATUS_LABELS, flag_title
from app.word.anchors import Locator, Target
from core.draft import Draft, resolve_path
from core.findings import Finding
from core.review import ELEMENT_LABELS, VERDICT_LABELS, EvidenceFlag
from core.spec import ProgrammeSpec
from core.text import count_zishu, truncate_to_zishu
from ingestion.drafts.docx_reader import has_tracked_changes

AUTHOR = "shenbao"
INITIALS = "SB"
HIGHLIGHT = "yellow"
"""The highlight of text past a 字数 limit (Word's 黄色 text highlight)."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SKIP_INLINE = {f"{{{W}}}{t}" for t in ("del", "moveFrom", "pPr", "rPr")}
_CONTAINERS = {f"{{{W}}}{t}" for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo")}
TRACKED_NOTE = "本文件含修订痕迹：检查按“接受全部修订”后的文字进行；修订痕迹已原样保留，未作任何接受或拒绝。"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Annotated:
    """What one annotation did: the comments added (by kind) and the runs highlighted."""

    comments: int = 0
    evidence_comments: int = 0
    highlighted_runs: int = 0
    unplaced: list[str] = field(default_factory=list)
    """Findings whose location named nothing in the document (commented on the first paragraph)."""
    tracked_changes: bool = False


def finding_comment(f: Finding) -> str:
    """The comment text of a finding: status and rule, the message, the clause quoted."""
    source = f"《{f.citation.doc_title or f.citation.doc}》{f.citation.clause}"
    return (
        f"【{STATUS_LABELS[f.status]}｜{SEVERITY_LABELS[f.severity]}】{f.title}（{f.id}）\n"
        f"{f.message}\n"
        f"依据：{source}：「{f.citation.quote}」"
    )


def flag_comment(flag: EvidenceFlag) -> str:
    """The comment text of an evidence flag: verdict and claim, what is missing, notes, the clause."""
    missing = "、".join(ELEMENT_LABELS.get(m, m) for m in flag.missing)
    lines = [
        f"【证据审阅｜{VERDICT_LABELS[flag.verdict]}】{flag_title(flag)}"
        + (f"：缺少{missing}" if missing else "")
    ]
    lines += list(flag.notes)
    if flag.citation is not None:
        c = flag.citation
        lines.append(f"依据：《{c.doc_title or c.doc}》{c.clause}：「{c.quote}」")
    return "\n".join(lines)


def annotate_bytes(data: bytes, report: Report, draft: Draft, spec: ProgrammeSpec) -> tuple[bytes, Annotated]:
    """The annotated copy of a .docx (its bytes) and what was done."""
    import docx

    document = docx.Document(io.BytesIO(data))
    done = annotate_document(document, report, draft, spec)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), done


def annotate_file(src: Path, dest: Path, report: Report, draft: Draft, spec: ProgrammeSpec) -> Annotated:
    """Write the annotated copy of ``src`` to ``dest`` (all or nothing)."""
    out, done = annotate_bytes(src.read_bytes(), report, draft, spec)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(dest) as tmp:
        tmp.write_bytes(out)
    return done


def annotate_document(document: Any, report: Report, draft: Draft, spec: ProgrammeSpec) -> Annotated:
    """Add the comments and highlights to a python-docx ``Document`` in place."""
    loc = Locator(document)
    done = Annotated()
    first = loc.first_paragraph()
    if has_tracked_changes(document):
        done.tracked_changes = True
        if first is not None:
            _comment(document, [first], TRACKED_NOTE)
            done.comments += 1
    for f in report.findings:
        if f.status in ("pass", "n/a"):
            continue
        target = loc.resolve(f.location)
        if target is None:
            if f.location:
                done.unplaced.append(f.id)
            paras = [first] if first is not None else []
        else:
            paras = target.paragraphs
        if paras:
            _comment(document, paras, finding_comment(f))
            done.comments += 1
    done.highlighted_runs += _highlight_over_limits(loc, report, draft, spec)
    for flag in report.evidence:
        if flag.verdict == "supported":
            continue
        paras = _flag_paragraphs(loc, flag, draft) or ([first] if first is not None else [])
        if paras:
            _comment(document, paras, flag_comment(flag))
            done.evidence_comments += 1
    return done


# ---------------------------------------------------------------- comments


def _comment(document: Any, paras: list[Any], text: str) -> None:
    """A comment spanning ``paras`` (first to last paragraph): range start after
    the first paragraph's properties, range end and reference run at the end
    of the last one."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    comment = document.comments.add_comment(text=text, author=AUTHOR, initials=INITIALS)
    cid = str(comment.comment_id)
    first, last = paras[0], paras[-1]
    start = OxmlElement("w:commentRangeStart")
    start.set(qn("w:id"), cid)
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = OxmlElement("w:commentRangeEnd")
    end.set(qn("w:id"), cid)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "CommentReference")
    rpr.append(style)
    run.append(rpr)
    ref = OxmlElement("w:commentReference")
    ref.set(qn("w:id"), cid)
    run.append(ref)
    last.append(end)
    last.append(run)


# ---------------------------------------------------------------- evidence


def _flag_paragraphs(loc: Locator, flag: EvidenceFlag, draft: Draft) -> list[Any]:
    """The paragraphs of the passage holding the flag's first quote (else its first passage)."""
    passages = list(flag.passages)
    quoted = next((p for p in passages for q in flag.quotes if q and q in p.text), None)
    for passage in [quoted, *passages] if quoted is not None else passages:
        if passage is None or not passage.location:
            continue
        target = loc.resolve(passage.location)
        if target is None:
            continue
        found = _passage_in(loc, target, passage.text)
        if found:
            return found
        return target.paragraphs
    where = draft.locations.get(flag.claim.id)
    target = loc.resolve(where)
    return target.paragraphs if target is not None else []


def _passage_in(loc: Locator, target: Target, text: str) -> list[Any]:
    """The paragraph(s) of ``target`` (a row's cell, or the body from a paragraph on) holding ``text``."""
    needle = text.strip().split("\n", 1)[0].strip()
    if not needle:
        return []
    if target.kind == "paragraph":
        for p in loc.body_paragraphs_from(target.paragraphs[0])[:200]:
            if needle in para_text(p):
                return [p]
        return []
    for tc in target.cells:
        paras = [p for p in tc.iter(_w("p"))]
        if any(needle in para_text(p) for p in paras):
            return paras
    return []


# ---------------------------------------------------------------- text and highlights


def _pieces(p: Any) -> list[tuple[Any, Any, str]]:
    """(run, child, text) for every text-bearing child of the paragraph's runs,
    in order, as the reader reads them (deleted text skipped, tabs as spaces)."""
    out: list[tuple[Any, Any, str]] = []

    def visit(parent: Any) -> None:
        for el in parent:
            tag = el.tag
            if tag == _w("r"):
                for ch in el:
                    if ch.tag == _w("t"):
                        out.append((el, ch, ch.text or ""))
                    elif ch.tag == _w("tab"):
                        out.append((el, ch, " "))
                    elif ch.tag in (_w("br"), _w("cr")):
                        out.append((el, ch, "\n"))
            elif tag == _w("sdt"):
                content = el.find(_w("sdtContent"))
                if content is not None:
                    visit(content)
            elif tag in _CONTAINERS:
                visit(el)

    visit(p)
    return out


def para_text(p: Any) -> str:
    """A paragraph's text as the reader sees it (tracked deletions skipped)."""
    return "".join(t for _, _, t in _pieces(p))


def _highlight_over_limits(loc: Locator, report: Report, draft: Draft, spec: ProgrammeSpec) -> int:
    failed = {f.id for f in report.findings if f.status == "fail"}
    n = 0
    for rule in spec.rules:
        if f"{spec.id}:{rule.id}" not in failed:
            continue
        check = rule.check
        if check.kind == "char_limit":
            path = f"sections.{check.section}"
            text = resolve_path(draft, path)
            if isinstance(text, str) and count_zishu(text) > check.limit:
                n += _highlight_text(loc, draft.locations.get(path), text, check.limit)
        elif check.kind == "table_char_limits":
            rows = draft.tables.get(check.table) or []
            for i, row in enumerate(rows, start=1):
                for col, limit in check.limits.items():
                    value = row.get(col) or ""
                    if count_zishu(value) > limit:
                        n += _highlight_text(
                            loc, draft.locations.get(f"tables.{check.table}.{i}"), value, limit
                        )
    return n


def _highlight_text(loc: Locator, where: str | None, text: str, limit: int) -> int:
    """Highlight ``text`` (found at ``where``) from its first character past ``limit`` 字."""
    target = loc.resolve(where)
    if target is None:
        return 0
    if target.kind == "paragraph":
        candidates = loc.body_paragraphs_from(target.paragraphs[0])[:400]
        paras = _match_lines(candidates, text)
    else:
        paras = []
        for tc in target.cells:
            paras = _match_lines([p for p in tc.iter(_w("p"))], text)
            if paras:
                break
    used = 0
    count = 0
    started = False
    for p in paras:
        raw = para_text(p)
        if started:
            count += _highlight_from(p, 0)
            continue
        z = count_zishu(raw)
        if used + z > limit:
            cut = len(truncate_to_zishu(raw, limit - used))
            while cut < len(raw) and raw[cut].isspace():
                cut += 1
            count += _highlight_from(p, cut)
            started = True
        used += z
    return count


def _match_lines(paras: Iterable[Any], text: str) -> list[Any]:
    """The paragraphs, in order, whose texts make up ``text`` (lines joined by
    newlines); paragraphs in between that are not part of it (headings, notes) are passed over."""
    rest = text.strip()
    out: list[Any] = []
    for p in paras:
        if not rest:
            break
        s = para_text(p).strip()
        if s and rest.startswith(s):
            out.append(p)
            rest = rest[len(s) :].lstrip()
    return out


def _highlight_from(p: Any, offset: int) -> int:
    """Highlight the paragraph's text from character ``offset`` to its end; the
    run holding ``offset`` is split there. The runs highlighted."""
    pieces = _pieces(p)
    pos = 0
    first_run: Any = None
    for run, child, text in pieces:
        if pos + len(text) > offset:
            k = offset - pos
            first_run = _split(run, child, k) if k > 0 else _split_before(run, child)
            break
        pos += len(text)
    if first_run is None:
        return 0
    runs = [r for r in p.iter(_w("r")) if _in_text_flow(r, p)]
    try:
        start = runs.index(first_run)
    except ValueError:
        return 0
    n = 0
    for r in runs[start:]:
        if r.find(_w("commentReference")) is not None:
            continue
        if _set_highlight(r):
            n += 1
    return n


def _in_text_flow(r: Any, p: Any) -> bool:
    """Whether a run belongs to the paragraph's visible text (not deleted, not in a nested paragraph)."""
    el = r.getparent()
    while el is not None and el is not p:
        if el.tag in (_w("del"), _w("moveFrom"), _w("p")):
            return False
        el = el.getparent()
    return True


def _text_children(run: Any) -> list[Any]:
    return [ch for ch in run if ch.tag != _w("rPr")]


def _split_before(run: Any, child: Any) -> Any:
    """The run starting at ``child``: ``run`` itself when ``child`` is its first
    content, else a copy holding ``child`` and what follows it."""
    kids = _text_children(run)
    if kids and kids[0] is child:
        return run
    return _split(run, child, 0)


def _split(run: Any, child: Any, k: int) -> Any:
    """Split ``run`` at character ``k`` of its text child ``child``; the new
    second run (same formatting) is inserted after it and returned."""
    new = copy.deepcopy(run)
    run.addnext(new)
    kids = list(run)
    idx = kids.index(child)
    new_kids = list(new)
    for el in kids[idx + 1 :]:
        run.remove(el)
    for el in new_kids[:idx]:
        if el.tag != _w("rPr"):
            new.remove(el)
    new_child = new_kids[idx]
    if k > 0 and child.tag == _w("t"):
        whole = child.text or ""
        child.text, new_child.text = whole[:k], whole[k:]
        for t in (child, new_child):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    else:
        run.remove(child)
    return new


def _set_highlight(r: Any) -> bool:
    """Give the run the highlight (a run already highlighted keeps its own)."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.text.run import Run

    run = Run(r, None)  # type: ignore[arg-type]  # font access needs no parent
    if run.font.highlight_color is not None:
        return False
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return True
