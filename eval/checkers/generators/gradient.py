"""Generators of the js-gradient-2025 kinds (mirrors ``checkers/kinds/gradient.py``).

The self-evaluation calculator and the scenario counts need edits chosen per
base draft (which indicators, which scenarios), so their cases are written by
hand in ``eval/checkers/cases/js-gradient-2025.yaml``; the generators register
the kinds and propose nothing."""

from __future__ import annotations

from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut
from eval.checkers.generators.registry import generator


@generator("self_eval_score")
@generator("score_recommends_level")
@generator("scene_level_count")
@generator("link_coverage")
def g_hand_written(g: Gen, r: Rule) -> list[Mut]:
    """No generic case: see ``eval/checkers/cases/js-gradient-2025.yaml``."""
    return []
