"""Generators of the selection kinds (mirrors ``checkers/kinds/selections.py``):
ticks in a catalogue list, counted overall, per group or across groups."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut, missing, set_
from eval.checkers.generators.registry import generator


def _ticks(g: Gen, list_id: str) -> list[str]:
    return list(g.v(f"selections.{list_id}") or [])


def _group_of(g: Gen, list_id: str) -> dict[str, str]:
    return {i.id: i.group or "" for i in g.lists[list_id].items}


@generator("min_selected")
def g_min_selected(g: Gen, r: Rule) -> list[Mut]:
    """One tick below the minimum, exactly the minimum, one above the maximum."""
    p = r.check
    assert isinstance(p, s.MinSelected)
    ticks = _ticks(g, p.list)
    counted = [t for t in ticks if p.options is None or t in p.options]
    muts = []

    def untouched(removed: list[str]) -> tuple[str, ...]:
        """Sibling counts restricted to options none of which was removed keep their status."""
        return tuple(
            x.id
            for x in g.spec.rules
            if x.id != r.id
            and isinstance(x.check, s.MinSelected)
            and x.check.list == p.list
            and x.check.options is not None
            and not set(x.check.options) & set(removed)
        )

    if p.min > 0:
        keep_n = p.min - 1
        drop_ids = counted[keep_n:]
        left = [t for t in ticks if t not in drop_ids]
        muts.append(
            Mut(
                "one-below-min",
                "violation",
                set_(f"selections.{p.list}", left),
                f"只勾选 {keep_n} 项（要求至少 {p.min} 项）",
                keep=untouched(drop_ids),
            )
        )
        if len(counted) > p.min:
            exact = [t for t in ticks if t not in counted[p.min :]]
            muts.append(
                Mut(
                    "exactly-min",
                    "pass",
                    set_(f"selections.{p.list}", exact),
                    f"恰好勾选 {p.min} 项",
                    keep=untouched(counted[p.min :]),
                )
            )
    if p.max is not None:
        extra = [i.id for i in g.lists[p.list].items if p.options is None or i.id in p.options]
        muts.append(
            Mut(
                "above-max",
                "violation",
                set_(f"selections.{p.list}", extra[: p.max + 1]),
                f"勾选 {p.max + 1} 项（最多 {p.max} 项）",
            )
        )
    muts.append(missing(f"selections.{p.list}"))
    return muts


@generator("each_group_min")
def g_each_group_min(g: Gen, r: Rule) -> list[Mut]:
    """Each group's ticks removed in turn."""
    p = r.check
    assert isinstance(p, s.EachGroupMin)
    ticks, groups = _ticks(g, p.list), _group_of(g, p.list)
    names = p.groups or list(dict.fromkeys(i.group or "" for i in g.lists[p.list].items))
    muts = []
    for n, grp in enumerate(names, start=1):
        left = [t for t in ticks if groups.get(t) != grp]
        muts.append(
            Mut(f"group-{n}-empty", "violation", set_(f"selections.{p.list}", left), f"方向「{grp}」未勾选")
        )
    muts.append(missing(f"selections.{p.list}"))
    return muts


@generator("group_complete")
def g_group_complete(g: Gen, r: Rule) -> list[Mut]:
    """Each complete group missing one item; every group missing its last item."""
    p = r.check
    assert isinstance(p, s.GroupComplete)
    ticks = _ticks(g, p.list)
    members = g.lists[p.list].group_items()
    complete = [grp for grp, items in members.items() if all(i.id in ticks for i in items)]
    drop_ids = {members[grp][-1].id for grp in complete}
    left = [t for t in ticks if t not in drop_ids]
    almost = [i.id for items in members.values() for i in items[:-1]]
    return [
        Mut(
            "complete-group-missing-one",
            "violation",
            set_(f"selections.{p.list}", left),
            f"唯一全具备的方向各少勾一项：{sorted(drop_ids)}",
        ),
        Mut(
            "every-group-partial",
            "violation",
            set_(f"selections.{p.list}", almost),
            "每个方向都勾选了除最后一项外的全部指标，但没有任何方向全具备",
        ),
        missing(f"selections.{p.list}"),
    ]


@generator("single_group")
def g_single_group(g: Gen, r: Rule) -> list[Mut]:
    """Nothing ticked; ticks in two groups (a warning)."""
    p = r.check
    assert isinstance(p, s.SingleGroup)
    ticks, groups = _ticks(g, p.list), _group_of(g, p.list)
    mine = {groups[t] for t in ticks}
    other = next(i.id for i in g.lists[p.list].items if i.group not in mine)
    return [
        Mut("none-ticked", "violation", set_(f"selections.{p.list}", []), "未勾选任何模式的指标"),
        Mut(
            "two-modes",
            "violation",
            set_(f"selections.{p.list}", [*ticks, other]),
            "同时勾选两种模式的指标：政策要求选择一种模式，提示（warn）",
            status="warn",
        ),
        missing(f"selections.{p.list}"),
    ]


@generator("min_distinct_groups")
def g_min_distinct_groups(g: Gen, r: Rule) -> list[Mut]:
    """Ticks kept in only ``min - 1`` of their groups, and in exactly ``min``."""
    p = r.check
    assert isinstance(p, s.MinDistinctGroups)
    ticks, groups = _ticks(g, p.list), _group_of(g, p.list)
    names = list(dict.fromkeys(groups[t] for t in ticks))
    path = f"selections.{p.list}"

    def within(n: int) -> list[str]:
        return [t for t in ticks if groups[t] in names[:n]]

    muts = [
        Mut(
            "one-group-short",
            "violation",
            set_(path, within(p.min - 1)),
            f"勾选的指标只涉及 {p.min - 1} 个方向（要求至少 {p.min} 个）",
        )
    ]
    if len(names) > p.min:
        muts.append(
            Mut("exactly-min-groups", "pass", set_(path, within(p.min)), f"勾选的指标恰好涉及 {p.min} 个方向")
        )
    muts.append(missing(path))
    return muts
