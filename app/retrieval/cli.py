"""CLI commands for the clause index: ``ingest`` and ``search``.

A typer sub-app; the main CLI registers the two functions as its own
commands (``shenbao ingest``, ``shenbao search``). Errors become a Chinese
message on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from app.retrieval.errors import RetrievalError
from app.settings import Settings, load_settings
from corpus.loader import CorpusError

if TYPE_CHECKING:
    from app.retrieval.retriever import Mode, Result

app = typer.Typer(add_completion=False, no_args_is_help=True, help="政策条款索引：建立与检索")


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _settings(embedder: str | None) -> Settings:
    overrides: dict[str, Any] = {}
    if embedder:
        overrides["retrieval"] = {"embedder": embedder}
    return load_settings(**overrides)


@app.command()
def ingest(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="删除现有索引，用当前嵌入模型重建")] = False,
    embedder: Annotated[
        str | None,
        typer.Option("--embedder", help="临时指定嵌入模型（默认取设置 SHENBAO_RETRIEVAL__EMBEDDER）"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text 或 json")] = "text",
) -> None:
    """把政策文档切成条款块、嵌入并写入索引（增量：未变的条款不重复嵌入）。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from app.services import build_services

    settings = _settings(embedder)
    where = settings.chroma.url or str(settings.chroma_path)
    bar = Progress(
        TextColumn("嵌入条款"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=fmt == "json" or not sys.stderr.isatty(),
    )
    try:
        with bar:
            task = bar.add_task("embed", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = build_services(settings).retrieval.build_index(progress, rebuild=rebuild)
    except (RetrievalError, CorpusError) as e:
        _fail(str(e))
    if fmt == "json":
        out = {**report.__dict__, "store": where}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(report.summary())
    typer.echo(f"索引：{where}（集合 {report.collection}）")


def _result_row(rank: int, r: Result) -> dict[str, Any]:
    m = r.record.metadata
    return {
        "rank": rank,
        "id": r.record.id,
        "score": round(r.score, 6),
        "doc": m.get("doc", ""),
        "doc_title": m.get("doc_title", ""),
        "clause": m.get("clause_path", ""),
        "text": r.record.text,
        "programmes": list(m.get("programmes") or []),
        "link": m.get("link", ""),
        "scenario": m.get("scenario", ""),
        "dense_rank": r.dense_rank,
        "bm25_rank": r.bm25_rank,
        **({"rerank_score": r.rerank_score} if r.rerank_score is not None else {}),
    }


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="检索内容，关键词或一句话都可以")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, help="返回条数")] = 5,
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="只在该申报项目的文件中检索")
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="只在该文档中检索（文档 id）")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="只检索该场景（编号或名称）")] = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid（默认）、dense 或 bm25")] = "hybrid",
    fmt: Annotated[str, typer.Option("--format", "-f", help="text 或 json")] = "text",
) -> None:
    """检索政策条款：向量检索与 BM25 融合，给出文档、条款路径和原文。"""
    from app.retrieval.retriever import Filters
    from app.services import build_services

    if mode not in ("hybrid", "dense", "bm25"):
        _fail(f"未知的检索方式「{mode}」：可用 hybrid、dense、bm25")
    if fmt not in ("text", "json"):
        _fail(f"未知的输出格式「{fmt}」：可用 text、json")
    try:
        services = build_services(load_settings())
        corpus = services.corpus
        if programme and programme not in corpus.programmes:
            _fail(f"未知的申报项目 id「{programme}」。可用：{', '.join(sorted(corpus.programmes))}")
        if doc and doc not in corpus.docs:
            _fail(f"未知的文档 id「{doc}」。可用：{', '.join(sorted(corpus.docs))}")
        retriever = services.retrieval.build_retriever(_mode(mode))
        results = retriever.search(query, k, Filters(programme=programme, doc=doc, scenario=scenario))
    except (RetrievalError, CorpusError) as e:
        _fail(str(e))
    rows = [_result_row(i, r) for i, r in enumerate(results, start=1)]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    extra = retriever.expansion(query)
    if extra:
        typer.echo(f"查询扩展（检索词表）：{' '.join(extra)}\n")
    if not rows:
        typer.echo("没有找到相关条款。")
        return
    for row in rows:
        ranks = f"向量 #{row['dense_rank'] or '—'}，BM25 #{row['bm25_rank'] or '—'}"
        typer.echo(f"{row['rank']}. 《{row['doc_title']}》{row['clause']}  [{row['doc']}]（{ranks}）")
        for line in str(row["text"]).splitlines():
            typer.echo(f"   {line}")
        typer.echo("")


def _mode(name: str) -> Mode:
    if name == "dense":
        return "dense"
    if name == "bm25":
        return "bm25"
    return "hybrid"
