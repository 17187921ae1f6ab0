"""场景描述起草: one row of a programme's scenario table drafted from the
writer's notes (rules-only: the notes' own sentences, assigned to the columns
and kept within their 字数 limits; nothing invented), edited by hand with the
字数 and the numbers checked again on every edit, collected into a table and
downloaded as the writer's .docx (or the blank form) with the rows added.

Drafting, the edited row's checks, reading an uploaded notes file and writing
the .docx are services in ``app/drafting/``; this page only shows them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app.drafting.docx_into import IntoError, rows_into_bytes, section_into_bytes
from app.drafting.edits import EDITED_NOTE, column_issues, edit_row, refusals
from app.drafting.facts import split_facts
from app.drafting.notes import NotesError, notes_from_upload
from app.drafting.prefill import DraftPrefill
from app.drafting.segment_into import segment_into_bytes
from app.drafting.service import DraftInputError
from app.llm.errors import LLMConfigError
from app.review.passage import SCENARIO_LIST
from app.review.service import app_model
from app.ui import section_panel
from app.ui.common import guarded, md, pick_programme
from app.ui.services import Services, get_services
from app.uploads import MAX_UPLOAD_MB
from core.drafting import FIT_LABELS, DraftColumn, ScenarioRow
from core.spec import DraftingSpec, ProgrammeSpec, column_limit, section_limit

TITLE = "场景描述起草"
URL_PATH = "draft"
PROGRAMME_KEY = "draft_programme"
FACTORY_KEY = "draft_factory_type"
SCENARIO_KEY = "draft_scenario"
LINK_KEY = "draft_link"
TARGET_KEY = "draft_target"
NOTES_KEY = "draft_notes"
NOTES_UPLOAD_KEY = "draft_notes_upload"
INTO_UPLOAD_KEY = "draft_into_upload"
PREFILL_KEY = "draft_prefill"
"""A :class:`DraftPrefill` the page applies on its next run (set by the check page)."""
CURRENT_KEY = "draft_current"
ROWS_KEY = "draft_rows"
"""Rows added to the table, per programme id."""
DOCX_KEY = "draft_docx"
"""The .docx last built for download: :class:`BuiltDocx`."""
_SOURCE_KEY = "draft_source"
_REDRAFT_ERROR_KEY = "draft_redraft_error"
_NOTES_FILE_KEY = "draft_notes_file"
_AUTO = "auto"
_AUTO_LINK = ""
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LLM_KEY = "draft_llm"
MODEL_NOTE = (
    "大模型起草：模型按政策用语改写您的材料；每一栏都由程序核对——按 Word 字数不超过上限（超出先请模型压缩，"
    "仍超出则在句末截断），数字和单位、公司与产品名称都必须来自材料，每栏都要能在材料中找到出处；"
    "不合格的栏目会重写一次，仍不合格则改用材料原句。本地模型起草一行约需 1–3 分钟。"
)
RULES_ONLY_NOTE = (
    "仅规则起草（未使用大模型）：每一栏都从您的材料中摘取原句，按内容分到各栏，并按 Word 字数控制在上限内；"
    "不改写、不编造，材料里没有的数字和名称不会出现，材料里没有内容的栏目留空并说明。"
)


@dataclass
class DraftState:
    """The row last drafted on this page, with the notes it was drafted from."""

    row: ScenarioRow
    facts_text: str
    nonce: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    suggested: list[tuple[str, str]] = field(default_factory=list)
    """(number, name) of the scenarios the notes fit best, when the scenario was ``auto``."""
    llm: str = "none"
    """How the row was drafted: ``none`` (rules-only) or the model's provider name."""
    factory_type: str | None = None


@dataclass(frozen=True)
class BuiltDocx:
    """The download: which rows and draft it was built from, its bytes or why it failed."""

    signature: tuple[object, ...]
    data: bytes | None
    error: str | None = None


def nav_page() -> StreamlitPage:
    """This page as ``st.navigation`` registers it (also the target of ``st.switch_page``)."""
    return st.Page(guarded(render), title=TITLE, icon=":material/edit_note:", url_path=URL_PATH)


