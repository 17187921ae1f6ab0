"""Programme specs: the rules of one programme as validated data.

A spec is a YAML file in ``corpus/programmes/``. Each rule has a stable id, a
*kind* (one of the generic rule kinds in :data:`RULE_PARAMS`), the kind's
parameters, a severity and a citation to the clause it comes from. Field
paths in parameters are dotted paths into the ``Draft`` model (for example
``enterprise.founded_date`` or ``project.investment.platform_dev``).
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.conditions import Scalar, param_field_problems, value_problem
from core.findings import Citation

RULE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROGRAMME_ID_RE = RULE_ID_RE
Severity = Literal["error", "warning", "info"]
LEVELS = ("基础级", "先进级", "卓越级", "领航级")


RefKind = Literal["draft_path", "list", "table", "section", "column"]


@dataclass(frozen=True)
class Ref:
    """Marks a rule parameter as a reference to something the spec or the draft
    declares; the loader validates, and the eval generator and the LLM layer
    derive "what a rule reads", from these markers alone."""

    kind: RefKind


DraftPath = Annotated[str, Ref("draft_path")]
"""A dotted path into the Draft model, e.g. ``enterprise.founded_date``."""
ListId = Annotated[str, Ref("list")]
"""The id of a catalogue list (``corpus/scenarios``)."""
TableId = Annotated[str, Ref("table")]
"""The id of a table the programme spec declares."""
SectionId = Annotated[str, Ref("section")]
"""The id of a section the programme spec declares."""
ColumnId = Annotated[str, Ref("column")]
"""The id of a column of the rule's table."""


class Strict(BaseModel):
    """Base for every spec model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


BlankMeans = Literal["unknown", "fail", "depends"]


class Params(Strict):
    """Base of every rule kind's parameters. Besides its typed references a
    kind may read draft fields no parameter names (``implicit_reads``, e.g. the
    target level) and the ticks of its list (``reads_ticks``).

    ``blank_means`` is what the kind reports when an input it reads is blank:
    ``unknown`` (it cannot decide: "Unknown is not pass"), ``fail`` (a blank
    input is itself the violation, and a filled one never changes the answer:
    required fields) or ``depends`` (the other inputs may still decide, e.g. a
    sum whose other items already reach the minimum). The eval derives the
    collateral effect of blanking an input from it.

    ``batch_level`` kinds judge several drafts of one batch together: one draft
    alone cannot violate them, the batch runner settles them across drafts."""

    implicit_reads: ClassVar[tuple[str, ...]] = ()
    reads_ticks: ClassVar[bool] = False
    blank_means: ClassVar[BlankMeans] = "unknown"
    batch_level: ClassVar[bool] = False


def _refs_in(tp: Any, value: Any) -> Iterator[tuple[RefKind, str]]:
    """The references a value of annotated type ``tp`` holds."""
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield from references(value)
        return
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Annotated:
        marks = [m for m in args[1:] if isinstance(m, Ref)]
        if marks and isinstance(value, str):
            yield marks[0].kind, value
            return
        yield from _refs_in(args[0], value)
    elif origin in (typing.Union, types.UnionType):
        for a in args:
            if a is not type(None):
                yield from _refs_in(a, value)
                return
    elif origin is builtins.list and isinstance(value, builtins.list):
        for v in value:
            yield from _refs_in(args[0], v)
    elif origin is dict and isinstance(value, dict):
        for k, v in value.items():
            yield from _refs_in(args[0], k)
            yield from _refs_in(args[1], v)


def references(params: BaseModel) -> Iterator[tuple[RefKind, str]]:
    """Every (reference kind, value) a parameters model holds, read from the
    ``Annotated`` markers of its fields (nested models included)."""
    for name, info in type(params).model_fields.items():
        tp = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        yield from _refs_in(tp, getattr(params, name))


# --------------------------------------------------------------------------
# Rule kinds and their parameters. One model per kind; the docstring says what
# the kind checks. The engine (issue 3) implements each as a pure function.
# --------------------------------------------------------------------------


class RequiredFields(Params):
    """Every listed draft field is present and non-empty; a missing one fails
    (the form is incomplete) and the message names it."""

    kind: Literal["required_fields"]
    blank_means: ClassVar[BlankMeans] = "fail"
    fields: list[DraftPath] = Field(min_length=1)


HonourLevel = Literal["国家级", "省级", "市级", "县级"]


class HonourPattern(Strict):
    """An honour or title as a policy names it, by its parts: the issuing
    ``levels`` it counts at (empty: any level) and the words of its name
    (``terms``; the last is the kind of honour, e.g. 优秀场景). ``near`` are
    words of similar honours that deserve a review (a close match)."""

    name: str = Field(min_length=2, description="政策原文中的称谓（用于消息）")
    levels: list[HonourLevel] = []
    terms: list[str] = Field(min_length=1)
    near: list[str] = []


class Substitutes(Strict):
    """Titles that meet a requirement in its stead (原文“可参照执行”): the list
    field holding the draft's titles and the titles that count."""

    field: DraftPath
    any_of: list[HonourPattern] = Field(min_length=1)


