"""批量检查: several .docx files or one .zip → progress → a matrix of every
draft against every rule on screen → the .xlsx workbook of the same matrix.
Each successfully checked draft is stored in the review store, like
``shenbao check``; files that cannot be checked are listed with the reason."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from app.check_service import matrix_rows
from app.folder_check import change_rows
from app.reports import write_xlsx
from app.ui.annotated import batch_bundle, change_table
from app.ui.common import md, pick_programme, programme_facts
from app.ui.services import Services, get_services
from app.uploads import MAX_UPLOAD_MB, UploadError, stage_uploads
from core.spec import ProgrammeSpec

STATE_KEY = "batch_state"
UPLOAD_KEY = "batch_upload"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BatchView:
    """What the last batch of this session produced, kept across reruns."""

    key: tuple[str, ...]
    programme: str
    rows: list[dict[str, str]]
    rule_help: dict[str, str]
    xlsx: bytes
    errors: list[tuple[str, str]]
    skipped: list[str]
    store_note: str | None
    bundle: bytes | None = None
    """The .zip of annotated drafts, HTML reports and the matrix."""
    changes: list[list[Any]] = field(default_factory=list)
    """The 变化 sheet's rows (header first)."""


def render() -> None:
    """The page."""
    svc = get_services()
    st.title("批量检查")
    st.caption(
        "上传多份申报书（.docx）或一个 .zip 压缩包，逐份检查并汇总成一张表（每份一行、每条规则一列）。"
    )
    spec = pick_programme(svc.corpus)
    programme_facts(spec)
    uploads = st.file_uploader(
        "上传申报书或压缩包",
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        help=(
            "可多选 .docx 文件，或上传 .zip 压缩包（只取其中的 .docx/.json/.yaml）。"
            f"每个文件（包括压缩包）不超过 {MAX_UPLOAD_MB} MB；更多的申报书可分成几个压缩包一起上传。"
        ),
        max_upload_size=MAX_UPLOAD_MB,
    )
    if not uploads:
        st.session_state.pop(STATE_KEY, None)
        st.info("请上传申报书后点击“开始检查”。", icon=":material/upload_file:")
        return
    key = (spec.id, *(u.file_id for u in uploads))
    view = st.session_state.get(STATE_KEY)
    if not (isinstance(view, BatchView) and view.key == key):
        if not st.button(f"开始检查（{len(uploads)} 个文件）", type="primary", icon=":material/play_arrow:"):
            return
        view = _run(key, [(u.name, u.getvalue()) for u in uploads], spec, svc)
        if view is None:
            return
        st.session_state[STATE_KEY] = view
        st.rerun()  # show the results without the start button
    _show(view, spec)


def _run(
    key: tuple[str, ...], uploads: list[tuple[str, bytes]], spec: ProgrammeSpec, svc: Services
) -> BatchView | None:
    """Stage, check with a progress bar, store, and build the view (None after an error message)."""
    with tempfile.TemporaryDirectory(prefix="shenbao-batch-") as tmp:
        try:
            staged = stage_uploads(uploads, Path(tmp))
        except UploadError as e:
            st.error(str(e), icon=":material/error:")
            return None
        if not staged.files:
            st.error("上传的文件中没有可检查的申报书。" + "；".join(staged.skipped), icon=":material/error:")
            return None
        bar = st.progress(0.0, text="正在检查…")

        def on_progress(done: int, total: int, path: Path) -> None:
            bar.progress(done / total, text=f"已检查 {done}/{total}")

        def on_store(done: int, total: int, path: Path) -> None:
            bar.progress(done / total, text=f"已保存到审阅记录 {done}/{total}")

        checked = svc.checks.check_staged(staged, spec, on_progress, on_store)
        result, note = checked.result, checked.store_note
        bar.empty()
        out = Path(tmp) / "batch.xlsx"
        write_xlsx(result, out)
        bundle, _ = batch_bundle(checked, staged, svc, out)
        xlsx = out.read_bytes()
    return BatchView(
        key=key,
        programme=spec.id,
        rows=matrix_rows(result),
        rule_help={f"{spec.id}:{r.id}": r.title for r in spec.rules},
        xlsx=xlsx,
        errors=[(e.file, e.error) for e in result.errors],
        skipped=staged.skipped,
        store_note=note,
        bundle=bundle,
        changes=change_rows(result, dict(checked.changes)) if checked.changes else [],
    )


def _show(view: BatchView, spec: ProgrammeSpec) -> None:
    n_ok = len(view.rows) - len(view.errors)
    failing = sum(1 for r in view.rows if r.get("结论") == "不通过")
    cols = st.columns(4)
    cols[0].metric("申报书", len(view.rows), border=True)
    cols[1].metric("已检查", n_ok, border=True)
    cols[2].metric("不通过", failing, border=True)
    cols[3].metric("无法检查", len(view.errors), border=True)
    if view.store_note:
        st.warning(view.store_note, icon=":material/database:")
    if view.skipped:
        st.warning("以下内容未检查：\n\n" + "\n".join(f"- {md(s)}" for s in view.skipped))
    for file, error in view.errors:
        st.error(f"无法检查「{file}」：{error}", icon=":material/error:")
    column_config = {
        rid.split(":", 1)[1]: st.column_config.TextColumn(help=title) for rid, title in view.rule_help.items()
    }
    st.dataframe(view.rows, hide_index=True, column_config=column_config, width="stretch")
    st.download_button(
        "下载汇总表（.xlsx）",
        view.xlsx,
        file_name=f"{spec.id}-批量检查.xlsx",
        mime=XLSX_MIME,
        icon=":material/table_view:",
        on_click="ignore",
        key="batch_xlsx",
    )
    if view.bundle is not None:
        st.download_button(
            "下载批注稿压缩包（.zip：每份申报书的批注稿、HTML 报告和汇总表）",
            view.bundle,
            file_name=f"{spec.id}-批注稿.zip",
            mime="application/zip",
            icon=":material/folder_zip:",
            on_click="ignore",
            key="batch_bundle",
        )
    change_table(view.changes)
