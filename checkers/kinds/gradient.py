"""Rule kinds of the js-gradient-2025 self-evaluation (implemented in checkers.gradient)."""

from __future__ import annotations

from checkers.gradient import (
    attainable_level,
    effective_level,
    level_rank,
    recommended_level,
    scenario_counts_by_level,
)
from checkers.gradient import (
    self_eval_score as compute_score,
)
from checkers.registry import Context, evidence, measure, rule_kind
from core import spec as s
from core.findings import Evidence, Outcome, missing_evidence


def _missing_indicators(ids: list[str], *extra: Evidence) -> Evidence:
    """The self-evaluation indicators without a level or score, as missing fields."""
    missing = missing_evidence(*((f"self_eval.indicators.{i}", f"自评价指标 {i}") for i in ids))
    return Evidence(values=tuple(m for e in extra for m in e.values), missing=missing.missing)


def _need_level(ctx: Context) -> Outcome | None:
    if ctx.draft.target_level is None:
        return Outcome(
            "unknown",
            "未选择申报等级（基础级/先进级/卓越级/领航级），无法判断。",
            ctx.missing("target_level"),
        )
    return None


@rule_kind("self_eval_score")
def self_eval_score(p: s.SelfEvalScore, ctx: Context) -> Outcome:
    """The computed self-evaluation score exceeds the minimum."""
    result = compute_score(ctx.lists[p.list], ctx.draft.self_eval.indicators, p.unscored_as)
    if result.missing:
        return Outcome(
            "unknown",
            f"自评价表缺少指标 {'、'.join(result.missing)} 的等级或分数，无法计算总分。",
            _missing_indicators(
                result.missing, evidence(measure("problems", "自评价表问题", result.problems))
            ),
        )
    ev = evidence(
        measure("score", "自评价得分", result.score, "分"),
        measure("per_indicator", "各指标得分", result.per_indicator),
        measure("problems", "自评价表问题", result.problems),
    )
    if result.problems:
        return Outcome("fail", "自评价表有误：" + "；".join(result.problems) + "。", ev)
    ok = result.score > p.min if p.exclusive else result.score >= p.min
    cmp = "高于" if p.exclusive else "不低于"
    if ok:
        return Outcome("pass", f"数字化转型自评价得分 {result.score:.2f} 分，{cmp} {p.min:g} 分。", ev)
    return Outcome("fail", f"数字化转型自评价得分 {result.score:.2f} 分，须{cmp} {p.min:g} 分。", ev)


@rule_kind("score_recommends_level")
def score_recommends_level(p: s.ScoreRecommendsLevel, ctx: Context) -> Outcome:
    """The target level is not above the level the score recommends."""
    if (o := _need_level(ctx)) is not None:
        return o
    result = compute_score(ctx.lists[p.list], ctx.draft.self_eval.indicators)
    if result.missing:
        return Outcome(
            "unknown",
            f"自评价表缺少指标 {'、'.join(result.missing)}，无法确定建议等级。",
            _missing_indicators(result.missing),
        )
    rec = recommended_level(result.score, p.bands)
    target = ctx.draft.target_level or ""
    ev = evidence(
        measure("score", "自评价得分", result.score, "分"),
        measure("recommended", "建议等级", rec),
        ctx.measure("target_level", target),
    )
    if rec is None:
        return Outcome("fail", f"自评价得分 {result.score:.2f} 分，未达到任何等级的建议分数线。", ev)
    if level_rank(target) <= level_rank(rec):
        return Outcome(
            "pass",
            f"自评价得分 {result.score:.2f} 分，建议开展{rec}场景自评价；申报{target}不高于建议等级。",
            ev,
        )
    return Outcome(
        "fail", f"自评价得分 {result.score:.2f} 分，建议开展{rec}场景自评价，申报{target}高于建议等级。", ev
    )


@rule_kind("scene_level_count")
def scene_level_count(p: s.SceneLevelCount, ctx: Context) -> Outcome:
    """Enough scenarios reach the target level."""
    if (o := _need_level(ctx)) is not None:
        return o
    target = ctx.draft.target_level or ""
    if target not in p.min_by_level:
        return Outcome("n/a", f"申报等级「{target}」无此项要求。")
    levels = ctx.draft.self_eval.scenario_levels
    if not levels:
        return Outcome(
            "unknown",
            "申报书中未找到各典型场景的自评等级，无法统计场景数。",
            ctx.missing("self_eval.scenario_levels"),
        )
    counts = scenario_counts_by_level(ctx.lists[p.list], levels)
    n, need = counts[target], p.min_by_level[target]
    best = attainable_level(counts, p.min_by_level)
    ev = evidence(
        measure("count_at_target", f"达到{target}及以上的场景", n, "个"),
        measure("min", "要求不少于", need, "个"),
        measure("counts", "各等级场景数", counts),
        measure("attainable_by_count", "按场景数可达等级", best),
    )
    if n >= need:
        return Outcome("pass", f"达到{target}及以上的场景 {n} 个，满足不少于 {need} 个。", ev)
    return Outcome(
        "fail",
        f"达到{target}及以上的场景仅 {n} 个，要求不少于 {need} 个（按场景数可申报：{best or '无'}）。",
        ev,
    )


@rule_kind("link_coverage")
def link_coverage(p: s.LinkCoverage, ctx: Context) -> Outcome:
    """The counted scenarios cover the construction 环节 the level requires."""
    if (o := _need_level(ctx)) is not None:
        return o
    target = ctx.draft.target_level or ""
    if target not in p.required_by_level:
        return Outcome("n/a", f"申报等级「{target}」无此项要求。")
    levels = ctx.draft.self_eval.scenario_levels
    if not levels:
        return Outcome(
            "unknown",
            "申报书中未找到各典型场景的自评等级，无法判断环节覆盖。",
            ctx.missing("self_eval.scenario_levels"),
        )
    scen, mapping = ctx.lists[p.list], ctx.lists[p.mapping]
    covered: set[str] = set()
    for sid, claimed in levels.items():
        item = scen.item(sid)
        lvl = effective_level(scen, sid, claimed)
        if item is None or level_rank(lvl) < level_rank(target):
            continue
        m = mapping.item(item.id) or mapping.item(item.group or "")  # per scenario, else per 环节
        if m is not None:
            covered.add(m.name)
    need = p.required_by_level[target]
    lacking = [x for x in need if x not in covered]
    ev = evidence(measure("covered", "已覆盖的环节", sorted(covered)), measure("required", "要求覆盖", need))
    if lacking:
        return Outcome(
            "fail", f"达到{target}的场景未覆盖：{'、'.join(lacking)}（须覆盖 {'、'.join(need)}）。", ev
        )
    return Outcome("pass", f"达到{target}的场景覆盖 {'、'.join(need)}。", ev)
