"""``shenbao check PATH --section NAME``: one section of the form checked by
its own rules (and the evidence review of what it claims), without the rest of
the form reported as unknown (issue 12 item 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from app.cli import app
from app.sections import find_target, section_rules
from corpus.loader import default_corpus

runner = CliRunner()
EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "nt-smart-factory-2022" / "问题示例-划型与字数.docx"
)


def run(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_a_section_is_found_by_id_or_title_and_keeps_only_its_own_rules() -> None:
    spec = default_corpus().programme("nt-smart-factory-2022")
    assert find_target(spec, "scenarios") == find_target(spec, "重点环节具体场景描述")
    assert find_target(spec, "总体情况").id == "general"  # printed as 二、总体情况
    table = find_target(spec, "scenarios")
    ids = {r.id for r in section_rules(spec, table, set())}
    assert ids == {"scenario-table-filled", "scenario-table-limits", "results-quantified"}
    # the 环节 check reads the factory type too: only when the writer states it
    assert "scenario-link-valid" in {r.id for r in section_rules(spec, table, {"factory_type"})}


def test_a_text_section_over_its_limit_fails_and_nothing_else_is_reported(tmp_path: Path) -> None:
    overview = tmp_path / "总体描述.txt"
    overview.write_text("智" * 1046, encoding="utf-8")
    res = run("check", overview, "-p", "js-iif-2022", "--section", "项目总体描述")
    assert res.exit_code == 1, res.output  # an error-severity limit failed
    data = json.loads(res.stdout)
    assert [(f["id"], f["status"]) for f in data["findings"]] == [("js-iif-2022:overview-length", "fail")]
    assert "1046 字，超过 1000 字上限" in data["findings"][0]["message"]


def test_a_table_section_from_a_docx_gets_its_rules_and_evidence() -> None:
    res = run(
        "check", EXAMPLE, "-p", "nt-smart-factory-2022", "--section", "scenarios", "--factory-type", "离散型"
    )
    data = json.loads(res.stdout)
    statuses = {f["id"].split(":")[1]: f["status"] for f in data["findings"]}
    # the example's planted mistakes in this table: a 348-字 技术方案 cell and a result without numbers
    assert statuses["scenario-table-limits"] == "fail" and statuses["results-quantified"] == "warn"
    assert statuses["scenario-link-valid"] == "pass"
    assert "unknown" not in statuses.values()
    assert [e["claim"]["id"] for e in data["evidence"]] == [f"tables.scenarios.{i}" for i in range(1, 5)]


def test_bad_section_requests_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("内容", encoding="utf-8")
    res = run("check", text, "-p", "nt-smart-factory-2022", "--section", "不存在")
    assert res.exit_code == 2 and "没有「不存在」这一部分" in res.output
    res = run("check", text, "-p", "nt-smart-factory-2022", "--section", "scenarios")
    assert res.exit_code == 2 and "须用 .docx 提供" in res.output
    res = run("check", tmp_path, "-p", "nt-smart-factory-2022", "--section", "intro")
    assert res.exit_code == 2 and "只检查一个文件" in res.output


def test_a_docx_holding_only_a_part_without_any_field_of_the_form(tmp_path: Path) -> None:
    import docx

    # a Word file with only the 企业简介's text (no heading): the reader finds no field of the
    # form, the section check takes the document's text ("不超过500字": 501 字 fails)
    intro = tmp_path / "企业简介.docx"
    d = docx.Document()
    d.add_paragraph("智" * 501)
    d.save(str(intro))
    res = run("check", intro, "-p", "nt-smart-factory-2022", "--section", "企业简介")
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert [(f["id"], f["status"]) for f in data["findings"]] == [
        ("nt-smart-factory-2022:intro-length", "fail")
    ]
    assert "501 字，超过 500 字上限" in data["findings"][0]["message"]
    # a table whose header is not the form's: the table is not found (not "no form content")
    other = tmp_path / "别的表.docx"
    d = docx.Document()
    d.add_table(rows=2, cols=2).cell(0, 0).text = "甲"
    d.save(str(other))
    res = run("check", other, "-p", "nt-smart-factory-2022", "--section", "scenarios")
    assert res.exit_code == 2 and "没有找到表格「重点环节具体场景描述」" in res.output
    # an empty file stays an empty file
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    res = run("check", empty, "-p", "nt-smart-factory-2022", "--section", "scenarios")
    assert res.exit_code == 2 and "文件是空的" in res.output
