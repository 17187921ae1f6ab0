"""A claim made of one passage and one scenario (``shenbao review PASSAGE``),
with the scenario's definition and, for a claimed level, its description,
each cited from the corpus."""

from __future__ import annotations

from core.catalogue import CatalogueList, Item
from core.findings import Citation
from core.review import Claim, Passage
from corpus.loader import Corpus

SCENARIO_LIST = "ts2024-scenarios"
"""The catalogue list of the 40 scenarios of 《智能制造典型场景参考指引(2024年版)》."""
GUIDE_DOC = "scenarios-guide-2024"
LEVELS_DOC = "js-gradient-2025-self-eval"
LINKS_LIST = "ts2024-links"


def _heading(corpus: Corpus, group: str | None) -> str | None:
    links = corpus.lists.get(LINKS_LIST)
    for item in links.items if links else []:
        if item.name == group:
            return str(item.attrs.get("heading") or item.name)
    return group


def scenario_citation(corpus: Corpus, item: Item) -> Citation | None:
    """The guide's definition of a scenario: 《智能制造典型场景参考指引》 heading > 14.在线智能检测."""
    if not item.text:
        return None
    doc = corpus.docs.get(GUIDE_DOC)
    heading = _heading(corpus, item.group)
    clause = f"{heading} > {item.id}.{item.name}" if heading else f"{item.id}.{item.name}"
    return Citation(doc=GUIDE_DOC, doc_title=doc.meta.title if doc else None, clause=clause, quote=item.text)


def level_text(item: Item, level: str | None) -> str | None:
    """The description of ``level`` for a scenario (None where the table prints "/")."""
    if not level:
        return None
    levels = item.attrs.get("levels") or {}
    text = levels.get(level)
    return str(text) if text else None


def level_citation(corpus: Corpus, item: Item, level: str) -> Citation | None:
    """The self-evaluation table's description of a scenario at a level."""
    text = level_text(item, level)
    if text is None:
        return None
    doc = corpus.docs.get(LEVELS_DOC)
    return Citation(
        doc=LEVELS_DOC,
        doc_title=doc.meta.title if doc else None,
        clause=f"二、典型场景对照参考表 > {item.id} {item.name} > {level}",
        quote=text,
    )


def item_citation(corpus: Corpus, lst: CatalogueList, item: Item) -> Citation | None:
    """Where the policy defines a catalogue item: the scenario guide for the 40
    typical scenarios, else the list's own clause with the item's text."""
    if lst.id == SCENARIO_LIST:
        return scenario_citation(corpus, item)
    if lst.source is None:
        return None
    doc = corpus.docs.get(lst.source.doc)
    return Citation(
        doc=lst.source.doc,
        doc_title=doc.meta.title if doc else None,
        clause=f"{lst.source.clause} > {item.name}",
        quote=item.text or lst.source.quote,
    )


def item_claim(
    corpus: Corpus,
    lst: CatalogueList,
    item: Item,
    *,
    claim_id: str,
    programme: str,
    kind: str,
    passages: tuple[Passage, ...],
    level: str | None = None,
) -> Claim:
    """A claim of one catalogue item (at ``level``, if given), defined and cited
    by the catalogue: the level's description where a level is claimed and
    described, else the item's definition."""
    citation = (level_citation(corpus, item, level) if level else None) or item_citation(corpus, lst, item)
    return Claim(
        id=claim_id,
        programme=programme,
        kind=kind,
        title=item.name,
        item=item.id,
        item_name=item.name,
        level=level,
        level_text=level_text(item, level),
        definition=item.text,
        citation=citation,
        passages=passages,
    )


def passage_claim(
    corpus: Corpus,
    lst: CatalogueList,
    item: Item,
    text: str,
    *,
    programme: str = "",
    level: str | None = None,
    location: str | None = None,
) -> Claim:
    """One passage claiming one scenario (at ``level``, if given)."""
    return item_claim(
        corpus,
        lst,
        item,
        claim_id=f"scenario.{item.id}",
        programme=programme,
        kind="level" if level else "scenario",
        passages=(Passage(text=text, location=location),),
        level=level,
    )
