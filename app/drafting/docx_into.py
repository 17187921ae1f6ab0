"""Put a drafted row into a 申报书: the scenario table of the writer's own .docx
(found by its header row, the first empty row filled or a row appended in the
table's own format), or of the programme's blank form when no draft is given.
What is written is what ``shenbao check`` reads back."""

from __future__ import annotations

import copy
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table

from app.templates import render_form
from core.drafting import ScenarioRow
from core.spec import ProgrammeSpec, TableSpec
from corpus.loader import Corpus
from ingestion.drafts.labels import core


class IntoError(ValueError):
    """The row cannot be put into the document (no scenario table found, unreadable file)."""


def _find_table(doc: DocxDocument, t: TableSpec) -> tuple[Table, dict[str, int]]:
    """The document's table whose header row names most of ``t``'s columns, and
    the cell index of each column."""
    want = {core(c.title): c.id for c in t.columns}
    best: tuple[int, Table, dict[str, int]] | None = None
    for table in doc.tables:
        if not table.rows:
            continue
        header = [core(c.text) for c in table.rows[0].cells]
        cols = {want[h]: i for i, h in enumerate(header) if h in want}
        if len(cols) * 2 > len(want) and (best is None or len(cols) > best[0]):
            best = (len(cols), table, cols)
    if best is None:
        raise IntoError(f"文档中没有找到「{t.title}」表格（按表头识别），无法写入。")
    return best[1], best[2]


def _empty_row(table: Table, cols: dict[str, int], seq: str | None) -> int | None:
    for r in range(1, len(table.rows)):
        cells = table.rows[r].cells
        if all(not cells[i].text.strip() for c, i in cols.items() if c != seq):
            return r
    return None


def _set(cell: object, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]


def add_row(spec: ProgrammeSpec, corpus: Corpus, row: ScenarioRow, into: Path | None, out: Path) -> int:
    """Write ``into`` (or the blank form) with ``row`` in its scenario table to
    ``out``; returns the row's number in the table (1 = first data row)."""
    d = spec.scenario_drafting
    if d is None or d.table is None or d.link_column is None:
        raise IntoError(f"「{spec.title}」的申报书没有可起草的场景表。")
    if row.section is not None:
        raise IntoError(f"这是章节「{row.section}」的起草结果，不是场景表的一行。")
    if row.target is not None and row.target != d.table:
        raise IntoError(f"这是「{row.target}」的起草结果，不是场景表的一行。")
    t = next(x for x in spec.tables if x.id == d.table)
    if into is None:
        doc = render_form(spec, corpus, None)
    else:
        try:
            doc = docx.Document(io.BytesIO(into.read_bytes()))
        except (OSError, ValueError, KeyError) as exc:
            raise IntoError(f"{into}：无法打开（{exc}）。") from exc
    table, cols = _find_table(doc, t)
    seq = next((c.id for c in t.columns if core(c.title) == "序号"), None)
    r = _empty_row(table, cols, seq)
    if r is None:
        last = table.rows[-1]._tr
        last.addnext(copy.deepcopy(last))
        r = len(table.rows) - 1
        for cell in table.rows[r].cells:
            cell.text = ""
    values = {c.key: c.text for c in row.columns} | {d.link_column: row.link or ""}
    if d.scenario_column:
        values[d.scenario_column] = str(row.scenario.get("name") or "")
    if seq:
        values[seq] = str(r)
    cells = table.rows[r].cells
    for col, i in cols.items():
        if col in values:
            _set(cells[i], values[col])
    doc.save(str(out))
    return r


def section_into_bytes(
    spec: ProgrammeSpec, corpus: Corpus, row: ScenarioRow, into: bytes | None = None
) -> bytes:
    """The .docx with the drafted section ``row`` (``row.section`` set) written
    under its heading, replacing what the section held (the bytes given are
    never changed): ``into`` is the writer's own draft, or None for the
    programme's blank form. Written by :func:`app.word.fill.fill_docx`, which
    reads the result back: the section reads as written, every other field as before."""
    from app.word.fill import fill_docx
    from app.word.values_file import FillError
    from ingestion.drafts.errors import DraftError

    d = spec.draft_target(row.section) if row.section else None
    if d is None or d.section is None:
        raise IntoError(f"「{spec.title}」的申报书没有可起草的限字数章节「{row.section or ''}」。")
    if row.section != d.section or len(row.columns) != 1:
        raise IntoError(f"这不是「{spec.title}」章节「{d.section}」的起草结果，无法写入。")
    text = row.columns[0].text
    if not text.strip():
        raise IntoError(f"「{row.columns[0].title}」内容为空，未写入。")
    data = into if into is not None else blank_form(spec, corpus)
    try:
        return fill_docx(data, spec, corpus, {f"sections.{d.section}": text}, replace=True).data
    except FillError as exc:
        raise IntoError("；".join(exc.problems)) from exc
    except DraftError as exc:
        raise IntoError(str(exc)) from exc


def add_section(spec: ProgrammeSpec, corpus: Corpus, row: ScenarioRow, into: Path | None, out: Path) -> None:
    """Write ``into`` (or the blank form) with the drafted section ``row`` to ``out``
    (:func:`section_into_bytes`; a 环节 section of a form printed by 环节:
    :func:`app.drafting.segment_into.segment_into_bytes`)."""
    data = None
    if into is not None:
        try:
            data = into.read_bytes()
        except OSError as exc:
            raise IntoError(f"{into}：无法打开（{exc}）。") from exc
    if row.section is None:
        from app.drafting.segment_into import segment_into_bytes

        out.write_bytes(segment_into_bytes(spec, corpus, row, data))
    else:
        out.write_bytes(section_into_bytes(spec, corpus, row, data))


def rows_into_bytes(
    spec: ProgrammeSpec, corpus: Corpus, rows: Sequence[ScenarioRow], into: bytes | None = None
) -> bytes:
    """The .docx with ``rows`` added to its scenario table one by one
    (:func:`add_row` per row, in a temporary folder): ``into`` is the writer's
    own draft, or None for the programme's blank form. The bytes given are
    never changed; a file that is not a readable .docx raises :class:`IntoError`."""
    from ingestion.drafts.errors import DraftError
    from ingestion.drafts.filetype import classify

    if into is not None:
        try:
            if classify(into, ".docx").kind != "docx":
                raise IntoError("上传的申报书不是 Word 文档（.docx）。")
        except DraftError as exc:
            raise IntoError(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="shenbao-into-") as tmp:
        current: Path | None = None
        if into is not None:
            current = Path(tmp) / "draft.docx"
            current.write_bytes(into)
        for i, row in enumerate(rows, start=1):
            out = Path(tmp) / f"row-{i}.docx"
            add_row(spec, corpus, row, current, out)
            current = out
        if current is None:  # no rows: the draft as given, or the blank form
            return into if into is not None else blank_form(spec, corpus)
        return current.read_bytes()


def blank_form(spec: ProgrammeSpec, corpus: Corpus) -> bytes:
    """The programme's blank form as .docx bytes."""
    buf = io.BytesIO()
    render_form(spec, corpus, None).save(buf)
    return buf.getvalue()
