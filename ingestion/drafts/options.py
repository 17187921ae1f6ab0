"""Checkbox options: split a paragraph's marks and text into options, and map
ticked options to choices and catalogue items.

The option is the text between its box and the next box (or the end of the
line). When a line's first mark is a check mark (√ ✓ ✔), check marks stand
in place of boxes ("√是 □否"); otherwise a check mark right after an
option's label ticks that option ("□是√ □否"). Where a line has check marks but no boxes at all ("是√ 否",
"√是 否") the options are not delimited, so each mark is resolved against
the known option names next to it (:func:`resolve_free_ticks`).

Names are compared whitespace-, width- and case-insensitively, without
leading numbering ("1、生产工艺优化"), blank-form underscores or trailing
parenthesised notes ("其他____（请注明）" is "其他"); an option whose text
starts with a name ("自建工业互联网平台 平台名称：某某云") matches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

from core.catalogue import CatalogueList, Item
from ingestion.drafts.docx_blocks import Mark, Token
from ingestion.drafts.labels import core, norm, strip_numbering


def option_key(text: str) -> str:
    """Comparison key of an option or item name."""
    t = strip_numbering((text or "").replace("_", "").replace("＿", ""))
    return core(t)


@dataclass
class Option:
    """One checkbox option as printed."""

    label: str
    ticked: bool
    loc: str = ""
    free: bool = False  # a check mark on a line without boxes
    before: str = ""  # free ticks: the text before the mark on its line
    after: str = ""  # free ticks: the text after the mark on its line

    @property
    def label_key(self) -> str:
        """:func:`option_key` of the label."""
        return option_key(self.label)

    @property
    def display(self) -> str:
        """The option as shown in messages: ☑标签 / □标签."""
        return ("☑" if self.ticked else "□") + self.label.strip()


def split_options(tokens: list[Token], loc: str = "") -> list[Option]:
    """The options of a token stream (a paragraph or a whole cell)."""
    has_box = any(isinstance(t, Mark) and t.kind != "tick" for t in tokens)
    if not any(isinstance(t, Mark) for t in tokens):
        return []
    if not has_box:
        return _free_ticks(tokens, loc)
    # a line that starts with a check mark uses check marks in place of boxes ("√是 □否");
    # otherwise a check mark after an option's text ticks that option ("□是√ □否")
    first = next(t for t in tokens if isinstance(t, Mark))
    prefix_mode = first.kind == "tick"
    out: list[Option] = []
    cur: Option | None = None
    ended = False

    def close() -> None:
        nonlocal cur
        if cur is not None:
            cur.label = cur.label.strip()
            if cur.label:
                out.append(cur)
        cur = None

    for pos, tok in enumerate(tokens):
        if isinstance(tok, str):
            parts = tok.split("\n")
            for i, part in enumerate(parts):
                if i > 0:
                    ended = True
                if cur is not None and not ended:
                    cur.label += part
        elif tok.kind in ("empty", "ticked"):
            close()
            cur, ended = Option("", tok.kind == "ticked", loc), False
        else:  # a check mark
            nxt = tokens[pos + 1] if pos + 1 < len(tokens) else None
            glued_to_next = isinstance(nxt, str) and nxt[:1].strip() != "" and nxt.strip() != ""
            after_label = (
                cur is not None
                and not ended
                and cur.label.strip() != ""
                and (cur.label[-1:].strip() != "" or not glued_to_next)
            )
            if not prefix_mode and after_label and cur is not None:
                cur.ticked = True  # "□是√ □否"; "□是 √否" is a mark in place of 否's box
            else:
                close()
                cur, ended = Option("", True, loc), False
    close()
    return out


def _free_ticks(tokens: list[Token], loc: str) -> list[Option]:
    # text segments between marks and line ends
    segments: list[str | None] = []  # None marks a tick
    for tok in tokens:
        if isinstance(tok, str):
            for i, part in enumerate(tok.split("\n")):
                if i > 0:
                    segments.append("\n")
                segments.append(part)
        else:
            segments.append(None)
    out: list[Option] = []
    for i, seg in enumerate(segments):
        if seg is not None:
            continue
        before = ""
        j = i - 1
        while j >= 0 and segments[j] is not None and segments[j] != "\n":
            before = (segments[j] or "") + before
            j -= 1
        after = ""
        j = i + 1
        while j < len(segments) and segments[j] is not None and segments[j] != "\n":
            after += segments[j] or ""
            j += 1
        out.append(Option(after.strip(), True, loc, free=True, before=before, after=after))
    return out


def resolve_free_ticks(ticks: list[Option], names: list[str]) -> list[str]:
    """The option names that bare check marks tick: the name right before the
    mark ("是√") or right after it ("√是"); spacing decides when both fit."""
    keys = sorted(((option_key(n), n) for n in names), key=lambda x: -len(x[0]))
    out: list[str] = []
    for t in ticks:
        bracketed = t.before.rstrip().endswith(("（", "(", "【", "[")) and t.after.lstrip().startswith(
            ("）", ")", "】", "]")
        )
        b, a = norm(t.before.rstrip().rstrip("（(【[")), norm(t.after.lstrip().lstrip("）)】]"))
        before = next((n for k, n in keys if k and b.endswith(k)), None)
        after = next((n for k, n in keys if k and option_key(a).startswith(k)), None)
        if before is None and after is None:
            after = next((n for k, n in keys if k and a.startswith(k)), None)
        if before and (after is None or bracketed):
            pick: str | None = before
        elif before and after:
            space_before = t.before[-1:].isspace()
            space_after = t.after[:1].isspace()
            pick = after if space_before and not space_after else before
        else:
            pick = after
        if pick and pick not in out:
            out.append(pick)
    return out


def match_name(label: str, names: list[str]) -> str | None:
    """The name an option label stands for: exact key, else the longest name the
    label starts with, else the one name starting with the label."""
    k = option_key(label)
    if not k:
        return None
    pairs = [(option_key(n), n) for n in names]
    for key, n in pairs:
        if key == k:
            return n
    prefix = [(key, n) for key, n in pairs if len(key) >= 1 and k.startswith(key)]
    if prefix:
        return max(prefix, key=lambda x: len(x[0]))[1]
    longer = [n for key, n in pairs if len(k) >= 2 and key.startswith(k)]
    return longer[0] if len(longer) == 1 else None


class Named(Protocol):
    """Anything with a printed ``name`` (choices, items)."""

    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def match_choice(label: str, choices: Sequence[N]) -> N | None:
    """The choice an option label names."""
    name = match_name(label, [c.name for c in choices])
    if name is None:
        return None
    return next(c for c in choices if c.name == name)


@dataclass
class Container:
    """The options of one cell or paragraph, with the text around them."""

    options: list[Option]
    context: str = ""


@dataclass
class Selections:
    """Ticked catalogue items found in a document."""

    ticked: dict[str, list[str]] = field(default_factory=dict)  # list id → item ids (catalogue order)
    seen: dict[str, str] = field(default_factory=dict)  # list id → location of its first option
    item_locs: dict[tuple[str, str], str] = field(default_factory=dict)


def _score(entry: tuple[CatalogueList, Item], votes: Counter[str], ctx: str) -> tuple[int, int]:
    """Rank a candidate list for an option: neighbours' votes, then the row's text."""
    lst, item = entry
    in_ctx = int(core(lst.title) in ctx or bool(item.group and norm(item.group) in ctx))
    return votes[lst.id], in_ctx


def map_options(containers: list[Container], lists: list[CatalogueList]) -> Selections:
    """Map every option to an item of the checkbox lists; a name printed in two
    lists goes to the list most of its neighbours belong to, else the list whose
    title or group occurs in the row."""
    index: dict[str, list[tuple[CatalogueList, Item]]] = {}
    for lst in lists:
        for item in lst.items:
            index.setdefault(option_key(item.name), []).append((lst, item))
    names = [i.name for lst in lists for i in lst.items]
    by_name: dict[str, list[tuple[CatalogueList, Item]]] = {}
    for lst in lists:
        for item in lst.items:
            by_name.setdefault(item.name, []).append((lst, item))

    def candidates(opt: Option) -> list[tuple[CatalogueList, Item]]:
        if opt.free:
            return [e for n in resolve_free_ticks([opt], names) for e in by_name.get(n, [])]
        name = match_name(opt.label, names)
        return by_name.get(name, []) if name is not None else []

    found: dict[str, set[str]] = {}
    out = Selections()
    for cont in containers:
        cands = [(o, candidates(o)) for o in cont.options]
        votes = Counter(lid for _, cs in cands for lid in {lst.id for lst, _ in cs})
        ctx = norm(cont.context)
        for opt, cs in cands:
            if not cs:
                continue

            lst, item = max(cs, key=partial(_score, votes=votes, ctx=ctx))
            out.seen.setdefault(lst.id, opt.loc)
            found.setdefault(lst.id, set())
            if opt.ticked:
                found[lst.id].add(item.id)
                out.item_locs.setdefault((lst.id, item.id), opt.loc)
    for lst in lists:
        if lst.id in found:
            out.ticked[lst.id] = [i.id for i in lst.items if i.id in found[lst.id]]
    return out
