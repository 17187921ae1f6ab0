"""The drafting fact sheets: ``eval/drafting/cases/*.yaml``.

A file holds the fact sheets of one industry; each sheet is what an enterprise
writer jotted about ONE scenario (free notes, a case write-up, key–value lines),
with labels read from the facts against the form's column definitions::

    industry: 机械加工
    cases:
    - id: mach-01
      programme: nt-smart-factory-2022
      factory_type: 离散型
      scenario: "14"                 # catalogue number (ts2024-scenarios) or auto
      expect_scenario: 14            # only with auto: the scenario the facts describe
      style: notes                   # notes | writeup | key-value
      tags: [background-numbers]
      facts: |-
        ……
      fillable: [description, pain_points, solution, results]
      result_numbers: ["2.1%", "0.3%"]
      background_numbers: ["3.2亿元"]
      long_columns: []               # columns whose content in the facts exceeds the limit
      why: ……

Every labelled number is written exactly as in the facts and occurs there. The
labels never come from a drafter's output. See ``eval/drafting/README.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CASES_DIR = Path(__file__).resolve().parent / "cases"

Style = Literal["notes", "writeup", "key-value"]
"""How the facts are written: free jottings, a case write-up, or 键：值 lines."""
HardTag = Literal["no-numbers", "background-numbers", "too-long", "missing-column"]
"""The hard cases of the brief: facts without any number; numbers that are not
this scenario's results (revenue, headcount, investment, city-wide averages);
facts too long for a column's limit; facts that hold nothing for a required column."""
ExtraTag = Literal["city-average", "planned", "whole-factory", "chinese-numerals", "fullwidth-digits", "auto"]
"""Further traps: a city or industry average phrased as an effect; an effect that
is only planned or expected; an effect of the whole factory (the form's 其他 column);
numbers written in Chinese or in full-width digits; the scenario left to ``auto``."""
Tag = Literal[HardTag, ExtraTag]
HARD_TAGS: tuple[str, ...] = get_args(HardTag)

ARABIC = re.compile(r"[0-9０-９]")


