"""The 证据 tab of the check page: per claim the verdict, the missing elements
in Chinese, the passages with the quotes highlighted, and the clause."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.reports.common import evidence_note, evidence_summary, flag_title
from app.review.highlight import highlight
from app.ui.common import md
from core.review import ELEMENT_LABELS, VERDICT_LABELS, EvidenceFlag

VERDICT_ICONS = {
    "supported": ":material/check_circle:",
    "partial": ":material/error:",
    "missing": ":material/cancel:",
}


def _passage(text: str, quotes: tuple[str, ...]) -> str:
    return "".join(
        f":orange-background[{md(p)}]" if quoted else md(p) for p, quoted in highlight(text, quotes)
    )


def show_evidence(flags: list[EvidenceFlag], action: Callable[[EvidenceFlag], None] | None = None) -> None:
    """Every claim of the draft, least supported first; ``action`` draws what
    a weakly supported claim offers (the way to the drafting page)."""
    if not flags:
        st.caption("该申报项目的申报书没有需要佐证的申报内容（场景、指标或要素）。")
        return
    st.caption(evidence_note(flags))
    st.markdown(evidence_summary(flags))
    order = {"missing": 0, "partial": 1, "supported": 2}
    for flag in sorted(flags, key=lambda f: order[f.verdict]):
        label = f"{VERDICT_LABELS[flag.verdict]}　{flag_title(flag)}"
        with st.expander(label, icon=VERDICT_ICONS[flag.verdict], expanded=flag.verdict != "supported"):
            if flag.missing:
                st.markdown("缺少：" + "、".join(ELEMENT_LABELS.get(m, m) for m in flag.missing))
            for note in flag.notes:
                st.caption(note)
            for p in flag.passages:
                if p.location:
                    st.caption(f"位置：{md(p.location)}")
                st.markdown(_passage(p.text, flag.quotes))
            if flag.citation:
                c = flag.citation
                st.markdown(f"> {md(c.quote)}\n>\n> —— 《{md(c.doc_title or c.doc)}》{md(c.clause)}")
            if action is not None and flag.verdict != "supported":
                action(flag)
