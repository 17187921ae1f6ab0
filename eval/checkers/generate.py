"""Labelled checker cases: each mutates a compliant base draft to inject ONE known
violation of ONE rule (or to remove one input, or to probe a boundary that must
still pass) and says what every rule of the programme is expected to report.

Where cases come from
---------------------
- the generator of the rule's kind (``eval/checkers/generators/``, one module per
  family of kinds, registered in :data:`~eval.checkers.generators.GENERATORS`);
- the programme's hand-written cases, as data (``eval/checkers/cases/<programme>.yaml``,
  read by :mod:`eval.checkers.handwritten`).

Labels
------
- ``violation``: the target rule must report ``fail`` (severity error) or
  ``warn`` (severity warning/info).
- ``missing``: an input of the target rule is removed; it must report ``unknown``.
- ``pass``: a tricky edit that must NOT be flagged (boundary values, 字数 where
  Word and ``len()`` disagree, amounts normalised from 亿元/大写 ...).
- ``base``: the unmodified base draft: every rule ``pass`` (``n/a`` where the
  rule's ``applies_when`` excludes the draft's variant).

Collateral is declared, never inferred from the checker: for every draft path a
case changes, every other rule reading that path must be declared as changed
(``also``) or unchanged (``keep``, in the case or in the programme's declared
``collateral``), except mechanical consequences of the rule kinds' documented
``blank_means`` (``core.spec.Params``): a kind for which a blank input is the
violation (``fail``: required fields) reports it when one of its fields becomes
blank and is otherwise unchanged, and a kind that cannot decide on a blank input
(``unknown``) reports ``unknown`` when its inputs become blank ("Unknown is not
pass", design.md). An undeclared reader is a :class:`GeneratorError`, so a label
can never silently omit a side effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.catalogue import CatalogueList
from core.draft import Draft
from core.findings import Status
from core.spec import ProgrammeSpec, Rule, references
from corpus.loader import Corpus, default_corpus
from eval.checkers.generators import GENERATORS
from eval.checkers.generators.common import (
    BASE_DIR,
    Base,
    Case,
    Gen,
    GeneratorError,
    Label,
    Mut,
    load_bases,
    passed,
    sev,
)
from eval.checkers.handwritten import CaseFile, load_case_files
from eval.checkers.mutate import JSON, clone, get, is_blank, leaf_paths, read_path

__all__ = [
    "Base",
    "Case",
    "Gen",
    "GeneratorError",
    "Label",
    "Mut",
    "base_expected",
    "build_case",
    "cases_for_base",
    "generate_cases",
    "load_bases",
    "reads",
]


def reads(rule: Rule) -> set[str]:
    """The draft paths a rule reads, at the granularity of :func:`read_path`."""
    return {x for x in (read_path(r) for r in rule.reads()) if x}


def _blank_at(data: JSON, path: str) -> bool:
    """Whether the input at a read path is blank (a table column: the whole table)."""
    if path.startswith("tables."):
        return is_blank(get(data, ".".join(path.split(".")[:2])))
    if path.startswith("selections."):
        return get(data, path) is None  # [] is an answer: nothing ticked
    return is_blank(get(data, path))


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def base_expected(spec: ProgrammeSpec, base: Base) -> dict[str, Status]:
    """The label of the base draft: ``pass`` (``warn`` where a reading the spec
    declares cannot confirm a pass, or the status the programme's case file
    declares), or ``n/a`` where ``applies_when`` excludes it."""
    out: dict[str, Status] = {}
    declared = load_case_files().get(spec.id)
    for r in spec.rules:
        status: Status = (declared.base_label(r.id, base.name) if declared else None) or passed(r)
        for path, values in (r.applies_when or {}).items():
            v = get(base.data, path)
            if v is not None and str(v) not in values:
                status = "n/a"
        out[r.id] = status
    return out


def _blank_status(rule: Rule, data: JSON) -> Status | None:
    """The status of a rule for which a blank input is the violation
    (``blank_means == "fail"``) when one of its fields is blank, else None."""
    p = rule.check
    if p.blank_means != "fail":
        return None
    fields = [v for k, v in references(p) if k == "draft_path"]
    return sev(rule) if any(is_blank(get(data, f)) for f in fields) else None


def build_case(g: Gen, rule: Rule, mut: Mut, base_exp: Mapping[str, Status]) -> Case:
    """Apply a mutation and label every rule; refuse undeclared side effects."""
    data = clone(g.base.data)
    mut.edit(data)
    try:
        draft = Draft.model_validate(data)
    except ValueError as e:
        raise GeneratorError(f"{g.base.name}:{rule.id}:{mut.variant}: invalid draft: {e}") from e
    declared = load_case_files().get(g.spec.id)
    extra_also, extra_keep, relabel = (
        declared.collateral_of(rule.id, mut.variant) if declared else ({}, (), None)
    )
    status: Status = (
        mut.status
        or relabel
        or {"violation": sev(rule), "missing": "unknown", "pass": passed(rule)}.get(mut.label, "pass")
    )
    also = {**extra_also, **mut.also}
    keep = set(mut.keep) | set(extra_keep)
    touched = {x for x in (read_path(p) for p in leaf_paths(g.base.data, data)) if x}
    changed: dict[str, Status] = {rule.id: status}
    undeclared: list[str] = []
    for other in g.spec.rules:
        if other.id == rule.id:
            continue
        if other.id in also:
            changed[other.id] = also[other.id]
            continue
        hit = [t for t in touched if any(_overlaps(t, r) for r in reads(other))]
        if not hit:
            continue
        if (req := _blank_status(other, data)) is not None:
            changed[other.id] = req
        elif other.check.blank_means == "fail" or other.id in keep:
            continue
        elif other.check.blank_means == "unknown" and all(_blank_at(data, t) for t in hit):
            changed[other.id] = "unknown"
        else:
            undeclared.append(f"{other.id} (reads {', '.join(sorted(hit))})")
    name = f"{g.base.name}:{rule.id}:{mut.variant}"
    if undeclared:
        msg = f"{name}: undeclared effect on {'; '.join(undeclared)}"
        if g.errors is None:
            raise GeneratorError(msg)
        g.errors.append(msg)
    expected = dict(base_exp) | changed
    changed = {k: v for k, v in changed.items() if v != base_exp[k] or k == rule.id}
    return Case(
        name=name,
        programme=g.spec.id,
        base=g.base.name,
        target=rule.id,
        label=mut.label,
        expected=expected,
        changed=changed,
        message_contains={rule.id: mut.contains} if mut.contains else {},
        note=mut.note,
        draft=draft,
    )


def _base_case(spec: ProgrammeSpec, base: Base, exp: Mapping[str, Status]) -> Case:
    return Case(
        name=f"{base.name}:base",
        programme=spec.id,
        base=base.name,
        target=None,
        label="base",
        expected=dict(exp),
        changed={},
        message_contains={},
        note=base.draft.source or "",
        draft=base.draft,
    )


def cases_for_base(
    spec: ProgrammeSpec, lists: Mapping[str, CatalogueList], base: Base, errors: list[str] | None = None
) -> list[Case]:
    """The base case, the generated cases of every rule and the programme's
    hand-written cases that apply to this base."""
    g = Gen(spec, lists, base, errors)
    exp = base_expected(spec, base)
    out = [_base_case(spec, base, exp)]
    for rule in spec.rules:
        if exp[rule.id] == "n/a":
            continue
        for mut in GENERATORS[rule.check.kind](g, rule):
            out.append(build_case(g, rule, mut, exp))
    hand = load_case_files().get(spec.id, CaseFile(programme=spec.id))
    for case in hand.cases:
        if case.bases is not None and base.name not in case.bases:
            continue
        out.append(build_case(g, spec.rule(case.rule), case.mut(), exp))
    return out


def check_case_files(corpus: Corpus) -> None:
    """Refuse a hand-written case file that names an unknown programme, rule or base."""
    base_names = {path.stem for path in BASE_DIR.glob("*.json")}
    problems = []
    for pid, hand in load_case_files().items():
        if pid not in corpus.programmes:
            problems.append(f"{pid}.yaml: unknown programme")
            continue
        problems += [f"{pid}.yaml: {p}" for p in hand.problems(corpus.programme(pid), base_names)]
    if problems:
        raise GeneratorError("; ".join(problems))


def generate_cases(
    corpus: Corpus | None = None,
    programme: str | None = None,
    bases: Iterable[Base] | None = None,
    errors: list[str] | None = None,
) -> list[Case]:
    """Every labelled case (optionally of one programme), base cases first per base."""
    corpus = corpus or default_corpus()
    check_case_files(corpus)
    out: list[Case] = []
    for base in bases if bases is not None else load_bases():
        if programme is not None and base.programme != programme:
            continue
        spec = corpus.programme(base.programme)
        out.extend(cases_for_base(spec, corpus.lists, base, errors))
    names = [c.name for c in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise GeneratorError(f"duplicate case names: {sorted(dup)}")
    return out