class ExpectValue(Params):
    """A draft field equals the expected value (e.g. ``enterprise.major_accident``
    is ``false``); unknown when the field is absent. With ``substitutes``, a
    title the draft carries may meet the requirement instead (规模以上工业企业,
    or one of the SME titles that 可参照执行): certain title → pass, a title
    close to one → warn, no titles given → unknown."""

    kind: Literal["expect_value"]
    field: DraftPath
    equals: bool | str | int
    substitutes: Substitutes | None = None


class RegionIn(Params):
    """The registered address lies in the province and, if given, one of the
    cities (a city's counties count, e.g. 昆山 is in 苏州市)."""

    kind: Literal["region_in"]
    field: DraftPath = "enterprise.registered_address"
    province: str | None = None
    cities: list[str] | None = None


class MinDuration(Params):
    """At least ``min_years`` between a date field (e.g. the founding or licence
    date) and a reference date: a fixed ``as_of`` or another field."""

    kind: Literal["min_duration"]
    field: DraftPath
    min_years: float = Field(gt=0)
    as_of: dt.date | None = None
    as_of_field: DraftPath | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> MinDuration:
        if (self.as_of is None) == (self.as_of_field is None):
            raise ValueError("give exactly one of as_of / as_of_field")
        return self


class DateBefore(Params):
    """A date field (e.g. the project's completion) lies on or before a fixed
    date or another date field (e.g. the application date)."""

    kind: Literal["date_before"]
    field: DraftPath
    before: dt.date | None = None
    before_field: DraftPath | None = None
    same_month_ok: bool = Field(
        default=False,
        description="A date in the reference date's month also passes (month-precision periods).",
    )

    @model_validator(mode="after")
    def _one_reference(self) -> DateBefore:
        if (self.before is None) == (self.before_field is None):
            raise ValueError("give exactly one of before / before_field")
        return self


class DateWithinYears(Params):
    """A date field lies within ``years`` years before a reference date: a
    field (``of_field``, e.g. investment made within 3 years of the
    application) or a fixed date (``of``)."""

    kind: Literal["date_within_years"]
    field: DraftPath
    years: float = Field(gt=0)
    of_field: DraftPath | None = None
    of: dt.date | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> DateWithinYears:
        if (self.of is None) == (self.of_field is None):
            raise ValueError("give exactly one of of / of_field")
        return self


class DateAfter(Params):
    """A date field lies on or after a fixed date or another date field
    (``strict``: after it, the day itself fails). "2021年以后建成" / "2021年以来"
    are read as including the date (``strict: false``, the year's first day as
    ``after``); where a text says 之后 and either reading is possible, the spec
    keeps one in ``check`` and the other in ``readings``, so only the day itself warns."""

    kind: Literal["date_after"]
    field: DraftPath
    after: dt.date | None = None
    after_field: DraftPath | None = None
    strict: bool = False

    @model_validator(mode="after")
    def _one_reference(self) -> DateAfter:
        if (self.after is None) == (self.after_field is None):
            raise ValueError("give exactly one of after / after_field")
        return self


class DateBetween(Params):
    """Every listed date field lies within a fixed window, ``start`` to ``end``:
    both ends included ("近三年（2019-2021年）" is 2019-01-01 to 2021-12-31), or
    excluded with ``strict``. A date outside fails naming it; a blank one is unknown."""

    kind: Literal["date_between"]
    blank_means: ClassVar[BlankMeans] = "depends"  # a date outside fails whatever the blanks hold
    fields: list[DraftPath] = Field(min_length=1)
    start: dt.date
    end: dt.date
    strict: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> DateBetween:
        if self.start > self.end:
            raise ValueError("start must not be after end")
        return self


class RequiredAttachment(Strict):
    """One attachment the text requires, by the ``name`` it prints, and the
    other names under which it counts (``any_of``: the alternatives the text
    allows, e.g. 发票 or 付款凭证 where it says so, or a shorter form such as
    营业执照 for 企业营业执照 复印件). An entry of the draft's list matches when
    it contains the name or one of them (spaces, width and case ignored)."""

    name: str = Field(min_length=2)
    any_of: list[str] = []


