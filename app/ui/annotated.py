"""The annotated draft on the pages: the check page's download of the uploaded
.docx with a Word comment at every finding, and the batch page's .zip of the
annotated drafts, HTML reports and matrix, and its 变化 table."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

import streamlit as st

from app.check_service import CheckedUpload, StagedBatch
from app.checking import BatchResult
from app.folder_check import bundle_zip, change_rows, staged_sources
from app.ui.services import Services
from app.uploads import Staged
from app.word.annotate import annotate_bytes

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANNOTATED_KEY = "check_annotated"


def check_download(checked: CheckedUpload, data: bytes | None, svc: Services) -> None:
    """The 下载批注稿 button of the check page (made once per upload and programme,
    with a progress bar while it is made)."""
    if data is None or not data.startswith(b"PK"):
        st.caption("JSON/YAML 草稿没有 Word 原稿，无法生成批注稿。")
        return
    key = (checked.sha256, checked.programme)
    cached = st.session_state.get(ANNOTATED_KEY)
    if not (isinstance(cached, tuple) and cached[0] == key):
        bar = st.progress(0.0, text="正在生成批注稿…")
        spec = svc.corpus.programme(checked.programme)
        try:
            out, done = annotate_bytes(data, checked.report, checked.draft, spec)
        except Exception as e:  # the check stands even if its annotation cannot be made
            bar.empty()
            st.warning(f"批注稿未能生成（{type(e).__name__}），不影响检查结果。", icon=":material/warning:")
            return
        bar.progress(1.0, text="批注稿已生成")
        bar.empty()
        cached = (key, out, done.comments + done.evidence_comments)
        st.session_state[ANNOTATED_KEY] = cached
    _, out, n = cached
    stem = PurePath(checked.file_name).stem or "申报书"
    st.download_button(
        f"下载批注稿（.docx，{n} 条批注）",
        out,
        file_name=f"{stem}-批注稿.docx",
        mime=DOCX_MIME,
        icon=":material/rate_review:",
        on_click="ignore",
        key="annotated_docx",
        help="原申报书的副本：每个未通过、警告、无法判断的检查项和证据不足的申报内容处加 Word 批注，超出字数的文字标黄；正文不作任何改动。",
    )


def batch_bundle(checked: StagedBatch, staged: Staged, svc: Services, matrix: Path) -> tuple[bytes, int]:
    """The .zip of annotated drafts, HTML reports and the matrix (with its 变化
    sheet), made with a progress bar while the staged files still exist."""
    from app.folder_check import add_changes_sheet

    result: BatchResult = checked.result
    if checked.changes:
        add_changes_sheet(matrix, change_rows(result, dict(checked.changes)))
    bar = st.progress(0.0, text="正在生成批注稿…")

    def step(done: int, total: int, label: str) -> None:
        bar.progress(done / total, text=f"已生成批注稿 {done}/{total}")

    with tempfile.TemporaryDirectory(prefix="shenbao-bundle-") as tmp:
        dest = Path(tmp) / "bundle.zip"
        n = bundle_zip(result, staged_sources(staged), svc.corpus, matrix, dest, step)
        data = dest.read_bytes()
    bar.empty()
    return data, n


def change_table(rows: list[list[Any]]) -> None:
    """The 变化 table of the batch page: per draft, fixed / new / still failing since its previous check."""
    if not any(r[1] in ("有变化", "无变化") for r in rows[1:]):
        return  # nothing was checked before: no comparison to show
    st.subheader("与上次检查相比")
    header = [str(h) for h in rows[0]]
    st.dataframe([dict(zip(header, r, strict=True)) for r in rows[1:]], hide_index=True, width="stretch")
