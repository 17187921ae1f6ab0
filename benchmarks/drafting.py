"""Seconds per drafted row: rules-only, and with the local model (llama-cpp-python
in-process), split into generation (waiting for the model: the first draft, any
repair, regeneration or shortening call) and validation (everything else: the
guarantees checked per column, the rules-only fallback columns, the row's
numbers and names). Prints figures, asserts nothing.

The rows are fact sheets of the drafting eval (eval/drafting/cases), taken at
even intervals. The first model row includes evaluating the fixed system prompt
once (llama.cpp then reuses it as a prefix); it is reported on its own.

Run: ``SHENBAO_DATA_DIR=data python benchmarks/drafting.py [--rows 3] [--model qwen2.5-coder-1.5b]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.drafting.service import DraftService
from app.llm.model_files import MODELS
from app.settings import load_settings
from corpus.loader import default_corpus
from eval.drafting.cases import load_cases


def main(argv: list[str] | None = None) -> int:
    """Draft ``--rows`` sheets rules-only and with the local model; print the split."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=3, help="how many fact sheets (evenly spaced)")
    ap.add_argument("--model", default="qwen2.5-coder-1.5b", choices=list(MODELS))
    args = ap.parse_args(argv)

    corpus = default_corpus()
    cases = load_cases()
    picked = [cases[i * len(cases) // args.rows][1] for i in range(args.rows)]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, no GPU; python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f}")

    rules = DraftService(corpus)
    first = picked[0]
    rules.draft_row(
        corpus.programme(first.programme), first.facts, first.scenario, factory_type=first.factory_type
    )
    rules_secs = []
    for case in picked:
        start = time.perf_counter()
        rules.draft_row(
            corpus.programme(case.programme), case.facts, case.scenario, factory_type=case.factory_type
        )
        rules_secs.append(time.perf_counter() - start)
    print(f"rules-only: median {statistics.median(rules_secs) * 1000:.1f} ms per row over {len(picked)} rows")

    from app.drafting.llm import build_drafter

    settings = load_settings(llm={"provider": "local", "local_model": args.model})
    start = time.perf_counter()
    drafter = build_drafter(settings)
    assert drafter is not None
    drafter.provider.model.load()  # type: ignore[attr-defined]
    print(
        f"{args.model}: model load {time.perf_counter() - start:.1f} s (threads: {settings.llm.n_threads or 'all'})"
    )
    service = DraftService(corpus, drafter=drafter)
    rows: list[tuple[str, float, float, int, str]] = []
    for case in picked:
        spec = corpus.programme(case.programme)
        calls, generated = drafter.stats.calls, drafter.stats.generation_seconds
        start = time.perf_counter()
        row = service.draft_row(spec, case.facts, case.scenario, factory_type=case.factory_type)
        total = time.perf_counter() - start
        gen = drafter.stats.generation_seconds - generated
        fits = ",".join(c.fit for c in row.columns)
        rows.append(
            (case.id, total, gen, drafter.stats.calls - calls, f"{row.method} ok={row.ok()} [{fits}]")
        )
        print(
            f"  {case.id} ({len(row.columns)} columns): {total:.1f} s = generation {gen:.1f} s "
            f"({drafter.stats.calls - calls} calls) + validation {total - gen:.2f} s; {rows[-1][4]}",
            flush=True,
        )
    totals = [r[1] for r in rows]
    gens = [r[2] for r in rows]
    print(
        f"{args.model}: mean {statistics.fmean(totals):.1f} s per row = generation {statistics.fmean(gens):.1f} s "
        f"+ validation {statistics.fmean(t - g for t, g in zip(totals, gens, strict=True)):.2f} s; "
        f"{sum(r[3] for r in rows) / len(rows):.1f} model calls per row"
    )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
