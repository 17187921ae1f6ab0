"""The ``shenbao`` command line (typer). Converts errors to messages and exit
codes at the edge; all work is done by the modules it calls."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from app.catalog_views import programme_rows, rule_rows
from checkers.spec import params_schema_doc
from corpus.loader import CorpusError, default_corpus, load_corpus

app = typer.Typer(add_completion=False, no_args_is_help=True, help="shenbao 申报书检查工具")

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text 或 json")]


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _load() -> Any:
    try:
        return default_corpus()
    except CorpusError as e:
        _fail(str(e))


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def programmes(fmt: FormatOpt = "text") -> None:
    """列出所有申报项目（id、名称、发文单位、年份、规则数）。"""
    rows = programme_rows(_load())
    if fmt == "json":
        _dump(rows)
        return
    typer.echo(f"{'id':<28} {'年份':<6} {'规则数':<6} 名称（发文单位）")
    for r in rows:
        year = str(r["year"] or "—")
        typer.echo(f"{r['id']:<28} {year:<8} {r['rules']:<8} {r['title']}（{r['issuer'] or '未注明'}）")


@app.command()
def rules(
    programme: Annotated[str, typer.Option("--programme", "-p", help="申报项目 id")],
    fmt: FormatOpt = "text",
) -> None:
    """列出一个申报项目的每条规则：id、严重程度、检查内容、政策原文。"""
    corpus = _load()
    try:
        spec = corpus.programme(programme)
    except CorpusError as e:
        _fail(str(e))
    rows = rule_rows(spec, corpus)
    if fmt == "json":
        _dump(rows)
        return
    typer.echo(f"{spec.title}（{spec.id}）共 {len(rows)} 条规则\n")
    for r in rows:
        typer.echo(f"[{r['severity']}] {r['id']}  {r['title']}")
        typer.echo(f"    检查：{r['checks']}")
        typer.echo(f"    依据：《{r['citation']['doc_title']}》{r['citation']['clause']}")
        typer.echo(f"    原文：「{r['citation']['quote']}」")
        if r["note"]:
            typer.echo(f"    说明：{r['note']}")
        typer.echo("")


@app.command()
def validate(root: Annotated[str | None, typer.Option(help="语料目录（默认内置）")] = None) -> None:
    """校验语料、目录和规则数据（引用原文、id、字段路径）。"""
    from pathlib import Path

    from corpus import CORPUS_DIR

    try:
        corpus = load_corpus(Path(root) if root else CORPUS_DIR)
    except CorpusError as e:
        _fail(str(e), 1)
    n_rules = sum(len(p.rules) for p in corpus.programmes.values())
    typer.echo(
        f"语料校验通过：{len(corpus.docs)} 篇文档，{len(corpus.lists)} 个目录列表，"
        f"{len(corpus.programmes)} 个申报项目，{n_rules} 条规则。"
    )


@app.command()
def kinds() -> None:
    """列出规则类型及其参数。"""
    for name, info in params_schema_doc().items():
        typer.echo(f"{name}({', '.join(info['params'])})\n    {info['doc']}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
