"""shenbao in the browser: ``streamlit run streamlit_app.py``.

Five pages (``st.navigation``), each a module under ``app/ui/`` that calls the
services in ``app/``. The services (:func:`app.services.build_services`, the
same the CLI uses: corpus, review store, checks, gradient calculator,
retriever) live in ``st.cache_resource`` (see ``app/ui/services.py``); each
user's uploads and results live in ``st.session_state``. Settings come from the
environment (``SHENBAO_DATA_DIR``, ``SHENBAO_DATABASE_URL``,
``SHENBAO_RETRIEVAL__EMBEDDER`` …), read on each run, never at import time.
"""

from __future__ import annotations

import streamlit as st

from app.ui import batch_page, check_page, drafting_page, gradient_page, search_page
from app.ui.common import guarded, localise_chrome


def main() -> None:
    """Configure the page and run the chosen one."""
    st.set_page_config(page_title="申报书检查 · shenbao", page_icon=":material/fact_check:", layout="wide")
    localise_chrome()
    pages = [
        st.Page(
            guarded(check_page.render),
            title="检查申报书",
            icon=":material/fact_check:",
            url_path="check",
            default=True,
        ),
        st.Page(guarded(search_page.render), title="政策检索", icon=":material/search:", url_path="search"),
        st.Page(
            guarded(gradient_page.render),
            title="智能工厂梯度自评",
            icon=":material/stairs:",
            url_path="gradient",
        ),
        st.Page(
            guarded(batch_page.render), title="批量检查", icon=":material/library_books:", url_path="batch"
        ),
        drafting_page.nav_page(),
    ]
    st.navigation(pages).run()


main()
