"""What kind of file a draft is, decided by its content, and the safety checks
that run before any parser sees it.

Order of checks: the file exists and is a regular file; its size is within
:data:`MAX_FILE_BYTES` (checked with ``stat`` before reading); then the first
bytes decide: a zip (``PK``) must be a Word package whose declared and actual
uncompressed sizes stay within :data:`MAX_UNZIPPED_BYTES` and whose
compression ratio stays within :data:`MAX_RATIO` (zip bombs are refused
before python-docx opens them); an OLE2 container (``D0 CF 11 E0``) is either
an encrypted Office file (its directory names the ``EncryptionInfo`` /
``EncryptedPackage`` streams, stored as UTF-16LE) or a legacy binary
document; PDF, RTF and HTML are named; text is accepted only as a JSON/YAML
draft.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.draft import Draft
from ingestion.drafts.errors import DraftError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 10_000
_RATIO_MIN_SIZE = 1024 * 1024  # small parts compress very well; only judge sizeable ones

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

Kind = Literal["docx", "structured"]


@dataclass(frozen=True)
class Sniffed:
    """The checked content of a draft file."""

    kind: Kind
    data: bytes
    text: str | None = None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def sniff(path: Path) -> Sniffed:
    """Check ``path`` and classify its content; raise :class:`DraftError` with a
    Chinese message for anything that is not a readable draft."""
    if not path.exists():
        raise DraftError(f"找不到文件「{path}」。", "not_found")
    if not path.is_file():
        raise DraftError(f"「{path}」不是文件（可能是文件夹）。", "not_a_file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DraftError(
            f"文件过大（{_mb(size)}），超过 {_mb(MAX_FILE_BYTES)} 的上限。"
            "请压缩图片或删除附件扫描件后再上传申报书正文。",
            "too_large",
        )
    if size == 0:
        raise DraftError("文件是空的（0 字节），未在文件中找到申报书内容。", "empty")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DraftError(f"无法读取文件「{path.name}」：{e.strerror or e}。", "unreadable") from e
    if len(data) > MAX_FILE_BYTES:  # grew after stat
        raise DraftError(f"文件过大（{_mb(len(data))}），超过 {_mb(MAX_FILE_BYTES)} 的上限。", "too_large")
    return classify(data, path.suffix.lower())


def classify(data: bytes, suffix: str = "") -> Sniffed:
    """Classify file content (see the module docstring)."""
    head = data[:8]
    if head.startswith(b"PK"):
        check_zip(data)
        return Sniffed("docx", data)
    if head == OLE2_MAGIC:
        raise ole2_error(data)
    if head.startswith(b"%PDF"):
        raise DraftError(
            "这是 PDF 文件，不是 Word 申报书。请上传 .docx 格式的申报书（或 JSON/YAML 草稿）。", "pdf"
        )
    if head.startswith(b"{\\rtf"):
        raise DraftError("这是 RTF 文件，不是 .docx。请在 Word 中“另存为”Word 文档（.docx）后再上传。", "rtf")
    text = _decode_text(data)
    if text is None:
        raise DraftError(
            "无法识别的文件格式：不是 Word 文档（.docx），也不是 JSON/YAML 草稿。", "unknown_format"
        )
    stripped = text.lstrip()
    low = stripped[:200].lower()
    if low.startswith(("<html", "<!doctype html", "<?xml", "<w:document", "mime-version")):
        raise DraftError(
            "这是网页/XML 格式的文件（可能是“另存为网页”或 Word 2003 XML 后改名的），不是 .docx。"
            "请在 Word 中另存为 Word 文档（.docx）后再上传。",
            "html",
        )
    if suffix in (".json", ".yaml", ".yml") or stripped.startswith(("{", "[")) or _looks_like_yaml(stripped):
        return Sniffed("structured", data, text)
    ext = suffix or "（无扩展名）"
    raise DraftError(
        f"文件内容是纯文本，不是 Word 申报书（扩展名为 {ext}，但文件不是 .docx 格式）。"
        "请上传用 Word 保存的 .docx 文件，或按 Draft 格式编写的 JSON/YAML 草稿。",
        "plain_text",
    )


def ole2_error(data: bytes) -> DraftError:
    """The error for an OLE2 compound file: encrypted Office file or legacy format."""
    if any(name in data for name in _ENCRYPTED_STREAMS):
        return DraftError(
            "文件已加密（设置了打开密码），无法读取。"
            "请在 Word 中取消密码（文件 > 信息 > 保护文档 > 用密码进行加密，清空密码）"
            "后另存为 .docx 再上传。",
            "encrypted",
        )
    if "WordDocument".encode("utf-16-le") in data:
        return DraftError(
            "这是旧版 Word 文件（.doc，Word 97-2003 格式），无法直接读取。"
            "请在 Word 或 WPS 中“另存为”Word 文档（.docx）后再上传。",
            "legacy_doc",
        )
    if "Workbook".encode("utf-16-le") in data:
        return DraftError(
            "这是旧版 Excel 文件（.xls），不是 Word 申报书。请上传 .docx 格式的申报书。", "legacy_xls"
        )
    return DraftError(
        "这是旧版 Office 二进制文件，不是 .docx。请在 Word 中另存为 Word 文档（.docx）后再上传。",
        "legacy_office",
    )


def check_zip(data: bytes) -> None:
    """Refuse corrupt, encrypted, non-Word and bomb-like zip packages.

    Declared sizes are checked from the central directory first; then every
    member is decompressed in chunks and the real byte count is checked
    against the same limits, so a lying header cannot get through either.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise DraftError(
            "文件已损坏：不是有效的 .docx（压缩包结构无法读取）。请用 Word 打开并重新保存后再上传。",
            "corrupt",
        ) from e
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if len(infos) > MAX_ENTRIES:
            raise DraftError(
                f"文件包含 {len(infos)} 个压缩成员，数量异常，疑似压缩炸弹，已拒绝读取。", "zip_bomb"
            )
        declared = sum(i.file_size for i in infos)
        compressed = sum(i.compress_size for i in infos)
        if declared > MAX_UNZIPPED_BYTES:
            raise DraftError(
                f"文件解压后声明大小为 {_mb(declared)}，超过 {_mb(MAX_UNZIPPED_BYTES)} 的上限，"
                "疑似压缩炸弹，已拒绝读取。",
                "zip_bomb",
            )
        for i in infos:
            if i.file_size > _RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise DraftError(
                    f"文件中的「{i.filename}」压缩比异常（{i.file_size // max(i.compress_size, 1)} 倍），"
                    "疑似压缩炸弹，已拒绝读取。",
                    "zip_bomb",
                )
        if declared > _RATIO_MIN_SIZE and declared > MAX_RATIO * max(compressed, 1):
            raise DraftError("文件整体压缩比异常，疑似压缩炸弹，已拒绝读取。", "zip_bomb")
        if any(i.flag_bits & 0x1 for i in infos):
            raise DraftError("文件中的内容已加密，无法读取。请取消密码后另存为 .docx 再上传。", "encrypted")
        if "word/document.xml" not in names:
            raise _not_word(names)
        if _has_macros(zf, names):
            raise DraftError(
                "文件包含宏（VBA 代码，如启用宏的 .docm 文档），出于安全考虑不予读取。"
                "请在 Word 中“另存为”Word 文档（.docx，不含宏）后再上传。",
                "macros",
            )
        _check_real_sizes(zf, infos)


