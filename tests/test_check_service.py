"""The check service (``app/check_service.py``) without Streamlit: uploads,
re-checks, staged batches, the record of each check and the batch matrix."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_cli_fixtures import PROGRAMME, good_draft, salary_draft
from test_ui_fixtures import json_bytes

from app.check_service import CheckService, matrix_rows
from app.checking import BatchResult, CheckError
from app.history import ReviewStores
from app.store import ReviewStore
from app.uploads import stage_uploads
from core.draft import Draft
from corpus.loader import default_corpus
from ingestion.drafts import DraftError


def service(tmp_path: Path) -> CheckService:
    """A check service recording into a SQLite file under ``tmp_path``."""
    return CheckService(default_corpus(), ReviewStores(f"sqlite:///{tmp_path / 'review.db'}"))


def runs(tmp_path: Path) -> int:
    with ReviewStore(f"sqlite:///{tmp_path / 'review.db'}") as store:
        return store.count_rows()["runs"]


def test_upload_is_checked_stored_and_compared(tmp_path: Path) -> None:
    svc = service(tmp_path)
    spec = svc.corpus.programme(PROGRAMME)
    first = svc.check_upload("../客户/申报书.json", json_bytes(salary_draft()), spec)
    assert first.file_name == "申报书.json" and first.programme == PROGRAMME
    assert first.changes is None and first.store_note is None
    assert first.report.has_error and len(first.sha256) == 64
    second = svc.check_upload("申报书.json", json_bytes(good_draft()), spec)
    assert second.changes is not None and [c.rule_id for c in second.changes.fixed] == [
        f"{PROGRAMME}:investment-min"
    ]
    assert runs(tmp_path) == 2
    svc.stores.close()


def test_unusable_uploads_raise_and_store_nothing(tmp_path: Path) -> None:
    svc = service(tmp_path)
    spec = svc.corpus.programme(PROGRAMME)
    with pytest.raises(DraftError, match="不支持的文件类型"):
        svc.check_upload("a.pdf", b"%PDF", spec)
    other = {**good_draft(), "programme": "nt-smart-factory-2022"}
    with pytest.raises(CheckError, match="不是所选申报项目"):
        svc.check_upload("b.json", json_bytes(other), spec)
    assert not (tmp_path / "review.db").exists()


def test_follow_form_checks_against_the_programme_the_draft_belongs_to(tmp_path: Path) -> None:
    # issue #10 item 14: the chosen programme is 5G工厂, the upload a js-iif-2022 draft
    svc = service(tmp_path)
    chosen = svc.corpus.programme("js-5g-factory")
    checked = svc.check_upload("a.json", json_bytes(salary_draft()), chosen, follow_form=True)
    assert checked.programme == PROGRAMME and checked.switched_from == "js-5g-factory"
    assert checked.report.programme == PROGRAMME
    assert f"{PROGRAMME}:investment-min" in {f.id for f in checked.report.findings}
    assert runs(tmp_path) == 1
    same = svc.check_upload(
        "b.json", json_bytes(salary_draft()), svc.corpus.programme(PROGRAMME), follow_form=True
    )
    assert same.programme == PROGRAMME and same.switched_from is None
    with pytest.raises(CheckError, match="不是本系统收录的申报项目"):
        svc.check_upload(
            "c.json", json_bytes({**good_draft(), "programme": "nope"}), chosen, follow_form=True
        )
    assert runs(tmp_path) == 2
    svc.stores.close()


def test_a_store_failure_is_a_note_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    svc = CheckService(default_corpus(), ReviewStores(f"sqlite:///{blocker / 'sub' / 'x.db'}"))
    checked = svc.check_upload("a.json", json_bytes(good_draft()), svc.corpus.programme(PROGRAMME))
    assert checked.report.findings and checked.changes is None
    assert checked.store_note is not None and "未能保存到审阅记录" in checked.store_note


def test_recheck_stores_nothing(tmp_path: Path) -> None:
    svc = service(tmp_path)
    spec = svc.corpus.programme(PROGRAMME)
    report = svc.recheck(Draft.model_validate(good_draft()), spec, "x.json")
    assert report.file == "x.json" and not report.has_error
    assert not (tmp_path / "review.db").exists()


def test_staged_batch_is_relabelled_and_stored(tmp_path: Path) -> None:
    svc = service(tmp_path)
    staged = stage_uploads(
        [("a.json", json_bytes(good_draft())), ("a.json", json_bytes(salary_draft())), ("c.pdf", b"x")],
        tmp_path / "staged",
    )
    done: list[int] = []
    batch = svc.check_staged(staged, svc.corpus.programme(PROGRAMME), lambda n, _t, _p: done.append(n))
    assert [e.file for e in batch.result.entries] == ["a.json", "a (2).json", "c.pdf"]
    assert batch.result.is_batch and len(batch.result.errors) == 1 and done == [1, 2, 3]
    assert batch.store_note is None and runs(tmp_path) == 2
    svc.stores.close()


def test_matrix_rows_and_xlsx_agree(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(json_bytes(salary_draft()))
    result: BatchResult = service(tmp_path).check_paths([tmp_path / "a.json"], PROGRAMME, workers=1)
    [row] = matrix_rows(result)
    assert row["结论"] == "不通过" and row["不通过"] == "1" and row["说明"] == ""
    assert row["investment-min"] == "不通过" and row["registered-in-jiangsu"] == "通过"
    from app.reports import write_xlsx

    write_xlsx(result, tmp_path / "m.xlsx")
    ws = load_workbook(tmp_path / "m.xlsx").worksheets[0]
    assert ws.cell(row=2, column=2).value == row["结论"]
