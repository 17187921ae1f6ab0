"""The rules-only reviewer: lexicons and patterns per element, no model.

Every element it marks present carries the verbatim clause or sentence that
shows it. The lexicons are data (``corpus/review/lexicon.yaml``); matching
runs on the folded text (:func:`app.review.spans.fold`) and quotes the original.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import corpus
from app.review.spans import Span, clauses, fold, sentences
from core.review import Claim, ClaimReview, ElementCheck, review_of, verbatim

LEXICON_PATH = Path(corpus.__file__).resolve().parent / "review" / "lexicon.yaml"


@dataclass(frozen=True)
class Lexicon:
    """The compiled word lists of the rules-only reviewer."""

    acronym: re.Pattern[str]
    acronyms: tuple[str, ...]
    nouns: tuple[str, ...]
    vague: tuple[str, ...]
    verbs: tuple[str, ...]
    markers: tuple[str, ...]
    goals: tuple[str, ...]
    negations: tuple[str, ...]
    system_exclude: tuple[str, ...]
    name_ends: tuple[str, ...]
    planned: tuple[str, ...]
    injection: tuple[str, ...]
    effects: tuple[str, ...]
    background: tuple[str, ...]
    whole: tuple[str, ...]
    level_stop: frozenset[str]
    level_min_share: float
    version: int


@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon file, compiled (cached per path)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    acronyms = sorted(data["system"]["acronyms"], key=len, reverse=True)
    return Lexicon(
        acronyms=tuple(acronyms),
        acronym=re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![A-Za-z])"),
        nouns=tuple(sorted(data["system"]["nouns"], key=len, reverse=True)),
        vague=tuple(data["system"]["vague"]),
        verbs=tuple(sorted(data["how"]["verbs"], key=len, reverse=True)),
        markers=tuple(data["how"]["markers"]),
        goals=tuple(data["how"]["goals"]),
        negations=tuple(data["how"]["negations"]),
        system_exclude=tuple(data["system"]["context_exclude"]),
        name_ends=tuple(data["how"]["name_ends"]),
        planned=tuple(data["planned"]),
        injection=tuple(data["injection"]),
        effects=tuple(data["result"]["effects"]),
        background=tuple(data["result"]["background"]),
        whole=tuple(data["result"]["whole"]),
        level_stop=frozenset(data["level"]["stop_chars"]),
        level_min_share=float(data["level"]["min_share"]),
        version=int(data["version"]),
    )


# a number with a unit or %, in Arabic or Chinese numerals (on folded text); a year is not one
_CN = "零〇一二两三四五六七八九十百千万"
_NUMBER = re.compile(
    rf"(?<![\d.])(?!(?:19|20)\d\d年)\d+(?:,\d{{3}})*(?:\.\d+)?\s*(?:%|‰|个百分点|[倍万亿元秒分天周月年人台套次吨件个项批条米度]|小时|分钟|kWh|kg|t|m|h|s)?"
    rf"|百分之[{_CN}点]+|[{_CN}]+分之[{_CN}]+|[{_CN}]+(?:成|倍|个百分点)|一半|减半|翻番|翻一番"
    rf"|(?<![{_CN}])[{_CN}]{{1,3}}(?:人|台|套|名|个工作日|小时|天|分钟|秒)"
)
_DATA_NOUN = re.compile(
    r"数据|参数|信息|指令|工单|图像|信号|状态|模型|质量|工艺|订单|物料|能耗|温度|压力|位置"
)


def _specific_system(folded: str, lex: Lexicon) -> bool:
    """Whether a clause names a deployed system: an acronym, or a system noun
    whose qualifier is specific (not 相关/先进/智能化…)."""
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
    """A clause ending in a colon is a heading or label (二是平台建设：), not a statement."""
    return clause.folded.rstrip().endswith((":", "："))


def _has_number(folded: str) -> bool:
    return any(m.group().strip() for m in _NUMBER.finditer(folded))


def _process_verbs(folded: str, lex: Lexicon) -> set[str]:
    """The process verbs in a clause, leaving out those that are part of a name
    (a verb followed by 系统/平台/设备…: 排产系统, 检测设备)."""
    found: set[str] = set()
    for verb in lex.verbs:
        start = folded.find(verb)
        while start != -1:
            rest = folded[start + len(verb) :]
            if not any(rest.startswith(end) for end in lex.name_ends):
                found.add(verb)
                break
            start = folded.find(verb, start + 1)
    return found


def _is_goal(clause: Span, lex: Lexicon) -> bool:
    """A clause that states a goal (实现智能排产, 提升管理水平), not how."""
    return clause.folded.lstrip().startswith(lex.goals)


def _mechanism(sentence: Span, clauses_in: list[Span], lex: Lexicon) -> Span | None:
    """The part of a sentence that says how something works: its clauses that
    are not goals or results, holding a process verb, with a marker (先/按/当…时/
    自动/负责…) or two different verbs. None when there is none."""
    kept = [
        c
        for c in clauses_in
        if not _is_goal(c, lex)
        and not (_has_number(c.folded) and _has_effect(c.folded, lex))
        and not any(n in c.folded for n in lex.negations)
    ]
    steps = [c for c in kept if _process_verbs(c.folded, lex)]
    if not steps:
        return None
    text = "".join(c.folded for c in kept)
    verbs = set().union(*(_process_verbs(c.folded, lex) for c in steps))
    if not (any(m in text for m in lex.markers) or len(verbs) >= 2):
        return None
    start, end = steps[0].start, steps[-1].end
    original = sentence.text[start - sentence.start : end - sentence.start]
    return Span(start, end, original.rstrip("，,；;"), fold(original))


def _has_effect(folded: str, lex: Lexicon) -> bool:
    return any(e in folded for e in lex.effects)


def _result_clause(clause: Span, sentence: Span, lex: Lexicon) -> bool:
    f = clause.folded
    if not _has_number(f) or any(b in f for b in lex.background):
        return False
    if any(w in sentence.folded for w in lex.whole) or any(p in sentence.folded for p in lex.planned):
        return False
    return _has_effect(f, lex)


def _within(clause: Span, sentence: Span) -> bool:
    return sentence.start <= clause.start and clause.end <= sentence.end


_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def _bigrams(text: str, stop: frozenset[str]) -> set[str]:
    """Character bigrams of the folded text's words, without function characters."""
    out: set[str] = set()
    for part in _NON_WORD.split(fold(text)):
        out |= {part[i : i + 2] for i in range(len(part) - 1) if not set(part[i : i + 2]) & stop}
    return out


