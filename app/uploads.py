"""Uploaded files (from the browser) onto disk: a safe file name for each,
the draft types accepted, and for a batch plain drafts as they are and a
.zip unpacked safely.

Unpacking refuses what could hurt the server or escape the folder: member
names that are absolute or climb out with ``..``, symbolic links, encrypted
members, more than :data:`MAX_ZIP_MEMBERS` drafts, more than
:data:`MAX_ZIP_TOTAL_BYTES` in all, a member whose compression ratio is that
of a zip bomb, and a member that is larger than its header declares. Only
draft files (.docx/.json/.yaml/.yml, not Office lock files) are taken from a
zip; a member too large to be a draft is skipped with a note.
"""

from __future__ import annotations

import contextlib
import io
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from app.checking import DRAFT_SUFFIXES, LOCK_PREFIX
from ingestion.drafts import DraftError
from ingestion.drafts.filetype import MAX_FILE_BYTES

MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)
"""The largest file the browser may upload, in MB: the largest draft the
readers accept. Streamlit's ``server.maxUploadSize`` (``.streamlit/config.toml``
and the ``shenbao serve`` command line) and every uploader are set to it, so a
larger file is refused before it is sent; a batch larger than this goes up as
several .zip files."""
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100
_RATIO_MIN_SIZE = 1024 * 1024
_CHUNK = 1 << 20
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(name: str) -> str:
    """The last component of an uploaded file's name, without path separators
    or control characters (never empty)."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned or "申报书.docx"


def ensure_draft_suffix(name: str) -> None:
    """Refuse a file whose name is not a draft type, with a Chinese message."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in DRAFT_SUFFIXES:
        shown = suffix or "无扩展名"
        raise DraftError(
            f"不支持的文件类型（{shown}）：请上传 Word 格式的申报书（.docx）。"
            "旧版 .doc、PDF 或扫描件请先用 Word 另存为 .docx。",
            "unsupported_type",
        )


class UploadError(ValueError):
    """An upload cannot be used at all (``str`` is the Chinese message)."""


@dataclass
class Staged:
    """Files written for checking, each with the name shown for it, and notes
    about what was left out."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def _name(self, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``… when another staged file already has that name."""
        taken = {n.casefold() for _, n in self.files}
        if wanted.casefold() not in taken:
            return wanted
        stem, dot, suffix = wanted.rpartition(".")
        if not dot:
            stem, suffix = wanted, ""
        n = 2
        while True:
            candidate = f"{stem} ({n}){dot}{suffix}"
            if candidate.casefold() not in taken:
                return candidate
            n += 1


def stage_uploads(uploads: Sequence[tuple[str, bytes]], folder: Path) -> Staged:
    """Write ``(file name, bytes)`` uploads under ``folder``: a .zip is unpacked
    (see the module doc), any other file is written as it is so that the
    reader can say why it cannot be used. Raises :class:`UploadError` for a
    zip that must be refused as a whole."""
    staged = Staged()
    for n, (name, data) in enumerate(uploads, start=1):
        shown = safe_file_name(name)
        if shown.lower().endswith(".zip"):
            _unzip(shown, data, folder / f"zip-{n}", staged)
            continue
        display = staged._name(shown)
        path = folder / f"file-{n}" / shown
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        staged.files.append((path, display))
    return staged


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, decoding the names zip tools write without the UTF-8
    flag (Python reads those as cp437): UTF-8 (Info-ZIP on Linux/macOS) when
    the bytes are valid UTF-8, else GBK (Windows' zip tools)."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        with contextlib.suppress(UnicodeEncodeError):
            raw = name.encode("cp437")
            for encoding in ("utf-8", "gbk"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return name.replace("\\", "/")


def _safe_parts(name: str) -> tuple[str, ...] | None:
    """The path parts of a member name, or ``None`` when it is absolute or climbs out."""
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if not parts or any(p == ".." for p in parts):
        return None
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _unzip(zip_name: str, data: bytes, folder: Path, staged: Staged) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UploadError(f"压缩包「{zip_name}」已损坏或不是 zip 文件，无法解压（{e}）。") from e
    with archive:
        chosen: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _member_name(info)
            parts = _safe_parts(name)
            if parts is None:
                staged.skipped.append(f"{zip_name}：「{name}」的路径不安全（绝对路径或含 ..），已跳过")
                continue
            base = parts[-1]
            if parts[0] == "__MACOSX" or base.startswith((LOCK_PREFIX, "._")):
                continue
            if PurePosixPath(base).suffix.lower() not in DRAFT_SUFFIXES:
                continue
            if _is_symlink(info):
                staged.skipped.append(f"{zip_name}：「{name}」是符号链接，已跳过")
                continue
            if info.flag_bits & _ENCRYPTED_FLAG:
                staged.skipped.append(f"{zip_name}：「{name}」已加密，无法读取，已跳过")
                continue
            if info.file_size > MAX_FILE_BYTES:
                staged.skipped.append(
                    f"{zip_name}：「{name}」过大（{info.file_size / 1024 / 1024:.1f} MB），"
                    f"超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限，已跳过"
                )
                continue
            if info.file_size > _RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UploadError(
                    f"压缩包「{zip_name}」中的「{name}」压缩比异常（疑似压缩炸弹），已拒绝整个压缩包。"
                )
            chosen.append((info, parts))
        if len(chosen) > MAX_ZIP_MEMBERS:
            raise UploadError(
                f"压缩包「{zip_name}」含 {len(chosen)} 份申报书，超过一次 {MAX_ZIP_MEMBERS} 份的上限，请分批上传。"
            )
        total = sum(info.file_size for info, _ in chosen)
        if total > MAX_ZIP_TOTAL_BYTES:
            raise UploadError(
                f"压缩包「{zip_name}」解压后共 {total / 1024 / 1024:.0f} MB，"
                f"超过 {MAX_ZIP_TOTAL_BYTES // 1024 // 1024} MB 上限，请分批上传。"
            )
        if not chosen:
            staged.skipped.append(f"压缩包「{zip_name}」中没有申报书（{'、'.join(DRAFT_SUFFIXES)}）")
        for n, (info, parts) in enumerate(chosen, start=1):
            target = folder / f"m{n}" / parts[-1]
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, info, target, zip_name)
            staged.files.append((target, staged._name("/".join(parts))))


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, zip_name: str) -> None:
    """Copy one member, never writing more than its header declared."""
    written = 0
    try:
        with archive.open(info) as src, target.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size:
                    raise UploadError(
                        f"压缩包「{zip_name}」中的「{info.filename}」实际大小与声明不符，已拒绝整个压缩包。"
                    )
                dst.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise UploadError(f"压缩包「{zip_name}」中的「{info.filename}」无法解压（{e}）。") from e
