"""The model drafter: a chat model writes each column, the code holds the
guarantees on every generation.

The model answers in the prompt's JSON (``prompts/scenario_drafting.md``): per
column the ids of the facts it used and the text. A reply that does not parse
is sent back (``repairs`` times) with the errors. Then every column is checked
in code (:mod:`app.drafting.guarantees`): every number in it occurs in the
facts after unit normalisation, it names no company, product or supplier the
facts do not hold, its text is traceable to facts, and a required column the
facts can fill is not left empty. A column that fails is regenerated alone
with the reasons (``regenerations`` times), then replaced by the rules-only
column with a note. A column over its 字数 limit (Word's count, as the checker
counts) is sent to the shorten prompt with an explicit target
(``shortened``); still too long, it is cut at a sentence boundary (``cut``).
A model that is unreachable or never answers in the schema raises
:class:`DraftModelError`; the service then drafts the row rules-only and says so.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from app.drafting.guarantees import fit_to_limit, grounded_facts, names_not_in, numbers_not_in
from app.llm.prompts import Prompt, fence_for, load_prompt
from app.llm.replies import errors_text, json_text
from core.drafting import DraftColumn, Fact, Fit
from core.spec import ColumnRole
from core.text import count_zishu

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

    from app.llm.providers import Provider

PROVIDER_LABELS = {"local": "本地模型", "openai": "OpenAI 兼容接口", "fake": "测试模型"}
ROLE_GUIDE: dict[str, str] = {
    "describe": "对什么对象（产品、工序、产线、车间）做了什么改造，结合要素条件概括",
    "problem": "改造前存在的问题和困难（不要从成果反推）",
    "solution": "部署的系统、装备、技术，怎样工作，由谁实施（供应商）",
    "support": "本场景的人员、组织、管理机制、标准、培训等保障",
    "result": "本场景已经实现的效果，最好用材料中的数字；不写企业背景、地区或行业平均值、预计值、全厂整体结果",
    "other": "对其他车间、工厂的带动和推广，全厂层面的效应",
    "all": "按“部署了什么系统、怎样工作、取得了什么成效”的顺序概括",
    "overview": "申报书的一节（不是场景表的一栏）：按“项目是什么（对象、规模）、建了什么（网络、平台、系统、装备）、"
    "怎样运行、取得了什么成效”的顺序概括整个项目；数字只用材料中的",
    "profile": "申报书的一节（不是场景表的一栏）：企业简介，按“企业是什么（成立、性质、发展历程）、主营业务和产品、"
    "规模（人员、资产、营业收入等，只用材料中的数字）、市场销售、荣誉资质”的顺序概括；不写本项目的成效，不编造荣誉",
}
SHORTEN_MARGIN = 0.9
"""The shorten prompt's target is this share of the limit: models overshoot a
target, and the code recounts anyway."""


class DraftModelError(Exception):
    """The model could not draft (unreachable, failing, or never in the schema);
    ``str`` is the Chinese reason."""


class ColumnAnswer(BaseModel):
    """One column as the model answers it: the facts it used, then its text."""

    model_config = ConfigDict(extra="forbid")
    facts: list[str] = Field(default_factory=list)
    text: str = ""


@dataclass(frozen=True)
class ColumnBrief:
    """What the model is told about one column."""

    key: str
    title: str
    limit: int | None
    required: bool
    role: ColumnRole

    def line(self) -> str:
        """The column as one line of the prompt."""
        limit = f"{self.limit} 字以内" if self.limit is not None else "不限字数（宜在 300 字以内）"
        need = "必填" if self.required else "选填"
        return f"- {self.key}：{self.title}；{limit}；写{ROLE_GUIDE[self.role]}；{need}"


@dataclass(frozen=True)
class RowBrief:
    """Everything a row is drafted from: the programme, the scenario and its
    definition, the 环节 and its 建设要点 (cited by the row), the columns, the
    facts given to the model and the rules-only columns to fall back on."""

    programme: str
    scenario: str
    definition: str
    link: str
    link_points: str
    columns: tuple[ColumnBrief, ...]
    facts: tuple[Fact, ...]
    fallback: Mapping[str, DraftColumn]

    @property
    def facts_text(self) -> str:
        """The facts the numbers and names are checked against."""
        return "\n".join(f.text for f in self.facts)

    def column(self, key: str) -> ColumnBrief:
        """The brief of column ``key``."""
        return next(c for c in self.columns if c.key == key)


@dataclass
class DraftStats:
    """Model calls made by a drafter and the seconds spent waiting for them
    (the rest of a row's time is validation and bookkeeping)."""

    calls: int = 0
    generation_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, seconds: float) -> None:
        """Count one call of ``seconds``."""
        with self._lock:
            self.calls += 1
            self.generation_seconds += seconds


