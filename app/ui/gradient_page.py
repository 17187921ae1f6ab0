"""智能工厂梯度自评: the gradient self-evaluation (js-gradient-2025) as a form —
the indicators of the 数字化转型 evaluation and the achieved level of each
typical scenario — giving the score, the recommended level, the level the
enterprise can claim and what the next level still needs. The programme and
its lists come from :class:`app.gradient.GradientService`."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from app.gradient import NO_GRADIENT_PROGRAMME, GradientResult
from app.ui.common import STATUS_ICONS, md, programme_label
from app.ui.services import get_services
from core.catalogue import Band, IndicatorAttrs, Item, ScenarioAttrs
from core.draft import IndicatorEval
from core.spec import LEVELS

NOT_REACHED = "未达到"
MATURITY = {"未填写": None, "一级": 1.0, "二级": 2.0, "三级": 3.0, "四级": 4.0, "五级": 5.0}
PERSIST: Literal["session"] = "session"


def render() -> None:
    """The page."""
    gradient = get_services().gradient
    st.title("智能工厂梯度自评")
    programmes = gradient.programmes()
    if not programmes:
        st.error(NO_GRADIENT_PROGRAMME, icon=":material/error:")
        return
    if len(programmes) > 1:
        by_id = {g.spec.id: g for g in programmes}
        chosen = st.selectbox(
            "申报项目",
            list(by_id),
            format_func=lambda p: programme_label(by_id[p].spec),
            key="grad:programme",
        )
        rules = by_id[chosen]
    else:
        rules = programmes[0]
    spec = rules.spec
    indicators = gradient.indicator_list(rules).items
    scenarios = gradient.scenario_list(rules).items
    st.caption(
        f"依据《{md(spec.title)}》：先按《江苏省企业数字化转型通用评估指标体系（2025年版）》逐项自评打分，"
        f"再对照 {len(scenarios)} 个典型场景自评达到的等级。结果随填写即时更新，填写内容在本次会话中保留。"
    )
    results = st.container()
    st.header(f"一、数字化转型通用评估（{len(indicators)} 项指标）", divider="gray")
    answers = {}
    for item in indicators:
        answer = _indicator(item)
        if answer is not None:
            answers[item.id] = answer
    st.header(f"二、典型场景自评（{len(scenarios)} 个场景）", divider="gray")
    achieved = _scenarios(gradient.scenario_list(rules).group_items())
    st.header("三、智能制造能力成熟度（可选）", divider="gray")
    maturity_name = st.selectbox(
        "GB/T 39116 智能制造能力成熟度自评价等级",
        list(MATURITY),
        key="grad:maturity",
        persist_state=PERSIST,
        help="填写后一并核对各等级对成熟度的要求（基础级、先进级二级及以上，卓越级三级及以上，领航级四级及以上）。",
    )
    result = gradient.evaluate(rules, answers, achieved, MATURITY[maturity_name])
    with results:
        _results(result)


def _indicator(item: Item) -> IndicatorEval | None:
    """One indicator's inputs; ``None`` until a level is chosen."""
    attrs = IndicatorAttrs.model_validate(item.attrs)
    with st.container(border=True):
        st.markdown(f"**{item.id}. {md(item.name)}**　:gray[{md(item.group or '')}]")
        if not attrs.bands:
            st.caption(f"本指标（{md(item.name)}）没有等级和分数段，只填写金额，不计入综合得分。")
            return None
        key = f"grad:ind:{item.id}"
        na = False
        if attrs.not_applicable_allowed:
            na = st.checkbox(
                "不涉及此环节",
                key=f"{key}:na",
                persist_state=PERSIST,
                help="原文只允许第1、5、6题选择；选中后该题不计分，权重平均分给其他题。",
            )
        if na:
            return IndicatorEval(not_applicable=True)
        c_level, c_fit, c_score = st.columns([2, 2, 1])
        levels = sorted(attrs.levels)
        level = c_level.selectbox(
            "达到的等级",
            levels,
            index=None,
            format_func=lambda n: f"第 {n} 级",
            key=f"{key}:level",
            persist_state=PERSIST,
            placeholder="选择等级",
            help="\n\n".join(f"**第 {n} 级**：{md(attrs.levels[n])}" for n in levels),
        )
        if level is None:
            st.caption("请选择等级（各级描述见“?”提示）。")
            return None
        st.caption(md(attrs.levels[level]))
        band: Band = attrs.bands[level]
        if band.low == band.high:  # level 1: a fixed score
            c_score.metric("自评分", f"{band.low:g}")
            return IndicatorEval(level=level, score=band.low)
        fit = (
            c_fit.selectbox("符合程度", list(band.fit), key=f"{key}:fit:{level}", persist_state=PERSIST)
            if band.fit
            else None
        )
        low, high = band.fit[fit] if fit else (band.low, band.high)
        score = c_score.number_input(
            "自评分",
            min_value=float(low),
            max_value=float(high),
            value=round((low + high) / 2 * 2) / 2,
            step=0.5,
            key=f"{key}:score:{level}:{fit}",
            persist_state=PERSIST,
            help=f"第 {level} 级{('「' + fit + '」') if fit else ''}的分数段为 {low:g}–{high:g}（左闭右开，最高等级含上限）。",
        )
        return IndicatorEval(level=level, fit=fit, score=float(score))


