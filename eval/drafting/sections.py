"""The drafting evaluation of limited text sections (issue #12 item 1's last
gap): fact sheets drafted into one limited section of the form (js-iif-2022's
项目总体描述 ≤1000字; nt-smart-factory-2022's 企业简介 ≤500字, 智能工厂建设的基本
情况 ≤800字 and one 环节 of 三、重点环节建设情况 ≤1000字 each) and scored against
the guarantees and their labels.

A file in ``eval/drafting/sections/`` holds the sheets of one programme's
drafting target (``section``: a section id, or the id of a table printed as one
section per 环节, whose sheets then name their ``link`` and ``factory_type``)::

    section: overview
    programme: js-iif-2022
    cases:
    - id: iif-01
      industry: 机械加工
      style: notes                 # notes | writeup | key-value
      tags: [background-numbers]   # no-numbers | too-long | background-numbers
      facts: |-
        ……
      result_numbers: ["18%"]      # the project's achieved effects, as written in the facts
      background_numbers: ["2600万元"]  # scale (investment, revenue, people): allowed here, only labelled
      why: ……

Scored per sheet: the section's 字数 recounted by the checker's count against
the limit of the ``char_limit`` rule (target 100% within), the numbers and
names not in the facts (the row's own check and :mod:`eval.drafting.numbers`;
target 0), how the text was fitted, the share of the facts' sentences used and
of the result numbers kept (a long sheet must not lose its results), seconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.drafting.facts import split_facts
from core.drafting import ScenarioRow
from core.spec import ProgrammeSpec, column_limit, section_limit
from core.text import count_zishu
from corpus.loader import Corpus
from eval.drafting.cases import ARABIC, Style, occurs
from eval.drafting.numbers import not_in_facts

SECTIONS_DIR = Path(__file__).resolve().parent / "sections"
SectionTag = Literal["no-numbers", "too-long", "background-numbers"]
SectionDrafter = Callable[[ProgrammeSpec, str, str, str | None, str | None], ScenarioRow]
"""(spec, facts, target, link, factory_type) → the drafted section (one column)."""


class SectionCase(BaseModel):
    """One fact sheet about a whole project, with its labels."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z]+-\d{2}$")
    industry: str = Field(min_length=2)
    style: Style
    tags: list[SectionTag] = []
    facts: str = Field(min_length=20)
    result_numbers: list[str] = []
    background_numbers: list[str] = []
    link: str | None = None
    factory_type: str | None = None
    why: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SectionCase:
        problems = [
            f"{kind} 中的「{n}」不在材料中"
            for kind, ns in (
                ("result_numbers", self.result_numbers),
                ("background_numbers", self.background_numbers),
            )
            for n in ns
            if not occurs(n, self.facts)
        ]
        if "no-numbers" in self.tags and (ARABIC.search(self.facts) or self.result_numbers):
            problems.append("no-numbers 的材料不能含数字")
        if ("background-numbers" in self.tags) != bool(self.background_numbers):
            problems.append("background-numbers 标签与 background_numbers 须同时出现")
        if problems:
            raise ValueError(f"{self.id}: " + "；".join(problems))
        return self


