"""The annotated draft on the pages (issue #13 item 1/3, AppTest): the check
page's 下载批注稿 button, the batch page's .zip of annotated drafts + matrix and
its 变化 table on a second run; the .zip itself through the service."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from test_ui_check import upload
from test_ui_fixtures import docx_bytes, good_draft, json_bytes, page, salary_draft, texts, use_data_dir
from test_uploads import zip_bytes

from app.checking import check_paths
from app.folder_check import bundle_zip, staged_sources
from app.reports import write_xlsx
from app.uploads import stage_uploads
from app.word.annotate import AUTHOR
from corpus.loader import default_corpus

REPO = Path(__file__).resolve().parents[1]
NT = "nt-smart-factory-2022"
GOOD = (REPO / "examples" / NT / "合规示例-离散型.docx").read_bytes()
BAD = (REPO / "examples" / NT / "问题示例-划型与字数.docx").read_bytes()
ZIP_BUTTON = "下载批注稿压缩包（.zip：每份申报书的批注稿、HTML 报告和汇总表）"


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def test_check_page_offers_the_annotated_draft(data_dir: Path, tmp_path: Path) -> None:
    at = upload(page("check"), "申报书.docx", docx_bytes(salary_draft(), tmp_path))
    labels = [b.label for b in at.download_button]
    # the salary draft fails investment-min (one finding) and its claims get evidence comments
    assert any(label.startswith("下载批注稿（.docx，") for label in labels), labels


def test_check_page_json_draft_has_no_annotated_draft(data_dir: Path) -> None:
    at = upload(page("check"), "a.json", json_bytes(good_draft()), "application/json")
    assert "无法生成批注稿" in texts(at)
    assert not any(b.label.startswith("下载批注稿") for b in at.download_button)


def _batch(at_files: list[tuple[str, bytes, str]]):  # type: ignore[no-untyped-def]
    at = page("batch")
    at.selectbox(key="programme").set_value(NT).run()
    at.file_uploader(key="batch_upload").set_value(at_files).run()
    [start] = [b for b in at.button if b.label.startswith("开始检查")]
    start.click().run()
    assert not at.exception, at.exception
    return at


def test_batch_page_zip_download_and_changes_on_a_second_run(data_dir: Path) -> None:
    first = zip_bytes({"客户A/申报书.docx": BAD, "客户B/申报书.docx": GOOD})
    at = _batch([("clients.zip", first, "application/zip")])
    assert ZIP_BUTTON in [b.label for b in at.download_button]
    assert "与上次检查相比" not in [s.value for s in at.subheader]
    # the client fixes A: the second run shows the change per draft
    second = zip_bytes({"客户A/申报书.docx": GOOD, "客户B/申报书.docx": GOOD})
    at = _batch([("clients2.zip", second, "application/zip")])
    assert "与上次检查相比" in [s.value for s in at.subheader]
    changes = at.dataframe[1].value
    row = changes[changes["文件"] == "客户A/申报书.docx"].iloc[0]
    assert (row["与上次相比"], row["已修复"], row["新增问题"]) == ("有变化", 3, 0)


def test_bundle_holds_annotated_drafts_reports_and_matrix(tmp_path: Path) -> None:
    corpus = default_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        staged = stage_uploads([("c.zip", zip_bytes({"客户A/问题.docx": BAD, "好.docx": GOOD}))], Path(tmp))
        result = check_paths([p for p, _ in staged.files], NT, corpus, workers=1)
        names = {str(p): n for p, n in staged.files}
        result.entries = [e.model_copy(update={"file": names[e.file]}) for e in result.entries]
        matrix = tmp_path / "m.xlsx"
        write_xlsx(result, matrix)
        dest = tmp_path / "bundle.zip"
        n = bundle_zip(result, staged_sources(staged), corpus, matrix, dest)
    assert n == 2
    with zipfile.ZipFile(dest) as z:
        assert sorted(z.namelist()) == sorted(
            ["汇总表.xlsx", "客户A/问题.docx", "客户A/问题.docx.html", "好.docx", "好.docx.html"]
        )
        d = docx.Document(io.BytesIO(z.read("客户A/问题.docx")))
        assert {c.author for c in d.comments} == {AUTHOR}
        assert any("size-class" in c.text for c in d.comments)
        assert load_workbook(io.BytesIO(z.read("汇总表.xlsx"))).sheetnames[0] == "矩阵"
