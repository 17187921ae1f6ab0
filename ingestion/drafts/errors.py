"""The one error type the draft readers raise for unusable input."""

from __future__ import annotations


class DraftError(ValueError):
    """A draft file cannot be read. ``str(err)`` is one clear Chinese message
    saying what is wrong and what to do; ``code`` is a stable ASCII slug for
    programs (``too_large``, ``encrypted``, ``legacy_doc``, ``zip_bomb`` ...)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
