"""Run the drafting evaluation on the fact sheets (issue #12, item 7).

Every sheet is drafted into one scenario row of its programme (rules-only; a
model drafter too when ``--llm NAME`` names one and :mod:`app.drafting` offers
it) and scored against its labels and the guarantees:

- **within limits**: each limited column's text recounted with the checker's
  Word-compatible 字数 (:func:`core.text.count_zishu`) against the limit of the
  programme's ``table_char_limits`` rule (target 100%);
- **invented numbers and names**: the row's own ``numbers.not_in_facts`` and
  ``names_not_in_facts``, and the independent check of
  :mod:`eval.drafting.numbers` (target 0);
- **fill**: a column is filled when its text is not empty; recall over the
  labelled ``fillable`` columns (and over the required ones alone), precision
  against the columns the labels say the facts cannot fill;
- **key terms**: the share of the labelled scenario's definition terms
  (:mod:`eval.drafting.terms`) the row uses, next to the share the facts hold;
- **result numbers**: the share of the labelled result numbers that occur in
  the results column (the column of role ``result``; in a programme whose only
  column has role ``all``, that column), and the background numbers there;
- **seconds per row** (after one untimed warm-up row).

The limited text sections (js-iif-2022's 项目总体描述) are scored on their own
sheets by :mod:`eval.drafting.sections`, in the same report.

Writes ``eval/results/drafting.md``, ``drafting.json`` and ``drafting-zishu.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.drafting.service import DraftService, column_limits
from core.drafting import ScenarioRow
from core.spec import ProgrammeSpec
from core.text import count_zishu
from corpus.loader import Corpus, default_corpus
from eval.confusion import Counts
from eval.drafting.cases import DraftingCase, check_against_spec, load_cases, occurs
from eval.drafting.numbers import not_in_facts
from eval.drafting.sections import (
    SECTIONS_DIR,
    SectionDrafter,
    SectionResult,
    evaluate_sections,
    load_section_cases,
    markdown_sections,
    section_problems,
    section_targets,
)
from eval.drafting.terms import key_terms, used

RESULTS = Path(__file__).resolve().parents[1] / "results"
SCENARIO_LIST = "ts2024-scenarios"
Drafter = Callable[[ProgrammeSpec, str, str, str | None], ScenarioRow]
"""(spec, facts, scenario, factory_type) → row."""


def rules_drafter(service: DraftService) -> Drafter:
    """The rules-only drafter of :class:`DraftService`."""

    def draft(spec: ProgrammeSpec, facts: str, scenario: str, factory_type: str | None) -> ScenarioRow:
        return service.draft_row(spec, facts, scenario, factory_type=factory_type)

    return draft


def model_drafter(service: Any, name: str) -> Drafter | None:
    """The model drafter ``name`` when the drafting service offers one (a
    ``draft_row`` that takes ``llm=``), else None."""
    if "llm" not in inspect.signature(service.draft_row).parameters:
        return None

    def draft(spec: ProgrammeSpec, facts: str, scenario: str, factory_type: str | None) -> ScenarioRow:
        row: ScenarioRow = service.draft_row(spec, facts, scenario, factory_type=factory_type, llm=name)
        return row

    return draft


def result_column(spec: ProgrammeSpec) -> str:
    """The column that carries the scenario's results: role ``result``, else the ``all`` column."""
    assert spec.scenario_drafting is not None
    cols = spec.scenario_drafting.columns
    for role in ("result", "all"):
        key = next((k for k, c in cols.items() if c.role == role), None)
        if key is not None:
            return key
    raise ValueError(f"「{spec.id}」的起草表没有成果栏（result 或 all）")


Fill = Counts
"""Filled columns against the labels (fillable or not)."""


