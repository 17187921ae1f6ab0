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
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROGRAMME_ID_RE = RULE_ID_RE
Severity = Literal["error", "warning", "info"]
LEVELS = ("基础级", "先进级", "卓越级", "领航级")


class Strict(BaseModel):
    """Base for every spec model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    """Where a rule comes from: a corpus doc, a clause path and a verbatim quote.

    ``clause`` is a path of heading/clause labels joined by " > ", e.g.
    ``"一、申报条件 > 2"``; every component must occur in the doc. ``quote``
    must occur verbatim in the doc (whitespace ignored).
    """

    doc: str
    clause: str
    quote: str = Field(min_length=4)


# --------------------------------------------------------------------------
# Rule kinds and their parameters. One model per kind; the docstring says what
# the kind checks. The engine (issue 3) implements each as a pure function.
# --------------------------------------------------------------------------


class RequiredFields(Strict):
    """Every listed draft field is present and non-empty; a missing one fails
    (the form is incomplete) and the message names it."""

    kind: Literal["required_fields"]
    fields: list[str] = Field(min_length=1)


class ExpectValue(Strict):
    """A draft field equals the expected value (e.g. ``enterprise.major_accident``
    is ``false``); unknown when the field is absent."""

    kind: Literal["expect_value"]
    field: str
    equals: bool | str | int


class RegionIn(Strict):
    """The registered address lies in the province and, if given, one of the
    cities (a city's counties count, e.g. 昆山 is in 苏州市)."""

    kind: Literal["region_in"]
    field: str = "enterprise.registered_address"
    province: str | None = None
    cities: list[str] | None = None


class MinDuration(Strict):
    """At least ``min_years`` between a date field (e.g. the founding or licence
    date) and a reference date: a fixed ``as_of`` or another field."""

    kind: Literal["min_duration"]
    field: str
    min_years: float = Field(gt=0)
    as_of: dt.date | None = None
    as_of_field: str | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> MinDuration:
        if (self.as_of is None) == (self.as_of_field is None):
            raise ValueError("give exactly one of as_of / as_of_field")
        return self


class DateBefore(Strict):
    """A date field (e.g. the project's completion) lies on or before a fixed
    date or another date field (e.g. the application date)."""

    kind: Literal["date_before"]
    field: str
    before: dt.date | None = None
    before_field: str | None = None
    same_month_ok: bool = Field(
        default=False,
        description="A date in the reference date's month also passes (month-precision periods).",
    )

    @model_validator(mode="after")
    def _one_reference(self) -> DateBefore:
        if (self.before is None) == (self.before_field is None):
            raise ValueError("give exactly one of before / before_field")
        return self


class DateWithinYears(Strict):
    """A date field lies within ``years`` years before a reference date field
    (e.g. investment made within 3 years of the application)."""

    kind: Literal["date_within_years"]
    field: str
    years: float = Field(gt=0)
    of_field: str


class MinValue(Strict):
    """A numeric draft field is ≥ ``min`` (or > when ``exclusive``) and/or
    ≤ ``max``; unknown when absent. Used for levels and platform figures."""

    kind: Literal["min_value"]
    field: str
    min: float | None = None
    max: float | None = None
    exclusive: bool = False
    unit: str | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> MinValue:
        if self.min is None and self.max is None:
            raise ValueError("give min and/or max")
        return self


class MinValueByLevel(Strict):
    """Like ``min_value`` but the bound depends on the draft's target level
    (``target_level``), e.g. maturity ≥2/2/3/4 for 基础/先进/卓越/领航级."""

    kind: Literal["min_value_by_level"]
    field: str
    min_by_level: dict[str, float]


class ForbiddenValues(Strict):
    """No value of a (list or scalar) field matches a forbidden value
    (``exact`` or ``contains``), e.g. earlier awards or a C+ credit rating."""

    kind: Literal["forbidden_values"]
    field: str
    values: list[str] = Field(min_length=1)
    match: Literal["exact", "contains"] = "exact"


class MinSum(Strict):
    """The sum of the listed money fields (万元) is ≥ ``min``. Fields in
    ``excluded`` are reported but never counted (e.g. salaries)."""

    kind: Literal["min_sum"]
    items: list[str] = Field(min_length=1)
    min: float
    excluded: list[str] = []
    unit: Literal["万元"] = "万元"


class SumEquals(Strict):
    """A total field equals the sum of its item fields within ``tolerance``."""

    kind: Literal["sum_equals"]
    total: str
    items: list[str] = Field(min_length=1)
    tolerance: float = 0.01


class MinSelected(Strict):
    """At least ``min`` (and at most ``max``) options ticked in a catalogue list
    (``list``), optionally counting only ``options`` (item ids)."""

    kind: Literal["min_selected"]
    list: str
    min: int = Field(ge=0)
    max: int | None = None
    options: builtins.list[str] | None = None


class EachGroupMin(Strict):
    """Every group (direction) of a list has ≥ ``min_per_group`` ticked items;
    ``groups`` restricts which groups must (default all)."""

    kind: Literal["each_group_min"]
    list: str
    min_per_group: int = Field(default=1, ge=1)
    groups: builtins.list[str] | None = None


class GroupComplete(Strict):
    """At least ``min_groups`` groups of a list have *all* their items ticked."""

    kind: Literal["group_complete"]
    list: str
    min_groups: int = Field(default=1, ge=1)


class SingleGroup(Strict):
    """Items are ticked in exactly one group, with ≥ ``min_items`` there; ticks
    in several groups give ``warn`` (the text asks for one)."""

    kind: Literal["single_group"]
    list: str
    min_items: int = Field(default=1, ge=1)


class MinDistinctGroups(Strict):
    """The ticked items of a list span at least ``min`` distinct groups
    (e.g. 5G scenarios across ≥4 of 5 环节)."""

    kind: Literal["min_distinct_groups"]
    list: str
    min: int = Field(ge=1)


class MinRows(Strict):
    """A draft table has at least ``min`` non-empty rows (distinct by
    ``distinct_column`` when given), e.g. the number of claimed scenarios."""

    kind: Literal["min_rows"]
    table: str
    min: int = Field(ge=1)
    distinct_column: str | None = None


class MinDistinctValues(Strict):
    """A draft table column takes at least ``min`` distinct non-empty values
    (e.g. scenarios spread over ≥7 环节). With ``list``, each value is first
    mapped to the catalogue item it names (计划调度环节 = 计划调度), so spelling
    variants of one 环节 count once, and values naming no item do not count;
    ``list_by`` chooses the list by a draft field's value (as in
    ``table_values_allowed``)."""

    kind: Literal["min_distinct_values"]
    table: str
    column: str
    min: int = Field(ge=1)
    list: str | None = None
    list_by_field: str | None = None
    list_by: dict[str, str] | None = None

    @model_validator(mode="after")
    def _list_source(self) -> MinDistinctValues:
        if self.list is not None and self.list_by is not None:
            raise ValueError("give at most one of list / list_by")
        if self.list_by is not None and not self.list_by_field:
            raise ValueError("list_by needs list_by_field")
        return self


class CharLimit(Strict):
    """A section's text is at most ``limit`` 字 counted as Word counts them;
    unknown when the section is absent or empty."""

    kind: Literal["char_limit"]
    section: str
    limit: int = Field(gt=0)


class TableCharLimits(Strict):
    """Every cell of the listed columns of a table is within its 字数 limit."""

    kind: Literal["table_char_limits"]
    table: str
    limits: dict[str, int] = Field(min_length=1)


class TableValuesAllowed(Strict):
    """Every non-empty cell of ``column`` names an item of the catalogue list
    ``list``; or, with ``list_by``, of the list chosen by a draft field's value
    (e.g. ``factory_type`` → the 离散型 or 流程型 环节 list)."""

    kind: Literal["table_values_allowed"]
    table: str
    column: str
    list: str | None = None
    list_by_field: str | None = None
    list_by: dict[str, str] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TableValuesAllowed:
        if (self.list is None) == (self.list_by is None):
            raise ValueError("give exactly one of list / list_by")
        if self.list_by is not None and not self.list_by_field:
            raise ValueError("list_by needs list_by_field")
        return self


class TableQuantified(Strict):
    """Every non-empty cell of ``column`` states at least one number
    (e.g. 实施成果 must be quantified)."""

    kind: Literal["table_quantified"]
    table: str
    column: str


class CreditCode(Strict):
    """The 统一社会信用代码 has 18 characters and a valid GB 32100-2015 check digit."""

    kind: Literal["credit_code"]
    field: str = "enterprise.credit_code"


class SizeClassDef(Strict):
    """One enterprise size class with its lower bounds (从业人员 persons,
    营业收入 万元). ``all`` requires every bound, ``any`` one of them."""

    name: str
    employees_min: float | None = None
    revenue_min: float | None = None
    employees_max: float | None = None
    revenue_max: float | None = None
    combine: Literal["all", "any"] = "all"


class SizeClass(Strict):
    """The ticked size class equals the one computed from employees and revenue:
    classes are tried largest first; a class whose bounds are not all met
    drops to the next."""

    kind: Literal["size_class"]
    field: str = "enterprise.size_class"
    employees_field: str = "enterprise.employees"
    revenue_field: str = "enterprise.revenue"
    classes: list[SizeClassDef] = Field(min_length=2)


class PairBound(Strict):
    """``part`` must not exceed ``whole``."""

    part: str
    whole: str


class MetricsSane(Strict):
    """Before/after figures are plausible: percentages within 0–100, each
    ``part`` ≤ its ``whole`` (e.g. networked devices ≤ key devices)."""

    kind: Literal["metrics_sane"]
    percent_fields: list[str] = []
    pairs: list[PairBound] = []


class SelfEvalScore(Strict):
    """The js-gradient-2025 self-evaluation score, computed from the indicator
    list ``list`` (levels, 符合程度, 不涉及 reweighting), is > ``min``."""

    kind: Literal["self_eval_score"]
    list: str
    min: float
    exclusive: bool = True


class ScoreRecommendsLevel(Strict):
    """The self-evaluation score recommends a level (score > band → that level);
    the target level must not exceed the recommended one."""

    kind: Literal["score_recommends_level"]
    list: str
    bands: dict[str, float]


class SceneLevelCount(Strict):
    """The number of scenarios (of catalogue ``list``) whose achieved level is at
    least the target level meets ``min_by_level``."""

    kind: Literal["scene_level_count"]
    list: str
    min_by_level: dict[str, int]


class LinkCoverage(Strict):
    """The scenarios counted for the target level cover the required
    construction 环节; scenario → 环节 goes through the mapping list ``mapping``
    (an assumption where the text gives none)."""

    kind: Literal["link_coverage"]
    list: str
    mapping: str
    required_by_level: dict[str, builtins.list[str]]


RuleParams = Annotated[
    RequiredFields
    | ExpectValue
    | RegionIn
    | MinDuration
    | DateBefore
    | DateWithinYears
    | MinValue
    | MinValueByLevel
    | ForbiddenValues
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
    | LinkCoverage,
    Field(discriminator="kind"),
]

RULE_PARAMS: dict[str, type[BaseModel]] = {
    m.model_fields["kind"].annotation.__args__[0]: m
    for m in RuleParams.__origin__.__args__  # type: ignore[attr-defined]
}


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
    applies_when: dict[str, list[str]] | None = Field(
        default=None,
        description="Draft field path → values for which the rule applies (e.g. factory_type: [离散型]); "
        "n/a for other values, unknown when the field is empty.",
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not RULE_ID_RE.match(v):
            raise ValueError(f"rule id {v!r} must be a lowercase slug like 'investment-min'")
        return v


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

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with this id (KeyError if absent)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def params_schema_doc() -> dict[str, Any]:
    """Kind name → (docstring, parameter names), for docs and ``shenbao kinds``."""
    return {
        name: {
            "doc": " ".join((model.__doc__ or "").split()),
            "params": [f for f in model.model_fields if f != "kind"],
        }
        for name, model in RULE_PARAMS.items()
    }
