"""Load the per-kind fixture files and build the Context a case runs in.

A fixture file ``fixtures/<kind>.yaml`` holds::

    spec:            # optional, shared by the file's cases: the parts of a
      tables: [...]  # ProgrammeSpec the kind reads (tables, sections, fields)
    lists: [...]     # optional, shared: inline catalogue lists, or ids of corpus lists
    cases:
      - id: a-slug
        params: {...}            # the kind's params (``kind`` is added)
        lists: [...]             # optional, replaces the file's lists
        spec: {...}              # optional, replaces the file's spec parts
        draft: {...}             # a partial Draft in its JSON form
        batch: [{file: b.json, draft: {...}}]   # optional (batch-level kinds): the other drafts
                                 # checked with it; ``expect`` is this draft's finding after the
                                 # batch step (the case's own draft is the file ``a.json``)
        expect:
          status: pass
          message: 完整的中文消息。      # or message_contains: [片段, ...]
          evidence: {key: value}        # optional, a subset of the evidence
          evidence_keys: [key, ...]     # optional, every measure's key, in order (none other)
          measures: {key: {label: 中文, unit: 万元, original: 原文}}  # optional, parts of measures
          location: 第1页               # optional (null to assert none)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from checkers.registry import Context
from core.catalogue import CatalogueList
from core.draft import Draft
from core.findings import Outcome
from core.spec import RULE_PARAMS, Params, ProgrammeSpec

FIXTURES = Path(__file__).parent / "fixtures"
RULE_TITLE = "测试规则"


@functools.cache
def load_file(kind: str) -> dict[str, Any]:
    """The parsed fixture file of one kind."""
    data: dict[str, Any] = yaml.safe_load((FIXTURES / f"{kind}.yaml").read_text(encoding="utf-8"))
    return data


def all_cases() -> list[tuple[str, dict[str, Any]]]:
    """(kind, case) for every case of every fixture file, in file order."""
    out = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for case in load_file(path.stem).get("cases", []):
            out.append((path.stem, case))
    return out


def params_of(kind: str, case: dict[str, Any]) -> Params:
    """The case's params, validated by the kind's model."""
    return RULE_PARAMS[kind].model_validate({"kind": kind, **case["params"]})


@functools.cache
def _corpus_lists() -> dict[str, CatalogueList]:
    from corpus.loader import default_corpus

    return dict(default_corpus().lists)


def _lists(entries: list[Any]) -> dict[str, CatalogueList]:
    out: dict[str, CatalogueList] = {}
    for e in entries:
        if isinstance(e, str):
            out[e] = _corpus_lists()[e]
        else:
            lst = CatalogueList.model_validate(e)
            out[lst.id] = lst
    return out


def context_for(kind: str, case: dict[str, Any], params: Params | None = None) -> Context:
    """A Context with the case's draft, a minimal one-rule programme and its lists."""
    file = load_file(kind)
    p = params if params is not None else params_of(kind, case)
    spec_parts = case.get("spec", file.get("spec", {}))
    spec = ProgrammeSpec.model_validate(
        {
            "id": "kind-fixture",
            "title": "规则类型测试",
            "issuer": None,
            "year": None,
            "docs": ["kind-fixture"],
            **spec_parts,
            "rules": [
                {
                    "id": "rule-under-test",
                    "title": RULE_TITLE,
                    "severity": "error",
                    "check": p.model_dump(),
                    "citation": {"doc": "kind-fixture", "clause": "一", "quote": "测试条款原文"},
                }
            ],
        }
    )
    draft = Draft.model_validate(case.get("draft", {}))
    return Context(draft=draft, spec=spec, lists=_lists(case.get("lists", file.get("lists", []))))


def batch_outcome(kind: str, case: dict[str, Any], params: Params) -> Outcome:
    """The case's outcome after the batch step: the kind on the case's draft
    (``a.json``) and on each draft of ``batch``, then
    :func:`checkers.kinds.batch.resolve_batch` over their findings."""
    from checkers.engine import run_rules
    from checkers.kinds.batch import resolve_batch

    ctx = context_for(kind, case, params)
    drafts = [("a.json", ctx.draft)] + [
        (other["file"], Draft.model_validate(other["draft"])) for other in case["batch"]
    ]
    reports = [(name, run_rules(ctx.spec, d, ctx.lists)) for name, d in drafts]
    mine = resolve_batch(ctx.spec, reports)[0][0]
    return Outcome(mine.status, mine.message, mine.evidence, mine.location)
