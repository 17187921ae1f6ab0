"""Small UI helpers shared by the pages: the error guard, the programme
picker, Markdown escaping and how one finding is shown."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence

import streamlit as st

from app.reports.common import SEVERITY_LABELS, STATUS_LABELS, citation_text, evidence_rows
from core.findings import Finding
from core.spec import ProgrammeSpec
from corpus.loader import Corpus

log = logging.getLogger("shenbao.ui")

STATUS_ICONS: dict[str, str] = {
    "fail": ":material/cancel:",
    "warn": ":material/warning:",
    "unknown": ":material/help:",
    "pass": ":material/check_circle:",
    "n/a": ":material/remove_circle_outline:",
}
INTERNAL_ERROR = (
    "页面出现内部错误，操作未完成（详细信息已写入服务器日志）。请重试；若问题持续，请将操作步骤报告给维护者。"
)

_ORDERED = re.compile(r"(?m)^(\s*)(\d+)([.)])")
_BULLET = re.compile(r"(?m)^(\s*)([-+=])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")


def md(text: object) -> str:
    """Text from a draft or the corpus, safe inside Streamlit Markdown: markup
    characters are backslash-escaped and line breaks kept as Markdown breaks."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _BULLET.sub(r"\1\\\2", _ORDERED.sub(r"\1\2\\\3", escaped))
    return escaped.replace("\n", "  \n")


# Streamlit's own chrome is English: put Chinese on the file uploader and hide
# the developer menu and deploy button (selectors as rendered by Streamlit 1.5x+).
_CHROME_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p
  {font-size:0}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after
  {content:"选择文件";font-size:0.875rem}
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size:0}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {content:"或将文件拖放到此处";font-size:0.875rem}
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"] {display:none}
</style>
"""


def localise_chrome() -> None:
    """Chinese labels on Streamlit's built-in widget texts (call once per run)."""
    st.html(_CHROME_CSS)


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """Wrap a page so that an unexpected error shows one Chinese message, never
    a traceback (Streamlit's own control flow, ``st.rerun`` / ``st.stop``, is a
    ``BaseException`` and passes through)."""

    @functools.wraps(render)
    def page() -> None:
        try:
            render()
        except Exception:
            log.exception("page %s failed", render.__qualname__)
            st.error(INTERNAL_ERROR, icon=":material/error:")

    return page


def programme_label(spec: ProgrammeSpec) -> str:
    """How a programme is named in pickers: title and id."""
    return f"{spec.title}（{spec.id}）"


def pick_programme(
    corpus: Corpus, *, key: str = "programme", label: str = "申报项目", only: Sequence[str] | None = None
) -> ProgrammeSpec:
    """A programme picker kept in the URL (``?programme=js-iif-2022``), so a
    link can open a page with the programme chosen; ``only`` limits the choice
    (in the corpus's order)."""
    ids = [p for p in corpus.programmes if only is None or p in only]
    if st.session_state.get(key) not in ids:  # a new session: the URL may choose
        wanted = st.query_params.get("programme")
        st.session_state[key] = wanted if wanted in ids else ids[0]
    pid = st.selectbox(
        label,
        ids,
        key=key,
        format_func=lambda p: programme_label(corpus.programmes[p]),
        persist_state="session",
    )
    st.query_params["programme"] = pid
    return corpus.programmes[pid]


def programme_facts(spec: ProgrammeSpec) -> None:
    """Title, issuer, year and deadline of a programme, one line each."""
    deadline = spec.deadline.isoformat() if spec.deadline else "原文未写明"
    st.markdown(
        f"**{md(spec.title)}**  \n"
        f"发文单位：{md(spec.issuer or '原文未写明')}　·　年度：{spec.year or '—'}　·　"
        f"申报截止：{deadline}　·　规则 {len(spec.rules)} 条"
    )


def show_finding(f: Finding) -> None:
    """One finding: title and rule id, severity, message, location, evidence
    and the clause quoted with its document title."""
    with st.container(border=True):
        st.markdown(
            f"{STATUS_ICONS[f.status]} **{md(f.title)}**　`{f.id}`　:gray[{SEVERITY_LABELS[f.severity]}]"
        )
        st.markdown(md(f.message))
        if f.location:
            st.caption(f"位置：{md(f.location)}")
        rows = evidence_rows(f.evidence)
        if rows:
            st.caption("依据数据：" + "；".join(f"{md(k)}：{md(v)}" for k, v in rows))
        st.markdown(f"> {md(f.citation.quote)}\n>\n> —— {md(citation_text(f))}")


def show_findings(findings: Sequence[Finding], status: str, *, expanded: bool) -> None:
    """One status group of findings in an expander titled with its count."""
    title = f"{STATUS_LABELS[status]}（{len(findings)}）"
    with st.expander(title, expanded=expanded, icon=STATUS_ICONS[status]):
        for f in findings:
            show_finding(f)
