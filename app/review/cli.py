"""``shenbao review``: does a passage show the scenario it claims?

Registered by the main CLI as a top-level command. Errors become a Chinese
message on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from app.review.service import PassageReview, ReviewInputError
from core.review import ELEMENT_LABELS, VERDICT_LABELS

PASSAGE_SUFFIXES = (".txt", ".md")
MAX_PASSAGE_BYTES = 1_000_000


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _read_passage(path: Path) -> str:
    if path.suffix.lower() not in PASSAGE_SUFFIXES:
        _fail(f"{path}：目前只能审阅纯文本段落（.txt 或 .md，UTF-8）；申报书的逐条审阅尚未提供。")
    try:
        if path.stat().st_size > MAX_PASSAGE_BYTES:
            _fail(
                f"{path}：文件超过 {MAX_PASSAGE_BYTES // 1_000_000} MB，不像一段场景描述，请只放入要审阅的段落。"
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _fail(f"{path}：文件不存在。")
    except UnicodeDecodeError:
        _fail(f"{path}：不是 UTF-8 编码的文本，请另存为 UTF-8 后再试。")
    except OSError as exc:
        _fail(f"{path}：无法读取（{exc.strerror or exc}）。")


def markdown(review: PassageReview) -> str:
    """One passage's review as Markdown: verdict, elements with quotes, clause."""
    r = review.review
    lines = [
        f"## {review.file or '段落'}：{r.claim.item}.{r.claim.item_name}"
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
        lines += [f"  > {q}" for q in element.quotes]
    if r.claim.citation:
        c = r.claim.citation
        lines += ["", f"政策依据：《{c.doc_title or c.doc}》{c.clause}", "", f"> {c.quote}"]
    lines.append(f"\n（审阅方式：{'仅规则' if r.method == 'rules' else r.method}）")
    return "\n".join(lines) + "\n"


def review(
    paths: Annotated[list[Path], typer.Argument(help="要审阅的段落文件（.txt/.md）")],
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", help="场景编号或名称；auto 为按内容自动匹配")
    ] = "auto",
    level: Annotated[
        str | None, typer.Option("--level", help="所报等级（基础级/先进级/卓越级/领航级）")
    ] = None,
    llm: Annotated[str, typer.Option("--llm", help="审阅方式：none（仅规则）")] = "none",
    fmt: Annotated[str, typer.Option("--format", "-f", help="json 或 md")] = "json",
) -> None:
    """审阅场景描述：是否写明了系统/装备、工作方式和量化成效（逐字引用原文）。"""
    from app.services import build_services
    from app.settings import load_settings

    if fmt not in ("json", "md"):
        _fail(f"未知的输出格式「{fmt}」：可用 json、md")
    if llm != "none":
        _fail(f"审阅方式「{llm}」尚未提供：目前只有 none（仅规则）。")
    texts = [(str(p), _read_passage(p)) for p in paths]
    service = build_services(load_settings()).review
    out: list[dict[str, Any]] = []
    md: list[str] = []
    for name, text in texts:
        try:
            result = service.review_passage(text, scenario, level=level, file=name)
        except ReviewInputError as exc:
            _fail(f"{name}：{exc}")
        out.append(result.to_json())
        md.append(markdown(result))
    if fmt == "json":
        sys.stdout.write(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(md))
