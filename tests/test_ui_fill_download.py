"""检查申报书 page: the values supplied for unknown findings written back into the
uploaded .docx and downloaded (Streamlit AppTest); the writer is tested in
test_word_fill.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import DOCX_MIME, PROGRAMME, docx_bytes, json_bytes, page, salary_draft, use_data_dir

from app.checking import check_draft
from app.ui.fill_download import FILLED_KEY, LABEL, FilledDocx
from corpus.loader import default_corpus
from ingestion.drafts import read_draft


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def _upload(name: str, data: bytes, mime: str) -> AppTest:
    at = page("check")
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    at.file_uploader(key="check_upload").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at


def test_supplied_statements_are_written_back_into_the_uploaded_docx(data_dir: Path, tmp_path: Path) -> None:
    unstated = salary_draft()
    unstated["attestations"] = {}  # the seven 是/否 statements left blank in the form
    at = _upload("申报书.docx", docx_bytes(unstated, tmp_path), DOCX_MIME)
    assert LABEL not in [b.label for b in at.download_button]  # nothing supplied yet
    for r in at.radio:
        r.set_value("是")
    at.form_submit_button[0].click().run()
    assert not at.exception and not at.error
    assert LABEL in [b.label for b in at.download_button]
    built = at.session_state[FILLED_KEY]
    assert isinstance(built, FilledDocx) and built.data is not None and not built.problems
    out = tmp_path / "申报书-已填写.docx"
    out.write_bytes(built.data)
    corpus = default_corpus()
    spec = corpus.programme(PROGRAMME)
    draft = read_draft(out, spec, corpus)
    assert len(draft.attestations) == 7 and all(draft.attestations.values())
    report = check_draft(draft, spec, corpus, out.name)
    statuses = {f.id: f.status for f in report.findings}
    # the statements now pass; the salaries still do not count (一、申报条件 2), as before
    assert "unknown" not in statuses.values()
    assert statuses[f"{PROGRAMME}:investment-min"] == "fail"


def test_a_json_upload_gets_no_filled_docx(data_dir: Path, tmp_path: Path) -> None:
    unstated = salary_draft()
    unstated["attestations"] = {}
    at = _upload("草稿.json", json_bytes(unstated), "application/json")
    for r in at.radio:
        r.set_value("是")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert LABEL not in [b.label for b in at.download_button]