def open_with(prefill: DraftPrefill) -> None:
    """Switch to this page with its inputs chosen (from another page)."""
    st.session_state[PREFILL_KEY] = prefill
    st.switch_page(nav_page(), query_params={"programme": prefill.programme})


def _link_key(spec: ProgrammeSpec, factory_type: str | None) -> str:
    return f"{LINK_KEY}:{spec.id}:{factory_type or ''}"


def _apply_prefill(svc: Services) -> None:
    """Put a prefill's values into the widgets' state before they are drawn."""
    pre = st.session_state.pop(PREFILL_KEY, None)
    if not isinstance(pre, DraftPrefill) or pre.programme not in svc.corpus.programmes:
        return
    spec = svc.corpus.programme(pre.programme)
    st.session_state[PROGRAMME_KEY] = pre.programme
    st.session_state[NOTES_KEY] = pre.notes
    st.session_state[SCENARIO_KEY] = pre.scenario
    if pre.factory_type:
        st.session_state[FACTORY_KEY] = pre.factory_type
    if pre.link and pre.link in svc.drafting.link_names(spec, pre.factory_type):
        st.session_state[_link_key(spec, pre.factory_type)] = pre.link
    st.session_state[_SOURCE_KEY] = pre.source
    st.session_state.pop(CURRENT_KEY, None)


def render() -> None:
    """The page."""
    svc = get_services()
    st.title(TITLE)
    llm = _model_choice(svc)
    st.info(RULES_ONLY_NOTE if llm == "none" else MODEL_NOTE, icon=":material/rule:")
    _apply_prefill(svc)
    drafting = [p.id for p in svc.corpus.programmes.values() if p.drafting]
    spec = pick_programme(svc.corpus, key=PROGRAMME_KEY, only=drafting)
    d = _target_choice(spec)
    factory_type, scenario, link = _choices(spec, svc, d)
    notes = _notes(section=not _is_scenario_table(spec, d))
    if st.button("起草", type="primary", icon=":material/edit_note:"):
        with st.spinner("大模型起草中，各栏逐一核对…" if llm != "none" else "起草中…"):
            _draft(spec, svc, notes, scenario, link, factory_type, llm, d.target)
    state = st.session_state.get(CURRENT_KEY)
    if (
        isinstance(state, DraftState)
        and state.row.programme == spec.id
        and (state.row.target or state.row.section or d.target) == d.target
    ):
        _show_row(state, spec, svc)
    if _is_scenario_table(spec, d):
        _table(spec, svc)
    section_panel.render(spec, svc)  # 逐节检查: one part of the form on its own


def _is_scenario_table(spec: ProgrammeSpec, d: DraftingSpec) -> bool:
    """``d`` is the scenario table whose rows are collected and written as a grid."""
    scenario = spec.scenario_drafting
    return scenario is not None and d.table is not None and d.table == scenario.table


def _target_label(spec: ProgrammeSpec, d: DraftingSpec) -> str:
    title = spec.draft_target_title(d)
    if d.section is not None:
        return f"{title}（{section_limit(spec, d.section)} 字以内）"
    if _is_scenario_table(spec, d):
        return f"{title}（一行）"
    [(key, _)] = d.columns.items()
    return f"{title}（按环节，每个环节 {column_limit(spec, d.table or '', key)} 字以内）"


def _target_choice(spec: ProgrammeSpec) -> DraftingSpec:
    """What to draft, when the programme's form has several draftable parts
    (default: the first, the scenario table)."""
    if len(spec.drafting) == 1:
        return spec.drafting[0]
    key = f"{TARGET_KEY}:{spec.id}"
    targets = {d.target: d for d in spec.drafting}
    if st.session_state.get(key) not in targets:
        st.session_state.pop(key, None)
    chosen = st.radio(
        "起草内容", list(targets), key=key, horizontal=True,
        format_func=lambda t: _target_label(spec, targets[t]),
        help="本申报书有多处可以按材料起草：场景表的一行，或限字数的章节",
    )  # fmt: skip
    return targets[str(chosen)]


