"""Run labelled cases through the rule engine and measure agreement.

For every (case, rule) pair the case's label gives an expected status.

- A pair is a *positive* when the expected status flags something: ``fail`` or
  ``warn`` (a violation) or ``unknown`` (a missing input).
- A violation is *detected* when the engine reports ``fail`` or ``warn``; a
  missing input when it reports ``unknown``; either way the finding's message
  must also contain the labelled words, if any (e.g. 工资).
- A pair is *flagged* when the engine reports ``fail``, ``warn`` or ``unknown``.

TP = positives detected; FN = positives not detected; FP = flagged pairs that
are not TP (a false alarm, or a flag of the wrong kind). Precision =
TP/(TP+FP), recall = TP/(TP+FN). Every pair whose status (or message) differs
from its label is a *disagreement*, listed by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from checkers.engine import run_rules
from core.findings import Status
from corpus.loader import Corpus, default_corpus
from eval.checkers.generators.common import Case

FLAGS: tuple[Status, ...] = ("fail", "warn", "unknown")
VIOLATION: tuple[Status, ...] = ("fail", "warn")


@dataclass
class Counts:
    """Confusion counts for one rule, programme or the whole run."""

    cases: int = 0
    pairs: int = 0
    positives: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    disagreements: int = 0

    def add(self, other: Counts) -> None:
        """Accumulate another count (cases included)."""
        for k in ("cases", "pairs", "positives", "tp", "fp", "fn", "disagreements"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); None when nothing was flagged."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None when there was nothing to detect."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_dict(self) -> dict[str, Any]:
        """Counts with precision and recall, for JSON."""
        return asdict(self) | {"precision": self.precision, "recall": self.recall}


@dataclass(frozen=True)
class Disagreement:
    """One (case, rule) pair where the engine and the label differ."""

    case: str
    rule: str
    target: str | None
    label: str
    expected: str
    got: str
    message: str
    note: str
    missing_words: tuple[str, ...] = ()


@dataclass
class EvalReport:
    """The outcome of one evaluation run."""

    corpus_version: str
    programme: str | None
    n_cases: int
    per_rule: dict[str, Counts] = field(default_factory=dict)
    per_programme: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    disagreements: list[Disagreement] = field(default_factory=list)
    cases_by_label: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data."""
        return {
            "corpus_version": self.corpus_version,
            "programme": self.programme,
            "cases": self.n_cases,
            "cases_by_label": self.cases_by_label,
            "overall": self.overall.as_dict(),
            "programmes": {k: v.as_dict() for k, v in self.per_programme.items()},
            "rules": {k: v.as_dict() for k, v in self.per_rule.items()},
            "disagreements": [asdict(d) for d in self.disagreements],
        }


def _score(expected: Status, got: Status, words_ok: bool) -> tuple[bool, bool, bool]:
    """(positive, true positive, flagged) for one pair."""
    positive = expected in FLAGS
    if expected in VIOLATION:
        detected = got in VIOLATION and words_ok
    elif expected == "unknown":
        detected = got == "unknown" and words_ok
    else:
        detected = False
    return positive, positive and detected, got in FLAGS


def evaluate(cases: Iterable[Case], corpus: Corpus | None = None, programme: str | None = None) -> EvalReport:
    """Run every case through :func:`checkers.engine.run_rules` and score it."""
    corpus = corpus or default_corpus()
    cases = list(cases)
    report = EvalReport(corpus_version=corpus.version, programme=programme, n_cases=len(cases))
    for case in cases:
        report.cases_by_label[case.label] = report.cases_by_label.get(case.label, 0) + 1
        spec = corpus.programme(case.programme)
        findings = {f.id.split(":", 1)[1]: f for f in run_rules(spec, case.draft, corpus.lists)}
        for rule in spec.rules:
            key = f"{spec.id}:{rule.id}"
            counts = report.per_rule.setdefault(key, Counts())
            if case.target == rule.id:
                counts.cases += 1
            f = findings[rule.id]
            expected = case.expected[rule.id]
            words = case.message_contains.get(rule.id, ())
            lacking = tuple(w for w in words if w not in f.message)
            positive, tp, flagged = _score(expected, f.status, not lacking)
            counts.pairs += 1
            counts.positives += positive
            counts.tp += tp
            counts.fn += positive and not tp
            counts.fp += flagged and not tp
            if f.status != expected or lacking:
                counts.disagreements += 1
                report.disagreements.append(
                    Disagreement(
                        case.name,
                        key,
                        case.target,
                        case.label,
                        expected,
                        f.status,
                        f.message,
                        case.note,
                        lacking,
                    )
                )
    for key, counts in report.per_rule.items():
        report.per_programme.setdefault(key.split(":", 1)[0], Counts()).add(counts)
    for counts in report.per_programme.values():
        report.overall.add(counts)
    return report


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _row(name: str, c: Counts) -> list[str]:
    return [
        name,
        str(c.cases),
        str(c.positives),
        str(c.tp),
        str(c.fp),
        str(c.fn),
        _pct(c.precision),
        _pct(c.recall),
        str(c.disagreements),
    ]


