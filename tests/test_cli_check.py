"""``shenbao check`` / ``template`` and the older commands through typer's CliRunner."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from test_cli_fixtures import PROGRAMME, good_draft, salary_draft, write_json
from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()

REPORT_KEYS = {"file", "programme", "summary", "findings", "evidence", "notes"}
FINDING_KEYS = {"id", "status", "severity", "message", "evidence", "location", "citation"}
CITATION_KEYS = {"doc", "clause", "text"}


def run(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_json_single_draft_contract_and_exit_0(tmp_path: Path) -> None:
    path = write_json(tmp_path / "a.json", good_draft())
    res = run("check", path, "--programme", PROGRAMME)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, dict)
    assert set(data) == REPORT_KEYS
    assert data["file"] == str(path)
    assert data["programme"] == PROGRAMME
    assert data["summary"] == {"pass": 30, "fail": 0, "warn": 0, "unknown": 0, "n/a": 0}
    assert isinstance(data["evidence"], list)  # evidence flags: design.md's contract, whatever their number
    for flag in data["evidence"]:
        assert {"claim", "verdict", "missing", "quotes", "citation"} <= set(flag)
    assert len(data["findings"]) == 30
    for f in data["findings"]:
        # the contract's keys plus the rule title and the document title, nothing else
        assert set(f) == FINDING_KEYS | {"title"}
        assert set(f["citation"]) == CITATION_KEYS | {"doc_title"}
        assert f["id"].startswith(f"{PROGRAMME}:")
        assert f["status"] == "pass"
    first = data["findings"][0]
    assert first["id"] == "js-iif-2022:registered-in-jiangsu"
    assert first["citation"]["doc"] == "js-iif-2022-notice"
    assert first["citation"]["text"] == "企业在江苏省境内注册"


def test_error_rule_failing_exits_1(tmp_path: Path) -> None:
    res = run("check", write_json(tmp_path / "s.json", salary_draft()), "-p", PROGRAMME)
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["summary"] == {"pass": 29, "fail": 1, "warn": 0, "unknown": 0, "n/a": 0}
    [failed] = [f for f in data["findings"] if f["status"] == "fail"]
    assert failed["id"] == "js-iif-2022:investment-min"
    assert failed["severity"] == "error"


def test_batch_with_one_bad_file_exits_2_and_reports_all(tmp_path: Path) -> None:
    write_json(tmp_path / "drafts" / "1.json", good_draft())
    (tmp_path / "drafts" / "2.docx").write_bytes(b"this is not a word file")
    write_json(tmp_path / "drafts" / "3.json", salary_draft())
    res = run("check", tmp_path / "drafts", "-p", PROGRAMME)
    assert res.exit_code == 2, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, list)
    assert [e["file"] for e in data] == [str(tmp_path / "drafts" / n) for n in ("1.json", "2.docx", "3.json")]
    assert set(data[0]) == REPORT_KEYS
    assert set(data[1]) == {"file", "programme", "error"}
    assert data[1]["programme"] == PROGRAMME
    assert isinstance(data[1]["error"], str) and data[1]["error"]
    assert data[2]["summary"]["fail"] == 1
    assert "无法检查" in res.stderr and "2.docx" in res.stderr


def test_folder_with_one_draft_is_still_a_batch(tmp_path: Path) -> None:
    write_json(tmp_path / "only.json", good_draft())
    res = run("check", tmp_path, "-p", PROGRAMME)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert isinstance(data, list) and len(data) == 1


def test_two_files_exit_1_when_one_fails(tmp_path: Path) -> None:
    a = write_json(tmp_path / "a.json", good_draft())
    b = write_json(tmp_path / "b.json", salary_draft())
    res = run("check", a, b, "-p", PROGRAMME)
    assert res.exit_code == 1
    assert [e["summary"]["fail"] for e in json.loads(res.stdout)] == [0, 1]


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_binary_or_page_formats_need_out(tmp_path: Path, fmt: str) -> None:
    res = run("check", write_json(tmp_path / "a.json", good_draft()), "-p", PROGRAMME, "-f", fmt)
    assert res.exit_code == 2
    assert "--out" in res.stderr
    assert res.stdout == ""


def test_unknown_programme_lists_valid_ids(tmp_path: Path) -> None:
    res = run("check", write_json(tmp_path / "a.json", good_draft()), "-p", "no-such")
    assert res.exit_code == 2
    assert "未知的申报项目 id「no-such」" in res.stderr
    assert "js-iif-2022" in res.stderr and "nt-smart-factory-2022" in res.stderr


def test_unknown_format_is_usage_error(tmp_path: Path) -> None:
    res = run("check", write_json(tmp_path / "a.json", good_draft()), "-p", PROGRAMME, "-f", "pdf")
    assert res.exit_code == 2
    assert "不支持的格式「pdf」" in res.stderr


def test_markdown_to_stdout(tmp_path: Path) -> None:
    res = run("check", write_json(tmp_path / "s.json", salary_draft()), "-p", PROGRAMME, "-f", "md")
    assert res.exit_code == 1
    out = res.stdout
    assert out.startswith("# 申报书检查报告：")
    assert "- 结论：**不通过**" in out
    assert out.index("## 不通过（1）") < out.index("## 通过（29）")
    assert "`js-iif-2022:investment-min`" in out


def test_json_to_file(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = run("check", write_json(tmp_path / "a.json", good_draft()), "-p", PROGRAMME, "--out", out)
    assert res.exit_code == 0
    assert res.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["pass"] == 30


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_batch_pages_into_folder_with_index(tmp_path: Path, fmt: str) -> None:
    write_json(tmp_path / "in" / "a" / "x.json", good_draft())
    write_json(tmp_path / "in" / "b" / "x.json", salary_draft())
    out = tmp_path / "reports"
    res = run("check", tmp_path / "in", "-p", PROGRAMME, "-f", fmt, "--out", out)
    assert res.exit_code == 1, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"index.{fmt}", f"x.{fmt}", f"x-2.{fmt}"])
    index = (out / f"index.{fmt}").read_text(encoding="utf-8")
    assert f"x.{fmt}" in index and f"x-2.{fmt}" in index
    assert "不通过" in (out / f"x-2.{fmt}").read_text(encoding="utf-8")


def test_single_html_to_file(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = run(
        "check", write_json(tmp_path / "a.json", good_draft()), "-p", PROGRAMME, "-f", "html", "-o", out
    )
    assert res.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_template_calls_write_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Path]] = []

    def fake_write_template(spec: Any, corpus: Any, out: Path) -> None:
        calls.append((spec.id, out))
        out.write_bytes(b"PK")

    fake = types.ModuleType("app.templates")
    fake.write_template = fake_write_template  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.templates", fake)
    out = tmp_path / "form.docx"
    res = run("template", "--programme", PROGRAMME, "--out", out)
    assert res.exit_code == 0, res.output
    assert calls == [(PROGRAMME, out)]
    assert run("template", "--programme", "nope", "--out", out).exit_code == 2
    assert run("template", "--programme", PROGRAMME, "--out", tmp_path / "form.pdf").exit_code == 2


def test_existing_commands_still_work() -> None:
    res = run("programmes", "--format", "json")
    assert res.exit_code == 0
    assert PROGRAMME in {p["id"] for p in json.loads(res.stdout)}
    res = run("rules", "--programme", PROGRAMME, "--format", "json")
    assert res.exit_code == 0
    assert len(json.loads(res.stdout)) == 30
    assert run("rules", "--programme", "nope").exit_code == 2
    assert run("kinds").exit_code == 0
    assert run("validate").exit_code == 0


def test_progress_only_for_batches_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import _progress

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    with _progress(1) as none:
        assert none is None
    with _progress(3) as advance:
        assert advance is not None
        for i in range(1, 4):
            advance(i, 3, Path(f"[/x{i}].docx"))
    monkeypatch.delenv("TTY_COMPATIBLE")
    monkeypatch.delenv("FORCE_COLOR")
    with _progress(3) as off:
        assert off is None  # CliRunner's stderr is not a terminal


def test_docx_from_template_round_trip(tmp_path: Path) -> None:
    form = tmp_path / "form.docx"
    assert run("template", "-p", PROGRAMME, "-o", form).exit_code == 0
    res = run("check", form, "-p", PROGRAMME)
    assert res.exit_code == 1, res.output  # a blank form misses required data
    data = json.loads(res.stdout)
    assert set(data) == REPORT_KEYS
    assert sum(data["summary"].values()) == 30
    assert data["summary"]["pass"] < 30
    other = run("check", form, "-p", "nt-smart-factory-2022")
    assert other.exit_code == 2
    [title_iif, title_nt] = [
        next(p["title"] for p in json.loads(run("programmes", "-f", "json").stdout) if p["id"] == pid)
        for pid in (PROGRAMME, "nt-smart-factory-2022")
    ]
    error = json.loads(other.stdout)["error"]
    assert error.startswith(f"该文件是「{title_iif}」（{PROGRAMME}）的申报书，不是所选申报项目「{title_nt}」")
    assert "请选择正确的申报项目" in error


def test_eval_runs_the_checker_eval_with_its_own_arguments(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["eval", "checkers", "-p", "nt-smart-factory-2022", "--summary", "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "100% agreement" in res.output
    data = json.loads((tmp_path / "checkers-nt-smart-factory-2022.json").read_text(encoding="utf-8"))
    # written where --out said (not into eval/results), for the one programme asked for
    assert data["programme"] == "nt-smart-factory-2022" and data["disagreements"] == []


def test_eval_unknown_suite_and_help() -> None:
    res = runner.invoke(app, ["eval", "speed"])
    assert res.exit_code == 2 and "未知的评测「speed」" in res.output and "retrieval" in res.output
    res = runner.invoke(app, ["eval", "--help"])
    assert res.exit_code == 0 and "checkers" in res.output
    res = runner.invoke(app, ["eval", "checkers", "--no-such-flag"])
    assert res.exit_code == 2


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_a_lone_surrogate_in_one_json_draft_fails_that_file_only(tmp_path: Path, fmt: str) -> None:
    """Issue 10 item 11: a lone surrogate ("\\ud800") in a JSON draft gave a
    traceback, exit 1 and a 0-byte report. Now: a Chinese error for that
    file, exit 2, and the rest of the batch is checked and written."""
    write_json(tmp_path / "drafts" / "1.json", good_draft())
    bad = json.dumps(good_draft(), ensure_ascii=False).replace('"name": "', '"name": "\\ud800', 1)
    (tmp_path / "drafts" / "2.json").write_text(bad, encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    res = run("check", tmp_path / "drafts", "-p", PROGRAMME, "-f", fmt, "--out", out, "--no-history")
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert out.stat().st_size > 0
    assert "无法检查" in res.stderr and "2.json" in res.stderr and "\\ud800" in res.stderr
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data[0]["summary"]["fail"] == 0
        assert "无效的 Unicode 转义" in data[1]["error"]