class Attachments(Params):
    """Each required attachment is in the draft's attachment list (``field``),
    by name or an allowed alternative: a missing one fails naming it; a draft
    that lists no attachments at all is unknown (the list was not read or not
    filled, "Unknown is not pass")."""

    kind: Literal["attachments"]
    field: DraftPath = "attachments"
    required: list[RequiredAttachment] = Field(min_length=1)


class UniquePerBatch(Params):
    """Batch level: one draft per enterprise (``field``, by default the
    统一社会信用代码) per programme in a batch ("一次只能申报一个"). On one
    draft alone the rule passes (a batch of one holds no second draft) and is
    unknown without the field; the batch runner (``checkers.kinds.batch``)
    turns it into ``fail`` on every draft of an enterprise that has several."""

    kind: Literal["unique_per_batch"]
    batch_level: ClassVar[bool] = True
    field: DraftPath = "enterprise.credit_code"


class ValueRange(Params):
    """A numeric draft field lies within its bounds: ≥ ``min`` (or > when
    ``exclusive``) and/or ≤ ``max`` (always inclusive); unknown when absent.
    Used for levels, platform figures and ceilings such as a liabilities ratio.
    (Named ``min_value`` before it was used with only a ``max``.)"""

    kind: Literal["value_range"]
    field: DraftPath
    min: float | None = None
    max: float | None = None
    exclusive: bool = False
    unit: str | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> ValueRange:
        if self.min is None and self.max is None:
            raise ValueError("give min and/or max")
        return self


class MinValueByLevel(Params):
    """Like ``value_range`` with a minimum, but the bound depends on the draft's target level
    (``target_level``), e.g. maturity ≥2/2/3/4 for 基础/先进/卓越/领航级."""

    kind: Literal["min_value_by_level"]
    implicit_reads: ClassVar[tuple[str, ...]] = ("target_level",)
    field: DraftPath
    min_by_level: dict[str, float]


class ForbiddenValues(Params):
    """No value of a (list or scalar) field matches a forbidden value
    (``exact`` or ``contains``), e.g. earlier awards or a C+ credit rating.
    Comparison ignores spaces, width and case; ``exact`` also a trailing 级
    ("c级" is "C"). With ``recognised`` (the whole scale, e.g. every credit
    grade), a value that is neither forbidden nor recognised is unknown, not a pass."""

    kind: Literal["forbidden_values"]
    field: DraftPath
    values: list[str] = Field(min_length=1)
    match: Literal["exact", "contains"] = "exact"
    recognised: list[str] | None = None


class HonoursExcluded(Params):
    """No honour the draft lists is one the policy excludes, matched by its
    parts (issuing level, name, year) rather than as a fixed string: a certain
    match fails, a close one (level not written, a word differs, the year
    cannot settle ``within_years``) warns for review. With ``within_years``
    only honours won within that many years before ``as_of_field`` count."""

    kind: Literal["honours_excluded"]
    blank_means: ClassVar[BlankMeans] = "depends"  # no excluded honour: the date is not needed
    field: DraftPath = "enterprise.honours"
    excluded: list[HonourPattern] = Field(min_length=1)
    within_years: float | None = Field(default=None, gt=0)
    as_of_field: DraftPath | None = None

    @model_validator(mode="after")
    def _window(self) -> HonoursExcluded:
        if (self.within_years is None) != (self.as_of_field is None):
            raise ValueError("within_years and as_of_field go together")
        return self


class MinSum(Params):
    """The sum of the listed money fields (万元) is ≥ ``min``. Fields in
    ``excluded`` are reported but never counted (e.g. salaries)."""

    kind: Literal["min_sum"]
    blank_means: ClassVar[BlankMeans] = "depends"
    items: list[DraftPath] = Field(min_length=1)
    min: float
    excluded: list[DraftPath] = []
    unit: Literal["万元"] = "万元"


class SumEquals(Params):
    """A total field equals the sum of its item fields within ``tolerance``
    (with ``exhaustive: false``, the items — listed as "其中" — need only not
    exceed it). Items left blank are unknown amounts: when the filled items are
    below the total the blanks could make up the rest, so the rule is
    ``unknown``; items already above the total fail whatever the blanks hold."""

    kind: Literal["sum_equals"]
    blank_means: ClassVar[BlankMeans] = "depends"
    total: DraftPath
    items: list[DraftPath] = Field(min_length=1)
    tolerance: float = 0.01
    exhaustive: bool = True


class MinSelected(Params):
    """At least ``min`` (and at most ``max``) options ticked in a catalogue list
    (``list``), optionally counting only ``options`` (item ids)."""

    kind: Literal["min_selected"]
    reads_ticks: ClassVar[bool] = True
    list: ListId
    min: int = Field(ge=0)
    max: int | None = None
    options: builtins.list[str] | None = None


