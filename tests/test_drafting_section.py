"""Drafting a limited text section of the form (issue #12 item 1's last gap):
js-iif-2022's 项目总体描述, “不超过1000字” (corpus/docs/js-iif-2022-form.md,
一、项目申请表), drafted as one column from the writer's facts — rules-only
and with a (fake) model — written into the draft or the blank form, and read
back by the checker. The facts are written here; each expected 字数 is counted
by hand as Word counts (a Chinese character or full-width mark is 1, a run of
Latin letters or digits is 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import page, texts, use_data_dir
from typer.testing import CliRunner

from app.checking import check_file
from app.cli import app
from app.drafting.llm import LLMDrafter
from app.drafting.service import DraftService
from app.llm.providers import Provider
from core.drafting import ScenarioRow
from core.spec import ProgrammeSpec
from core.text import count_zishu
from corpus.loader import CORPUS_DIR, Corpus, default_corpus
from ingestion.drafts import read_draft
from tests.llm_fakes import RecordingFake

IIF = "js-iif-2022"
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / IIF / "合规示例.docx"
runner = CliRunner()

# one sentence of each kind, written out of order on purpose
RESULT = "项目实施后，设备综合效率提升18%，产品不良率由2.1%降至0.9%。"  # 27 字 (18%, 2.1%, 0.9% one each)
WHAT = "本项目是某精密机械有限公司面向液压件机加工和装配车间的工业互联网标杆工厂项目。"  # 39 字
PROBLEM = "过去设备状态靠人工巡检记录，故障停机频繁。"  # 21 字
BUILT = "建设了覆盖全厂的5G专网和工业互联网平台，部署了MES系统。"  # 27 字 (5G, MES one each)
WORKS = "平台实时采集设备运行数据，故障时自动报警并推送维修工单。"  # 28 字
FACTS = "\n".join([RESULT, WORKS, PROBLEM, BUILT, WHAT])


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def _spec_data(**drafting: Any) -> dict[str, Any]:
    data = yaml.safe_load((CORPUS_DIR / "programmes" / f"{IIF}.yaml").read_text(encoding="utf-8"))
    data["drafting"] = drafting
    return dict(data)


def test_the_spec_names_a_section_with_a_zishu_rule() -> None:
    spec = ProgrammeSpec.model_validate(_spec_data(section="overview"))
    assert [d.section for d in spec.drafting] == ["overview"]  # the single-target form reads as a list of one
    # 企业概况 has no 字数 limit in the form: a drafter would have no limit to hold
    with pytest.raises(ValidationError, match=r"company_profile.*没有检查其字数的 char_limit 规则"):
        ProgrammeSpec.model_validate(_spec_data(section="company_profile"))
    with pytest.raises(ValidationError, match="exactly one of table / section"):
        ProgrammeSpec.model_validate(_spec_data(section="overview", table="honours"))
    with pytest.raises(ValidationError, match="only section and role"):
        ProgrammeSpec.model_validate(_spec_data(section="overview", columns={"x": {"role": "all"}}))


def test_rules_only_overview_orders_the_facts_and_keeps_every_number_from_them(corpus: Corpus) -> None:
    row = DraftService(corpus).draft_row(corpus.programme(IIF), FACTS)
    assert row.section == "overview" and row.scenario == {"no": None, "name": None} and row.link is None
    [c] = row.columns
    assert (c.key, c.title, c.limit, c.fit) == ("overview", "项目总体描述", 1000, "as-written")
    # what the project is, the problem, what was built, how it works, results
    assert c.text == WHAT + PROBLEM + BUILT + WORKS + RESULT
    assert c.count == count_zishu(c.text) == 39 + 21 + 27 + 28 + 27
    assert row.ok() and row.numbers.not_in_facts == () and set(row.numbers.in_output) >= {"18", "2.1", "0.9"}
    assert [(x.doc, x.clause) for x in row.citations] == [
        ("js-iif-2022-form", "一、项目申请表 > 项目总体描述")
    ]


def test_facts_too_long_keep_whole_sentences_and_a_result_within_1000(corpus: Corpus) -> None:
    filler = [f"第{i}条产线完成了数控机床联网改造，实现加工程序统一管理和远程下发。" for i in range(1, 41)]
    facts = "\n".join([WHAT, *filler, RESULT])  # far over 1000 字
    assert count_zishu(facts) > 1000
    row = DraftService(corpus).draft_row(corpus.programme(IIF), facts)
    [c] = row.columns
    assert c.fit == "cut" and c.count <= 1000 and c.count == count_zishu(c.text)
    assert c.text.startswith(WHAT) and c.text.endswith(RESULT)  # the result is not crowded out
    assert c.text.endswith("。")  # whole sentences only
    assert "未写入的材料" in (c.note or "") and row.ok()


def test_a_model_overview_is_checked_like_a_column(corpus: Corpus) -> None:
    invented = {"overview": {"facts": ["F1"], "text": WHAT + "设备综合效率提升25%。"}}
    good = {"overview": {"facts": ["F5", "F4", "F1"], "text": WHAT + BUILT + RESULT}}
    model = RecordingFake(
        responses=[json.dumps(x, ensure_ascii=False) for x in (invented, good)], seen=[], kwargs=[]
    )
    svc = DraftService(
        corpus, drafter=LLMDrafter(Provider("fake", model, label="fake", structured="json_object"))
    )
    row = svc.draft_row(corpus.programme(IIF), FACTS)
    [c] = row.columns
    assert row.method == "llm" and c.text == WHAT + BUILT + RESULT and row.ok()
    assert len(model.seen) == 2  # the invented 25% was sent back and the column rewritten
    assert "25" in model.seen[1][1].text and "材料中没有的数字" in model.seen[1][1].text
    user = model.seen[0][1].text
    assert "- overview：项目总体描述；1000 字以内" in user and "典型场景" not in user


def test_cli_draft_into_blank_form_and_into_a_draft_reads_back_within_the_limit(
    corpus: Corpus, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS, encoding="utf-8")
    spec = corpus.programme(IIF)
    for into in (None, EXAMPLE):
        out = tmp_path / f"out-{'blank' if into is None else 'draft'}.docx"
        args = ["draft", "-p", IIF, "--facts", str(facts), "--out", str(out)]
        if into is not None:
            args += ["--into", str(into)]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        row = ScenarioRow.model_validate_json(res.stdout)
        [c] = row.columns
        report = check_file(out, spec, corpus)
        [f] = [f for f in report.findings if f.id == f"{IIF}:overview-length"]
        assert f.status == "pass" and f"{c.count} 字" in f.message
        assert read_draft(out, spec, corpus).sections["overview"] == c.text
    # the draft's other fields read back as before (only the section was replaced)
    before = check_file(EXAMPLE, spec, corpus)
    after = check_file(tmp_path / "out-draft.docx", spec, corpus)
    assert {f.id: f.status for f in before.findings} == {f.id: f.status for f in after.findings}


def test_cli_draft_of_a_programme_without_target_exits_2(tmp_path: Path) -> None:
    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS, encoding="utf-8")
    res = runner.invoke(app, ["draft", "-p", "js-gradient-2025", "--facts", str(facts)])
    assert res.exit_code == 2 and "没有可起草的场景表或限字数的章节" in res.output


def test_drafting_page_shows_the_one_section_with_its_live_counter(tmp_path: Path, monkeypatch: Any) -> None:
    use_data_dir(tmp_path, monkeypatch)
    at: AppTest = page("draft")
    at.selectbox(key="draft_programme").set_value(IIF).run()
    assert "项目总体描述" in texts(at) and "1000 字以内" in texts(at)
    assert not [s for s in at.selectbox if s.key == "draft_scenario"]  # no scenario, no 环节 to choose
    assert at.text_area(key="draft_notes").label == "该项目的材料"
    at.text_area(key="draft_notes").input(FACTS).run()
    at.button[0].click().run()  # 起草
    assert not at.exception, at.exception
    [area] = [t for t in at.text_area if t.label == "项目总体描述"]
    assert area.value == WHAT + PROBLEM + BUILT + WORKS + RESULT
    counters = [m.value for m in at.markdown if "字数" in m.value]
    assert len(counters) == 1 and ":green[字数 142 / 1000]" in counters[0]
    assert [b for b in at.get("download_button") if "项目总体描述" in b.proto.label]
    area.input("甲" * 1001).run()
    counters = [m.value for m in at.markdown if "字数" in m.value]
    assert ":red[**字数 1001 / 1000，超出 1 字**]" in counters[0]
    assert "还不能写入申报书" in texts(at) and not at.get("download_button")


def test_a_model_overview_over_1000_is_shortened_with_an_explicit_target(corpus: Corpus) -> None:
    long = (WHAT + BUILT + WORKS) * 12 + RESULT  # every sentence from the facts, 12 × 94 + 27 字
    assert count_zishu(long) == 12 * 94 + 27 > 1000
    first = {"overview": {"facts": ["F1", "F2", "F4", "F5"], "text": long}}
    shortened = {"overview": {"facts": ["F5", "F4", "F1"], "text": WHAT + BUILT + RESULT}}
    model = RecordingFake(
        responses=[json.dumps(x, ensure_ascii=False) for x in (first, shortened)], seen=[], kwargs=[]
    )
    svc = DraftService(
        corpus, drafter=LLMDrafter(Provider("fake", model, label="fake", structured="json_object"))
    )
    [c] = svc.draft_row(corpus.programme(IIF), FACTS).columns
    assert (c.fit, c.text, c.count) == ("shortened", WHAT + BUILT + RESULT, 39 + 27 + 27)
    assert "请压缩到 900 字以内" in model.seen[1][-1].text  # 90% of the rule's 1000


def test_the_section_sheets_meet_their_floors_and_labels() -> None:
    from eval.drafting.sections import load_section_cases, section_problems

    corpus = default_corpus()
    cases = [(f, c) for f, c in load_section_cases() if f.programme == IIF]
    assert len(cases) >= 5
    assert not section_problems(cases, corpus)
    too_long = [c for _, c in cases if "too-long" in c.tags]
    assert len(too_long) >= 2 and all(count_zishu(c.facts) > 1000 for c in too_long)
    assert any("no-numbers" in c.tags and not any(ch.isdigit() for ch in c.facts) for _, c in cases)
    # a wrong too-long label is caught, not silently scored
    file, case = cases[0]
    bad = case.model_copy(update={"tags": ["too-long"]})
    assert section_problems([(file, bad)], corpus) == [
        f"{case.id}: too-long 标签须与材料是否超过 1000 字一致（材料 {count_zishu(case.facts)} 字）"
    ]


def test_rules_only_sections_hold_every_guarantee_and_keep_results_of_long_sheets(tmp_path: Path) -> None:
    from eval.drafting.run import main
    from eval.drafting.sections import evaluate_sections, load_section_cases

    corpus = default_corpus()
    cases = [(f, c) for f, c in load_section_cases() if f.programme == IIF]
    svc = DraftService(corpus)
    res = evaluate_sections(
        cases,
        corpus,
        "rules",
        lambda spec, facts, target, link, ftype: svc.draft_row(
            spec, facts, link=link, factory_type=ftype, target=target
        ),
    )
    s = res.summary()
    assert s["rows"] == len(cases) and s["within_limit_share"] == 1.0 and s["count_mismatches"] == 0
    assert s["invented_numbers"] == s["invented_numbers_independent"] == s["invented_names"] == 0
    for row in res.rows:
        if "too-long" in row["tags"]:
            assert row["fit"] == "cut" and row["result_numbers_kept"], row["id"]
    assert main(["--out", str(tmp_path), "--limit", "2", "--strict"]) == 0
    data = json.loads((tmp_path / "drafting.json").read_text(encoding="utf-8"))
    assert data["sections"]["methods"][0]["rows"] == 2
    assert "## Limited sections (js-iif-2022 项目总体描述 ≤1000字" in (tmp_path / "drafting.md").read_text(
        encoding="utf-8"
    )


def test_every_programme_is_draftable_or_listed_with_its_reason(corpus: Corpus) -> None:
    listed = (REPO / "eval" / "drafting" / "README.md").read_text(encoding="utf-8")
    table = listed.split("## 限字数章节", 1)[1]
    for pid, spec in corpus.programmes.items():
        if not spec.drafting:
            named = re.compile(rf"(?<![\w-]){re.escape(pid)}(?![\w-])")
            [line] = [
                x for x in table.splitlines() if x.startswith("|") and named.search(x)
            ]  # with the reason
            assert line.rstrip(" |").endswith("不起草"), pid
    assert "wx-smart-factory-2023、wx-smart-scene-2023、wx-smart-workshop-2023" in table
