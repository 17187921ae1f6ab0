"""Validation problems a policy analyst can act on.

Each problem names the file, the rule by its id (not ``rules.4``), the key
that is wrong (``check.min``), what is expected and an example of what to
write: ``corpus/programmes/x.yaml · 规则 investment-min · check.min：应为数字（不加引号）。例如：min: 2000``.
:func:`explain` turns a pydantic ``ValidationError`` of a spec or catalogue
into such lines; :func:`where` writes the head of the loader's own problems.
"""

from __future__ import annotations

import builtins
import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError

from core.draft import leaf_titles
from core.spec import RULE_PARAMS, ProgrammeSpec, Ref

_REF_EXAMPLES = {
    "draft_path": "enterprise.registered_address",
    "list": "nt-links-discrete（corpus/scenarios 中目录列表的 id）",
    "table": "scenarios（本规范 tables 中表格的 id）",
    "section": "intro（本规范 sections 中章节的 id）",
    "column": "link（该表格 columns 中列的 id）",
}
_SCALAR_EXAMPLES: dict[Any, str] = {
    bool: "true",
    int: "5",
    float: "2000",
    dt.date: "2022-09-30",
    str: "（中文）",
}
_TYPE_WORDS = [
    ("float", "应为数字（不加引号）"),
    ("int", "应为整数（不加引号）"),
    ("bool", "应为 true 或 false（不加引号）"),
    ("date", "应为日期，写作 YYYY-MM-DD（不加引号）"),
    ("string_type", "应为文字"),
    ("list_type", "应为列表，写作 [甲, 乙]"),
    ("dict_type", "应为键值表，写作 {键: 值}"),
    ("model_type", "应为键值表，写作 {键: 值}"),
]
# the spec models' own checks, in English in the code: what they say, in Chinese
_VALUE_ERRORS = [
    ("duplicate rule id(s)", "规则 id 重复"),
    ("duplicate section id(s)", "章节 id 重复"),
    ("duplicate table id(s)", "表格 id 重复"),
    ("give exactly one of", "以下参数须写且只写一个"),
    ("give min and/or max", "须写 min 和/或 max"),
    ("give at most one of", "以下参数最多写一个"),
    ("go together", "以下参数须同时写或同时不写"),
    ("needs", "缺少配套参数"),
    ("must be a lowercase slug", "id 须为小写字母、数字和连字符，例如 investment-min"),
    ("citation quote must hold at least 4 characters", "引文 quote 至少 4 个字，从文档中逐字复制"),
    (
        "a reading gives exactly one of",
        "读法须写且只写 check（改变的参数）或 uncertain（无法确认的结论）之一",
    ),
    ("a reading changes the parameters", "读法只能改变参数，不能改变规则类型（kind）"),
    ("a claim source names exactly one of", "证据来源须写且只写 table、ticks、levels 之一"),
    ("a table claim source needs", "表格证据来源须写 title_column 和 text_columns"),
]


_KEYED = re.compile(r"^(applies_when|check\.\w+)：(.*)$")


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """The type inside ``Annotated``/``Optional``, and the Annotated markers."""
    marks: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            args = typing.get_args(tp)
            tp, marks = args[0], marks + list(args[1:])
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp, marks
            tp = members[0]
        else:
            return tp, marks


def example_of(tp: Any) -> str:
    """An example of a value of this annotated type, as YAML."""
    inner, marks = _unwrap(tp)
    refs = [m for m in marks if isinstance(m, Ref)]
    if refs:
        return _REF_EXAMPLES[refs[0].kind]
    origin = typing.get_origin(inner)
    if origin is Literal:
        return str(typing.get_args(inner)[0])
    if origin is builtins.list:
        return f"[{example_of(typing.get_args(inner)[0])}]"
    if origin is dict:
        k, v = typing.get_args(inner)
        return f"{{{example_of(k)}: {example_of(v)}}}"
    if origin in (typing.Union, types.UnionType):
        return example_of(typing.get_args(inner)[0])
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        required = [n for n, f in inner.model_fields.items() if f.is_required()]
        return "{" + ", ".join(f"{n}: {example_of(inner.model_fields[n].annotation)}" for n in required) + "}"
    return _SCALAR_EXAMPLES.get(inner, "（中文）")


def _model_in(tp: Any) -> type[BaseModel] | None:
    """The model a field's value is (or is a list/dict of)."""
    inner, _ = _unwrap(tp)
    origin = typing.get_origin(inner)
    if origin in (builtins.list, dict):
        return _model_in(typing.get_args(inner)[-1])
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _field_at(model: type[BaseModel], loc: Iterable[Any]) -> tuple[type[BaseModel] | None, str | None, Any]:
    """Follow an error location through the models: the model holding the last
    key, the key, and its annotation (with the Annotated markers)."""
    cur: type[BaseModel] | None = model
    holder: type[BaseModel] | None = None
    name: str | None = None
    ann: Any = None
    for part in loc:
        if part in RULE_PARAMS and name == "check":  # the discriminated union's tag
            cur = RULE_PARAMS[part]
            continue
        if isinstance(part, int) or cur is None:
            continue
        info = cur.model_fields.get(str(part))
        if info is None:
            return cur, str(part), None
        holder, name = cur, str(part)
        ann = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        cur = _model_in(ann)
    return holder, name, ann


