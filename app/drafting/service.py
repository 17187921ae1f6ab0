"""Draft one scenario row for a programme from a writer's facts (rules-only):
the columns and their limits from the spec, the scenario (by number, name or
ranked from the facts), the 所属环节, the facts assigned to columns and fitted,
then every guarantee checked on the result."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.drafting.facts import facts_in, split_facts
from app.drafting.guarantees import fit_to_limit, names_not_in, numbers_not_in
from app.drafting.rules import assign
from app.review.passage import SCENARIO_LIST, item_citation, scenario_citation
from app.review.rules import load_lexicon
from app.review.scenarios import find_scenario
from checkers.kinds.tables import match_item
from core.catalogue import CatalogueList, Item
from core.drafting import DraftColumn, Fact, NumberCheck, ScenarioRow
from core.findings import Citation
from core.spec import ColumnRole, DraftingSpec, ProgrammeSpec, TableCharLimits
from core.text import count_zishu
from corpus.loader import Corpus

if TYPE_CHECKING:  # lazy: the ranker pulls in jieba and rank_bm25
    from app.review.scenarios import ScenarioRanker

MAX_FACTS_CHARS = 20_000
"""Facts longer than this are not one scenario's notes."""


class DraftInputError(ValueError):
    """The row cannot be drafted (no drafting table, empty facts, unknown
    scenario, 环节 or factory type); the message says what to give."""


def column_limits(spec: ProgrammeSpec, table: str) -> dict[str, int]:
    """The 字数 limit of each column, as the programme's rules check it."""
    out: dict[str, int] = {}
    for rule in spec.rules:
        if isinstance(rule.check, TableCharLimits) and rule.check.table == table:
            out.update(rule.check.limits)
    return out


def _join(facts: list[Fact]) -> str:
    return "".join(f.text if re.search(r"[。！？!?；;]$", f.text) else f.text + "。" for f in facts)


