"""Drafts written as JSON or YAML with the :class:`Draft` schema (eval data,
hand-made drafts). Errors are one Chinese message naming the fields."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from core.draft import Draft
from core.spec import ProgrammeSpec
from ingestion.drafts.errors import DraftError
from ingestion.drafts.limits import MAX_TEXT_CHARS, check_text_length

MAX_ALIASES = 100  # YAML alias expansion ("billion laughs") guard
MAX_DEPTH = 12
"""Deepest nesting a draft may have: the Draft schema itself is at most 4
levels deep (tables → table → row → column)."""
MAX_INT_DIGITS = 300
"""An integer with more digits is read as infinity (refused with the field's
name) rather than converted (Python refuses > 4300 digits with a traceback)."""
_SURROGATE = re.compile("[\ud800-\udfff]")

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
    "finite_number": "应为有限的数字（不接受 NaN、Infinity 或超出范围的数）",
}


class _HugeInt(float):
    """An integer with more than :data:`MAX_INT_DIGITS` digits: infinity, so
    that the schema refuses it as a non-finite number naming the field, shown
    as its number of digits."""

    digits: int

    def __new__(cls, digits: int) -> _HugeInt:
        """Infinity remembering how many digits were written."""
        obj = super().__new__(cls, "inf")
        obj.digits = digits
        return obj

    def __repr__(self) -> str:
        return f"{self.digits} 位的整数"


def _json_int(text: str) -> int | float:
    digits = len(text.lstrip("+-"))
    return int(text) if digits <= MAX_INT_DIGITS else _HugeInt(digits)


class _Loader(yaml.SafeLoader):
    """The safe YAML loader, stopping as soon as the document nests deeper than
    a draft can (:data:`MAX_DEPTH`) or uses more than :data:`MAX_ALIASES`
    aliases ("billion laughs"), reading an integer too long to convert as
    infinity. Checking while composing stops a hostile file after a few
    nodes (PyYAML takes seconds per 100k levels of nesting)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """The next node, refusing too deep a nesting and too many aliases."""
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise DraftError("YAML 文件中引用（别名）过多，疑似恶意构造，已拒绝读取。", "yaml_bomb")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # containers nest MAX_DEPTH deep, plus the scalar inside
                raise _too_deep("YAML")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        """An integer; infinity when it has more than :data:`MAX_INT_DIGITS` digits."""
        value = str(self.construct_scalar(node))
        if len(value) > MAX_INT_DIGITS:
            return _HugeInt(len(value.lstrip("+-")))
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _too_deep(kind: str, where: str = "") -> DraftError:
    return DraftError(
        f"{kind} 文件中{where}的对象或列表嵌套超过 {MAX_DEPTH} 层，不符合 Draft 格式"
        "（最多只有几层，如 tables → 表格 → 行 → 栏目）。请检查文件结构。",
        "too_deep",
    )


