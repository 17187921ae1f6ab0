"""Prompt files (``prompts/*.md``) and their renderer.

A prompt file is YAML front matter followed by a Jinja2 template in two parts,
``<!-- system -->`` and ``<!-- user -->``. The front matter declares the
variables the caller must pass (name: description), the output JSON schema and
typed few-shot examples; the renderer refuses a missing or an extra variable,
and a template that uses a variable it does not declare is refused on load.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
import jinja2.meta
import yaml

SYSTEM_MARK = "<!-- system -->"
USER_MARK = "<!-- user -->"
BUILTIN_VARIABLES = frozenset({"output_schema", "examples"})
"""Template variables filled from the front matter, not by the caller."""


class PromptError(ValueError):
    """A prompt file is malformed, or was rendered with the wrong variables."""


@dataclass(frozen=True)
class RenderedPrompt:
    """A rendered prompt: the system part and the user part."""

    system: str
    user: str


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True, trim_blocks=True
)
_ENV.filters["json"] = _json


@dataclass(frozen=True)
class Prompt:
    """A prompt file, parsed and checked."""

    name: str
    version: int
    variables: dict[str, str]
    output_schema: dict[str, Any]
    examples: tuple[dict[str, Any], ...]
    system_template: str
    user_template: str

    def render(self, **values: Any) -> RenderedPrompt:
        """Both parts rendered with ``values``, which must be exactly the
        declared variables (a missing or an extra one is a :class:`PromptError`)."""
        missing = sorted(set(self.variables) - set(values))
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            raise PromptError(
                f"提示词 {self.name}：缺少变量 {missing or '无'}，多出变量 {extra or '无'}"
                f"（声明的变量：{', '.join(self.variables)}）"
            )
        ctx = {"output_schema": self.output_schema, "examples": self.examples, **values}
        return RenderedPrompt(
            system=_ENV.from_string(self.system_template).render(ctx).strip(),
            user=_ENV.from_string(self.user_template).render(ctx).strip(),
        )


def parse_prompt(name: str, text: str) -> Prompt:
    """Parse a prompt file's text; raises :class:`PromptError` when the front
    matter or the two parts are missing, or the template uses an undeclared variable."""
    if not text.startswith("---\n"):
        raise PromptError(f"提示词 {name}：缺少开头的 YAML front matter")
    try:
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
    except (ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"提示词 {name}：front matter 无法解析（{exc}）") from exc
    if SYSTEM_MARK not in body or USER_MARK not in body:
        raise PromptError(f"提示词 {name}：正文须含 {SYSTEM_MARK} 和 {USER_MARK} 两部分")
    system, user = body.split(SYSTEM_MARK, 1)[1].split(USER_MARK, 1)
    variables = {str(k): str(v) for k, v in (meta.get("variables") or {}).items()}
    used = jinja2.meta.find_undeclared_variables(_ENV.parse(system + user))
    undeclared = sorted(used - set(variables) - BUILTIN_VARIABLES)
    if undeclared:
        raise PromptError(f"提示词 {name}：模板用到了未声明的变量 {undeclared}")
    unused = sorted(set(variables) - used)
    if unused:
        raise PromptError(f"提示词 {name}：声明了却没有用到的变量 {unused}")
    return Prompt(
        name=name,
        version=int(meta.get("version", 1)),
        variables=variables,
        output_schema=dict(meta.get("output_schema") or {}),
        examples=tuple(meta.get("examples") or ()),
        system_template=system,
        user_template=user,
    )


@functools.lru_cache(maxsize=16)
def load_prompt(name: str) -> Prompt:
    """The prompt file ``prompts/<name>.md`` (parsed once per process)."""
    try:
        text = resources.files("prompts").joinpath(f"{name}.md").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"没有提示词文件 prompts/{name}.md") from exc
    return parse_prompt(name, text)


def fence_for(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so that the
    text cannot close it early (as Markdown does)."""
    longest = run = 0
    for c in text:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)