class DraftService:
    """Drafts scenario rows for the programmes whose spec has a ``drafting`` table."""

    def __init__(self, corpus: Corpus, ranker: Callable[[], ScenarioRanker] | None = None) -> None:
        self.corpus = corpus
        self._ranker = ranker

    @functools.cached_property
    def ranker(self) -> ScenarioRanker:
        """BM25 over the 40 scenario definitions: the one ``ranker`` gives (the
        review service's, so a process builds it once), else built on first use."""
        if self._ranker is not None:
            return self._ranker()
        from app.review.scenarios import ScenarioRanker

        return ScenarioRanker(self.corpus)

    def _scenario(self, ref: str, facts_text: str) -> Item:
        lst = self.corpus.lists[SCENARIO_LIST]
        if ref == "auto":
            ranked = self.ranker.rank(facts_text, 1)
            if not ranked:
                raise DraftInputError("无法从材料判断对应哪个典型场景，请用 --scenario 指定场景编号或名称。")
            ref = ranked[0].no
        try:
            return find_scenario(lst, ref)
        except ValueError as exc:
            raise DraftInputError(str(exc)) from exc

    def _link_list(self, d: DraftingSpec, factory_type: str | None) -> CatalogueList | None:
        if d.link_list_by:
            if not factory_type:
                raise DraftInputError(
                    f"请指定工厂类型（{'、'.join(d.link_list_by)}），以确定所属环节的取值范围。"
                )
            if factory_type not in d.link_list_by:
                raise DraftInputError(
                    f"工厂类型「{factory_type}」不是可选的类型（{'、'.join(d.link_list_by)}）。"
                )
            return self.corpus.lists[d.link_list_by[factory_type]]
        return self.corpus.lists[d.link_list] if d.link_list else None

    def link_names(self, spec: ProgrammeSpec, factory_type: str | None = None) -> list[str]:
        """The 所属环节 a row of ``spec``'s scenario table may name (for the
        factory type, where the programme's list depends on it); empty when
        there is no list or the factory type is not chosen yet."""
        d = spec.drafting
        if d is None:
            return []
        try:
            links = self._link_list(d, factory_type)
        except DraftInputError:
            return []
        return [i.name for i in links.items] if links else []

    def draft_row(
        self,
        spec: ProgrammeSpec,
        facts_text: str,
        scenario: str = "auto",
        *,
        link: str | None = None,
        factory_type: str | None = None,
    ) -> ScenarioRow:
        """One row of ``spec``'s scenario table from the facts (rules-only)."""
        d = spec.drafting
        if d is None:
            raise DraftInputError(f"「{spec.title}」的申报书没有可起草的场景表。")
        if not facts_text.strip():
            raise DraftInputError("材料为空：请提供该场景的文字材料（系统、做法、成效等）。")
        if len(facts_text) > MAX_FACTS_CHARS:
            raise DraftInputError(
                f"材料超过 {MAX_FACTS_CHARS} 字，不像一个场景的材料，请只提供该场景的内容。"
            )
        facts = split_facts(facts_text)
        item = self._scenario(scenario, facts_text)
        links = self._link_list(d, factory_type)
        notes: list[str] = []
        chosen_link = match_item(links, link or item.group or "") if links else (link or item.group)
        if link and links and chosen_link is None:
            raise DraftInputError(
                f"所属环节「{link}」不在「{links.title}」中：可选 {'、'.join(i.name for i in links.items)}。"
            )
        if chosen_link is None:
            notes.append(f"场景「{item.name}」所属的「{item.group}」不是本表的环节，请选择所属环节。")
        table = next(t for t in spec.tables if t.id == d.table)
        titles = {c.id: c.title for c in table.columns}
        limits = column_limits(spec, d.table)
        roles: dict[str, ColumnRole] = {k: c.role for k, c in d.columns.items()}
        assigned = assign(facts, roles, load_lexicon())
        columns = [
            self._column(k, titles.get(k, k), limits.get(k), assigned[k], d.columns[k].required)
            for k in d.columns
        ]
        output = "".join(c.text for c in columns)
        written, not_in_facts = numbers_not_in(output, facts_text)
        lexicon_words = frozenset(load_lexicon().acronyms)  # MES, ERP …: generic, they name no one
        citations = [
            c for c in (scenario_citation(self.corpus, item), self._link_citation(links, chosen_link)) if c
        ]
        used = tuple(dict.fromkeys(fid for c in columns for fid in c.facts_used))
        return ScenarioRow(
            programme=spec.id,
            scenario={"no": int(item.id) if item.id.isdigit() else item.id, "name": item.name},
            link=chosen_link,
            columns=tuple(columns),
            numbers=NumberCheck(in_output=tuple(written), not_in_facts=tuple(not_in_facts)),
            names_not_in_facts=tuple(names_not_in(output, facts_text, lexicon_words)),
            facts_used=used,
            citations=tuple(citations),
            method="rules",
            notes=tuple(notes),
        )

    def _link_citation(self, links: CatalogueList | None, link: str | None) -> Citation | None:
        item = links.item(link) if links and link else None
        return item_citation(self.corpus, links, item) if links and item else None

    @staticmethod
    def _column(key: str, title: str, limit: int | None, facts: list[Fact], required: bool) -> DraftColumn:
        text, fit = fit_to_limit(_join(facts), limit)
        used = facts_in(text, facts)
        note = None
        if fit == "empty":
            note = (
                "材料中没有这一栏的内容，请补充后再写（未编造）。"
                if required
                else "选填，材料中没有相关内容。"
            )
        elif fit == "cut":
            note = f"材料超出 {limit} 字，已在句末截断；未写入的材料：{'、'.join(f.id for f in facts if f.id not in used)}。"
        return DraftColumn(
            key=key,
            title=title,
            text=text,
            limit=limit,
            count=count_zishu(text),
            fit=fit,
            facts_used=used,
            note=note,
        )
