"""逐节检查 on the 场景描述起草 page: a writer working section by section picks
one part of the 申报书 (a text section such as 企业简介 or the 总体描述, or a
table such as the scenario table), pastes it or uploads a .txt/.docx holding
only that part, and sees that part's own rule checks with the clauses quoted
and the evidence review of what it claims — the rest of the form is not
reported as unknown. Nothing is stored.

Which rules belong to a part, reading an uploaded part and the check itself
are :mod:`app.sections` (the service of ``shenbao check --section``); this
panel only shows them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app.checking import Report
from app.reports.common import STATUS_LABELS, STATUS_ORDER, grouped, verdict
from app.sections import (
    PASTED,
    SectionError,
    SectionTarget,
    check_section,
    choices_read,
    read_section_upload,
    rules_needing_more,
    section_from_text,
    targets,
)
from app.ui.common import md, show_findings
from app.ui.evidence import show_evidence
from app.ui.services import Services
from app.uploads import MAX_UPLOAD_MB
from core.draft import Draft, field_title
from core.spec import ProgrammeSpec
from core.text import measure

TITLE = "逐节检查"
TARGET_KEY = "section_target"
CHOICE_KEY = "section_choice"
"""Prefix of the keys of the draft-level choices (``section_choice:factory_type``)."""
TEXT_KEY = "section_text"
UPLOAD_KEY = "section_upload"
RESULT_KEY = "section_result"
"""The last check: :class:`SectionCheck` (run again only when its inputs change)."""
_FILE_KEY = "section_text_file"
"""(file id, target, text) of the upload last read into the text box."""
INTRO = (
    "按部分写作时用：选择申报书的一个部分，粘贴该部分的文字或上传只含该部分的 .txt/.docx 文件，"
    "只检查这一部分自己的规则（字数上限、表格各栏字数、所属环节等）和其中申报内容的证据，"
    "申报书的其他部分不会报“无法判断”。检查结果不保存。"
)


@dataclass(frozen=True)
class SectionCheck:
    """One check of one part: the inputs it was made from, its report or why it failed."""

    signature: tuple[object, ...]
    report: Report | None
    error: str | None = None
    text: str | None = None
    """The checked text of a text section (for its 字数)."""


def _label(target: SectionTarget) -> str:
    return f"{target.title}（表格，上传 .docx）" if target.kind == "table" else target.title


def render(spec: ProgrammeSpec, svc: Services) -> None:
    """The panel, for the programme chosen on the page."""
    st.subheader(TITLE, divider="gray")
    st.caption(INTRO)
    options = {f"{t.kind}:{t.id}": t for t in targets(spec)}
    if not options:
        st.caption("该申报项目的申报书没有可单独检查的章节或表格。")
        return
    if st.session_state.get(TARGET_KEY) not in options:
        st.session_state.pop(TARGET_KEY, None)
    chosen = st.selectbox(
        "要检查的部分",
        list(options),
        key=TARGET_KEY,
        format_func=lambda v: _label(options[v]),
        help="申报书的章节或表格；只检查只凭这一部分就能判断的规则",
    )
    target = options[str(chosen)]
    hint = next((s.hint for s in spec.sections if s.id == target.id and target.kind == "section"), None)
    if hint:
        st.caption(f"申报书原文对这一部分的要求：{md(hint)}")
    stated = _choices(spec, target)
    upload = st.file_uploader(
        "上传该部分（.txt 或 .docx；表格须用 .docx）",
        key=UPLOAD_KEY,
        help="只含这一部分的文件：文字部分可用 UTF-8 文本或 Word 文档，表格须用 Word 文档（按表头识别）",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if target.kind == "table":
        check = _table_check(spec, svc, target, stated, upload)
    else:
        check = _text_check(spec, svc, target, stated, upload)
    if check is not None:
        _show(check, spec, target, stated)


def _choices(spec: ProgrammeSpec, target: SectionTarget) -> dict[str, str]:
    """The draft-level choices (the factory type …) that bring more of this part's rules in."""
    stated: dict[str, str] = {}
    for name in choices_read(spec, target):
        values = spec.variants[name]
        key = f"{CHOICE_KEY}:{name}"
        if st.session_state.get(key) not in values:
            st.session_state.pop(key, None)
        title = field_title(name) or name
        picked = st.radio(
            title,
            values,
            index=None,
            key=key,
            horizontal=True,
            help=f"选择后还检查依赖{title}的规则（如所属环节是否属于该类型的环节）",
        )
        if picked is not None:
            stated[name] = str(picked)
    return stated


