"""How fast evidence review is. Prints figures, asserts nothing.

Reviews every labelled passage of ``eval/evidence/cases`` as a claim of its
scenario, ``--rounds`` times, and prints claims per second and the median and
p90 latency per claim for the rules-only reviewer; with ``--llm MODEL …`` it
then runs ``benchmarks/evidence_llm.py`` for those local models (load time,
cold and warm latency per claim, memory with the model loaded).

Run: ``python benchmarks/evidence.py [--rounds 20] [--llm qwen2.5-coder-1.5b]``
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.review.rules import review_rules
from core.review import Claim, ClaimReview
from corpus.loader import default_corpus
from eval.evidence.cases import load_cases
from eval.evidence.run import claim_of


def _rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(review: Callable[[Claim], ClaimReview], claims: list[Claim], rounds: int) -> dict[str, float]:
    """Latency per claim over ``rounds`` passes of ``claims``."""
    times: list[float] = []
    for _ in range(rounds):
        for claim in claims:
            start = time.perf_counter()
            review(claim)
            times.append(time.perf_counter() - start)
    times.sort()
    return {
        "claims": len(times),
        "per_second": len(times) / sum(times),
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[int(len(times) * 0.9)] * 1000,
    }


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20, help="passes over the labelled set (rules-only)")
    ap.add_argument(
        "--llm",
        nargs="+",
        default=None,
        help="also time these local models (qwen2.5-coder-1.5b, qwen2.5-coder-0.5b)",
    )
    args = ap.parse_args()
    corpus = default_corpus()
    claims = [claim_of(c, corpus, with_level=False) for c in load_cases()]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"claims: {len(claims)} labelled passages, mean {statistics.mean(len(c.text()) for c in claims):.0f} 字"
    )
    review_rules(claims[0])  # lexicon loaded and compiled before timing
    r = measure(review_rules, claims, args.rounds)
    print(
        f"rules-only: {r['per_second']:.0f} claims/s, median {r['median_ms']:.2f} ms, "
        f"p90 {r['p90_ms']:.2f} ms per claim ({r['claims']} reviews); peak RSS {_rss_mb():.0f} MB"
    )
    if args.llm:
        print(
            f"\nmodels: see python benchmarks/evidence_llm.py (load, cold and warm latency, memory); running it for {args.llm}"
        )
        import subprocess

        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("evidence_llm.py")), "--models", *args.llm],
            check=False,
        )


if __name__ == "__main__":
    main()