@dataclass(frozen=True)
class ModelDraft:
    """The columns a model drafted (each checked), and the row's notes."""

    columns: tuple[DraftColumn, ...]
    notes: tuple[str, ...] = ()


def _clean(text: str) -> str:
    """A column's text on one line: blanks at the ends and line breaks dropped."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def background_numbers(text: str, facts: Sequence[Fact]) -> list[str]:
    """The numbers of ``text`` that only background facts hold (company size,
    revenue, investment, headcount: the facts the rules-only drafter puts in no
    column), so no results column may carry them."""
    from app.drafting.rules import classify
    from app.review.rules import load_lexicon
    from core.numbers import find_numbers, to_halfwidth

    lexicon = load_lexicon()
    out: list[str] = []
    for raw in dict.fromkeys(find_numbers(text)):
        sources = [
            f for f in facts if re.search(rf"(?<![\d.]){re.escape(raw)}(?![\d])", to_halfwidth(f.text))
        ]
        if sources and all(classify(f, lexicon) is None for f in sources):
            out.append(raw)
    return out


def _facts_block(facts: Sequence[Fact]) -> str:
    return "\n".join(f"{f.id}：{f.text}" for f in facts)


class LLMDrafter:
    """Drafts the columns of a row with a chat model, every generation checked in code."""

    def __init__(
        self,
        provider: Provider,
        *,
        repairs: int = 1,
        regenerations: int = 1,
        shortenings: int = 1,
        max_tokens: int = 768,
        prompt: Prompt | None = None,
        shorten_prompt: Prompt | None = None,
        repair_prompt: Prompt | None = None,
    ) -> None:
        self.provider = provider
        self.repairs = repairs
        self.regenerations = regenerations
        self.shortenings = shortenings
        self.max_tokens = max_tokens
        self.prompt = prompt or load_prompt("scenario_drafting")
        self.shorten_prompt = shorten_prompt or load_prompt("drafting_shorten")
        self.repair_prompt = repair_prompt or load_prompt("drafting_repair")
        self.stats = DraftStats()

    @property
    def label(self) -> str:
        """The provider in Chinese, with what runs."""
        return f"{PROVIDER_LABELS.get(self.provider.name, self.provider.name)}（{self.provider.label}）"

    # --- prompts ---------------------------------------------------------------------------

    def messages(
        self, brief: RowBrief, columns: Sequence[ColumnBrief], feedback: str = ""
    ) -> list[BaseMessage]:
        """The drafting prompt for ``columns`` of ``brief`` (the facts fenced as data)."""
        from langchain_core.messages import HumanMessage, SystemMessage

        facts = _facts_block(brief.facts)
        rendered = self.prompt.render(
            programme=brief.programme,
            scenario=brief.scenario,
            definition=brief.definition,
            link=brief.link,
            link_points=brief.link_points,
            columns="\n".join(c.line() for c in columns),
            keys="、".join(c.key for c in columns),
            feedback=feedback,
            fence=fence_for(facts),
            facts=facts,
        )
        return [SystemMessage(rendered.system), HumanMessage(rendered.user)]

    def _schema(self, keys: Sequence[str]) -> dict[str, Any]:
        column = self.prompt.output_schema["$defs"]["column"]
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(keys),
            "properties": {k: column for k in keys},
        }

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        mode = self.provider.structured
        if mode == "json_object":
            return {"type": "json_object"}
        if mode == "none":
            return None
        if mode == "json_object_schema":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_schema", "json_schema": {"name": "draft", "schema": schema}}

    def _invoke(self, messages: list[BaseMessage], schema: dict[str, Any], budget: int) -> str:
        kwargs: dict[str, Any] = {}
        fmt = self._response_format(schema)
        if fmt:
            kwargs["response_format"] = fmt
        tokens = max(self.max_tokens, budget)
        if self.provider.name == "local":
            kwargs["max_tokens"] = tokens
        elif self.provider.name == "openai":
            kwargs["max_completion_tokens"] = tokens
        model = self.provider.model.bind(**kwargs) if kwargs else self.provider.model
        started = time.perf_counter()
        try:
            reply = model.invoke(messages)
        except Exception as exc:  # the SDKs raise their own types; any failure is the model's
            detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
            kind = type(exc).__name__
            hint = ""
            if self.provider.name == "openai" and ("Connection" in kind or "Timeout" in kind):
                hint = "：请确认服务在运行、SHENBAO_LLM__BASE_URL 正确"
            raise DraftModelError(f"调用失败（{kind}{'：' + detail if detail else ''}）{hint}") from exc
        finally:
            self.stats.add(time.perf_counter() - started)
        return reply.text if hasattr(reply, "text") else str(reply)

    def _ask(
        self,
        messages: list[BaseMessage],
        parse: type[BaseModel],
        schema: dict[str, Any],
        shape: str,
        budget: int,
    ) -> BaseModel:
        """Ask, parse into ``parse``; a reply that does not parse is sent back
        with its errors at most ``repairs`` times, then :class:`DraftModelError`."""
        from langchain_core.messages import AIMessage, HumanMessage

        last = ""
        for _attempt in range(1 + self.repairs):
            content = self._invoke(messages, schema, budget)
            try:
                return parse.model_validate_json(json_text(content))
            except ValidationError as exc:
                last = errors_text(exc)
                repair = self.repair_prompt.render(errors=last, shape=shape)
                messages = [*messages, AIMessage(content), HumanMessage(repair.user)]
        first = last.splitlines()[0] if last else ""
        raise DraftModelError(f"的输出 {1 + self.repairs} 次都不符合格式（{first}）")

    def _ask_columns(
        self, brief: RowBrief, columns: Sequence[ColumnBrief], feedback: str = ""
    ) -> dict[str, ColumnAnswer]:
        keys = [c.key for c in columns]
        fields: dict[str, Any] = {k: (ColumnAnswer, ...) for k in keys}
        row_model = create_model("RowAnswer", __config__=ConfigDict(extra="forbid"), **fields)
        shape = "{" + ", ".join(f'"{k}": {{"facts": ["F1"], "text": "……"}}' for k in keys) + "}"
        budget = sum(int((c.limit or 300) * 1.3) + 40 for c in columns) + 40
        answer = self._ask(
            self.messages(brief, columns, feedback), row_model, self._schema(keys), shape, budget
        )
        return {k: getattr(answer, k) for k in keys}

    def _ask_shorten(self, brief: RowBrief, col: ColumnBrief, text: str, target: int) -> ColumnAnswer:
        """The shorten prompt's user part after the drafting prompt's system
        part (one evaluated prefix for every call), answered like a one-column draft."""
        from langchain_core.messages import HumanMessage, SystemMessage

        assert col.limit is not None
        facts = _facts_block(brief.facts)
        rendered = self.shorten_prompt.render(
            key=col.key,
            title=col.title,
            limit=col.limit,
            count=count_zishu(text),
            target=target,
            fence=fence_for(facts + text),
            text=text,
            facts=facts,
        )
        system = self.messages(brief, (col,))[0]
        assert isinstance(system, SystemMessage)
        messages: list[BaseMessage] = [system, HumanMessage(rendered.user)]
        fields: dict[str, Any] = {col.key: (ColumnAnswer, ...)}
        row_model = create_model("ShortAnswer", __config__=ConfigDict(extra="forbid"), **fields)
        shape = f'{{"{col.key}": {{"facts": ["F1"], "text": "……"}}}}'
        answer = self._ask(messages, row_model, self._schema([col.key]), shape, int(col.limit * 1.3) + 60)
        result = getattr(answer, col.key)
        assert isinstance(result, ColumnAnswer)
        return result

    # --- the guarantees ----------------------------------------------------------------------

    def problems(self, brief: RowBrief, col: ColumnBrief, text: str, cited: Sequence[str] = ()) -> list[str]:
        """Why a column's text cannot stand (empty when it can): numbers or names
        the facts do not hold, text traced to no fact, or a required column left
        empty although the facts fill it (the rules-only column is not empty)."""
        out: list[str] = []
        if not text:
            fallback = brief.fallback.get(col.key)
            if col.required and fallback is not None and fallback.text:
                ids = "、".join(fallback.facts_used)
                out.append(f"「{col.title}」是必填栏，材料中有它的内容（{ids}），不应留空")
            return out
        _, numbers = numbers_not_in(text, brief.facts_text)
        if numbers:
            out.append(f"写了材料中没有的数字：{'、'.join(numbers)}")
        from app.review.rules import load_lexicon

        names = names_not_in(text, brief.facts_text, frozenset(load_lexicon().acronyms))
        if names:
            out.append(f"写了材料中没有的名称：{'、'.join(names)}")
        if not grounded_facts(text, brief.facts, cited):
            out.append("这一栏的文字在材料中找不到出处（每句话都要来自材料）")
        if col.role == "result":
            background = background_numbers(text, brief.facts)
            if background:
                out.append(
                    f"把企业背景数字写进了实施成果：{'、'.join(background)}"
                    "（营收、投资、人数等不是本场景的成果）"
                )
        return out

    def _fallback(self, brief: RowBrief, col: ColumnBrief, why: Sequence[str]) -> DraftColumn:
        rules = brief.fallback[col.key]
        kept = "本栏改用仅规则起草（摘取材料原句）" if rules.text else "本栏留空（材料中没有可摘取的原句）"
        note = f"{self.label}所写未通过核对（{'；'.join(why)}），{kept}。"
        return rules.model_copy(update={"note": f"{note}{rules.note or ''}"})

    def settle(self, brief: RowBrief, key: str, answer: ColumnAnswer) -> DraftColumn:
        """One column from the model's answer, with every guarantee held:
        regenerated alone while it fails (bounded), else the rules-only column;
        then fitted to its limit (shortened by the model, else cut)."""
        col = brief.column(key)
        text, cited = _clean(answer.text), list(answer.facts)
        regenerated = 0
        while problems := self.problems(brief, col, text, cited):
            if regenerated >= self.regenerations:
                return self._fallback(brief, col, problems)
            regenerated += 1
            feedback = "\n".join(f"- {col.key}（{col.title}）：{p}" for p in problems)
            try:
                again = self._ask_columns(brief, (col,), feedback)[col.key]
            except DraftModelError as exc:
                return self._fallback(brief, col, [*problems, f"重写时{self.label}{exc}"])
            text, cited = _clean(again.text), list(again.facts)
        note = f"{self.label}初稿未通过核对，已重写 {regenerated} 次。" if regenerated else None
        if not text:
            empty = (
                "材料中没有这一栏的内容，请补充后再写（未编造）。"
                if col.required
                else "选填，材料中没有相关内容。"
            )
            return self._column(col, "", "empty", (), note=empty)
        return self._fit(brief, col, text, cited, note)

    def _fit(
        self, brief: RowBrief, col: ColumnBrief, text: str, cited: list[str], note: str | None
    ) -> DraftColumn:
        notes = [note] if note else []
        if col.limit is None or count_zishu(text) <= col.limit:
            return self._column(col, text, "as-written", grounded_facts(text, brief.facts, cited), notes)
        written = count_zishu(text)
        target = max(1, int(col.limit * SHORTEN_MARGIN))
        best, best_cited = text, cited
        for _ in range(self.shortenings):
            try:
                short = self._ask_shorten(brief, col, best, target)
            except DraftModelError as exc:
                notes.append(f"压缩时{self.label}{exc}。")
                break
            s_text = _clean(short.text)
            why = self.problems(brief, col, s_text, short.facts) if s_text else ["压缩后为空"]
            if why:
                notes.append(f"模型的压缩稿未采用（{'；'.join(why)}）。")
                continue
            if count_zishu(s_text) <= col.limit:
                notes.append(
                    f"初稿 {written} 字，超出上限 {col.limit} 字，已由模型压缩（目标 {target} 字）。"
                )
                used = grounded_facts(s_text, brief.facts, short.facts)
                return self._column(col, s_text, "shortened", used, notes)
            if count_zishu(s_text) < count_zishu(best):
                best, best_cited = s_text, list(short.facts)
        cut, _ = fit_to_limit(best, col.limit)
        if not cut or self.problems(brief, col, cut, best_cited):
            return self._fallback(brief, col, [f"超出上限 {col.limit} 字，截断后不可用"])
        notes.append(f"压缩后仍超出上限 {col.limit} 字，已在句末截断。")
        return self._column(col, cut, "cut", grounded_facts(cut, brief.facts, best_cited), notes)

    @staticmethod
    def _column(
        col: ColumnBrief, text: str, fit: Fit, used: Sequence[str], note: str | Sequence[str] | None = None
    ) -> DraftColumn:
        notes = [note] if isinstance(note, str) else list(note or [])
        return DraftColumn(
            key=col.key,
            title=col.title,
            text=text,
            limit=col.limit,
            count=count_zishu(text),
            fit=fit,
            facts_used=tuple(used),
            note="".join(notes) or None,
        )

    # --- rows and columns --------------------------------------------------------------------

    def draft(self, brief: RowBrief) -> ModelDraft:
        """Every column of ``brief``; :class:`DraftModelError` when the model
        cannot draft at all (the service falls back to the rules)."""
        answers = self._ask_columns(brief, brief.columns)
        columns = tuple(self.settle(brief, c.key, answers[c.key]) for c in brief.columns)
        return ModelDraft(
            columns=columns, notes=(f"由{self.label}起草；各栏字数、数字、名称和出处已由程序逐栏核对。",)
        )

    def redraft(self, brief: RowBrief, key: str, previous: str = "") -> DraftColumn:
        """Column ``key`` drafted again alone (the writer asked for another
        version), with the same guarantees; the rules-only column with a note
        when the model fails."""
        col = brief.column(key)
        feedback = f"- {col.key}（{col.title}）：撰写人要求换一种写法重写这一栏"
        if previous:
            feedback += f"（上一稿：{previous}）"
        try:
            answer = self._ask_columns(brief, (col,), feedback)[key]
        except DraftModelError as exc:
            return self._fallback(brief, col, [f"重写时{self.label}{exc}"])
        return self.settle(brief, key, answer)


def build_drafter(settings: Any, name: str | None = None) -> LLMDrafter | None:
    """The model drafter for provider ``name`` (default: the settings'),
    ``None`` for ``none``. Raises the provider's errors (:mod:`app.llm.errors`)."""
    from app.llm.providers import build_provider

    provider = build_provider(settings, name)
    if provider is None:
        return None
    return LLMDrafter(provider, repairs=settings.llm.repairs, max_tokens=settings.llm.max_tokens)
