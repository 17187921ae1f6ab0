"""Rule kinds over ticked options of a catalogue list (checkbox groups)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol, TypeVar

from checkers.registry import Context, evidence, measure, rule_kind
from core import spec as s
from core.catalogue import CatalogueList, Item
from core.findings import Outcome, missing_evidence


def ticked_items(ctx: Context, list_id: str) -> tuple[CatalogueList, list[Item]] | None:
    """The list and its ticked items, or None when the draft has no ticks for it."""
    lst = ctx.lists[list_id]
    ticks = ctx.draft.selections.get(list_id)
    if ticks is None:
        return None
    items = [i for i in lst.items if i.id in ticks or i.name in ticks]
    return lst, items


def _unknown(ctx: Context, list_id: str) -> Outcome:
    title = ctx.lists[list_id].title
    return Outcome(
        "unknown",
        f"申报书中未找到「{title}」的勾选情况，无法判断。",
        missing_evidence((f"selections.{list_id}", title)),
    )


class _ListParams(Protocol):
    """Params of a rule kind over one catalogue list."""

    @property
    def list(self) -> str: ...


P = TypeVar("P", bound=_ListParams)
TickedFn = Callable[[P, CatalogueList, list[Item]], Outcome]


def selection_kind(name: str) -> Callable[[TickedFn[P]], Callable[[P, Context], Outcome]]:
    """Register rule kind ``name`` over the ticks of ``p.list``: the decorated
    function gets the list and its ticked items; a draft with no ticks for the
    list is ``unknown`` without calling it."""

    def deco(fn: TickedFn[P]) -> Callable[[P, Context], Outcome]:
        @functools.wraps(fn)
        def kind(p: P, ctx: Context) -> Outcome:
            got = ticked_items(ctx, p.list)
            if got is None:
                return _unknown(ctx, p.list)
            return fn(p, *got)

        return rule_kind(name)(kind)  # pragma: no mutate (runs at import, before any mutant is active)

    return deco


def _names(items: list[Item]) -> str:
    return "、".join(i.name for i in items) or "无"


@selection_kind("min_selected")
def min_selected(p: s.MinSelected, lst: CatalogueList, items: list[Item]) -> Outcome:
    """Enough (and not too many) options are ticked."""
    if p.options is not None:
        items = [i for i in items if i.id in p.options or i.name in p.options]
    n = len(items)
    ev = evidence(
        measure("selected", f"已勾选（{lst.title}）", [i.name for i in items]),
        measure("count", "勾选数", n, "项"),
        measure("min", "要求至少", p.min, "项"),
        *([measure("max", "至多", p.max, "项")] if p.max is not None else []),
    )
    pool = len(p.options) if p.options is not None else len(lst.items)
    if n < p.min:
        return Outcome(
            "fail",
            f"「{lst.title}」勾选 {n} 项（{_names(items)}），要求至少 {p.min} 项（共 {pool} 项）。",
            ev,
        )
    if p.max is not None and n > p.max:
        return Outcome("fail", f"「{lst.title}」勾选 {n} 项，最多只能选 {p.max} 项。", ev)
    most = f"、至多 {p.max} 项" if p.max is not None else ""
    return Outcome("pass", f"「{lst.title}」勾选 {n} 项，满足至少 {p.min} 项{most}。", ev)


@selection_kind("each_group_min")
def each_group_min(p: s.EachGroupMin, lst: CatalogueList, items: list[Item]) -> Outcome:
    """Every direction has at least the required number of ticks."""
    groups = p.groups or list(lst.group_items())
    counts = {g: sum(1 for i in items if i.group == g) for g in groups}
    short = [g for g, n in counts.items() if n < p.min_per_group]
    ev = evidence(
        measure("per_group", "各方向勾选数", counts),
        measure("min_per_group", "每个方向至少", p.min_per_group, "项"),
    )
    if short:
        return Outcome(
            "fail",
            f"「{lst.title}」中以下方向未涉及（每个方向至少 {p.min_per_group} 项）：{'、'.join(short)}。",
            ev,
        )
    return Outcome("pass", f"「{lst.title}」{len(groups)} 个方向均已涉及。", ev)


@selection_kind("group_complete")
def group_complete(p: s.GroupComplete, lst: CatalogueList, items: list[Item]) -> Outcome:
    """At least one direction has all of its items ticked."""
    ticked = {i.id for i in items}
    complete, partial = [], {}
    for g, members in lst.group_items().items():
        lacking = [m.name for m in members if m.id not in ticked]
        if not lacking:
            complete.append(g)
        elif len(lacking) < len(members):
            partial[g] = lacking
    ev = evidence(
        measure("complete", "指标全部具备的方向", complete), measure("partial", "尚缺的指标", partial)
    )
    if len(complete) >= p.min_groups:
        return Outcome("pass", f"「{lst.title}」方向「{'、'.join(complete)}」的指标已全部具备。", ev)
    hint = "；".join(f"{g}还缺{'、'.join(v)}" for g, v in partial.items())
    if complete:
        head = f"「{lst.title}」仅方向「{'、'.join(complete)}」的指标全部具备，要求至少 {p.min_groups} 个方向全具备。"
    else:
        head = f"「{lst.title}」没有任何方向的指标全部具备（至少 {p.min_groups} 个方向须全具备）。"
    return Outcome("fail", head + (f"{hint}。" if hint else ""), ev)


@selection_kind("single_group")
def single_group(p: s.SingleGroup, lst: CatalogueList, items: list[Item]) -> Outcome:
    """Ticks fall in one direction (mode) with enough items; several gives warn."""
    by_group: dict[str, int] = {}
    for i in items:
        by_group[i.group or ""] = by_group.get(i.group or "", 0) + 1
    ev = evidence(measure("per_group", "各模式勾选数", by_group))
    if not by_group:
        return Outcome(
            "fail", f"「{lst.title}」未勾选任何指标，至少须满足所选模式中的 {p.min_items} 项。", ev
        )
    if len(by_group) > 1:
        return Outcome(
            "warn",
            f"「{lst.title}」同时勾选了 {len(by_group)} 个模式（{'、'.join(by_group)}），政策要求选择一种新模式，请确认主模式。",
            ev,
        )
    ((g, n),) = by_group.items()
    if n < p.min_items:
        return Outcome("fail", f"「{lst.title}」模式「{g}」仅 {n} 项，至少须 {p.min_items} 项。", ev)
    return Outcome("pass", f"「{lst.title}」选择模式「{g}」，满足 {n} 项指标。", ev)


@selection_kind("min_distinct_groups")
def min_distinct_groups(p: s.MinDistinctGroups, lst: CatalogueList, items: list[Item]) -> Outcome:
    """The ticked items span enough distinct groups."""
    groups = list(dict.fromkeys(i.group for i in items if i.group))
    ev = evidence(
        measure("groups", "覆盖的环节", groups),
        measure("count", "覆盖数", len(groups), "个"),
        measure("min", "要求至少", p.min, "个"),
    )
    if len(groups) >= p.min:
        return Outcome("pass", f"「{lst.title}」覆盖 {len(groups)} 个环节（{'、'.join(groups)}）。", ev)
    return Outcome("fail", f"「{lst.title}」仅覆盖 {len(groups)} 个环节，要求至少 {p.min} 个。", ev)
