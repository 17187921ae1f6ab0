"""The gradient self-evaluation calculator behind the 智能工厂梯度自评 page.

Which programme it serves and what it reads come from the programme spec, not
from constants: a programme with a ``self_eval_score`` and a
``scene_level_count`` rule is a gradient programme; the indicator list is the
``list`` of its ``self_eval_score`` rule, the score bands those of its
``score_recommends_level`` rule and the scenario list the ``list`` of its
``scene_level_count`` rule.

The numbers come from :mod:`checkers.gradient` (score, recommended level,
scenario counts); whether a level can be claimed is decided by the
programme's own rules (the ``self_eval_score``, ``score_recommends_level``,
``scene_level_count`` and ``link_coverage`` rules and, when the maturity level
is given, the ``min_value_by_level`` rules on ``enterprise.maturity_level``),
run through the rule engine once per level on a draft that holds only the
self-evaluation. So the page and ``shenbao check`` agree by construction, and
every "what is missing" line is the rule's own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.checking import doc_titles
from checkers.engine import check_rule
from checkers.gradient import ScoreResult, recommended_level, scenario_counts_by_level, self_eval_score
from checkers.registry import Context
from core.catalogue import CatalogueList
from core.draft import Draft, Enterprise, IndicatorEval, SelfEvaluation
from core.findings import Finding
from core.spec import (
    LEVELS,
    LinkCoverage,
    MinValueByLevel,
    ProgrammeSpec,
    Rule,
    SceneLevelCount,
    ScoreRecommendsLevel,
    SelfEvalScore,
)
from corpus.loader import Corpus

MATURITY_FIELD = "enterprise.maturity_level"
"""The Draft field the calculator fills with the maturity level entered."""
NO_GRADIENT_PROGRAMME = "语料中没有含梯度自评规则的申报项目。"


class GradientError(LookupError):
    """No programme (or not the one asked for) has a gradient self-evaluation
    (``str`` is the Chinese message)."""


@dataclass(frozen=True)
class GradientRules:
    """What the calculator reads from one programme spec."""

    spec: ProgrammeSpec
    indicators: str
    """The indicator list (the ``list`` of the ``self_eval_score`` rule)."""
    scenarios: str
    """The scenario list (the ``list`` of the ``scene_level_count`` rule)."""
    bands: Mapping[str, float]
    """Score thresholds per level (the ``score_recommends_level`` rule; empty without one)."""
    level_rules: tuple[Rule, ...]
    """The rules that decide a level from the self-evaluation, in spec order."""
    maturity_rules: tuple[Rule, ...]
    """The rules on the maturity level, checked only when it is given."""

    @classmethod
    def of(cls, spec: ProgrammeSpec) -> GradientRules | None:
        """The gradient rules of ``spec``; ``None`` when it has no
        ``self_eval_score`` or no ``scene_level_count`` rule."""
        score = next((r.check for r in spec.rules if isinstance(r.check, SelfEvalScore)), None)
        count = next((r.check for r in spec.rules if isinstance(r.check, SceneLevelCount)), None)
        if score is None or count is None:
            return None
        bands = next((r.check.bands for r in spec.rules if isinstance(r.check, ScoreRecommendsLevel)), {})
        level_kinds = (SelfEvalScore, ScoreRecommendsLevel, SceneLevelCount, LinkCoverage)
        return cls(
            spec=spec,
            indicators=score.list,
            scenarios=count.list,
            bands=bands,
            level_rules=tuple(r for r in spec.rules if isinstance(r.check, level_kinds)),
            maturity_rules=tuple(
                r
                for r in spec.rules
                if isinstance(r.check, MinValueByLevel) and r.check.field == MATURITY_FIELD
            ),
        )

    def rules(self, with_maturity: bool) -> list[Rule]:
        """The rules to run, in spec order (the maturity rules only ``with_maturity``)."""
        chosen = {r.id for r in self.level_rules}
        if with_maturity:
            chosen |= {r.id for r in self.maturity_rules}
        return [r for r in self.spec.rules if r.id in chosen]


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


class GradientService:
    """The gradient self-evaluation of the programmes of ``corpus``."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def programmes(self) -> list[GradientRules]:
        """Every programme with a gradient self-evaluation, in corpus order."""
        found = (GradientRules.of(spec) for spec in self.corpus.programmes.values())
        return [g for g in found if g is not None]

    def rules(self, programme: str | None = None) -> GradientRules:
        """The gradient rules of ``programme`` (default: the first gradient
        programme). Raises :class:`GradientError` when there is none."""
        if programme is None:
            found = self.programmes()
            if not found:
                raise GradientError(NO_GRADIENT_PROGRAMME)
            return found[0]
        spec = self.corpus.programmes.get(programme)
        rules = GradientRules.of(spec) if spec is not None else None
        if rules is None:
            raise GradientError(f"申报项目「{programme}」没有梯度自评规则。")
        return rules

    def indicator_list(self, rules: GradientRules) -> CatalogueList:
        """The catalogue list of the indicators to self-evaluate."""
        return self.corpus.lists[rules.indicators]

    def scenario_list(self, rules: GradientRules) -> CatalogueList:
        """The catalogue list of the typical scenarios to self-evaluate."""
        return self.corpus.lists[rules.scenarios]

    def evaluate(
        self,
        rules: GradientRules,
        indicators: Mapping[str, IndicatorEval],
        scenario_levels: Mapping[str, str],
        maturity_level: float | None = None,
    ) -> GradientResult:
        """Evaluate a self-evaluation against every level of the programme."""
        spec = rules.spec
        answers = dict(indicators)
        achieved = {sid: lvl for sid, lvl in scenario_levels.items() if lvl in LEVELS}
        score = self_eval_score(self.indicator_list(rules), answers)
        recommended = recommended_level(score.score, rules.bands) if not score.missing else None
        counts = scenario_counts_by_level(self.scenario_list(rules), achieved)
        to_run = rules.rules(with_maturity=maturity_level is not None)
        titles = doc_titles(self.corpus)
        levels = []
        for level in LEVELS:
            draft = Draft(
                programme=spec.id,
                target_level=level,
                enterprise=Enterprise(maturity_level=maturity_level),
                self_eval=SelfEvaluation(indicators=answers, scenario_levels=achieved),
            )
            ctx = Context(draft=draft, spec=spec, lists=self.corpus.lists)
            levels.append(LevelCheck(level, tuple(check_rule(r, ctx, titles) for r in to_run)))
        return GradientResult(score, recommended, counts, tuple(levels), maturity_level is not None)
