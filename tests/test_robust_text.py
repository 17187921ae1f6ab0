"""Issue #10 items 11 and 13: file names that are not UTF-8, text UTF-8 cannot
encode, control and bidi characters — from the file system or a draft — must
not crash a report or the review store, nor act on the terminal, nor reach a
report's file name; reports are written all or nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from app.checking import BatchResult, Report, check_paths
from app.cli import app
from app.reports.html import render_html
from app.reports.json_report import render_json
from app.reports.markdown import render_markdown
from app.reports.output import report_names, write_reports
from app.reports.xlsx import MATRIX_SHEET, write_xlsx
from app.store import ReviewStore
from core.findings import Evidence, Measure, summarize
from corpus.loader import Corpus
from tests.test_cli_fixtures import PROGRAMME, good_draft, salary_draft, write_json

runner = CliRunner()
EXAMPLE_DOCX = Path(__file__).resolve().parents[1] / "examples" / "js-iif-2022" / "合规示例.docx"
GBK_NAME = "申报书.docx".encode("gbk")  # what unzip leaves from a zip made on Windows
BIDI = "\u202e"
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", BIDI)


def _gbk_batch(folder: Path) -> Path:
    """A folder with two good JSON drafts and a real .docx whose name is GBK bytes."""
    folder.mkdir()
    write_json(folder / "a-good.json", good_draft())
    write_json(folder / "b-salary.json", salary_draft())
    gbk_path = os.path.join(os.fsencode(folder), GBK_NAME)
    shutil.copyfile(EXAMPLE_DOCX, gbk_path)
    assert os.path.exists(gbk_path)
    return folder


def _db(data: Path) -> str:
    return f"sqlite:///{data / 'shenbao.db'}"


# -- item 11: a file name that is not UTF-8, in a folder batch ----------------------------


@pytest.mark.parametrize("fmt", ["json", "md", "html", "xlsx"])
def test_gbk_file_name_in_a_folder_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    folder = _gbk_batch(tmp_path / "drafts")
    data = tmp_path / "data"
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(data))
    out = tmp_path / f"out.{fmt}" if fmt in ("json", "xlsx") else tmp_path / "out"
    res = runner.invoke(app, ["check", str(folder), "-p", PROGRAMME, "-f", fmt, "-o", str(out)])

    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 2  # the file that cannot be used decides the exit code
    refusals = [line for line in res.stderr.splitlines() if line.startswith("无法检查")]
    assert len(refusals) == 1
    assert "不是 UTF-8" in refusals[0] and "申报书.docx" in refusals[0]  # the name read as GBK

    # the rest of the batch is reported ...
    if fmt == "json":
        entries = json.loads(out.read_text(encoding="utf-8"))
        assert [("error" in e) for e in entries] == [False, False, True]
        assert entries[2]["file"].endswith(".docx") and "不是 UTF-8" in entries[2]["error"]
    elif fmt == "xlsx":
        ws = load_workbook(out)[MATRIX_SHEET]
        assert [ws.cell(row=r, column=2).value for r in (2, 3, 4)] == ["通过", "不通过", "无法检查"]
    else:
        pages = sorted(p.name for p in out.iterdir())
        assert len(pages) == 4 and f"index.{fmt}" in pages
        assert all(p.stat().st_size > 0 for p in out.iterdir())
        assert all(not any(0xD800 <= ord(c) <= 0xDFFF for c in name) for name in pages)
    # ... and stored; the unusable file is not
    with ReviewStore(_db(data)) as store:
        assert store.count_rows()["runs"] == 2
        assert len(store.history(str(folder / "a-good.json"), PROGRAMME)) == 1


def test_surrogates_in_draft_text_reach_every_report_and_the_store(tmp_path: Path, corpus: Corpus) -> None:
    """Defensive: whatever the reader lets through, a lone surrogate in a
    finding (message, evidence, location) neither crashes a writer nor leaves a
    0-byte report, and the store keeps the rest of the text."""
    write_json(tmp_path / "d" / "a.json", good_draft())
    result = check_paths([tmp_path / "d"], PROGRAMME, corpus)
    report = result.reports[0]
    bad = report.findings[0].model_copy(
        update={
            "message": "名称「A\ud800B」",
            "location": "第\udcc9段",
            "evidence": Evidence(
                values=(
                    # keys and labels refuse surrogates (pydantic's length check); values may hold them
                    Measure(key="名称", label="名称", value="A\ud800B"),
                    Measure(key="列表", label="列表", value=["\udcff"]),
                )
            ),
        }
    )
    findings = [bad, *report.findings[1:]]
    report = Report(file=report.file, programme=PROGRAMME, summary=summarize(findings), findings=findings)
    result = BatchResult(spec=result.spec, entries=[report], is_batch=True)

    data = json.loads(render_json(result))
    assert data[0]["findings"][0]["message"] == "名称「A\ufffdB」"
    assert data[0]["findings"][0]["location"] == "第\\xc9段"  # the undecodable byte, shown
    assert "A\ufffdB" in render_markdown(report)
    assert "A\ufffdB" in render_html(report)
    for fmt, out in (("json", tmp_path / "r.json"), ("html", tmp_path / "r"), ("md", tmp_path / "m")):
        written = write_reports(result, fmt, out)
        assert all(p.stat().st_size > 0 and p.read_text(encoding="utf-8") for p in written)
    write_xlsx(result, tmp_path / "r.xlsx")
    assert load_workbook(tmp_path / "r.xlsx")[MATRIX_SHEET].max_row == 2

    with ReviewStore(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        run = store.record_run(report.file, "0" * 64, PROGRAMME, findings, "v1")
        stored = store.get_run(run.id).findings[0]
    assert stored.message == "名称「A\ufffdB」" and stored.location == "第\\xc9段"
    assert stored.evidence.as_dict() == {"名称": "A\ufffdB", "列表": ["\\xff"]}


def test_store_keeps_a_surrogate_escaped_file_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xc9\xea.docx")
    with ReviewStore(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        run = store.record_run(name, "0" * 64, PROGRAMME, [], "v1")
        assert store.get_run(run.id).file_name == "\\xc9\\xea.docx"


# -- atomic report files ---------------------------------------------------------------


def _batch(tmp_path: Path, corpus: Corpus) -> BatchResult:
    write_json(tmp_path / "d" / "a.json", good_draft())
    write_json(tmp_path / "d" / "b.json", salary_draft())
    return check_paths([tmp_path / "d"], PROGRAMME, corpus)


def test_a_failed_write_leaves_the_previous_report(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _batch(tmp_path, corpus)
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")

    def disk_full(self: Path, data: bytes) -> int:
        with self.open("wb") as f:
            f.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError):
        write_reports(result, "json", out)
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "report.json"]  # no temporary file left


def test_a_failed_xlsx_save_leaves_no_partial_workbook(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _batch(tmp_path, corpus)
    out = tmp_path / "m.xlsx"

    def crash(self: Workbook, filename: str | Path) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", crash)
    with pytest.raises(OSError):
        write_xlsx(result, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_reports_get_the_usual_permissions(tmp_path: Path, corpus: Corpus) -> None:
    result = _batch(tmp_path, corpus)
    old = os.umask(0o022)
    try:
        (written,) = write_reports(result, "json", tmp_path / "r.json")
    finally:
        os.umask(old)
    assert written.stat().st_mode & 0o777 == 0o644


# -- item 13: control and bidi characters ------------------------------------------------


def test_controls_in_file_names_and_draft_text_do_not_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "data"))
    draft = good_draft()
    draft["enterprise"]["registered_address"] = "上海市\x1b[2J浦东新区\x07"  # fails registered-in-jiangsu
    name = f"a\x1b[31m{BIDI}gpj.json"
    write_json(tmp_path / name, draft)
    write_json(tmp_path / "bad\x07.json", {"programme": PROGRAMME, "enterprise": "not an object"})

    for fmt in ("md", "json"):
        res = runner.invoke(app, ["check", name, "bad\x07.json", "-p", PROGRAMME, "-f", fmt])
        assert res.exit_code == 2
        for stream in (res.stdout, res.stderr):
            assert not any(c in stream for c in TERMINAL_CONTROLS), (fmt, stream)
        assert "a\\x1b[31m\\u202egpj.json" in res.stderr  # the name is shown, escaped
        assert "bad\\x07.json" in res.stderr
    entries = json.loads(res.stdout)  # the JSON escapes are lossless
    assert entries[0]["file"] == name
    evidence = [f["evidence"] for f in entries[0]["findings"] if f["id"].endswith("registered-in-jiangsu")]
    assert "上海市\x1b[2J浦东新区\x07" in [m["value"] for m in evidence[0]["values"]]


def test_controls_in_html_and_xlsx_reports(tmp_path: Path, corpus: Corpus) -> None:
    name = f"a\x1b[31m{BIDI}gpj.json"
    write_json(tmp_path / "d" / name, good_draft())
    result = check_paths([tmp_path / "d"], PROGRAMME, corpus)
    html = render_html(result.entries[0])
    assert not any(c in html for c in TERMINAL_CONTROLS)
    assert "a\\x1b[31m\\u202egpj.json" in html
    write_xlsx(result, tmp_path / "m.xlsx")  # openpyxl refuses ESC in a cell
    cell = load_workbook(tmp_path / "m.xlsx")[MATRIX_SHEET].cell(row=2, column=1).value
    assert str(cell).endswith("a\\x1b[31m\\u202egpj.json")


def test_bidi_characters_never_reach_a_report_file_name(tmp_path: Path, corpus: Corpus) -> None:
    names = report_names([f"rtl{BIDI}gpj.docx", "zero\u200bwidth.docx", "bell\x07.docx"], ".html")
    assert list(names.values()) == ["rtl_gpj.html", "zero_width.html", "bell.html"]

    write_json(tmp_path / "d" / f"rtl{BIDI}gpj.json", good_draft())
    write_json(tmp_path / "d" / "b.json", good_draft())
    result = check_paths([tmp_path / "d"], PROGRAMME, corpus)
    written = write_reports(result, "html", tmp_path / "out")
    assert sorted(p.name for p in written) == ["b.html", "index.html", "rtl_gpj.html"]