@dataclass
class MethodResult:
    """Everything measured for one drafter."""

    method: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    fill: Fill = field(default_factory=Fill)
    fill_required: Fill = field(default_factory=Fill)
    fill_by_column: dict[str, Fill] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures of this method as JSON."""
        limited = [c for c in self.columns if c["limit"] is not None]
        within = sum(c["count"] <= c["limit"] for c in limited)
        secs = [r["seconds"] for r in self.rows]
        results_total = sum(len(r["result_numbers"]) for r in self.rows)
        results_hit = sum(len(r["result_numbers_in_results"]) for r in self.rows)
        auto = [r for r in self.rows if r["expect_scenario"] is not None]
        fits: dict[str, int] = {}
        for c in self.columns:
            fits[c["fit"]] = fits.get(c["fit"], 0) + 1
        return {
            "method": self.method,
            "rows": len(self.rows),
            "errors": len(self.errors),
            "columns_limited": len(limited),
            "columns_within_limit": within,
            "within_limit_share": round(within / len(limited), 3) if limited else None,
            "count_mismatches": sum(c["count"] != c["reported_count"] for c in self.columns),
            "fits": dict(sorted(fits.items())),
            "invented_numbers": sum(len(r["numbers_not_in_facts"]) for r in self.rows),
            "invented_numbers_independent": sum(
                len(r["numbers_not_in_facts_independent"]) for r in self.rows
            ),
            "invented_names": sum(len(r["names_not_in_facts"]) for r in self.rows),
            "fill_recall": self.fill.recall(),
            "fill_recall_required": self.fill_required.recall(),
            "fill_precision": self.fill.precision(),
            "filled_not_fillable": self.fill.fp,
            "fill": {"tp": self.fill.tp, "fp": self.fill.fp, "fn": self.fill.fn, "tn": self.fill.tn},
            "fill_by_column": {
                k: {"recall": f.recall(), "precision": f.precision(), "tp": f.tp, "fp": f.fp, "fn": f.fn}
                for k, f in self.fill_by_column.items()
            },
            "key_terms_used": _mean([r["key_terms_used_share"] for r in self.rows]),
            "key_terms_in_facts": _mean([r["key_terms_in_facts_share"] for r in self.rows]),
            "result_numbers": results_total,
            "result_numbers_in_results": results_hit,
            "result_numbers_share": round(results_hit / results_total, 3) if results_total else None,
            "background_numbers": sum(len(r["background_numbers"]) for r in self.rows),
            "background_numbers_in_results": sum(len(r["background_numbers_in_results"]) for r in self.rows),
            "rows_with_background_in_results": sum(
                bool(r["background_numbers_in_results"]) for r in self.rows
            ),
            "link_set": sum(r["link"] is not None for r in self.rows),
            "auto_cases": len(auto),
            "auto_top1": round(sum(r["scenario_no"] == r["expect_scenario"] for r in auto) / len(auto), 3)
            if auto
            else None,
            "seconds_per_row_median": round(statistics.median(secs), 4) if secs else None,
            "seconds_per_row_mean": round(statistics.fmean(secs), 4) if secs else None,
            "seconds_per_row_max": round(max(secs), 4) if secs else None,
            "generation_seconds_mean": _mean([r["generation_seconds"] for r in self.rows]),
            "validation_seconds_mean": _mean([r["seconds"] - r["generation_seconds"] for r in self.rows]),
            "rows_fallen_back_to_rules": sum(r["method"] == "rules" for r in self.rows)
            if self.method != "rules"
            else 0,
        }


def _mean(xs: list[float]) -> float | None:
    return round(statistics.fmean(xs), 3) if xs else None


def spec_problems(cases: list[tuple[str, DraftingCase]], corpus: Corpus) -> list[str]:
    """Every label that does not fit its programme's drafting table (empty when the set is sound)."""
    problems: list[str] = []
    for _, case in cases:
        if case.programme not in corpus.programmes:
            problems.append(f"{case.id}: 未知的申报项目「{case.programme}」")
            continue
        spec = corpus.programme(case.programme)
        if spec.scenario_drafting is None:
            problems.append(f"{case.id}: 「{case.programme}」没有可起草的场景表")
            continue
        cols = {k: c.required for k, c in spec.scenario_drafting.columns.items()}
        types = list(spec.scenario_drafting.link_list_by) if spec.scenario_drafting.link_list_by else None
        found = check_against_spec(case, cols, types)
        if case.result_numbers and result_column(spec) not in case.fillable:
            found.append(f"有 result_numbers，成果所在栏「{result_column(spec)}」却不可填")
        problems += [f"{case.id}: {p}" for p in found]
    return problems


