"""Several drafting targets per programme (issue #12 item 1's last gap):
Nantong's form (nt-smart-factory-2022, corpus/docs/nt-2022-form.md) limits
three text sections besides its scenario table — 企业简介 “不超过500字”,
智能工厂建设的基本情况 “不超过800字” and, in 三、重点环节建设情况, “每个环节字数
请控制在1000字以内” — and each is drafted from a writer's facts, rules-only and
with a (fake) model, written into the draft or the blank form and read back by
the checker. The facts are written here; each expected 字数 is counted by hand
as Word counts (a Chinese character or full-width mark is 1, a run of Latin
letters or digits is 1)."""

from __future__ import annotations

import json
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
from app.drafting.service import DraftInputError, DraftService
from app.llm.providers import Provider
from core.drafting import ScenarioRow
from core.spec import ProgrammeSpec
from core.text import count_zishu
from corpus.loader import CORPUS_DIR, Corpus, default_corpus
from ingestion.drafts import read_draft
from tests.llm_fakes import RecordingFake

NT = "nt-smart-factory-2022"
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / NT / "合规示例-离散型.docx"
runner = CliRunner()

# a company profile, one sentence of each kind, written out of order on purpose
COMPANY = "南通某机械有限公司成立于2003年，是一家民营企业。"  # 23 字 (2003 is one)
PRODUCTS = "公司主营数控机床零部件，主要产品有主轴箱和床身铸件。"  # 26 字
SCALE = "公司现有员工420人，厂区占地面积8万平方米。"  # 21 字 (420, 8 one each)
MARKET = "2023年营业收入5.2亿元，产品销往全国20个省市。"  # 21 字 (2023, 5.2, 20 one each)
HONOUR = "公司先后被评为江苏省专精特新中小企业和国家高新技术企业。"  # 28 字
PROFILE = "\n".join([HONOUR, MARKET, SCALE, PRODUCTS, COMPANY])

# one 环节 (设备管理) of 三、重点环节建设情况
PROBLEM = "过去设备点检靠人工记录，故障停机频繁。"  # 19 字
BUILT = "为全厂数控机床加装数据采集模块，接入设备管理系统。"  # 25 字
WORKS = "系统实时监测主轴负载和温度，超出阈值时自动报警并推送维修工单。"  # 31 字
RESULT = "实施后设备综合效率由68%提升到81%，非计划停机时间减少40%。"  # 27 字 (68%, 81%, 40% one each)
LINK_FACTS = "\n".join([RESULT, WORKS, BUILT, PROBLEM])


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def _nt_data() -> dict[str, Any]:
    return dict(yaml.safe_load((CORPUS_DIR / "programmes" / f"{NT}.yaml").read_text(encoding="utf-8")))


def test_nantong_lists_its_table_and_three_limited_sections_the_table_first(corpus: Corpus) -> None:
    spec = corpus.programme(NT)
    assert [d.target for d in spec.drafting] == ["scenarios", "intro", "overview", "link_sections"]
    assert spec.draft_target() is spec.drafting[0]  # the default stays the scenario table
    assert spec.draft_target("企业简介") is spec.draft_target("intro") is spec.drafting[1]
    assert spec.drafting[1].role == "profile" and spec.drafting[2].role == "overview"
    assert spec.draft_target("三、重点环节建设情况") is spec.drafting[3]
    assert spec.draft_target("主要产品") is None  # no 字数 limit in the form: not a target


def test_a_section_drafted_per_link_needs_its_zishu_rule_and_targets_are_unique() -> None:
    data = _nt_data()
    data["rules"] = [r for r in data["rules"] if r["id"] != "link-section-length"]
    with pytest.raises(ValidationError, match=r"link_sections.*text.*table_char_limits"):
        ProgrammeSpec.model_validate(data)
    data = _nt_data()
    data["drafting"] = [*data["drafting"], {"section": "intro", "role": "profile"}]
    with pytest.raises(ValidationError, match="同一目标列出多次：intro"):
        ProgrammeSpec.model_validate(data)


