"""Errors of the LLM layer, each with a message a user can act on (in Chinese).

Two families: :class:`LLMConfigError` (the settings are wrong: fix them and
try again; the CLI exits 2) and :class:`LLMUnavailableError` (the model
cannot be used right now: not installed, not assembled, unreachable; the
evidence review falls back to rules-only and says so).
"""

from __future__ import annotations


class LLMError(Exception):
    """Any error of the LLM layer; ``str(exc)`` is the user-facing message."""


class LLMConfigError(LLMError):
    """The LLM settings are invalid (unknown provider, missing base URL or model)."""


class UnknownProviderError(LLMConfigError):
    """A provider name that is not registered; the message lists the valid names."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"未知的大模型提供方「{name}」。可用：{'、'.join(valid)}")
        self.name = name
        self.valid = valid


class LLMUnavailableError(LLMError):
    """The model cannot be used now; the review falls back to rules-only."""


class ProviderNotInstalledError(LLMUnavailableError):
    """The provider's package is not installed."""


class ModelFileError(LLMUnavailableError):
    """The local model's file is missing, or its parts are, or its hash is wrong."""