def _choices(spec: ProgrammeSpec, svc: Services, d: DraftingSpec) -> tuple[str | None, str, str | None]:
    """Factory type (where the 环节 list depends on it), scenario and 所属环节."""
    if d.section is not None:  # a limited text section: no scenario, no 环节
        title = next(s.title for s in spec.sections if s.id == d.section)
        lead = "本申报书没有场景表：起草" if len(spec.drafting) == 1 else "起草"
        st.caption(
            md(f"{lead}的是“{title}”一节（{section_limit(spec, d.section)} 字以内），按材料摘取整句。")
        )
        return None, "", None
    factory_type: str | None = None
    if d.link_list_by:
        if st.session_state.get(FACTORY_KEY) not in d.link_list_by:
            st.session_state.pop(FACTORY_KEY, None)
        factory_type = st.radio(
            "工厂类型", list(d.link_list_by), index=None, key=FACTORY_KEY, horizontal=True,
            help="决定所属环节的取值范围（离散型、流程型的环节不同）",
        )  # fmt: skip
    scenarios = svc.corpus.lists[SCENARIO_LIST]
    names = {i.id: i.name for i in scenarios.items}
    left, right = st.columns(2)
    scenario = left.selectbox(
        "典型场景",
        [_AUTO, *names],
        key=SCENARIO_KEY,
        format_func=lambda s: "按材料自动建议" if s == _AUTO else f"{s}. {names[s]}",
        help=f"《{scenarios.title}》的 {len(names)} 个场景；选“按材料自动建议”时按材料内容匹配",
    )
    links = svc.drafting.link_names(spec, factory_type, d.target)
    link_key = _link_key(spec, factory_type)
    if st.session_state.get(link_key) not in [_AUTO_LINK, *links]:
        st.session_state.pop(link_key, None)
    link = right.selectbox(
        "所属环节",
        [_AUTO_LINK, *links],
        key=link_key,
        format_func=lambda x: x or "按场景所属环节",
        disabled=not links,
        help="请先选择工厂类型" if d.link_list_by and not factory_type else "本表所属环节的可选值",
    )
    return factory_type, str(scenario), link or None