def test_rules_only_company_profile_in_profile_order_within_500(corpus: Corpus) -> None:
    row = DraftService(corpus).draft_row(corpus.programme(NT), PROFILE, target="企业简介")
    assert (row.section, row.target, row.link) == ("intro", "intro", None)
    [c] = row.columns
    assert (c.key, c.title, c.limit, c.fit) == ("intro", "企业简介", 500, "as-written")
    # what the company is, its products, its scale, its market, its honours
    assert c.text == COMPANY + PRODUCTS + SCALE + MARKET + HONOUR
    assert c.count == count_zishu(c.text) == 23 + 26 + 21 + 21 + 28
    assert row.ok() and set(row.numbers.in_output) == {"2003", "420", "8", "2023", "5.2", "20"}
    assert [(x.doc, x.clause) for x in row.citations] == [
        ("nt-2022-form", "一、申报单位和工厂基本信息 > （一）申报单位基本信息")
    ]


def test_a_long_profile_keeps_whole_sentences_and_its_honours_within_500(corpus: Corpus) -> None:
    filler = [f"公司第{i}条生产线主要生产各类规格的数控机床零部件产品。" for i in range(1, 31)]
    facts = "\n".join([COMPANY, *filler, HONOUR])
    assert count_zishu(facts) > 500
    [c] = DraftService(corpus).draft_row(corpus.programme(NT), facts, target="intro").columns
    assert c.fit == "cut" and c.count <= 500 and c.count == count_zishu(c.text)
    assert c.text.startswith(COMPANY) and c.text.endswith(HONOUR)  # honours not crowded out


def test_rules_only_link_section_names_its_link_and_holds_the_1000_limit(corpus: Corpus) -> None:
    svc = DraftService(corpus)
    spec = corpus.programme(NT)
    row = svc.draft_row(spec, LINK_FACTS, target="link_sections", link="设备管理", factory_type="离散型")
    assert (row.section, row.target, row.link) == (None, "link_sections", "设备管理")
    [c] = row.columns
    assert (c.key, c.title, c.limit) == ("text", "描述", 1000)
    assert c.text == PROBLEM + BUILT + WORKS + RESULT and c.count == 19 + 25 + 31 + 27
    assert row.ok()
    with pytest.raises(DraftInputError, match="请指定工厂类型"):
        svc.draft_row(spec, LINK_FACTS, target="link_sections", link="设备管理")
    with pytest.raises(DraftInputError, match="所属环节「营销管理」不在"):
        svc.draft_row(spec, LINK_FACTS, target="link_sections", link="营销管理", factory_type="离散型")
    with pytest.raises(
        DraftInputError, match="没有可起草的「主要产品」：可选 scenarios（重点环节具体场景描述）"
    ):
        svc.draft_row(spec, LINK_FACTS, target="主要产品")


def _draft_cli(tmp_path: Path, facts: str, out: Path, *args: str) -> ScenarioRow:
    f = tmp_path / "facts.txt"
    f.write_text(facts, encoding="utf-8")
    res = runner.invoke(app, ["draft", "-p", NT, "--facts", str(f), "--out", str(out), *args])
    assert res.exit_code == 0, res.output
    return ScenarioRow.model_validate_json(res.stdout)


@pytest.mark.parametrize(
    ("target", "rule", "facts", "path"),
    [
        ("企业简介", "intro-length", PROFILE, "sections.intro"),
        ("overview", "overview-length", LINK_FACTS, "sections.overview"),
    ],
)
def test_cli_draft_of_a_section_into_blank_form_and_draft_reads_back_within_its_limit(
    corpus: Corpus, tmp_path: Path, target: str, rule: str, facts: str, path: str
) -> None:
    spec = corpus.programme(NT)
    for into in (None, EXAMPLE):
        out = tmp_path / f"out-{'blank' if into is None else 'draft'}.docx"
        row = _draft_cli(tmp_path, facts, out, "--target", target, *(["--into", str(into)] if into else []))
        [c] = row.columns
        [f] = [f for f in check_file(out, spec, corpus).findings if f.id == f"{NT}:{rule}"]
        assert f.status == "pass" and f"{c.count} 字" in f.message
        assert read_draft(out, spec, corpus).sections[path.split(".")[1]] == c.text
    before = check_file(EXAMPLE, spec, corpus)
    after = check_file(tmp_path / "out-draft.docx", spec, corpus)
    assert {f.id: f.status for f in before.findings} == {f.id: f.status for f in after.findings}


