"""The rules-only drafter: extractive. Each fact sentence goes to the column
its content fits (a system or how it works → 技术方案, a problem → 痛点,
an effect with a number → 实施成果, people and rules → 保障要素, spread to other
lines → 其他, the rest → 具体描述); background facts (revenue, headcount,
investment) go nowhere. Nothing is written that is not in the facts."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.review.rules import Lexicon, _has_number, _specific_system, load_lexicon
from app.review.spans import fold
from core.drafting import Fact
from core.spec import ColumnRole

_PROBLEM = re.compile(
    r"问题|痛点|难以|困难|瓶颈|依赖人工|靠人工|人工(?:记录|抄|排|判|检)|不足|滞后|频繁|浪费|返工|漏检|误判|波动大|不稳定|效率低|周期长|成本高|风险"
)
_SUPPORT = re.compile(r"制度|培训|团队|小组|专人|机制|标准化|规范|考核|组织保障|人才|运维人员")
_OTHER = re.compile(r"推广|复制|带动|辐射|其他车间|其他工厂|兄弟|下一步|后续")
_MECHANISM = re.compile(r"通过|基于|利用|自动|实时|根据|按照|据此|当.{0,12}时|一旦|联动|下发|采集|回传")
_EFFECT = re.compile(
    r"提升|提高|降低|下降|减少|缩短|节约|节省|增加|增长|降至|减至|提至|由.{0,12}(?:降|升|提|减|缩)"
)


def classify(fact: Fact, lex: Lexicon) -> ColumnRole | None:
    """The column role a fact belongs to; None for a background fact (company
    size, revenue, investment, headcount) that no column should carry."""
    f = fold(fact.text)
    if _SUPPORT.search(f) and not _specific_system(f, lex) and not _EFFECT.search(f):
        return "support"
    if _has_number(f) and any(b in f for b in (*lex.background, *lex.headcount)) and not _EFFECT.search(f):
        return None
    if _has_number(f) and _EFFECT.search(f) and not any(w in f for w in lex.whole):
        return "result"
    if _OTHER.search(f):
        return "other"
    if _PROBLEM.search(f) and not _specific_system(f, lex):
        return "problem"
    if _specific_system(f, lex) or _MECHANISM.search(f):
        return "solution"
    return "describe"


_BUILT = re.compile(r"建设|建成|搭建|部署|上线|引入|引进|购置|配置|改造|新建|开发了|接入")

_ALL_ORDER: tuple[ColumnRole, ...] = ("describe", "problem", "solution", "result")

OVERVIEW_ORDER: tuple[str, ...] = (
    "describe",
    "background",
    "problem",
    "built",
    "works",
    "support",
    "result",
    "other",
)
"""The order of a limited text section's sentences: what the project is (and its
scale: investment, revenue, people), the problem it answers, what was built, how
it works, who and what keeps it running, its results, its spread."""


_KEY_PARTS: dict[str, str] = {
    "项目": "describe", "项目名称": "describe", "项目概况": "describe", "企业概况": "describe", "公司概况": "describe",
    "建设期": "background", "项目投入": "background", "投资": "background", "项目投资": "background",
    "存在问题": "problem", "原有问题": "problem", "问题": "problem", "痛点": "problem",
    "建设内容": "built", "网络建设": "built", "平台建设": "built", "系统建设": "built",
    "运行方式": "works", "做法": "works",
    "组织保障": "support", "保障措施": "support", "实施单位": "support",
    "实施成果": "result", "成效": "result", "效果": "result",
    "示范带动": "other", "后续计划": "other", "下一步": "other",
}  # fmt: skip
"""The part a key–value line belongs to by its key (项目投入：…, 运行方式：…)."""
_KEY = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})[：:]")


def overview_part(fact: Fact, lex: Lexicon) -> str:
    """The part of :data:`OVERVIEW_ORDER` a fact belongs to: by its key for a
    key–value line whose key says it (项目投入：…), else its column role,
    ``background`` for a background fact, and a solution fact split into what
    was built (a build verb, or no working described) and how it works; a
    problem the column classifier took for a system (设备 is a system noun) is a problem."""
    key = _KEY.match(fact.text)
    if key and key.group(1) in _KEY_PARTS:
        return _KEY_PARTS[key.group(1)]
    role = classify(fact, lex)
    if role is None:
        return "background"
    f = fold(fact.text)
    if role == "solution" and _PROBLEM.search(f) and not (_MECHANISM.search(f) or lex.acronym.search(f)):
        return "problem"  # 过去设备状态靠人工巡检记录: a problem, though 设备 reads as a system noun
    if role == "solution":
        return "built" if _BUILT.search(f) or not _MECHANISM.search(f) else "works"
    return str(role)


def order_overview(facts: list[Fact], lexicon: Lexicon | None = None) -> list[Fact]:
    """The facts in :data:`OVERVIEW_ORDER` (the facts' own order within a part)."""
    lex = lexicon or load_lexicon()
    rank = {p: i for i, p in enumerate(OVERVIEW_ORDER)}
    return sorted(facts, key=lambda f: rank[overview_part(f, lex)])  # stable: keeps the facts' order


PROFILE_ORDER: tuple[str, ...] = ("company", "products", "scale", "market", "honours", "other")
"""The order of a company profile's (企业简介) sentences: what the company is and
its history, its business and products, its scale (people, assets, revenue),
its market and sales, its honours; anything else last."""

_PROFILE_PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("honours", re.compile(r"荣誉|称号|认定为|被评为|评为|获评|获得|荣获|奖|高新技术企业|专精特新|小巨人|示范|资质|认证")),
    ("market", re.compile(r"销售|市场|客户|出口|营业收入|销售额|产值|份额|营收|远销|订单")),
    ("scale", re.compile(r"员工|职工|人员|占地|面积|资产|注册资本|厂房|产能|规模")),
    ("products", re.compile(r"主营|主要产品|产品|业务|生产|制造|研发")),
    ("company", re.compile(r"成立|创建|始建|创办|前身|改制|上市|发展历程|公司|企业|集团|位于")),
)  # fmt: skip


