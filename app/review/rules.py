"""The rules-only reviewer: lexicons and patterns per element, no model.

Every element it marks present carries the verbatim clause or sentence that
shows it. The lexicons are data (``corpus/review/lexicon.yaml``); matching
runs on the folded text (:func:`app.review.spans.fold`) and quotes the original.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

import corpus
from app.review.level import LevelLexicon, Unit, review_level_text
from app.review.level import bigrams as _bigrams
from app.review.spans import Span, clauses, fold, sentences
from core.review import Claim, ClaimReview, ElementCheck, review_of, verbatim

LEXICON_PATH = Path(corpus.__file__).resolve().parent / "review" / "lexicon.yaml"


@dataclass(frozen=True)
class Lexicon:
    """The compiled word lists of the rules-only reviewer."""

    acronym: re.Pattern[str]
    acronyms: tuple[str, ...]
    deploy: tuple[str, ...]
    deploy_after: tuple[str, ...]
    product: re.Pattern[str]
    product_verbs: tuple[str, ...]
    not_products: frozenset[str]
    not_names: tuple[str, ...]
    carriers: tuple[str, ...]
    info_heads: tuple[str, ...]
    acts: tuple[str, ...]
    heads: tuple[str, ...]
    devices: tuple[str, ...]
    name_follow: frozenset[str]
    nouns: tuple[str, ...]
    vague: tuple[str, ...]
    generic: tuple[str, ...]
    verbs: tuple[str, ...]
    transfer: frozenset[str]
    data: re.Pattern[str]
    strong: re.Pattern[str]
    condition: re.Pattern[str]
    action: re.Pattern[str]
    agent: re.Pattern[str]
    not_conditions: tuple[str, ...]
    effect_markers: tuple[str, ...]
    capability_openers: tuple[str, ...]
    viewing: re.Pattern[str]
    goals: tuple[str, ...]
    goal_split: tuple[str, ...]
    vague_means: tuple[str, ...]
    frames: tuple[str, ...]
    negations: re.Pattern[str]
    system_exclude: tuple[str, ...]
    name_ends: tuple[str, ...]
    activities: tuple[str, ...]
    planned: re.Pattern[str]
    context_labels: tuple[str, ...]
    past: tuple[str, ...]
    side: tuple[str, ...]
    injection: tuple[str, ...]
    effects: tuple[str, ...]
    prepositions: tuple[str, ...]
    scope: tuple[str, ...]
    headcount: tuple[str, ...]
    level_effects: tuple[str, ...]
    background: tuple[str, ...]
    whole: tuple[str, ...]
    subjectless: tuple[str, ...]
    level_stop: frozenset[str]
    level_min_share: float
    level: LevelLexicon
    version: int


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_PRODUCT = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*(?![A-Za-z0-9])")
"""A Latin word that may be a product name (ANSYS, FlexSim, Teamcenter, S7-1500)."""


@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon file, compiled (cached per path)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    acronyms = _longest_first(data["system"]["acronyms"])
    return Lexicon(
        acronyms=acronyms,
        acronym=re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![A-Za-z])"),
        deploy=_longest_first(data["system"]["deploy"]),
        deploy_after=tuple(data["system"]["deploy_after"]),
        product=_PRODUCT,
        product_verbs=tuple(data["system"]["product_verbs"]),
        not_products=frozenset(data["system"]["not_products"]),
        not_names=tuple(data["system"]["not_names"]),
        carriers=tuple(data["system"]["carriers"]),
        info_heads=_longest_first(data["system"]["info_heads"]),
        acts=_longest_first(data["system"]["acts"]),
        heads=_longest_first(data["system"]["heads"]),
        devices=_longest_first(data["system"]["devices"]),
        name_follow=frozenset(data["system"]["name_follow"]),
        nouns=_longest_first(data["system"]["nouns"]),
        vague=tuple(data["system"]["vague"]),
        generic=_longest_first([*data["system"]["vague"], *data["system"]["generic"]]),
        verbs=_longest_first(data["how"]["verbs"]),
        transfer=frozenset(data["how"]["transfer"]),
        data=re.compile("|".join(map(re.escape, data["how"]["data"]))),
        strong=_any_of(data["how"]["strong"]),
        condition=_any_of(data["how"]["condition"]),
        action=_any_of(data["how"]["action"]),
        agent=_any_of(data["how"]["agent"]),
        not_conditions=tuple(data["how"]["not_conditions"]),
        effect_markers=tuple(data["how"]["effect_markers"]),
        capability_openers=_longest_first(data["how"]["capability_openers"]),
        viewing=re.compile(data["how"]["viewing"]),
        goals=tuple(data["how"]["goals"]),
        goal_split=tuple(data["how"]["goal_split"]),
        vague_means=tuple(data["how"]["vague_means"]),
        frames=tuple(w + "后" for w in data["how"]["frames"]),
        negations=_any_of(data["how"]["negations"]),
        system_exclude=tuple(data["system"]["context_exclude"]),
        name_ends=_longest_first(data["how"]["name_ends"]),
        activities=tuple(data["how"]["activities"]),
        planned=_any_of(data["planned"]),
        context_labels=tuple(data["context"]["labels"]),
        past=tuple(data["context"]["past"]),
        side=tuple(data["side"]),
        injection=tuple(w.lower() for w in data["injection"]),
        effects=tuple(data["result"]["effects"]),
        prepositions=tuple(data["result"]["prepositions"]),
        scope=tuple(data["result"]["scope"]),
        headcount=tuple(data["result"]["headcount"]),
        level_effects=tuple(data["result"]["level_effects"]),
        background=tuple(data["result"]["background"]),
        whole=tuple(data["result"]["whole"]),
        subjectless=tuple(data["result"]["subjectless"]),
        level_stop=frozenset(data["level"]["stop_chars"]),
        level_min_share=float(data["level"]["min_share"]),
        level=_level_lexicon(data["level"]),
        version=int(data["version"]),
    )


def _level_lexicon(data: dict[str, object]) -> LevelLexicon:
    def words(key: str) -> list[str]:
        value = data[key]
        assert isinstance(value, list)
        return [fold(str(w)) for w in value]

    caps = data["capabilities"]
    syns = data["synonyms"]
    assert isinstance(caps, dict) and isinstance(syns, dict)
    return LevelLexicon(
        stop=frozenset(str(data["stop_chars"])),
        generic=frozenset(words("generic")),
        purpose=tuple(words("purpose")),
        limits=tuple(words("limits")),
        capabilities={fold(str(k)): tuple(fold(str(f)) for f in v) for k, v in caps.items()},
        synonyms={fold(str(k)): tuple(fold(str(f)) for f in v) for k, v in syns.items()},
        build=tuple(words("build")),
        artifacts=tuple(words("artifacts")),
        any_system=tuple(words("any_system")),
        system_words=tuple(words("system_words")),
        many=tuple(words("many")),
        whole_scope=tuple(words("whole_scope")),
        partial_scope=tuple(words("partial_scope")),
        linking=tuple(words("linking")),
        list_heads=tuple(words("list_heads")),
        requirement_share=float(str(data["requirement_share"])),
        covered_share=float(str(data["covered_share"])),
    )


# a number with a unit or %, in Arabic or Chinese numerals (on folded text); a year is not one
_CN = "零〇一二两三四五六七八九十百千万"
_NUMBER = re.compile(
    rf"(?<![\d.])(?!(?:19|20)\d\d年)\d+(?:,\d{{3}})*(?:\.\d+)?\s*(?:%|‰|个百分点|[倍万亿元秒分天周月年人台套次吨件个项批条米度]|小时|分钟|kWh|kg|t|m|h|s)?"
    rf"|百分之[{_CN}点]+|[{_CN}]+分之[{_CN}]+|[{_CN}]+(?:成|倍|个百分点)|一半|减半|翻番|翻一番"
    rf"|(?<![{_CN}几])[{_CN}][{_CN}几]{{0,3}}(?:人|台|套|名|次|个工作日|小时|天|分钟|秒)"
)


def _specific_system(folded: str, lex: Lexicon) -> bool:
    """Whether a text names a system: an acronym, or a system noun whose
    qualifier is specific (not 相关/先进/智能化…). Used on a quote another
    reviewer chose and by the drafter; the reviewer itself also asks that the
    name is deployed (:func:`_named_things`)."""
    if lex.acronym.search(folded):
        return True
    for noun in lex.nouns:
        start = folded.find(noun)
        while start != -1:
            before = folded[max(0, start - 8) : start]
            before = re.split(r"[,:;。!?、()（）\s]", before)[-1]
            if len(before) >= 2 and not any(before.endswith(v) for v in lex.vague):
                return True
            start = folded.find(noun, start + 1)
    return False


def _is_label(clause: Span) -> bool:
    """A short clause ending in a colon is a heading or label (二是平台建设：,
    实施成果：), not a statement; a longer one introduces what follows
    (公司搭建虚实融合试验验证平台：先…) and is a statement."""
    f = clause.folded.strip()
    return f.endswith((":", "：")) and len(f) <= _LABEL_MAX


def _has_number(folded: str) -> bool:
    return any(m.group().strip() for m in _NUMBER.finditer(folded))


def _has_effect(folded: str, lex: Lexicon) -> bool:
    """An effect word (not a preposition: 由/从 open 由MES推送 as well as 由3%降至…)."""
    return any(e in folded for e in lex.effects)


def _within(clause: Span, sentence: Span) -> bool:
    return sentence.start <= clause.start and clause.end <= sentence.end


# -- reading a passage: sentences, their section and their stance ----------------------

_LABEL_MAX = 12
_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?([^\s:：,，。;；]{2,10})[:：]")
_CLASSIFIED = re.compile(
    r"[\d.]+\s*(?:余|多)?[台套个条块座辆家种类项]?|[一二两三四五六七八九十百]+(?:余|多)?[台套个条块座辆家种类项]"
)


@dataclass(frozen=True)
class _Sentence:
    """A sentence of the passage with its clauses (labels left out) and how it stands."""

    span: Span
    clauses: tuple[Span, ...]
    context: bool
    """It describes the state before the project (a 痛点/背景 section, or opens with 过去/以往…)."""
    planned: bool
    """Its first clause speaks of what is planned (拟, 计划引入, 下一步将…): all of it does."""
    expected: bool
    """Some clause of it is planned or expected (…上线后，预计…): its numbers are no results."""
    side: bool
    """It opens with 同时/此外… and deploys another system, not one of this scenario."""


def _injected(folded: str, lex: Lexicon) -> bool:
    low = folded.lower()
    return any(m in low for m in lex.injection)


_ASIDE = re.compile(r"【[^】]*】|（[^）]*）|\([^)]*\)|\[[^\]]*\]|<!--.*?-->|\{[^}]*\}", re.S)
"""A bracketed aside or a comment: where text addressed to a reviewer hides."""


def _without_injected_asides(text: str, lex: Lexicon) -> str:
    """The text with every bracketed aside or comment that tries to instruct the
    reviewer (【评审须知：…判定为通过】, <!-- AI grader: … -->) turned into line
    breaks, so that it is read as nothing and the text around it (…】实施成果：…)
    is still read; offsets are kept, so quotes stay verbatim."""
    out = text
    for m in _ASIDE.finditer(text):
        if _injected(fold(m.group()), lex):
            out = out[: m.start()] + "\n" * (m.end() - m.start()) + out[m.end() :]
    return out


def _past(body: str, lex: Lexicon) -> bool:
    """A sentence that opens with 过去/以往/原先… describes the state before
    (but not 过去三年…, a span of time)."""
    for word in lex.past:
        if body.startswith(word):
            rest = body[len(word) :]
            return not (rest[:1].isdigit() or rest[:1] in "一二两三四五六七八九十")
    return False


def _passage_spans(claim: Claim, lex: Lexicon) -> list[tuple[int, int, bool]]:
    """Where the claim's passages are in its text, (start, end, context): context
    when a table column marks the passage as the state before the project
    (…· 解决的痛点问题描述)."""
    out: list[tuple[int, int, bool]] = []
    start = 0
    for p in claim.passages:
        column = (p.location or "").rsplit("·", 1)[-1]
        out.append((start, start + len(p.text), any(w in column for w in lex.context_labels)))
        start += len(p.text) + 1
    return out


def _read(claim: Claim, lex: Lexicon) -> list[_Sentence]:
    """The sentences of a claim's passages that may carry evidence: sentences
    that try to instruct the reviewer are left out; each keeps its section
    (a 痛点 or 背景 label marks the state before the project until the next
    label or passage, and so does a table column titled so)."""
    text = _without_injected_asides(claim.text(), lex)
    all_clauses = clauses(text)
    scenario = _bigrams(claim.item_name or claim.title, lex.level_stop) - _GENERIC_BIGRAMS
    out: list[_Sentence] = []
    in_context = False
    passage = -1
    spans = _passage_spans(claim, lex)
    for s in sentences(text):
        here = next((i for i, (start, end, _) in enumerate(spans) if start <= s.start < end), passage)
        if here != passage:  # a new passage (a table cell) starts in the state its column gives
            passage, in_context = here, spans[here][2] if here >= 0 else False
        label = _LABEL.match(s.folded)
        if label:
            in_context = any(w in label.group(1) for w in lex.context_labels)
        if _injected(s.folded, lex):
            continue
        body = (s.folded[label.end() :] if label else s.folded).lstrip()
        cls = tuple(c for c in all_clauses if _within(c, s) and not _is_label(c))
        side = body.startswith(lex.side) and any(
            name and not _bigrams(name, lex.level_stop) & scenario
            for c in cls
            for name, _ in _named_things(c, lex)
        )
        out.append(
            _Sentence(
                span=s,
                clauses=cls,
                context=in_context or _past(body, lex),
                planned=bool(cls) and _plans(cls[0].folded, lex),
                expected=_plans(s.folded, lex),
                side=side,
            )
        )
    return out


_GENERIC_BIGRAMS = frozenset({"智能", "数字", "字化", "管理", "系统", "平台", "优化", "全员"})
"""Bigrams of scenario names that say nothing about which scenario a system serves."""


# -- system: a deployment verb and a named thing ------------------------------------------


def _specific_qualifier(qualifier: str, lex: Lexicon) -> bool:
    """Whether what stands before a head noun names something: at least two
    characters once counts (6台) and particles are taken out, not all of them
    generic words (相关, 智能化, 先进: 碳管理 names something, 信息化管理 does
    not); only the last of several coordinated names counts."""
    q = re.sub(r"[的了\s()（）]", "", re.split(r"[和与及、,，]", _CLASSIFIED.sub("", qualifier))[-1])
    rest = q
    for word in lex.generic:
        rest = rest.replace(word, "")
    return len(q) >= 2 and len(rest) >= 1


def _heads_in(folded: str, lex: Lexicon) -> list[tuple[int, int, bool]]:
    """Where head nouns end a name in a clause: (start, end, is_device), the
    longest match first, only where the noun is the last word of the name
    (followed by punctuation, a conjunction, a count or a verb; 设备维修预算 has none)."""
    taken: list[tuple[int, int, bool]] = []
    for words, device in ((lex.devices, True), (lex.heads, False)):
        for word in words:
            start = folded.find(word)
            while start != -1:
                end = start + len(word)
                ends_name = (
                    end == len(folded)
                    or folded[end] in lex.name_follow
                    or folded[end].isdigit()
                    or folded.startswith(lex.acts, end)
                )
                if ends_name and not any(s < end and start < e for s, e, _ in taken):
                    taken.append((start, end, device))
                start = folded.find(word, start + 1)
    return sorted(taken)


_NOT_SUBJECT = ("按", "把", "将", "对", "每", "根据", "依据", "基于", "结合", "通过")
"""Words that, before a name, show it is not the subject opening its clause (…按点检表逐台…)."""


def _clause_words(qualifier: str) -> bool:
    """Whether what stands between a carrier and a head is more than a name
    (在出样前先对整机模型…: a time and a preposition, not a system's name)."""
    return any(w in qualifier for w in (*_NOT_SUBJECT, "前", "后", "时"))


def _carrier_at(folded: str, head: int, lex: Lexicon) -> int | None:
    """Where the name of an information system (…系统, …平台, …模型) starts when a
    carrier stands before it in the clause (在服务管理系统中登记, 存入环保管理系统,
    由循环经济管控系统统一调度, 用文本分析模型归类): the text the system is used
    in, by or through; None when no carrier precedes it."""
    best: int | None = None
    for word in lex.carriers:
        i = folded.rfind(word, 0, head)
        if i >= 0 and (best is None or i + len(word) > best):
            best = i + len(word)
    return best


def _named_things(clause: Span, lex: Lexicon) -> list[tuple[str, str]]:
    """The deployed things a clause names, as (name, qualifier): an acronym
    (MES, WMS, AGV …), or a head noun (系统, 平台, 机器人 …) after a deployment
    verb of the clause (部署/上线/引入/安装/建设…), or before one (…系统上线后),
    or acting (…系统根据订单自动调度); a generic head needs a specific qualifier."""
    f = clause.folded
    found: list[tuple[str, str]] = [(m.group(), "") for m in lex.acronym.finditer(f)]
    verbs_at: list[int] = []
    for verb in lex.deploy:
        start = f.find(verb)
        while start != -1:
            verbs_at.append(start + len(verb))
            start = f.find(verb, start + 1)
    found += _products(f, verbs_at, lex)
    heads = _heads_in(f, lex)
    for start, end, device in heads:
        before = [v for v in verbs_at if v <= start]
        rest = f[end:]
        carried = _carrier_at(f, start, lex) if f[start:end] in lex.info_heads else None
        if before:
            qualifier = f[max(before) : start]
        elif rest.startswith(lex.deploy_after) or (
            rest.startswith(lex.acts) and not any(w in f[:start] for w in (*_NOT_SUBJECT, *lex.carriers))
        ):  # …系统上线后; a name opening its clause and acting (排程系统以…, X光检测机对…)
            qualifier = f[:start]
        elif carried is not None and not _clause_words(f[carried:start]):
            qualifier = f[carried:start]
        else:
            continue
        name = f[start - len(qualifier) : end].strip()
        if (device or _specific_qualifier(qualifier, lex)) and not name.endswith(lex.not_names):
            found.append((name, qualifier.strip()))
    return found + _carried_systems(f, {(s, e) for s, e, _ in heads}, lex)


def _carried_systems(folded: str, ended: set[tuple[int, int]], lex: Lexicon) -> list[tuple[str, str]]:
    """Information systems after a carrier whatever follows them (用多设备联合寻优算法计算,
    在工艺管理系统里编制): the carrier shows the name is a tool in use, so it need not end
    at a punctuation mark or a function word; ``ended`` are the heads already read as names' ends."""
    out: list[tuple[str, str]] = []
    for word in lex.info_heads:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            carried = _carrier_at(folded, start, lex)
            if (
                (start, end) not in ended
                and carried is not None
                and start - carried <= 12
                and not _clause_words(folded[carried:start])
            ):
                qualifier = folded[carried:start]
                if _specific_qualifier(qualifier, lex):
                    out.append((folded[carried:end].strip(), qualifier.strip()))
            start = folded.find(word, start + 1)
    return out


def _products(folded: str, verbs_at: list[int], lex: Lexicon) -> list[tuple[str, str]]:
    """Latin product names a clause puts to work (先用ANSYS仿真, 采用 FlexSim,
    Moldflow软件): right after a deployment verb or 用, or right before a head
    noun; acronyms of the lexicon are found already, indicators and standards
    (``system.not_products``: OEE, ISO …) are none."""
    out: list[tuple[str, str]] = []
    for m in lex.product.finditer(folded):
        word = m.group()
        stem = re.sub(r"[-_.]?[0-9][A-Za-z0-9\-_.]*$", "", word)  # ISO27001, GB50016: a standard
        if stem in lex.not_products or lex.acronym.fullmatch(word) or len(stem) < 3:
            continue
        before = folded[: m.start()].rstrip()
        after = folded[m.end() :].lstrip()
        deployed = m.start() in verbs_at or before.endswith(lex.product_verbs)
        deployed = deployed or any(0 <= m.start() - v <= 1 for v in verbs_at)
        if deployed or after.startswith(lex.heads) or after.startswith(lex.devices):
            out.append((word, ""))
    return out


def _system_clauses(sent: _Sentence, lex: Lexicon) -> list[Span]:
    """The clauses of a sentence that name a deployed thing: not in a context
    sentence, nor planned, negated or about training themselves (a planned
    result in the same sentence does not undo a system: …上线后，预计…)."""
    if sent.context or sent.planned:
        return []
    opening = sent.clauses[0].folded if sent.clauses else ""
    if any(w in opening for w in lex.system_exclude):
        return []  # a sentence about training (…培训课程，内容包括MES操作…) deploys nothing
    return [
        c
        for c in sent.clauses
        if not (_plans(c.folded, lex) or lex.negations.search(c.folded))
        and not any(w in c.folded for w in lex.system_exclude)
        and _named_things(c, lex)
    ]


# -- how: data moving, a condition triggering an action, a sequence of steps --------------


def _names_after(rest: str, lex: Lexicon) -> bool:
    """Whether a verb followed by ``rest`` is part of a name: ``rest`` opens with
    an activity noun (入库作业) or a name end that ends the word (排产系统，,
    检测设备和…, 分拣机), not with an object the verb acts on (查看设备开机率)."""
    if rest.startswith(lex.activities):
        return True
    end = next((e for e in lex.name_ends if rest.startswith(e)), None)
    if end is None:
        return False
    after = rest[len(end) :]
    return len(end) == 1 or not after or after[0] in lex.name_follow or after[0].isdigit()


_LISTED = ("、", "和", "及", "与", "等")
"""A verb next to these is an item of a list of names (入侵检测、漏洞扫描和…), not an action."""


def _process_verbs(folded: str, lex: Lexicon) -> set[str]:
    """The process verbs in a clause, leaving out those that are part of a name
    (a verb followed by 系统/平台/设备… that end the name: 排产系统, 检测设备;
    a verb that moves data, 接入平台, stays a verb), those listed as names
    (设备接入、数据治理…) and those after a goal word (实现…)."""
    for word in lex.goal_split:
        i = folded.find(word)
        if i > 0:
            folded = folded[:i]
    found: set[str] = set()
    for verb in lex.verbs:
        start = folded.find(verb)
        while start != -1:
            rest = folded[start + len(verb) :]
            listed = rest[:1] in _LISTED or folded[start - 1 : start] == "、"
            transfer = verb in lex.transfer and not rest.startswith(lex.activities)
            if not listed and (transfer or not _names_after(rest, lex)):
                found.add(verb)
                break
            start = folded.find(verb, start + 1)
    return found


def _is_step(clause: Span, lex: Lexicon) -> bool:
    """A clause that may be a step: not a goal (实现智能排产, 提升管理水平), not a
    frame (检测系统上线后，), not a result, not a negation nor planned, not a
    vague means (通过信息化手段)."""
    f = clause.folded.strip()
    tail = f.rstrip(",，")
    return not (
        f.startswith(lex.goals)
        or f.startswith(lex.capability_openers)
        or lex.viewing.search(f) is not None
        or any(m in f for m in lex.effect_markers)
        or tail.endswith(lex.frames)
        or (tail.endswith("后") and any(w[:-1] in tail for w in lex.frames))
        or (_has_number(f) and _has_effect(f, lex))
        or lex.negations.search(f)
        or _plans(f, lex)
        or any(v in f for v in lex.vague_means)
    )


def _mechanism(sentence: Span, clauses_in: Sequence[Span], lex: Lexicon) -> Span | None:
    """The part of a sentence that says how something works, from its first step
    clause to its last. A mechanism is a condition triggering an action
    (超过3天即启用…, ``how.condition`` and ``how.action``), an agent acting by a
    rule (系统根据压力自动决定…, ``how.agent``), or process verbs: two different
    ones, or one with a condition, an automatic or real-time action, a sequence
    (``how.strong``) or data moving (a ``how.transfer`` verb and a ``how.data``
    noun: not 车辆全部接入). Goals, results, negations, plans and vague means
    (通过信息化手段) are no steps. None when there is none."""
    kept = [c for c in clauses_in if _is_step(c, lex)]
    text = "".join(c.folded for c in kept)
    structural = (
        bool(lex.condition.search(text) and lex.action.search(text)) or lex.agent.search(text) is not None
    )
    verbs_of = {c: _process_verbs(c.folded, lex) for c in kept}
    verbs = set().union(*verbs_of.values()) if kept else set()
    strong = (
        bool(verbs & lex.transfer and lex.data.search(text))
        or lex.strong.search(text) is not None
        or any(_condition_clause(c.folded, lex) for c in kept)
    )
    if not (structural or len(verbs) >= 2 or (verbs and strong)):
        return None
    parts = [
        c
        for c in kept
        if verbs_of[c]
        or lex.condition.search(c.folded)
        or lex.action.search(c.folded)
        or lex.agent.search(c.folded)
    ]
    return _quote_of(sentence, parts[0], parts[-1])


def _condition_clause(folded: str, lex: Lexicon) -> bool:
    """A clause ending in 时 or 后 states a condition or a sequence (设备报警时，…;
    扫码后，…), but not one ending in 及时, 实时, 每2小时 (``how.not_conditions``)."""
    f = folded.rstrip(",，")
    return f.endswith("后") or (f.endswith("时") and not f.endswith(lex.not_conditions))


def _quote_of(sentence: Span, first: Span, last: Span) -> Span:
    """The stretch of a sentence from one clause to another, as written."""
    start, end = first.start, last.end
    original = sentence.text[start - sentence.start : end - sentence.start]
    return Span(start, end, original.rstrip("，,；;"), fold(original))


# -- result: a number tied to an effect of this scenario ----------------------------------


def _subjectless(folded: str, lex: Lexicon) -> bool:
    """A clause whose effect has no subject of its own (同比增长21%): it speaks of
    the subject of the clause before."""
    first = min((i for e in lex.effects if (i := folded.find(e)) >= 0), default=0)
    head = folded[:first].strip(" ，,")
    for word in lex.subjectless:
        head = head.replace(word, "")
    return not head


def _result_clause(clause: Span, before: Span | None, sent: _Sentence, lex: Lexicon) -> bool:
    f = clause.folded
    if not _has_number(f) or not _has_effect(f, lex):
        return False
    changes = [e for e in lex.effects if e in f and not any(e in le for le in lex.level_effects)]
    if not changes and not re.search(r"[率度%]", f):
        return False  # a level reached by an amount (发电量达到1200万千瓦时) is no effect
    about = f + (before.folded if before is not None and _subjectless(f, lex) else "")
    if any(b in about for b in lex.background):
        return False
    if not changes and any(w in f for w in lex.scope):
        return False  # a share or coverage reached (覆盖率达到65%) is the scope, not an effect
    if not _changes_by(f, lex) and any(w in about for w in lex.headcount):
        return False  # 员工860人 is the company's size; 人员由3人减为1人 is an effect
    return not any(w in sent.span.folded for w in lex.whole)


def _changes_by(folded: str, lex: Lexicon) -> bool:
    """Whether a clause states a change (由3人减为1人, 提高到56%), not a level or an amount."""
    return any(e in folded for e in lex.effects if e not in lex.level_effects)


def _results(sents: list[_Sentence], lex: Lexicon) -> list[str]:
    """The result clauses: not in a context, planned or side sentence, nor in a
    sentence about a system a side sentence brought in (视觉检测上线后，…)."""
    side_names = {
        q for s in sents if s.side for c in s.clauses for _, q in _named_things(c, lex) if len(q) >= 2
    }
    main_names = {q for s in sents if not s.side for c in s.clauses for _, q in _named_things(c, lex)}
    others = {q for q in side_names if not any(q in m for m in main_names)}
    out: list[str] = []
    for s in sents:
        if s.context or s.expected or s.side or any(q in s.span.folded for q in others):
            continue
        for i, c in enumerate(s.clauses):
            if _result_clause(c, s.clauses[i - 1] if i else None, s, lex):
                out.append(c.text)
    return out


def _level_units(sents: list[_Sentence], lex: Lexicon) -> list[Unit]:
    """The sentences that may show a level: not the state before, not planned
    (injected ones are already out); negated or planned clauses are kept apart
    as denials (尚未与其他系统共享)."""
    out: list[Unit] = []
    for s in sents:
        if s.context or (bool(s.clauses) and _plans(s.clauses[0].folded, lex)):
            continue
        denied = tuple(c.folded for c in s.clauses if lex.negations.search(c.folded))
        kept = "，".join(c.folded for c in s.clauses if c.folded not in denied and not _plans(c.folded, lex))
        systems = len({m.group() for m in lex.acronym.finditer(kept)})
        out.append(Unit(s.span, kept, denied, bool(_system_clauses(s, lex)), systems))
    return out


_PLANNER = ("公司", "企业", "我司", "工厂", "集团", "车间", "还", "并", "另", "又", "已")
"""What stands before 计划 when it is a verb (公司计划于…); after a noun it is one (生产计划在系统中编制)."""


def _plans(folded: str, lex: Lexicon) -> bool:
    """A clause that speaks of a plan: a planned word, but 计划 only as a verb
    (at the clause's start or after its subject), not as a noun (库存计划在系统中联动)."""
    for m in lex.planned.finditer(folded):
        before = folded[: m.start()].strip(" ，,。;；:：")
        if m.group() != "计划" or not before or before.endswith(_PLANNER):
            return True
    return False


def review_level(claim: Claim, lex: Lexicon) -> ElementCheck:
    """Whether the passage shows the claimed level's description
    (:mod:`app.review.level`): enough of its requirements covered by the
    passage's sentences, every artifact it builds, none denied; the quotes are
    the sentences that cover them."""
    if not claim.level_text:
        return ElementCheck(present=False)
    units = _level_units(_read(claim, lex), lex)
    found = review_level_text(claim.level_text, claim.item_name or claim.title, units, lex.level)
    return ElementCheck(present=found.shown, quotes=found.quotes)


def review_rules(claim: Claim, lexicon: Lexicon | None = None) -> ClaimReview:
    """Review one claim with the lexicons alone (``method="rules"``)."""
    lex = lexicon or load_lexicon()
    sents = _read(claim, lex)
    system = [c.text for s in sents for c in _system_clauses(s, lex)]
    how = [
        m.text
        for s in sents
        if not (s.context or s.planned) and (m := _mechanism(s.span, s.clauses, lex)) is not None
    ]
    result = _results(sents, lex)
    elements = {
        "system": ElementCheck(present=bool(system), quotes=tuple(dict.fromkeys(system))[:3]),
        "how": ElementCheck(present=bool(how), quotes=tuple(dict.fromkeys(how))[:3]),
        "result": ElementCheck(present=bool(result), quotes=tuple(dict.fromkeys(result))[:3]),
    }
    if claim.level:
        elements["level"] = review_level(claim, lex)
    return review_of(claim, elements, method="rules")


_SENTENCE_MARK = re.compile(r"[。！？!?；;\n]")


def _sentence_of(quote: str, text: str) -> Span | None:
    return next((s for s in sentences(text) if quote in s.text), None)


def locate_quote(quote: str, text: str) -> str | None:
    """The stretch of ``text`` that ``quote`` copies: the quote itself when it
    occurs verbatim, else the original characters where it matches once both
    are folded (a model that wrote 系统 for the draft's 系統, or full-width
    digits as half-width); ``None`` when it does not occur at all. What is
    returned is always verbatim in ``text``."""
    q = quote.strip()
    if not q:
        return None
    if q in text:
        return q
    i = fold(text).find(fold(q))
    return text[i : i + len(q)] if i >= 0 else None


def quote_problem(
    element: str,
    quote: str,
    text: str,
    *,
    level_text: str | None = None,
    lexicon: Lexicon | None = None,
) -> str | None:
    """Why ``quote`` cannot stand as evidence of ``element`` in ``text``, in
    Chinese; ``None`` when it can. The checks the rules-only reviewer makes,
    applied to a quote another reviewer (a language model) chose: it occurs
    verbatim and within one sentence; a ``system`` quote names a specific
    system, platform or device; a ``how`` quote states a mechanism; a
    ``result`` quote holds a number with an effect, not a background number
    nor a whole-factory result; a ``level`` quote shares a term with the
    level's description."""
    q = quote.strip()
    if not verbatim(q, text):
        return "原文中没有这句话（引文须逐字摘自原文）"
    if _SENTENCE_MARK.search(q.rstrip("。！？!?；;")):
        return "引文跨了几句话（每条须是原文中的一句或一个分句）"
    lex = lexicon or load_lexicon()
    folded = fold(q)
    if any(m in folded for m in lex.injection):
        return "是试图指示审阅者的文字，不是证据"
    if element == "system" and not _specific_system(folded, lex):
        return "没有点出具体的系统、平台或装备"
    if element == "how" and _mechanism(Span(0, len(q), q, folded), clauses(q), lex) is None:
        return "没有说明系统怎样工作（采集、分析、控制、反馈……）"
    if element == "result":
        sentence = _sentence_of(q, text)
        around = sentence.folded if sentence else folded
        if not _has_number(folded):
            return "没有数字（量化成效须有数字和单位或百分比）"
        if any(b in folded for b in lex.background):
            return "是背景数字（营收、投资、人数等），不是该场景的成效"
        if any(w in around for w in lex.whole):
            return "是全厂或整体的成效，不能算作该场景的"
        if not any(e in folded or e in around for e in (*lex.effects, *lex.prepositions)):
            return "没有说明数字带来的变化（提升、降低、缩短……）"
    if element == "level":
        want = _bigrams(level_text or "", lex.level_stop)
        if want and not want & _bigrams(q, lex.level_stop):
            return "与所报等级的描述没有共同的要点"
    return None
