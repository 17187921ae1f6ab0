"""The ``Draft``: everything read from an application, with where it came from.

Field paths used by programme specs (``enterprise.founded_date``,
``project.investment.platform_dev``, ``metrics.devices_connected`` ...) are
dotted paths into this model; :func:`resolve_path` follows them and
:func:`path_exists` validates them. ``metrics`` (numbers), ``attestations``
(yes/no statements) and ``selections`` / ``sections`` / ``tables`` are
open dictionaries keyed by ids that the programme spec declares.

Every value is normalised here, whatever the reader (.docx, JSON, YAML, the
browser form), before any rule sees it: invisible characters (zero-width,
bidi controls …) are removed from every text, and every text but free text
is NFKC-folded ("Ｃ" → "C"). Free text — ``sections`` and ``tables`` — keeps
its widths, because 字数 counts a full-width punctuation mark as one where
its ASCII fold may join a Latin run (:mod:`core.text`). Numbers must be
finite and within sane bounds (money ≤ :data:`MAX_WAN` 万元, non-negative
where a negative amount is meaningless); anything else is a validation error
naming the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.text import normalise_value, strip_invisible

MAX_WAN = 1e10
"""Upper bound of any money figure, in 万元: 100 万亿元, about China's yearly
GDP — no enterprise or project figure comes near it."""
MAX_PEOPLE = 1e7
"""Upper bound of a head count (ten million; the largest employers have ~2 million)."""
MAX_METRIC = 1e12
"""Upper bound of the magnitude of any other figure (device counts, data
points, monthly platform calls …)."""

Metric = Annotated[float, Field(ge=-MAX_METRIC, le=MAX_METRIC)]


def _money(title: str, description: str | None = None, *, signed: bool = False) -> Any:
    return Field(default=None, title=title, description=description, ge=-MAX_WAN if signed else 0, le=MAX_WAN)


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    return tp


def _walk_text(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` with ``fn`` applied to every text in it; containers are
    copied only where a text changed (the caller's data is never modified)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        out: dict[Any, Any] | None = None
        for k, v in value.items():
            new = _walk_text(v, fn)
            if new is not v:
                out = dict(value) if out is None else out
                out[k] = new
        return value if out is None else out
    if isinstance(value, list | tuple):
        items: list[Any] | None = None
        for i, v in enumerate(value):
            new = _walk_text(v, fn)
            if new is not v:
                items = list(value) if items is None else items
                items[i] = new
        return value if items is None else items
    return value


class Model(BaseModel):
    """Base: unknown keys are refused so a typo in a JSON draft is an error;
    NaN and ±Infinity are refused; every text is normalised on the way in."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    free_text: ClassVar[frozenset[str]] = frozenset()
    """Fields holding free text: invisible characters removed, widths kept (字数)."""
    as_written: ClassVar[frozenset[str]] = frozenset()
    """Fields kept exactly as given (file name, texts as written, locations, notes)."""

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        """Every text value :func:`core.text.normalise_value`-d (free text only
        :func:`core.text.strip_invisible`-ed), in one place for every reader.
        Nested models normalise their own fields."""
        if not isinstance(data, dict):
            return data
        out: dict[Any, Any] | None = None
        nested = _nested_models(cls)
        for key, value in data.items():
            if key in cls.as_written or key in nested:
                continue
            new = _walk_text(value, strip_invisible if key in cls.free_text else normalise_value)
            if new is not value:
                out = dict(data) if out is None else out
                out[key] = new
        return data if out is None else out


@functools.cache
def _nested_models(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that are models themselves."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if isinstance(_unwrap(info.annotation), type) and issubclass(_unwrap(info.annotation), BaseModel)
    )


class TwoIntegration(Model):
    """两化融合管理体系贯标 status."""

    certified: bool | None = Field(default=None, title="已通过两化融合管理体系贯标")
    date: dt.date | None = Field(default=None, title="两化融合贯标时间")
    level: str | None = Field(default=None, title="两化融合贯标等级")