def profile_part(fact: Fact, lex: Lexicon | None = None) -> str:
    """The part of :data:`PROFILE_ORDER` a fact of a company profile belongs to
    (the first of honours, market, scale, products, company its words name)."""
    f = fold(fact.text)
    return next((part for part, pat in _PROFILE_PARTS if pat.search(f)), "other")


def overview_rank(facts: list[Fact], role: ColumnRole, lexicon: Lexicon | None = None) -> list[Fact]:
    """The facts of a limited section of role ``role`` in its order
    (:data:`PROFILE_ORDER` for ``profile``, else :data:`OVERVIEW_ORDER`)."""
    if role == "profile":
        rank = {p: i for i, p in enumerate(PROFILE_ORDER)}
        return sorted(facts, key=lambda f: rank[profile_part(f)])
    return order_overview(facts, lexicon)


def select_within(
    facts: list[Fact],
    fits: Callable[[list[Fact]], bool],
    lexicon: Lexicon | None = None,
    role: ColumnRole = "overview",
) -> list[Fact]:
    """The facts (whole sentences, in the order of the section's ``role``:
    :data:`OVERVIEW_ORDER`, or :data:`PROFILE_ORDER` for a company profile) a
    limited section keeps when all of them do not fit: first the first fact of
    every part, so results (or honours) are not crowded out by a long
    description, then the others in order while ``fits`` (the joined text
    within the limit) holds."""
    lex = lexicon or load_lexicon()
    ordered = overview_rank(facts, role, lex)
    if fits(ordered):
        return ordered
    part = profile_part if role == "profile" else overview_part
    pos = {f.id: i for i, f in enumerate(ordered)}
    firsts: dict[str, Fact] = {}
    for f in ordered:
        firsts.setdefault(part(f, lex), f)
    first_ids = {f.id for f in firsts.values()}
    chosen: list[Fact] = []
    for f in [*firsts.values(), *(f for f in ordered if f.id not in first_ids)]:
        trial = sorted([*chosen, f], key=lambda x: pos[x.id])
        if fits(trial):
            chosen = trial
    return chosen


def assign(
    facts: list[Fact], roles: dict[str, ColumnRole], lexicon: Lexicon | None = None
) -> dict[str, list[Fact]]:
    """The facts each column (key → role) gets, in the facts' order; a column
    of role ``all`` gets the describe, problem, solution and result facts."""
    lex = lexicon or load_lexicon()
    by_role: dict[ColumnRole, list[Fact]] = {}
    for fact in facts:
        role = classify(fact, lex)
        if role is not None:
            by_role.setdefault(role, []).append(fact)
    out: dict[str, list[Fact]] = {}
    for key, role in roles.items():
        if role in ("overview", "profile"):
            out[key] = overview_rank(facts, role, lex)
        elif role == "all":
            chosen = {f.id for r in _ALL_ORDER for f in by_role.get(r, [])}
            out[key] = [f for f in facts if f.id in chosen]
        else:
            out[key] = list(by_role.get(role, []))
    return out
