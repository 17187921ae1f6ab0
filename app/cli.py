"""The ``shenbao`` command line (typer). Converts errors to messages and exit
codes at the edge; all work is done by the services of
:func:`app.services.build_services`, the same the UI uses."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from app.catalog_views import programme_rows, rule_rows
from app.reports.common import FORMATS, STDOUT_FORMATS
from core.spec import ProgrammeSpec, params_schema_doc
from corpus.loader import Corpus, CorpusError, load_corpus

if TYPE_CHECKING:  # lazy: app.checking pulls in the readers; not a cycle
    from app.checking import ProgressFn, Report
    from app.services import Services

app = typer.Typer(add_completion=False, no_args_is_help=True, help="shenbao 申报书检查工具")

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text 或 json")]


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(_shown(msg), err=True)
    raise typer.Exit(code)


def _spec(corpus: Corpus, programme: str) -> ProgrammeSpec:
    """The programme's spec, or exit 2 listing the valid ids."""
    try:
        return corpus.programme(programme)
    except CorpusError as e:
        _fail("\n".join(e.problems))


def _services() -> Services:
    """The services for the settings in the environment, or exit 2 saying what is wrong."""
    from pydantic import ValidationError

    from app.services import build_services
    from app.settings import load_settings

    try:
        return build_services(load_settings())
    except ValidationError as e:
        _fail(f"设置有误（SHENBAO_ 环境变量）：{e}")
    except CorpusError as e:
        _fail(str(e))


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def programmes(fmt: FormatOpt = "text") -> None:
    """列出所有申报项目（id、名称、发文单位、年份、规则数）。"""
    rows = programme_rows(_services().corpus)
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
    corpus = _services().corpus
    spec = _spec(corpus, programme)
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
def validate(
    root: Annotated[str | None, typer.Option(help="语料目录（默认内置）")] = None,
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="只校验这一个申报项目（及其引用的文档、目录）")
    ] = None,
) -> None:
    """校验语料、目录和规则数据（引用原文、id、字段路径）；每个问题写明文件、规则 id、键和示例。"""
    from corpus import CORPUS_DIR

    base = Path(root) if root else CORPUS_DIR
    if programme is not None and not (base / "programmes" / f"{programme}.yaml").is_file():
        known = "、".join(sorted(p.stem for p in (base / "programmes").glob("*.yaml")))
        _fail(f"没有申报项目「{programme}」（{base / 'programmes'} 中无此文件）。已有：{known}")
    try:
        corpus = load_corpus(base, programme)
    except CorpusError as e:
        _fail(str(e), 1)
    if programme is not None:
        spec = corpus.programmes[programme]
        typer.echo(f"申报项目 {programme} 校验通过：{len(spec.rules)} 条规则，引用 {len(spec.docs)} 篇文档。")
        return
    n_rules = sum(len(p.rules) for p in corpus.programmes.values())
    typer.echo(
        f"语料校验通过：{len(corpus.docs)} 篇文档，{len(corpus.lists)} 个目录列表，"
        f"{len(corpus.programmes)} 个申报项目，{n_rules} 条规则。"
    )


@app.command("new-programme")
def new_programme(
    programme_id: Annotated[str, typer.Argument(help="新项目的 id，例如 zj-future-factory-2022")],
    doc: Annotated[Path, typer.Option("--doc", help="政策原文（UTF-8 文本），复制到 corpus/sources/")],
    region: Annotated[str | None, typer.Option(help="适用地区，例如 浙江省")] = None,
    root: Annotated[str | None, typer.Option(help="语料目录（默认内置）")] = None,
) -> None:
    """新建申报项目：原文放入 sources/，生成文档 front matter（docs/<id>.md）和带注释的空规范（programmes/<id>.yaml），不覆盖已有文件。"""
    from app.scaffold import ScaffoldError, scaffold_programme
    from corpus import CORPUS_DIR

    try:
        written = scaffold_programme(Path(root) if root else CORPUS_DIR, programme_id, doc, region)
    except (ScaffoldError, OSError) as e:
        _fail(str(e))
    for path in written:
        typer.echo(f"已生成：{path}")
    typer.echo(
        f"下一步：按 docs/corpus-cleaning.md 清洗 docs/{programme_id}.md 的正文，"
        f"在 programmes/{programme_id}.yaml 中写规则，然后运行 shenbao validate --programme {programme_id}"
    )


def _shown(text: str) -> str:
    """Text from a file name or a draft made safe to print: control characters
    (ANSI escapes, BEL) and bidi characters appear as escapes (``\\x1b``, ``\\u202e``)."""
    from app.safe_text import visible

    return visible(text)


