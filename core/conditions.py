"""Values a spec compares with draft fields, typed by the field's type in the
Draft schema: a yes/no field against YAML ``true``/``false`` (never the text
"true"), a date field against a date, a number field against a number, a text
field with a fixed set of values (a programme's ``variants``, the target
level) against one of those values.

:func:`value_problem` says why a value can never match a field (the spec
models refuse such a value when they are validated); :func:`matches` compares
a draft value with a rule's values by type; :func:`shown` writes a value as
a message shows it (是/否 for booleans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from core.draft import field_ref

Scalar = bool | int | float | dt.date | str
"""A value a spec may compare a draft field with."""

_KIND_NAMES = {bool: "是/否", int: "数字", float: "数字", dt.date: "日期", str: "文字"}
_EXAMPLES = {
    bool: "true（是）或 false（否），不加引号",
    int: "3",
    float: "2000",
    dt.date: "2022-09-30",
    str: "离散型",
}


def field_kind(path: str) -> type | None:
    """The scalar type a Draft path holds — bool, float (int counts as a
    number), date or str — or None for a path that holds no scalar (a list,
    a table) or that the schema does not have."""
    ref = field_ref(path)
    if ref is None:
        return None
    tp = ref.type
    if tp is bool:
        return bool
    if tp in (int, float):
        return float
    if tp is dt.date:
        return dt.date
    if tp is str:
        return str
    return None


def kind_name(tp: type | None) -> str:
    """The Chinese name of a field kind (是/否, 数字, 日期, 文字)."""
    return _KIND_NAMES.get(tp, "文字") if tp is not None else "值"


def example(tp: type | None) -> str:
    """How a value of this kind is written in a spec (YAML)."""
    return _EXAMPLES.get(tp, "离散型") if tp is not None else "离散型"


def _type_of(v: Any) -> type:
    if isinstance(v, bool):
        return bool
    if isinstance(v, int | float):
        return float
    if isinstance(v, dt.date):
        return dt.date
    return str


def value_problem(path: str, value: Any, allowed: Sequence[str] | None = None) -> str | None:
    """Why ``value`` can never equal the draft field at ``path`` (its type
    differs, or it is not one of the field's ``allowed`` values), in Chinese
    with what to write instead; None when it can."""
    want = field_kind(path)
    if want is None:
        return None
    got = _type_of(value)
    if want is bool and got is not bool:
        return (
            f"「{path}」是是/否字段，值须写 YAML 的 true 或 false（不加引号）；"
            f"现写作 {value!r}（{kind_name(got)}），永远不会相等。例如：{path}: [true]"
        )
    if want is not str and got is not want:
        return (
            f"「{path}」是{kind_name(want)}字段，值须写{kind_name(want)}（不加引号）；"
            f"现写作 {value!r}（{kind_name(got)}），永远不会相等。例如：{path}: [{example(want)}]"
        )
    if want is str and got is not str:
        hint = "（YAML 把不加引号的 yes/no/on/off/true/false 读作是/否：文字请加引号）" if got is bool else ""
        return (
            f"「{path}」是文字字段，值须写文字；现写作 {value!r}（{kind_name(got)}），永远不会相等{hint}。"
            f"例如：{path}: [{example(str)}]"
        )
    if want is str and allowed is not None and str(value) not in allowed:
        return (
            f"「{value}」不是「{path}」的可选值（{'、'.join(allowed)}），永远不会相等。"
            f"例如：{path}: [{allowed[0]}]"
        )
    return None


def matches(draft_value: Any, values: Sequence[Any]) -> bool:
    """Whether a draft value equals one of a rule's values, compared by type:
    booleans only with booleans, numbers as numbers, dates as dates, texts
    without surrounding spaces."""
    got = _type_of(draft_value)
    for v in values:
        if _type_of(v) is not got:
            continue
        if got is str and str(draft_value).strip() == str(v).strip():
            return True
        if got is not str and draft_value == v:
            return True
    return False


def shown(value: Any) -> str:
    """A value as a message shows it: 是/否 for booleans, ISO dates, numbers without a trailing .0."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The type of the draft fields each rule kind's parameters name (a kind not listed, or a
# parameter not listed, reads fields of any type). A kind compares what it reads as numbers
# or dates: a parameter naming a field of another type can never be judged.
PARAM_FIELD_KINDS: dict[str, dict[str, type]] = {
    "min_duration": {"field": dt.date, "as_of_field": dt.date},
    "date_before": {"field": dt.date, "before_field": dt.date},
    "date_within_years": {"field": dt.date, "of_field": dt.date},
    "value_range": {"field": float},
    "min_value_by_level": {"field": float},
    "min_sum": {"items": float, "excluded": float},
    "sum_equals": {"total": float, "items": float},
    "size_class": {"field": str, "employees_field": float, "revenue_field": float},
    "honours_excluded": {"as_of_field": dt.date},
    "metrics_sane": {"percent_fields": float},
    "region_in": {"field": str},
    "credit_code": {"field": str},
}


def param_field_problems(kind: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """(parameter, problem) for each parameter of a rule kind that names a
    draft field of a type the kind cannot read (a date kind on a text field …)."""
    out: list[tuple[str, str]] = []
    for name, want in PARAM_FIELD_KINDS.get(kind, {}).items():
        value = params.get(name)
        paths = value if isinstance(value, list) else [value]
        for path in paths:
            if not isinstance(path, str):
                continue
            got = field_kind(path)
            if got is not None and got is not want:
                out.append(
                    (
                        name,
                        f"规则类型 {kind} 的「{name}」须是{kind_name(want)}字段，"
                        f"「{path}」是{kind_name(got)}字段，无法比较",
                    )
                )
    return out
