"""场景描述起草 page (Streamlit AppTest) and the services it shows: notes read
from an upload, the edited row checked again, the rows written into a .docx,
and the way from a weakly supported claim on the check page to this page.

The limits are the Nantong form's (issue #12: 具体描述 150, 痛点 150,
技术方案（含供应商） 300, 保障要素 150, 实施成果 200, 其他 150); the notes are
written here; each expected 字数 is counted by hand as Word counts (a Chinese
character or full-width mark is 1, a run of Latin letters or digits is 1)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import DOCX_MIME, app, page, texts, use_data_dir

from app.checking import check_file
from app.drafting.docx_into import IntoError, rows_into_bytes
from app.drafting.edits import column_issues, edit_row, refusals
from app.drafting.notes import MAX_NOTES_BYTES, NotesError, notes_from_upload
from app.drafting.prefill import prefill_from_flag
from app.drafting.service import DraftService
from app.ui.drafting_page import CURRENT_KEY, DOCX_KEY, ROWS_KEY, BuiltDocx
from core.drafting import ScenarioRow
from core.review import ClaimRef, EvidenceFlag, ItemRef, Passage
from corpus.loader import Corpus, default_corpus

NT = "nt-smart-factory-2022"
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / NT / "合规示例-离散型.docx"
WEAK_EXAMPLE = REPO / "examples" / NT / "问题示例-划型与字数.docx"

RESULT = "项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"  # 23 字
NOTES = f"""以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。
2022年公司在机加工线末端部署了视觉检测系统，由苏州某视觉科技有限公司提供。
工业相机实时采集壳体图像，缺陷识别模型判定后自动将不合格品分拣至返修区。
公司制定了视觉检测运维制度，培训质检员6名。
{RESULT}"""
NOTES_2 = """以往设备故障靠人工巡检发现，停机时间长。
公司对120台数控机床加装数据采集终端，部署设备管理系统，实时监测主轴振动和温度。
实施后设备非计划停机时间减少35%。"""


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return default_corpus()


def draft(at: AppTest, notes: str, scenario: str = "auto", factory_type: str = "离散型") -> AppTest:
    """Choose Nantong, the factory type and the scenario, paste the notes and press 起草."""
    at.selectbox(key="draft_programme").set_value(NT).run()
    at.radio(key="draft_factory_type").set_value(factory_type).run()
    at.selectbox(key="draft_scenario").set_value(scenario)
    at.text_area(key="draft_notes").input(notes).run()
    at.button[0].click().run()  # 起草
    assert not at.exception, at.exception
    return at


def column_area(at: AppTest, title_start: str) -> object:
    [area] = [t for t in at.text_area if t.label.startswith(title_start)]
    return area


def counters(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "字数" in m.value]


def add_button(at: AppTest) -> object:
    [b] = [b for b in at.button if b.label == "加入表格"]
    return b


def test_only_programmes_with_a_scenario_table_and_the_rules_only_promise(data_dir: Path) -> None:
    at = page("draft")
    assert not at.exception
    assert at.title[0].value == "场景描述起草"
    options = at.selectbox(key="draft_programme").options
    # five scenario tables, and js-iif-2022's limited 项目总体描述 (its form has no scenario table)
    assert len(options) == 6 and any(NT in o for o in options) and any("js-iif-2022" in o for o in options)
    assert not any("js-gradient-2025" in o for o in options)  # its texts hold no form to draft
    shown = texts(at)
    assert "仅规则起草" in shown and "不编造" in shown and "摘取原句" in shown
    # Nantong: the 环节 list depends on the factory type, so the page asks for it
    at.selectbox(key="draft_programme").set_value(NT).run()
    assert at.radio(key="draft_factory_type").options == ["离散型", "流程型"]
    at.text_area(key="draft_notes").input(NOTES).run()
    at.button[0].click().run()
    assert "请指定工厂类型" in texts(at)
    assert CURRENT_KEY not in at.session_state  # nothing drafted


def test_draft_from_pasted_notes_shows_the_row_counters_fit_and_facts(data_dir: Path) -> None:
    at = draft(page("draft"), NOTES)
    shown = texts(at)
    # the scenario suggested from the notes, and the 环节 it belongs to
    assert "按材料建议的场景：14. 在线智能检测" in shown
    assert (
        at.subheader[0].value.startswith("14. 在线智能检测") and "所属环节：质量管控" in at.subheader[0].value
    )
    # one editable box per column of the Nantong table, each with its counter against the limit
    assert column_area(at, "实施成果").value == RESULT
    assert column_area(at, "解决的痛点问题描述").value == "以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。"
    c = counters(at)
    assert len(c) == 6
    assert ":green[字数 0 / 150]" in c[0]  # 具体描述: nothing in the notes for it
    assert ":green[字数 25 / 150]" in c[1]
    assert ":green[字数 23 / 200]" in c[4]
    assert "处理方式：原样" in c[4] and "处理方式：未填写" in c[0]
    # the empty column's note, and the facts each column used
    assert "材料中没有这一栏的内容" in shown and "未编造" in shown
    assert f"`F5` {RESULT}" in shown
    assert "数字和名称都来自材料" in shown
    assert "政策依据：《智能制造典型场景参考指引(2024年版)》" in shown


def test_counter_turns_red_when_an_edit_exceeds_the_limit(data_dir: Path) -> None:
    at = draft(page("draft"), NOTES)
    column_area(at, "解决的痛点问题描述").input("甲" * 151).run()  # type: ignore[attr-defined]
    assert ":red[**字数 151 / 150，超出 1 字**]" in counters(at)[1]
    assert "已手动修改" in counters(at)[1]
    add_button(at).click().run()  # type: ignore[attr-defined]
    assert "超出上限 150 字 1 字" in texts(at)
    assert at.session_state[ROWS_KEY][NT] == []  # refused: the table's limit rule would fail
    column_area(at, "解决的痛点问题描述").input("甲" * 150).run()  # type: ignore[attr-defined]
    assert ":green[字数 150 / 150]" in counters(at)[1]  # "150字以内": 150 is within
    # a run of Latin letters or digits counts 1, as Word counts it
    column_area(at, "解决的痛点问题描述").input("甲" * 149 + "MES2024").run()  # type: ignore[attr-defined]
    assert ":green[字数 150 / 150]" in counters(at)[1]
    # the drafted text comes back with one click, recounted
    at.button(key=next(b.key for b in at.button if b.label == "恢复为起草结果")).click().run()
    assert column_area(at, "解决的痛点问题描述").value == "以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。"  # type: ignore[attr-defined]
    assert ":green[字数 25 / 150]" in counters(at)[1] and "已手动修改" not in counters(at)[1]


def test_a_number_not_in_the_notes_is_flagged_in_red(data_dir: Path) -> None:
    at = draft(page("draft"), NOTES)
    edited = RESULT.replace("降至0.3%", "降至0.1%")
    column_area(at, "实施成果").input(edited).run()  # type: ignore[attr-defined]
    assert [str(e.value) for e in at.error] == [
        "以下数字不在材料中：0.1。起草只用材料里的数字；手动写入的数字请核对出处，或先补进材料。"
    ]
    assert ":red[数字不在材料中：0.1]" in [m.value for m in at.markdown]
    assert "数字和名称都来自材料" not in texts(at)
    # the same value written another way is the notes' number: no warning
    column_area(at, "实施成果").input(RESULT.replace("45%", "45％")).run()  # type: ignore[attr-defined]
    assert not at.error


def test_add_two_rows_remove_one_and_download_a_docx_the_checker_passes(
    data_dir: Path, tmp_path: Path, corpus: Corpus
) -> None:
    at = draft(page("draft"), NOTES)
    add_button(at).click().run()  # type: ignore[attr-defined]
    assert "已加入表格（第 1 行）" in texts(at)
    at = draft(at, NOTES_2, scenario="16")  # 设备运行监控, 环节 设备管理
    column_area(at, "实施成果").input("实施后设备非计划停机时间减少35%，减少停机损失。").run()  # type: ignore[attr-defined]
    add_button(at).click().run()  # type: ignore[attr-defined]
    assert not at.exception
    assert any(s.value.startswith("重点环节具体场景描述") and "（2 行）" in s.value for s in at.subheader)
    assert [b.label for b in at.download_button] == ["下载 Word 申报书（.docx，加入 2 行）"]
    built = at.session_state[DOCX_KEY]
    assert isinstance(built, BuiltDocx) and built.data is not None and built.error is None
    out = tmp_path / "场景描述.docx"
    out.write_bytes(built.data)
    spec = corpus.programme(NT)
    report = check_file(out, spec, corpus)
    findings = {f.id.split(":")[1]: f.status for f in report.findings}
    assert findings["scenario-table-limits"] == "pass"
    from ingestion.drafts import read_draft

    back = read_draft(out, spec, corpus).tables["scenarios"]
    assert [r["link"] for r in back] == ["质量管控", "设备管理"]
    assert back[0]["results"] == RESULT
    assert back[1]["results"] == "实施后设备非计划停机时间减少35%，减少停机损失。"  # the writer's edit
    # remove the first row: the table and the download follow
    [remove, _] = [b for b in at.button if b.label == "删除这一行"]
    remove.click().run()
    assert [r.link for r in at.session_state[ROWS_KEY][NT]] == ["设备管理"]
    assert [b.label for b in at.download_button] == ["下载 Word 申报书（.docx，加入 1 行）"]


def test_rows_go_into_an_uploaded_draft(data_dir: Path, tmp_path: Path, corpus: Corpus) -> None:
    at = draft(page("draft"), NOTES)
    add_button(at).click().run()  # type: ignore[attr-defined]
    at.file_uploader(key="draft_into_upload").set_value(
        ("我的申报书.docx", EXAMPLE.read_bytes(), DOCX_MIME)
    ).run()
    assert not at.exception and not at.error
    assert [b.label for b in at.download_button] == ["下载 Word 申报书（.docx，加入 1 行）"]
    out = tmp_path / "new.docx"
    out.write_bytes(at.session_state[DOCX_KEY].data)
    spec = corpus.programme(NT)
    report = check_file(out, spec, corpus)
    findings = {f.id.split(":")[1]: f.status for f in report.findings}
    # the example's four rows and the new one; its factory type is ticked, so the 环节 is checked too
    from ingestion.drafts import read_draft

    assert len(read_draft(out, spec, corpus).tables["scenarios"]) == 5
    assert findings["scenario-table-limits"] == "pass" and findings["scenario-link-valid"] == "pass"
    # a file that is not a .docx is refused with a Chinese message, nothing built
    at.file_uploader(key="draft_into_upload").set_value(("说明.pdf", b"%PDF-1.4", "application/pdf")).run()
    assert "不是 .docx 文件" in texts(at) and not at.download_button


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("材料.pdf", b"%PDF-1.4 ...", "不支持的文件类型（.pdf）"),
        ("材料.txt", ("甲" * 400_000).encode("utf-8"), "超过 1 MB"),
        ("材料.txt", "视觉检测系统".encode("gbk"), "不是 UTF-8 编码"),
        ("材料.docx", b"PK\x03\x04 not a zip", "文件已损坏"),
        ("材料.txt", b"  \n ", "文件是空的"),
    ],
)
def test_a_bad_upload_is_refused_and_the_notes_stay(
    data_dir: Path, name: str, data: bytes, message: str
) -> None:
    at = page("draft")
    at.text_area(key="draft_notes").input("已粘贴的材料。").run()
    at.file_uploader(key="draft_notes_upload").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    [error] = at.error
    assert message in str(error.value) and name in str(error.value)
    assert at.text_area(key="draft_notes").value == "已粘贴的材料。"


def test_uploaded_notes_fill_the_text_box(data_dir: Path) -> None:
    d = docx.Document()
    for line in NOTES.split("\n"):
        d.add_paragraph(line)
    d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    at = page("draft")
    at.file_uploader(key="draft_notes_upload").set_value(("材料.docx", buf.getvalue(), DOCX_MIME)).run()
    assert not at.error
    assert at.text_area(key="draft_notes").value == NOTES
    at.file_uploader(key="draft_notes_upload").set_value(
        ("材料.txt", ("\ufeff" + NOTES_2).encode(), "text/plain")
    ).run()
    assert at.text_area(key="draft_notes").value == NOTES_2


def test_notes_upload_limits() -> None:
    assert MAX_NOTES_BYTES == 1_000_000
    assert notes_from_upload("a.TXT", "甲".encode() * 333_333) == "甲" * 333_333  # 999,999 bytes: taken
    with pytest.raises(NotesError, match="超过 1 MB"):
        notes_from_upload("a.txt", b"a" * 1_000_001)
    with pytest.raises(NotesError, match="不支持的文件类型（无扩展名）"):
        notes_from_upload("notes", b"text")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(NotesError, match="Excel"):  # a workbook renamed .docx: the reader's own message
        notes_from_upload("a.docx", buf.getvalue())


def test_edited_row_is_recounted_and_checked_again(corpus: Corpus) -> None:
    spec = corpus.programme(NT)
    row = DraftService(corpus).draft_row(spec, NOTES, "14", factory_type="离散型")
    assert edit_row(spec, row, {}, NOTES) is row  # nothing changed: the drafter's row as it was
    edited = edit_row(spec, row, {"results": "检测效率提升60%，由西门子公司提供。", "pain_points": ""}, NOTES)
    by_key = {c.key: c for c in edited.columns}
    assert by_key["results"].count == 17 and by_key["results"].fit == "as-written"
    assert by_key["pain_points"].fit == "empty" and by_key["pain_points"].count == 0
    assert edited.numbers.not_in_facts == ("60",)
    assert edited.names_not_in_facts == ("由西门子公司",)
    assert edited.method == "rules+edited" and not edited.ok()
    issues = column_issues(edited, NOTES)
    assert issues["results"].numbers == ("60",) and issues["solution"].ok()
    # a number and a name not in the notes are warned about, not refused; over the limit is refused
    assert refusals(edited) == []
    over = edit_row(spec, row, {"other": "乙" * 151}, NOTES)
    assert refusals(over) == [
        "「其他（如对于其他车间、工厂的带动效应等）（150字以内，选填）」151 字，超出上限 150 字 1 字，请删减后再加入表格。"
    ]
    # the facts an edited column uses are found again in its text
    kept = edit_row(spec, row, {"results": "效果：" + RESULT}, NOTES)
    assert {c.key: c for c in kept.columns}["results"].facts_used == ("F5",)


def test_rows_into_bytes_refuses_a_file_without_the_table(corpus: Corpus) -> None:
    spec = corpus.programme(NT)
    row: ScenarioRow = DraftService(corpus).draft_row(spec, NOTES, "14", factory_type="离散型")
    other = docx.Document()
    other.add_paragraph("一份没有场景表的文件")
    buf = io.BytesIO()
    other.save(buf)
    with pytest.raises(IntoError, match="没有找到"):
        rows_into_bytes(spec, corpus, [row], buf.getvalue())
    with pytest.raises(IntoError, match="PDF"):
        rows_into_bytes(spec, corpus, [row], b"%PDF-1.4")


def test_prefill_from_a_weak_claim(corpus: Corpus) -> None:
    spec = corpus.programme("js-smart-factory")
    passages = (Passage(text="部署视觉检测系统。"), Passage(text="漏检率下降。"))
    flag = EvidenceFlag(
        claim=ClaimRef(id="tables.scenarios.1", kind="scenario", title="在线智能检测"),
        item=ItemRef(no=5, name="质量管控"),
        verdict="partial",
        method="rules",
        passages=passages,
    )
    pre = prefill_from_flag(flag, spec, corpus)
    assert pre is not None
    assert (pre.programme, pre.scenario, pre.link, pre.notes) == (
        "js-smart-factory",
        "14",
        "质量管控",
        "部署视觉检测系统。\n漏检率下降。",
    )
    assert prefill_from_flag(flag.model_copy(update={"verdict": "supported"}), spec, corpus) is None
    assert prefill_from_flag(flag, corpus.programme("js-iif-2022"), corpus) is None  # no table to draft


def test_weak_claim_on_the_check_page_opens_the_drafting_page(data_dir: Path) -> None:
    at = app()
    at.selectbox(key="programme").set_value(NT).run()
    at.file_uploader(key="check_upload").set_value(
        ("申报书.docx", WEAK_EXAMPLE.read_bytes(), DOCX_MIME)
    ).run()
    assert not at.exception
    # the form's 生产作业 row claims results without a number (partial); the well-supported
    # rows (质量管控) get no button
    to_draft = [b for b in at.button if (b.key or "").startswith("to_draft:")]
    assert "to_draft:tables.scenarios.2" in [b.key for b in to_draft]
    assert "to_draft:tables.scenarios.3" not in [b.key for b in to_draft]
    assert {b.label for b in to_draft} == {"去起草这个场景"}
    at.button(key="to_draft:tables.scenarios.2").click().run()
    assert not at.exception
    assert at.title[0].value == "场景描述起草"
    assert at.selectbox(key="draft_programme").value == NT
    assert at.radio(key="draft_factory_type").value == "离散型"  # as the draft ticked it
    assert at.selectbox(key="draft_scenario").value == "auto"
    [link] = [s for s in at.selectbox if s.label == "所属环节"]
    assert link.value == "生产作业"
    notes = at.text_area(key="draft_notes").value
    assert notes.startswith("针对齿轮加工工序，搭建由数控机床和上下料机器人组成的柔性加工单元。")
    assert "生产效率和产品质量显著提升，运营成本明显下降。" in notes
    assert "材料取自检查页“证据”中的「生产作业」" in texts(at)
    at.button[0].click().run()  # 起草 from the claim's own passages
    assert not at.exception
    assert "所属环节：生产作业" in at.subheader[0].value
