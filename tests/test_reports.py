"""Report writers: xlsx matrix read back, HTML escaping, Markdown, JSON shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_cli_fixtures import N_RULES, PROGRAMME, good_draft, salary_draft, write_json

from app.checking import BatchResult, check_paths
from app.reports.common import STATUS_COLOURS
from app.reports.html import render_html, render_html_index
from app.reports.json_report import render_json
from app.reports.markdown import md_escape, render_markdown
from app.reports.output import report_names
from app.reports.xlsx import DRAFTS_SHEET, EVIDENCE_SHEET, MATRIX_SHEET, RULES_SHEET, write_xlsx
from corpus.loader import Corpus

XSS = "<script>alert('x')</script>"


@pytest.fixture()
def batch(tmp_path: Path, corpus: Corpus) -> BatchResult:
    write_json(tmp_path / "d" / "1-good.json", good_draft())
    (tmp_path / "d" / "2-broken.json").write_text("{", encoding="utf-8")
    write_json(tmp_path / "d" / "3-salary.json", salary_draft())
    return check_paths([tmp_path / "d"], PROGRAMME, corpus)


def _fill(cell: object) -> str:
    return str(cell.fill.start_color.rgb)[-6:]  # type: ignore[attr-defined]


def test_xlsx_matrix_and_summaries(batch: BatchResult, tmp_path: Path, corpus: Corpus) -> None:
    out = tmp_path / "m.xlsx"
    write_xlsx(batch, out)
    wb = load_workbook(out)
    assert wb.sheetnames == [MATRIX_SHEET, RULES_SHEET, DRAFTS_SHEET, EVIDENCE_SHEET]
    evidence_rows = list(wb[EVIDENCE_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(evidence_rows) == sum(len(r.evidence) for r in batch.reports) > 0  # a row per claim

    ws = wb[MATRIX_SHEET]
    header = [c.value for c in ws[1]]
    rule_ids = [f"{PROGRAMME}:{r.id}" for r in corpus.programme(PROGRAMME).rules]
    assert header == ["文件", "结论", *rule_ids, "错误"]
    assert ws.freeze_panes == "B2"
    assert ws.max_row == 4
    col = {h: i + 1 for i, h in enumerate(header)}
    good, broken, salary = ws[2], ws[3], ws[4]
    assert str(good[0].value).endswith("1-good.json")
    assert good[1].value == "通过"
    assert [c.value for c in good[2 : 2 + N_RULES]] == ["通过"] * N_RULES
    assert good[col["错误"] - 1].value is None
    assert broken[1].value == "无法检查"
    assert all(c.value is None for c in broken[2 : 2 + N_RULES])
    assert broken[col["错误"] - 1].value
    inv = salary[col["js-iif-2022:investment-min"] - 1]
    assert inv.value == "不通过"
    assert _fill(inv) == STATUS_COLOURS["fail"]
    assert _fill(salary[col["js-iif-2022:credit-code"] - 1]) == STATUS_COLOURS["pass"]
    assert salary[1].value == "不通过"

    rules = wb[RULES_SHEET]
    assert [c.value for c in rules[1]] == [
        "规则 id",
        "规则",
        "要求",
        "不通过",
        "警告",
        "无法判断",
        "通过",
        "不适用",
    ]
    by_id = {row[0]: row for row in rules.iter_rows(min_row=2, values_only=True)}
    assert len(by_id) == N_RULES
    assert by_id["js-iif-2022:investment-min"][3:] == (1, 0, 0, 1, 0)
    assert by_id["js-iif-2022:credit-code"][3:] == (0, 0, 0, 2, 0)

    drafts = list(wb[DRAFTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[1:7] for r in drafts] == [
        ("通过", 0, 0, 0, 30, 0),
        ("无法检查", None, None, None, None, None),
        ("不通过", 1, 0, 0, 29, 0),
    ]
    assert drafts[1][7] and drafts[0][7] is None


def test_xlsx_never_writes_draft_text_as_formula(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "=1+2.json", good_draft())
    result = check_paths([Path("=1+2.json")], PROGRAMME, corpus)
    write_xlsx(result, tmp_path / "f.xlsx")
    cell = load_workbook(tmp_path / "f.xlsx")[MATRIX_SHEET]["A2"]
    assert cell.value == "=1+2.json"
    assert cell.data_type == "s"


def test_html_escapes_draft_text(tmp_path: Path, corpus: Corpus) -> None:
    d = good_draft()
    d["enterprise"]["registered_address"] = f"江苏省苏州市{XSS}"
    path = write_json(tmp_path / "<img src=x onerror=alert(1)>.json", d)
    result = check_paths([path], PROGRAMME, corpus)
    page = render_html(result.entries[0], result.spec.title)
    assert "<script" not in page.lower()
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # self-contained: no external references
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    index = render_html_index(result, {str(path): '"><script>x</script>.html'})
    assert "<script" not in index.lower()


def test_html_groups_fail_first_with_citation(tmp_path: Path, corpus: Corpus) -> None:
    result = check_paths([write_json(tmp_path / "s.json", salary_draft())], PROGRAMME, corpus)
    page = render_html(result.entries[0], result.spec.title)
    assert page.index("<h2>不通过（1）</h2>") < page.index("通过（29）")
    notice = corpus.docs["js-iif-2022-notice"].meta.title
    assert f"《{notice}》一、申报条件 &gt; 2、" in page
    assert "近3年以内的平台和系统开发费" in page
    assert '<div class="verdict s-fail">不通过</div>' in page


def test_html_error_entry(batch: BatchResult) -> None:
    page = render_html(batch.entries[1], batch.spec.title)
    assert "<h2>无法检查</h2>" in page


def test_markdown_report(tmp_path: Path, corpus: Corpus) -> None:
    d = salary_draft()
    d["enterprise"]["registered_address"] = f"江苏省苏州市{XSS}"
    result = check_paths([write_json(tmp_path / "s.json", d)], PROGRAMME, corpus)
    md = render_markdown(result.entries[0], result.spec.title)
    assert md.splitlines()[0] == f"# 申报书检查报告：{md_escape(str(tmp_path / 's.json'))}"
    assert "- 统计：不通过 1，警告 0，无法判断 0，通过 29，不适用 0" in md
    assert md.index("## 不通过（1）") < md.index("## 通过（29）")
    assert "<script>" not in md
    assert r"\<script\>" in md


def test_render_json_object_or_array(batch: BatchResult, tmp_path: Path, corpus: Corpus) -> None:
    data = json.loads(render_json(batch))
    assert [sorted(e) for e in data] == [
        ["evidence", "file", "findings", "notes", "programme", "summary"],
        ["error", "file", "programme"],
        ["evidence", "file", "findings", "notes", "programme", "summary"],
    ]
    single = check_paths([write_json(tmp_path / "one.json", good_draft())], PROGRAMME, corpus)
    assert isinstance(json.loads(render_json(single)), dict)


def test_report_names_are_distinct_and_safe() -> None:
    names = report_names(
        ["a/x.docx", "b/x.docx", "index.json", 'c/a:b?"<>.json'], ".html", frozenset({"index.html"})
    )
    assert names == {
        "a/x.docx": "x.html",
        "b/x.docx": "x-2.html",
        "index.json": "index-2.html",
        'c/a:b?"<>.json': "a_b.html",
    }
