"""检查申报书 page (Streamlit AppTest); its services are tested in test_check_service.py,
test_supplements.py and test_uploads.py."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_ui_fixtures import (
    APP,
    DOCX_MIME,
    PROGRAMME,
    TIMEOUT,
    app,
    blank_form_bytes,
    docx_bytes,
    good_draft,
    json_bytes,
    page,
    salary_draft,
    store_runs,
    texts,
    use_data_dir,
)

from app.ui.check_page import template_bytes
from corpus.loader import default_corpus
from ingestion.drafts import read_draft

FAILED_RULE = f"{PROGRAMME}:investment-min"
FAILED_TITLE = "近3年平台和系统开发费、智能设备（终端）购置费、测试验证和项目咨询费合计不低于2000万元"


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_data_dir(tmp_path, monkeypatch)


def upload(at: AppTest, name: str, data: bytes, mime: str = DOCX_MIME) -> AppTest:
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    at.file_uploader(key="check_upload").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_app_navigation_and_default_page(data_dir: Path) -> None:
    at = app()
    assert not at.exception
    assert at.title[0].value == "检查申报书"
    corpus = default_corpus()
    assert at.selectbox(key="programme").options == [
        f"{p.title}（{p.id}）" for p in corpus.programmes.values()
    ]
    at.selectbox(key="programme").set_value(PROGRAMME).run()
    shown = texts(at)
    assert "江苏省工业和信息化厅" in shown and "申报截止：2022-05-20" in shown
    assert [b.label for b in at.download_button] == ["下载空白申报书模板（.docx）"]
    assert "请选择申报项目并上传申报书" in shown


def test_programme_can_be_chosen_by_url(data_dir: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["programme"] = "nt-smart-factory-2022"
    at.run()
    assert at.selectbox(key="programme").value == "nt-smart-factory-2022"


def test_blank_template_reads_back_as_the_programme(tmp_path: Path) -> None:
    corpus = default_corpus()
    data = template_bytes(PROGRAMME, corpus.version)
    assert zipfile.is_zipfile(io.BytesIO(data))
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    draft = read_draft(path, corpus.programme(PROGRAMME), corpus)
    assert draft.programme == PROGRAMME


def test_failing_draft_shows_findings_grouped_fail_first(data_dir: Path, tmp_path: Path) -> None:
    at = upload(page("check"), "申报书.docx", docx_bytes(salary_draft(), tmp_path))
    # the form carries every input the rules read (its statements too): nothing is unknown
    assert metrics(at) == {"不通过": "1", "警告": "0", "无法判断": "0", "通过": "29", "不适用": "0"}
    assert [e.label for e in at.expander][:2] == ["不通过（1）", "通过（29）"]
    shown = texts(at)
    assert "结论：不通过" in at.subheader[0].value
    assert FAILED_RULE in shown and FAILED_TITLE in shown
    # the clause quoted, with the document title
    assert "投入总计不低于2000万元" in shown
    assert "关于组织开展2022年度省工业互联网示范工程项目（标杆工厂类）申报工作的通知" in shown
    assert "首次检查这份申报书" in shown
    assert {b.label for b in at.download_button} >= {"下载 HTML 报告", "下载 JSON 报告"}
    assert store_runs(data_dir) == 1
    # a rerun (any widget) does not check or store again
    at.run()
    assert store_runs(data_dir) == 1


def test_recheck_of_the_same_file_name_shows_what_changed(data_dir: Path, tmp_path: Path) -> None:
    at = upload(page("check"), "客户A.docx", docx_bytes(salary_draft(), tmp_path))
    assert "首次检查这份申报书" in texts(at)
    fixed = good_draft()
    at.file_uploader(key="check_upload").set_value(
        ("客户A.docx", docx_bytes(fixed, tmp_path), DOCX_MIME)
    ).run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert "与上次检查相比：已修复 1 项，新增问题 0 项，仍未通过 0 项" in labels
    assert FAILED_RULE in texts(at)
    assert store_runs(data_dir) == 2


def test_supplying_missing_values_rechecks_without_storing(data_dir: Path, tmp_path: Path) -> None:
    unstated = salary_draft()
    unstated["attestations"] = {}  # the writer left the form's seven 是/否 statements blank
    at = upload(page("check"), "申报书.docx", docx_bytes(unstated, tmp_path))
    radios = list(at.radio)
    assert len(radios) == 7
    assert radios[0].label == "具有独立的法人资格"
    for r in radios:
        r.set_value("是")
    at.form_submit_button[0].click().run()
    assert not at.exception and not at.error
    assert metrics(at)["无法判断"] == "0"
    assert metrics(at)["不通过"] == "1"
    assert "补充 7 项信息后重新检查" in texts(at)
    assert store_runs(data_dir) == 1
    at.button[0].click().run()  # 恢复为上传文件的检查结果
    assert metrics(at)["无法判断"] == "7"


def test_money_typed_in_chinese_units_is_normalised(data_dir: Path) -> None:
    d = good_draft()
    del d["project"]["investment"]["platform_dev"]
    at = upload(page("check"), "缺投入.json", json_bytes(d), "application/json")
    # investment-min and investment-sum both need the blank amount (sum_equals: a blank item
    # could make up the total, so the sum is unknown too — issue #10)
    assert metrics(at)["无法判断"] == "2"
    [field] = [t for t in at.text_input if (t.key or "").endswith("project.investment.platform_dev")]
    field.input("0.12亿元")
    at.form_submit_button[0].click().run()
    assert metrics(at)["无法判断"] == "0"
    assert metrics(at)["不通过"] == "0"


def test_unreadable_value_shows_the_parser_message(data_dir: Path) -> None:
    d = good_draft()
    del d["project"]["investment"]["platform_dev"]
    at = upload(page("check"), "缺投入.json", json_bytes(d), "application/json")
    at.text_input[0].input("一些钱")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert "无法识别" in at.error[0].value and "平台和系统开发费" in at.error[0].value
    assert metrics(at)["无法判断"] == "2"  # investment-min and investment-sum still lack it


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param("说明.pdf", b"%PDF-1.4 not a form", "不支持的文件类型", id="wrong-type"),
        pytest.param("申报书.docx", b"%PDF-1.4 renamed", "PDF", id="pdf-renamed"),
        pytest.param("申报书.docx", b"PK\x03\x04 this zip is broken", "无法检查", id="corrupt"),
        pytest.param("空.docx", b"", "0 字节", id="empty"),
        pytest.param("大.docx", b"PK" + bytes(21 * 1024 * 1024), "文件过大", id="oversized"),
    ],
)
def test_bad_upload_shows_a_chinese_error_and_stores_nothing(
    data_dir: Path, name: str, content: bytes, expected: str
) -> None:
    at = upload(page("check"), name, content)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert expected in message and "Traceback" not in message
    assert not at.metric
    assert store_runs(data_dir) == 0


# the first programme in the picker (the corpus order), where the page opens; a programme added as
# data may come first, so it is read, not written here
FIRST_PROGRAMME = next(iter(default_corpus().programmes))


def test_a_form_of_another_programme_switches_the_programme(data_dir: Path, tmp_path: Path) -> None:
    # issue #10 item 14: the page opens on 5G工厂; a js-iif-2022 form is checked as js-iif-2022
    assert FIRST_PROGRAMME != PROGRAMME
    at = page("check")
    assert at.selectbox(key="programme").value == FIRST_PROGRAMME
    at.file_uploader(key="check_upload").set_value(
        ("标杆工厂.docx", docx_bytes(salary_draft(), tmp_path), DOCX_MIME)
    ).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="programme").value == PROGRAMME
    assert at.query_params["programme"] == PROGRAMME
    [note] = [i.value for i in at.info if "已识别上传的文件为" in str(i.value)]
    assert f"（{PROGRAMME}）的申报书" in note and f"（{FIRST_PROGRAMME}）" in note and "切换为该项目" in note
    assert metrics(at)["不通过"] == "1" and FAILED_RULE in texts(at)
    assert "江苏省工业和信息化厅" in texts(at) and "申报截止：2022-05-20" in texts(at)  # the facts follow
    assert store_runs(data_dir) == 1
    at.run()  # a rerun neither checks again nor switches back
    assert at.selectbox(key="programme").value == PROGRAMME and store_runs(data_dir) == 1


def test_a_programme_picked_after_the_switch_is_kept_and_the_form_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    at = upload(page("check"), "南通.docx", blank_form_bytes("nt-smart-factory-2022", tmp_path))
    assert at.selectbox(key="programme").value == "nt-smart-factory-2022"
    assert any("已识别上传的文件为" in str(i.value) for i in at.info)
    at.selectbox(key="programme").set_value(PROGRAMME).run()  # the user insists on js-iif-2022
    assert not at.exception
    assert at.selectbox(key="programme").value == PROGRAMME
    assert "nt-smart-factory-2022" in at.error[0].value and "不是所选申报项目" in at.error[0].value
    assert not at.metric
    assert store_runs(data_dir) == 1


def test_a_draft_of_no_known_programme_is_refused(data_dir: Path) -> None:
    at = upload(
        page("check"), "x.json", json_bytes({**good_draft(), "programme": "js-nope"}), "application/json"
    )
    assert not at.exception
    assert "「js-nope」不是本系统收录的申报项目" in at.error[0].value
    assert at.selectbox(key="programme").value == PROGRAMME and not at.metric
    assert store_runs(data_dir) == 0


def test_a_draft_of_the_chosen_programme_shows_no_switch(data_dir: Path, tmp_path: Path) -> None:
    at = upload(page("check"), "申报书.docx", docx_bytes(salary_draft(), tmp_path))
    assert not any("已识别上传的文件为" in str(i.value) for i in at.info)


def test_word_counts_of_limited_sections(data_dir: Path) -> None:
    d = good_draft()
    d["sections"]["overview"] = "智" * 1046
    at = upload(page("check"), "超长.json", json_bytes(d), "application/json")
    rows = at.dataframe[0].value
    row = rows[rows["位置"] == "项目总体描述"].iloc[0]
    assert (row["字数"], row["上限"], row["是否超限"]) == (1046, 1000, "超出上限")


def test_the_evidence_tab_shows_each_claim_with_its_quotes_highlighted(data_dir: Path) -> None:
    """Issue 11 item 6: per claim the verdict, the missing elements in Chinese,
    the quotes highlighted in the passage and the clause."""
    d = good_draft()
    d["sections"]["construction"] += (
        "\n生产工艺优化：部署工艺参数优化系统，实时采集炉温数据，经模型计算后自动下发设定值，产品不良率由3%降至1%。"
    )
    at = upload(page("check"), "申报书.json", json_bytes(d), "application/json")
    tab = next(t for t in at.tabs if t.label.startswith("证据（"))
    n = int(tab.label.removeprefix("证据（").removesuffix("）"))
    assert n > 0
    claims = [e for e in tab.expander]
    assert len(claims) == n
    assert all(e.label.split("　")[0] in ("证据充分", "证据不全", "缺少证据") for e in claims)
    shown = "\n".join(m.value for m in tab.markdown)
    assert ":orange-background[" in shown  # a quote, highlighted in its passage
    assert "一、申报条件" in shown  # the clause each claim is measured against
    supported = [e for e in claims if e.label == "证据充分　生产工艺优化"]
    assert len(supported) == 1  # the indicator the added paragraph describes
    missing = [e for e in claims if e.label.startswith("缺少证据")]
    assert missing and any(m.value == "缺少：系统/装备、工作方式、量化成效" for m in missing[0].markdown)


def test_the_evidence_tab_offers_a_model_review_and_shows_its_flags(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: review with a model is opt-in per draft (a button), shows its
    progress and its flags replace the rules-only ones until undone. The
    ``fake`` provider stands in for the model (no network, no weights)."""
    reply = (
        '{"system": {"present": true, "quotes": ["部署工艺参数优化系统"]}, '
        '"how": {"present": false, "quotes": []}, "result": {"present": false, "quotes": []}}'
    )
    monkeypatch.setenv("SHENBAO_LLM__PROVIDER", "fake")
    monkeypatch.setenv("SHENBAO_LLM__FAKE_REPLIES", json.dumps([reply] * 40))
    d = good_draft()
    d["sections"]["construction"] += (
        "\n生产工艺优化：部署工艺参数优化系统，实时采集炉温数据，经模型计算后自动下发设定值，产品不良率由3%降至1%。"
    )
    at = upload(page("check"), "申报书.json", json_bytes(d), "application/json")
    tab = next(t for t in at.tabs if t.label.startswith("证据（"))
    button = next(b for b in tab.button if b.label.startswith("用大模型（fake）复核"))
    at = button.click().run()
    assert not at.exception, at.exception
    tab = next(t for t in at.tabs if t.label.startswith("证据（"))
    shown = "\n".join(c.value for c in tab.caption)
    assert "大模型（fake）找出引文" in shown  # the note says which model found the quotes
    claim = next(e for e in tab.expander if e.label.endswith("生产工艺优化"))
    assert claim.label.startswith("证据不全")  # the model quoted only a system
    at = next(b for b in tab.button if b.label == "改回仅规则的结论").click().run()
    tab = next(t for t in at.tabs if t.label.startswith("证据（"))
    assert any(e.label == "证据充分　生产工艺优化" for e in tab.expander)
