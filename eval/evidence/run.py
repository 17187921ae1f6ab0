"""Run the evidence-review evaluation on the labelled passages.

For each reviewer (rules-only; a model when ``--llm`` names one) every case is
reviewed as a claim of its labelled scenario: verdict accuracy, per-element
precision/recall/F1, the share of quotes that occur verbatim, the share of
true-positive elements whose quotes overlap a gold quote, latency per claim,
and a confusion matrix (PNG). The claimed level of the js-gradient-style
cases is scored on its own. Scenario ranking (``--scenario auto``) is scored
on the ``auto`` cases: top-1 and top-3.

The default set is reported whole and split into dev and holdout; a ``--cases``
path outside it (such as ``eval/evidence/fresh``) is held out entirely: one
split, ``fresh``, for the rules-only reviewer and for every model.

Writes ``eval/results/evidence.md``, ``evidence.json`` and
``evidence-confusion-<method>.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.review.passage import SCENARIO_LIST, passage_claim
from app.review.rules import load_lexicon, review_rules
from app.review.scenarios import ScenarioRanker, find_scenario
from core.review import VERDICT_LABELS, Claim, ClaimReview, verbatim
from corpus.loader import Corpus, default_corpus
from eval.confusion import Counts
from eval.evidence.cases import CASES_DIR, ELEMENTS, EvidenceCase, load_cases

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "eval" / "results"
FRESH = "fresh"
VERDICTS = tuple(VERDICT_LABELS)
Reviewer = Callable[[Claim], ClaimReview]


@dataclass
class MethodResult:
    """Everything measured for one reviewer."""

    method: str
    verdict_ok: int = 0
    total: int = 0
    elements: dict[str, Counts] = field(default_factory=lambda: {e: Counts() for e in (*ELEMENTS, "level")})
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    quotes: int = 0
    quotes_verbatim: int = 0
    tp_elements: int = 0
    tp_overlapping: int = 0
    seconds: list[float] = field(default_factory=list)
    by_tag: dict[str, list[int]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures of this method as JSON."""
        secs = sorted(self.seconds)
        return {
            "method": self.method,
            "cases": self.total,
            "verdict_accuracy": round(self.verdict_ok / self.total, 3) if self.total else None,
            "elements": {
                e: {**c.scores(), "tp": c.tp, "fp": c.fp, "fn": c.fn} for e, c in self.elements.items()
            },
            "quotes_verbatim": round(self.quotes_verbatim / self.quotes, 3) if self.quotes else 1.0,
            "quotes_overlapping_gold": round(self.tp_overlapping / self.tp_elements, 3)
            if self.tp_elements
            else None,
            "seconds_per_claim_median": round(secs[len(secs) // 2], 4) if secs else None,
            "seconds_per_claim_max": round(secs[-1], 4) if secs else None,
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.confusion.items())},
            "accuracy_by_tag": {t: round(ok / n, 3) for t, (ok, n) in sorted(self.by_tag.items())},
        }


def _overlaps(quotes: tuple[str, ...], gold: list[str]) -> bool:
    return any(q.strip() in g or g in q for q in quotes for g in gold)


def split_of(case: EvidenceCase, *, held_out: bool = False) -> str:
    """``holdout`` for every third case of a scenario (s01-03, s01-06, …), else
    ``dev``: the lexicons are tuned on dev only, and both are reported. With
    ``held_out`` (a case of a set outside the default one) always ``fresh``."""
    if held_out:
        return FRESH
    return "holdout" if int(case.id.rsplit("-", 1)[1]) % 3 == 0 else "dev"


def is_default_set(path: Path | None) -> bool:
    """Whether a ``--cases`` path is the default labelled set or a file or folder in it
    (``None`` is the default set)."""
    if path is None:
        return True
    p = Path(path).resolve()
    return p == CASES_DIR or CASES_DIR in p.parents


def splits(cases: list[EvidenceCase], path: Path | None) -> dict[str, list[EvidenceCase]]:
    """The splits a run reports besides the whole set: ``dev`` and ``holdout`` of the
    default set; for a set outside it (written blind, tuned on by nobody) one split,
    ``fresh``, holding every case."""
    held_out = not is_default_set(path)
    names = (FRESH,) if held_out else ("dev", "holdout")
    return {n: [c for c in cases if split_of(c, held_out=held_out) == n] for n in names}


