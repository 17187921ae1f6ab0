"""The js-gradient-2025 calculator: the 数字化转型 self-evaluation score, the
level it recommends, and scenario counts per level — the one place they are
computed (checkers, the CLI and the UI all call these).

Scoring, from 江苏省企业数字化转型通用评估指标体系（2025年版）: each indicator is
self-scored inside the score band of the chosen level and, within it, the
符合程度 sub-band (基本/比较/非常符合); the overall score is the sum of the
applicable indicators' scores divided by their total possible score (×100),
so an indicator marked 不涉及此环节 (allowed only where the catalogue says)
spreads its weight evenly over the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from core.catalogue import Band, CatalogueList, IndicatorAttrs, ScenarioAttrs
from core.spec import LEVELS

FULL_MARKS = 100.0


@dataclass
class ScoreResult:
    """The overall score (0–100), per-indicator scores, what is missing and what is wrong."""

    score: float
    per_indicator: dict[str, float | None] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def level_rank(level: str | None) -> int:
    """0 for unknown, 1..4 for 基础级..领航级."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def _in_band(score: float, low: float, high: float, *, level: int) -> bool:
    """Bands are printed left-closed, right-open ([7-14), [94-100)); level 2's
    first band is printed "(0-7)": 0 itself belongs to level 1."""
    if low == high:
        return score == low
    if low == 0 and level > 1 and score <= 0:
        return False
    return low <= score < high


def check_indicator(
    item_id: str, attrs: IndicatorAttrs, level: int | None, fit: str | None, score: float | None
) -> str | None:
    """A problem with one indicator's level / 符合程度 / score, or None."""
    if level is None or score is None:
        return None
    band: Band | None = attrs.bands.get(level)
    if band is None:
        return f"指标{item_id}没有等级 {level}"
    if fit:
        sub = band.fit.get(fit)
        if sub is None and band.fit:
            return f"指标{item_id}的符合程度「{fit}」无效（可选：{'、'.join(band.fit)}）"
        if sub is not None and not _in_band(score, sub[0], sub[1], level=level):
            return (
                f"指标{item_id}等级 {level}「{fit}」的分数应在 {sub[0]:g}–{sub[1]:g} 分段内，填写为 {score:g}"
            )
    if not _in_band(score, band.low, band.high, level=level):
        return f"指标{item_id}等级 {level} 的分数应在 {band.low:g}–{band.high:g} 之间，填写为 {score:g}"
    return None


class IndicatorInput(Protocol):
    """Structural type of a draft's indicator entry (level, fit, score, not_applicable)."""

    @property
    def level(self) -> int | None: ...
    @property
    def fit(self) -> str | None: ...
    @property
    def score(self) -> float | None: ...
    @property
    def not_applicable(self) -> bool: ...


def self_eval_score(
    indicators: CatalogueList, answers: Mapping[str, IndicatorInput], unscored_as: float | None = None
) -> ScoreResult:
    """Overall score from the draft's answers; missing answers are listed, never
    guessed. An indicator without levels (数字化投入规模) is not counted, or —
    with ``unscored_as``, another reading of a text that does not say — counted
    as that score out of 100 with one indicator's weight."""
    total = possible = 0.0
    per_indicator: dict[str, float | None] = {}
    missing: list[str] = []
    problems: list[str] = []
    for item in indicators.items:
        attrs = IndicatorAttrs.model_validate(item.attrs)
        if not attrs.bands:  # an indicator without levels (数字化投入规模) is not scored
            if unscored_as is not None:
                total += unscored_as
                possible += FULL_MARKS
            continue
        ans = answers.get(item.id)
        if ans is not None and ans.not_applicable:
            if not attrs.not_applicable_allowed:
                problems.append(f"指标{item.id}（{item.name}）不允许选择“不涉及此环节”")
            per_indicator[item.id] = None
            continue
        if ans is None or ans.score is None or ans.level is None:
            missing.append(item.id)
            continue
        if (problem := check_indicator(item.id, attrs, ans.level, ans.fit, ans.score)) is not None:
            problems.append(problem)
        weight = attrs.weight if attrs.weight is not None else 1.0
        total += ans.score * weight
        possible += FULL_MARKS * weight
        per_indicator[item.id] = ans.score
    score = round(total / possible * FULL_MARKS, 2) if possible else 0.0
    return ScoreResult(score, per_indicator, missing, problems)


def recommended_level(score: float, bands: Mapping[str, float]) -> str | None:
    """The highest level whose threshold the score is *above* (得分高于60分 → 基础级)."""
    best = None
    for level in LEVELS:
        if level in bands and score > bands[level]:
            best = level
    return best


def effective_level(scenarios: CatalogueList, scenario_id: str, claimed: str) -> str | None:
    """The level a scenario counts at: the claimed one, or — where the
    自评价参考 prints "/" for it (no such level for this scenario) — the highest
    level below that exists; None for an unknown scenario or level."""
    item = scenarios.item(scenario_id)
    if item is None or level_rank(claimed) == 0:
        return None
    attrs = ScenarioAttrs.model_validate(item.attrs)
    present = [lv for lv in LEVELS[: level_rank(claimed)] if attrs.levels.get(lv) is not None]  # type: ignore[call-overload]
    return present[-1] if present else None


def scenario_counts_by_level(scenarios: CatalogueList, achieved: Mapping[str, str]) -> dict[str, int]:
    """For each level, how many catalogue scenarios reached at least that level
    (each counted at its :func:`effective_level`)."""
    counts = dict.fromkeys(LEVELS, 0)
    for sid, claimed in achieved.items():
        lvl = effective_level(scenarios, sid, claimed)
        for lv in LEVELS[: level_rank(lvl)]:
            counts[lv] += 1
    return counts


def attainable_level(counts: Mapping[str, int], min_by_level: Mapping[str, int]) -> str | None:
    """The highest level whose scenario count is met (other conditions aside)."""
    best = None
    for level in LEVELS:
        if level in min_by_level and counts.get(level, 0) >= min_by_level[level]:
            best = level
    return best
