"""``shenbao check PATH... --annotate OUT/``: the consultant's folder workflow
at the command line (the work is done by :mod:`app.folder_check`).

Order: collect the drafts (unpacking .zip files into a temporary folder),
check them, store each check and compare it with the draft's previous one,
write the report asked for (with a 变化 sheet in an .xlsx), then write one
annotated draft and one HTML report per input under ``OUT/`` at the input's
relative path. Exit codes are those of ``shenbao check``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from app.cli import _fail, _progress, _shown

if TYPE_CHECKING:
    from app.checking import BatchResult
    from app.folder_check import Collected
    from app.services import Services
    from app.store import Changes


def run_folder(
    services: Services,
    paths: list[Path],
    programme: str,
    out_dir: Path,
    fmt: str,
    out: Path | None,
    history: bool,
    llm: str,
) -> int:
    """The folder workflow; returns the exit code."""
    from app.folder_check import add_changes_sheet, annotate_sources, change_rows, check_sources, collect
    from app.reports.output import OutputError, render_stdout, write_reports

    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"--annotate 应为文件夹，但 {out_dir} 是文件。")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if out is not None and fmt == "xlsx":
            out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _fail(f"无法创建输出文件夹：{e}")
    with tempfile.TemporaryDirectory(prefix="shenbao-folder-") as staging:
        collected = collect(paths, Path(staging), exclude=out_dir)
        for note in collected.notes:
            typer.echo(_shown(f"提示：{note}"), err=True)
        with _progress(len(collected.sources)) as on_progress:
            result = check_sources(collected, programme, services.corpus, on_progress)
        if llm != "none":
            typer.echo("提示：--annotate 暂不支持 --llm，证据审阅按仅规则方式进行。", err=True)
        changes = _record(services, result, collected) if history else None
        try:
            if out is None:
                typer.echo(render_stdout(result, fmt), nl=False)
            else:
                written = write_reports(result, fmt, out)
                if fmt == "xlsx" and changes is not None:
                    add_changes_sheet(out, change_rows(result, changes))
                typer.echo(_shown(f"已写入报告：{written[0]}"), err=True)
        except OutputError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"无法写入报告：{e}")
        try:
            with _progress(len(result.entries), "批注中") as step:
                advance = (lambda d, t, label: step(d, t, Path(label))) if step is not None else None
                outcomes = annotate_sources(result, collected, services.corpus, out_dir, advance)
        except OSError as e:
            _fail(f"无法写入批注稿：{e}")
    annotated = [o for o in outcomes if o.annotated is not None]
    for o in outcomes:
        if o.note and any(e.file == o.label for e in result.reports):
            typer.echo(_shown(f"{o.label}：{o.note}"), err=True)
    typer.echo(
        _shown(f"已写入批注稿 {len(annotated)} 份、HTML 报告 {len(outcomes)} 份：{out_dir}"),
        err=True,
    )
    for err in result.errors:
        typer.echo(_shown(f"无法检查 {err.file}：{err.error}"), err=True)
    return result.exit_code


def _record(services: Services, result: BatchResult, collected: Collected) -> dict[str, Changes | None]:
    """Store each checked draft and print what changed since its previous check;
    the changes by file label (a draft that could not be stored is left out)."""
    from app.history import describe_changes, record_report
    from app.store import FindingNotSerialisableError, StoreError

    paths = {s.label: s.path for s in collected.sources}
    out: dict[str, Changes | None] = {}
    try:
        with services.stores.open() as store, _progress(len(result.reports), "保存中") as on_progress:
            for i, report in enumerate(result.reports, start=1):
                path = paths.get(report.file, Path(report.file))
                try:
                    recorded = record_report(store, report, path, services.corpus)
                except (FindingNotSerialisableError, OSError) as e:
                    typer.echo(_shown(f"提示：{report.file} 的检查结果未能保存到审阅记录（{e}）。"), err=True)
                else:
                    out[report.file] = recorded.changes
                    typer.echo(_shown(f"{report.file}：{describe_changes(recorded.changes)}"), err=True)
                if on_progress is not None:
                    on_progress(i, len(result.reports), path)
    except (StoreError, OSError) as e:
        typer.echo(_shown(f"提示：检查结果未能保存到审阅记录（{e}），不影响本次检查结果。"), err=True)
    return out
