"""Drafts written as JSON or YAML with the :class:`Draft` schema (eval data,
hand-made drafts). Errors are one Chinese message naming the fields."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from core.draft import Draft
from core.spec import ProgrammeSpec
from ingestion.drafts.errors import DraftError

MAX_ALIASES = 100  # YAML alias expansion ("billion laughs") guard

_TYPE_MSG = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不是 Draft 的字段（拼写错误？）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值对）",
    "model_type": "应为对象（键值对）",
    "less_than_equal": "超出允许范围",
    "greater_than_equal": "超出允许范围",
}


def parse_structured(text: str, name: str = "") -> Any:
    """The JSON or YAML document in ``text`` (JSON first, then YAML)."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise DraftError("文件是空的，未在文件中找到申报书内容。", "empty")
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as e:
            if name.lower().endswith(".json"):
                raise DraftError(
                    f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}。", "bad_json"
                ) from e
    try:
        aliases = sum(1 for tok in yaml.scan(stripped) if isinstance(tok, yaml.AliasToken))
    except yaml.YAMLError as e:
        raise DraftError(f"YAML/JSON 格式错误：{_yaml_where(e)}。", "bad_yaml") from e
    if aliases > MAX_ALIASES:
        raise DraftError("YAML 文件中引用（别名）过多，疑似恶意构造，已拒绝读取。", "yaml_bomb")
    try:
        return yaml.safe_load(stripped)
    except yaml.YAMLError as e:
        raise DraftError(f"YAML 格式错误：{_yaml_where(e)}。", "bad_yaml") from e


def _yaml_where(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or "无法解析"
    if mark is not None:
        return f"第 {mark.line + 1} 行第 {mark.column + 1} 列，{problem}"
    return str(problem)


def validation_message(e: ValidationError, limit: int = 5) -> str:
    """A Chinese summary of pydantic errors: 字段「enterprise.revenue」：应为数字（得到 'abc'）."""
    parts = []
    for err in e.errors()[:limit]:
        path = ".".join(str(x) for x in err["loc"]) or "（整个文件）"
        msg = _TYPE_MSG.get(err["type"], err["msg"])
        got = err.get("input")
        shown = (
            ""
            if err["type"] in ("missing", "extra_forbidden") or isinstance(got, dict | list)
            else f"（得到 {got!r}）"
        )
        parts.append(f"字段「{path}」：{msg}{shown}")
    more = len(e.errors()) - limit
    tail = f"；另有 {more} 处错误" if more > 0 else ""
    return "；".join(parts) + tail


def read_structured(text: str, spec: ProgrammeSpec | None, name: str = "") -> Draft:
    """A Draft from JSON/YAML text, assigned to ``spec`` when given (the caller
    refuses a draft that names another programme: :func:`ingestion.drafts.read_draft`)."""
    data = parse_structured(text, name)
    if not isinstance(data, dict):
        raise DraftError(
            "JSON/YAML 草稿的顶层应为对象（键值对，如 enterprise、project、sections），"
            f"而文件中是{'列表' if isinstance(data, list) else '单个值'}。",
            "bad_structure",
        )
    try:
        draft = Draft.model_validate(data)
    except ValidationError as e:
        raise DraftError(f"草稿内容不符合 Draft 格式：{validation_message(e)}。", "invalid_draft") from e
    if spec is not None:
        draft = draft.model_copy(update={"programme": spec.id})
    if name and not draft.source:
        draft = draft.model_copy(update={"source": name})
    return draft
