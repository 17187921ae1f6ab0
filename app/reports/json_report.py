"""The JSON report: the public contract of ``shenbao check --format json``."""

from __future__ import annotations

import json
from typing import Any

from app.checking import BatchResult, Entry
from app.safe_text import json_escape_invisible, map_model_text


def entry_json(entry: Entry) -> dict[str, Any]:
    """One draft as a JSON object: the report, or {file, programme, error}.
    Text UTF-8 cannot encode (lone surrogates) is replaced (see
    :func:`app.safe_text.unicode_safe`)."""
    return map_model_text(entry).model_dump(mode="json")


def render_json(result: BatchResult) -> str:
    """One object for a single draft, an array for a batch (folder or several paths).
    Control and bidi characters are ``\\uXXXX`` escapes, so the text is safe on a terminal."""
    items = [entry_json(e) for e in result.entries]
    data: Any = items if result.is_batch or len(items) != 1 else items[0]
    return json_escape_invisible(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
