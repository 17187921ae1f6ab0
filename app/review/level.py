"""Whether a passage shows what its claimed level's description requires.

The description is split into requirements (its clauses, less those that only
state a purpose: 提高…, 以…). Each requirement's terms are its content words
(segmented with jieba, the scenario's own name and generic words left out) and
its capabilities (``level.capabilities``: 采集, 集成, 模型, 自动, 预测, 知识库 …,
weighted double, shown by any of their listed forms). A list closed by 等
(应用模型预测控制、多目标寻优等技术) names examples: any one of them covers the list.

A requirement is covered when one sentence of the passage that may carry
evidence (not the state before, not planned, not injected) holds enough of its
weighted terms (``level.requirement_share``); a generic "information system"
is shown by any system the system element found in that sentence. The level is
shown when enough requirements are covered (``level.covered_share``), every
artifact the level builds (建立…知识库, 形成…平台) is covered, and no clause of
the passage denies a requirement (尚未与其他系统共享). Each covered requirement
is quoted by its sentence, verbatim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.review.spans import Span, clauses, fold

_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def bigrams(text: str, stop: frozenset[str]) -> set[str]:
    """Character bigrams of the folded text's words, without function characters."""
    out: set[str] = set()
    for part in _NON_WORD.split(fold(text)):
        out |= {part[i : i + 2] for i in range(len(part) - 1) if not set(part[i : i + 2]) & stop}
    return out


@dataclass(frozen=True)
class LevelLexicon:
    """The word lists of the level element (``level`` in the lexicon file)."""

    stop: frozenset[str]
    generic: frozenset[str]
    purpose: tuple[str, ...]
    limits: tuple[str, ...]
    capabilities: Mapping[str, tuple[str, ...]]
    synonyms: Mapping[str, tuple[str, ...]]
    build: tuple[str, ...]
    artifacts: tuple[str, ...]
    any_system: tuple[str, ...]
    system_words: tuple[str, ...]
    many: tuple[str, ...]
    whole_scope: tuple[str, ...]
    partial_scope: tuple[str, ...]
    linking: tuple[str, ...]
    list_heads: tuple[str, ...]
    requirement_share: float
    covered_share: float


@dataclass(frozen=True)
class Slot:
    """One term of a requirement: shown by any of ``forms`` (several for an 等 list)."""

    forms: tuple[str, ...]
    weight: int
    parts: tuple[tuple[str, ...], ...] = ()
    """Per form, its shorter words other than the scenario's own (产品设计: 设计 is
    the scenario's, nothing is left): half of them show a form not written whole."""


@dataclass(frozen=True)
class Requirement:
    """A clause of a level description and the terms that show it."""

    text: str
    slots: tuple[Slot, ...]
    artifact: bool


@dataclass(frozen=True)
class Unit:
    """A sentence of the passage that may carry evidence: its kept (not negated)
    folded text, its denied clauses and whether it names a system."""

    span: Span
    folded: str
    denied: tuple[str, ...]
    has_system: bool
    systems: int = 0
    """How many different systems it names by acronym (MES, WMS …): two exchanging data are integrated."""


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    """A tokenizer of its own: the words added here do not change how other
    modules (the BM25 retriever) segment text."""
    from app.jieba_quiet import jieba_module

    jieba = jieba_module()
    jieba.setLogLevel(60)
    return jieba.Tokenizer()


_ADDED: set[str] = set()


def _words(text: str, lex: LevelLexicon) -> list[str]:
    """Content words of a folded clause: capabilities and artifact names kept whole."""
    jb = _jieba()
    for w in (*lex.capabilities, *lex.artifacts, *lex.any_system):
        if w not in _ADDED:
            jb.add_word(w)
            _ADDED.add(w)
    out: list[str] = []
    for word in jb.cut(text):
        for w in _split_capability(word.strip(), lex):
            if len(w) < 2 or not _NON_WORD.sub("", w) or w in lex.generic or all(c in lex.stop for c in w):
                continue
            out.append(w)
    return out


def _split_capability(word: str, lex: LevelLexicon) -> list[str]:
    """A word holding a capability is split around it (数据共享: 数据, 共享), so
    that the capability weighs as one."""
    if word in lex.capabilities:
        return [word]
    cap = max((k for k in lex.capabilities if k in word), key=len, default=None)
    if cap is None:
        return [word]
    before, _, after = word.partition(cap)
    return [*_split_capability(before, lex), cap, *_split_capability(after, lex)]


