"""The labelled evidence passages: ``eval/evidence/cases/*.yaml``.

A file holds the passages of one group of typical scenarios (the 40 scenarios of
《智能制造典型场景参考指引(2024年版)》, ``corpus/scenarios/typical-scenarios-2024.yaml``)::

    group: 质量管控
    cases:
    - id: s14-01
      scenario: {no: 14, name: 在线智能检测}
      text: 具体描述：……
      labels:
        system: {present: true, quotes: [部署在线视觉检测系统]}
        how: {present: true, quotes: [……]}
        result: {present: false, quotes: []}
      level: {claimed: 先进级, shown: true, why: ……}   # optional (js-gradient-2025 style)
      tags: [row, background-numbers]
      auto: true                                      # optional, default false
      why: 营业收入是背景数字，不是本场景成效。            # optional note

An element is present exactly when it has quotes, and every quote is a verbatim
substring of the passage. The verdict is derived from the three labels, never
labelled by hand. See ``eval/evidence/README.md`` for the labelling guide.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CASES_DIR = Path(__file__).resolve().parent / "cases"
FRESH_DIR = Path(__file__).resolve().parent / "fresh"
"""A second set, written blind to the reviewers (ids ``f<NN>-<MM>``): held out entirely."""
FRESH2_DIR = Path(__file__).resolve().parent / "fresh2"
"""A third set, written blind to the reviewers after ``fresh/`` was used for tuning
(ids ``g<NN>-<MM>``)."""
FRESH3_DIR = Path(__file__).resolve().parent / "fresh3"
"""A fourth set, written blind to the reviewers after ``fresh2/`` was used for tuning
(ids ``h<NN>-<MM>``)."""
FRESH4_DIR = Path(__file__).resolve().parent / "fresh4"
"""A fifth set, written blind to the reviewers after ``fresh3/`` was used for tuning
(ids ``k<NN>-<MM>``): the current held-out measure."""

Element = Literal["system", "how", "result"]
ELEMENTS: tuple[Element, ...] = ("system", "how", "result")
ELEMENT_LABELS: dict[Element, str] = {"system": "系统/装备", "how": "工作方式", "result": "量化成效"}

Verdict = Literal["supported", "partial", "missing"]
VERDICTS: tuple[Verdict, ...] = ("supported", "partial", "missing")

Level = Literal["基础级", "先进级", "卓越级", "领航级"]

StyleTag = Literal["row", "writeup", "self-eval"]
"""How the passage is written: a 申报书 scenario-table row (具体描述/痛点/技术方案/成果),
a published case write-up, or a js-gradient-2025 self-evaluation paragraph."""
HardTag = Literal[
    "background-numbers",
    "system-no-mechanism",
    "result-no-number",
    "factory-level-result",
    "traditional-chars",
    "injection",
    "fullwidth-digits",
    "chinese-numerals",
    "mixed-scenarios",
    "short",
]
"""The hard cases of the issue and the brief; each has at least six passages."""
ExtraTag = Literal["vague-system", "planned", "spec-numbers", "mechanism-no-system"]
"""Further traps: only 信息化手段-style wording for the system; a system that is only
planned (拟建); numbers that describe scale or equipment, not an effect; a mechanism
described without any named system."""
Tag = Literal[StyleTag, HardTag, ExtraTag]
STYLE_TAGS: frozenset[str] = frozenset(get_args(StyleTag))
HARD_TAGS: tuple[str, ...] = get_args(HardTag)
TAGS: frozenset[str] = frozenset(STYLE_TAGS | set(HARD_TAGS) | set(get_args(ExtraTag)))

NUMBER = re.compile(r"[0-9０-９%％〇零一二两三四五六七八九十百千万亿半倍]")
"""A number in a result quote: Arabic or full-width digits, %, or a Chinese numeral."""


def has_number(text: str) -> bool:
    """Whether a text holds a number (Arabic, full-width, Chinese numeral, or %)."""
    return NUMBER.search(text) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioRef(_Strict):
    """The claimed typical scenario: its catalogue number and name (as in the 2024 指引)."""

    no: int = Field(ge=1, le=40)
    name: str = Field(min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _bare_no(cls, data: Any) -> Any:
        if isinstance(data, dict) and False in data:
            raise ValueError('YAML 把未加引号的键 no 读成了 false：请写作 "no": 14')
        return data


class ElementLabel(_Strict):
    """One element's label: present, and the verbatim quotes that show it."""

    present: bool
    quotes: list[str] = []

    @model_validator(mode="after")
    def _quotes_iff_present(self) -> ElementLabel:
        if self.present and not self.quotes:
            raise ValueError("present: true 时必须给出引文（quotes）")
        if not self.present and self.quotes:
            raise ValueError("present: false 时引文必须为空")
        if any(not q.strip() for q in self.quotes):
            raise ValueError("引文不能为空字符串")
        return self


class Labels(_Strict):
    """The three element labels of a passage."""

    system: ElementLabel
    how: ElementLabel
    result: ElementLabel

    def get(self, element: Element) -> ElementLabel:
        """The label of one element by name."""
        label: ElementLabel = getattr(self, element)
        return label


class LevelLabel(_Strict):
    """For js-gradient-style passages: the claimed level and whether the passage shows
    what that level's description in the catalogue requires."""

    claimed: Level
    shown: bool
    why: str = Field(min_length=4)