@contextmanager
def _progress(total: int, label: str = "检查中") -> Iterator[ProgressFn | None]:
    """A progress bar on stderr for batches (more than one file) when stderr is
    a terminal, else nothing; ``label`` names the step (checking, saving)."""
    if total <= 1:  # one draft: no bar, and no need to import rich
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(done: int, _total: int, path: Path) -> None:
            bar.update(task, completed=done, description=escape(_shown(path.name)))

        yield advance


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="申报书文件（.docx/.json/.yaml）或文件夹", show_default=False)
    ],
    programme: Annotated[str, typer.Option("--programme", "-p", help="申报项目 id（见 shenbao programmes）")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json、md、html、xlsx 或 docx")] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出文件；批量的 md/html/docx 为文件夹")
    ] = None,
    history: Annotated[
        bool,
        typer.Option("--history/--no-history", help="保存检查结果并与同一申报书的上次检查对比（默认开启）"),
    ] = True,
    llm: Annotated[
        str,
        typer.Option(
            "--llm",
            help="证据审阅方式：none（仅规则，默认）、local（本地模型，较慢）、openai（OpenAI 兼容接口）",
        ),
    ] = "none",
    section: Annotated[
        str | None,
        typer.Option(
            "--section", help="只检查申报书的一个部分（章节或表格的名称或 id），文件只含该部分（.txt/.docx）"
        ),
    ] = None,
    factory_type: Annotated[
        str | None, typer.Option("--factory-type", help="与 --section 一起：工厂类型（南通：离散型/流程型）")
    ] = None,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="批注稿输出文件夹：每份 .docx 生成带批注（Word 批注）的副本和一份 HTML 报告，"
            "按原相对路径存放；文件夹中的 .zip 也会解压检查",
        ),
    ] = None,
) -> None:
    """按申报项目的规则检查申报书；退出码 0 无错误项不通过，1 有，2 输入无法使用或用法错误。"""
    from app.checking import expand_paths
    from app.reports.output import OutputError, render_stdout, write_reports

    if fmt not in FORMATS:
        _fail(f"不支持的格式「{fmt}」，可用：{'、'.join(FORMATS)}")
    if out is None and fmt not in STDOUT_FORMATS:
        _fail(f"{fmt} 格式的报告需要用 --out 指定输出位置，例如：--out 报告.{fmt}")
    services = _services()
    _spec(services.corpus, programme)
    if llm not in ("none", "local", "openai"):
        _fail(f"未知的审阅方式「{llm}」：可用 none、local、openai")
    if annotate is not None:
        if section is not None:
            _fail("--annotate 与 --section 不能同时使用：批注稿针对整份申报书。")
        from app.folder_cli import run_folder

        raise typer.Exit(run_folder(services, paths, programme, annotate, fmt, out, history, llm))
    if section is not None:
        result = _check_section(services, paths, programme, section, factory_type)
        history = False  # one section is not a version of the draft
    else:
        with _progress(len(expand_paths(paths))) as on_progress:
            result = services.checks.check_paths(paths, programme, on_progress)
    if llm != "none":
        result = _review_with_model(services, result, llm)
    try:
        if out is None:
            sys.stdout.write(render_stdout(result, fmt))
        else:
            written = write_reports(result, fmt, out)
            typer.echo(
                _shown(f"已写入 {len(written)} 个文件：{written[0]}" + (" 等" if len(written) > 1 else "")),
                err=True,
            )
    except OutputError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"无法写入报告：{e}")
    for err in result.errors:
        typer.echo(_shown(f"无法检查 {err.file}：{err.error}"), err=True)
    if history:
        _record_history(result.reports, services)
    raise typer.Exit(result.exit_code)


def _check_section(
    services: Services, paths: list[Path], programme: str, name: str, factory_type: str | None
) -> Any:
    """One file holding one section of the form, checked by that section's own rules."""
    from app.checking import BatchResult
    from app.sections import SectionError, check_section, find_target, read_section
    from app.textfiles import TextFileError
    from ingestion.drafts import DraftError

    if len(paths) != 1 or paths[0].is_dir():
        _fail("--section 只检查一个文件（只含该部分的 .txt 或 .docx）。")
    spec = services.corpus.programme(programme)
    try:
        target = find_target(spec, name)
        draft = read_section(paths[0], spec, services.corpus, target)
    except (SectionError, TextFileError, DraftError) as exc:
        _fail(_shown(str(exc)))
    if factory_type:
        draft = draft.model_copy(update={"factory_type": factory_type})
    report = check_section(spec, services.corpus, target, draft, str(paths[0]))
    return BatchResult(spec=spec, entries=[report])


def _review_with_model(services: Services, result: Any, llm: str) -> Any:
    """The batch's evidence reviewed again with the model, progress on stderr."""
    from app.llm.errors import LLMConfigError

    def progress(done: int, total: int, file: str) -> None:
        typer.echo("\r" + _shown(f"证据审阅（{llm}）{file}：{done}/{total}"), err=True, nl=done == total)

    try:
        return services.checks.review_with_model(result, services.review, llm, progress)
    except LLMConfigError as exc:
        _fail(str(exc))