def claim_of(case: EvidenceCase, corpus: Corpus, *, with_level: bool) -> Claim:
    """The claim a case stands for: its passage, its labelled scenario (and level)."""
    lst = corpus.lists[SCENARIO_LIST]
    item = find_scenario(lst, str(case.scenario.no))
    level = case.level.claimed if with_level and case.level else None
    return passage_claim(corpus, lst, item, case.text, level=level)


def evaluate(cases: list[EvidenceCase], corpus: Corpus, method: str, reviewer: Reviewer) -> MethodResult:
    """Review every case with ``reviewer`` and score it against the labels."""
    res = MethodResult(method=method)
    for case in cases:
        claim = claim_of(case, corpus, with_level=False)
        start = time.perf_counter()
        review = reviewer(claim)
        res.seconds.append(time.perf_counter() - start)
        gold, got = case.verdict(), review.verdict
        res.total += 1
        res.verdict_ok += gold == got
        res.confusion[gold, got] = res.confusion.get((gold, got), 0) + 1
        for tag in case.tags:
            ok, n = res.by_tag.get(tag, [0, 0])
            res.by_tag[tag] = [ok + (gold == got), n + 1]
        for e in ELEMENTS:
            label, check = case.labels.get(e), review.elements[e]
            res.elements[e].add(label.present, check.present)
            for q in check.quotes:
                res.quotes += 1
                res.quotes_verbatim += verbatim(q, case.text)
            if label.present and check.present:
                res.tp_elements += 1
                res.tp_overlapping += _overlaps(check.quotes, label.quotes)
        if gold != got:
            res.failures.append(
                {"id": case.id, "gold": gold, "got": got, "missing": list(review.missing), "tags": case.tags}
            )
        if case.level is not None:
            level_review = reviewer(claim_of(case, corpus, with_level=True))
            res.elements["level"].add(case.level.shown, level_review.elements["level"].present)
    return res


def _evaluate_model(part: list[EvidenceCase], corpus: Corpus, name: str, split: str) -> MethodResult:
    """The model reviewer ``name`` (settings as configured) on the cases of one split,
    with a progress line."""
    import sys

    from app.services import build_services
    from app.settings import load_settings

    service = build_services(load_settings()).review
    done = 0

    def review(claim: Claim) -> ClaimReview:
        nonlocal done
        done += 1
        print(
            f"\r{name}: {done}/{len(part) + sum(c.level is not None for c in part)}", end="", file=sys.stderr
        )
        return service.review_claim(claim, llm=name)

    result = evaluate(part, corpus, f"{name}-{split}", review)
    print(file=sys.stderr)
    return result


def scenario_ranking(cases: list[EvidenceCase], corpus: Corpus) -> dict[str, Any]:
    """Top-1 and top-3 accuracy of ``--scenario auto`` on the ``auto`` cases."""
    ranker = ScenarioRanker(corpus)
    auto = [c for c in cases if c.auto]
    top1 = top3 = 0
    misses = []
    for case in auto:
        ranked = [c.no for c in ranker.rank(case.text, 3)]
        want = str(case.scenario.no)
        top1 += bool(ranked) and ranked[0] == want
        top3 += want in ranked
        if not ranked or ranked[0] != want:
            misses.append({"id": case.id, "want": want, "got": ranked})
    n = len(auto)
    return {
        "cases": n,
        "top1": round(top1 / n, 3) if n else None,
        "top3": round(top3 / n, 3) if n else None,
        "misses": misses,
    }


