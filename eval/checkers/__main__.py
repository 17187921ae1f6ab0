"""``python -m eval.checkers [--programme ID] [--out DIR]``: run every labelled
case through the rule engine, print per-rule / per-programme / overall precision
and recall and every disagreement, and write ``checkers.json`` and ``checkers.md``.

Exits 0 even when there are disagreements (this is a measurement); 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.loader import CorpusError, default_corpus
from eval.checkers.generate import GeneratorError, generate_cases
from eval.checkers.metrics import evaluate, render_text, write_results

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(
        prog="python -m eval.checkers", description="规则检查器评测：逐条规则的精确率与召回率"
    )
    ap.add_argument("--programme", "-p", help="只评测一个申报项目（id）")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR, help="结果目录（默认 eval/results）")
    ap.add_argument("--summary", action="store_true", help="只打印各项目汇总，不打印逐条规则")
    args = ap.parse_args(argv)
    try:
        corpus = default_corpus()
        if args.programme is not None:
            corpus.programme(args.programme)
        cases = generate_cases(corpus, programme=args.programme)
    except (CorpusError, GeneratorError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if not cases:
        print(f"错误：项目「{args.programme}」没有基准申报书（eval/checkers/base/）", file=sys.stderr)
        return 2
    report = evaluate(cases, corpus, programme=args.programme)
    print(render_text(report, rules=not args.summary))
    js, md = write_results(report, args.out)
    print(f"\n结果已写入 {js} 和 {md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