def review_level(claim: Claim, lex: Lexicon) -> ElementCheck:
    """Whether the passage shows the claimed level's description: enough of the
    description's character bigrams occur in it (``level.min_share``); the
    quote is the sentence sharing the most of them."""
    want = _bigrams(claim.level_text or "", lex.level_stop)
    text = claim.text()
    got = want & _bigrams(text, lex.level_stop)
    if not want or len(got) / len(want) < lex.level_min_share:
        return ElementCheck(present=False)
    best = max(sentences(text), key=lambda s: len(want & _bigrams(s.text, lex.level_stop)))
    return ElementCheck(present=True, quotes=(best.text,))


def review_rules(claim: Claim, lexicon: Lexicon | None = None) -> ClaimReview:
    """Review one claim with the lexicons alone (``method="rules"``)."""
    lex = lexicon or load_lexicon()
    text = claim.text()
    sents = [s for s in sentences(text) if not any(m in s.folded for m in lex.injection)]
    cls = [c for c in clauses(text) if not _is_label(c) and any(_within(c, s) for s in sents)]
    system = [
        c.text
        for c in cls
        if _specific_system(c.folded, lex)
        and not any(p in c.folded for p in (*lex.planned, *lex.system_exclude))
    ]
    how = [m.text for s in sents if (m := _mechanism(s, [c for c in cls if _within(c, s)], lex))]
    result = [c.text for s in sents for c in cls if _within(c, s) and _result_clause(c, s, lex)]
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
        if not any(e in folded or e in around for e in lex.effects):
            return "没有说明数字带来的变化（提升、降低、缩短……）"
    if element == "level":
        want = _bigrams(level_text or "", lex.level_stop)
        if want and not want & _bigrams(q, lex.level_stop):
            return "与所报等级的描述没有共同的要点"
    return None
