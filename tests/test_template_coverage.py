"""Every input a programme's rules read has a place in its template and is read
back from it (issue #10, item 6): a writer who fills the form can make every
rule decide, and nothing the rules need stays ``unknown`` for want of a cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from app.templates import fill_template, write_template
from checkers.engine import run_rules
from core.draft import Draft, field_title, resolve_path
from corpus.loader import Corpus, default_corpus
from ingestion.drafts import read_draft
from ingestion.drafts.fields import spec_index
from ingestion.drafts.labels import core
from tests.fixtures.drafts.official import fill_right, iter_cells, tick
from tests.fixtures.drafts.sample import sample_draft

PROGRAMMES = sorted(default_corpus().programmes)
BLANK: tuple[Any, ...] = (None, "", [], {})


def _at(draft: Draft, path: str) -> Any:
    """The value a rule reads at ``path`` (a table column: its non-empty cells)."""
    head, _, rest = path.partition(".")
    if head == "tables":
        table, _, column = rest.partition(".")
        rows = draft.tables.get(table) or []
        return rows if column == "#rows" else [r[column] for r in rows if r.get(column)]
    return resolve_path(draft, path)


def _reads(pid: str, corpus: Corpus) -> list[str]:
    return sorted({p for r in corpus.programmes[pid].rules for p in r.reads()})


@pytest.mark.parametrize("pid", PROGRAMMES)
def test_every_input_the_rules_read_round_trips_through_the_template(pid, tmp_path, corpus):
    """The sample fills every place of the form; each path a rule reads must have
    received a value there and arrive back at that path unchanged."""
    spec = corpus.programmes[pid]
    sent = sample_draft(pid, corpus)
    out = tmp_path / f"{pid}.docx"
    fill_template(spec, corpus, sent, out)
    back = read_draft(out, spec, corpus)
    no_place = [p for p in _reads(pid, corpus) if _at(sent, p) in BLANK]
    assert no_place == [], f"the form has no place for: {no_place}"
    lost = [p for p in _reads(pid, corpus) if _at(back, p) != _at(sent, p)]
    assert lost == [], f"written but not read back: {lost}"
    assert back.reader_notes == []


@pytest.mark.parametrize("pid", PROGRAMMES)
def test_a_filled_template_leaves_no_rule_without_its_input(pid, tmp_path, corpus):
    """After the round trip no finding is unknown because an input is missing
    (a value that cannot be judged, such as a made-up address, may still be)."""
    spec = corpus.programmes[pid]
    out = tmp_path / f"{pid}.docx"
    fill_template(spec, corpus, sample_draft(pid, corpus), out)
    findings = run_rules(spec, read_draft(out, spec, corpus), corpus.lists)
    missing = {f.id: f.evidence.get("missing") for f in findings if f.evidence.get("missing")}
    assert missing == {}


@pytest.mark.parametrize("pid", PROGRAMMES)
def test_form_labels_name_one_field_each(pid, corpus):
    """Two fields under one label would both take whatever is written there
    (the two ends of a period excepted)."""
    idx = spec_index(corpus.programmes[pid], corpus)
    by_label: dict[str, list[str]] = {}
    for f in idx.fields:
        by_label.setdefault(core(f.label), []).append(f.path)
    shared = {
        k: v for k, v in by_label.items() if len(v) > 1 and not all(p.endswith((".start", ".end")) for p in v)
    }
    assert shared == {}


# ------------------------------------------------------------ filled by hand


def _tick_in_row(doc: Any, label: str, option: str) -> None:
    """Tick ``option`` in the value cell of the row labelled ``label``."""
    for t in doc.tables:
        for row in t.rows:
            if row.cells[0].text.strip() == label:
                for p in row.cells[-1].paragraphs:
                    if f"□{option}" in p.text:
                        text = p.text.replace(f"□{option}", f"☑{option}", 1)
                        for r in p.runs[1:]:
                            r.text = ""
                        p.runs[0].text = text
                        return
    raise KeyError(label)


def _statuses(pid: str, path: Path, corpus: Corpus) -> dict[str, str]:
    spec = corpus.programmes[pid]
    return {
        f.id.split(":", 1)[1]: f.status for f in run_rules(spec, read_draft(path, spec, corpus), corpus.lists)
    }


def _statement_rules(pid: str, corpus: Corpus) -> list[str]:
    return [
        r.id
        for r in corpus.programmes[pid].rules
        if r.check.kind == "expect_value" and r.check.field.startswith("attestations.")  # type: ignore[union-attr]
    ]


@pytest.mark.parametrize(
    "pid", ["js-platform-enterprise", "js-platform-industry", "js-platform-regional", "js-platform-cross"]
)
def test_platform_statements_ticked_in_the_form_decide_their_rules(pid, tmp_path, corpus):
    """A writer who ticks 是 for every statement of the platform guide gets
    pass, not unknown, for each statement rule; 否 gives fail (warn for the
    warning-severity ones)."""
    blank = tmp_path / "blank.docx"
    write_template(corpus.programmes[pid], corpus, blank)
    rules = _statement_rules(pid, corpus)
    assert len(rules) >= 10  # 企业级 10, 行业级 14, 区域级 14 (+ ticks), 跨行业 21 qualitative statements
    assert {s for r, s in _statuses(pid, blank, corpus).items() if r in rules} == {"unknown"}
    severity = {r.id: r.severity for r in corpus.programmes[pid].rules}
    for answer in ("是", "否"):
        doc = docx.Document(str(blank))
        for r in corpus.programmes[pid].rules:
            if r.id in rules:
                _tick_in_row(doc, r.title, answer)
        doc.save(str(tmp_path / f"{answer}.docx"))
        got = _statuses(pid, tmp_path / f"{answer}.docx", corpus)
        want = {r: "pass" if answer == "是" else "fail" if severity[r] == "error" else "warn" for r in rules}
        assert {r: got[r] for r in rules} == want


def test_regional_support_app_ticks_are_read_by_park_support_apps(tmp_path, corpus):
    """区域级：面向园区提供决策支撑 APP 以及管理支撑 APP — the ticks of both groups decide the rule."""
    pid = "js-platform-regional"
    blank = tmp_path / "blank.docx"
    write_template(corpus.programmes[pid], corpus, blank)
    # a warning-severity rule: a violation reports warn (the groups' lists are not exhaustive)
    # nothing ticked: neither kind offered
    assert _statuses(pid, blank, corpus)["park-support-apps"] == "warn"
    doc = docx.Document(str(blank))
    tick(doc, "风险预警")  # 决策支撑 only
    doc.save(str(tmp_path / "one.docx"))
    assert _statuses(pid, tmp_path / "one.docx", corpus)["park-support-apps"] == "warn"
    tick(doc, "政企互动")  # and 管理支撑
    doc.save(str(tmp_path / "both.docx"))
    assert _statuses(pid, tmp_path / "both.docx", corpus)["park-support-apps"] == "pass"


@pytest.mark.parametrize("pid", ["wx-smart-factory-2023", "wx-smart-workshop-2023", "wx-smart-scene-2023"])
def test_wuxi_form_has_the_basic_requirements_and_reads_the_certificates(pid, tmp_path, corpus):
    """无锡：注册地址、注册满一周年、信用评价等级、投产、已获荣誉 and the statements
    of 一、基本要求 can be written in the form; the ticked certificates decide the
    preferred-* rules."""
    spec = corpus.programmes[pid]
    blank = tmp_path / "blank.docx"
    write_template(spec, corpus, blank)
    before = _statuses(pid, blank, corpus)
    doc = docx.Document(str(blank))
    fill_right(doc, "注册地址", "江阴高新技术产业开发区长山大道1号")
    fill_right(doc, "成立时间", "2015年3月2日")
    fill_right(doc, "申报日期", "2023年6月20日")
    fill_right(doc, "信用等级", "A")
    fill_right(doc, "已获荣誉/认定", "无")
    in_production = field_title("enterprise.in_production")  # 工厂、车间、场景已建成并正常投产使用
    for row in (in_production, *(spec.rule(r).title for r in _statement_rules(pid, corpus))):
        _tick_in_row(doc, row, "是")
    tick(doc, "两化融合管理体系贯标评定", "智能制造能力成熟度评价")
    if pid == "wx-smart-workshop-2023":
        fill_right(doc, "已获市级智能车间数量", "1")
    doc.save(str(tmp_path / "filled.docx"))
    after = _statuses(pid, tmp_path / "filled.docx", corpus)
    decided = [
        "registered-in-wuxi",
        "registered-one-year",
        "industrial-enterprise",
        "normal-operation",
        "no-serious-dishonesty",
        "credit-rating",
        "credit-report-valid",
        "in-production",
        "prior-award-excluded",
        "preferred-two-integration",
        "preferred-maturity-cert",
    ] + (["municipal-workshop-limit"] if pid == "wx-smart-workshop-2023" else [])
    assert {r: after[r] for r in decided} == dict.fromkeys(decided, "pass")
    assert {
        before[r] for r in decided if r not in ("preferred-two-integration", "preferred-maturity-cert")
    } == {"unknown"}
    # info-severity "优先" rules: no certificate ticked is a hint (warn), never unknown
    assert (before["preferred-two-integration"], before["preferred-maturity-cert"]) == ("warn", "warn")


def test_gradient_self_evaluation_is_written_and_read_in_the_form(tmp_path, corpus):
    """js-gradient-2025: the indicator levels / 符合程度 / scores and each
    scenario's level have cells, so the score and the scenario count can be decided."""
    pid = "js-gradient-2025"
    blank = tmp_path / "blank.docx"
    write_template(corpus.programmes[pid], corpus, blank)
    assert _statuses(pid, blank, corpus)["self-eval-score"] == "unknown"
    doc = docx.Document(str(blank))
    cells = iter_cells(doc)
    assert any(c.text == "研发设计数字化水平" for c in cells)
    assert any(c.text == "达到的等级" for c in cells)
    indicators = corpus.lists["js-dt-eval-2025-indicators"]
    scored = [i for i in indicators.items if i.attrs.get("bands")]
    for item in scored:  # 等级 4「比较符合」: 47–54 分 (附件3 表3)
        fill_right(doc, item.name, "4")
        _tick_in_row_cell(doc, item.name, 2, "比较符合")
        fill_right(doc, item.name, "50", skip=2)
    doc.save(str(tmp_path / "filled.docx"))
    back = read_draft(tmp_path / "filled.docx", corpus.programmes[pid], corpus)
    assert {k: (v.level, v.fit, v.score) for k, v in back.self_eval.indicators.items()} == {
        i.id: (4, "比较符合", 50.0) for i in scored
    }
    # 50 分 everywhere is not above 60 under every reading of 第7题 (not counted: 50; 0: 45;
    # full marks: 55), so the error-severity rule fails
    assert _statuses(pid, tmp_path / "filled.docx", corpus)["self-eval-score"] == "fail"


def _tick_in_row_cell(doc: Any, label: str, col: int, option: str) -> None:
    """Tick ``option`` in column ``col`` of the row labelled ``label``."""
    for t in doc.tables:
        for row in t.rows:
            if row.cells[0].text.strip() == label:
                p = row.cells[col].paragraphs[0]
                text = p.text.replace(f"□{option}", f"☑{option}", 1)
                for r in p.runs[1:]:
                    r.text = ""
                p.runs[0].text = text
                return
    raise KeyError(label)
