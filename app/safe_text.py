"""Text from outside (file names, draft text) made safe for where it goes.

Two hazards reach the reports, the review store and the terminal:

* **Text that is not Unicode**: a file name whose bytes are not UTF-8 (GBK
  names left by ``unzip`` of a Windows zip) comes back from the file system
  with surrogate escapes (``os.fsdecode`` gives ``'\\udcc9'``), and a JSON
  draft may hold a lone surrogate (``"\\ud800"``). Neither can be encoded as
  UTF-8, so writing them to a file or a database fails.
* **Invisible characters that act**: ANSI escape sequences and BEL drive the
  terminal, bidi overrides (U+202E) make ``rtl\\u202egpj.html`` display as
  ``rtllmth.jpg``.

:func:`unicode_safe` replaces only what cannot be encoded;
:func:`visible` also shows control and bidi characters as escapes
(``\\x1b``, ``\\u202e``) so that what the user sees is what is there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_SURROGATE = re.compile("[\ud800-\udfff]")
_C0 = "\x00-\x1f"
_C1 = "\x7f-\x9f"
_FORMAT = "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff"
"""Zero-width, direction and line/paragraph separator characters: invisible,
and the bidi ones reorder what is displayed around them."""
_UNSAFE_CHARS = f"{_C0}{_C1}{_FORMAT}\ud800-\udfff"
_JSON_RAW = re.compile(f"[{_C1}{_FORMAT}]")
UNSAFE_CHAR_CLASS = f"[{_UNSAFE_CHARS}]"
"""A regex character class of everything :func:`visible` escapes (for callers
that replace these characters rather than show them, e.g. file names)."""
_UNSAFE = re.compile(UNSAFE_CHAR_CLASS)


def _surrogate(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, escaped by os.fsdecode
        return f"\\x{code - 0xDC00:02x}"
    return "\ufffd"


def unicode_safe(text: str) -> str:
    """``text`` with what UTF-8 cannot encode replaced: a surrogate-escaped
    byte (``'\\udcc9'``) becomes ``\\xc9``, any other lone surrogate U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: _surrogate(m.group()), text)


def map_text(value: Any, fn: Callable[[str], str]) -> Any:
    """Data (dicts, lists, tuples, strings, scalars) with ``fn`` applied to
    every string, dict keys included; lists and tuples become lists."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {map_text(k, fn): map_text(v, fn) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [map_text(v, fn) for v in value]
    return value


def unicode_safe_data(value: Any) -> Any:
    """Data with every string, keys included, passed through :func:`unicode_safe`."""
    return map_text(value, unicode_safe)


def map_model_text(model: M, fn: Callable[[str], str] = unicode_safe) -> M:
    """``model`` itself when ``fn`` changes none of its strings, else a copy
    (validated again) with ``fn`` applied to every string in it. Needed before
    ``model_dump(mode="json")``, which fails on or mangles surrogates in dict keys.
    Raises pydantic's ``ValidationError`` if the changed data no longer validates."""
    raw = model.model_dump()
    clean = map_text(raw, fn)
    return model if clean == raw else type(model).model_validate(clean)


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return _surrogate(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "\n\t") -> str:
    """``text`` safe to show: control characters (C0 but ``keep``, DEL, C1),
    zero-width and bidi characters written as escapes (``\\x1b``,
    ``\\u202e``), surrogates as in :func:`unicode_safe`."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def json_escape_invisible(json_text: str) -> str:
    """JSON text with the control, zero-width and bidi characters that
    ``json.dumps(..., ensure_ascii=False)`` leaves raw written as ``\\uXXXX``
    escapes: the same JSON value, but nothing in it acts on a terminal.
    (Outside strings JSON text is ASCII, so every such character is inside a
    string, where the escape is valid.)"""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def has_undecodable_bytes(text: str) -> bool:
    """Whether ``text`` holds surrogates (a file name that was not UTF-8)."""
    return bool(_SURROGATE.search(text))


def guess_gbk(name: str) -> str | None:
    """The name a surrogate-escaped file name has when its bytes are read as
    GBK (what Windows writes into zips), or ``None`` when they are not GBK."""
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return None
    try:
        guess = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    return guess if not _UNSAFE.search(guess) else None
