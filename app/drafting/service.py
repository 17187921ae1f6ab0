"""Draft one scenario row for a programme from a writer's facts: the columns
and their limits from the spec, the scenario (by number, name or ranked from
the facts), the 所属环节, the facts assigned to columns and fitted (rules-only),
or written by a language model (:mod:`app.drafting.llm`, chosen by ``llm``) with
the rules-only columns as its fallback; then every guarantee checked on the
result. Facts that read as instructions to a model are never used."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.drafting.facts import facts_in, split_facts, split_instructions
from app.drafting.guarantees import fit_to_limit, names_not_in, numbers_not_in
from app.drafting.rules import assign, select_within
from app.llm.errors import LLMUnavailableError
from app.review.passage import SCENARIO_LIST, item_citation, scenario_citation
from app.review.rules import load_lexicon
from app.review.scenarios import find_scenario
from checkers.kinds.tables import match_item
from core.catalogue import CatalogueList, Item
from core.drafting import DraftColumn, Fact, Fit, NumberCheck, ScenarioRow
from core.findings import Citation
from core.spec import CharLimit, ColumnRole, DraftingSpec, ProgrammeSpec, TableCharLimits, section_limit
from core.text import count_zishu
from corpus.loader import Corpus

if TYPE_CHECKING:  # lazy: the ranker pulls in jieba and rank_bm25, the drafter LangChain
    from app.drafting.llm import LLMDrafter, RowBrief
    from app.review.scenarios import ScenarioRanker
    from app.settings import Settings

DrafterFactory = Callable[[str], "LLMDrafter | None"]
"""Builds the model drafter of a provider name (``None`` for ``none``); raises
:mod:`app.llm.errors` errors."""

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


def llm_drafter_factory(settings: Settings) -> DrafterFactory:
    """A factory of model drafters from ``settings`` (imports the LLM layer only when called)."""

    def build(name: str) -> LLMDrafter | None:
        from app.drafting.llm import build_drafter

        return build_drafter(settings, name)

    return build


@dataclass(frozen=True)
class _Prepared:
    """A row's inputs, resolved: the facts (without instruction-like lines), the
    scenario, the 环节 and its list, the columns with their titles and limits,
    the rules-only columns, the citations and the notes so far."""

    spec: ProgrammeSpec
    target: DraftingSpec
    facts: list[Fact]
    item: Item | None
    links: CatalogueList | None
    link: str | None
    titles: dict[str, str]
    limits: dict[str, int]
    rules_columns: list[DraftColumn]
    citations: list[Citation]
    notes: list[str]


class DraftService:
    """Drafts scenario rows for the programmes whose spec has a ``drafting``
    table: rules-only, or with the model ``llm`` (default: the service's)."""

    def __init__(
        self,
        corpus: Corpus,
        ranker: Callable[[], ScenarioRanker] | None = None,
        *,
        drafter: LLMDrafter | None = None,
        drafter_factory: DrafterFactory | None = None,
        default_llm: str = "none",
    ) -> None:
        self.corpus = corpus
        self._ranker = ranker
        self.default_llm = drafter.provider.name if drafter is not None else default_llm
        self._factory = drafter_factory
        self._drafters: dict[str, tuple[LLMDrafter | None, str | None]] = {}
        if drafter is not None:
            self._drafters[drafter.provider.name] = (drafter, None)
        self._lock = threading.Lock()

    def drafter(self, llm: str | None = None) -> tuple[LLMDrafter | None, str | None]:
        """The model drafter of ``llm`` (default: the service's) built once, and a
        note when it cannot be used here (then rows are drafted rules-only).
        Raises :class:`app.llm.errors.LLMConfigError` for an unknown provider or
        settings it cannot work with."""
        name = llm or self.default_llm
        if name == "none":
            return None, None
        with self._lock:
            if name not in self._drafters:
                if self._factory is None:
                    from app.llm.errors import LLMConfigError

                    raise LLMConfigError(f"没有配置大模型起草（{name}），只能用 none（仅规则）。")
                try:
                    self._drafters[name] = (self._factory(name), None)
                except LLMUnavailableError as exc:
                    self._drafters[name] = (None, f"{exc} 本次只用规则起草。")
            return self._drafters[name]

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

    @staticmethod
    def target(spec: ProgrammeSpec, name: str | None = None) -> DraftingSpec:
        """The drafting target ``name`` of ``spec`` (table or section id or title;
        None: the default, the first); :class:`DraftInputError` when there is none."""
        d = spec.draft_target(name)
        if d is not None:
            return d
        if not spec.drafting:
            raise DraftInputError(f"「{spec.title}」的申报书没有可起草的场景表或限字数的章节。")
        names = "、".join(f"{x.target}（{spec.draft_target_title(x)}）" for x in spec.drafting)
        raise DraftInputError(f"「{spec.title}」没有可起草的「{name}」：可选 {names}。")

    def link_names(
        self, spec: ProgrammeSpec, factory_type: str | None = None, target: str | None = None
    ) -> list[str]:
        """The 所属环节 a row of ``spec``'s table ``target`` (default: the first
        target) may name (for the factory type, where the programme's list
        depends on it); empty when there is no list, the target is a section
        or the factory type is not chosen yet."""
        d = spec.draft_target(target)
        if d is None or d.table is None:
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
        llm: str | None = None,
        target: str | None = None,
    ) -> ScenarioRow:
        """One row of ``spec``'s drafting ``target`` (a table's row or a limited
        section; default: the first, the scenario table) from the facts:
        rules-only, or written by the model ``llm`` (none|local|openai|fake;
        default: the service's) with every guarantee checked per column. A model
        that cannot be used or fails leaves the row rules-only, and its notes say why."""
        prep = self._prepare(spec, facts_text, scenario, link, factory_type, target)
        drafter, unavailable = self.drafter(llm)
        notes = list(prep.notes)
        if unavailable:
            notes.append(unavailable)
        if drafter is None:
            return self._row(prep, prep.rules_columns, "rules", notes)
        from app.drafting.llm import DraftModelError

        try:
            drafted = drafter.draft(self._brief(prep))
        except DraftModelError as exc:
            notes.append(f"{drafter.label}{exc}，已改用仅规则起草。")
            return self._row(prep, prep.rules_columns, "rules", notes)
        return self._row(prep, list(drafted.columns), "llm", [*drafted.notes, *notes])

    def redraft_column(
        self,
        spec: ProgrammeSpec,
        row: ScenarioRow,
        facts_text: str,
        key: str,
        *,
        factory_type: str | None = None,
        llm: str | None = None,
    ) -> ScenarioRow:
        """``row`` with column ``key`` drafted again from the same facts (the
        page's “重新生成此栏”), by the model ``llm`` with the same guarantees,
        or rules-only; the row's numbers and names are checked again."""
        if key not in {c.key for c in row.columns}:
            raise DraftInputError(f"这一行没有栏目「{key}」。")
        scenario = str(row.scenario.get("no") or "auto")
        prep = self._prepare(spec, facts_text, scenario, row.link, factory_type, row.target or row.section)
        drafter, unavailable = self.drafter(llm)
        old = next(c for c in row.columns if c.key == key)
        if drafter is None:
            new = next(c for c in prep.rules_columns if c.key == key)
            if unavailable:
                new = new.model_copy(update={"note": f"{unavailable}{new.note or ''}"})
        else:
            new = drafter.redraft(self._brief(prep), key, old.text)
        columns = [new if c.key == key else c for c in row.columns]
        method = row.method if drafter is None or row.method == "llm" else "llm"
        return self._row(prep, columns, method, list(row.notes))

    def _prepare(
        self,
        spec: ProgrammeSpec,
        facts_text: str,
        scenario: str,
        link: str | None,
        factory_type: str | None,
        target: str | None = None,
    ) -> _Prepared:
        d = self.target(spec, target)
        if not facts_text.strip():
            raise DraftInputError("材料为空：请提供该场景的文字材料（系统、做法、成效等）。")
        if len(facts_text) > MAX_FACTS_CHARS:
            raise DraftInputError(
                f"材料超过 {MAX_FACTS_CHARS} 字，不像一个场景的材料，请只提供该场景的内容。"
            )
        facts, orders = split_instructions(split_facts(facts_text))
        notes: list[str] = []
        if orders:
            shown = "；".join(f"{f.id}「{f.text[:40]}」" for f in orders)
            notes.append(f"材料中有像是写给大模型的指令，未采用：{shown}。")
        if not facts:
            raise DraftInputError("材料中没有可用的事实：请提供该场景的文字材料（系统、做法、成效等）。")
        if d.section is not None:
            return self._prepare_section(spec, d, d.section, facts, notes)
        assert d.table is not None
        item = self._scenario(scenario, facts_text)
        links = self._link_list(d, factory_type)
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
        assert d.table is not None
        assigned = assign(facts, roles, load_lexicon())
        columns = [
            self._section_column(k, titles.get(k, k), limits[k], facts, c.role)
            if c.role in ("overview", "profile") and k in limits  # a text section printed as rows (环节)
            else self._column(k, titles.get(k, k), limits.get(k), assigned[k], c.required)
            for k, c in d.columns.items()
        ]
        citations = [
            c for c in (scenario_citation(self.corpus, item), self._link_citation(links, chosen_link)) if c
        ]
        return _Prepared(
            spec=spec,
            target=d,
            facts=facts,
            item=item,
            links=links,
            link=chosen_link,
            titles=titles,
            limits=limits,
            rules_columns=columns,
            citations=citations,
            notes=notes,
        )

    def _prepare_section(
        self, spec: ProgrammeSpec, d: DraftingSpec, section: str, facts: list[Fact], notes: list[str]
    ) -> _Prepared:
        """A limited text section drafted as one column: its title from the
        spec, its limit from the ``char_limit`` rule that checks it (cited)."""
        title = next(s.title for s in spec.sections if s.id == section)
        limit = section_limit(spec, section)
        assert limit is not None  # the spec's validation: a drafted section has a 字数 rule
        column = self._section_column(section, title, limit, facts, d.role)
        citations = [
            r.citation.model_copy(update={"doc_title": self._doc_title(r.citation.doc)})
            for r in spec.rules
            if isinstance(r.check, CharLimit) and r.check.section == section
        ]
        return _Prepared(
            spec=spec,
            target=d,
            facts=facts,
            item=None,
            links=None,
            link=None,
            titles={section: title},
            limits={section: limit},
            rules_columns=[column],
            citations=citations,
            notes=notes,
        )

    def _doc_title(self, doc: str) -> str | None:
        d = self.corpus.docs.get(doc)
        return d.meta.title if d is not None else None

    @staticmethod
    def _section_column(
        key: str, title: str, limit: int, facts: list[Fact], role: ColumnRole = "overview"
    ) -> DraftColumn:
        """The rules-only text of a limited section: the facts' sentences in
        the order of its ``role`` (overview, or a company profile), whole
        sentences dropped (not cut mid-way) when they do not all fit; the 字数
        by the checker's count."""
        chosen = select_within(facts, lambda fs: count_zishu(_join(fs)) <= limit, role=role)
        if chosen:
            text = _join(chosen)
            fit: Fit = "as-written" if len(chosen) == len(facts) else "cut"
        else:  # not even one sentence fits: cut inside the first, at a sentence end if any
            text, fit = fit_to_limit(_join(facts), limit)
            chosen = [f for f in facts if f.id in facts_in(text, facts)]
        note = None
        if fit == "cut":
            left = "、".join(f.id for f in facts if f not in chosen)
            note = f"材料超出 {limit} 字，已按整句取舍（先保证每类内容各有一句）；未写入的材料：{left}。"
        return DraftColumn(
            key=key,
            title=title,
            text=text,
            limit=limit,
            count=count_zishu(text),
            fit=fit,
            facts_used=facts_in(text, facts),
            note=note,
        )

    def _brief(self, prep: _Prepared) -> RowBrief:
        from app.drafting.llm import ColumnBrief, RowBrief

        d = prep.target
        link_item = prep.links.item(prep.link) if prep.links and prep.link else None
        if d.section is not None:
            key = d.section
            return RowBrief(
                programme=prep.spec.title,
                scenario="",
                definition="",
                link="",
                link_points="",
                columns=(ColumnBrief(key, prep.titles[key], prep.limits[key], True, d.role),),
                facts=tuple(prep.facts),
                fallback={c.key: c for c in prep.rules_columns},
            )
        assert prep.item is not None
        return RowBrief(
            programme=prep.spec.title,
            scenario=f"{prep.item.id}.{prep.item.name}",
            definition=prep.item.text or "",
            link=prep.link or "",
            link_points=(link_item.text or "") if link_item else "",
            columns=tuple(
                ColumnBrief(
                    key=k,
                    title=prep.titles.get(k, k),
                    limit=prep.limits.get(k),
                    required=c.required,
                    role=c.role,
                )
                for k, c in d.columns.items()
            ),
            facts=tuple(prep.facts),
            fallback={c.key: c for c in prep.rules_columns},
        )

    def _row(self, prep: _Prepared, columns: list[DraftColumn], method: str, notes: list[str]) -> ScenarioRow:
        """The row with the guarantees checked on its text, against the facts used."""
        facts_text = "\n".join(f.text for f in prep.facts)
        output = "".join(c.text for c in columns)
        written, not_in_facts = numbers_not_in(output, facts_text)
        lexicon_words = frozenset(load_lexicon().acronyms)  # MES, ERP …: generic, they name no one
        used = tuple(dict.fromkeys(fid for c in columns for fid in c.facts_used))
        item = prep.item
        d = prep.target
        scenario: dict[str, int | str | None] = {"no": None, "name": None}
        if item is not None:
            scenario = {"no": int(item.id) if item.id.isdigit() else item.id, "name": item.name}
        return ScenarioRow(
            programme=prep.spec.id,
            scenario=scenario,
            section=d.section,
            link=prep.link,
            target=d.target,
            columns=tuple(columns),
            numbers=NumberCheck(in_output=tuple(written), not_in_facts=tuple(not_in_facts)),
            names_not_in_facts=tuple(names_not_in(output, facts_text, lexicon_words)),
            facts_used=used,
            citations=tuple(prep.citations),
            method=method,
            notes=tuple(dict.fromkeys(notes)),
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
