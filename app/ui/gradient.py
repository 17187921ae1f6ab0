"""The js-gradient-2025 calculator behind the 智能工厂梯度自评 page.

The numbers come from :mod:`checkers.gradient` (score, recommended level,
scenario counts); whether a level can be claimed is decided by the
programme's own rules (``self-eval-score``, ``score-recommends-level``,
``scene-count``, ``link-coverage`` and, when the maturity level is given,
``maturity-level``), run through the rule engine once per level on a draft
that holds only the self-evaluation. So the page and ``shenbao check`` agree
by construction, and every "what is missing" line is the rule's own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.checking import doc_titles
from checkers.engine import check_rule
from checkers.gradient import ScoreResult, recommended_level, scenario_counts_by_level, self_eval_score
from checkers.registry import Context
from core.draft import Draft, Enterprise, IndicatorEval, SelfEvaluation
from core.findings import Finding
from core.spec import LEVELS, ProgrammeSpec, ScoreRecommendsLevel
from corpus.loader import Corpus

PROGRAMME = "js-gradient-2025"
INDICATORS = "js-dt-eval-2025-indicators"
SCENARIOS = "ts2024-scenarios"
LEVEL_RULES = ("self-eval-score", "score-recommends-level", "scene-count", "link-coverage")
MATURITY_RULE = "maturity-level"


@dataclass(frozen=True)
class LevelCheck:
    """The level-deciding rules' findings for one target level."""

    level: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """Whether every rule passes for this level."""
        return all(f.status == "pass" for f in self.findings)

    @property
    def gaps(self) -> list[Finding]:
        """The findings that stop this level (not passed)."""
        return [f for f in self.findings if f.status != "pass"]


@dataclass(frozen=True)
class GradientResult:
    """Score, recommended level, scenario counts and the verdict per level."""

    score: ScoreResult
    recommended: str | None
    counts: dict[str, int]
    levels: tuple[LevelCheck, ...]
    maturity_checked: bool

    @property
    def claimable(self) -> str | None:
        """The highest level all of whose rules pass (None: not even 基础级)."""
        best = None
        for lc in self.levels:
            if lc.ok:
                best = lc.level
        return best

    @property
    def next_level(self) -> LevelCheck | None:
        """The level above the claimable one (None when 领航级 is claimable)."""
        claimable = self.claimable
        start = LEVELS.index(claimable) + 1 if claimable is not None else 0
        return self.levels[start] if start < len(self.levels) else None


def evaluate(
    spec: ProgrammeSpec,
    corpus: Corpus,
    indicators: Mapping[str, IndicatorEval],
    scenario_levels: Mapping[str, str],
    maturity_level: float | None = None,
) -> GradientResult:
    """Evaluate a self-evaluation against every level of ``spec`` (js-gradient-2025)."""
    answers = dict(indicators)
    achieved = {sid: lvl for sid, lvl in scenario_levels.items() if lvl in LEVELS}
    score = self_eval_score(corpus.lists[INDICATORS], answers)
    bands = next(
        (r.check.bands for r in spec.rules if isinstance(r.check, ScoreRecommendsLevel)),
        {},
    )
    recommended = recommended_level(score.score, bands) if not score.missing else None
    counts = scenario_counts_by_level(corpus.lists[SCENARIOS], achieved)
    rule_ids = (*LEVEL_RULES, MATURITY_RULE) if maturity_level is not None else LEVEL_RULES
    rules = [r for r in spec.rules if r.id in rule_ids]
    titles = doc_titles(corpus)
    levels = []
    for level in LEVELS:
        draft = Draft(
            programme=spec.id,
            target_level=level,
            enterprise=Enterprise(maturity_level=maturity_level),
            self_eval=SelfEvaluation(indicators=answers, scenario_levels=achieved),
        )
        ctx = Context(draft=draft, spec=spec, lists=corpus.lists)
        levels.append(LevelCheck(level, tuple(check_rule(r, ctx, titles) for r in rules)))
    return GradientResult(score, recommended, counts, tuple(levels), maturity_level is not None)
