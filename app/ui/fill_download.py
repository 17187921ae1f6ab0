"""检查申报书 page: the values supplied for ``unknown`` findings (and the 是/否
statements) written back into the uploaded .docx, offered as a download
(:func:`app.word.fill.fill_docx`; the same as ``shenbao fill``). Built once
per upload and set of values; what cannot be written is named, and then no
file is offered."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import streamlit as st

from app.ui.common import md
from app.ui.services import Services
from core.spec import ProgrammeSpec

FILLED_KEY = "check_filled_docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABEL = "下载已填写的申报书（.docx）"


@dataclass
class FilledDocx:
    """The uploaded draft with the supplied values written in, or why it could not be."""

    key: str
    data: bytes | None = None
    problems: list[str] = field(default_factory=list)


def _build(
    key: str, name: str, upload: bytes, supplied: dict[str, Any], spec: ProgrammeSpec, svc: Services
) -> FilledDocx:
    from app.word.fill import fill_docx
    from app.word.values_file import FillError
    from ingestion.drafts import DraftError

    try:
        result = fill_docx(upload, spec, svc.corpus, supplied, name=name)
    except FillError as exc:
        return FilledDocx(key, problems=exc.problems)
    except DraftError as exc:
        return FilledDocx(key, problems=[str(exc)])
    return FilledDocx(key, data=result.data)


def filled_download(
    file_name: str, upload: bytes, supplied: dict[str, Any], spec: ProgrammeSpec, svc: Services
) -> None:
    """The download button (or the reasons there is none) for an uploaded .docx."""
    if not supplied or not file_name.lower().endswith(".docx"):
        return
    key = f"{spec.id}:{file_name}:{len(upload)}:{sorted((k, repr(v)) for k, v in supplied.items())}"
    built = st.session_state.get(FILLED_KEY)
    if not isinstance(built, FilledDocx) or built.key != key:
        with st.spinner("正在写入申报书…"):
            built = _build(key, file_name, upload, supplied, spec, svc)
        st.session_state[FILLED_KEY] = built
    if built.data is None:
        st.warning(
            "补充的信息无法全部写回申报书，未生成文件：\n\n"
            + "\n".join(f"- {md(p)}" for p in built.problems),
            icon=":material/warning:",
        )
        return
    stem = PurePath(file_name).stem or "申报书"
    st.download_button(
        LABEL,
        built.data,
        file_name=f"{stem}-已填写.docx",
        mime=DOCX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key="filled_docx",
        help="把补充的信息写进上传的申报书（空白栏填写、勾选框打勾），版式不变；下载后请核对再提交。",
    )