class Enterprise(Model):
    """The applicant (申报单位). Money in 万元, ratios in percent."""

    name: str | None = Field(default=None, title="企业名称")
    credit_code: str | None = Field(default=None, title="统一社会信用代码")
    registered_address: str | None = Field(default=None, title="注册地址")
    founded_date: dt.date | None = Field(default=None, title="成立时间", description="成立/营业执照日期")
    employees: float | None = Field(
        default=None, title="从业人员", description="从业人员（人）", ge=0, le=MAX_PEOPLE
    )
    revenue: float | None = _money("营业收入", "营业收入（万元）")
    total_assets: float | None = _money("资产总额", "资产总额（万元）")
    liabilities_ratio: float | None = Field(
        default=None, title="资产负债率", description="资产负债率（%）", ge=0, le=1000
    )
    profit: float | None = _money("利润总额", "利润总额（万元）", signed=True)
    tax: float | None = _money("纳税总额", "纳税总额（万元）")
    rd_expense: float | None = _money("研发投入", "研发投入（万元）")
    size_class: str | None = Field(
        default=None, title="企业规模", description="大型/中型/小型/微型 as ticked"
    )
    industry: str | None = Field(default=None, title="所属行业")
    industry_code: str | None = Field(default=None, title="行业代码")
    credit_rating: str | None = Field(default=None, title="信用等级")
    maturity_level: float | None = Field(
        default=None,
        title="智能制造能力成熟度等级",
        description="GB/T 39116 智能制造能力成熟度等级（一级至五级；0 为未评级）",
        ge=0,
        le=5,
    )
    two_integration: TwoIntegration = TwoIntegration()
    certificates: list[str] | None = Field(default=None, title="资质证书")
    honours: list[str] | None = Field(
        default=None, title="已获荣誉/认定", description="已获荣誉/认定（[] 表示明确填写“无”）"
    )
    titles: list[str] | None = Field(
        default=None, title="企业称号", description="专精特新/高新技术企业等称号"
    )
    above_designated_size: bool | None = Field(default=None, title="规模以上工业企业")
    major_accident: bool | None = Field(
        default=None, title="近三年重大及以上事故", description="近三年发生重大及以上事故"
    )
    in_production: bool | None = Field(
        default=None,
        title="工厂、车间、场景已建成并正常投产使用",
        description="申报的工厂、车间或场景已建成并正常投产使用（wx-2023-guide 一、4），不是企业是否正常经营",
    )
    reserve_pool: bool | None = Field(default=None, title="已入库培育")
    contact: str | None = Field(default=None, title="联系人")
    phone: str | None = Field(default=None, title="联系电话")


class Investment(Model):
    """Project investment by category, 万元."""

    total: float | None = _money("项目总投资")
    platform_dev: float | None = _money("平台和系统开发费")
    equipment: float | None = _money("智能设备（终端）购置费")
    testing_consulting: float | None = _money("测试验证和项目咨询费")
    salaries: float | None = _money("项目实施人员工资")
    other: float | None = _money("其他投入")
    start: dt.date | None = Field(default=None, title="投入统计起始时间")
    end: dt.date | None = Field(default=None, title="投入统计截止时间")


class Project(Model):
    """The project (or factory/workshop) being applied for."""

    name: str | None = Field(default=None, title="项目名称")
    start: dt.date | None = Field(default=None, title="项目建设开始时间")
    end: dt.date | None = Field(default=None, title="项目建设完成时间")
    location: str | None = Field(default=None, title="项目地点")
    investment: Investment = Investment()
    platform_name: str | None = Field(default=None, title="平台名称")


class IndicatorEval(Model):
    """One indicator of the 数字化转型 self-evaluation."""

    level: int | None = Field(default=None, title="等级", ge=1, le=6)
    fit: str | None = Field(default=None, title="符合程度")
    score: float | None = Field(default=None, title="得分", ge=0, le=100)
    not_applicable: bool = Field(default=False, title="不适用")


class SelfEvaluation(Model):
    """js-gradient-2025 self-evaluation: indicators and per-scenario levels."""

    indicators: dict[str, IndicatorEval] = Field(default={}, title="自评指标")
    scenario_levels: dict[str, str] = Field(
        default={}, title="场景达到的等级", description="scenario id → achieved level"
    )