_HEAD = ["rule", "cases", "positives", "TP", "FP", "FN", "precision", "recall", "disagree"]


def _rows(report: EvalReport) -> list[list[str]]:
    rows = []
    for prog in sorted(report.per_programme):
        for key in sorted(k for k in report.per_rule if k.split(":", 1)[0] == prog):
            rows.append(_row(key, report.per_rule[key]))
        rows.append(_row(f"[{prog}]", report.per_programme[prog]))
    rows.append(_row("[overall]", report.overall))
    return rows


def render_text(report: EvalReport, *, rules: bool = True) -> str:
    """A plain-text table (per rule, per programme, overall) and the disagreements."""
    rows = _rows(report) if rules else [r for r in _rows(report) if r[0].startswith("[")]
    widths = [max(len(r[i]) for r in [_HEAD, *rows]) for i in range(len(_HEAD))]
    lines = [
        f"corpus {report.corpus_version} · {report.n_cases} cases "
        f"({', '.join(f'{k} {v}' for k, v in sorted(report.cases_by_label.items()))})"
    ]

    def fmt(r: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )

    lines.append(fmt(_HEAD))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(r) for r in rows)
    lines.append("")
    lines.extend(render_disagreements(report))
    return "\n".join(lines)


def render_disagreements(report: EvalReport) -> list[str]:
    """Every disagreement, loudly."""
    if not report.disagreements:
        return ["No disagreements: 100% agreement with the labels."]
    out = [f"!!! {len(report.disagreements)} DISAGREEMENT(S) between the engine and the labels !!!"]
    for d in report.disagreements:
        out.append(f"  ✗ {d.case}  rule={d.rule}  expected={d.expected}  got={d.got}")
        out.append(f"      message: {d.message}")
        if d.missing_words:
            out.append(f"      message lacks: {'、'.join(d.missing_words)}")
        if d.note:
            out.append(f"      case: {d.note}")
    return out


def render_markdown(report: EvalReport) -> str:
    """The report as Markdown (for eval/results/checkers.md)."""
    scope = f"programme `{report.programme}`" if report.programme else "all programmes"
    lines = [
        "# Checker evaluation",
        "",
        f"- corpus version: `{report.corpus_version}` (hash of corpus/programmes and corpus/scenarios)",
        f"- scope: {scope}; {report.n_cases} cases "
        f"({', '.join(f'{k} {v}' for k, v in sorted(report.cases_by_label.items()))})",
        f"- overall precision {_pct(report.overall.precision)}, recall {_pct(report.overall.recall)}, "
        f"{len(report.disagreements)} disagreement(s)",
        "",
        "Detected = fail/warn for a violation label, unknown for a missing-input label; "
        "precision and recall are over every (case, rule) pair.",
        "",
        "## Per programme",
        "",
        "| " + " | ".join(["programme", *_HEAD[1:]]) + " |",
        "|" + "---|" * len(_HEAD),
    ]
    for prog in sorted(report.per_programme):
        lines.append("| " + " | ".join(_row(prog, report.per_programme[prog])) + " |")
    lines.append("| " + " | ".join(_row("**overall**", report.overall)) + " |")
    lines += ["", "## Disagreements", ""]
    if not report.disagreements:
        lines.append("None.")
    for d in report.disagreements:
        lines.append(
            f"- `{d.case}` — `{d.rule}`: expected **{d.expected}**, got **{d.got}**. "
            f"{d.note} — engine: {d.message}"
        )
    lines += ["", "## Per rule", "", "| " + " | ".join(_HEAD) + " |", "|" + "---|" * len(_HEAD)]
    for key in sorted(report.per_rule):
        lines.append("| " + " | ".join(_row(f"`{key}`", report.per_rule[key])) + " |")
    return "\n".join(lines) + "\n"


def write_results(report: EvalReport, out_dir: Path) -> tuple[Path, Path]:
    """Write ``checkers.json`` and ``checkers.md`` (``checkers-<programme>.*`` for one programme)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"checkers-{report.programme}" if report.programme else "checkers"
    js, md = out_dir / f"{stem}.json", out_dir / f"{stem}.md"
    js.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md.write_text(render_markdown(report), encoding="utf-8")
    return js, md
