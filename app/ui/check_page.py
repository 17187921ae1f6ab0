"""检查申报书: choose the programme, download its blank form, upload a draft,
see every rule's finding with the clause quoted, supply what the draft lacks
and re-check, download the reports, and see what changed since the last check.

A new upload that is recognisably another programme's form is checked against
that programme and the picker switches to it (the page says so); once the
user picks a programme again for the same upload, that choice is kept and
another programme's form is refused."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app.check_service import CheckedUpload
from app.checking import CheckError, Report
from app.drafting.prefill import prefill_from_flag
from app.reports import entry_json, render_html
from app.reports.common import STATUS_LABELS, STATUS_ORDER, grouped, verdict
from app.review.service import app_model
from app.store import Changes, FindingChange
from app.supplements import InputError, MissingField, apply_values, read_inputs
from app.templates import template_bytes as blank_form
from app.ui import drafting_page
from app.ui.annotated import check_download
from app.ui.common import md, pick_programme, programme_facts, show_findings
from app.ui.evidence import show_evidence
from app.ui.fill_download import filled_download
from app.ui.services import Services, get_services
from app.uploads import MAX_UPLOAD_MB
from app.word_counts import LimitedText, limited_texts
from core.draft import Draft
from core.review import EvidenceFlag, flag_of
from core.spec import ProgrammeSpec
from core.text import measure
from ingestion.drafts import DraftError

STATE_KEY = "check_state"
UPLOAD_KEY = "check_upload"
PROGRAMME_KEY = "programme"
SWITCH_KEY = "check_switch_to"
"""A programme the picker must show on the next run (set before a rerun: a
widget's state cannot change once the widget is drawn)."""
VERDICT_ICONS = {
    "不通过": ":material/cancel:",
    "待补充": ":material/help:",
    "通过": ":material/check_circle:",
}
_NOT_GIVEN = "（未填写）"


@dataclass
class CheckSession:
    """One user's current check: the upload it belongs to and its results."""

    key: tuple[str, str]
    """(upload id, programme id): a new upload or programme means a new check."""
    error: str | None = None
    checked: CheckedUpload | None = None
    draft: Draft | None = None
    """The draft the shown report is about: as read, or with supplied values."""
    report: Report | None = None
    supplied: dict[str, Any] = field(default_factory=dict)
    switched_from: str | None = None
    """The programme that was chosen when the upload turned out to be another programme's form."""
    model_evidence: list[EvidenceFlag] | None = None
    """The evidence reviewed again with a language model, when the user asked for it."""


@st.cache_data(show_spinner=False, max_entries=32)
def template_bytes(programme: str, corpus_version: str) -> bytes:
    """The programme's blank .docx form (cached per programme and corpus version)."""
    corpus = get_services().corpus
    return blank_form(corpus.programme(programme), corpus)


def render() -> None:
    """The page."""
    svc = get_services()
    st.title("检查申报书")
    switch_to = st.session_state.pop(SWITCH_KEY, None)
    if switch_to in svc.corpus.programmes:
        st.session_state[PROGRAMME_KEY] = switch_to
    spec = pick_programme(svc.corpus, key=PROGRAMME_KEY)
    programme_facts(spec)
    _template_download(spec, svc)
    upload = st.file_uploader(
        "上传申报书",
        key=UPLOAD_KEY,
        help=f"Word 格式（.docx），不超过 {MAX_UPLOAD_MB} MB；也接受按 Draft 格式填写的 .json/.yaml 草稿。",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if upload is None:
        st.session_state.pop(STATE_KEY, None)
        st.info(
            "请选择申报项目并上传申报书（.docx）；上传的是其他项目的申报书时，会自动切换到该项目。可先下载上方的空白模板填写。",
            icon=":material/upload_file:",
        )
        return
    session = _session_for(upload, spec, svc)
    if session.error is not None:
        st.error(session.error, icon=":material/error:")
        return
    _show(session, spec, svc)


def _template_download(spec: ProgrammeSpec, svc: Services) -> None:
    try:
        data = template_bytes(spec.id, svc.corpus.version)
    except Exception:  # a template problem must not hide the checker
        st.caption("该项目的空白模板暂时无法生成。")
        return
    st.download_button(
        "下载空白申报书模板（.docx）",
        data,
        file_name=f"{spec.id}-申报书模板.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:",
        on_click="ignore",
        key="template_download",
    )


def _session_for(upload: UploadedFile, spec: ProgrammeSpec, svc: Services) -> CheckSession:
    """The session's check of this upload, running it once (not on every rerun).

    A new upload follows its form: when it is another programme's form, it is
    checked against that programme and the page reruns with the picker
    switched. The same upload under a programme the user picked afterwards
    is checked against the picked one.
    """
    key = (upload.file_id, spec.id)
    current = st.session_state.get(STATE_KEY)
    if isinstance(current, CheckSession) and current.key == key:
        return current
    follow = not (isinstance(current, CheckSession) and current.key[0] == upload.file_id)
    session = CheckSession(key=key)
    with st.spinner("正在检查…"):
        try:
            checked = svc.checks.check_upload(upload.name, upload.getvalue(), spec, follow_form=follow)
        except (DraftError, CheckError) as e:
            session.error = f"无法检查「{upload.name}」：{e}"
        else:
            session.checked, session.draft, session.report = checked, checked.draft, checked.report
            session.key = (upload.file_id, checked.programme)
            session.switched_from = checked.switched_from
    st.session_state[STATE_KEY] = session
    if session.switched_from is not None:
        st.session_state[SWITCH_KEY] = session.key[1]
        st.rerun()
    return session


def _show(session: CheckSession, spec: ProgrammeSpec, svc: Services) -> None:
    checked, report, draft = session.checked, session.report, session.draft
    assert checked is not None and report is not None and draft is not None
    if session.switched_from is not None:
        _switch_note(session.switched_from, spec, svc)
    if session.supplied:
        st.info(
            f"以下是补充 {len(session.supplied)} 项信息后重新检查的结果。补充的信息只用于本次查看，"
            "未写入上传的文件，也未保存到审阅记录；请把它们填进申报书（Word 申报书可直接下载已填写的版本）后重新上传。",
            icon=":material/edit_note:",
        )
        upload = st.session_state.get(UPLOAD_KEY)
        if isinstance(upload, UploadedFile):
            filled_download(upload.name, upload.getvalue(), session.supplied, spec, svc)
        if st.button("恢复为上传文件的检查结果", icon=":material/undo:"):
            session.supplied, session.draft, session.report = {}, checked.draft, checked.report
            session.model_evidence = None
            st.rerun()
    _summary(report, spec)
    _changes(checked)
    _downloads(report, spec)
    upload = st.session_state.get(UPLOAD_KEY)
    check_download(checked, upload.getvalue() if upload is not None else None, svc)
    missing = svc.checks.missing_fields(checked.report.findings, spec)
    texts = limited_texts(spec, draft)
    tabs = st.tabs(
        [
            "检查结果",
            f"补充缺失信息（{len(missing)}）",
            f"字数（{len(texts)}）",
            f"证据（{len(report.evidence)}）",
        ]
    )
    with tabs[0]:
        for status, findings in grouped(report.findings):
            show_findings(findings, status, expanded=status in ("fail", "warn", "unknown"))
    with tabs[1]:
        _supply_form(session, missing, spec, svc)
    with tabs[2]:
        _word_counts(texts)
    with tabs[3]:
        _evidence_tab(session, spec, svc)


def _evidence_tab(session: CheckSession, spec: ProgrammeSpec, svc: Services) -> None:
    """The rules-only flags, or the model's when the user asked for them; the
    model review is opt-in (it takes seconds per claim), shows its progress and
    stops when the user presses 停止 (any click ends the running review)."""
    assert session.report is not None and session.draft is not None
    model = app_model(svc.settings)
    if model is None:
        st.caption("未配置大模型：证据审阅只用规则（运行 make llm 可安装本地模型，或设置 OpenAI 兼容接口）。")
    elif session.model_evidence is None and session.report.evidence:
        n = len(session.report.evidence)
        if st.button(f"用大模型（{model}）复核这 {n} 项证据", icon=":material/psychology:"):
            st.button("停止", icon=":material/stop:", help="停止复核，保留仅规则的结论")
            bar = st.progress(0.0, text="复核中…")

            def step(done: int, total: int) -> None:
                bar.progress(done / total, text=f"复核中：{done}/{total}")

            reviews = svc.review.review_draft(spec, session.draft, llm=model, progress=step)
            session.model_evidence = [flag_of(r) for r in reviews]
            st.rerun()
    if session.model_evidence is not None:
        if st.button("改回仅规则的结论", icon=":material/undo:"):
            session.model_evidence = None
            st.rerun()
        show_evidence(session.model_evidence, lambda f: _to_drafting(f, session, spec, svc))
    else:
        show_evidence(session.report.evidence, lambda f: _to_drafting(f, session, spec, svc))


def _to_drafting(flag: EvidenceFlag, session: CheckSession, spec: ProgrammeSpec, svc: Services) -> None:
    """A weakly supported scenario or 环节 opens the drafting page with its passages as the notes."""
    prefill = prefill_from_flag(flag, spec, svc.corpus, session.draft)
    if prefill is not None and st.button(
        "去起草这个场景",
        key=f"to_draft:{flag.claim.id}",
        icon=":material/edit_note:",
        help="在“场景描述起草”页打开：以这一项的原文为材料，申报项目、工厂类型和所属环节已选好",
    ):
        drafting_page.open_with(prefill)


def _switch_note(previous: str, spec: ProgrammeSpec, svc: Services) -> None:
    """Say that the upload was recognised as ``spec``'s form and the programme switched."""
    before = svc.corpus.programmes.get(previous)
    shown = f"「{md(before.title)}」（{previous}）" if before is not None else f"（{previous}）"
    st.info(
        f"已识别上传的文件为「{md(spec.title)}」（{spec.id}）的申报书，申报项目已从{shown}"
        "切换为该项目，并按该项目的规则检查。如需按其他项目检查，请在上方重新选择申报项目。",
        icon=":material/swap_horiz:",
    )


def _summary(report: Report, spec: ProgrammeSpec) -> None:
    v = verdict(report.findings)
    st.subheader(f"{VERDICT_ICONS.get(v, '')} 结论：{v}", divider="gray")
    st.caption(f"文件：{md(report.file)}　·　{md(spec.title)}（{spec.id}）")
    cols = st.columns(len(STATUS_ORDER))
    for col, status in zip(cols, STATUS_ORDER, strict=True):
        col.metric(STATUS_LABELS[status], report.summary.get(status, 0), border=True)
    for note in report.notes:
        st.info(md(note), icon=":material/info:")


def _change_lines(changes: tuple[FindingChange, ...]) -> str:
    lines = []
    for c in changes:
        f = c.current or c.previous
        title = f.title if f is not None else ""
        lines.append(f"- `{c.rule_id}` {md(title)}")
    return "\n".join(lines) or "无"


def _changes(checked: CheckedUpload) -> None:
    if checked.store_note:
        st.warning(checked.store_note, icon=":material/database:")
        return
    changes: Changes | None = checked.changes
    if changes is None:
        st.caption("首次检查这份申报书（按文件名和申报项目识别），本次结果已保存，下次上传时会显示变化。")
        return
    counts = changes.counts()
    with st.expander(
        f"与上次检查相比：已修复 {counts['fixed']} 项，新增问题 {counts['new']} 项，"
        f"仍未通过 {counts['still_failing']} 项",
        expanded=True,
        icon=":material/compare_arrows:",
    ):
        cols = st.columns(3)
        for col, title, items in zip(
            cols,
            ("已修复", "新增问题", "仍未通过"),
            (changes.fixed, changes.new, changes.still_failing),
            strict=True,
        ):
            col.markdown(f"**{title}（{len(items)}）**\n\n{_change_lines(items)}")


def _downloads(report: Report, spec: ProgrammeSpec) -> None:
    stem = PurePath(report.file).stem or "申报书"
    left, right = st.columns(2)
    left.download_button(
        "下载 HTML 报告",
        render_html(report, spec.title),
        file_name=f"{stem}-检查报告.html",
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        key="report_html",
    )
    right.download_button(
        "下载 JSON 报告",
        json.dumps(entry_json(report), ensure_ascii=False, indent=2),
        file_name=f"{stem}-检查报告.json",
        mime="application/json",
        icon=":material/data_object:",
        on_click="ignore",
        key="report_json",
    )


def _input(f: MissingField, key: str) -> Any:
    """One input widget for a missing field; returns what was entered."""
    help_text = "用于：" + "；".join(f.rules)
    unit = f"（{f.unit}）" if f.unit and f.kind != "money" else ""
    label = f"{f.label}{unit}"
    if f.kind == "bool":
        choice = st.radio(label, [_NOT_GIVEN, "是", "否"], key=key, horizontal=True, help=help_text)
        return None if choice == _NOT_GIVEN else choice == "是"
    if f.kind == "choice":
        names = [name for name, _ in f.choices]
        picked = st.selectbox(label, names, index=None, key=key, help=help_text, placeholder="请选择")
        return dict(f.choices).get(picked) if picked is not None else None
    if f.kind == "selection":
        names = st.multiselect(
            label, [name for name, _ in f.choices], key=key, help=help_text, placeholder="请勾选"
        )
        by_name = dict(f.choices)
        return [by_name[n] for n in names]
    if f.kind == "section":
        text = st.text_area(label, key=key, help=help_text, placeholder="填写该部分正文")
        if text.strip():
            st.caption(f"当前 {measure(text).describe()}")
        return text
    placeholders = {
        "money": "金额，如 2000 万元、0.2亿元、贰仟万元",
        "number": "数值，如 120、１２０",
        "date": "日期，如 2022年5月20日、2022-05-20、2022年5月",
        "date_end": "日期，如 2022年5月31日、2022年5月（按月末计）",
        "list": "多项用、或，分隔；没有请填“无”",
    }
    return st.text_input(label, key=key, help=help_text, placeholder=placeholders.get(f.kind, ""))


def _supply_form(
    session: CheckSession, missing: list[MissingField], spec: ProgrammeSpec, svc: Services
) -> None:
    if not missing:
        st.caption("没有因缺少信息而无法判断的规则。")
        return
    st.caption(
        "以下信息在申报书中未找到，相关规则无法判断。填写后点击“重新检查”，只重新运行规则，不修改上传的文件。"
    )
    editable = [f for f in missing if f.kind != "unsupported"]
    for f in missing:
        if f.kind == "unsupported":
            st.markdown(f"- **{md(f.label)}**：{md(f.hint or '')}")
    if not editable:
        return
    nonce = session.key[0][:8]
    with st.form("supply_form"):
        entered = {f.path: _input(f, f"supply:{nonce}:{f.path}") for f in editable}
        submitted = st.form_submit_button("重新检查", type="primary", icon=":material/refresh:")
    if not submitted:
        return
    supplied = read_inputs(editable, entered)
    values, problems = supplied.values, supplied.problems
    if problems:
        st.error("以下信息无法识别，请修改后重试：\n\n" + "\n".join(f"- {md(p)}" for p in problems))
        return
    if not values:
        st.warning("没有填写任何信息。")
        return
    checked = session.checked
    assert checked is not None
    try:
        draft = apply_values(checked.draft, values, supplied.originals)
    except InputError as e:
        st.error(str(e))
        return
    session.supplied, session.draft = values, draft
    session.report = svc.checks.recheck(draft, spec, checked.file_name)
    session.model_evidence = None  # the model's review was of the draft before the supplied values
    st.rerun()


def _word_counts(texts: list[LimitedText]) -> None:
    if not texts:
        st.caption("该申报项目没有字数上限的章节或表格。")
        return
    st.caption("字数按 Word 的中文字数统计口径计算（汉字和全角标点各计 1，连续的英文或数字计 1，空格不计）。")
    rows = [
        {
            "位置": t.where,
            "字数": t.count.zishu,
            "上限": t.limit,
            "字符数（不计空格）": t.count.chars_no_spaces,
            "是否超限": "超出上限" if t.over else ("未填写" if t.count.zishu == 0 else "未超"),
        }
        for t in texts
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
