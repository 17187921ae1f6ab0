"""The ``level`` element of the rules-only reviewer (issue #11): a passage shows
its claimed level when it covers the requirements of the level's description in
the self-evaluation table. Passages are written here; the expected labels follow
eval/evidence/README.md (the ``level`` section) and the catalogue's descriptions."""

from __future__ import annotations

import pytest

from app.review.passage import passage_claim
from app.review.rules import load_lexicon, review_rules
from app.review.scenarios import SCENARIO_LIST, find_scenario
from core.review import verbatim
from corpus.loader import default_corpus


def level_of(no: int, level: str, text: str) -> tuple[bool, tuple[str, ...]]:
    corpus = default_corpus()
    lst = corpus.lists[SCENARIO_LIST]
    claim = passage_claim(corpus, lst, find_scenario(lst, str(no)), text, level=level)
    element = review_rules(claim).elements["level"]
    return element.present, element.quotes


CASES = [
    # 17 先进级: 设备运维管理平台, 关键运行参数实时采集, 故障分析, 远程诊断 — all there
    (
        17,
        "先进级",
        "自评等级：先进级。公司建设设备运维管理平台，振动和温度传感器实时采集主轴的关键运行参数，"
        "平台按阈值和趋势自动进行故障分析，设备厂家工程师可通过平台远程诊断。",
        True,
    ),
    # 17 先进级: only the 基础级 content (点巡检、维护保养 in a 设备管理系统)
    (17, "先进级", "自评等级：先进级。公司采用设备管理系统对点巡检和维护保养工单进行管理。", False),
    # 24 卓越级: 全过程污染数据采集, 实时监控及报警, 可视化分析
    (
        24,
        "卓越级",
        "自评等级：卓越级。公司在生产工序、治理设施和排放口安装在线监测仪表，全过程污染数据自动采集进入环保平台，"
        "平台实时监控，超标即报警，并以可视化大屏分析排放趋势。",
        True,
    ),
    # 24 卓越级: the 先进级 description only (系统记录, 自动采集)
    (24, "卓越级", "自评等级：卓越级。公司通过环保管理系统记录废水、废气数据，排放口数据自动采集入库。", False),
    # 21 先进级: the knowledge base the level integrates is said not to exist yet
    (
        21,
        "先进级",
        "自评等级：先进级。公司建立生产安全管控系统，安全数据统一管理，系统自动识别潜在安全风险并发出预警；"
        "安全培训和风险管理知识库尚未建立。",
        False,
    ),
    # 23 先进级: planned, not deployed
    (
        23,
        "先进级",
        "自评等级：先进级。公司计划于2026年建设数字化碳管理系统，拟通过物联网实时收集各工序碳排放数据并形成碳排放报告。",
        False,
    ),
    # 23 先进级: deployed
    (
        23,
        "先进级",
        "自评等级：先进级。公司通过电表、燃气表和物联网网关实时采集各工序碳排放数据，"
        "数字化碳管理系统对数据进行整理、存储和分析，每月形成碳排放初步报告。",
        True,
    ),
    # 12 卓越级: the examples of a list closed by 等 (模型预测控制、多目标寻优等技术) — one of them is enough
    (
        12,
        "卓越级",
        "自评等级：卓越级。公司在精馏装置上线先进过程控制系统，采用多目标寻优算法，"
        "每分钟根据在线分析仪数据实时计算并下发塔顶温度与回流比设定值，实现工艺流程的精准控制优化。",
        True,
    ),
]


@pytest.mark.parametrize(("no", "level", "text", "shown"), CASES)
def test_level_shown_follows_the_requirements(no: int, level: str, text: str, shown: bool) -> None:
    present, quotes = level_of(no, level, text)
    assert present is shown
    assert bool(quotes) is shown
    assert all(verbatim(q, text) for q in quotes)


def test_each_covered_requirement_is_quoted() -> None:
    # 17 先进级 has two requirements; the passage shows them in two sentences, both quoted
    text = (
        "自评等级：先进级。公司建设设备运维管理平台，统一管理全厂设备台账。"
        "平台通过传感器实时采集关键运行参数，按故障模型自动进行故障分析，并支持远程诊断。"
    )
    present, quotes = level_of(17, "先进级", text)
    assert present
    assert "公司建设设备运维管理平台，统一管理全厂设备台账。" in quotes
    assert "平台通过传感器实时采集关键运行参数，按故障模型自动进行故障分析，并支持远程诊断。" in quotes


def test_a_pain_point_is_no_evidence_of_the_level() -> None:
    # the 先进级 terms appear only in the 痛点 (state before the project)
    text = (
        "解决的痛点问题描述：过去没有设备运维管理平台，关键运行参数无法实时采集，故障分析和远程诊断都靠人工。"
    )
    assert level_of(17, "先进级", text) == (False, ())


def test_the_level_lexicon_names_capabilities() -> None:
    caps = load_lexicon().level.capabilities
    assert {"采集", "集成", "模型", "自动", "闭环", "预测", "协同", "知识库"} <= set(caps)
