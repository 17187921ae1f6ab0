"""``shenbao review``: a passage file in, design.md's review JSON (or Markdown) out;
bad input is refused with a Chinese message and exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()

PASSAGE = (
    "公司在总装线末端部署了视觉检测系统。工业相机实时采集产品图像，缺陷识别模型判定后自动将不合格品分拣至返修线。"
    "检测效率提升45%，但漏检率仍需观察。"
)


def run(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_json_contract(tmp_path: Path) -> None:
    p = tmp_path / "段落.txt"
    p.write_text(PASSAGE, encoding="utf-8")
    res = run("review", p, "--scenario", "14")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {
        "file",
        "scenario",
        "candidates",
        "verdict",
        "elements",
        "missing",
        "citation",
        "method",
    }
    assert data["scenario"] == {"no": 14, "name": "在线智能检测"}
    assert data["candidates"] == []  # named, not ranked
    assert set(data["elements"]) == {"system", "how", "result"}
    assert data["elements"]["result"] == {"present": True, "quotes": ["检测效率提升45%，"]}
    assert data["verdict"] == "supported" and data["missing"] == []
    assert data["method"] == "rules"


def test_auto_and_markdown(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("公司引进了MES系统，质量管理水平显著提升。", encoding="utf-8")
    res = run("review", p, "--format", "md")
    assert res.exit_code == 0, res.output
    assert "结论：**证据不全**（partial）" in res.stdout
    assert "缺少：工作方式、量化成效" in res.stdout
    assert "候选场景：" in res.stdout


def test_bad_input_exit_2(tmp_path: Path) -> None:
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK\x03\x04")
    res = run("review", docx, "--programme", "nt-smart-factory-2022")
    assert res.exit_code == 2 and "a.docx" in res.output  # a broken .docx: the reader's message
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("视觉检测系统".encode("gbk"))
    res = run("review", gbk)
    assert res.exit_code == 2 and "不是 UTF-8" in res.output
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n", encoding="utf-8")
    res = run("review", empty)
    assert res.exit_code == 2 and "段落为空" in res.output
    ok = tmp_path / "ok.txt"
    ok.write_text(PASSAGE, encoding="utf-8")
    res = run("review", ok, "--scenario", "不存在")
    assert res.exit_code == 2 and "未找到场景" in res.output
    res = run("review", tmp_path / "missing.txt")
    assert res.exit_code == 2 and "文件不存在" in res.output


def test_a_draft_is_reviewed_claim_by_claim(tmp_path: Path) -> None:
    """The bundled compliant Nantong draft: 4 scenario rows and 8 环节 sections,
    each a claim with its location and the 建设要点 it is measured against."""
    draft = (
        Path(__file__).resolve().parents[1] / "examples" / "nt-smart-factory-2022" / "合规示例-离散型.docx"
    )
    res = run("review", draft, "--programme", "nt-smart-factory-2022")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["programme"] == "nt-smart-factory-2022"
    claims = data["claims"]
    assert [c["claim"]["kind"] for c in claims] == ["scenario"] * 4 + ["link"] * 8
    assert sum(data["summary"].values()) == 12
    first = claims[0]
    assert first["claim"]["id"] == "tables.scenarios.1" and first["claim"]["title"] == "计划调度"
    assert first["location"].startswith("表4 第2行")
    assert first["citation"]["doc"] == "nt-2022-guide"
    for c in claims:
        assert {"claim", "verdict", "missing", "quotes", "citation"} <= set(c)
        for q in c["quotes"]:  # every quote is the draft's own text
            assert q.strip()


def test_a_draft_needs_its_programme(tmp_path: Path) -> None:
    draft = Path(__file__).resolve().parents[1] / "examples" / "js-iif-2022" / "合规示例.docx"
    res = run("review", draft)
    assert res.exit_code == 2 and "--programme" in res.output
    res = run("review", draft, "--programme", "nt-smart-factory-2022")
    assert res.exit_code == 2 and "不是" in res.output  # another programme's form is refused
