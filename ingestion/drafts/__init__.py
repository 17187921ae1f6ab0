"""Draft readers: a .docx 申报书 or a JSON/YAML draft → :class:`Draft`.

Public API::

    read_draft(path, spec, corpus) -> Draft        # dispatch by content, not extension
    detect_programme(path, corpus) -> str | None    # whose form is this?
    DraftError                                      # str(err) is one Chinese message

Every unusable input (missing, too large, PDF, legacy .doc, encrypted,
corrupt zip, zip bomb, renamed text, empty form, a form of another
programme) raises :class:`DraftError`; nothing else escapes.
"""

from __future__ import annotations

from pathlib import Path

from core.draft import Draft
from core.spec import ProgrammeSpec
from corpus.loader import Corpus
from ingestion.drafts.detect import detect_from_blocks, marker_programme
from ingestion.drafts.docx_blocks import Block, walk
from ingestion.drafts.docx_reader import TRACKED_CHANGES_NOTE, has_tracked_changes, open_document, read_blocks
from ingestion.drafts.errors import DraftError
from ingestion.drafts.filetype import sniff
from ingestion.drafts.structured_reader import parse_structured, read_structured

__all__ = ["Draft", "DraftError", "detect_programme", "read_draft", "wrong_programme"]


def read_draft(
    path: Path,
    spec: ProgrammeSpec,
    corpus: Corpus,
    *,
    check_programme: bool = True,
    follow_form: bool = False,
) -> Draft:
    """Read a draft file for ``spec``.

    The content decides the reader: a Word package goes to the .docx reader,
    JSON/YAML text to the structured reader. With ``check_programme`` a .docx
    that is recognisably another programme's form (its title, or the marker
    of a shenbao template), or a JSON/YAML draft naming another programme, is
    refused. With ``follow_form`` such a draft is read for the programme it
    belongs to instead (the returned draft's ``programme`` says which); only a
    JSON/YAML draft naming a programme the corpus does not have is refused.
    A .docx whose programme cannot be told is read for ``spec``.
    """

    path = Path(path)
    try:
        sniffed = sniff(path)
        if sniffed.kind == "structured":
            draft = read_structured(sniffed.text or "", None, path.name)
            named = draft.programme
            if named and named != spec.id:
                if follow_form and named in corpus.programmes:
                    return draft
                if check_programme or follow_form:
                    raise wrong_programme(named, spec, corpus)
            return draft.model_copy(update={"programme": spec.id})
        document = open_document(sniffed.data)
        blocks = _walk(document)
        if check_programme or follow_form:
            other = detect_from_blocks(blocks, corpus, marker_programme(document))
            if other is not None and other != spec.id:
                if not follow_form:
                    raise wrong_programme(other, spec, corpus)
                spec = corpus.programmes[other]
        draft = read_blocks(blocks, spec, corpus, path.name)
        if has_tracked_changes(document):
            draft = draft.model_copy(update={"reader_notes": [TRACKED_CHANGES_NOTE, *draft.reader_notes]})
        return draft
    except DraftError:
        raise
    except Exception as e:  # a reader bug must still end as one clear message
        raise DraftError(
            f"读取申报书时出错（{type(e).__name__}）：文件结构异常，无法完整读取。"
            "请用 Word 另存为 .docx 后重试。",
            "internal",
        ) from e


def detect_programme(path: Path, corpus: Corpus) -> str | None:
    """The id of the programme whose form ``path`` is, or None when it cannot
    be told (JSON/YAML drafts: their ``programme`` field)."""

    path = Path(path)
    sniffed = sniff(path)
    if sniffed.kind == "structured":
        data = parse_structured(sniffed.text or "", path.name)
        pid = data.get("programme") if isinstance(data, dict) else None
        return pid if isinstance(pid, str) and pid in corpus.programmes else None
    document = open_document(sniffed.data)
    return detect_from_blocks(_walk(document), corpus, marker_programme(document))


def _walk(document: object) -> list[Block]:

    try:
        return walk(document)
    except DraftError:
        raise
    except Exception as e:
        raise DraftError(
            "文件已损坏，Word 文档结构无法读取。请用 Word 打开并重新保存后再上传。", "corrupt"
        ) from e


def wrong_programme(found: str, spec: ProgrammeSpec, corpus: Corpus) -> DraftError:
    """The one refusal of a draft (.docx form or JSON/YAML) that belongs to
    programme ``found`` rather than the chosen ``spec``."""
    other = corpus.programmes.get(found)
    if other is None:  # a JSON/YAML draft naming a programme we do not have
        return DraftError(
            f"该草稿注明的申报项目「{found}」不是本系统收录的申报项目，无法检查。"
            f"请把 programme 改为收录的项目编号（如 {spec.id}），或删去该字段后按所选项目检查。",
            "wrong_programme",
        )
    return DraftError(
        f"该文件是「{other.title}」（{found}）的申报书，不是所选申报项目「{spec.title}」（{spec.id}）的申报书。"
        "请选择正确的申报项目，或使用本项目的申报书模板。",
        "wrong_programme",
    )