def evaluate(
    cases: list[tuple[str, DraftingCase]],
    corpus: Corpus,
    method: str,
    drafter: Drafter,
    generation: Callable[[], float] | None = None,
    warm_up: bool = True,
) -> tuple[MethodResult, list[ScenarioRow]]:
    """Draft every sheet with ``drafter`` and score the rows against the labels.
    ``generation`` (a model drafter's running total of seconds spent waiting for
    the model) splits each row's seconds into generation and validation; a
    model drafter skips the warm-up row (``warm_up``: minutes of CPU)."""
    res = MethodResult(method=method)
    rows: list[ScenarioRow] = []
    scenarios = corpus.lists[SCENARIO_LIST]
    if cases and warm_up:  # warm-up: the first row loads lexicons and the scenario ranker
        _, first = cases[0]
        drafter(corpus.programme(first.programme), first.facts, "auto", first.factory_type)
    for industry, case in cases:
        spec = corpus.programme(case.programme)
        assert spec.scenario_drafting is not None
        start = time.perf_counter()
        generated = generation() if generation else 0.0
        try:
            row = drafter(spec, case.facts, case.scenario, case.factory_type)
        except Exception as exc:  # a drafter failure is a measured outcome, not a crash of the run
            res.errors.append({"id": case.id, "error": f"{type(exc).__name__}: {exc}"})
            continue
        seconds = time.perf_counter() - start
        generated = (generation() - generated) if generation else 0.0
        if generation:  # a model run takes minutes: show progress
            print(f"{method} {case.id}: {seconds:.1f} s ({generated:.1f} s generation)", file=sys.stderr)
        rows.append(row)
        assert (
            spec.scenario_drafting.table is not None
        )  # the cases' programmes draft a table (checked on load)
        limits = column_limits(spec, spec.scenario_drafting.table)
        by_key = {c.key: c for c in row.columns}
        for key, col_spec in spec.scenario_drafting.columns.items():
            col = by_key.get(key)
            text = col.text if col else ""
            gold, got = key in case.fillable, bool(text.strip())
            res.fill.add(gold, got)
            if col_spec.required:
                res.fill_required.add(gold, got)
            res.fill_by_column.setdefault(key, Fill()).add(gold, got)
            res.columns.append(
                {
                    "id": case.id,
                    "key": key,
                    "limit": limits.get(key),
                    "count": count_zishu(text),
                    "reported_count": col.count if col else 0,
                    "fit": col.fit if col else "missing",
                    "long": key in case.long_columns,
                    "fillable": gold,
                }
            )
        output = "".join(c.text for c in row.columns)
        results_text = by_key[result_column(spec)].text if result_column(spec) in by_key else ""
        no = str(case.expect_scenario) if case.scenario == "auto" else case.scenario
        item = scenarios.item(no)
        terms = key_terms(item.text or "") if item else []
        res.rows.append(
            {
                "id": case.id,
                "industry": industry,
                "programme": case.programme,
                "tags": list(case.tags),
                "seconds": round(seconds, 5),
                "generation_seconds": round(generated, 5),
                "method": row.method,
                "fits": {c.key: c.fit for c in row.columns},
                "column_notes": {c.key: c.note for c in row.columns if c.note},
                "notes": list(row.notes),
                "scenario_no": int(str(row.scenario["no"]))
                if str(row.scenario.get("no")).isdigit()
                else None,
                "expect_scenario": case.expect_scenario,
                "link": row.link,
                "numbers_not_in_facts": list(row.numbers.not_in_facts),
                "numbers_not_in_facts_independent": not_in_facts(output, case.facts),
                "names_not_in_facts": list(row.names_not_in_facts),
                "key_terms": len(terms),
                "key_terms_used_share": len(used(terms, output)) / len(terms) if terms else 1.0,
                "key_terms_in_facts_share": len(used(terms, case.facts)) / len(terms) if terms else 1.0,
                "result_numbers": list(case.result_numbers),
                "result_numbers_in_results": [n for n in case.result_numbers if occurs(n, results_text)],
                "background_numbers": list(case.background_numbers),
                "background_numbers_in_results": [
                    n for n in case.background_numbers if occurs(n, results_text)
                ],
                "fillable": list(case.fillable),
                "missed_columns": [
                    k for k in case.fillable if not by_key.get(k) or not by_key[k].text.strip()
                ],
                "filled_not_fillable": [
                    k
                    for k in spec.scenario_drafting.columns
                    if k not in case.fillable and by_key.get(k) and by_key[k].text.strip()
                ],
            }
        )
    return res, rows


