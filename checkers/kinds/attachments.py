"""Rule kind over the draft's attachment list: each required attachment by name."""

from __future__ import annotations

import unicodedata

from checkers.registry import Context, evidence, is_blank, measure, rule_kind
from core import spec as s
from core.findings import Outcome


def _key(text: str) -> str:
    """Text folded for comparison: NFKC (full width → half width), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def matching_entry(req: s.RequiredAttachment, entries: list[str]) -> str | None:
    """The first entry of the draft's list that names the required attachment
    (its name or one of the alternatives the text allows), else None."""
    names = [_key(n) for n in (req.name, *req.any_of) if n.strip()]
    for entry in entries:
        k = _key(entry)
        if any(n in k for n in names):
            return entry
    return None


@rule_kind("attachments")
def attachments(p: s.Attachments, ctx: Context) -> Outcome:
    """Each required attachment appears in the draft's list (by name or an allowed
    alternative); the message names every missing one. No list at all is unknown."""
    v = ctx.value(p.field)
    entries = (
        [str(x) for x in (v if isinstance(v, list) else [v]) if not is_blank(x)] if v is not None else []
    )
    if not entries:
        return Outcome(
            "unknown",
            f"申报书未列出「{ctx.label(p.field)}」，无法核对应附的"
            f"{'、'.join(r.name for r in p.required)}，请补充附件清单。",
            ctx.missing(p.field),
        )
    found = {r.name: matching_entry(r, entries) for r in p.required}
    ev = evidence(
        ctx.measure(p.field, entries),
        measure("required", "应附材料", [r.name for r in p.required]),
        measure("matched", "对应的附件", {k: m for k, m in found.items() if m is not None}),
    )
    loc = ctx.location(p.field)
    lacking = [r for r in p.required if found[r.name] is None]
    if lacking:

        def named(r: s.RequiredAttachment) -> str:
            return f"{r.name}（或{'、'.join(r.any_of)}）" if r.any_of else r.name

        return Outcome(
            "fail", f"附件清单缺少：{'；'.join(named(r) for r in lacking)}。请补充后再提交。", ev, loc
        )
    return Outcome("pass", f"应附材料齐全：{'、'.join(r.name for r in p.required)}。", ev, loc)
