"""Fake chat models for the LLM tests: queued replies that record the prompts
they were given, and a model that cannot be reached. Never a real call."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult

from app.llm.providers import Provider
from app.review.llm import LLMReviewer


class RecordingFake(FakeListChatModel):
    """LangChain's FakeListChatModel that keeps every prompt and call kwargs it got."""

    seen: list[list[BaseMessage]] = []
    kwargs: list[dict[str, Any]] = []

    def _call(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        self.seen.append(list(messages))
        self.kwargs.append(dict(kwargs))
        return super()._call(messages, stop, run_manager, **kwargs)


class Unreachable(BaseChatModel):
    """A model whose server refuses every connection."""

    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "unreachable"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls += 1
        raise ConnectionError("[Errno 111] Connection refused")


def answer(
    system: list[str] | None = None,
    how: list[str] | None = None,
    result: list[str] | None = None,
    **more: Any,
) -> str:
    """A model reply: each element present iff it is given quotes (or an explicit dict)."""

    def el(q: list[str] | None) -> dict[str, Any]:
        return {"present": bool(q), "quotes": q or []}

    return json.dumps(
        {"system": el(system), "how": el(how), "result": el(result), **more}, ensure_ascii=False
    )


def reviewer(
    *replies: str, repairs: int = 1, structured: str = "json_object"
) -> tuple[LLMReviewer, RecordingFake]:
    model = RecordingFake(responses=list(replies), seen=[], kwargs=[])
    provider = Provider("fake", model, label="fake", structured=structured)  # type: ignore[arg-type]
    return LLMReviewer(provider, repairs=repairs), model
