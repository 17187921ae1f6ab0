"""Clause-aware chunking of corpus documents.

A cleaned corpus document is Markdown: ``##``..``######`` headings, paragraphs
separated by blank lines, and pipe tables. The rules:

- A numbered clause — a paragraph opening with ``1.`` / ``1、`` / ``（1）`` /
  ``（一）`` / ``一、`` / ``一是`` (or a footnote ``1 ``) — is one chunk and is
  never split. A clause that ends with a colon takes the deeper-numbered
  clauses that follow it, since they are its items.
- Unnumbered paragraphs under one heading are grouped up to
  :data:`MAX_TEXT_CHARS`; a paragraph is never split.
- A heading with no text under it (form sections whose instructions are the
  heading) becomes a chunk of its own.
- A Markdown table becomes one chunk per row, each carrying the header row,
  plus one chunk of the header row alone (column names and their 字数 limits
  are what people ask about). Blank form rows are dropped, with the reason
  counted.
- Metadata: doc id and title, programme ids, heading path, clause number; for
  the scenario guides the 环节 and scenario number (from the headings, or from
  a table's 环节 / 序号 / 场景名称 columns).

Chunk ids are content hashes, so re-ingesting an unchanged corpus changes
nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from corpus.loader import Corpus, Doc

# Bump when chunking output changes in a way that must re-embed everything.
CHUNKER_VERSION = "1"
MAX_TEXT_CHARS = 500  # grouping limit for unnumbered paragraphs (200-800 made no difference in the eval)
HEADER_CHUNKS = True  # also index each table's header row on its own

ChunkKind = Literal["clause", "text", "heading", "table-row"]

_CN_NUM = "一二三四五六七八九十"
# (pattern, level): a smaller level is a higher-order clause.
_CLAUSE_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^([{_CN_NUM}]+)、"), 1),
    (re.compile(rf"^[（(]([{_CN_NUM}]+)[）)]"), 2),
    (re.compile(r"^(\d{1,3})\s*[.、．]"), 3),
    (re.compile(r"^[（(](\d{1,3})[）)]"), 4),
    (re.compile(rf"^([{_CN_NUM}]+)是"), 5),
    (re.compile(r"^(\d{1,2}) (?=[^\d\s|])"), 3),  # footnote "1 根据……"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_TABLE_SEP = re.compile(r"^\|(\s*:?-{2,}:?\s*\|)+\s*$")
_FILLER = re.compile(r"^[\s\d.。…_／/\-—]*$")
_LINK_PREFIX = re.compile(rf"^[（(]?[{_CN_NUM}\d]+[）)]?[、.．]?\s*")
_NUMBERED_TITLE = re.compile(r"^(\d{1,3})\s*[.、．]\s*(.+?)[。.]?$")


@dataclass(frozen=True)
class ScenarioLayout:
    """Where a scenario guide's headings carry 环节 and scenario numbers.

    ``section``: only below the level-2 heading starting with this text
    (``None``: the whole document). ``link_level``: heading level naming the
    环节. ``scenario_level``: heading level of ``N.名称`` scenario headings, or
    ``None`` when each numbered clause under the 环节 is a scenario element.
    """

    link_level: int
    scenario_level: int | None
    section: str | None = None


SCENARIO_LAYOUTS: dict[str, ScenarioLayout] = {
    "scenarios-guide-2024": ScenarioLayout(link_level=2, scenario_level=3),
    "wx-2023-guide": ScenarioLayout(link_level=3, scenario_level=None, section="四、智能场景申报要点"),
}
LINK_COLUMNS = ("环节", "所属环节名称", "所属环节")


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit of a corpus document, with its provenance."""

    doc: str
    doc_title: str
    programmes: tuple[str, ...]
    headings: tuple[str, ...]
    kind: ChunkKind
    text: str
    clause: str | None = None
    table_header: str | None = None
    row: int | None = None
    link: str | None = None
    scenario: str | None = None
    scenario_name: str | None = None
    occurrence: int = 0

    @property
    def clause_path(self) -> str:
        """Heading path and clause number, ``>``-separated (the citation's clause)."""
        parts = list(self.headings)
        if self.kind == "table-row" and self.row is not None:
            parts.append(f"第{self.row}行" if self.row > 0 else "表头")
        elif self.clause:
            parts.append(self.clause)
        return " > ".join(parts)

    @property
    def index_text(self) -> str:
        """What is embedded and BM25-indexed (see :func:`build_index_text`)."""
        return build_index_text(self.doc_title, self.headings, self.kind, self.text, self.table_header)

    @property
    def id(self) -> str:
        """Content hash of everything that is stored or embedded."""
        payload = json.dumps(
            [
                CHUNKER_VERSION,
                self.doc,
                self.doc_title,
                self.programmes,
                self.headings,
                self.kind,
                self.text,
                self.clause,
                self.row,
                self.link,
                self.scenario,
                self.scenario_name,
                self.occurrence,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for the vector store (no ``None``: absent is ``""``)."""
        meta: dict[str, Any] = {
            "doc": self.doc,
            "doc_title": self.doc_title,
            "heading_path": " > ".join(self.headings),
            "clause": self.clause or "",
            "clause_path": self.clause_path,
            "kind": self.kind,
            "link": self.link or "",
            "scenario": self.scenario or "",
            "scenario_name": self.scenario_name or "",
            "table_header": self.table_header or "",
            "row": self.row if self.row is not None else -1,
        }
        if self.programmes:
            meta["programmes"] = list(self.programmes)
        return meta


def build_index_text(
    doc_title: str, headings: Sequence[str], kind: str, text: str, table_header: str | None
) -> str:
    """The text that is embedded and BM25-indexed for a chunk: document title
    and heading path, then the clause. A table row is written as
    ``列名：值`` pairs (blank and "/" cells left out); a form row, whose first
    row is not a header, as its distinct non-blank cells. Computable from
    what the index stores, so BM25 can be rebuilt from the index alone."""
    body = text
    if kind == "table-row" and table_header:
        header = _cells(table_header)
        row = _cells(text.splitlines()[-1])
        if any(not h for h in header) or row == header:
            body = "；".join(c for c in dict.fromkeys(row) if c and c != "/")
        else:
            padded = header + [""] * (len(row) - len(header))
            body = "；".join(
                f"{h}：{c}" if h else c
                for h, c in zip(padded, row, strict=False)
                if c and c != "/" and h != c
            )
    head = " ".join((doc_title, *headings))
    return f"{head}\n{body}"


@dataclass
class ChunkStats:
    """What chunking did: chunks made by kind, items dropped by reason."""

    docs: int = 0
    made: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def chunks(self) -> int:
        """Number of chunks produced."""
        return sum(self.made.values())


# ---------------------------------------------------------------- parsing


@dataclass
class _Block:
    kind: Literal["heading", "para", "table"]
    level: int = 0
    text: str = ""
    rows: list[str] = field(default_factory=list)


def _blocks(body: str) -> Iterator[_Block]:
    """Headings, paragraphs (blank-line separated, lines joined) and tables."""
    para: list[str] = []
    table: list[str] = []

    def flush_para() -> Iterator[_Block]:
        if para:
            yield _Block("para", text="\n".join(para).strip())
            para.clear()

    def flush_table() -> Iterator[_Block]:
        if table:
            yield _Block("table", rows=list(table))
            table.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            yield from flush_para()
            table.append(line)
            continue
        yield from flush_table()
        m = _HEADING.match(line)
        if m:
            yield from flush_para()
            yield _Block("heading", level=len(m.group(1)), text=m.group(2))
        elif not line:
            yield from flush_para()
        else:
            para.append(line)
    yield from flush_para()
    yield from flush_table()


def clause_number(text: str) -> tuple[str, int] | None:
    """The clause marker a paragraph opens with, as printed (``2``, ``（1）``,
    ``一是`` ...), and its level; ``None`` for an unnumbered paragraph."""
    for pattern, level in _CLAUSE_PATTERNS:
        m = pattern.match(text)
        if m:
            marker = m.group(0).strip()
            marker = marker.rstrip(".、．").strip()
            return marker, level
    return None


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in inner.split("|")]


def _strip_link(heading: str) -> str:
    return _LINK_PREFIX.sub("", heading).strip().rstrip("。.")


# ---------------------------------------------------------------- chunking


@dataclass
class _Ctx:
    doc: Doc
    layout: ScenarioLayout | None
    stats: ChunkStats
    headings: list[tuple[int, str]] = field(default_factory=list)
    seen: Counter[str] = field(default_factory=Counter)

    def path(self) -> tuple[str, ...]:
        return tuple(t for lvl, t in self.headings if lvl >= 2)

    def scenario_meta(self, clause: str | None, text: str) -> dict[str, str | None]:
        lay = self.layout
        if lay is None:
            return {}
        by_level = dict(self.headings)
        if lay.section is not None and not by_level.get(2, "").startswith(lay.section):
            return {}
        link_h = by_level.get(lay.link_level)
        if link_h is None:
            return {}
        out: dict[str, str | None] = {"link": _strip_link(link_h)}
        if lay.scenario_level is not None:
            m = _NUMBERED_TITLE.match(by_level.get(lay.scenario_level, ""))
            if m:
                out["scenario"], out["scenario_name"] = m.group(1), m.group(2)
        elif clause is not None and clause.isdigit():
            out["scenario"] = clause
            name = re.match(r"^\d{1,3}\s*[.、．]\s*([^。，,.]{1,30})[。.]", text)
            if name:
                out["scenario_name"] = name.group(1).strip()
        return out

    def make(self, kind: ChunkKind, text: str, **extra: Any) -> Chunk:
        meta = self.doc.meta
        base = Chunk(
            doc=meta.id,
            doc_title=meta.title,
            programmes=tuple(meta.programmes),
            headings=self.path(),
            kind=kind,
            text=text,
            **extra,
        )
        n = self.seen[base.id]
        self.seen[base.id] += 1
        self.stats.made[kind] += 1
        return replace(base, occurrence=n) if n else base


def _table_chunks(ctx: _Ctx, rows: list[str]) -> Iterator[Chunk]:
    """One chunk per row, each carrying the header row, plus the header row
    alone. A header row with blank cells is a form's first row (label |
    blank to fill in), so it is a row like the others."""
    header_line = rows[0]
    header = _cells(header_line)
    is_form = any(not h for h in header)
    data = [r for r in rows[1:] if not _TABLE_SEP.match(r)]
    if is_form:
        data.insert(0, header_line)
    link_col = next((i for i, h in enumerate(header) if h in LINK_COLUMNS), None)
    num_col = header.index("序号") if "序号" in header else None
    name_col = header.index("场景名称") if "场景名称" in header else None
    if not is_form and HEADER_CHUNKS:
        # The header row on its own: column names (and their 字数 limits) are content.
        yield ctx.make("table-row", header_line, table_header=header_line, row=0)
    previous: set[str] = set()
    for n, line in enumerate(data, start=1):
        cells = _cells(line)
        informative = {c for c in cells if not _FILLER.match(c)}
        if not informative:
            ctx.stats.dropped["空白表格行"] += 1
            continue
        if informative <= previous:
            ctx.stats.dropped["重复的空白填写行"] += 1
            continue
        previous = informative
        extra: dict[str, Any] = {}
        if not is_form and link_col is not None and link_col < len(cells) and cells[link_col]:
            extra["link"] = cells[link_col]
            if num_col is not None and name_col is not None and name_col < len(cells):
                extra["scenario"] = cells[num_col] or None
                extra["scenario_name"] = cells[name_col] or None
        text = line if line is header_line else f"{header_line}\n{line}"
        yield ctx.make(
            "table-row",
            text,
            table_header=header_line,
            row=n,
            **extra,
        )


def chunk_doc(doc: Doc, stats: ChunkStats | None = None) -> list[Chunk]:
    """Split one corpus document into clause-aware chunks."""
    stats = stats if stats is not None else ChunkStats()
    stats.docs += 1
    ctx = _Ctx(doc=doc, layout=SCENARIO_LAYOUTS.get(doc.meta.id), stats=stats)
    out: list[Chunk] = []
    plain: list[str] = []
    clause: tuple[str, int, list[str]] | None = None  # marker, level, paragraphs
    pending_heading: tuple[int, str] | None = None  # a heading not yet followed by content

    def flush_plain() -> None:
        if plain:
            out.append(ctx.make("text", "\n\n".join(plain), **ctx.scenario_meta(None, plain[0])))
            plain.clear()

    def flush_clause() -> None:
        nonlocal clause
        if clause is not None:
            marker, _, paras = clause
            text = "\n\n".join(paras)
            out.append(ctx.make("clause", text, clause=marker, **ctx.scenario_meta(marker, text)))
            clause = None

    def content_seen() -> None:
        nonlocal pending_heading
        pending_heading = None

    for block in _blocks(doc.body):
        if block.kind == "heading":
            flush_clause()
            flush_plain()
            if pending_heading is not None and block.level <= pending_heading[0] and pending_heading[0] >= 2:
                out.append(ctx.make("heading", pending_heading[1], **ctx.scenario_meta(None, "")))
            ctx.headings = [(lvl, t) for lvl, t in ctx.headings if lvl < block.level]
            ctx.headings.append((block.level, block.text))
            pending_heading = (block.level, block.text)
            continue
        content_seen()
        if block.kind == "table":
            flush_clause()
            flush_plain()
            out.extend(_table_chunks(ctx, block.rows))
            continue
        numbered = clause_number(block.text)
        if clause is not None:
            _, level, paras = clause
            opens_list = paras[0].rstrip().endswith(("：", ":"))
            if opens_list and (numbered is None or numbered[1] > level):
                paras.append(block.text)
                continue
            flush_clause()
        if numbered is not None:
            flush_plain()
            clause = (numbered[0], numbered[1], [block.text])
        else:
            if plain and sum(len(p) for p in plain) + len(block.text) > MAX_TEXT_CHARS:
                flush_plain()
            plain.append(block.text)
    flush_clause()
    flush_plain()
    if pending_heading is not None and pending_heading[0] >= 2:
        out.append(ctx.make("heading", pending_heading[1], **ctx.scenario_meta(None, "")))
    return out


def chunk_docs(docs: Iterable[Doc], stats: ChunkStats | None = None) -> list[Chunk]:
    """Chunk several documents, in order."""
    stats = stats if stats is not None else ChunkStats()
    return [c for d in docs for c in chunk_doc(d, stats)]


def chunk_corpus(corpus: Corpus, stats: ChunkStats | None = None) -> list[Chunk]:
    """Chunk every document of the corpus (sorted by doc id)."""
    return chunk_docs((corpus.docs[k] for k in sorted(corpus.docs)), stats)