class SectionFile(BaseModel):
    """One file: a programme's drafted section and its sheets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    section: str
    programme: str
    cases: list[SectionCase] = Field(min_length=1)


def load_section_cases(root: Path | None = None) -> list[tuple[SectionFile, SectionCase]]:
    """The sheets of every file under ``root`` (default ``eval/drafting/sections``),
    in file order; ``ValueError`` (Chinese, naming the file) on a bad file or a duplicate id."""
    root = SECTIONS_DIR if root is None else root
    out: list[tuple[SectionFile, SectionCase]] = []
    for f in sorted(root.glob("*.yaml")):
        try:
            data = SectionFile.model_validate(yaml.safe_load(f.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise ValueError(f"{f.name}: {exc}") from exc
        out.extend((data, c) for c in data.cases)
    ids = [c.id for _, c in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"章节评测集 id 重复：{', '.join(dup)}")
    return out


def target_limit(spec: ProgrammeSpec, target: str) -> int:
    """The 字数 limit of a drafted section (its ``char_limit`` rule's), or of the
    one text column of a table printed as one section per 环节 (its
    ``table_char_limits`` rule's)."""
    d = spec.draft_target(target)
    assert d is not None
    if d.section is not None:
        limit = section_limit(spec, d.section)
    else:
        [key] = d.columns
        limit = column_limit(spec, d.table or "", key)
    assert limit is not None  # the spec's validation
    return limit


def section_problems(cases: list[tuple[SectionFile, SectionCase]], corpus: Corpus) -> list[str]:
    """Every sheet that does not fit its programme: the programme must draft
    that section, and ``too-long`` must say whether the facts exceed its limit."""
    out: list[str] = []
    for file, case in cases:
        spec = corpus.programmes.get(file.programme)
        d = spec.draft_target(file.section) if spec is not None else None
        if spec is None or d is None or (d.table is not None and len(d.columns) != 1):
            out.append(f"{case.id}: 「{file.programme}」没有可起草的章节「{file.section}」")
            continue
        if d.table is not None and (not case.link or (d.link_list_by and not case.factory_type)):
            out.append(f"{case.id}: 按环节起草的章节须给出 link 和 factory_type")
        limit = target_limit(spec, file.section)
        if ("too-long" in case.tags) != (count_zishu(case.facts) > limit):
            out.append(
                f"{case.id}: too-long 标签须与材料是否超过 {limit} 字一致（材料 {count_zishu(case.facts)} 字）"
            )
    return out


@dataclass
class SectionResult:
    """What was measured for one drafter on the section sheets."""

    method: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures of this method as JSON."""
        n = len(self.rows)
        within = sum(r["count"] <= r["limit"] for r in self.rows)
        results = sum(len(r["result_numbers"]) for r in self.rows)
        kept = sum(len(r["result_numbers_kept"]) for r in self.rows)
        fits: dict[str, int] = {}
        for r in self.rows:
            fits[r["fit"]] = fits.get(r["fit"], 0) + 1
        secs = [r["seconds"] for r in self.rows]
        return {
            "method": self.method,
            "rows": n,
            "errors": len(self.errors),
            "within_limit": within,
            "within_limit_share": round(within / n, 3) if n else None,
            "count_mismatches": sum(r["count"] != r["reported_count"] for r in self.rows),
            "fits": dict(sorted(fits.items())),
            "invented_numbers": sum(len(r["numbers_not_in_facts"]) for r in self.rows),
            "invented_numbers_independent": sum(
                len(r["numbers_not_in_facts_independent"]) for r in self.rows
            ),
            "invented_names": sum(len(r["names_not_in_facts"]) for r in self.rows),
            "result_numbers": results,
            "result_numbers_kept": kept,
            "result_numbers_share": round(kept / results, 3) if results else None,
            "facts_used_share": round(statistics.fmean(r["facts_used_share"] for r in self.rows), 3)
            if n
            else None,
            "seconds_per_row_median": round(statistics.median(secs), 4) if secs else None,
        }


def evaluate_sections(
    cases: list[tuple[SectionFile, SectionCase]], corpus: Corpus, method: str, drafter: SectionDrafter
) -> SectionResult:
    """Draft every sheet with ``drafter`` and score the section against the guarantees and labels."""
    res = SectionResult(method=method)
    for file, case in cases:
        spec = corpus.programme(file.programme)
        limit = target_limit(spec, file.section)
        start = time.perf_counter()
        try:
            row = drafter(spec, case.facts, file.section, case.link, case.factory_type)
        except Exception as exc:  # a drafter failure is a measured outcome, not a crash of the run
            res.errors.append({"id": case.id, "error": f"{type(exc).__name__}: {exc}"})
            continue
        seconds = time.perf_counter() - start
        [col] = row.columns
        facts = split_facts(case.facts)
        res.rows.append(
            {
                "id": case.id,
                "industry": case.industry,
                "programme": file.programme,
                "section": file.section,
                "title": _title(spec, file.section),
                "link": row.link,
                "tags": list(case.tags),
                "method": row.method,
                "limit": limit,
                "facts_count": count_zishu(case.facts),
                "count": count_zishu(col.text),
                "reported_count": col.count,
                "fit": col.fit,
                "note": col.note,
                "numbers_not_in_facts": list(row.numbers.not_in_facts),
                "numbers_not_in_facts_independent": not_in_facts(col.text, case.facts),
                "names_not_in_facts": list(row.names_not_in_facts),
                "facts_used_share": round(len(col.facts_used) / len(facts), 3) if facts else 1.0,
                "result_numbers": list(case.result_numbers),
                "result_numbers_kept": [n for n in case.result_numbers if occurs(n, col.text)],
                "seconds": round(seconds, 5),
            }
        )
    return res


def _title(spec: ProgrammeSpec, target: str) -> str:
    d = spec.draft_target(target)
    return spec.draft_target_title(d) if d is not None else target


def section_targets(cases: list[tuple[SectionFile, SectionCase]], corpus: Corpus) -> list[str]:
    """Each drafted section of the sheets as “programme 标题 ≤N字”, in file order."""
    out: list[str] = []
    for file, _ in cases:
        spec = corpus.programme(file.programme)
        name = f"{file.programme} {_title(spec, file.section)} ≤{target_limit(spec, file.section)}字"
        if name not in out:
            out.append(name)
    return out


def _summary_line(label: str, r: SectionResult) -> str:
    s = r.summary()
    fits = ", ".join(f"{k} {v}" for k, v in s["fits"].items())
    return (
        f"| {label} | {s['rows']} | {s['within_limit']}/{s['rows']} ({s['within_limit_share']:.0%}) "
        f"| {s['invented_numbers']} / {s['invented_numbers_independent']} | {s['invented_names']} | {fits} "
        f"| {s['result_numbers_kept']}/{s['result_numbers']} ({s['result_numbers_share']}) "
        f"| {s['facts_used_share']} | {s['seconds_per_row_median']} |"
    )


def markdown_sections(
    results: list[SectionResult], n_cases: int, targets: list[str] | None = None
) -> list[str]:
    """The report's section part: one line per method and per method and
    section, then one per sheet."""
    named = "; ".join(targets) if targets else "js-iif-2022 项目总体描述 ≤1000字"
    lines = [
        "",
        f"## Limited sections ({named})",
        "",
        f"{n_cases} fact sheets in eval/drafting/sections, each drafted into one limited section of the form "
        "as one column (a 环节 of 三、重点环节建设情况 as one row of link_sections).",
        "",
        "| method | rows | within limit | invented numbers (row / independent) | invented names | fits "
        "| result numbers kept | facts used | s/row (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(_summary_line(r.method, r))
        keys = list(dict.fromkeys((row["programme"], row["section"]) for row in r.rows))
        if len(keys) > 1:
            for prog, sec in keys:
                part = SectionResult(
                    method=r.method, rows=[x for x in r.rows if (x["programme"], x["section"]) == (prog, sec)]
                )
                title = part.rows[0]["title"]
                lines.append(_summary_line(f"{r.method} · {prog} {title}", part))
    for r in results:
        lines += [
            "",
            f"Sheets ({r.method}):",
            "",
            "| sheet | section | tags | facts 字数 | drafted 字数 / limit | fit | result numbers kept |",
        ]
        lines.append("|---|---|---|---|---|---|---|")
        for row in r.rows:
            where = row["title"] + (f"（{row['link']}）" if row.get("link") else "")
            lines.append(
                f"| {row['id']} | {where} | {', '.join(row['tags']) or '—'} | {row['facts_count']} "
                f"| {row['count']} / {row['limit']} | {row['fit']} "
                f"| {len(row['result_numbers_kept'])}/{len(row['result_numbers'])} |"
            )
        lines += [f"- {e['id']}: error {e['error']}" for e in r.errors]
    return lines