class EachGroupMin(Params):
    """Every group (direction) of a list has ≥ ``min_per_group`` ticked items;
    ``groups`` restricts which groups must (default all)."""

    kind: Literal["each_group_min"]
    reads_ticks: ClassVar[bool] = True
    list: ListId
    min_per_group: int = Field(default=1, ge=1)
    groups: builtins.list[str] | None = None


class GroupComplete(Params):
    """At least ``min_groups`` groups of a list have *all* their items ticked."""

    kind: Literal["group_complete"]
    reads_ticks: ClassVar[bool] = True
    list: ListId
    min_groups: int = Field(default=1, ge=1)


class SingleGroup(Params):
    """Items are ticked in exactly one group, with ≥ ``min_items`` there; ticks
    in several groups give ``warn`` (the text asks for one)."""

    kind: Literal["single_group"]
    reads_ticks: ClassVar[bool] = True
    list: ListId
    min_items: int = Field(default=1, ge=1)


class MinDistinctGroups(Params):
    """The ticked items of a list span at least ``min`` distinct groups
    (e.g. 5G scenarios across ≥4 of 5 环节)."""

    kind: Literal["min_distinct_groups"]
    reads_ticks: ClassVar[bool] = True
    list: ListId
    min: int = Field(ge=1)


class MinRows(Params):
    """A draft table has at least ``min`` non-empty rows (distinct by
    ``distinct_column`` when given), e.g. the number of claimed scenarios."""

    kind: Literal["min_rows"]
    table: TableId
    min: int = Field(ge=1)
    distinct_column: ColumnId | None = None


class MinDistinctValues(Params):
    """A draft table column takes at least ``min`` distinct non-empty values
    (e.g. scenarios spread over ≥7 环节). With ``list``, each value is first
    mapped to the catalogue item it names (计划调度环节 = 计划调度), so spelling
    variants of one 环节 count once, and values naming no item do not count;
    ``list_by`` chooses the list by a draft field's value (as in
    ``table_values_allowed``)."""

    kind: Literal["min_distinct_values"]
    table: TableId
    column: ColumnId
    min: int = Field(ge=1)
    list: ListId | None = None
    list_by_field: DraftPath | None = None
    list_by: dict[str, ListId] | None = None

    @model_validator(mode="after")
    def _list_source(self) -> MinDistinctValues:
        if self.list is not None and self.list_by is not None:
            raise ValueError("give at most one of list / list_by")
        if self.list_by is not None and not self.list_by_field:
            raise ValueError("list_by needs list_by_field")
        return self


class CharLimit(Params):
    """A section's text is at most ``limit`` 字 counted as Word counts them;
    unknown when the section is absent or empty."""

    kind: Literal["char_limit"]
    section: SectionId
    limit: int = Field(gt=0)


class TableCharLimits(Params):
    """Every cell of the listed columns of a table is within its 字数 limit."""

    kind: Literal["table_char_limits"]
    table: TableId
    limits: dict[ColumnId, int] = Field(min_length=1)


class TableValuesAllowed(Params):
    """Every non-empty cell of ``column`` names an item of the catalogue list
    ``list``; or, with ``list_by``, of the list chosen by a draft field's value
    (e.g. ``factory_type`` → the 离散型 or 流程型 环节 list)."""

    kind: Literal["table_values_allowed"]
    table: TableId
    column: ColumnId
    list: ListId | None = None
    list_by_field: DraftPath | None = None
    list_by: dict[str, ListId] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TableValuesAllowed:
        if (self.list is None) == (self.list_by is None):
            raise ValueError("give exactly one of list / list_by")
        if self.list_by is not None and not self.list_by_field:
            raise ValueError("list_by needs list_by_field")
        return self


class TableQuantified(Params):
    """Every non-empty cell of ``column`` states at least one number
    (e.g. 实施成果 must be quantified)."""

    kind: Literal["table_quantified"]
    table: TableId
    column: ColumnId


class CreditCode(Params):
    """The 统一社会信用代码 has 18 characters and a valid GB 32100-2015 check digit."""

    kind: Literal["credit_code"]
    field: DraftPath = "enterprise.credit_code"


class SizeClassDef(Strict):
    """One enterprise size class with its lower bounds (从业人员 persons,
    营业收入 万元). ``all`` requires every bound, ``any`` one of them."""

    name: str
    employees_min: float | None = None
    revenue_min: float | None = None
    employees_max: float | None = None
    revenue_max: float | None = None
    combine: Literal["all", "any"] = "all"


