"""The 40 typical scenarios a passage can claim: found by number or name, or
ranked for a passage (``--scenario auto``) by BM25 over their names and
definitions (the policy's own words)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.review.passage import SCENARIO_LIST
from app.review.spans import fold
from core.catalogue import CatalogueList, Item
from corpus.loader import Corpus


class UnknownScenarioError(ValueError):
    """The scenario named is not one of the list's; the message lists how to name one."""


@dataclass(frozen=True)
class Candidate:
    """A scenario ranked for a passage."""

    no: str
    name: str
    score: float


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def find_scenario(lst: CatalogueList, ref: str) -> Item:
    """The scenario ``ref`` names: its number (14) or its name (在线智能检测),
    exactly or as the one name containing it."""
    key = _key(ref).removeprefix("场景").strip(".、")
    for item in lst.items:
        if key in (item.id, _key(item.name)):
            return item
    hits = [i for i in lst.items if key and key in _key(i.name)]
    if len(hits) == 1:
        return hits[0]
    raise UnknownScenarioError(
        f"未找到场景「{ref}」：请写场景编号（1–{len(lst.items)}）或场景名称，例如 14 或「{lst.items[13].name}」。"
        if len(lst.items) > 13
        else f"未找到场景「{ref}」。"
    )


class ScenarioRanker:
    """BM25 over each scenario's name (weighted twice) and definition."""

    def __init__(self, corpus: Corpus, list_id: str = SCENARIO_LIST) -> None:
        from app.retrieval.bm25 import BM25Index, ChineseTokenizer, catalogue_terms

        self.list = corpus.lists[list_id]
        texts = [f"{i.name} {i.name} {i.text or ''}" for i in self.list.items]
        self._index = BM25Index(
            [i.id for i in self.list.items], texts, ChineseTokenizer(catalogue_terms(corpus))
        )

    def rank(self, passage: str, n: int = 5) -> list[Candidate]:
        """The ``n`` scenarios that fit the passage best, best first."""
        names = {i.id: i.name for i in self.list.items}
        return [Candidate(s.id, names[s.id], round(s.score, 3)) for s in self._index.search(fold(passage), n)]