def test_cli_draft_of_a_link_section_adds_it_to_the_blank_form_and_replaces_it_in_a_draft(
    corpus: Corpus, tmp_path: Path
) -> None:
    spec = corpus.programme(NT)
    args = ["--target", "link_sections", "--link", "设备管理", "--factory-type", "离散型"]
    blank = tmp_path / "blank.docx"
    row = _draft_cli(tmp_path, LINK_FACTS, blank, *args)
    assert row.target == "link_sections" and row.link == "设备管理"
    text = row.columns[0].text
    assert read_draft(blank, spec, corpus).tables["link_sections"] == [{"link": "设备管理", "text": text}]
    [f] = [f for f in check_file(blank, spec, corpus).findings if f.id == f"{NT}:link-section-length"]
    assert f.status == "pass" and "1 行均未超出" in f.message
    # the example describes all eight 环节: 设备管理's text is replaced, the others kept in place
    drafted = tmp_path / "draft.docx"
    _draft_cli(tmp_path, LINK_FACTS, drafted, *args, "--into", str(EXAMPLE))
    old = read_draft(EXAMPLE, spec, corpus).tables["link_sections"]
    new = read_draft(drafted, spec, corpus).tables["link_sections"]
    assert [r["link"] for r in new] == [r["link"] for r in old]
    assert [r for r in new if r["link"] != "设备管理"] == [r for r in old if r["link"] != "设备管理"]
    assert next(r["text"] for r in new if r["link"] == "设备管理") == text
    before = check_file(EXAMPLE, spec, corpus)
    after = check_file(drafted, spec, corpus)
    assert {f.id: f.status for f in before.findings} == {f.id: f.status for f in after.findings}


