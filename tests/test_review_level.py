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
    (
        24,
        "卓越级",
        "自评等级：卓越级。公司通过环保管理系统记录废水、废气数据，排放口数据自动采集入库。",
        False,
    ),
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


CASES += [
    # 25 先进级: 销售计划 is a noun here, not a plan
    (
        25,
        "先进级",
        "自评等级：先进级。销售计划在CRM系统中编制，订单和历史销售数据统一管理，经销商与客户的基本信息及拜访记录在系统中维护。",
        True,
    ),
    # 28 卓越级: 协同 is in the scenario's name and still a requirement of the level (联动 shows it)
    (
        28,
        "卓越级",
        "自评等级：卓越级。公司建立供应链管理系统，与主要供应商按周共享需求计划，采购计划、生产计划和库存计划在系统中联动衔接。",
        True,
    ),
    # 36 卓越级: data integration is there, the 协同生产机制 with suppliers is said not to exist
    (
        36,
        "卓越级",
        "自评等级：卓越级。公司建立数字化管理系统，通过工业互联网平台实现设备、传感器与MES数据集成共享；"
        "但与供应商的协同生产机制尚未建立。",
        False,
    ),
    # 33 先进级: 数据治理组织或团队 — a 小组 is a 团队 or 组织 either way
    (
        33,
        "先进级",
        "自评等级：先进级。公司制定了统一的数据标准和规范，成立数据治理团队，梳理主数据流程，生产数据上云。",
        True,
    ),
    # 16 领航级: 精确预测运行状态, 前瞻性地识别潜在故障 (提前7天预测故障)
    (
        16,
        "领航级",
        "自评等级：领航级。公司基于设备振动、电流数据训练剩余寿命预测模型，提前7天预测主轴轴承故障，系统自动生成维修工单。",
        True,
    ),
    # 16 领航级: only the 卓越级 monitoring and alarms
    (16, "领航级", "自评等级：领航级。公司设备监控系统实时采集设备数据，异常时自动报警。", False),
    # 14 卓越级: everything but the 产品质量问题知识库 the level builds
    (
        14,
        "卓越级",
        "自评等级：卓越级。公司在装配线建设在线智能检测系统，关键工序的扭矩和图像数据在线检测、在线分析，"
        "系统自动判断检验结果并报警，检测数据与QMS共享。",
        False,
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


# -- lexicon v5: paraphrases and bracketed examples --------------------------------------


def test_a_paraphrase_of_the_descriptions_words_shows_a_requirement() -> None:
    # 33 先进级: 统一的数据标准和规范 (发布…管理办法), 专门的数据治理组织或团队 (数据管理委员会),
    # 业务活动的数据上云 (华为云); the words differ from the description's
    text = (
        "自评等级：先进级。公司出台《主数据管理细则》并发布统一的物料编码标准，由数据管理委员会负责执行；"
        "采购、生产、销售数据按标准清洗后汇入华为云上的数据平台。"
    )
    shown, quotes = level_of(33, "先进级", text)
    assert shown and quotes
    assert all(verbatim(q, text) for q in quotes)


def test_an_example_in_brackets_shows_the_term_it_follows() -> None:
    # 12 基础级: 基本过程控制系统(如 PLC), 关键工艺参数的监测和初步控制, 应对一定程度参数波动
    text = "自评等级：基础级。反应釜压力和液位由PLC控制，压力偏离设定值时自动调节进料阀开度。"
    assert level_of(12, "基础级", text)[0]


def test_any_system_does_not_show_a_named_kind_of_system() -> None:
    # 18 先进级 builds a 仓储管理系统 (WMS): an ERP that records stock is not one
    text = "自评等级：先进级。仓库用扫码枪扫描出入库，库存数量录入ERP系统，月底盘点。"
    assert not level_of(18, "先进级", text)[0]


# -- lexicon v7: paraphrase, generic systems, lists of kinds, limited scope -------------


@pytest.mark.parametrize(
    ("no", "level", "text"),
    [
        # 29 基础级: 合格供应商管理机制 (准入制度), 信息技术 (SRM), 寻源 (询价), 评价 (评审), 确认 (批准准入)
        (
            29,
            "基础级",
            "自评等级：基础级。公司制定合格供应商准入制度，新供应商通过SRM平台在线提交资质并参与询价，"
            "经采购和质量部门评审后批准准入。",
        ),
        # 6 卓越级: 工艺设计、生产、检验等系统的集成 (PLM 与 MES), 下发、执行、反馈、监控的闭环 (退回修订), 协同
        (
            6,
            "卓越级",
            "自评等级：卓越级。PLM发布的工艺路线自动下发到MES，车间按工单执行并回传实测参数和首检结果，"
            "超差时MES生成异常单退回工艺部门修订后重新发布，工艺与制造协同改进。",
        ),
        # 39 卓越级: 统一的人员能力数字化管理平台, 多维度信息 (three kinds listed), 分析与可视化 (雷达图)
        (
            39,
            "卓越级",
            "自评等级：卓越级。公司建成统一的员工能力数字化管理平台，汇集员工的技能证书、培训记录和绩效数据，"
            "平台分析后按岗位自动生成能力雷达图，找出短板后推送课程。",
        ),
    ],
)
def test_paraphrased_self_evaluations_show_their_level(no: int, level: str, text: str) -> None:
    shown, quotes = level_of(no, level, text)
    assert shown and quotes and all(verbatim(q, text) for q in quotes)


def test_a_limited_scope_denies_a_requirement_for_all() -> None:
    # 5 领航级 asks for 三维模型 in the design of 全部产品
    whole = (
        "自评等级：领航级。公司全部产品的工艺设计均在三维模型上完成，焊接参数、工装等完整工艺信息集成在三维工艺模型中，"
        "工艺员调用工艺知识库中的典型方案辅助优化。"
    )
    assert level_of(5, "领航级", whole)[0]
    assert not level_of(5, "领航级", whole.replace("公司全部产品", "公司重点产品"))[0]
    assert not level_of(5, "领航级", whole + "三维工艺覆盖率为65%。")[0]


# -- lexicon v9 ------------------------------------------------------------------------


def test_one_element_shown_digitally_shows_the_twin_framework() -> None:
    # 2 先进级: 初步构建数字孪生系统的框架, 设备、产线、车间、工厂等关键元素之一的数字化展示
    text = "自评等级：先进级。以装配车间为对象搭建数字孪生场景，设备状态由MES实时推送，大屏按颜色显示各工位状态。"
    assert level_of(2, "先进级", text)[0]


def test_two_systems_exchanging_data_are_integrated() -> None:
    # 19 卓越级: 仓储设备、配送设备与信息系统集成, 依据实际生产状态实时拉动物料配送
    text = (
        "自评等级：卓越级。线边物料由MES按节拍实时扣减，低于安全量时自动向WMS叫料，立库出库后由AGV送到工位。"
    )
    assert level_of(19, "卓越级", text)[0]


def test_the_common_head_of_listed_items_shows_none_of_them() -> None:
    # 3 卓越级 integrates 设计信息、生产信息、检验信息、运维信息 into the model: design data in a PLM is not that
    text = "自评等级：卓越级。公司用三维软件参数化设计柜体，组件从标准件库调用，设计数据统一存放在PLM中。"
    assert not level_of(3, "卓越级", text)[0]