@functools.lru_cache(maxsize=2048)
def _subwords(word: str) -> tuple[str, ...]:
    jb = _jieba()
    return tuple(p for p in dict.fromkeys(jb.cut_for_search(word)) if len(p) >= 2 and p != word)


def _slot(forms: Sequence[str], weight: int, name_words: set[str], lex: LevelLexicon) -> Slot | None:
    """A slot of the forms that are the requirement's own: a capability always,
    another word unless it or all its shorter words are the scenario's name."""
    kept: list[str] = []
    parts: list[tuple[str, ...]] = []
    for w in dict.fromkeys(forms):
        subs = tuple(p for p in _subwords(w) if p not in name_words)
        if w in lex.capabilities or (w not in name_words and (subs or not _subwords(w))):
            kept.append(w)
            parts.append(subs)
    if not kept:
        return None
    caps = any(w in lex.capabilities for w in kept)
    return Slot(tuple(kept), max(weight, 2 if caps else 1), tuple(parts))


_EXAMPLES = re.compile(r"[(（]\s*如\s*([^()（）]+)[)）]")


def _slots(text: str, name_words: set[str], lex: LevelLexicon) -> list[Slot]:
    """The weighted terms of a requirement clause; the items of a list closed
    by 等 make one slot, shown by any of them, and so do words joined by 或;
    examples in brackets (控制系统(如 PLC)) show the term they follow."""
    m = _EXAMPLES.search(text)
    if m:
        before = _slots(text[: m.start()], name_words, lex)
        after = _slots(text[m.end() :], name_words, lex)
        examples = [w for item in re.split(r"[、和与及等]", m.group(1)) for w in _words(item, lex)]
        if before and examples:
            last = before.pop()
            merged = (*last.forms, *examples)
            before.append(Slot(merged, last.weight, (*last.parts, *(() for _ in examples))))
        return [*before, *after]
    out: list[Slot] = []
    listed, rest = "", text
    m = re.search(r"([^,，;；。]*?)等", text)
    if m and "、" in m.group(1):
        listed, rest = m.group(1), text[: m.start(1)] + text[m.end() :]
    if listed:
        items = [_words(item, lex) for item in re.split(r"[、和与及]", listed)]
        # 设计信息、生产信息、检验信息等: the items differ by 设计/生产/检验, not by their common head
        forms = [w for ws in items for w in ws if not (w in lex.list_heads and len(items) > 1)]
        if (listed_slot := _slot(forms, 2, name_words, lex)) is not None:
            out.append(listed_slot)
    seen: set[str] = set()
    for i, part in enumerate(rest.split("或")):
        first = True
        for w in dict.fromkeys(_words(part, lex)):
            slot = None if w in seen else _slot((w,), 1, name_words, lex)
            seen.add(w)
            if slot is None:
                continue
            if i and first and out:  # 组织或团队: one slot, shown by either
                last = out.pop()
                slot = Slot(
                    (*last.forms, *slot.forms), max(last.weight, slot.weight), (*last.parts, *slot.parts)
                )
            first = False
            out.append(slot)
    return out


def requirements(description: str, scenario_name: str, lex: LevelLexicon) -> list[Requirement]:
    """The requirements of a level description: its clauses (a clause ending in
    时 joins the next: 异常情况时，系统自动报警), less purposes and clauses with no
    term of their own."""
    name_words = set(_words(fold(scenario_name), lex))
    parts: list[str] = []
    carry = ""
    for c in clauses(description):
        f = c.folded.strip(" ,，;；。:：")
        if not f:
            continue
        if f.endswith("时"):
            carry += f + "，"
            continue
        parts.append(carry + f)
        carry = ""
    if carry:
        parts.append(carry)
    out: list[Requirement] = []
    for f in parts:
        opening = f.removeprefix("如").removeprefix("并")
        if (opening.startswith(lex.purpose) and not opening.startswith("以及")) or f.endswith(lex.limits):
            continue
        # a purpose inside the clause (…等技术不断提升检测能力) is no requirement either
        cut = min((i for p in lex.purpose if len(p) >= 2 and (i := f.find(p)) > 0), default=len(f))
        f = f[:cut]
        built = next((f[f.find(b) + len(b) :] for b in lex.build if b in f), None)
        artifact = (
            built is not None
            and any(a in built for a in lex.artifacts)
            and not any(s in built for s in lex.any_system)
        )
        # an artifact is named in full (设备运维管理平台): the scenario's words stay in its name
        slots = _slots(f, set() if artifact else name_words, lex)
        if not slots:
            continue
        out.append(Requirement(f, tuple(slots), artifact))
    return out


