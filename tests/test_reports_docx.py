"""``shenbao check -f docx``: the report as a Word document, opened with
python-docx — title, verdict, the summary table, findings grouped by status
with each clause quoted, the evidence review; a batch as a folder of reports
with an index."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
from typer.testing import CliRunner

from app.cli import app
from app.reports.common import STATUS_LABELS, STATUS_ORDER
from app.reports.docx_report import QUOTE_STYLE, render_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
runner = CliRunner()


def _json_report(path: Path, pid: str) -> dict:
    result = runner.invoke(app, ["check", str(path), "-p", pid, "--no-history"])
    return json.loads(result.stdout)


def test_one_draft_report_has_title_summary_grouped_findings_and_quotes(tmp_path):
    src = EXAMPLES / "nt-smart-factory-2022" / "问题示例-划型与字数.docx"
    out = tmp_path / "报告.docx"
    result = runner.invoke(
        app, ["check", str(src), "-p", "nt-smart-factory-2022", "-f", "docx", "-o", str(out), "--no-history"]
    )
    assert result.exit_code == 1  # the example fails an error rule
    want = _json_report(src, "nt-smart-factory-2022")
    doc = docx.Document(str(out))
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text.startswith("申报书检查报告：")
    assert "结论：不通过" in [p.text for p in paras]
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == ["状态", "条数"]
    rows = {r.cells[0].text: r.cells[1].text for r in summary.rows[1:]}
    assert rows == {
        **{STATUS_LABELS[s]: str(want["summary"][s]) for s in STATUS_ORDER},
        "合计": str(len(want["findings"])),
    }
    # groups in the order fail, warn, unknown, pass, n/a; each finding's clause quoted
    groups = [p.text for p in paras if p.style.name == "Heading 1" and "（" in p.text and p.text[0] != "证"]
    present = [s for s in STATUS_ORDER if want["summary"][s]]
    assert groups == [f"{STATUS_LABELS[s]}（{want['summary'][s]}）" for s in present]
    titles = [p.text for p in paras if p.style.name == "Heading 3"]
    assert len(titles) == len(want["findings"])
    quotes = [p.text for p in paras if p.style.name == QUOTE_STYLE]
    for f in want["findings"]:
        assert any(f["id"] in t for t in titles)
        assert f["citation"]["text"] in quotes
    fail_ids = [f["id"] for f in want["findings"] if f["status"] == "fail"]
    assert all(fid in titles[i] for i, fid in enumerate(fail_ids))  # fails come first
    # the evidence review and its table
    assert any(p.text.startswith("证据审阅（") for p in paras)
    ev = doc.tables[-1]
    assert [c.text for c in ev.rows[0].cells] == ["申报内容", "结论", "缺少", "位置", "说明"]
    assert len(ev.rows) == 1 + len(want["evidence"])


def test_batch_report_is_a_folder_with_an_index(tmp_path):
    out = tmp_path / "reports"
    folder = EXAMPLES / "js-iif-2022"
    result = runner.invoke(
        app, ["check", str(folder), "-p", "js-iif-2022", "-f", "docx", "-o", str(out), "--no-history"]
    )
    assert result.exit_code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["index.docx", "合规示例.docx", "问题示例-工资凑数.docx"]
    index = docx.Document(str(out / "index.docx"))
    table = index.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["文件", "结论"]
    verdicts = {Path(r.cells[0].text).name: r.cells[1].text for r in table.rows[1:]}
    assert verdicts == {"合规示例.docx": "通过", "问题示例-工资凑数.docx": "不通过"}
    assert {r.cells[-1].text for r in table.rows[1:]} == {"合规示例.docx", "问题示例-工资凑数.docx"}


def test_unreadable_draft_and_control_characters_in_names(tmp_path):
    from app.checking import FileError

    data = render_docx(FileError(file="坏\x1b[31m.docx", programme="js-iif-2022", error="文件已损坏"), "标题")
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "申报书检查报告：坏\\x1b[31m.docx"
    assert "结论：无法检查" in texts and "文件已损坏" in texts


def test_docx_needs_an_output_path():
    src = EXAMPLES / "js-iif-2022" / "合规示例.docx"
    result = runner.invoke(app, ["check", str(src), "-p", "js-iif-2022", "-f", "docx", "--no-history"])
    assert result.exit_code == 2 and "--out" in result.output
