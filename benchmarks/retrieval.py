"""Retrieval benchmark: index build time, no-change re-run time, warm query
latency and peak memory. Prints the figures (not a timed test).

    python benchmarks/retrieval.py [--embedder use-multilingual] [--rounds 3] [--json]

Everything runs in a fresh temporary data directory; nothing under ``data/``
is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.retrieval.embedders import make_embedder  # noqa: E402
from app.retrieval.pipeline import ingest  # noqa: E402
from app.retrieval.service import build_retriever  # noqa: E402
from app.retrieval.store import ChromaIndex  # noqa: E402
from app.settings import load_settings  # noqa: E402
from corpus.loader import default_corpus  # noqa: E402
from eval.retrieval.dataset import load_cases  # noqa: E402

CLI = "from app.retrieval.cli import app; app()"


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def bench(embedder_name: str, rounds: int) -> dict[str, Any]:
    """Run the benchmark; return the figures."""
    out: dict[str, Any] = {"embedder": embedder_name, "cpus": os.cpu_count()}
    corpus = default_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp), retrieval={"embedder": embedder_name})

        t = time.perf_counter()
        embedder = make_embedder(embedder_name, threads=settings.retrieval.threads)
        embedder.embed_query("预热")  # lazy models load their weights on first use
        out["model_load_s"] = time.perf_counter() - t

        t = time.perf_counter()
        index = ChromaIndex.from_settings(settings, embedder)
        report = ingest(corpus, index, batch_size=settings.retrieval.batch_size)
        out["full_build_s"] = time.perf_counter() - t
        out["chunks"] = report.chunks

        t = time.perf_counter()
        again = ingest(corpus, ChromaIndex.from_settings(settings, embedder))
        out["no_change_in_process_s"] = time.perf_counter() - t
        assert again.added == 0 and again.removed == 0

        env = {**os.environ, "SHENBAO_DATA_DIR": tmp, "SHENBAO_RETRIEVAL__EMBEDDER": embedder_name}
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", CLI, "ingest", "--format", "json"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out["no_change_cli_s"] = time.perf_counter() - t
        assert json.loads(proc.stdout)["added"] == 0
        out["cli_peak_rss_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)

        t = time.perf_counter()
        retriever = build_retriever(settings, corpus=corpus, index=index)
        out["retriever_build_s"] = time.perf_counter() - t
        queries = [c.query for c in load_cases()]
        for q in queries[:5]:
            retriever.invoke(q)
        lat: list[float] = []
        for _ in range(rounds):
            for q in queries:
                t = time.perf_counter()
                retriever.invoke(q)
                lat.append((time.perf_counter() - t) * 1000)
        out["queries"] = len(lat)
        out["query_p50_ms"] = statistics.median(lat)
        out["query_p95_ms"] = _percentile(lat, 0.95)
        out["peak_rss_mb"] = _peak_mb(resource.RUSAGE_SELF)
    return out


def main() -> int:
    """Parse arguments, run, print."""
    p = argparse.ArgumentParser(description="检索基准：建索引、无变化重跑、查询延迟、峰值内存")
    p.add_argument("--embedder", default=None, help="嵌入模型（默认取设置）")
    p.add_argument("--rounds", type=int, default=3, help="查询轮数（每轮跑完评测集全部查询）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    args = p.parse_args()
    name = args.embedder or load_settings().retrieval.embedder
    r = bench(name, args.rounds)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
        return 0
    print(f"嵌入模型            {r['embedder']}（{r['cpus']} 核）")
    print(f"模型加载            {r['model_load_s']:.2f} 秒")
    print(f"全量建索引          {r['full_build_s']:.2f} 秒（{r['chunks']} 个条款块）")
    print(f"无变化重跑（进程内）{r['no_change_in_process_s']:.2f} 秒")
    print(
        f"无变化重跑（CLI）   {r['no_change_cli_s']:.2f} 秒（含启动与导入；峰值内存 {r['cli_peak_rss_mb']:.0f} MB）"
    )
    print(f"检索器构建          {r['retriever_build_s']:.2f} 秒（读取索引 + BM25 + jieba 词典）")
    print(
        f"热查询延迟          p50 {r['query_p50_ms']:.1f} ms，p95 {r['query_p95_ms']:.1f} ms（{r['queries']} 次）"
    )
    print(f"峰值内存（本进程）  {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
