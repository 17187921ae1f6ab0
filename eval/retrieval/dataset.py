"""The labelled retrieval queries and how a retrieved chunk is judged.

Each line of ``queries.jsonl``::

    {"id": "k01", "query": "...", "style": "keyword" | "colloquial",
     "gold_doc": "<doc id>", "gold_snippet": "<text that identifies the clause>",
     "also": [{"doc": "...", "snippet": "..."}]}

``also`` lists other clauses that answer the query just as well (the same
requirement repeated verbatim in another document, or an equivalent scenario
in another catalogue). A retrieved chunk is relevant when it belongs to the
gold (or an ``also``) document and contains its snippet, whitespace ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingestion.corpus.chunking import Chunk

QUERIES_PATH = Path(__file__).with_name("queries.jsonl")
HOLDOUT_PATH = Path(__file__).with_name("queries_holdout.jsonl")
QUERY_SETS: dict[str, Path] = {"tuning": QUERIES_PATH, "holdout": HOLDOUT_PATH}
"""The tuning set (fusion weights, chunking and the search glossary were
adjusted on it) and the held-out set (written separately, never used to tune)."""
SET_LABELS = {"tuning": "调参集", "holdout": "留出集"}
_WS = re.compile(r"\s+")


def compact(text: str) -> str:
    """Text without whitespace."""
    return _WS.sub("", text)


class Target(BaseModel):
    """A clause that answers a query: its document and a snippet of its text."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    doc: str
    snippet: str = Field(min_length=2)

    def matches(self, doc: str, text: str) -> bool:
        """Whether a chunk (its doc id and text) is this clause."""
        return doc == self.doc and compact(self.snippet) in compact(text)


class Case(BaseModel):
    """One labelled query."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    query: str
    style: Literal["keyword", "colloquial"]
    gold_doc: str
    gold_snippet: str
    also: list[Target] = []

    @property
    def targets(self) -> list[Target]:
        """The gold clause first, then the equally good ones."""
        return [Target(doc=self.gold_doc, snippet=self.gold_snippet), *self.also]

    def is_relevant(self, doc: str, text: str) -> bool:
        """Whether a retrieved chunk answers this query."""
        return any(t.matches(doc, text) for t in self.targets)


def load_cases(path: Path = QUERIES_PATH) -> list[Case]:
    """Read and validate the labelled queries (unique ids)."""
    cases = [
        Case.model_validate(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ids = [c.id for c in cases]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"评测集 id 重复：{', '.join(dup)}")
    return cases


def load_sets(sets: dict[str, Path] = QUERY_SETS) -> dict[str, list[Case]]:
    """Every query set by name; ids must be unique across the sets."""
    out = {name: load_cases(path) for name, path in sets.items()}
    ids = [c.id for cases in out.values() for c in cases]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"评测集之间 id 重复：{', '.join(dup)}")
    return out


def unresolved_targets(cases: Iterable[Case], chunks: Iterable[Chunk]) -> list[str]:
    """Targets that match no chunk (a label that can never be hit is a bug)."""
    pool = [(c.doc, compact(c.text)) for c in chunks]
    out = []
    for case in cases:
        for t in case.targets:
            snip = compact(t.snippet)
            if not any(doc == t.doc and snip in text for doc, text in pool):
                out.append(f"{case.id}: 「{t.snippet}」不在文档 {t.doc} 的任何条款块中")
    return out