def _has_macros(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether the package carries VBA macros: a ``vbaProject.bin`` part, or a
    macro-enabled main document type (.docm/.dotm) in ``[Content_Types].xml``."""
    if any(n.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        return True
    if "[Content_Types].xml" not in names:
        return False
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > 1024 * 1024:
        return False
    try:
        types = zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return False
    return b"macroEnabled" in types


def _not_word(names: set[str]) -> DraftError:
    if "xl/workbook.xml" in names:
        return DraftError("这是 Excel 文件（.xlsx），不是 Word 申报书。请上传 .docx 格式的申报书。", "xlsx")
    if "ppt/presentation.xml" in names:
        return DraftError(
            "这是 PowerPoint 文件（.pptx），不是 Word 申报书。请上传 .docx 格式的申报书。", "pptx"
        )
    if "mimetype" in names or "content.xml" in names:
        return DraftError(
            "这是 OpenDocument/WPS 格式（.odt 等），不是 .docx。请另存为 Word 文档（.docx）后再上传。", "odt"
        )
    return DraftError(
        "这是一个压缩包，但不是 Word 文档（缺少 word/document.xml）。请上传 .docx 格式的申报书。", "not_word"
    )


def _check_real_sizes(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        seen = 0
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    seen += len(chunk)
                    total += len(chunk)
                    if seen > info.file_size or total > MAX_UNZIPPED_BYTES:
                        raise DraftError(
                            "文件解压后的实际大小超出声明或超过上限，疑似压缩炸弹，已拒绝读取。", "zip_bomb"
                        )
        except DraftError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
            raise DraftError(
                f"文件已损坏：压缩包中的「{info.filename}」无法解压。请用 Word 打开并重新保存后再上传。",
                "corrupt",
            ) from e


def _decode_text(data: bytes) -> str | None:
    """Text content, or None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _looks_like_yaml(text: str) -> bool:
    """A YAML mapping whose first key is a Draft top-level field."""
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or s == "---":
            continue
        key = s.split(":", 1)[0].strip()
        return ":" in s and key in Draft.model_fields
    return False