def _scenarios(groups: dict[str, list[Item]]) -> dict[str, str]:
    """The achieved level per scenario, grouped by 环节 (only levels the catalogue describes)."""
    achieved: dict[str, str] = {}
    for link, items in groups.items():
        reached = sum(
            1 for i in items if st.session_state.get(f"grad:scn:{i.id}", NOT_REACHED) != NOT_REACHED
        )
        with st.expander(f"{link}（{len(items)} 个场景，已选 {reached} 个）"):
            for item in items:
                attrs = ScenarioAttrs.model_validate(item.attrs)
                offered = [lv for lv in LEVELS if attrs.levels.get(lv) is not None]  # type: ignore[call-overload]
                help_text = "\n\n".join(
                    f"**{lv}**：{md(attrs.levels.get(lv) or '')}"  # type: ignore[call-overload]
                    for lv in offered
                )
                level = st.selectbox(
                    f"{item.id}. {item.name}",
                    [NOT_REACHED, *offered],
                    key=f"grad:scn:{item.id}",
                    persist_state=PERSIST,
                    help=help_text or None,
                )
                if level != NOT_REACHED:
                    achieved[item.id] = level
    return achieved


def _results(result: GradientResult) -> None:
    claimable = result.claimable
    cols = st.columns(3)
    score_text = f"{result.score.score:.2f}" if not result.score.missing else "—"
    cols[0].metric(
        "综合得分", score_text, border=True, help="计入各题自评分之和 ÷ 计入各题满分之和 × 100（第7题不计分）"
    )
    cols[1].metric("得分建议的等级", result.recommended or "—", border=True)
    cols[2].metric("可申报等级", claimable or "暂不满足基础级", border=True)
    if result.score.missing:
        st.caption(f"尚未填写的指标：{'、'.join(result.score.missing)}（填写完整后才计算综合得分）。")
    counts = "，".join(f"{lv} {result.counts.get(lv, 0)} 个" for lv in LEVELS)
    st.caption(f"达到各等级及以上的场景数：{counts}。")
    rows = []
    for lc in result.levels:
        row = {"等级": lc.level}
        for f in lc.findings:
            row[f.title.split("（")[0]] = _mark(f.status)
        row["结论"] = "可申报" if lc.ok else "不满足"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    nxt = result.next_level
    if nxt is not None:
        with st.expander(f"申报{nxt.level}还需要", expanded=True, icon=":material/flag:"):
            for f in nxt.gaps:
                st.markdown(f"{STATUS_ICONS[f.status]} {md(f.message.split('（说明：')[0])}")
    else:
        st.success("各项条件均满足领航级。", icon=":material/emoji_events:")
    if not result.maturity_checked:
        st.caption("未填写智能制造能力成熟度，可申报等级未考虑成熟度要求。")


def _mark(status: str) -> str:
    return {"pass": "满足", "fail": "不满足", "warn": "不满足", "unknown": "待填写", "n/a": "—"}[status]