def test_cli_without_target_still_drafts_a_scenario_row_and_an_unknown_target_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "facts.txt"
    f.write_text(LINK_FACTS, encoding="utf-8")
    res = runner.invoke(app, ["draft", "-p", NT, "--facts", str(f), "--factory-type", "离散型", "-s", "14"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)
    assert row["target"] == "scenarios" and row["section"] is None and len(row["columns"]) == 6
    res = runner.invoke(app, ["draft", "-p", NT, "--facts", str(f), "--target", "主要产品"])
    assert res.exit_code == 2 and "没有可起草的「主要产品」" in res.output


def _fake(*answers: dict[str, Any]) -> tuple[DraftService, RecordingFake]:
    model = RecordingFake(responses=[json.dumps(x, ensure_ascii=False) for x in answers], seen=[], kwargs=[])
    corpus = default_corpus()
    return DraftService(
        corpus, drafter=LLMDrafter(Provider("fake", model, label="fake", structured="json_object"))
    ), model


def test_a_model_profile_with_an_invented_figure_is_sent_back_and_rewritten() -> None:
    invented = {"intro": {"facts": ["F5", "F2"], "text": COMPANY + "2023年营业收入6亿元。"}}
    good = {"intro": {"facts": ["F5", "F4", "F1"], "text": COMPANY + PRODUCTS + HONOUR}}
    svc, model = _fake(invented, good)
    row = svc.draft_row(svc.corpus.programme(NT), PROFILE, target="企业简介", llm="fake")
    [c] = row.columns
    assert row.method == "llm" and c.text == COMPANY + PRODUCTS + HONOUR and row.ok()
    assert c.count == 23 + 26 + 28
    assert len(model.seen) == 2 and "材料中没有的数字" in model.seen[1][1].text
    user = model.seen[0][1].text
    assert "- intro：企业简介；500 字以内" in user and "企业简介，按" in user and "不写本项目的成效" in user


def test_a_model_link_section_is_told_its_link_and_limit() -> None:
    good = {"text": {"facts": ["F4", "F3", "F1"], "text": PROBLEM + BUILT + RESULT}}
    svc, model = _fake(good)
    row = svc.draft_row(
        svc.corpus.programme(NT), LINK_FACTS, target="link_sections", link="设备管理", factory_type="离散型",
        llm="fake",
    )  # fmt: skip
    assert row.method == "llm" and row.link == "设备管理" and row.columns[0].text == PROBLEM + BUILT + RESULT
    user = model.seen[0][1].text
    assert "- text：描述；1000 字以内" in user and "设备管理" in user


def test_drafting_page_offers_the_targets_and_drafts_the_chosen_section(
    tmp_path: Path, monkeypatch: Any
) -> None:
    use_data_dir(tmp_path, monkeypatch)
    at: AppTest = page("draft")
    at.selectbox(key="draft_programme").set_value(NT).run()
    choice = at.radio(key=f"draft_target:{NT}")
    assert choice.options == [
        "重点环节具体场景描述（一行）",
        "企业简介（500 字以内）",
        "智能工厂建设的基本情况（800 字以内）",
        "三、重点环节建设情况（按环节，每个环节 1000 字以内）",
    ]
    assert choice.value == "scenarios" and [s for s in at.selectbox if s.key == "draft_scenario"]
    choice.set_value("intro").run()
    assert not [s for s in at.selectbox if s.key == "draft_scenario"]  # a section: no scenario, no 环节
    at.text_area(key="draft_notes").input(PROFILE).run()
    at.button[0].click().run()  # 起草
    assert not at.exception, at.exception
    [area] = [t for t in at.text_area if t.label == "企业简介"]
    assert area.value == COMPANY + PRODUCTS + SCALE + MARKET + HONOUR
    assert ":green[字数 119 / 500]" in "\n".join(m.value for m in at.markdown)
    assert [b for b in at.get("download_button") if "企业简介" in b.proto.label]
    # the 环节 section: the factory type and 环节 chosen as for the table
    at.radio(key=f"draft_target:{NT}").set_value("link_sections").run()
    at.radio(key="draft_factory_type").set_value("离散型").run()
    [link] = [s for s in at.selectbox if s.key.startswith("draft_link")]
    link.set_value("设备管理").run()
    at.text_area(key="draft_notes").input(LINK_FACTS).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    [area] = [t for t in at.text_area if t.label == "描述"]
    assert area.value == PROBLEM + BUILT + WORKS + RESULT
    assert [b for b in at.get("download_button") if "设备管理环节" in b.proto.label]
    assert "加入表格" not in [b.label for b in at.button]  # one section, not a row of the scenario grid
    assert "重点环节具体场景描述（0 行）" not in texts(at)


def test_nantong_section_sheets_two_or_more_per_target_one_too_long_each_all_guarantees_held() -> None:
    from eval.drafting.sections import evaluate_sections, load_section_cases, section_problems

    corpus = default_corpus()
    cases = [(f, c) for f, c in load_section_cases() if f.programme == NT]
    assert not section_problems(cases, corpus)
    limits = {"intro": 500, "overview": 800, "link_sections": 1000}  # the form's 500字, 800字, 1000字
    for target, limit in limits.items():
        mine = [c for f, c in cases if f.section == target]
        assert len(mine) >= 2, target
        assert (
            [c.id for c in mine if "too-long" in c.tags]
            == [c.id for c in mine if count_zishu(c.facts) > limit]
            != []
        ), target
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
        assert row["limit"] == limits[row["section"]]
        if "too-long" in row["tags"]:
            assert row["fit"] == "cut" and (row["result_numbers_kept"] or not row["result_numbers"]), row[
                "id"
            ]
    links = {row["id"]: row["link"] for row in res.rows if row["section"] == "link_sections"}
    assert all(links.values())  # each 环节 sheet drafted for the 环节 it names
