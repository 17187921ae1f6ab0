"""``shenbao review``: does a passage show the scenario it claims?

Registered by the main CLI as a top-level command. Errors become a Chinese
message on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from core.review import ELEMENT_LABELS, VERDICT_LABELS

if TYPE_CHECKING:  # lazy: the service pulls in the readers and the rule kinds
    from app.review.service import PassageReview
    from app.services import Services
    from core.review import ClaimReview

PASSAGE_SUFFIXES = (".txt", ".md")
MAX_PASSAGE_BYTES = 1_000_000


METHOD_LABELS = {"rules": "仅规则", "local": "本地模型", "openai": "OpenAI 兼容接口", "fake": "测试模型"}


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _read_passage(path: Path) -> str:
    from app.textfiles import TextFileError, read_utf8

    try:
        return read_utf8(path, MAX_PASSAGE_BYTES, "不像一段场景描述，请只放入要审阅的段落。")
    except TextFileError as exc:
        _fail(str(exc))


def markdown(review: PassageReview) -> str:
    """One passage's review as Markdown: verdict, elements with quotes, clause."""
    from app.reports.markdown import md_escape

    r = review.review
    lines = [
        f"## {md_escape(review.file or '段落')}：{r.claim.item}.{r.claim.item_name}"
        + (f"（{r.claim.level}）" if r.claim.level else ""),
        "",
        f"- 结论：**{VERDICT_LABELS[r.verdict]}**（{r.verdict}）",
    ]
    if r.missing:
        lines.append("- 缺少：" + "、".join(ELEMENT_LABELS[m] for m in r.missing))
    if review.candidates:
        lines.append("- 候选场景：" + "；".join(f"{c.no}.{c.name}（{c.score}）" for c in review.candidates))
    for name, element in r.elements.items():
        mark = "有" if element.present else "无"
        lines.append(f"- {ELEMENT_LABELS[name]}：{mark}")
        lines += [f"  > {md_escape(q)}" for q in element.quotes]
    if r.claim.citation:
        c = r.claim.citation
        lines += ["", f"政策依据：《{c.doc_title or c.doc}》{c.clause}", "", f"> {c.quote}"]
    lines += [f"\n> 注：{md_escape(n)}" for n in r.notes]
    lines.append(f"\n（审阅方式：{METHOD_LABELS.get(r.method, r.method)}）")
    return "\n".join(lines) + "\n"


def draft_markdown(name: str, reviews: list[ClaimReview]) -> str:
    """A draft's claims as a Markdown table: claim, verdict, what is missing, where."""
    from app.reports.markdown import md_escape
    from app.review.service import NO_TEXT_NOTE

    lines = [f"## {md_escape(name)}", "", "| 申报内容 | 结论 | 缺少 | 位置 |", "|---|---|---|---|"]
    for r in reviews:
        where = next((p.location for p in r.claim.passages if p.location), "") or ""
        missing = "、".join(ELEMENT_LABELS[m] for m in r.missing) or "—"
        title = r.claim.title + (f"（{r.claim.level}）" if r.claim.level else "")
        lines.append(f"| {md_escape(title)} | {VERDICT_LABELS[r.verdict]} | {missing} | {md_escape(where)} |")
    if not reviews:
        lines.append("| （该申报书没有需要佐证的申报内容） | | | |")
    notes = dict.fromkeys(n for r in reviews for n in r.notes if n != NO_TEXT_NOTE)
    lines += ["", *(f"> 注：{md_escape(n)}" for n in notes)] if notes else []
    return "\n".join(lines) + "\n"


def _progress(done: int, total: int) -> None:
    typer.echo(f"\r审阅中：{done}/{total}", err=True, nl=done == total)


def _review_draft(
    services: Services, path: Path, programme: str | None, llm: str
) -> tuple[dict[str, Any], str]:
    from app.checking import CheckError, read_checked_draft
    from app.review.service import claim_json
    from ingestion.drafts import DraftError

    if not programme:
        _fail(f"{path}：审阅申报书须用 --programme 指定申报项目（shenbao programmes 列出全部）。")
    if programme not in services.corpus.programmes:
        _fail(f"未知的申报项目 id「{programme}」。可用：{', '.join(sorted(services.corpus.programmes))}")
    spec = services.corpus.programme(programme)
    try:
        draft = read_checked_draft(path, spec, services.corpus)
    except (DraftError, CheckError) as exc:
        _fail(f"{path}：{exc}")
    reviewer, _ = services.review.reviewer(llm)
    reviews = services.review.review_draft(
        spec, draft, llm=llm, progress=_progress if reviewer is not None else None
    )
    counts = {v: sum(r.verdict == v for r in reviews) for v in VERDICT_LABELS}
    data = {
        "file": str(path),
        "programme": programme,
        "summary": counts,
        "claims": [claim_json(r) for r in reviews],
    }
    return data, draft_markdown(str(path), reviews)


def review(
    paths: Annotated[list[Path], typer.Argument(help="段落文件（.txt/.md）或申报书（.docx/.json/.yaml）")],
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="申报项目 id（审阅申报书时必填）")
    ] = None,
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", help="场景编号或名称；auto 为按内容自动匹配")
    ] = "auto",
    level: Annotated[
        str | None, typer.Option("--level", help="所报等级（基础级/先进级/卓越级/领航级）")
    ] = None,
    llm: Annotated[
        str,
        typer.Option(
            "--llm",
            help="审阅方式：none（仅规则，默认）、local（本地模型，约 15–25 秒一项）、openai（设置中的 OpenAI 兼容接口）",
        ),
    ] = "none",
    fmt: Annotated[str, typer.Option("--format", "-f", help="json 或 md")] = "json",
) -> None:
    """审阅场景描述：是否写明了系统/装备、工作方式和量化成效（逐字引用原文）。"""
    from app.review.service import ReviewInputError
    from app.services import build_services
    from app.settings import load_settings

    if fmt not in ("json", "md"):
        _fail(f"未知的输出格式「{fmt}」：可用 json、md")
    from app.llm.errors import LLMConfigError

    services = build_services(load_settings())
    try:
        _, unavailable = services.review.reviewer(llm)
    except LLMConfigError as exc:
        _fail(str(exc))
    if unavailable:
        typer.echo(f"提示：{unavailable}", err=True)
    out: list[dict[str, Any]] = []
    md: list[str] = []
    for path in paths:
        if path.suffix.lower() not in PASSAGE_SUFFIXES:
            data, text_md = _review_draft(services, path, programme, llm)
            out.append(data)
            md.append(text_md)
            continue
        text = _read_passage(path)
        try:
            result = services.review.review_passage(text, scenario, level=level, file=str(path), llm=llm)
        except ReviewInputError as exc:
            _fail(f"{path}：{exc}")
        out.append(result.to_json())
        md.append(markdown(result))
    if fmt == "json":
        sys.stdout.write(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(md))