def _record_history(reports: list[Report], services: Services) -> None:
    """Store each successful check and print what changed since the last one
    (stderr), with a progress bar for batches. A store that cannot be used
    (unreachable, damaged) gives one hint and stops; a report that cannot be
    stored is named and the others are still stored. The exit code is the
    findings', whatever happens here."""
    from app.history import describe_changes, record_report
    from app.store import FindingNotSerialisableError, StoreError

    try:
        with services.stores.open() as store, _progress(len(reports), "保存中") as on_progress:
            for i, report in enumerate(reports, start=1):
                path = Path(report.file)
                try:
                    recorded = record_report(store, report, path, services.corpus)
                except (FindingNotSerialisableError, OSError) as e:
                    typer.echo(_shown(f"提示：{report.file} 的检查结果未能保存到审阅记录（{e}）。"), err=True)
                else:
                    typer.echo(_shown(f"{report.file}：{describe_changes(recorded.changes)}"), err=True)
                if on_progress is not None:
                    on_progress(i, len(reports), path)
    except (StoreError, OSError) as e:
        typer.echo(_shown(f"提示：检查结果未能保存到审阅记录（{e}），不影响本次检查结果。"), err=True)


@app.command()
def template(
    programme: Annotated[str, typer.Option("--programme", "-p", help="申报项目 id")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出的 .docx 文件")],
) -> None:
    """生成申报项目的空白申报书（官方格式 .docx），可直接填写后再检查。"""
    from app.templates import write_template

    corpus = _services().corpus
    spec = _spec(corpus, programme)
    if out.suffix.lower() != ".docx":
        _fail(f"--out 应为 .docx 文件：{out}")
    try:
        write_template(spec, corpus, out)
    except OSError as e:
        _fail(f"无法写入 {out}：{e}")
    typer.echo(f"已生成空白申报书：{out}")


@app.command()
def kinds() -> None:
    """列出规则类型及其参数。"""
    for name, info in params_schema_doc().items():
        typer.echo(f"{name}({', '.join(info['params'])})\n    {info['doc']}")


# Retrieval commands live in their own module; registered here as top-level commands.
from app.retrieval.cli import ingest as _ingest  # noqa: E402
from app.retrieval.cli import search as _search  # noqa: E402

app.command("ingest")(_ingest)
app.command("search")(_search)

from app.drafting.cli import draft as _draft  # noqa: E402
from app.review.cli import review as _review  # noqa: E402

app.command("review")(_review)
app.command("draft")(_draft)

from app.word.cli import fill as _fill  # noqa: E402

app.command("fill")(_fill)

from app.llm.cli import llm_app as _llm_app  # noqa: E402

app.add_typer(_llm_app, name="llm")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="端口")] = 8501,
    host: Annotated[str, typer.Option(help="监听地址（默认只对本机开放）")] = "127.0.0.1",
) -> None:
    """启动浏览器界面（Streamlit），并打印访问地址。"""
    import subprocess

    from app.uploads import MAX_UPLOAD_MB

    app_file = Path(__file__).resolve().parents[1] / "streamlit_app.py"
    if not app_file.exists():
        _fail(f"找不到界面程序 {app_file}")
    typer.echo(f"shenbao 界面：http://{host}:{port}  （按 Ctrl+C 停止）", err=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_file),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.maxUploadSize",  # also in .streamlit/config.toml, which an installed copy lacks
        str(MAX_UPLOAD_MB),
    ]
    try:
        raise typer.Exit(subprocess.call(cmd, cwd=app_file.parent))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


EVAL_SUITES = {
    "checkers": ("eval.checkers.__main__", "规则检查器：逐条规则的精确率与召回率（标注草稿）"),
    "retrieval": ("eval.retrieval.run", "政策检索：调参集与留出集上的 recall@1/5 与 MRR"),
    "evidence": ("eval.evidence.run", "证据审阅：结论准确率、三要素精确率/召回率、场景自动匹配 top-1/3"),
    "drafting": ("eval.drafting.run", "场景描述起草：各栏不超限、不编造数字和名称、填栏召回与精确率"),
}


@app.command(
    "eval",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)
def eval_cmd(
    ctx: typer.Context,
    suite: Annotated[str, typer.Argument(help="checkers、retrieval 或 evidence")],
) -> None:
    """运行评测（checkers：规则检查器；retrieval：政策检索；evidence：证据审阅），其余参数原样交给评测程序（加 --help 查看）。"""
    import importlib

    if suite in ("--help", "-h"):
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    if suite not in EVAL_SUITES:
        _fail(
            f"未知的评测「{suite}」。可用："
            + "；".join(f"{name}（{desc}）" for name, (_, desc) in EVAL_SUITES.items())
        )
    module = importlib.import_module(EVAL_SUITES[suite][0])
    try:
        code = module.main(list(ctx.args))
    except SystemExit as e:  # argparse on --help or bad arguments
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    raise typer.Exit(code or 0)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # last, so that every command above is registered
    main()