def plot_confusion(res: MethodResult, out: Path) -> Path:
    """The verdict confusion matrix as a PNG (gold rows, predicted columns)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = [[res.confusion.get((g, p), 0) for p in VERDICTS] for g in VERDICTS]
    fig, ax = plt.subplots(figsize=(4.2, 3.6), dpi=120)
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(3), VERDICTS)
    ax.set_yticks(range(3), VERDICTS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("labelled")
    ax.set_title(f"evidence verdicts: {res.method}")
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center", color="black")
    fig.tight_layout()
    path = out / f"evidence-confusion-{res.method}.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def markdown(results: list[MethodResult], ranking: dict[str, Any], meta: dict[str, Any]) -> str:
    """The report: one row per method, then per element, ranking and failures."""
    lines = [
        "# Evidence review evaluation",
        "",
        f"{meta['cases']} labelled passages over {meta['scenarios']} scenarios "
        f"({meta['source']}); lexicon v{meta['lexicon_version']}; run {meta['date']}.",
        "",
        "| method | verdict accuracy | system F1 | how F1 | result F1 | level F1 | quotes verbatim "
        "| quotes on gold | s/claim (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.summary()
        el = s["elements"]
        lines.append(
            f"| {r.method} | {s['verdict_accuracy']} | {el['system']['f1']} | {el['how']['f1']} | "
            f"{el['result']['f1']} | {el['level']['f1']} | {s['quotes_verbatim']} | "
            f"{s['quotes_overlapping_gold']} | {s['seconds_per_claim_median']} |"
        )
    lines += ["", "## Elements (precision / recall)", "", "| method | element | P | R | F1 | tp | fp | fn |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in results:
        for e, c in r.summary()["elements"].items():
            lines.append(
                f"| {r.method} | {e} | {c['precision']} | {c['recall']} | {c['f1']} | {c['tp']} | {c['fp']} | {c['fn']} |"
            )
    lines += [
        "",
        "## Scenario ranking (--scenario auto)",
        "",
        f"{ranking['cases']} `auto` cases: top-1 {ranking['top1']}, top-3 {ranking['top3']}.",
        "",
        "## Verdict accuracy by tag",
        "",
    ]
    for r in results:
        tags = r.summary()["accuracy_by_tag"]
        lines.append(f"- {r.method}: " + "，".join(f"{t} {v}" for t, v in tags.items()))
    for r in results:
        lines += ["", f"## Wrong verdicts: {r.method} ({len(r.failures)})", ""]
        lines += [
            f"- {f['id']}: labelled {f['gold']}, got {f['got']} ({', '.join(f['tags'])})" for f in r.failures
        ]
    return "\n".join(lines) + "\n"


def _source(path: Path | None) -> str:
    """The labelled set as the report names it: its path from the repository root."""
    p = CASES_DIR if path is None else Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 1 when the rules reviewer misses its targets
    with ``--strict`` (verdict accuracy ≥ 0.9, element F1 ≥ 0.9, all quotes verbatim)."""
    ap = argparse.ArgumentParser(prog="python -m eval.evidence", description="证据审阅评测")
    ap.add_argument("--cases", type=Path, default=None, help="用例文件或目录（默认内置标注集）")
    ap.add_argument("--out", type=Path, default=RESULTS, help="结果目录")
    ap.add_argument("--strict", action="store_true", help="未达目标时以 1 退出")
    ap.add_argument(
        "--llm",
        action="append",
        default=[],
        help="也用该大模型审阅（local、openai；可重复），在 --llm-split 上",
    )
    ap.add_argument(
        "--llm-split",
        choices=("holdout", "dev", "all"),
        default="holdout",
        help="大模型评测的用例（--cases 指向内置标注集以外时不适用：全部用例都是留出集）",
    )
    args = ap.parse_args(argv)
    corpus = default_corpus()
    cases = load_cases(args.cases)
    default = is_default_set(args.cases)
    parts = splits(cases, args.cases)
    # A set outside the default one is held out entirely: its one split is the whole set.
    results = [evaluate(cases, corpus, "rules", review_rules)] if default else []
    for split, part in parts.items():
        results.append(evaluate(part, corpus, f"rules-{split}", review_rules))
    llm_split = args.llm_split if default else FRESH
    llm_part = cases if llm_split == "all" else parts[llm_split]
    for name in args.llm:
        results.append(_evaluate_model(llm_part, corpus, name, llm_split))
    ranking = scenario_ranking(cases, corpus)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "source": _source(args.cases) + ("" if default else "; all held out"),
        "cases": len(cases),
        "scenarios": len({c.scenario.no for c in cases}),
        "lexicon_version": load_lexicon().version,
        "date": dt.date.today().isoformat(),
    }
    for r in results:
        if r is results[0] or not r.method.startswith("rules-"):  # one plot per reviewer
            plot_confusion(r, args.out)
    data = {"meta": meta, "methods": [r.summary() for r in results], "ranking": ranking}
    data["failures"] = {r.method: r.failures for r in results}
    (args.out / "evidence.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "evidence.md").write_text(markdown(results, ranking, meta), encoding="utf-8")
    print(markdown(results, ranking, meta).split("## Elements")[0].strip())
    print(f"\n结果已写入 {args.out / 'evidence.md'} 和 {args.out / 'evidence.json'}")
    if args.strict:
        s = results[0].summary()
        f1s = [s["elements"][e]["f1"] for e in ELEMENTS]
        if s["verdict_accuracy"] < 0.9 or min(f1s) < 0.9 or s["quotes_verbatim"] < 1.0:
            return 1
    return 0
