"""Drafting a scenario row (rules-only): the facts assigned to the form's
columns, every column within the 字数 limit the checker uses, every number and
name from the facts, empty columns left empty with a note, and ``shenbao draft``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.drafting.facts import split_facts
from app.drafting.guarantees import fit_to_limit, names_not_in, numbers_not_in
from app.drafting.rules import classify
from app.drafting.service import DraftInputError, DraftService, column_limits
from app.review.rules import load_lexicon
from core.drafting import Fact
from core.text import count_zishu
from corpus.loader import Corpus, default_corpus

FACTS = """公司主要生产汽车变速箱壳体，2023年营业收入8.6亿元，员工920人。
以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。
2022年公司在机加工线末端部署了视觉检测系统，由苏州某视觉科技有限公司提供。
工业相机实时采集壳体图像，缺陷识别模型判定后自动将不合格品分拣至返修区，并将缺陷数据上传至MES。
公司制定了视觉检测运维制度，培训质检员6名。
项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。
该方案已推广至公司另外两条机加工线。"""

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def test_facts_are_numbered_sentences_and_key_value_lines_stay_whole() -> None:
    facts = split_facts("供应商：某某自动化公司\n系统上线。效率提升20%。")
    assert [(f.id, f.text) for f in facts] == [
        ("F1", "供应商：某某自动化公司"),
        ("F2", "系统上线。"),
        ("F3", "效率提升20%。"),
    ]


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("公司2023年营业收入8.6亿元，员工920人。", None),  # background: no column carries it
        ("公司现有员工920人，技术人员120人。", None),  # headcount alone is background too
        ("以往外观缺陷靠人工目检，漏检率高。", "problem"),
        ("部署了视觉检测系统，由某公司提供。", "solution"),
        ("工业相机实时采集图像，判定后自动分拣。", "solution"),
        ("公司制定了运维制度，培训质检员6名。", "support"),
        ("漏检率由2.1%降至0.3%。", "result"),
        ("该方案已推广至另外两条产线。", "other"),
    ],
)
def test_each_fact_goes_to_the_column_its_content_fits(sentence: str, role: str | None) -> None:
    assert classify(Fact(id="F1", text=sentence), load_lexicon()) == role


def test_too_long_is_cut_at_a_sentence_boundary_within_the_limit() -> None:
    text = "甲" * 100 + "。" + "乙" * 80 + "。"
    cut, fit = fit_to_limit(text, 150)
    assert (cut, fit) == ("甲" * 100 + "。", "cut")
    assert count_zishu(cut) <= 150
    one, fit = fit_to_limit("丙" * 200, 150)  # no sentence end: cut inside, still within
    assert fit == "cut" and count_zishu(one) == 150
    assert fit_to_limit("", 150) == ("", "empty")
    assert fit_to_limit("短句。", 150) == ("短句。", "as-written")


def test_a_number_not_in_the_facts_is_caught_whatever_its_spelling() -> None:
    facts = "效率提升45%，投入2,000万元，节约两千元。"
    written, invented = numbers_not_in("效率提升60%，投入2000万元，节约2000元。", facts)
    assert invented == ["60"]  # 2000 = 2,000 = 两千; 60 is nowhere in the facts
    assert "2000" in written


def test_a_name_not_in_the_facts_is_caught_but_generic_systems_are_not() -> None:
    facts = "由苏州某视觉科技有限公司提供视觉检测系统，数据上传至MES。"
    out = "由西门子公司提供视觉检测系统（Siemens），数据上传至MES。"
    assert names_not_in(out, facts, frozenset({"MES"})) == ["由西门子公司", "Siemens"]
    assert names_not_in("由苏州某视觉科技有限公司提供。", facts) == []


def test_a_nantong_row_keeps_every_guarantee(corpus: Corpus) -> None:
    spec = corpus.programme("nt-smart-factory-2022")
    row = DraftService(corpus).draft_row(spec, FACTS, "auto", factory_type="离散型")
    assert row.ok() and row.method == "rules"
    assert row.scenario == {"no": 14, "name": "在线智能检测"} and row.link == "质量管控"
    limits = column_limits(spec, "scenarios")
    assert limits == {
        "description": 150,
        "pain_points": 150,
        "solution": 300,
        "support": 150,
        "results": 200,
        "other": 150,
    }
    by_key = {c.key: c for c in row.columns}
    assert [c.key for c in row.columns] == list(limits)
    for c in row.columns:
        assert c.limit == limits[c.key] and c.count == count_zishu(c.text) <= limits[c.key]
        for sentence in c.text.split("。"):  # extractive: every sentence is the facts' own
            assert sentence in FACTS
    assert by_key["results"].text == "项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"
    assert "营业收入" not in "".join(c.text for c in row.columns)  # background is no result
    # nothing in the facts describes the scenario in general: left empty, said so, not invented
    assert by_key["description"].fit == "empty" and "未编造" in (by_key["description"].note or "")
    assert row.numbers.not_in_facts == () and row.names_not_in_facts == ()
    assert {c.doc for c in row.citations} == {"scenarios-guide-2024", "nt-2022-guide"}


def test_long_facts_are_cut_with_a_note_and_stay_within(corpus: Corpus) -> None:
    spec = corpus.programme("nt-smart-factory-2022")
    long = "\n".join(
        f"第{i}条产线部署视觉检测系统，工业相机实时采集图像并自动判定缺陷等级。" for i in range(1, 15)
    )
    row = DraftService(corpus).draft_row(spec, long, "14", factory_type="离散型")
    solution = next(c for c in row.columns if c.key == "solution")
    assert solution.fit == "cut" and solution.count <= 300 and "已在句末截断" in (solution.note or "")
    assert solution.text.endswith("。")


def test_a_one_column_table_takes_system_how_and_result(corpus: Corpus) -> None:
    row = DraftService(corpus).draft_row(corpus.programme("js-smart-factory"), FACTS, "在线智能检测")
    (only,) = row.columns
    assert only.key == "description" and only.limit is None
    assert "视觉检测系统" in only.text and "降至0.3%" in only.text and "营业收入" not in only.text


def test_bad_requests_get_a_chinese_reason(corpus: Corpus) -> None:
    svc = DraftService(corpus)
    nt = corpus.programme("nt-smart-factory-2022")
    with pytest.raises(DraftInputError, match="工厂类型"):
        svc.draft_row(nt, FACTS, "14")
    with pytest.raises(DraftInputError, match="不在"):
        svc.draft_row(nt, FACTS, "14", factory_type="离散型", link="不存在的环节")
    with pytest.raises(DraftInputError, match="材料为空"):
        svc.draft_row(nt, "  \n", "14", factory_type="离散型")
    with pytest.raises(DraftInputError, match="没有可起草的场景表或限字数的章节"):
        svc.draft_row(corpus.programme("js-gradient-2025"), FACTS, "14")  # its form: neither


def run(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_cli_json_contract(tmp_path: Path) -> None:
    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS, encoding="utf-8")
    res = run("draft", "-p", "nt-smart-factory-2022", "--facts", facts, "--factory-type", "离散型")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {
        "programme",
        "scenario",
        "link",
        "columns",
        "numbers",
        "facts_used",
        "citations",
        "method",
    }
    assert data["numbers"]["not_in_facts"] == []
    assert {"key", "title", "text", "limit", "count", "fit"} <= set(data["columns"][0])
    res = run(
        "draft", "-p", "nt-smart-factory-2022", "--facts", facts, "--factory-type", "离散型", "-f", "md"
    )
    assert res.exit_code == 0 and "（23 / 200 字，原样）" in res.stdout


def test_cli_bad_input_exit_2(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("视觉检测系统".encode("gbk"))
    res = run("draft", "-p", "nt-smart-factory-2022", "--facts", gbk, "--factory-type", "离散型")
    assert res.exit_code == 2 and "不是 UTF-8" in res.output
    ok = tmp_path / "ok.txt"
    ok.write_text(FACTS, encoding="utf-8")
    res = run("draft", "-p", "no-such", "--facts", ok)
    assert res.exit_code == 2 and "未知的申报项目" in res.output
    res = run("draft", "-p", "nt-smart-factory-2022", "--facts", ok)
    assert res.exit_code == 2 and "工厂类型" in res.output


def test_into_a_draft_and_the_blank_form_reads_back_and_passes_the_limits(
    tmp_path: Path, corpus: Corpus
) -> None:
    """``--into`` puts the row in the draft's scenario table (its own layout) or
    the blank form's; ``shenbao check`` reads it back and its limit rules pass."""
    from ingestion.drafts import read_draft

    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS, encoding="utf-8")
    spec = corpus.programme("nt-smart-factory-2022")
    example = (
        Path(__file__).resolve().parents[1] / "examples" / "nt-smart-factory-2022" / "合规示例-离散型.docx"
    )
    for into, rows_before in ((example, 4), (None, 0)):
        out = tmp_path / ("new.docx" if into else "blank.docx")
        args = ["draft", "-p", spec.id, "--facts", facts, "--factory-type", "离散型", "--out", out]
        res = run(*args, *(["--into", into] if into else []))
        assert res.exit_code == 0, res.output
        row = json.loads(res.stdout)
        back = read_draft(out, spec, corpus).tables["scenarios"]
        assert len(back) == rows_before + 1
        added = back[-1]
        assert added["link"] == "质量管控"
        for col in row["columns"]:
            assert added.get(col["key"], "") == col["text"]
        checked = run("check", out, "-p", spec.id, "--no-history")
        findings = {f["id"].split(":")[1]: f["status"] for f in json.loads(checked.stdout)["findings"]}
        assert findings["scenario-table-limits"] == "pass"
        # the 环节 is checked against the ticked 工厂类型, which the blank form does not have yet
        assert findings["scenario-link-valid"] == ("pass" if into else "unknown")
    res = run("draft", "-p", spec.id, "--facts", facts, "--factory-type", "离散型", "--into", example)
    assert res.exit_code == 2 and "--out" in res.output  # the writer's draft is never changed in place
