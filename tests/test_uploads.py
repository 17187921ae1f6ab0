"""Uploaded files onto disk (``app/uploads.py``): safe names, draft types, and
the safe unpacking of a .zip for a batch."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from app import uploads
from app.uploads import UploadError, ensure_draft_suffix, safe_file_name, stage_uploads
from ingestion.drafts import DraftError


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A .zip holding ``members`` (name → bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_safe_file_name() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\用户\\申报书.docx") == "申报书.docx"
    assert safe_file_name("a<b>.docx") == "a_b_.docx"
    assert safe_file_name("..") == "申报书.docx"


def test_only_draft_types_are_accepted() -> None:
    ensure_draft_suffix("申报书.DOCX")
    ensure_draft_suffix("draft.yaml")
    with pytest.raises(DraftError, match=r"不支持的文件类型（\.pdf）") as e:
        ensure_draft_suffix("扫描件.pdf")
    assert e.value.code == "unsupported_type"
    with pytest.raises(DraftError, match="无扩展名"):
        ensure_draft_suffix("申报书")


# -- unpacking ----------------------------------------------------------------


def test_stage_keeps_folders_and_drops_unsafe_members(tmp_path: Path) -> None:
    archive = zip_bytes(
        {
            "客户A/a.docx": b"1",
            "/etc/abs.docx": b"2",
            "x/../../up.docx": b"3",
            "__MACOSX/._a.docx": b"4",
            "~$lock.docx": b"5",
            "readme.md": b"6",
        }
    )
    staged = stage_uploads([("批量.zip", archive)], tmp_path)
    assert [name for _, name in staged.files] == ["客户A/a.docx"]
    for path, _ in staged.files:
        assert tmp_path in path.parents and path.read_bytes() == b"1"
    assert len(staged.skipped) == 2 and all("路径不安全" in s for s in staged.skipped)


def test_gbk_names_from_windows_zips_are_decoded(tmp_path: Path) -> None:
    gbk = "申报书.docx".encode("gbk")
    placeholder = b"A" * (len(gbk) - len(b".docx")) + b".docx"
    # written by a Windows tool: GBK bytes, no UTF-8 flag (same length, patched in place)
    raw = zip_bytes({placeholder.decode(): b"x"}).replace(placeholder, gbk)
    staged = stage_uploads([("win.zip", raw)], tmp_path)
    assert [name for _, name in staged.files] == ["申报书.docx"]


def test_symlinks_and_encrypted_members_are_skipped(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        link = zipfile.ZipInfo("link.docx")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("ok.docx", b"ok")
    data = bytearray(buf.getvalue())
    staged = stage_uploads([("l.zip", bytes(data))], tmp_path)
    assert [name for _, name in staged.files] == ["ok.docx"]
    assert any("符号链接" in s for s in staged.skipped)


def test_zip_bomb_and_limits_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = zip_bytes({"bomb.docx": b"\0" * (5 * 1024 * 1024)})
    with pytest.raises(UploadError, match="压缩炸弹"):
        stage_uploads([("bomb.zip", bomb)], tmp_path)
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 2)
    many = zip_bytes({f"{i}.docx": b"x" for i in range(3)})
    with pytest.raises(UploadError, match="上限"):
        stage_uploads([("many.zip", many)], tmp_path / "b")
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 1000)
    monkeypatch.setattr(uploads, "MAX_ZIP_TOTAL_BYTES", 10)
    with pytest.raises(UploadError, match="解压后"):
        stage_uploads([("big.zip", zip_bytes({"a.docx": b"x" * 11}))], tmp_path / "c")


def test_oversized_member_is_skipped_not_extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 4)
    staged = stage_uploads([("z.zip", zip_bytes({"big.docx": b"12345", "ok.docx": b"1"}))], tmp_path)
    assert [name for _, name in staged.files] == ["ok.docx"]
    assert any("过大" in s for s in staged.skipped)


def test_plain_uploads_are_written_as_given(tmp_path: Path) -> None:
    staged = stage_uploads([("../a.docx", b"1"), ("a.docx", b"2"), ("b.pdf", b"3")], tmp_path)
    assert [name for _, name in staged.files] == ["a.docx", "a (2).docx", "b.pdf"]
    assert [p.read_bytes() for p, _ in staged.files] == [b"1", b"2", b"3"]