def parse_structured(text: str, name: str = "") -> Any:
    """The JSON or YAML document in ``text`` (JSON first, then YAML), checked
    by :func:`check_structure`."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise DraftError("文件是空的，未在文件中找到申报书内容。", "empty")
    if stripped.startswith(("{", "[")):
        try:
            return check_structure(json.loads(stripped, parse_int=_json_int), "JSON", stripped)
        except RecursionError as e:
            raise _too_deep("JSON") from e
        except json.JSONDecodeError as e:
            if name.lower().endswith(".json"):
                raise DraftError(
                    f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}。", "bad_json"
                ) from e
    try:
        return check_structure(
            yaml.load(stripped, Loader=_Loader), "YAML", stripped
        )  # _Loader is a SafeLoader
    except RecursionError as e:
        raise _too_deep("YAML") from e
    except yaml.YAMLError as e:
        raise DraftError(f"YAML 格式错误：{_yaml_where(e)}。", "bad_yaml") from e


def _show(key: object) -> str:
    """A key as it can be printed (lone surrogates escaped)."""
    return str(key).encode("utf-8", "backslashreplace").decode("utf-8")


FieldPath = tuple[Any, Any]  # (parent path or None, key): a field's path, joined only for a message


def _field(path: FieldPath | None, key: object = None) -> str:
    """ "字段「a.b.key」", built only when an error needs it."""
    parts: list[str] = [] if key is None else [_show(key)]
    while path is not None:
        path, k = path
        parts.append(_show(k))
    return f"字段「{'.'.join(reversed(parts))}」" if parts else "文件"


def _check_text(value: str, kind: str, path: FieldPath | None, key: object, escapes: bool) -> None:
    if len(value) > MAX_TEXT_CHARS:
        check_text_length(len(value), _field(path, key))
    bad = _SURROGATE.search(value) if escapes and not value.isascii() else None
    if bad is not None:
        raise DraftError(
            f"{kind} 文件中{_field(path, key)}含无效的 Unicode 转义"
            f"（孤立的代理项 \\u{ord(bad.group()):04x}，不是任何文字），无法读取。"
            "请删除或改正该处的 \\u 转义（或直接写入文字，以 UTF-8 保存）。",
            "bad_unicode",
        )


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")


def check_structure(data: Any, kind: str = "JSON", text: str | None = None) -> Any:
    """``data`` when every part of it can be a draft: nesting at most
    :data:`MAX_DEPTH` deep, no text (key or value) holding a lone surrogate
    (``"\\ud800"``, which no file can store), no text over
    :data:`ingestion.drafts.limits.MAX_TEXT_CHARS`. Otherwise one
    :class:`DraftError` naming the field. Iterative: any depth is safe.
    ``text``, the source, tells whether any surrogate escape was written at all."""
    escapes = text is None or _ESCAPED_SURROGATE.search(text) is not None
    if isinstance(data, str):
        _check_text(data, kind, None, None, escapes)
    stack: list[tuple[Any, FieldPath | None, int]] = (
        [(data, None, 0)] if isinstance(data, dict | list) else []
    )
    while stack:
        value, path, depth = stack.pop()
        if depth >= MAX_DEPTH:
            raise _too_deep(kind, _field(path) if path else "")
        if type(value) is dict and escapes:
            for k in value:
                if type(k) is str:
                    _check_text(k, kind, path, None, escapes)  # a key is reported as the text of its parent
        for k, v in value.items() if type(value) is dict else enumerate(value):
            t = type(v)
            if t is str:
                if escapes or len(v) > MAX_TEXT_CHARS:
                    _check_text(v, kind, path, k, escapes)
            elif t is dict or t is list:
                stack.append((v, (path, k), depth + 1))
    return data


def _yaml_where(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or "无法解析"
    if mark is not None:
        return f"第 {mark.line + 1} 行第 {mark.column + 1} 列，{problem}"
    return str(problem)


def validation_message(e: ValidationError, limit: int = 5) -> str:
    """A Chinese summary of pydantic errors: 字段「enterprise.revenue」：应为数字（得到 'abc'）."""
    parts = [
        f"字段「{'.'.join(str(x) for x in err['loc']) or '（整个文件）'}」：{error_text(err)}"
        for err in e.errors()[:limit]
    ]
    more = len(e.errors()) - limit
    tail = f"；另有 {more} 处错误" if more > 0 else ""
    return "；".join(parts) + tail


def error_text(err: ErrorDetails) -> str:
    """One pydantic error in Chinese, with what was given: 应为数字（得到 'abc'）,
    不能为负数（得到 -5）, 超出合理范围（上限 10,000,000,000）."""
    kind = err["type"]
    bound = (err.get("ctx") or {}).get("ge" if kind == "greater_than_equal" else "le")
    if kind == "greater_than_equal" and bound == 0:
        msg = "不能为负数"
    elif kind in ("greater_than_equal", "less_than_equal") and isinstance(bound, int | float):
        msg = f"超出合理范围（{'下限' if kind == 'greater_than_equal' else '上限'} {bound:,.0f}）"
    else:
        msg = _TYPE_MSG.get(kind, err["msg"])
    got = err.get("input")
    if kind in ("missing", "extra_forbidden") or isinstance(got, dict | list):
        return msg
    return f"{msg}（得到 {got!r}）"


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
