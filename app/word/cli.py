"""``shenbao fill DRAFT.docx --values values.yaml --out NEW.docx``: the values
(and scenario rows) written back into the writer's own .docx. Every problem
is a Chinese message on stderr with exit code 2, and then no file is written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer


def _fail(msg: str, code: int = 2) -> NoReturn:
    from app.safe_text import visible

    typer.echo(visible(msg), err=True)
    raise typer.Exit(code)


def fill(
    draft: Annotated[Path, typer.Argument(help="申报书（.docx）", show_default=False)],
    values: Annotated[
        Path, typer.Option("--values", help="要写入的值（YAML/JSON，见 examples/fill-values.yaml）")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="写入后的新 .docx（不改动原文件）")],
    programme: Annotated[
        str | None,
        typer.Option("--programme", "-p", help="申报项目 id（默认取值文件的 programme 或按申报书识别）"),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="也改写申报书中已填写的栏目（默认只填写空白处）")
    ] = False,
) -> None:
    """把补充的信息（字段值、声明勾选、场景表行、重点环节各段）写回申报书 .docx，保持原有版式；任何一项写不进去都不生成文件。"""
    from app.services import build_services
    from app.settings import load_settings
    from app.word.fill import fill_docx
    from app.word.values_file import FillError, load_values_file, plan_values
    from ingestion.drafts import DraftError, detect_programme, wrong_programme
    from ingestion.drafts.filetype import sniff

    if out.suffix.lower() != ".docx":
        _fail(f"--out 应为 .docx 文件：{out}")
    if out.exists() and draft.exists() and out.resolve() == draft.resolve():
        _fail("--out 不能与原申报书是同一个文件（不改动原申报书）。")
    corpus = build_services(load_settings()).corpus
    try:
        data = load_values_file(values)
        sniffed = sniff(draft)
        if sniffed.kind != "docx":
            _fail(f"{draft}：只能写回 Word 申报书（.docx）；JSON/YAML 草稿请直接编辑。")
        named = data.get("programme") if isinstance(data.get("programme"), str) else None
        form = detect_programme(draft, corpus)
        pid = programme or named or form
        if pid is None:
            _fail("无法识别申报书所属的申报项目，请用 -p 指定（见 shenbao programmes）。")
        if pid not in corpus.programmes:
            _fail(f"未知的申报项目 id「{pid}」。可用：{', '.join(sorted(corpus.programmes))}")
        spec = corpus.programme(pid)
        if form is not None and form != pid:
            _fail(str(wrong_programme(form, spec, corpus)))
        plan = plan_values(data, spec, corpus)
        result = fill_docx(
            sniffed.data,
            spec,
            corpus,
            plan.values,
            plan.rows,
            replace=replace,
            labels=plan.labels,
            name=draft.name,
        )
    except FillError as exc:
        _fail("无法写入，未生成文件：\n" + "\n".join(f"- {p}" for p in exc.problems))
    except DraftError as exc:
        _fail(f"{draft.name}：{exc}")
    try:
        out.write_bytes(result.data)
    except OSError as exc:
        _fail(f"无法写入 {out}：{exc.strerror or exc}")
    lines = [f"已写入 {out}：填写 {len(result.written)} 项"]
    if result.written:
        lines[0] += f"（{'、'.join(dict.fromkeys(result.written))}）"
    if result.unchanged:
        same = list(dict.fromkeys(result.unchanged))
        lines.append(f"已是给定值、未改动 {len(same)} 项：{'、'.join(same)}")
    if result.rows_added:
        lines.append(f"场景表新增 {result.rows_added} 行")
    if result.links_written:
        lines.append(f"按环节写入 {len(result.links_written)} 个环节：{'、'.join(result.links_written)}")
    typer.echo("\n".join(lines), err=True)