class Draft(Model):
    """One application as read from a .docx or JSON/YAML file."""

    free_text: ClassVar[frozenset[str]] = frozenset({"sections", "tables"})
    as_written: ClassVar[frozenset[str]] = frozenset({"source", "originals", "locations", "reader_notes"})

    programme: str | None = Field(default=None, title="申报项目")
    source: str | None = Field(default=None, title="来源文件")
    application_date: dt.date | None = Field(default=None, title="申报日期")
    factory_type: str | None = Field(
        default=None, title="工厂类型", description="离散型/流程型 where the programme asks"
    )
    target_level: str | None = Field(
        default=None, title="申报等级", description="基础级/先进级/卓越级/领航级"
    )
    enterprise: Enterprise = Enterprise()
    project: Project = Project()
    selections: dict[str, list[str]] = Field(
        default={}, title="勾选项", description="list id → ticked item ids"
    )
    sections: dict[str, str] = Field(default={}, title="文字章节", description="section id → text")
    tables: dict[str, list[dict[str, str]]] = Field(default={}, title="表格", description="table id → rows")
    metrics: dict[str, Metric] = Field(default={}, title="数值指标", description="numeric facts by id")
    attestations: dict[str, bool] = Field(default={}, title="声明事项", description="yes/no statements by id")
    self_eval: SelfEvaluation = SelfEvaluation()
    attachments: list[str] | None = Field(default=None, title="附件清单")
    originals: dict[str, str] = Field(
        default={}, title="原文", description="field path → text as written, for normalised values"
    )
    locations: dict[str, str] = Field(
        default={}, title="填写位置", description="field path → where it was read"
    )
    reader_notes: list[str] = Field(
        default=[],
        title="读取提示",
        description="读取时的提示（中文）：无法识别的值、疑似乱码、前后不一致的填写",
    )


# --------------------------------------------------------------------------
# The one schema walker: every "what is at this dotted path" question about
# the Draft model (or a JSON form of it) is answered here.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRef:
    """What the Draft schema says about one dotted path: its Python type (with
    ``None`` unwrapped), its Chinese title and its description. Entries of
    open dictionaries (``sections.x``, ``metrics.y``) have the dict's value
    type and no title of their own."""

    path: str
    type: Any
    title: str | None
    description: str | None


@functools.cache
def field_ref(path: str, model: type[BaseModel] | None = None) -> FieldRef | None:
    """The schema entry of ``path`` in ``model`` (default :class:`Draft`), or
    None when the path names no field (dict keys are free)."""
    tp: Any = model or Draft
    title: str | None = None
    description: str | None = None
    for part in path.split("."):
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part)
            if info is None:
                return None
            tp, title, description = info.annotation, info.title, info.description
        elif typing.get_origin(tp) is dict:
            tp, title, description = typing.get_args(tp)[1], None, None
        else:
            return None
    return FieldRef(path, _unwrap(tp), title, description)


def path_exists(path: str, model: type[BaseModel] | None = None) -> bool:
    """Whether a dotted path names a field of the Draft schema (dict keys free)."""
    return field_ref(path, model) is not None


def field_type(path: str) -> Any:
    """The Python type of a Draft field path (dict values for open dicts);
    KeyError for a path the schema does not have."""
    ref = field_ref(path)
    if ref is None:
        raise KeyError(path)
    return ref.type


def field_title(path: str) -> str | None:
    """The Chinese title the schema gives a Draft field path, if any."""
    ref = field_ref(path)
    return ref.title if ref else None


@functools.cache
def leaf_titles(model: type[BaseModel] | None = None, prefix: str = "") -> dict[str, str]:
    """Every titled leaf field of the schema (nested models walked) → its title."""
    out: dict[str, str] = {}
    for name, info in (model or Draft).model_fields.items():
        path = f"{prefix}{name}"
        ann = _unwrap(info.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.update(leaf_titles(ann, path + "."))
        elif info.title:
            out[path] = info.title
    return out


def resolve_path(obj: Any, path: str) -> Any:
    """Follow a dotted path through models and dicts; ``None`` when absent."""
    cur = obj
    for part in path.split("."):
        if cur is None:
            return None
        if isinstance(cur, dict):
            cur = cur.get(part)
        else:
            cur = getattr(cur, part, None)
    return cur


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path of a draft's JSON form, creating
    intermediate objects (the inverse of :func:`resolve_path` on dicts)."""
    parts = path.split(".")
    cur = data
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value
