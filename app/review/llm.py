"""The LLM reviewer: a chat model finds and quotes, the code verifies and decides.

The model answers in the prompt's JSON schema (``prompts/evidence_review.md``).
:class:`EvidenceAnswer` parses it with ``extra="forbid"``; its validator reads
the claim's text from ``ValidationInfo.context`` and drops every quote that
does not occur verbatim in the passages or is not of its element's type
(:func:`app.review.rules.quote_problem`), so no caller can forget the check.
A quote that matches the draft only after folding (simplified for traditional
characters, half-width for full-width) is replaced by the draft's own
characters, so every kept quote is verbatim. An element the model marks
present without a verified quote is dropped and noted. A reply that does not parse is sent back once (``repairs``) with the
error text; a model that is unreachable or keeps failing gives way to the
rules-only reviewer, and the review's notes say so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from app.llm.prompts import Prompt, fence_for, load_prompt
from app.llm.replies import errors_text, json_text
from app.review.rules import locate_quote, quote_problem, review_rules
from core.review import ELEMENT_LABELS, Claim, ClaimReview, ElementCheck, needed_elements, review_of

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

    from app.llm.providers import Provider
    from app.settings import Settings

PROVIDER_LABELS = {"local": "本地模型", "openai": "OpenAI 兼容接口", "fake": "测试模型"}
MAX_QUOTES = 3


class ElementAnswer(BaseModel):
    """One element as the model answers it; after validation ``quotes`` holds
    only the verified quotes and :attr:`dropped` says what was dropped and why."""

    model_config = ConfigDict(extra="forbid")
    present: bool
    quotes: list[str] = Field(default_factory=list)
    _dropped: list[str] = PrivateAttr(default_factory=list)

    @property
    def dropped(self) -> list[str]:
        """The quotes dropped by the checks, each with its reason."""
        return self._dropped


class EvidenceAnswer(BaseModel):
    """The model's answer for one claim (the prompt's output schema).

    Validate with ``context={"text": claim.text(), "level_text": ...,
    "needs_level": bool}``: the quotes are checked against that text."""

    model_config = ConfigDict(extra="forbid")
    system: ElementAnswer
    how: ElementAnswer
    result: ElementAnswer
    level: ElementAnswer | None = None

    @model_validator(mode="after")
    def _verify_quotes(self, info: ValidationInfo) -> EvidenceAnswer:
        ctx = info.context
        if not isinstance(ctx, dict) or not isinstance(ctx.get("text"), str):
            raise ValueError("EvidenceAnswer needs the claim's text in the validation context")
        if ctx.get("needs_level") and self.level is None:
            raise ValueError("报了等级，须填写 level")
        if not ctx.get("needs_level"):
            self.level = None
        for name, element in self.items():
            if not element.present:
                element.quotes = []
                continue
            kept: list[str] = []
            for quote in element.quotes:
                original = locate_quote(quote, ctx["text"]) or quote
                problem = quote_problem(name, original, ctx["text"], level_text=ctx.get("level_text"))
                if problem:
                    element._dropped.append(f"「{quote}」：{problem}")
                elif original not in kept:
                    kept.append(original)
            element.quotes = kept[:MAX_QUOTES]
        return self

    def items(self) -> list[tuple[str, ElementAnswer]]:
        """The answered elements by name (``level`` only when present)."""
        out = [("system", self.system), ("how", self.how), ("result", self.result)]
        return out + ([("level", self.level)] if self.level is not None else [])


def answer_context(claim: Claim) -> dict[str, Any]:
    """The validation context of an answer about ``claim``."""
    return {"text": claim.text(), "level_text": claim.level_text, "needs_level": bool(claim.level)}


class LLMReviewer:
    """Reviews a claim with a chat model; same :class:`ClaimReview` as the
    rules-only reviewer, ``method`` = the provider's name."""

    def __init__(
        self,
        provider: Provider,
        *,
        repairs: int = 1,
        prompt: Prompt | None = None,
        repair_prompt: Prompt | None = None,
        fallback: Callable[[Claim], ClaimReview] = review_rules,
    ) -> None:
        self.provider = provider
        self.method = provider.name
        self.concurrency = provider.concurrency
        self.repairs = repairs
        self.prompt = prompt or load_prompt("evidence_review")
        self.repair_prompt = repair_prompt or load_prompt("evidence_repair")
        self.fallback = fallback
        self._slots = threading.BoundedSemaphore(provider.concurrency)

    @property
    def label(self) -> str:
        """The provider in Chinese, with what runs."""
        return f"{PROVIDER_LABELS.get(self.method, self.method)}（{self.provider.label}）"

    def messages(self, claim: Claim) -> list[BaseMessage]:
        """The prompt for ``claim``: the fixed system part, then the claim with
        its passages fenced as data."""
        from langchain_core.messages import HumanMessage, SystemMessage

        text = claim.text()
        rendered = self.prompt.render(
            claim_title=claim.title if not claim.item_name else f"{claim.title}（{claim.item_name}）",
            definition=claim.definition or "",
            level=claim.level or "",
            level_text=claim.level_text or "",
            fence=fence_for(text),
            passage=text,
        )
        return [SystemMessage(rendered.system), HumanMessage(rendered.user)]

    def _response_format(self, claim: Claim) -> dict[str, Any] | None:
        """What to ask the API for: plain JSON, or JSON constrained to the
        prompt's output schema (``level`` required only for a level claim)."""
        mode = self.provider.structured
        if mode == "json_object":
            return {"type": "json_object"}
        if mode == "none":
            return None
        schema = dict(self.prompt.output_schema)
        if claim.level:
            schema["required"] = [*schema.get("required", []), "level"]
        else:
            schema["properties"] = {k: v for k, v in schema["properties"].items() if k != "level"}
        if mode == "json_object_schema":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_schema", "json_schema": {"name": "evidence", "schema": schema}}

    def _invoke(self, messages: list[BaseMessage], claim: Claim) -> str:
        fmt = self._response_format(claim)
        model = self.provider.model.bind(response_format=fmt) if fmt else self.provider.model
        with self._slots:
            reply = model.invoke(messages)
        return reply.text if hasattr(reply, "text") else str(reply)

    def _fallen_back(self, claim: Claim, why: str) -> ClaimReview:
        review = self.fallback(claim)
        note = f"{self.label}{why}，已改用仅规则审阅。"
        return review.model_copy(update={"notes": (*review.notes, note)})

    def review(self, claim: Claim) -> ClaimReview:
        """Review ``claim``: ask, parse (repairing at most ``repairs`` times),
        verify the quotes, compute the verdict in code; fall back to the rules
        with a note when the model fails."""
        if not claim.passages:
            return review_of(claim, {}, method=self.method)
        from langchain_core.messages import AIMessage, HumanMessage

        messages = self.messages(claim)
        answer: EvidenceAnswer | None = None
        last_error = ""
        for _attempt in range(1 + self.repairs):
            try:
                content = self._invoke(messages, claim)
            except Exception as exc:  # the model's SDK raises its own types; any failure falls back
                detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
                kind = type(exc).__name__
                hint = ""
                if self.method == "openai" and ("Connection" in kind or "Timeout" in kind):
                    hint = "：请确认服务在运行、SHENBAO_LLM__BASE_URL 正确"
                return self._fallen_back(claim, f"调用失败（{kind}{'：' + detail if detail else ''}）{hint}")
            try:
                answer = EvidenceAnswer.model_validate_json(json_text(content), context=answer_context(claim))
                break
            except ValidationError as exc:
                last_error = errors_text(exc)
                repair = self.repair_prompt.render(errors=last_error)
                messages = [*messages, AIMessage(content), HumanMessage(repair.user)]
        if answer is None:
            tries = 1 + self.repairs
            return self._fallen_back(claim, f"的输出 {tries} 次都不符合格式（{last_error.splitlines()[0]}）")
        return self._to_review(claim, answer)

    def _to_review(self, claim: Claim, answer: EvidenceAnswer) -> ClaimReview:
        elements: dict[str, ElementCheck] = {}
        notes: list[str] = []
        for name, element in answer.items():
            if name not in needed_elements(claim):
                continue
            verified = element.present and bool(element.quotes)
            elements[name] = ElementCheck(
                present=verified, quotes=tuple(element.quotes), dropped=tuple(element.dropped)
            )
            if element.present and not verified:
                notes.append(f"模型称有「{ELEMENT_LABELS[name]}」，但没有经核实的原文引文，按缺少处理。")
        dropped = sum(len(e.dropped) for e in elements.values())
        if dropped:
            notes.append(f"模型给出的 {dropped} 条引文未通过核对，已舍去（见各要素的 dropped）。")
        return review_of(claim, elements, method=self.method, notes=tuple(notes))


def build_reviewer(settings: Settings, name: str | None = None) -> LLMReviewer | None:
    """The LLM reviewer for provider ``name`` (default: the settings'),
    ``None`` for ``none``. Raises the provider's errors (:mod:`app.llm.errors`)."""
    from app.llm.providers import build_provider

    provider = build_provider(settings, name)
    if provider is None:
        return None
    return LLMReviewer(provider, repairs=settings.llm.repairs)