def _text_check(
    spec: ProgrammeSpec,
    svc: Services,
    target: SectionTarget,
    stated: dict[str, str],
    upload: UploadedFile | None,
) -> SectionCheck | None:
    """A text section: an upload is read into the text box (once per file and
    part), the text box is checked; a refused upload shows why and checks nothing."""
    read = st.session_state.get(_FILE_KEY)
    refused = False
    if upload is None:
        st.session_state.pop(_FILE_KEY, None)
        read = None
    elif not (isinstance(read, tuple) and read[:2] == (upload.file_id, target.id)):
        try:
            draft = read_section_upload(upload.name, upload.getvalue(), spec, svc.corpus, target)
        except SectionError as exc:
            st.error(f"无法检查「{md(upload.name)}」：{md(exc)}", icon=":material/error:")
            refused = True
        else:
            read = (upload.file_id, target.id, draft.sections[target.id])
            st.session_state[_FILE_KEY] = read
            st.session_state[TEXT_KEY] = read[2]
    text = str(
        st.text_area(
            "该部分的文字",
            key=TEXT_KEY,
            height=200,
            placeholder=f"粘贴「{target.title}」的正文（只含这一部分）",
        )
    )
    if refused:
        return None  # the box keeps what was pasted; nothing is checked until the upload is replaced
    if not text.strip():
        st.caption("粘贴这一部分的文字（按 Ctrl+Enter 或点击框外后检查），或上传只含这一部分的文件。")
        return None
    source = upload.name if upload is not None and read is not None and read[2] == text else PASTED
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    signature = (spec.id, target, tuple(sorted(stated.items())), digest, source)
    cached = st.session_state.get(RESULT_KEY)
    if isinstance(cached, SectionCheck) and cached.signature == signature:
        return cached
    try:
        draft = section_from_text(spec, target, text, source)
    except SectionError as exc:
        check = SectionCheck(signature, None, str(exc))
    else:
        check = SectionCheck(signature, _run(spec, svc, target, draft, stated), text=text.strip())
    st.session_state[RESULT_KEY] = check
    return check


def _table_check(
    spec: ProgrammeSpec,
    svc: Services,
    target: SectionTarget,
    stated: dict[str, str],
    upload: UploadedFile | None,
) -> SectionCheck | None:
    """A table: the uploaded .docx's rows of it, checked once per file and choices."""
    if upload is None:
        st.caption(
            f"表格「{md(target.title)}」请上传只含该表格的 Word 文件（.docx，表头与申报书一致）；"
            "表格不能以粘贴文字检查。"
        )
        return None
    signature = (spec.id, target, tuple(sorted(stated.items())), upload.file_id)
    cached = st.session_state.get(RESULT_KEY)
    if isinstance(cached, SectionCheck) and cached.signature == signature:
        return cached
    try:
        draft = read_section_upload(upload.name, upload.getvalue(), spec, svc.corpus, target)
    except SectionError as exc:
        check = SectionCheck(signature, None, f"无法检查「{md(upload.name)}」：{md(exc)}")
    else:
        check = SectionCheck(signature, _run(spec, svc, target, draft, stated))
    st.session_state[RESULT_KEY] = check
    return check


def _run(
    spec: ProgrammeSpec, svc: Services, target: SectionTarget, draft: Draft, stated: dict[str, str]
) -> Report:
    if stated:
        draft = draft.model_copy(update=stated)
    return check_section(spec, svc.corpus, target, draft, draft.source or PASTED)


def _show(check: SectionCheck, spec: ProgrammeSpec, target: SectionTarget, stated: dict[str, str]) -> None:
    """The part's findings (clauses quoted), what it leaves to the whole form, and its evidence."""
    if check.error is not None:
        st.error(md(check.error), icon=":material/error:")
        return
    report = check.report
    assert report is not None
    if check.text is not None:
        st.caption(f"「{md(target.title)}」当前 {measure(check.text).describe()}")
    if report.findings:
        counts = "，".join(f"{STATUS_LABELS[s]} {report.summary.get(s, 0)}" for s in STATUS_ORDER)
        st.markdown(f"**「{md(target.title)}」的检查结论：{verdict(report.findings)}**　:gray[{counts}]")
        for status, findings in grouped(report.findings):
            show_findings(findings, status, expanded=True)
    else:
        st.info(
            f"「{md(target.title)}」没有只凭这一部分就能判断的规则（如字数上限）。",
            icon=":material/info:",
        )
    _left_out(spec, target, stated)
    st.markdown("**证据审阅**（仅规则）")
    if report.evidence:
        show_evidence(report.evidence)
    else:
        st.caption("这一部分没有需要佐证的申报内容（场景、环节或指标）。")


def _left_out(spec: ProgrammeSpec, target: SectionTarget, stated: dict[str, str]) -> None:
    """The rules that read this part and something else: a choice above brings some in,
    the others need the whole form."""
    left = rules_needing_more(spec, target, set(stated))
    if not left:
        return
    with_choices = {r.id for r in rules_needing_more(spec, target, set(spec.variants))}
    need_choice = [r for r in left if r.id not in with_choices]
    whole = [r for r in left if r.id in with_choices]
    if need_choice:
        missing = "、".join(field_title(n) or n for n in choices_read(spec, target) if n not in stated)
        st.info(
            f"选择{missing}后还会检查：" + "；".join(f"{md(r.title)}（`{r.id}`）" for r in need_choice),
            icon=":material/tune:",
        )
    if whole:
        st.caption(
            "未在此检查（还需要申报书的其他部分，请在“检查申报书”页检查整份申报书）："
            + "；".join(f"{md(r.title)}（`{r.id}`）" for r in whole)
        )