_LISTED_ITEMS = re.compile(r"[^、，,；;。和及与]+(?:、[^、，,；;。和及与]+)+[和及与、][^、，,；;。和及与]+")


def _shows(form: str, parts: tuple[str, ...], unit: Unit, lex: LevelLexicon, artifact: bool = False) -> bool:
    """Whether a unit shows a form: written whole or as one of the capability's
    forms or paraphrases (``level.synonyms``: 组织 by 小组), a generic information
    system by any named system (a generic 系统/平台 too, outside a requirement
    that builds one), "many kinds of" by a list of three items or more, a longer
    word by half its shorter words (标准库 by 标准件库)."""
    text = unit.folded
    if form in lex.any_system or (form in lex.system_words and not artifact and unit.has_system):
        return unit.has_system
    if form in lex.many and _LISTED_ITEMS.search(text):
        return True
    if form in lex.linking and unit.systems >= 2:
        return True
    if form in text or any(a in text for a in lex.capabilities.get(form, ())):
        return True
    if any(a in text for a in lex.synonyms.get(form, ())):
        return True
    return bool(parts) and sum(p in text for p in parts) * 2 >= len(parts)


def _slot_shown(slot: Slot, unit: Unit, lex: LevelLexicon, artifact: bool = False) -> bool:
    parts = slot.parts or tuple(() for _ in slot.forms)
    return any(_shows(f, p, unit, lex, artifact) for f, p in zip(slot.forms, parts, strict=True))


def _score(req: Requirement, unit: Unit, lex: LevelLexicon) -> float:
    total = sum(s.weight for s in req.slots)
    got = sum(s.weight for s in req.slots if _slot_shown(s, unit, lex, req.artifact))
    return got / total if total else 0.0


_COVERAGE = re.compile(r"覆盖率[^0-9%，,。；;]{0,6}?(\d+(?:\.\d+)?)%")


def _limited(units: Iterable[Unit], lex: LevelLexicon) -> bool:
    """Whether the passage limits its scope: 重点产品, 部分工序, 试点, a coverage below 100%."""
    for u in units:
        if any(w in u.folded for w in lex.partial_scope):
            return True
        if any(float(m.group(1)) < 100 for m in _COVERAGE.finditer(u.folded)):
            return True
    return False


def _denied(req: Requirement, units: Iterable[Unit], lex: LevelLexicon) -> bool:
    """A clause of the passage denies the requirement (尚未…共享): it shares a
    capability or an artifact of it, or half its terms; a requirement for all
    (全部产品) is denied by a passage that limits its scope (重点产品, 覆盖率65%)."""
    units = list(units)
    if any(w in req.text for w in lex.whole_scope) and _limited(units, lex):
        return True
    for u in units:
        for d in u.denied:
            probe = Unit(u.span, d, (), False)
            shown = [s for s in req.slots if _slot_shown(s, probe, lex)]
            if any(s.weight == 2 for s in shown) or (
                req.artifact and shown and len(shown) * 2 >= len(req.slots)
            ):
                return True
    return False


@dataclass(frozen=True)
class LevelFinding:
    """The outcome: shown or not, the quotes, and the requirements not covered."""

    shown: bool
    quotes: tuple[str, ...]
    missing: tuple[str, ...]


def review_level_text(
    description: str, scenario_name: str, units: Sequence[Unit], lex: LevelLexicon
) -> LevelFinding:
    """Whether ``units`` (the passage's evidence sentences) show the level ``description``."""
    reqs = requirements(description, scenario_name, lex)
    if not reqs:
        return LevelFinding(False, (), ())
    quotes: list[str] = []
    missing: list[str] = []
    artifacts_ok = True
    denied = False
    for req in reqs:
        best = max(units, key=lambda u: _score(req, u, lex), default=None)
        if best is not None and _score(req, best, lex) >= lex.requirement_share:
            quotes.append(best.span.text)
        else:
            missing.append(req.text)
            artifacts_ok = artifacts_ok and not req.artifact
        denied = denied or _denied(req, units, lex)
    covered = len(reqs) - len(missing)
    shown = covered / len(reqs) >= lex.covered_share and artifacts_ok and not denied
    return LevelFinding(shown, tuple(dict.fromkeys(quotes)) if shown else (), tuple(missing))