class SizeClass(Params):
    """The ticked size class equals the one computed from employees and revenue:
    classes are tried largest first; a class whose bounds are not all met
    drops to the next, and the last class is the fallback — unless
    ``fallback`` is false: figures meeting no class's bounds then fit no class
    (a size footnote read literally, without the "下划一档" rule)."""

    kind: Literal["size_class"]
    field: DraftPath = "enterprise.size_class"
    employees_field: DraftPath = "enterprise.employees"
    revenue_field: DraftPath = "enterprise.revenue"
    classes: list[SizeClassDef] = Field(min_length=2)
    fallback: bool = True


class PairBound(Strict):
    """``part`` must not exceed ``whole``."""

    part: DraftPath
    whole: DraftPath


class MetricsSane(Params):
    """Before/after figures are plausible: percentages within 0–100, each
    ``part`` ≤ its ``whole`` (e.g. networked devices ≤ key devices)."""

    kind: Literal["metrics_sane"]
    blank_means: ClassVar[BlankMeans] = "depends"
    percent_fields: list[DraftPath] = []
    pairs: list[PairBound] = []


class SelfEvalScore(Params):
    """The js-gradient-2025 self-evaluation score, computed from the indicator
    list ``list`` (levels, 符合程度, 不涉及 reweighting), is > ``min``."""

    kind: Literal["self_eval_score"]
    implicit_reads: ClassVar[tuple[str, ...]] = ("self_eval.indicators",)
    list: ListId
    min: float
    exclusive: bool = True
    unscored_as: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="How an indicator without levels (数字化投入规模) counts: not at all (None) "
        "or as this score out of 100, with the weight of one indicator.",
    )


class ScoreRecommendsLevel(Params):
    """The self-evaluation score recommends a level (score > band → that level);
    the target level must not exceed the recommended one."""

    kind: Literal["score_recommends_level"]
    implicit_reads: ClassVar[tuple[str, ...]] = ("target_level", "self_eval.indicators")
    list: ListId
    bands: dict[str, float]


class SceneLevelCount(Params):
    """The number of scenarios (of catalogue ``list``) whose achieved level is at
    least the target level meets ``min_by_level``."""

    kind: Literal["scene_level_count"]
    implicit_reads: ClassVar[tuple[str, ...]] = ("target_level", "self_eval.scenario_levels")
    list: ListId
    min_by_level: dict[str, int]


class LinkCoverage(Params):
    """The scenarios counted for the target level cover the required
    construction 环节; scenario → 环节 goes through the mapping list ``mapping``
    (an assumption where the text gives none)."""

    kind: Literal["link_coverage"]
    implicit_reads: ClassVar[tuple[str, ...]] = ("target_level", "self_eval.scenario_levels")
    list: ListId
    mapping: ListId
    required_by_level: dict[str, builtins.list[str]]


RuleParams = Annotated[
    RequiredFields
    | ExpectValue
    | RegionIn
    | MinDuration
    | DateBefore
    | DateWithinYears
    | DateAfter
    | DateBetween
    | ValueRange
    | MinValueByLevel
    | ForbiddenValues
    | HonoursExcluded
    | MinSum
    | SumEquals
    | MinSelected
    | EachGroupMin
    | GroupComplete
    | SingleGroup
    | MinDistinctGroups
    | MinRows
    | MinDistinctValues
    | CharLimit
    | TableCharLimits
    | TableValuesAllowed
    | TableQuantified
    | CreditCode
    | SizeClass
    | MetricsSane
    | SelfEvalScore
    | ScoreRecommendsLevel
    | SceneLevelCount
    | LinkCoverage
    | Attachments
    | UniquePerBatch,
    Field(discriminator="kind"),
]

RULE_PARAMS: dict[str, type[Params]] = {
    m.model_fields["kind"].annotation.__args__[0]: m
    for m in RuleParams.__origin__.__args__  # type: ignore[attr-defined]
}


Decided = Literal["pass", "fail"]


class Reading(Strict):
    """Another reading of a rule's text besides the one its ``check`` encodes,
    as data: the engine reports an outcome as certain only when every reading
    gives it, and ``warn`` (saying which reading gives what) where they differ.

    - ``check``: the parameters that change under this reading (merged into
      the rule's check; the kind computes the outcome under it);
    - ``uncertain``: outcomes of the rule's own check this reading cannot
      confirm because what it needs is in neither the sources nor the draft
      (a scenario list the corpus does not hold, the split of a total the
      form does not ask for, an alternative condition no kind can judge).
    """

    label: str = Field(min_length=4, description="这种读法（中文），用于消息")
    check: dict[str, Any] | None = None
    uncertain: list[Decided] = []

    @model_validator(mode="after")
    def _one_effect(self) -> Reading:
        if (self.check is None) == (not self.uncertain):
            raise ValueError("a reading gives exactly one of check (parameters) / uncertain (outcomes)")
        if self.check is not None and "kind" in self.check:
            raise ValueError("a reading changes the parameters of the rule's kind, not the kind")
        return self


