"""Chat-model providers behind one factory, chosen by settings.

A registry maps each name (``none``, ``local``, ``openai``, ``fake``) to a
factory ``(Settings) -> Provider | None``; an unknown name is an
:class:`UnknownProviderError` that lists the valid ones, and registering a
name twice is refused. Each factory imports its SDK only when called, so
importing this module costs nothing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.llm.errors import LLMConfigError, ModelFileError, ProviderNotInstalledError, UnknownProviderError
from app.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

StructuredMode = Literal["json_schema", "json_object_schema", "json_object", "none"]


@dataclass(frozen=True)
class Provider:
    """A built chat model and how to ask it for structured output."""

    name: str
    model: BaseChatModel
    label: str
    """What runs, for notes and reports (model name or file)."""
    structured: StructuredMode = "json_object"
    concurrency: int = 1
    """How many requests may run at once (1 for the in-process model)."""


Factory = Callable[[Settings], "Provider | None"]
_REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Register a provider factory under ``name`` (a second one is refused)."""

    def deco(factory: Factory) -> Factory:
        if name in _REGISTRY:
            raise ValueError(f"provider {name!r} is already registered")
        _REGISTRY[name] = factory
        return factory

    return deco


def provider_names() -> list[str]:
    """The registered provider names."""
    return list(_REGISTRY)


def build_provider(settings: Settings, name: str | None = None) -> Provider | None:
    """The provider ``name`` (default: ``settings.llm.provider``) built from
    the settings; ``None`` for ``none`` (rules-only).

    Raises :class:`UnknownProviderError` for a name not registered,
    :class:`LLMConfigError` for settings it cannot work with, and
    :class:`app.llm.errors.LLMUnavailableError` when the model cannot be used
    here (package not installed, model file missing or corrupt)."""
    key = name or settings.llm.provider
    factory = _REGISTRY.get(key)
    if factory is None:
        raise UnknownProviderError(key, provider_names())
    return factory(settings)


@register("none")
def _none(settings: Settings) -> Provider | None:
    return None


@register("fake")
def _fake(settings: Settings) -> Provider:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    replies = settings.llm.fake_replies or ["{}"]
    return Provider("fake", FakeListChatModel(responses=replies), label="fake")


@register("openai")
def _openai(settings: Settings) -> Provider:
    llm = settings.llm
    if importlib.util.find_spec("langchain_openai") is None:
        raise ProviderNotInstalledError(
            "使用 OpenAI 兼容接口需要 langchain-openai：pip install 'shenbao[llm]'（或 make llm）。"
        )
    if not llm.base_url:
        raise LLMConfigError(
            "provider=openai 需要接口地址：设置 SHENBAO_LLM__BASE_URL（如 http://127.0.0.1:8000/v1）。"
        )
    if not llm.model:
        raise LLMConfigError("provider=openai 需要模型名：设置 SHENBAO_LLM__MODEL（如 deepseek-chat）。")
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    model = ChatOpenAI(
        model=llm.model,
        base_url=llm.base_url,
        # local servers need no key, but the client insists on one
        api_key=llm.api_key or SecretStr("not-needed"),
        timeout=llm.timeout,
        max_retries=llm.max_retries,
        temperature=llm.temperature,
        max_completion_tokens=llm.max_tokens,
    )
    return Provider(
        "openai",
        model,
        label=f"{llm.model} @ {llm.base_url}",
        structured=llm.response_format,
        concurrency=llm.concurrency,
    )


@register("local")
def _local(settings: Settings) -> Provider:
    llm = settings.llm
    if importlib.util.find_spec("llama_cpp") is None:
        raise ProviderNotInstalledError(
            "本地模型需要 llama-cpp-python：运行 make llm 安装（从源码编译，2 核约 10 分钟）；"
            "未安装时证据审阅只用规则。"
        )
    from app.llm.model_files import MODELS, assemble

    if llm.model_path is not None:
        if not llm.model_path.is_file():
            raise ModelFileError(f"本地模型文件不存在：{llm.model_path}（SHENBAO_LLM__MODEL_PATH）。")
        path = llm.model_path
        label = path.name
    else:
        spec = MODELS[llm.local_model]
        path = assemble(spec, settings.data_dir)
        label = spec.title
    from app.llm.local import LlamaCppChat

    model = LlamaCppChat(
        model_path=str(path),
        n_ctx=llm.n_ctx,
        n_threads=llm.n_threads,
        max_tokens=llm.max_tokens,
        temperature=llm.temperature,
    )
    return Provider("local", model, label=label, structured="json_schema", concurrency=1)
