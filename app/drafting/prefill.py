"""What the drafting page opens with when a writer follows a weakly supported
claim from the check page's 证据 tab: the claim's passages as the notes, its
programme, the factory type the draft ticked, its 所属环节 and, when the
claim names one of the typical scenarios, that scenario."""

from __future__ import annotations

from dataclasses import dataclass

from app.review.passage import SCENARIO_LIST
from app.review.scenarios import UnknownScenarioError, find_scenario
from core.draft import Draft, resolve_path
from core.review import EvidenceFlag
from core.spec import ProgrammeSpec
from corpus.loader import Corpus


@dataclass(frozen=True)
class DraftPrefill:
    """The drafting page's inputs, chosen for the writer."""

    programme: str
    notes: str
    scenario: str = "auto"
    """A scenario number of the typical-scenario list, or ``auto`` (suggested from the notes)."""
    link: str | None = None
    factory_type: str | None = None
    source: str = ""
    """What the notes came from, as the page says it."""


def prefill_from_flag(
    flag: EvidenceFlag, spec: ProgrammeSpec, corpus: Corpus, draft: Draft | None = None
) -> DraftPrefill | None:
    """The drafting inputs for a ``partial`` or ``missing`` claim of ``spec``'s
    draft; None when the claim is supported or the programme's form has no
    scenario table to draft for."""
    d = spec.scenario_drafting
    if (
        d is None
        or d.table is None
        or flag.verdict == "supported"
        or flag.claim.kind not in ("scenario", "link")
    ):
        return None
    title = flag.claim.title
    item_name = flag.item.name if flag.item else None
    scenario = "auto"
    if title != item_name:  # the claim is titled by a scenario, not by its 环节
        try:
            scenario = find_scenario(corpus.lists[SCENARIO_LIST], title).id
        except UnknownScenarioError:
            scenario = "auto"
    factory_type = None
    if d.link_list_by_field and d.link_list_by and draft is not None:
        ticked = resolve_path(draft, d.link_list_by_field)
        factory_type = ticked if isinstance(ticked, str) and ticked in d.link_list_by else None
    return DraftPrefill(
        programme=spec.id,
        notes="\n".join(p.text for p in flag.passages),
        scenario=scenario,
        link=item_name,
        factory_type=factory_type,
        source=title,
    )
