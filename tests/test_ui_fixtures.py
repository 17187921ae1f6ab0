"""Helpers shared by the UI tests (no tests of its own): drafts as uploads,
AppTest runners for the whole app and for one page, and the review store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from test_cli_fixtures import PROGRAMME, good_draft, salary_draft

from app.store import ReviewStore
from app.templates import fill_template, write_template
from core.draft import Draft
from corpus.loader import default_corpus

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "streamlit_app.py"
TIMEOUT = 60.0
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["PROGRAMME", "good_draft", "salary_draft"]


def use_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a throw-away data dir (review store, index) for one test."""
    d = tmp_path / "data"
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(d))
    monkeypatch.delenv("SHENBAO_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHROMA_TELEMETRY", "False")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    return d


def store_runs(data_dir: Path) -> int:
    """How many runs the review store in ``data_dir`` holds."""
    with ReviewStore(f"sqlite:///{data_dir / 'shenbao.db'}") as store:
        return store.count_rows()["runs"]


def docx_bytes(data: dict[str, Any], tmp_path: Path, programme: str = PROGRAMME) -> bytes:
    """A JSON-shaped draft written into the programme's official-format .docx."""
    corpus = default_corpus()
    out = tmp_path / f"{programme}-filled.docx"
    fill_template(corpus.programme(programme), corpus, Draft.model_validate(data), out)
    return out.read_bytes()


def blank_form_bytes(programme: str, tmp_path: Path) -> bytes:
    """The programme's blank form."""
    corpus = default_corpus()
    out = tmp_path / f"{programme}-blank.docx"
    write_template(corpus.programme(programme), corpus, out)
    return out.read_bytes()


def json_bytes(data: dict[str, Any]) -> bytes:
    """A JSON draft file's content."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def app() -> AppTest:
    """The whole app (navigation, default page) as AppTest, already run once."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def _check_page() -> None:
    from app.ui.check_page import render
    from app.ui.common import guarded

    guarded(render)()


def _search_page() -> None:
    from app.ui.common import guarded
    from app.ui.search_page import render

    guarded(render)()


def _gradient_page() -> None:
    from app.ui.common import guarded
    from app.ui.gradient_page import render

    guarded(render)()


def _batch_page() -> None:
    from app.ui.batch_page import render
    from app.ui.common import guarded

    guarded(render)()


def _draft_page() -> None:
    from app.ui.common import guarded
    from app.ui.drafting_page import render

    guarded(render)()


PAGES = {
    "check": _check_page,
    "search": _search_page,
    "gradient": _gradient_page,
    "batch": _batch_page,
    "draft": _draft_page,
}


def page(name: str) -> AppTest:
    """One page on its own (as ``st.navigation`` runs it), already run once."""
    return AppTest.from_function(PAGES[name], default_timeout=TIMEOUT).run()


def texts(at: AppTest) -> str:
    """All Markdown, captions and alerts of the last run, one string, for ``in`` checks."""
    parts = [m.value for m in at.markdown]
    parts += [c.value for c in at.caption]
    for kind in (at.error, at.warning, at.info, at.success):
        parts += [str(e.value) for e in kind]
    return "\n".join(parts)
