"""A writer's notes for one scenario from an uploaded file: a UTF-8 .txt as
it is, a .docx as its paragraphs' text. Anything else, and anything larger
than one scenario's notes could be, is refused with a Chinese message."""

from __future__ import annotations

import io
from pathlib import PurePath

MAX_NOTES_BYTES = 1_000_000
"""The largest notes file (1 MB), as ``shenbao draft --facts`` accepts."""
NOTES_SUFFIXES = (".txt", ".docx")


class NotesError(ValueError):
    """The upload cannot be used as notes (``str`` is the Chinese message)."""


def _docx_text(data: bytes) -> str:
    import docx

    from ingestion.drafts.errors import DraftError
    from ingestion.drafts.filetype import classify

    try:
        if classify(data, ".docx").kind != "docx":
            raise NotesError("文件不是 Word 文档（.docx）：请用 Word 另存为 .docx，或直接粘贴文字。")
        document = docx.Document(io.BytesIO(data))
    except DraftError as exc:
        raise NotesError(str(exc)) from exc
    except (KeyError, ValueError, OSError) as exc:
        raise NotesError("无法读取该 .docx 文件：请用 Word 打开并重新保存后再上传，或直接粘贴文字。") from exc
    return "\n".join(p.text for p in document.paragraphs if p.text.strip())


def notes_from_upload(name: str, data: bytes) -> str:
    """The text of an uploaded notes file (.txt in UTF-8, or .docx: its
    paragraphs, one a line); :class:`NotesError` says why a file is refused."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in NOTES_SUFFIXES:
        shown = suffix or "无扩展名"
        raise NotesError(f"不支持的文件类型（{shown}）：材料请上传 .txt 或 .docx 文件，或直接粘贴文字。")
    if len(data) > MAX_NOTES_BYTES:
        raise NotesError(
            f"文件过大（{len(data) / 1_000_000:.1f} MB），超过 1 MB：不像一个场景的材料，"
            "请只上传该场景的内容，或直接粘贴文字。"
        )
    if not data.strip():
        raise NotesError("文件是空的：请上传写有该场景材料的文件，或直接粘贴文字。")
    if suffix == ".txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotesError("不是 UTF-8 编码的文本：请另存为 UTF-8 后再上传，或直接粘贴文字。") from exc
    else:
        text = _docx_text(data)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise NotesError("文件中没有文字：请上传写有该场景材料的文件，或直接粘贴文字。")
    return text
