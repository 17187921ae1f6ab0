"""Reading a chat model's reply: the JSON in it, and validation errors as text to send back."""

from __future__ import annotations

import re

from pydantic import ValidationError


def json_text(content: str) -> str:
    """The JSON object in a reply (code fences and chatter around it removed)."""
    m = re.search(r"```(?:json)?\s*(.*?)```", content, re.DOTALL)
    if m:
        content = m.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content.strip()


def errors_text(exc: ValidationError) -> str:
    """The first eight validation errors, one ``- path: message`` line each (for a repair prompt)."""
    lines = []
    for err in exc.errors(include_url=False)[:8]:
        loc = ".".join(str(x) for x in err["loc"]) or "(整体)"
        lines.append(f"- {loc}: {err['msg']}")
    return "\n".join(lines)