COLUMN_LABELS = {
    "description": "具体描述",
    "pain_points": "痛点",
    "solution": "技术方案",
    "support": "保障要素",
    "results": "实施成果",
    "other": "其他",
}


def plot_zishu(res: MethodResult, out: Path, name: str = "drafting-zishu.png") -> Path:
    """字数 against the limit per column: one strip of rows per column (the
    limited columns of all programmes), the limit as a red line; cut columns
    drawn as crosses, shortened ones as triangles, empty columns left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    limited = [c for c in res.columns if c["limit"] is not None]
    keys = list(dict.fromkeys(c["key"] for c in limited))
    fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=120)
    for x, key in enumerate(keys):
        cols = [c for c in limited if c["key"] == key and c["count"] > 0]
        for i, c in enumerate(cols):
            jitter = ((i * 7) % 11 - 5) / 20
            cut = c["fit"] == "cut"
            shortened = c["fit"] == "shortened"
            ax.scatter(
                x + jitter,
                c["count"],
                marker="x" if cut else "^" if shortened else "o",
                s=22,
                color="tab:orange" if cut else "tab:green" if shortened else "tab:blue",
                alpha=0.8,
                linewidths=1.2,
            )
        limit = next(c["limit"] for c in limited if c["key"] == key)
        ax.hlines(limit, x - 0.4, x + 0.4, colors="tab:red", linewidth=2)
        ax.text(x + 0.42, limit, str(limit), color="tab:red", va="center", fontsize=8)
    ax.set_xticks(range(len(keys)), keys, rotation=15)
    ax.set_ylabel("zishu (Word count)")
    ax.set_title(f"drafted zishu vs limit per column ({res.method}; o as written, ^ shortened, x cut)")
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    path = out / name
    fig.savefig(path)
    plt.close(fig)
    return path


def _section_drafter(service: Any, llm: str | None) -> SectionDrafter:
    """The service's drafter (rules-only for ``llm`` None, else the model
    ``llm``) asked for a limited section: its target, and the 环节 and factory
    type of a section printed per 环节."""

    def draft(
        spec: ProgrammeSpec, facts: str, target: str, link: str | None, factory_type: str | None
    ) -> ScenarioRow:
        kwargs: dict[str, Any] = {"llm": llm} if llm else {}
        row: ScenarioRow = service.draft_row(
            spec, facts, "auto", link=link, factory_type=factory_type, target=target, **kwargs
        )
        return row

    return draft


def markdown(
    results: list[MethodResult],
    meta: dict[str, Any],
    sections: list[SectionResult] | None = None,
    n_sections: int = 0,
    section_names: list[str] | None = None,
) -> str:
    """The report: the headline table, the limited sections, then per column, per tag and the misses."""
    lines = [
        "# Drafting evaluation",
        "",
        f"{meta['cases']} fact sheets ({meta['industries']} industries; "
        + ", ".join(f"{p} {n}" for p, n in meta["programmes"].items())
        + f") in eval/drafting/cases; run {meta['date']}.",
        "",
        "| method | rows | columns within limit | invented numbers (row / independent) | invented names "
        "| fill recall (required) | fill precision | key terms used (in facts) | result numbers in 实施成果 "
        "| background numbers in 实施成果 | auto top-1 | s/row (median) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.summary()
        lines.append(
            f"| {r.method} | {s['rows']} | {s['columns_within_limit']}/{s['columns_limited']} "
            f"({s['within_limit_share']:.0%}) | {s['invented_numbers']} / {s['invented_numbers_independent']} "
            f"| {s['invented_names']} | {s['fill_recall']} ({s['fill_recall_required']}) | {s['fill_precision']} "
            f"| {s['key_terms_used']} ({s['key_terms_in_facts']}) "
            f"| {s['result_numbers_in_results']}/{s['result_numbers']} ({s['result_numbers_share']}) "
            f"| {s['background_numbers_in_results']} of {s['background_numbers']} "
            f"({s['rows_with_background_in_results']} rows) | {s['auto_top1']} | {s['seconds_per_row_median']} |"
        )
    if meta.get("subset"):
        lines += ["", f"Subset ({meta['subset']}): {', '.join(meta['ids'])}."]
    for r in results:
        s = r.summary()
        if r.method != "rules":
            lines += [
                "",
                f"{r.method}: seconds per row mean {s['seconds_per_row_mean']} = generation "
                f"{s['generation_seconds_mean']} + validation and bookkeeping {s['validation_seconds_mean']}; "
                f"rows fallen back to rules-only (model failed): {s['rows_fallen_back_to_rules']}.",
            ]
    if sections:
        lines += markdown_sections(sections, n_sections, section_names)
    for r in results:
        s = r.summary()
        lines += [
            "",
            f"## Columns: {r.method}",
            "",
            "One line per column and limit (the Jiangsu programmes' single 具体描述 column has no limit).",
            "",
            "| column | limit | filled | max 字数 | median 字数 | within | cut | empty | recall | precision |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for key, lim in dict.fromkeys((c["key"], c["limit"]) for c in r.columns):
            cols = [c for c in r.columns if c["key"] == key and c["limit"] == lim]
            filled = [c["count"] for c in cols if c["count"] > 0]
            within = sum(lim is None or c["count"] <= lim for c in cols)
            fill = Fill()
            for c in cols:
                fill.add(c["fillable"], c["count"] > 0)
            lines.append(
                f"| {key} {COLUMN_LABELS.get(key, '')} | {lim if lim is not None else '—'} | {len(filled)}/{len(cols)} "
                f"| {max(filled, default=0)} | {statistics.median(filled) if filled else 0:g} | {within}/{len(cols)} "
                f"| {sum(c['fit'] == 'cut' for c in cols)} | {sum(c['fit'] == 'empty' for c in cols)} "
                f"| {fill.recall()} | {fill.precision()} |"
            )
        lines += [
            "",
            f"Fits: {', '.join(f'{k} {v}' for k, v in s['fits'].items())}; 字数 recounted ≠ reported: "
            f"{s['count_mismatches']}; 所属环节 set: {s['link_set']}/{s['rows']}; s/row mean "
            f"{s['seconds_per_row_mean']}, max {s['seconds_per_row_max']}; errors: {s['errors']}.",
        ]
    for r in results:
        lines += [
            "",
            f"## By tag: {r.method}",
            "",
            "| tag | rows | fill recall | result numbers | background in 实施成果 |",
        ]
        lines.append("|---|---|---|---|---|")
        tags = sorted({t for row in r.rows for t in row["tags"]})
        for tag in tags:
            rows = [row for row in r.rows if tag in row["tags"]]
            fillable = sum(len(row["fillable"]) for row in rows)
            missed = sum(len(row["missed_columns"]) for row in rows)
            rn = sum(len(row["result_numbers"]) for row in rows)
            hit = sum(len(row["result_numbers_in_results"]) for row in rows)
            bg = sum(len(row["background_numbers_in_results"]) for row in rows)
            recall = round((fillable - missed) / fillable, 3) if fillable else 1.0
            lines.append(f"| {tag} | {len(rows)} | {recall} | {hit}/{rn} | {bg} |")
    for r in results:
        lines += ["", f"## Misses: {r.method}", ""]
        for row in r.rows:
            bits = []
            if row["background_numbers_in_results"]:
                bits.append("background in 实施成果: " + "、".join(row["background_numbers_in_results"]))
            missing = [n for n in row["result_numbers"] if n not in row["result_numbers_in_results"]]
            if missing:
                bits.append("result numbers not in 实施成果: " + "、".join(missing))
            if row["missed_columns"]:
                bits.append("fillable but empty: " + ", ".join(row["missed_columns"]))
            if row["filled_not_fillable"]:
                bits.append("filled, labels say cannot be: " + ", ".join(row["filled_not_fillable"]))
            invented = (
                row["numbers_not_in_facts"]
                + row["numbers_not_in_facts_independent"]
                + row["names_not_in_facts"]
            )
            if invented:
                bits.append("invented: " + "、".join(invented))
            if row["expect_scenario"] is not None and row["scenario_no"] != row["expect_scenario"]:
                bits.append(f"auto chose {row['scenario_no']}, expected {row['expect_scenario']}")
            if bits:
                lines.append(f"- {row['id']}: " + "; ".join(bits))
        lines += [f"- {e['id']}: error {e['error']}" for e in r.errors]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 1 with ``--strict`` when a guarantee fails (a
    column over its limit, an invented number or name), 2 on a bad set or an
    unavailable model drafter."""
    ap = argparse.ArgumentParser(prog="python -m eval.drafting", description="场景描述起草评测")
    ap.add_argument("--cases", type=Path, default=None, help="用例文件或目录（默认内置材料集）")
    ap.add_argument(
        "--sections", type=Path, default=SECTIONS_DIR, help="限字数章节（项目总体描述）材料的目录（默认内置）"
    )
    ap.add_argument("--out", type=Path, default=RESULTS, help="结果目录")
    ap.add_argument("--limit", type=int, default=None, help="只评前 N 份材料（冒烟测试用）")
    ap.add_argument(
        "--sample",
        type=int,
        default=None,
        help="只评均匀间隔抽取的 N 份材料（覆盖各行业；本地模型一行要几分钟时用）",
    )
    ap.add_argument(
        "--name", default="drafting", help="结果文件名前缀（默认 drafting：drafting.md/json/-zishu.png）"
    )
    ap.add_argument("--strict", action="store_true", help="有栏目超限或编造数字、名称时以 1 退出")
    ap.add_argument(
        "--llm", action="append", default=[], help="也用该大模型起草（可重复），须 app.drafting 提供"
    )
    args = ap.parse_args(argv)
    corpus = default_corpus()
    try:
        cases = load_cases(args.cases)
    except ValueError as exc:
        print(f"评测集有误：{exc}", file=sys.stderr)
        return 2
    try:
        sections = load_section_cases(args.sections)
    except ValueError as exc:
        print(f"章节评测集有误：{exc}", file=sys.stderr)
        return 2
    problems = spec_problems(cases, corpus) + section_problems(sections, corpus)
    if problems:
        print("评测集标注与申报项目不符：\n" + "\n".join(problems), file=sys.stderr)
        return 2
    if args.limit is not None:
        cases = cases[: args.limit]
    if args.sample is not None and 0 < args.sample < len(cases):
        cases = [cases[i * len(cases) // args.sample] for i in range(args.sample)]
    if args.limit is not None or args.sample is not None:
        sections = sections[: min(x for x in (args.limit, args.sample) if x is not None)]
    service = DraftService(corpus)
    drafters: list[tuple[str, Drafter]] = [("rules", rules_drafter(service))]
    drafting_service: Any = service
    clocks: dict[str, Callable[[], float]] = {}
    for name in args.llm:
        from app.llm.errors import LLMConfigError
        from app.services import build_services
        from app.settings import load_settings

        drafting = build_services(load_settings()).drafting
        drafting_service = drafting
        model = model_drafter(drafting, name)
        if model is None:
            print(f"大模型起草「{name}」尚未提供：app.drafting 目前只有仅规则起草。", file=sys.stderr)
            return 2
        try:
            built, why = drafting.drafter(name)
        except LLMConfigError as exc:
            print(f"大模型「{name}」的设置有误：{exc}", file=sys.stderr)
            return 2
        if built is None:  # rows would silently be rules-only under the model's name
            print(f"大模型「{name}」在本机不可用：{why or '提供方为 none'}", file=sys.stderr)
            return 2
        drafters.append((name, model))
        clocks[name] = functools.partial(getattr, built.stats, "generation_seconds")
    results = [
        evaluate(cases, corpus, name, drafter, clocks.get(name), warm_up=name not in clocks)[0]
        for name, drafter in drafters
    ]
    section_results = [
        evaluate_sections(
            sections,
            corpus,
            name,
            _section_drafter(
                service if name == "rules" else drafting_service, None if name == "rules" else name
            ),
        )
        for name, _ in drafters
    ]
    meta = {
        "cases": len(cases),
        "industries": len({i for i, _ in cases}),
        "programmes": {
            p: sum(c.programme == p for _, c in cases) for p in sorted({c.programme for _, c in cases})
        },
        "date": dt.date.today().isoformat(),
        "subset": (f"--sample {args.sample}" if args.sample else f"--limit {args.limit}")
        if args.sample or args.limit
        else None,
        "ids": [c.id for _, c in cases] if args.sample or args.limit else None,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    plots = [plot_zishu(results[0], args.out, f"{args.name}-zishu.png")]
    plots += [plot_zishu(r, args.out, f"{args.name}-zishu-{r.method}.png") for r in results[1:]]
    data = {
        "meta": meta,
        "methods": [r.summary() for r in results],
        "rows": {r.method: r.rows for r in results},
        "errors": {r.method: r.errors for r in results},
        "sections": {
            "cases": len(sections),
            "methods": [r.summary() for r in section_results],
            "rows": {r.method: r.rows for r in section_results},
            "errors": {r.method: r.errors for r in section_results},
        },
    }
    (args.out / f"{args.name}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    report = markdown(results, meta, section_results, len(sections), section_targets(sections, corpus))
    (args.out / f"{args.name}.md").write_text(report, encoding="utf-8")
    print(report.split("\n## ")[0].strip())
    shown = "、".join(str(x) for x in (args.out / f"{args.name}.md", args.out / f"{args.name}.json", *plots))
    print(f"\n结果已写入 {shown}")
    if args.strict:
        for r in results:
            s = r.summary()
            if s["within_limit_share"] not in (None, 1.0) or s["invented_numbers"] or s["invented_names"]:
                return 1
            if s["invented_numbers_independent"] or s["errors"]:
                return 1
        for sr in section_results:
            ss = sr.summary()
            if ss["within_limit_share"] not in (None, 1.0) or ss["errors"]:
                return 1
            if ss["invented_numbers"] or ss["invented_numbers_independent"] or ss["invented_names"]:
                return 1
    return 0
