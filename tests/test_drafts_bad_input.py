"""Unusable input: every case is one DraftError with a Chinese message, never a traceback."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest

from ingestion.drafts import DraftError, detect_programme, read_draft
from ingestion.drafts.filetype import MAX_FILE_BYTES
from tests.fixtures.drafts.build import label_table, new_doc, save

CJK = re.compile(r"[\u4e00-\u9fff]")
PID = "js-iif-2022"


def _valid_docx(tmp_path: Path) -> Path:
    doc = new_doc()
    label_table(doc, [["企业名称", "某公司"]])
    return save(doc, tmp_path / "ok.docx")


def _expect(path: Path, corpus, code: str, words: str) -> DraftError:
    with pytest.raises(DraftError) as e:
        read_draft(path, corpus.programmes[PID], corpus)
    err = e.value
    assert err.code == code, str(err)
    assert CJK.search(str(err)) and words in str(err)
    assert "\n" not in str(err) and "Traceback" not in str(err)
    return err


def test_pdf(tmp_path, corpus):
    p = tmp_path / "a.docx"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    _expect(p, corpus, "pdf", "PDF")


def _ole2(*streams: str) -> bytes:
    body = b"".join(s.encode("utf-16-le") + b"\x00" * 10 for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 512


def test_legacy_doc(tmp_path, corpus):
    p = tmp_path / "old.doc"
    p.write_bytes(_ole2("Root Entry", "WordDocument", "1Table"))
    _expect(p, corpus, "legacy_doc", ".doc")


def test_encrypted_docx_is_an_ole2_container(tmp_path, corpus):
    p = tmp_path / "secret.docx"
    p.write_bytes(_ole2("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    _expect(p, corpus, "encrypted", "加密")


def test_renamed_text_file(tmp_path, corpus):
    p = tmp_path / "申报书.docx"
    p.write_text("江苏省工业互联网标杆工厂申报书\n企业名称：某公司\n", encoding="utf-8")
    _expect(p, corpus, "plain_text", "纯文本")


def test_renamed_gbk_text_file(tmp_path, corpus):
    p = tmp_path / "b.docx"
    p.write_bytes("企业名称 某公司 申报书正文".encode("gbk"))
    _expect(p, corpus, "plain_text", "纯文本")


def test_html_saved_as_doc(tmp_path, corpus):
    p = tmp_path / "c.docx"
    p.write_text("<html><body><p>申报书</p></body></html>", encoding="utf-8")
    _expect(p, corpus, "html", "网页")


def test_corrupt_zip(tmp_path, corpus):
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    _expect(p, corpus, "corrupt", "损坏")


def test_truncated_docx(tmp_path, corpus):
    data = _valid_docx(tmp_path).read_bytes()
    p = tmp_path / "cut.docx"
    p.write_bytes(data[: len(data) // 2])
    _expect(p, corpus, "corrupt", "损坏")


def test_broken_xml_inside_a_valid_zip(tmp_path, corpus):
    src = _valid_docx(tmp_path)
    p = tmp_path / "badxml.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    _expect(p, corpus, "corrupt", "损坏")


def test_excel_file(tmp_path, corpus):
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    _expect(p, corpus, "xlsx", "Excel")


def test_file_over_20_mb_is_refused_before_reading(tmp_path, corpus):
    p = tmp_path / "huge.docx"
    with p.open("wb") as fh:  # sparse: the size is checked with stat, nothing is read
        fh.truncate(MAX_FILE_BYTES + 1)
    err = _expect(p, corpus, "too_large", "20.0 MB")
    assert "过大" in str(err)


def test_zip_bomb_by_compression_ratio(tmp_path, corpus):
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (15 * 1024 * 1024))
    assert p.stat().st_size < 1024 * 1024
    _expect(p, corpus, "zip_bomb", "压缩炸弹")


def _patch_declared_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in every central-directory entry."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        out[pos + 24 : pos + 28] = struct.pack("<I", size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_zip_bomb_by_declared_size(tmp_path, corpus):
    data = _valid_docx(tmp_path).read_bytes()
    p = tmp_path / "declared.docx"
    p.write_bytes(_patch_declared_size(data, 0xF0000000))
    _expect(p, corpus, "zip_bomb", "压缩炸弹")


def test_lying_header_smaller_than_content(tmp_path, corpus):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document/>" * 1000)
    p = tmp_path / "liar.docx"
    p.write_bytes(_patch_declared_size(buf.getvalue(), 10))
    with pytest.raises(DraftError) as e:
        read_draft(p, corpus.programmes[PID], corpus)
    assert e.value.code in ("zip_bomb", "corrupt")
    assert CJK.search(str(e.value))


def test_empty_document(tmp_path, corpus):
    p = save(new_doc(), tmp_path / "empty.docx")
    _expect(p, corpus, "empty", "未在文件中找到申报书内容")


def test_document_without_any_form_field(tmp_path, corpus):
    doc = new_doc("关于2022年度工作的总结")
    doc.add_paragraph("今年我们完成了很多工作。")
    label_table(doc, [["月份", "产量"], ["一月", "100"]])
    _expect(save(doc, tmp_path / "letter.docx"), corpus, "empty", "未在文件中找到申报书内容")


def test_zero_byte_file(tmp_path, corpus):
    p = tmp_path / "zero.docx"
    p.write_bytes(b"")
    _expect(p, corpus, "empty", "未在文件中找到申报书内容")


def test_missing_file_and_directory(tmp_path, corpus):
    _expect(tmp_path / "nope.docx", corpus, "not_found", "找不到文件")
    _expect(tmp_path, corpus, "not_a_file", "不是文件")


def test_random_binary(tmp_path, corpus):
    p = tmp_path / "r.docx"
    p.write_bytes(bytes(range(256)) * 20)
    _expect(p, corpus, "unknown_format", "无法识别")


def test_detect_programme_raises_the_same_errors(tmp_path, corpus):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(DraftError) as e:
        detect_programme(p, corpus)
    assert e.value.code == "pdf"
