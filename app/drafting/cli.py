"""``shenbao draft``: one scenario row from a writer's facts, within the form's
limits, every number and name from the facts. Errors become a Chinese message
on stderr and exit code 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from app.drafting.notes import MAX_NOTES_BYTES as MAX_FACTS_BYTES
from core.drafting import FIT_LABELS

METHOD_LABELS = {
    "rules": "仅规则（摘取材料原句）",
    "llm": "大模型起草（各栏字数、数字、名称由程序核对）",
    "rules+edited": "仅规则，已手动修改",
    "llm+edited": "大模型起草，已手动修改",
}

if TYPE_CHECKING:
    from core.drafting import ScenarioRow
    from core.spec import ProgrammeSpec


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _read_facts(path: Path) -> str:
    from app.textfiles import TextFileError, read_utf8

    if path.suffix.lower() not in (".txt", ".md"):
        _fail(f"{path}：材料须为 UTF-8 纯文本（.txt 或 .md）。")
    try:
        return read_utf8(path, MAX_FACTS_BYTES, "不像一个场景的材料。")
    except TextFileError as exc:
        _fail(str(exc))


def markdown(row: ScenarioRow) -> str:
    """The row as Markdown: each column with its 字数 against the limit and how it was fitted."""
    from app.reports.markdown import md_escape

    if row.section is not None and row.columns:
        head = f"## {row.columns[0].title}"
    elif len(row.columns) == 1 and row.target not in (None, "scenarios"):
        head = f"## {row.link or '（环节未定）'}：{row.columns[0].title}"
    else:
        head = f"## {row.scenario['no']}.{row.scenario['name']}（所属环节：{row.link or '未定'}）"
    lines = [
        head,
        "",
        f"- 起草方式：{METHOD_LABELS.get(row.method, row.method)}",
        f"- 数字均来自材料：{'是' if not row.numbers.not_in_facts else '否：' + '、'.join(row.numbers.not_in_facts)}",
    ]
    lines += [f"- {md_escape(n)}" for n in row.notes]
    for c in row.columns:
        limit = f" / {c.limit}" if c.limit is not None else ""
        lines += ["", f"### {md_escape(c.title)}（{c.count}{limit} 字，{FIT_LABELS[c.fit]}）", ""]
        lines.append(md_escape(c.text) if c.text else f"（{md_escape(c.note or '空')}）")
        if c.text and c.note:
            lines.append(f"\n> {md_escape(c.note)}")
    for cite in row.citations:
        lines += ["", f"政策依据：《{cite.doc_title or cite.doc}》{cite.clause}"]
    return "\n".join(lines) + "\n"


def _table(spec: ProgrammeSpec) -> str | None:
    d = spec.scenario_drafting
    return d.table if d is not None else None


def draft(
    programme: Annotated[str, typer.Option("--programme", "-p", help="申报项目 id")],
    facts: Annotated[Path, typer.Option("--facts", help="该场景的材料（.txt/.md，UTF-8）")],
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", help="场景编号或名称；auto 为按材料自动匹配")
    ] = "auto",
    link: Annotated[str | None, typer.Option("--link", help="所属环节（默认取场景所属环节）")] = None,
    factory_type: Annotated[
        str | None, typer.Option("--factory-type", help="工厂类型（南通：离散型/流程型）")
    ] = None,
    llm: Annotated[
        str,
        typer.Option(
            "--llm",
            help="起草方式：none（仅规则，摘取材料原句，默认）、local（本地模型，1.5B 约 1–2 分钟一行）、"
            "openai（设置中的 OpenAI 兼容接口）；用模型时各栏字数、数字、名称仍由程序核对",
        ),
    ] = "none",
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            help="起草什么：场景表或限字数章节的 id 或标题（如 企业简介、overview、link_sections）；"
            "默认为该项目的第一项（有场景表的为场景表的一行）",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json 或 md")] = "json",
    into: Annotated[
        Path | None,
        typer.Option("--into", help="把这一行写入该申报书的场景表（.docx）；不给则写入空白申报书"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入后的新 .docx")] = None,
) -> None:
    """起草一行场景描述：各栏不超过字数上限，数字和名称都来自材料，不编造。"""
    from app.drafting.service import DraftInputError
    from app.services import build_services
    from app.settings import load_settings

    if fmt not in ("json", "md"):
        _fail(f"未知的输出格式「{fmt}」：可用 json、md")
    text = _read_facts(facts)
    services = build_services(load_settings())
    from app.llm.errors import LLMConfigError

    try:
        _, unavailable = services.drafting.drafter(llm)
    except LLMConfigError as exc:
        _fail(str(exc))
    if unavailable:
        typer.echo(f"提示：{unavailable}", err=True)
    if programme not in services.corpus.programmes:
        _fail(f"未知的申报项目 id「{programme}」。可用：{', '.join(sorted(services.corpus.programmes))}")
    try:
        row = services.drafting.draft_row(
            services.corpus.programme(programme),
            text,
            scenario,
            link=link,
            factory_type=factory_type,
            llm=llm,
            target=target,
        )
    except DraftInputError as exc:
        _fail(str(exc))
    if into is not None and out is None:
        _fail("使用 --into 时须用 --out 指定新文件（不改动原申报书）。")
    if out is not None:
        from app.drafting.docx_into import IntoError, add_row, add_section

        if into is not None and into.resolve() == out.resolve():
            _fail("--out 不能与 --into 是同一个文件（不改动原申报书）。")
        spec = services.corpus.programme(programme)
        try:
            scenario_row = row.section is None and row.target in (None, _table(spec))
            if scenario_row:
                n = add_row(spec, services.corpus, row, into, out)
            else:
                add_section(spec, services.corpus, row, into, out)
        except IntoError as exc:
            _fail(str(exc))
        if not scenario_row:
            replaced = "（替换了原有内容；原申报书未改动）" if into is not None else ""
            where = f"「{row.link}」环节的" if row.section is None else ""
            typer.echo(f"已写入 {out}：{where}「{row.columns[0].title}」{replaced}。", err=True)
        else:
            typer.echo(f"已写入 {out}：场景表第 {n} 行。", err=True)
    if fmt == "json":
        sys.stdout.write(json.dumps(row.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(markdown(row))
