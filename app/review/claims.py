"""The claims a draft makes that need evidence, read from the programme's
``claims`` sources (data in the spec): scenario-table rows, 环节 sections,
ticked indicators and scene elements, scenarios at a claimed level. Each
claim carries the draft passages about it (with their locations) and its
policy definition from the catalogue, cited."""

from __future__ import annotations

import re

from app.review.passage import item_citation, item_claim
from checkers.kinds.tables import match_item
from core.catalogue import CatalogueList, Item
from core.draft import Draft, resolve_path
from core.review import Claim, Passage
from core.spec import ClaimSource, ProgrammeSpec
from corpus.loader import Corpus


def _list_for(source: ClaimSource, draft: Draft, corpus: Corpus) -> CatalogueList | None:
    list_id = source.list
    if source.list_by and source.list_by_field:
        list_id = source.list_by.get(str(resolve_path(draft, source.list_by_field) or ""))
    return corpus.lists.get(list_id) if list_id else None


def _table_claims(source: ClaimSource, spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[Claim]:
    assert source.table is not None and source.title_column is not None
    table = next(t for t in spec.tables if t.id == source.table)
    titles = {c.id: c.title for c in table.columns}
    lst = _list_for(source, draft, corpus)
    out: list[Claim] = []
    for i, row in enumerate(draft.tables.get(source.table) or [], start=1):
        title = (row.get(source.title_column) or "").strip()
        texts = [(c, (row.get(c) or "").strip()) for c in source.text_columns]
        if not title and not any(t for _, t in texts):
            continue
        named = (row.get(source.item_column or source.title_column) or "").strip()
        item = lst.item(match_item(lst, named) or "") if lst and named else None
        location = draft.locations.get(f"tables.{source.table}.{i}")
        passages = tuple(
            Passage(text=t, location=f"{location or table.title} · {titles.get(c, c)}") for c, t in texts if t
        )
        out.append(
            Claim(
                id=f"tables.{source.table}.{i}",
                programme=spec.id,
                kind=source.kind,
                title=title or named or f"第 {i} 行",
                item=item.id if item else None,
                item_name=item.name if item else None,
                definition=item.text if item else None,
                citation=item_citation(corpus, lst, item) if lst and item else None,
                passages=passages,
            )
        )
    return out


def _paragraphs(draft: Draft, spec: ProgrammeSpec, sections: list[str]) -> list[Passage]:
    titles = {s.id: s.title for s in spec.sections}
    ids = sections or list(draft.sections)
    out: list[Passage] = []
    for sid in ids:
        text = draft.sections.get(sid) or ""
        where = draft.locations.get(f"sections.{sid}") or titles.get(sid, sid)
        out += [Passage(text=p.strip(), location=where) for p in re.split(r"\n+", text) if p.strip()]
    return out


def _terms(item: Item) -> list[str]:
    """Words that show a paragraph is about an item: its name, and the name's
    parts split at 与/和/及/、 (设备故障诊断与预测 → 设备故障诊断, 预测)."""
    name = re.sub(r"\s+", "", item.name)
    parts = [p for p in re.split(r"[与和及、/（）()]", name) if len(p) >= 2]
    return list(dict.fromkeys([name, *parts]))


def _about(item: Item, paragraphs: list[Passage]) -> tuple[Passage, ...]:
    terms = _terms(item)
    return tuple(p for p in paragraphs if any(t in re.sub(r"\s+", "", p.text) for t in terms))


def _tick_claims(source: ClaimSource, spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[Claim]:
    assert source.ticks is not None
    lst = corpus.lists[source.ticks]
    ticked = draft.selections.get(source.ticks) or []
    paragraphs = _paragraphs(draft, spec, source.sections)
    return [
        item_claim(
            corpus,
            lst,
            item,
            claim_id=f"selections.{lst.id}.{item.id}",
            programme=spec.id,
            kind=source.kind,
            passages=_about(item, paragraphs),
        )
        for item in lst.items
        if item.id in ticked or item.name in ticked
    ]


def _level_claims(source: ClaimSource, spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[Claim]:
    assert source.levels is not None
    lst = corpus.lists[source.levels]
    paragraphs = _paragraphs(draft, spec, source.sections)
    return [
        item_claim(
            corpus,
            lst,
            item,
            claim_id=f"self_eval.scenario_levels.{sid}",
            programme=spec.id,
            kind=source.kind,
            passages=_about(item, paragraphs),
            level=level,
        )
        for sid, level in draft.self_eval.scenario_levels.items()
        if (item := lst.item(sid)) is not None
    ]


def draft_claims(spec: ProgrammeSpec, draft: Draft, corpus: Corpus) -> list[Claim]:
    """Every claim of the draft, in the order of the spec's claim sources."""
    out: list[Claim] = []
    for source in spec.claims:
        if source.table is not None:
            out += _table_claims(source, spec, draft, corpus)
        elif source.ticks is not None:
            out += _tick_claims(source, spec, draft, corpus)
        else:
            out += _level_claims(source, spec, draft, corpus)
    return out
