"""批量检查 page (AppTest); the unpacking is tested in test_uploads.py, the matrix in test_check_service.py."""

from __future__ import annotations

from pathlib import Path

import pytest
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
from test_uploads import zip_bytes


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


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
    assert [b.label for b in at.download_button] == [
        "下载汇总表（.xlsx）",
        "下载批注稿压缩包（.zip：每份申报书的批注稿、HTML 报告和汇总表）",
    ]
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