def _rule_of(data: Any, loc: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
    """The id of the rule an error location lies in ("第 N 条规则" when it has
    none), and the rest of the location."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        rid = rule.get("id") if isinstance(rule, dict) else None
        label = f"规则 {rid}" if isinstance(rid, str) and rid else f"第 {loc[1] + 1} 条规则（未写 id）"
        return label, loc[2:]
    return None, loc


def _key_path(loc: Iterable[Any]) -> str:
    """The keys of a location as written in YAML (list positions as 第 N 项, the union tag dropped)."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[第 {part + 1} 项]")
        elif part in RULE_PARAMS and parts and parts[-1] == "check":
            continue
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _what(err: dict[str, Any], model: type[BaseModel]) -> str:
    """What is wrong and what is expected, with an example, for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    holder, name, ann = _field_at(model, loc)
    ex = f"。例如：{name}: {example_of(ann)}" if name and ann is not None else ""
    if kind == "missing":
        return f"缺少必填的「{name}」{ex}"
    if kind == "extra_forbidden":
        keys = "、".join(f for f in (holder.model_fields if holder else {}) if f != "kind")
        close = difflib.get_close_matches(str(name), list(holder.model_fields) if holder else [], n=1)
        hint = f"是不是「{close[0]}」？" if close else ""
        return f"不认识的键「{name}」。{hint}这里可写的键：{keys}"
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        close = difflib.get_close_matches(str(tag), list(RULE_PARAMS), n=1)
        hint = f"是不是「{close[0]}」？" if close else ""
        return (
            f"未知的规则类型 kind「{tag}」。{hint}可用的类型：{'、'.join(RULE_PARAMS)}"
            "（`shenbao kinds` 列出每种类型的参数）。例如：check: {kind: value_range, field: enterprise.revenue, min: 2000}"
        )
    if kind == "union_tag_not_found":
        return "check 缺少 kind（规则类型）。例如：check: {kind: value_range, field: enterprise.revenue, min: 2000}"
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected')}（现为 {err.get('input')!r}）"
    if kind in ("too_short", "string_too_short"):
        n = ctx.get("min_length")
        unit = "个字" if kind == "string_too_short" else "项"
        return f"至少需要 {n} {unit}{ex}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": "大于",
            "greater_than_equal": "不小于",
            "less_than": "小于",
            "less_than_equal": "不大于",
        }
        bound = next(iter(ctx.values()), "")
        return f"应{words[kind]} {bound}（现为 {err.get('input')!r}）{ex}"
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        for english, chinese in _VALUE_ERRORS:
            if english in msg:
                return f"{chinese}（{msg}）"
        return msg
    for word, text in _TYPE_WORDS:
        if kind.startswith(word) or kind == word:
            return f"{text}（现为 {err.get('input')!r}）{ex}"
    return f"{err['msg']}{ex}"


def explain(
    error: ValidationError, data: Any, file: str, model: type[BaseModel] = ProgrammeSpec
) -> list[str]:
    """One line per error: the file, the rule by its id, the key, what is expected, an example."""
    out: list[str] = []
    for err in error.errors():
        loc = tuple(err["loc"])
        rule, rest = _rule_of(data, loc)
        what = _what(dict(err), model)
        if not loc and err["type"] == "value_error" and what.startswith("规则 "):  # names its rules
            out += [f"{file} · {line}" for line in what.splitlines()]
            continue
        head = " · ".join(x for x in (file, rule, _key_path(rest)) if x)
        for line in what.splitlines():  # a rule's own checks: one line per key, "key：what"
            m = _KEYED.match(line) if err["type"] == "value_error" else None
            out.append(f"{head} · {m.group(1)}：{m.group(2)}" if m else f"{head}：{line}")
    return out


def where(file: str, rule_id: str | None = None, key: str | None = None) -> str:
    """The head of a problem: file · 规则 id · key."""
    return " · ".join(x for x in (file, f"规则 {rule_id}" if rule_id else None, key) if x)


def close_path(path: str) -> str:
    """A hint naming the Draft field a mistyped path probably meant, or ''."""
    known = list(leaf_titles())
    close = difflib.get_close_matches(path, known, n=1, cutoff=0.6)
    if not close:
        return "。可用的字段路径见 core/draft.py（`shenbao template` 生成的空白申报书列出每个字段）"
    return f"。是不是「{close[0]}」（{leaf_titles()[close[0]]}）？"