def norm(text: str) -> str:
    """Full-width digits, letters and signs folded to half-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def occurs(number: str, text: str) -> bool:
    """Whether ``number`` (as written, e.g. ``2.1%``) occurs in ``text`` as a whole
    number: not preceded or followed by another digit or decimal point, width folded."""
    n, t = norm(number), norm(text)
    pattern = r"(?<![0-9.])" + re.escape(n) + (r"(?![0-9])" if n[-1:].isdigit() else "")
    return re.search(pattern, t) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DraftingCase(_Strict):
    """One fact sheet about one scenario, with its labels."""

    id: str = Field(pattern=r"^[a-z]+-\d{2}$")
    programme: str
    factory_type: Literal["离散型", "流程型"] | None = None
    scenario: str = Field(pattern=r"^(auto|[1-9]|[1-3][0-9]|40)$")
    expect_scenario: int | None = Field(default=None, ge=1, le=40)
    style: Style
    tags: list[Tag] = []
    facts: str = Field(min_length=20)
    fillable: list[str]
    result_numbers: list[str] = []
    background_numbers: list[str] = []
    long_columns: list[str] = []
    why: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _scenario_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("scenario"), int):
            return {**data, "scenario": str(data["scenario"])}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> DraftingCase:
        problems: list[str] = []
        for kind, numbers in (
            ("result_numbers", self.result_numbers),
            ("background_numbers", self.background_numbers),
        ):
            for n in numbers:
                if not occurs(n, self.facts):
                    problems.append(f"{kind} 中的「{n}」不在材料中")
        if set(self.result_numbers) & set(self.background_numbers):
            problems.append("同一数字既标为成果又标为背景")
        has_digits = ARABIC.search(self.facts) is not None
        if "no-numbers" in self.tags and (has_digits or self.result_numbers or self.background_numbers):
            problems.append("no-numbers 的材料不能含数字")
        if ("background-numbers" in self.tags) != bool(self.background_numbers):
            problems.append("background-numbers 标签与 background_numbers 须同时出现")
        if ("too-long" in self.tags) != bool(self.long_columns):
            problems.append("too-long 标签与 long_columns 须同时出现")
        if ("auto" in self.tags) != (self.scenario == "auto"):
            problems.append("auto 标签与 scenario: auto 须同时出现")
        if (self.scenario == "auto") != (self.expect_scenario is not None):
            problems.append("scenario 为 auto 时须给 expect_scenario，否则不给")
        if self.programme == "nt-smart-factory-2022" and self.factory_type is None:
            problems.append("南通项目须给 factory_type")
        if len(set(self.fillable)) != len(self.fillable) or len(set(self.tags)) != len(self.tags):
            problems.append("fillable 或 tags 重复")
        if problems:
            raise ValueError(f"{self.id}: " + "；".join(problems))
        return self


class CaseFile(_Strict):
    """One case file: an industry and its fact sheets."""

    industry: str = Field(min_length=2)
    cases: list[DraftingCase] = Field(min_length=1)


def load_cases(path: Path | None = None) -> list[tuple[str, DraftingCase]]:
    """The fact sheets of a case file or a folder of them (default:
    ``eval/drafting/cases/``) as (industry, case), in file order; ids unique.

    Raises ``ValueError`` (in Chinese, naming the file) on a missing path, bad
    YAML, a case that fails validation, or a duplicate id.
    """
    root = CASES_DIR if path is None else Path(path)
    if not root.exists():
        raise ValueError(f"评测集路径不存在：{root}")
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    out: list[tuple[str, DraftingCase]] = []
    for f in files:
        try:
            data = CaseFile.model_validate(yaml.safe_load(f.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as e:
            raise ValueError(f"{f.name}: {e}") from e
        out.extend((data.industry, c) for c in data.cases)
    ids = Counter(c.id for _, c in out)
    dup = sorted(i for i, n in ids.items() if n > 1)
    if dup:
        raise ValueError(f"评测集 id 重复：{', '.join(dup)}")
    return out


def check_against_spec(
    case: DraftingCase, columns: dict[str, bool], factory_types: list[str] | None
) -> list[str]:
    """What in ``case`` does not fit its programme: ``columns`` maps the
    drafting table's column keys to ``required``; ``factory_types`` are the
    programme's choices (None when it has none). Also: ``missing-column`` must
    leave out a required column, and the others must not leave one out unless
    the case says why."""
    problems = [f"fillable 中的「{k}」不是该项目起草表的栏目" for k in case.fillable if k not in columns]
    problems += [
        f"long_columns 中的「{k}」不是该项目起草表的栏目" for k in case.long_columns if k not in columns
    ]
    problems += [
        f"long_columns 中的「{k}」不在 fillable 中" for k in case.long_columns if k not in case.fillable
    ]
    if factory_types is not None and case.factory_type not in factory_types:
        problems.append(f"factory_type「{case.factory_type}」不是该项目的工厂类型")
    if factory_types is None and case.factory_type is not None:
        problems.append("该项目没有工厂类型，不应给 factory_type")
    missing = [k for k, required in columns.items() if required and k not in case.fillable]
    if "missing-column" in case.tags and not missing:
        problems.append("missing-column 的材料须缺一个必填栏")
    if "missing-column" not in case.tags and missing:
        problems.append(f"缺必填栏 {missing} 却没有 missing-column 标签")
    return problems


def counts(cases: list[tuple[str, DraftingCase]]) -> dict[str, Any]:
    """The set's size: sheets, industries, programmes, styles, tags."""
    tags = Counter(t for _, c in cases for t in c.tags)
    return {
        "cases": len(cases),
        "industries": dict(Counter(i for i, _ in cases)),
        "programmes": dict(Counter(c.programme for _, c in cases)),
        "styles": dict(Counter(c.style for _, c in cases)),
        "tags": {t: tags[t] for t in sorted(tags)},
        "result_numbers": sum(len(c.result_numbers) for _, c in cases),
        "background_numbers": sum(len(c.background_numbers) for _, c in cases),
    }
