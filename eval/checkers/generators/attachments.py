"""Generator of the attachment-list kind (mirrors ``checkers/kinds/attachments.py``):
each required attachment removed in turn, written under an allowed
alternative name, and the whole list removed or empty."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut, missing, set_
from eval.checkers.generators.registry import generator


def _names(req: s.RequiredAttachment) -> list[str]:
    return [req.name, *req.any_of]


def _matches(req: s.RequiredAttachment, entry: str) -> bool:
    folded = "".join(entry.split()).upper()
    return any("".join(n.split()).upper() in folded for n in _names(req))


@generator("attachments")
def g_attachments(g: Gen, r: Rule) -> list[Mut]:
    """Each required attachment dropped from the list (fail naming it); the
    first listed under its first alternative name (pass); an empty list and
    no list (unknown)."""
    p = r.check
    assert isinstance(p, s.Attachments)
    cur = [str(x) for x in (g.v(p.field) or [])]
    muts = []
    for i, req in enumerate(p.required, start=1):
        kept = [e for e in cur if not _matches(req, e)]
        muts.append(
            Mut(
                f"without-{i}",
                "violation",
                set_(p.field, kept),
                f"附件清单去掉「{req.name}」",
                contains=(req.name,),
            )
        )
        if req.any_of:
            renamed = [*kept, f"{req.any_of[0]}复印件"]
            muts.append(
                Mut(
                    f"alternative-{i}",
                    "pass",
                    set_(p.field, renamed),
                    f"「{req.name}」写作「{req.any_of[0]}复印件」：原文允许的名称",
                )
            )
    muts.append(Mut("empty-list", "missing", set_(p.field, []), "附件清单为空：无法核对，应报 unknown"))
    muts.append(missing(p.field))
    return muts
