"""A LangChain chat model over llama-cpp-python, in-process.

A thin :class:`BaseChatModel` over ``llama_cpp.Llama.create_chat_completion``
rather than langchain-community's ``ChatLlamaCpp``: it needs no other package
(langchain-community pulls in aiohttp, SQLAlchemy pins and dozens of
integrations), it works offline with the GGUF on disk, and it passes an
OpenAI-style ``response_format`` straight to llama.cpp, which turns a JSON
schema into a grammar so the model can only emit JSON of that shape.

llama.cpp contexts are not thread-safe: one lock serialises the calls.
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def _llama_response_format(fmt: dict[str, Any] | None) -> dict[str, Any] | None:
    """OpenAI's ``response_format`` in llama-cpp-python's terms: a JSON schema
    becomes ``{"type": "json_object", "schema": ...}`` (grammar-constrained)."""
    if not fmt:
        return None
    if fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema")
        return {"type": "json_object", "schema": schema} if schema else {"type": "json_object"}
    if fmt.get("type") == "json_object":
        return {"type": "json_object", **({"schema": fmt["schema"]} if "schema" in fmt else {})}
    return None


class LlamaCppChat(BaseChatModel):
    """Chat with a GGUF model through llama-cpp-python (loaded on first call)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 4096
    n_threads: int | None = None
    max_tokens: int = 768
    temperature: float = 0.0
    seed: int = 0

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "temperature": self.temperature}

    def load(self) -> Any:
        """The ``llama_cpp.Llama`` instance (loads the model file the first time)."""
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                seed=self.seed,
                verbose=False,
            )
        return self._llama

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        with self._lock:
            llama = self.load()
            out = llama.create_chat_completion(
                messages=chat,
                temperature=self.temperature,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                stop=stop,
                seed=self.seed,
                response_format=_llama_response_format(kwargs.get("response_format")),
            )
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata={"finish_reason": choice.get("finish_reason"), "model": self.model_path},
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