class Rule(Strict):
    """One rule of a programme: stable id, what it checks, its kind's params."""

    id: str
    title: str = Field(min_length=2, description="短标题：检查什么（中文）")
    severity: Severity
    check: RuleParams
    citation: Citation
    note: str | None = Field(
        default=None, description="The choice made where the text is silent or ambiguous."
    )
    applies_when: dict[str, list[Scalar]] | None = Field(
        default=None,
        description="Draft field path → values for which the rule applies (e.g. factory_type: [离散型]); "
        "n/a for other values, unknown when the field is empty. Values are typed as the field is: "
        "YAML true/false for a yes/no field, a date for a date field (core/conditions.py).",
    )
    readings: list[Reading] = Field(
        default=[],
        description="Other readings of an ambiguous text: an outcome is reported only where every reading "
        "gives it, else warn (design.md: warn only where the readings disagree).",
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not RULE_ID_RE.match(v):
            raise ValueError(f"rule id {v!r} must be a lowercase slug like 'investment-min'")
        return v

    @field_validator("citation")
    @classmethod
    def _quote_long_enough(cls, v: Citation) -> Citation:
        if len(v.quote) < 4:
            raise ValueError("citation quote must hold at least 4 characters of the clause")
        return v

    @model_validator(mode="after")
    def _typed_values(self) -> Rule:
        """Every value the rule compares with a draft field can match it (its type)."""
        problems: list[str] = []
        for path, values in (self.applies_when or {}).items():
            if not values:
                problems.append(
                    f"applies_when 的「{path}」没有列出任何值，本条永远不会适用。例如：{path}: [离散型]"
                )
            problems += [f"applies_when：{p}" for v in values if (p := value_problem(path, v))]
        if isinstance(self.check, ExpectValue) and (p := value_problem(self.check.field, self.check.equals)):
            problems.append(f"check.equals：{p}")
        problems += [
            f"check.{name}：{p}" for name, p in param_field_problems(self.check.kind, self.check.model_dump())
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @model_validator(mode="after")
    def _readings_valid(self) -> Rule:
        for r in self.readings:
            self.reading_params(r)  # raises ValueError when the changed parameters are invalid
        return self

    def reading_params(self, reading: Reading) -> Params:
        """The rule's check with the parameters ``reading`` changes."""
        if reading.check is None:
            return self.check
        merged = {**self.check.model_dump(), **reading.check}
        return type(self.check).model_validate(merged)

    def uncertain_outcomes(self) -> set[str]:
        """The outcomes of the rule's check that some reading cannot confirm
        (they are reported as ``warn``)."""
        return {o for r in self.readings for o in r.uncertain}

    def reads(self) -> set[str]:
        """The draft paths this rule reads: its draft-path parameters, its table
        columns (``tables.<id>.<column>``, or ``tables.<id>.#rows`` for a row
        count), its section, the ticks of its list for selection kinds, the
        kind's implicit reads and the fields ``applies_when`` tests."""
        p = self.check
        refs = list(references(p))
        for r in self.readings:
            refs += [x for x in references(self.reading_params(r)) if x not in refs]
        out: set[str] = set(self.applies_when or {})
        out |= {v for k, v in refs if k == "draft_path"}
        out |= {f"sections.{v}" for k, v in refs if k == "section"}
        for table in (v for k, v in refs if k == "table"):
            cols = [v for k, v in refs if k == "column"]
            out |= {f"tables.{table}.{c}" for c in cols} or {f"tables.{table}.#rows"}
        if p.reads_ticks:
            out |= {f"selections.{v}" for k, v in refs if k == "list" and v == getattr(p, "list", None)}
        out |= set(p.implicit_reads)
        return out


class SectionSpec(Strict):
    """A free-text section of the 申报书 (its limit, if any, is a char_limit rule)."""

    id: str
    title: str
    hint: str | None = Field(default=None, description="Instruction text printed in the form.")


class ColumnSpec(Strict):
    """A column of a form table."""

    id: str
    title: str


class TableSpec(Strict):
    """A repeating table of the 申报书 (scenario rows, equipment rows ...)."""

    id: str
    title: str
    columns: list[ColumnSpec] = Field(min_length=1)
    example: dict[str, str] | None = Field(default=None, description="Worked example row from the text.")


class FieldSpec(Strict):
    """A label → value field of the form: where the reader finds a draft value."""

    path: str
    label: str
    aliases: list[str] = []
    unit: str | None = None


ClaimKind = Literal["scenario", "link", "indicator", "element", "level"]


class ClaimSource(Strict):
    """Where a programme's draft makes claims that need evidence (the evidence
    review reads these; no rule does). Exactly one source:

    - ``table``: each non-empty row is a claim, named by ``title_column``, its
      text in ``text_columns``;
    - ``ticks``: each ticked item of the list is a claim, its text the
      paragraphs of ``sections`` that mention it (no ``sections``: every text
      section of the draft);
    - ``levels``: each scenario of ``self_eval.scenario_levels`` (keyed by the
      list's ids) is a claim at its level, its text from ``sections``.

    ``list`` (or ``list_by_field``/``list_by``, chosen by a draft field) is the
    catalogue whose item a table row names; its item text is the claim's
    policy definition.
    """

    kind: ClaimKind
    table: TableId | None = None
    title_column: ColumnId | None = None
    item_column: ColumnId | None = Field(
        default=None, description="The column naming the catalogue item (default: title_column)."
    )
    text_columns: builtins.list[ColumnId] = []
    ticks: ListId | None = None
    levels: ListId | None = None
    sections: builtins.list[SectionId] = []
    list: ListId | None = None
    list_by_field: DraftPath | None = None
    list_by: dict[str, ListId] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ClaimSource:
        sources = [x for x in (self.table, self.ticks, self.levels) if x is not None]
        if len(sources) != 1:
            raise ValueError("a claim source names exactly one of table, ticks, levels")
        if self.table is not None and (self.title_column is None or not self.text_columns):
            raise ValueError("a table claim source needs title_column and text_columns")
        if (self.list_by is None) != (self.list_by_field is None):
            raise ValueError("list_by and list_by_field go together")
        return self


ColumnRole = Literal[
    "describe", "problem", "solution", "support", "result", "other", "all", "overview", "profile"
]
"""What goes in a column; ``all`` is the one text column of a table that has only one
(system, how it works and results, in that order); ``overview`` is a limited text
section of the form (what the project is, what was built, how it works, results);
``profile`` is the company profile (what the company is, its products, scale and
honours: background numbers, no project results)."""


class DraftingColumn(Strict):
    """What one column of the scenario table is for (which facts go in it) and
    whether the form requires it. Its 字数 limit is the one the rules check
    (``table_char_limits`` on the table), so drafter and checker agree."""

    role: ColumnRole
    required: bool = True


class DraftingSpec(Strict):
    """What a writer drafts from facts: either the scenario table (``table``: the
    column that names the 环节, valid values from ``link_list``/``link_list_by``,
    an optional column naming the scenario, and the text columns by role) or one
    text section of the form with a 字数 limit (``section``: drafted as one column
    of role ``role``; its limit is the ``char_limit`` rule on the section)."""

    table: TableId | None = None
    section: SectionId | None = None
    role: ColumnRole = "overview"
    link_column: ColumnId | None = None
    scenario_column: ColumnId | None = None
    link_list: ListId | None = None
    link_list_by_field: DraftPath | None = None
    link_list_by: dict[str, ListId] | None = None
    columns: dict[ColumnId, DraftingColumn] = {}

    @model_validator(mode="after")
    def _one_target(self) -> DraftingSpec:
        if (self.table is None) == (self.section is None):
            raise ValueError("drafting: give exactly one of table / section")
        if self.table is not None and (self.link_column is None or not self.columns):
            raise ValueError("drafting of a table needs link_column and at least one column")
        if self.section is not None and (
            self.link_column or self.scenario_column or self.link_list or self.link_list_by or self.columns
        ):
            raise ValueError("drafting of a section takes only section and role (no columns or 环节)")
        return self

    @property
    def target(self) -> str:
        """The id of what is drafted: the table's or the section's."""
        return self.table or self.section or ""


class ProgrammeSpec(Strict):
    """Everything shenbao knows about one programme, as data."""

    id: str
    title: str
    issuer: str | None
    year: int | None
    docs: list[str] = Field(min_length=1)
    deadline: dt.date | None = None
    catalogues: list[str] = []
    variants: dict[str, list[str]] = Field(
        default={}, description="Draft-level choices, e.g. factory_type: [离散型, 流程型]."
    )
    notes: list[str] = []
    fields: list[FieldSpec] = []
    sections: list[SectionSpec] = []
    tables: list[TableSpec] = []
    attachments: list[str] = []
    rules: list[Rule] = Field(min_length=1)
    claims: list[ClaimSource] = Field(
        default=[], description="Where the draft makes claims that need evidence (evidence review)."
    )
    drafting: list[DraftingSpec] = Field(
        default=[],
        description="What can be drafted from a writer's facts: scenario tables (a row) and limited "
        "text sections, the first the default; one mapping is read as a list of one.",
    )

    @field_validator("drafting", mode="before")
    @classmethod
    def _drafting_list(cls, v: Any) -> Any:
        """The single-target form ``drafting: {table: …}`` reads as a list of one."""
        return [v] if isinstance(v, dict) else ([] if v is None else v)

    def draft_target(self, name: str | None = None) -> DraftingSpec | None:
        """The drafting target named ``name`` (its table or section id, or that
        table's or section's title), the first (default) one when ``name`` is
        None; None when the programme has no such target."""
        if name is None:
            return self.drafting[0] if self.drafting else None
        key = name.strip()
        titles = {s.id: s.title for s in self.sections} | {t.id: t.title for t in self.tables}
        for d in self.drafting:
            if key in (d.target, titles.get(d.target, "").strip()):
                return d
        return None

    def draft_target_title(self, d: DraftingSpec) -> str:
        """The form's title of a drafting target (its table's or section's)."""
        titles = {s.id: s.title for s in self.sections} | {t.id: t.title for t in self.tables}
        return titles.get(d.target, d.target)

    @property
    def scenario_drafting(self) -> DraftingSpec | None:
        """The first drafted table (the scenario table whose rows are written
        into a 申报书's grid), None when only sections are drafted."""
        return next((d for d in self.drafting if d.table is not None), None)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not PROGRAMME_ID_RE.match(v):
            raise ValueError(f"programme id {v!r} must be a lowercase slug")
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> ProgrammeSpec:
        for what, ids in (
            ("rule", [r.id for r in self.rules]),
            ("section", [s.id for s in self.sections]),
            ("table", [t.id for t in self.tables]),
        ):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"duplicate {what} id(s): {', '.join(dup)}")
        return self

    @model_validator(mode="after")
    def _drafted_section_limited(self) -> ProgrammeSpec:
        """A drafted section has a rule that checks its 字数 (the drafter's limit);
        no two targets draft the same table or section."""
        targets = [d.target for d in self.drafting]
        dup = sorted({t for t in targets if targets.count(t) > 1})
        if dup:
            raise ValueError(f"drafting: 同一目标列出多次：{'、'.join(dup)}")
        for d in self.drafting:
            if d.section is not None and section_limit(self, d.section) is None:
                raise ValueError(
                    f"drafting.section「{d.section}」没有检查其字数的 char_limit 规则：只有限字数的章节可以起草。"
                )
            for key, c in d.columns.items():
                if c.role in ("overview", "profile") and column_limit(self, d.table or "", key) is None:
                    raise ValueError(
                        f"drafting.table「{d.table}」的栏目「{key}」按章节起草，须有检查其字数的 table_char_limits 规则。"
                    )
        return self

    @model_validator(mode="after")
    def _values_allowed(self) -> ProgrammeSpec:
        """A value compared with a field of fixed values (``variants``, the target
        level) is one of them: another can never match."""
        problems: list[str] = []
        for r in self.rules:
            compared = [("applies_when", path, v) for path, vs in (r.applies_when or {}).items() for v in vs]
            if isinstance(r.check, ExpectValue):
                compared.append(("check.equals", r.check.field, r.check.equals))
            for where, path, v in compared:
                if (p := value_problem(path, v, self.allowed_values(path))) is not None:
                    problems.append(f"规则 {r.id} · {where}：{p}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def allowed_values(self, path: str) -> list[str] | None:
        """The values a draft field may take in this programme, where fixed:
        the programme's ``variants`` (factory_type: [离散型, 流程型]), else the four
        levels for ``target_level``; None for free text."""
        if path in self.variants:
            return self.variants[path]
        return list(LEVELS) if path == "target_level" else None

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with this id (KeyError if absent)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def section_limit(spec: ProgrammeSpec, section: str) -> int | None:
    """The 字数 limit of a section, as the programme's ``char_limit`` rules check
    it (the smallest when several do); None when no rule limits it."""
    limits = [
        r.check.limit for r in spec.rules if isinstance(r.check, CharLimit) and r.check.section == section
    ]
    return min(limits) if limits else None


def column_limit(spec: ProgrammeSpec, table: str, column: str) -> int | None:
    """The 字数 limit of a table's column, as the programme's ``table_char_limits``
    rules check it (the smallest when several do); None when no rule limits it."""
    limits = [
        r.check.limits[column]
        for r in spec.rules
        if isinstance(r.check, TableCharLimits) and r.check.table == table and column in r.check.limits
    ]
    return min(limits) if limits else None


def params_schema_doc() -> dict[str, Any]:
    """Kind name → (docstring, parameter names), for docs and ``shenbao kinds``."""
    return {
        name: {
            "doc": " ".join((model.__doc__ or "").split()),
            "params": [f for f in model.model_fields if f != "kind"],
        }
        for name, model in RULE_PARAMS.items()
    }