def _notes(*, section: bool = False) -> str:
    """The notes (about one scenario, or the whole project for a section): pasted,
    or read from an uploaded .txt/.docx into the text box."""
    upload = st.file_uploader(
        "上传材料（.txt 或 .docx，不超过 1 MB）",
        key=NOTES_UPLOAD_KEY,
        help="UTF-8 文本文件，或 Word 文档（取其段落文字）；读入后可在下方修改",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if upload is None:
        st.session_state.pop(_NOTES_FILE_KEY, None)
    elif st.session_state.get(_NOTES_FILE_KEY) != upload.file_id:
        try:
            text = notes_from_upload(upload.name, upload.getvalue())
        except NotesError as exc:
            st.error(f"「{md(upload.name)}」无法作为材料：{md(exc)}", icon=":material/error:")
        else:
            st.session_state[NOTES_KEY] = text
            st.session_state[_NOTES_FILE_KEY] = upload.file_id
            st.session_state.pop(_SOURCE_KEY, None)
    source = st.session_state.get(_SOURCE_KEY)
    if source:
        st.info(
            f"材料取自检查页“证据”中的「{md(source)}」：这是申报书里已写的内容，请补充做法、数据等再起草。",
            icon=":material/link:",
        )
    return str(
        st.text_area(
            "该项目的材料" if section else "该场景的材料",
            key=NOTES_KEY,
            height=200,
            placeholder="粘贴该项目的材料：项目是什么、原有问题、建了什么、怎么运行、实施后的数据……"
            if section
            else "粘贴该场景的材料：存在的问题、部署的系统和供应商、怎么运行、制度和人员、实施后的数据……",
        )
    )


def _model_choice(svc: Services) -> str:
    """Rules-only, or the model the app offers (the configured provider, else
    the local model when it is set up here)."""
    model = app_model(svc.settings)
    if model is None:
        st.session_state.pop(LLM_KEY, None)
        return "none"
    labels = {"none": "仅规则（摘取材料原句）", model: f"大模型（{model}）"}
    if st.session_state.get(LLM_KEY) not in labels:
        st.session_state.pop(LLM_KEY, None)
    choice = st.radio(
        "起草方式", list(labels), key=LLM_KEY, format_func=labels.__getitem__, horizontal=True,
        help="大模型改写成政策用语；字数、数字、名称和出处仍由程序逐栏核对",
    )  # fmt: skip
    return str(choice)


def _draft(
    spec: ProgrammeSpec,
    svc: Services,
    notes: str,
    scenario: str,
    link: str | None,
    factory_type: str | None,
    llm: str = "none",
    target: str | None = None,
) -> None:
    try:
        row = svc.drafting.draft_row(
            spec, notes, scenario, link=link, factory_type=factory_type, llm=llm, target=target
        )
    except (DraftInputError, LLMConfigError) as exc:
        st.error(md(exc), icon=":material/error:")
        return
    suggested = []
    if scenario == _AUTO:
        suggested = [(c.no, c.name) for c in svc.drafting.ranker.rank(notes, 3)]
    st.session_state[CURRENT_KEY] = DraftState(
        row=row, facts_text=notes, suggested=suggested, llm=llm, factory_type=factory_type
    )
    st.session_state.pop(_SOURCE_KEY, None)


def _redraft(spec: ProgrammeSpec, svc: Services, state: DraftState, key: str) -> None:
    """Draft column ``key`` again (a callback: runs before the boxes are drawn,
    so the new text goes into the column's box); the other columns keep what
    the writer has in them."""
    try:
        row = svc.drafting.redraft_column(
            spec, state.row, state.facts_text, key, factory_type=state.factory_type, llm=state.llm
        )
    except (DraftInputError, LLMConfigError) as exc:
        st.session_state[_REDRAFT_ERROR_KEY] = str(exc)
        return
    state.row = row
    new = next(c for c in row.columns if c.key == key)
    st.session_state[f"draft_col:{state.nonce}:{key}"] = new.text


def _counter(col: DraftColumn) -> str:
    if col.limit is None:
        return f"字数 {col.count}（本表未规定上限）"
    if col.count > col.limit:
        return f":red[**字数 {col.count} / {col.limit}，超出 {col.count - col.limit} 字**]"
    return f":green[字数 {col.count} / {col.limit}]"


def _show_row(state: DraftState, spec: ProgrammeSpec, svc: Services) -> None:
    row = state.row
    error = st.session_state.pop(_REDRAFT_ERROR_KEY, None)
    if error:
        st.error(md(error), icon=":material/error:")
    if row.section is not None:
        st.subheader(" · ".join(c.title for c in row.columns), divider="gray")
    else:
        st.subheader(
            f"{row.scenario['no']}. {row.scenario['name']}　·　所属环节：{row.link or '未定'}", divider="gray"
        )
    if state.suggested:
        (no, name), *others = state.suggested
        more = "；其次：" + "、".join(f"{n}. {m}" for n, m in others) if others else ""
        st.info(
            md(f"按材料建议的场景：{no}. {name}{more}。不合适时请在上方选择场景后重新起草。"),
            icon=":material/lightbulb:",
        )
    for note in row.notes:
        st.warning(md(note), icon=":material/warning:")
    st.caption("可直接修改各栏文字；修改后（点击框外或按 Ctrl+Enter）重新计算字数并核对数字和名称。")
    boxes = {}
    texts: dict[str, str] = {}
    for col in row.columns:
        boxes[col.key] = st.container(border=True)
        texts[col.key] = boxes[col.key].text_area(
            col.title, value=col.text, key=f"draft_col:{state.nonce}:{col.key}", height=120
        )
    edited = edit_row(spec, row, texts, state.facts_text)
    issues = column_issues(edited, state.facts_text)
    facts = {f.id: f.text for f in split_facts(state.facts_text)}
    drafted = {c.key: c for c in row.columns}
    for col in edited.columns:
        with boxes[col.key]:
            problem = issues[col.key]
            hand = col.text != drafted[col.key].text
            st.markdown(
                _counter(col) + f"　:gray[处理方式：{FIT_LABELS[col.fit]}{'（已手动修改）' if hand else ''}]"
            )
            st.button(
                "重新生成此栏",
                key=f"draft_redraft:{state.nonce}:{col.key}",
                icon=":material/autorenew:",
                on_click=_redraft,
                args=(spec, svc, state, col.key),
                disabled=state.llm == "none",
                help="用大模型重写这一栏（同样核对字数、数字、名称和出处）"
                if state.llm != "none"
                else "仅规则起草每次结果相同；选择大模型起草后可重新生成",
            )
            if hand:
                st.button(
                    "恢复为起草结果",
                    key=f"draft_restore:{state.nonce}:{col.key}",
                    icon=":material/undo:",
                    on_click=_restore,
                    args=(f"draft_col:{state.nonce}:{col.key}", drafted[col.key].text),
                )
            if problem.numbers:
                st.markdown(f":red[{md('数字不在材料中：' + '、'.join(problem.numbers))}]")
            if problem.names:
                st.markdown(f":red[{md('名称不在材料中：' + '、'.join(problem.names))}]")
            if col.note and col.note != EDITED_NOTE:
                st.caption(md(col.note))
            if col.facts_used:
                with st.expander(f"所用材料（{len(col.facts_used)} 句）", icon=":material/format_quote:"):
                    for fid in col.facts_used:
                        st.markdown(f"`{fid}` {md(facts.get(fid, ''))}")
    _row_checks(edited)
    for cite in row.citations:
        st.caption(f"政策依据：《{md(cite.doc_title or cite.doc)}》{md(cite.clause)}")
    if row.section is not None or not _is_scenario_table(
        spec, spec.draft_target(row.target) or spec.drafting[0]
    ):
        _section_download(spec, svc, edited)
        return
    if st.button("加入表格", icon=":material/playlist_add:"):
        reasons = refusals(edited)
        if reasons:
            st.error("不能加入表格：\n\n" + "\n".join(f"- {md(r)}" for r in reasons), icon=":material/block:")
        else:
            rows = st.session_state.setdefault(ROWS_KEY, {}).setdefault(spec.id, [])
            rows.append(edited)
            st.success(f"已加入表格（第 {len(rows)} 行）。", icon=":material/check:")


def _restore(widget_key: str, text: str) -> None:
    """Put a column's drafted text back into its box (a callback: runs before the box is drawn)."""
    st.session_state[widget_key] = text


def _row_checks(row: ScenarioRow) -> None:
    """The numbers and names check of the (edited) row as a whole."""
    if row.numbers.not_in_facts:
        st.error(
            md(
                f"以下数字不在材料中：{'、'.join(row.numbers.not_in_facts)}。"
                "起草只用材料里的数字；手动写入的数字请核对出处，或先补进材料。"
            ),
            icon=":material/error:",
        )
    if row.names_not_in_facts:
        st.error(
            md(
                f"以下单位或产品名称不在材料中：{'、'.join(row.names_not_in_facts)}。请核对，不要写入材料以外的名称。"
            ),
            icon=":material/error:",
        )
    if not row.numbers.not_in_facts and not row.names_not_in_facts:
        shown = "、".join(row.numbers.in_output) or "无"
        st.success(md(f"数字和名称都来自材料（出现的数字：{shown}）。"), icon=":material/verified:")


def _table(spec: ProgrammeSpec, svc: Services) -> None:
    """The rows added so far, each removable, and the .docx with them."""
    rows: list[ScenarioRow] = st.session_state.setdefault(ROWS_KEY, {}).setdefault(spec.id, [])
    d = spec.scenario_drafting
    assert d is not None
    table = next(t for t in spec.tables if t.id == d.table)
    st.subheader(f"{table.title}（{len(rows)} 行）", divider="gray")
    if not rows:
        st.caption("起草并核对后点击“加入表格”，加入的行显示在这里，可下载为 Word 文件。")
        return
    for i, row in enumerate(rows, start=1):
        with st.container(border=True):
            st.markdown(
                f"**第 {i} 行**　{row.scenario['no']}. {md(row.scenario['name'])}　·　所属环节：{md(row.link)}"
            )
            for c in row.columns:
                limit = f" / {c.limit}" if c.limit is not None else ""
                st.markdown(
                    f"- **{md(c.title)}**（{c.count}{limit} 字）：{md(c.text) if c.text else '（空）'}"
                )
            if st.button("删除这一行", key=f"draft_remove:{spec.id}:{i}", icon=":material/delete:"):
                rows.pop(i - 1)
                st.rerun()
    into = st.file_uploader(
        "写入已有的申报书（可选，.docx）",
        key=INTO_UPLOAD_KEY,
        help="上传您的申报书，下载时在其场景表中加入上面的行（原文件不会被修改）；不上传则填入空白申报书。",
        max_upload_size=MAX_UPLOAD_MB,
    )
    built = _build(spec, svc, rows, into)
    if built.error:
        st.error(built.error, icon=":material/error:")
        return
    assert built.data is not None
    stem = PurePath(into.name).stem if into is not None else f"{spec.id}-申报书"
    st.download_button(
        f"下载 Word 申报书（.docx，加入 {len(rows)} 行）",
        built.data,
        file_name=f"{stem}-场景描述.docx",
        mime=DOCX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key="draft_download",
    )
    st.caption(
        "已写入"
        + (f"「{md(into.name)}」的" if into is not None else "空白申报书的")
        + f"「{md(table.title)}」；下载后可在“检查申报书”页上传检查。"
    )


def _section_download(spec: ProgrammeSpec, svc: Services, row: ScenarioRow) -> None:
    """The .docx with the (edited) section written under its heading: the
    writer's uploaded draft (its section replaced) or the blank form."""
    reasons = refusals(row)
    if reasons:
        st.error("还不能写入申报书：\n\n" + "\n".join(f"- {md(r)}" for r in reasons), icon=":material/block:")
        return
    into = st.file_uploader(
        "写入已有的申报书（可选，.docx）",
        key=INTO_UPLOAD_KEY,
        help="上传您的申报书，下载时用上面的文字替换其中这一节（原文件不会被修改）；不上传则填入空白申报书。",
        max_upload_size=MAX_UPLOAD_MB,
    )
    name = into.name if into is not None else None
    if name is not None and PurePath(name).suffix.lower() != ".docx":
        st.error(f"「{md(name)}」不是 .docx 文件：请上传 Word 格式的申报书，或不上传以填入空白申报书。")
        return
    try:
        write = section_into_bytes if row.section is not None else segment_into_bytes
        data = write(spec, svc.corpus, row, into.getvalue() if into is not None else None)
    except IntoError as exc:
        st.error(f"无法写入「{md(name or '空白申报书')}」：{md(exc)}", icon=":material/error:")
        return
    title = row.columns[0].title if row.section is not None else f"{row.link}环节"
    stem = PurePath(name).stem if name is not None else f"{spec.id}-申报书"
    st.download_button(
        f"下载 Word 申报书（.docx，写入“{title}”）",
        data,
        file_name=f"{stem}-{title}.docx",
        mime=DOCX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key="draft_download",
    )


def _build(
    spec: ProgrammeSpec, svc: Services, rows: list[ScenarioRow], into: UploadedFile | None
) -> BuiltDocx:
    """The .docx for the rows (built once per rows and draft, kept in the session)."""
    name = into.name if into is not None else None
    signature = (
        spec.id,
        into.file_id if into is not None else None,
        tuple(r.model_dump_json() for r in rows),
    )
    built = st.session_state.get(DOCX_KEY)
    if isinstance(built, BuiltDocx) and built.signature == signature:
        return built
    data: bytes | None = None
    error: str | None = None
    if name is not None and PurePath(name).suffix.lower() != ".docx":
        error = f"「{md(name)}」不是 .docx 文件：请上传 Word 格式的申报书，或不上传以填入空白申报书。"
    else:
        try:
            data = rows_into_bytes(spec, svc.corpus, rows, into.getvalue() if into is not None else None)
        except IntoError as exc:
            error = f"无法写入「{md(name or '空白申报书')}」：{md(exc)}"
    built = BuiltDocx(signature=signature, data=data, error=error)
    st.session_state[DOCX_KEY] = built
    return built
