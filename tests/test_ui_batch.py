"""批量检查 page (AppTest) and the safe unpacking of uploads (``app/ui/uploads.py``)."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import (
    PROGRAMME,
    good_draft,
    json_bytes,
    page,
    salary_draft,
    store_runs,
    texts,
    use_data_dir,
)

from app.checking import BatchResult, check_paths
from app.ui import uploads
from app.ui.batch_page import matrix_rows
from app.ui.uploads import UploadError, stage_uploads
from corpus.loader import default_corpus


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def run_batch(files: list[tuple[str, bytes, str]]) -> AppTest:
    at = page("batch")
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    at.file_uploader(key="batch_upload").set_value(files).run()
    assert not at.exception
    start = [b for b in at.button if b.label.startswith("开始检查")]
    assert start, [b.label for b in at.button]
    start[0].click().run()
    assert not at.exception, at.exception
    return at


def test_zip_batch_matrix_download_and_store(data_dir: Path) -> None:
    archive = zip_bytes(
        {
            "客户A/申报书.json": json_bytes(good_draft()),
            "客户B/申报书.json": json_bytes(salary_draft()),
            "../逃逸.json": json_bytes(good_draft()),
            "说明.txt": b"ignored",
            "坏文件.docx": b"not a docx",
        }
    )
    at = run_batch([("申报书.zip", archive, "application/zip")])
    assert {m.label: m.value for m in at.metric} == {
        "申报书": "3",
        "已检查": "2",
        "不通过": "1",
        "无法检查": "1",
    }
    rows = at.dataframe[0].value
    assert list(rows["文件"]) == ["客户A/申报书.json", "客户B/申报书.json", "坏文件.docx"]
    assert list(rows["结论"]) == ["通过", "不通过", "无法检查"]
    assert rows.loc[1, "investment-min"] == "不通过"
    assert rows.loc[2, "investment-min"] == "" and "不是 Word 申报书" in rows.loc[2, "说明"]
    shown = texts(at)
    assert "路径不安全" in shown and "逃逸.json" in shown
    assert "无法检查「坏文件.docx」" in shown
    assert [b.label for b in at.download_button] == ["下载汇总表（.xlsx）"]
    assert store_runs(data_dir) == 2
    at.run()  # results stay without checking again
    assert len(at.dataframe) == 1 and store_runs(data_dir) == 2


def test_several_files_and_a_wrong_type(data_dir: Path) -> None:
    at = run_batch(
        [
            ("a.json", json_bytes(good_draft()), "application/json"),
            ("a.json", json_bytes(salary_draft()), "application/json"),
            ("说明.pdf", b"%PDF-1.4", "application/pdf"),
        ]
    )
    rows = at.dataframe[0].value
    assert list(rows["文件"]) == ["a.json", "a (2).json", "说明.pdf"]
    assert "PDF" in texts(at)
    assert store_runs(data_dir) == 2


def test_broken_zip_is_refused_with_nothing_stored(data_dir: Path) -> None:
    at = page("batch")
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    at.file_uploader(key="batch_upload").set_value([("坏.zip", b"PK\x03\x04broken", "application/zip")]).run()
    at.button[0].click().run()
    assert not at.exception
    assert "已损坏" in at.error[0].value
    assert not at.dataframe and store_runs(data_dir) == 0


def test_matrix_rows_and_xlsx_agree(tmp_path: Path) -> None:
    corpus = default_corpus()
    (tmp_path / "a.json").write_bytes(json_bytes(salary_draft()))
    result: BatchResult = check_paths([tmp_path / "a.json"], PROGRAMME, corpus, workers=1)
    [row] = matrix_rows(result)
    assert row["结论"] == "不通过" and row["不通过"] == "1" and row["说明"] == ""
    assert row["investment-min"] == "不通过" and row["registered-in-jiangsu"] == "通过"
    from app.reports import write_xlsx

    write_xlsx(result, tmp_path / "m.xlsx")
    ws = load_workbook(tmp_path / "m.xlsx").worksheets[0]
    assert ws.cell(row=2, column=2).value == row["结论"]


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
