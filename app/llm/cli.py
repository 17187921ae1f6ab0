"""``shenbao llm setup|status``: the local model, assembled and verified with
progress, and what the evidence review can use here. Registered by the main
CLI; errors become a Chinese message on stderr (exit 2 for usage, 1 when the
model cannot be set up)."""

from __future__ import annotations

import importlib.util
from typing import Annotated, NoReturn

import typer

llm_app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="证据审阅用的大模型：本地模型安装与状态"
)


def _fail(msg: str, code: int) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


@llm_app.command("setup")
def setup(
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", help="qwen2.5-coder-1.5b 或 qwen2.5-coder-0.5b（默认：设置中的 local_model）"
        ),
    ] = None,
) -> None:
    """拼装并校验本地模型（分卷包须已安装，make llm 会一并安装），只需一次。"""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from app.llm.errors import ModelFileError
    from app.llm.model_files import MODELS, assemble
    from app.settings import load_settings

    settings = load_settings()
    key = model or settings.llm.local_model
    if key not in MODELS:
        _fail(f"未知的本地模型「{key}」。可用：{'、'.join(MODELS)}", 2)
    spec = MODELS[key]
    with Progress(
        "[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn()
    ) as bar:
        task = bar.add_task(f"拼装 {spec.title}", total=spec.size)
        try:
            path = assemble(
                spec, settings.data_dir, progress=lambda done, total: bar.update(task, completed=done)
            )
        except ModelFileError as exc:
            _fail(f"{exc}\n证据审阅将只用规则。", 1)
    typer.echo(f"本地模型已就绪（sha256 已校验）：{path}")
    if importlib.util.find_spec("llama_cpp") is None:
        typer.echo(
            "但 llama-cpp-python 未安装：运行 make llm 安装后才能使用本地模型；在此之前证据审阅只用规则。"
        )


@llm_app.command("status")
def status() -> None:
    """显示证据审阅可用的方式：设置的提供方、llama-cpp-python、各本地模型是否就绪。"""
    from app.llm.errors import ModelFileError
    from app.llm.model_files import MODELS, is_ready, model_path, part_files
    from app.settings import load_settings

    settings = load_settings()
    typer.echo(f"设置的提供方：{settings.llm.provider}（SHENBAO_LLM__PROVIDER）")
    typer.echo(
        f"llama-cpp-python：{'已安装' if importlib.util.find_spec('llama_cpp') else '未安装（make llm）'}"
    )
    typer.echo(f"langchain-openai：{'已安装' if importlib.util.find_spec('langchain_openai') else '未安装'}")
    for key, spec in MODELS.items():
        try:
            part_files(spec)
            parts = "分卷已安装"
        except ModelFileError:
            parts = "分卷未安装"
        ready = "已拼装并校验" if is_ready(spec, settings.data_dir) else "未拼装"
        default = "（默认）" if key == settings.llm.local_model else ""
        typer.echo(f"{key}{default}：{parts}，{ready}（{model_path(spec, settings.data_dir)}）")