class EvidenceCase(_Strict):
    """One labelled passage about one claimed scenario."""

    id: str = Field(pattern=r"^[sfghk]\d{2}-\d{2}$")
    scenario: ScenarioRef
    text: str = Field(min_length=8)
    labels: Labels
    level: LevelLabel | None = None
    tags: list[Tag] = Field(min_length=1)
    auto: bool = False
    """Usable for scenario ranking: the scenario is identifiable from the content and
    its catalogue name does not occur verbatim in the passage."""
    why: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EvidenceCase:
        problems: list[str] = []
        for element in ELEMENTS:
            for q in self.labels.get(element).quotes:
                if q not in self.text:
                    problems.append(f"{element} 引文不在原文中：「{q}」")
        for q in self.labels.result.quotes:
            if not has_number(q):
                problems.append(f"result 引文不含数字：「{q}」")
        styles = [t for t in self.tags if t in STYLE_TAGS]
        if len(styles) != 1:
            problems.append(f"须有且只有一个文体标签（{'/'.join(sorted(STYLE_TAGS))}），现为 {styles}")
        if len(set(self.tags)) != len(self.tags):
            problems.append("标签重复")
        if self.auto and "mixed-scenarios" in self.tags:
            problems.append("auto 段落不能混有第二个场景")
        if self.auto and self.scenario.name in self.text:
            problems.append(f"auto 段落不能逐字出现场景名「{self.scenario.name}」")
        if problems:
            raise ValueError(f"{self.id}: " + "；".join(problems))
        return self

    def present(self) -> dict[Element, bool]:
        """Each element's presence label."""
        return {e: self.labels.get(e).present for e in ELEMENTS}

    def missing(self) -> list[Element]:
        """The elements the passage lacks, in the fixed order system, how, result."""
        return [e for e in ELEMENTS if not self.labels.get(e).present]

    def verdict(self) -> Verdict:
        """``supported`` when all three elements are present, ``missing`` when none is,
        ``partial`` otherwise."""
        n = sum(self.present().values())
        if n == len(ELEMENTS):
            return "supported"
        return "missing" if n == 0 else "partial"


class CaseFile(_Strict):
    """One case file: an optional group name (a 环节) and its passages."""

    group: str | None = None
    cases: list[EvidenceCase] = Field(min_length=1)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml"))
    return [path]


def load_cases(path: Path | None = None) -> list[EvidenceCase]:
    """Read and validate the labelled passages of a case file or a folder of them
    (default: ``eval/evidence/cases/``), in file order; ids must be unique.

    Raises ``ValueError`` (in Chinese, naming the file) on a missing path, bad YAML,
    a case that fails validation, or a duplicate id.
    """
    root = CASES_DIR if path is None else Path(path)
    if not root.exists():
        raise ValueError(f"评测集路径不存在：{root}")
    cases: list[EvidenceCase] = []
    for f in _files(root):
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
            cases.extend(CaseFile.model_validate(data).cases)
        except (yaml.YAMLError, ValidationError) as e:
            raise ValueError(f"{f.name}: {e}") from e
    ids = [c.id for c in cases]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"评测集 id 重复：{', '.join(dup)}")
    return cases


def counts(cases: list[EvidenceCase]) -> dict[str, Any]:
    """The set's size: cases, scenarios covered, verdicts, element presence, tags,
    the auto subset and the level-labelled cases."""

    tags = Counter(t for c in cases for t in c.tags)
    leveled = [c for c in cases if c.level is not None]
    return {
        "cases": len(cases),
        "scenarios": len({c.scenario.no for c in cases}),
        "verdicts": {v: sum(c.verdict() == v for c in cases) for v in VERDICTS},
        "present": {e: sum(c.labels.get(e).present for c in cases) for e in ELEMENTS},
        "tags": {t: tags[t] for t in sorted(tags, key=lambda t: (-tags[t], t))},
        "auto": sum(c.auto for c in cases),
        "level": len(leveled),
        "level_shown": sum(bool(c.level and c.level.shown) for c in leveled),
    }


def counts_markdown(cases: list[EvidenceCase]) -> str:
    """The counts as the Markdown block kept in ``eval/evidence/README.md``
    (``python -m eval.evidence.cases`` prints it)."""
    k = counts(cases)
    n = k["cases"]
    lines = [
        f"- 段落：{n}；覆盖场景：{k['scenarios']} / 40；auto 子集：{k['auto']}；"
        f"带等级标注：{k['level']}（shown: true {k['level_shown']}，false {k['level'] - k['level_shown']}）",
        "",
        "| 结论 | 数量 | 占比 |",
        "|---|---:|---:|",
        *(f"| {v} | {x} | {x / n:.1%} |" for v, x in k["verdicts"].items()),
        "",
        "| 要素 | present | absent |",
        "|---|---:|---:|",
        *(f"| {e} | {x} | {n - x} |" for e, x in k["present"].items()),
        "",
        "| 标签 | 数量 |",
        "|---|---:|",
        *(f"| {t} | {x} |" for t, x in k["tags"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(counts_markdown(load_cases(Path(sys.argv[1]) if len(sys.argv) > 1 else None)))
