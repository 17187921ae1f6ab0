"""How fast ``shenbao check`` is on realistic drafts. Prints figures, asserts nothing.

Builds a ~20-page .docx 申报书 (the programme's blank form from the template
writer, filled with long sections and table rows; a plain generated document
when the template writer is not available), then measures:

- parse + check of one draft: median (and p90) ms over ``--runs`` runs;
- check alone on the already-read draft (the rules' share of the time);
- a batch of ``--batch`` copies through ``check_paths``: drafts per second;
- annotation (the annotated draft, :mod:`app.word.annotate`) of each bundled
  example and of the benchmark draft: median ms per draft;
- the consultant's folder workflow (``shenbao check DIR -p ID --annotate OUT
  -f xlsx -o OUT/matrix.xlsx``, in a subprocess) on a folder of ``--folder``
  drafts generated from the bundled examples (and on ``--folder-small`` for
  comparison): wall time and peak memory (largest resident set of the process
  and of any of its worker processes).

Run: ``python benchmarks/check_throughput.py [--programme ID] [--runs 30] [--batch 200] [--folder 300]``
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.checking import check_draft, check_file, check_paths, doc_titles, read_checked_draft
from app.word.annotate import annotate_bytes
from checkers.engine import run_rules
from core.spec import FieldSpec, ProgrammeSpec
from corpus.loader import Corpus, default_corpus
from ingestion.drafts import DraftError, read_draft

SENTENCES = (
    "公司围绕离散型智能制造模式，建成覆盖计划、生产、质量、设备、仓储物流的一体化数字化管理平台。",
    "通过部署制造执行系统（MES）与企业资源计划系统（ERP）集成，实现工单下达、报工、追溯全流程闭环。",
    "关键工序配置工业机器人42台、数控机床118台，设备联网率由35%提升至96%，数据采集点超过12000个。",
    "引入机器视觉在线检测，产品一次交检合格率由97.2%提升到99.5%，质量追溯时间由2天缩短至10分钟。",
    "建设5G+工业互联网专网，边缘计算节点实时采集设备状态，开展预测性维护，非计划停机时间降低38%。",
    "以数字孪生技术构建产线三维模型，仿真优化节拍与布局，新产品导入周期缩短30%，产能提升22%。",
    "仓储采用自动化立体仓库与AGV协同配送，库存周转天数由45天下降到28天，物流人员减少40%。",
    "能源管理系统对水、电、气分区计量，单位产值综合能耗下降15.6%，年节约标准煤约1200吨。",
    "建立数据治理与网络安全管理制度，通过等保三级测评，部署工控防火墙和入侵检测系统。",
    "组建智能制造专职团队56人，其中高级职称12人，与高校共建联合实验室，年培训员工3000人次。",
)


def long_text(chars: int, seed: int = 0) -> str:
    """Realistic Chinese prose of about ``chars`` characters."""
    out: list[str] = []
    i, total = seed, 0
    while total < chars:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        total += len(sentence)
        i += 1
    return "".join(out)


def sample_value(field: FieldSpec, i: int) -> str:
    """A plausible value for a form field, as a writer would type it."""
    path, label = field.path, field.label
    if field.unit == "万元":
        return f"{2000 + 137 * i:,}"
    if field.unit == "%":
        return f"{30 + i % 40}%"
    if field.unit:
        return f"{120 + i}"
    if "date" in path or path.endswith((".start", ".end")) or "日期" in label or "时间" in label:
        return f"2021年{1 + i % 12}月{1 + i % 28}日"
    if "credit_code" in path:
        return "91320583MA1M12345B"
    if "address" in path or "地址" in label:
        return "江苏省南通市崇川区工农路88号"
    if "phone" in path or "电话" in label:
        return "13800000000"
    if "name" in path:
        return "南通示例智能装备有限公司"
    return f"{label}：已填写（示例）"


def _insert_after(par: Paragraph, text: str) -> Paragraph:
    new_p = OxmlElement("w:p")
    par._p.addnext(new_p)
    new = Paragraph(new_p, par._parent)
    new.add_run(text)
    return new


def _header_text(table: Table) -> str:
    return "".join(c.text for c in table.rows[0].cells) if table.rows else ""


def _is_table_of(table: Table, titles: list[str]) -> bool:
    """Whether the table's first row carries (most of) these column titles."""
    header = _header_text(table)
    return sum(t[:6] in header for t in titles) * 2 > len(titles)


def _add_rows(table: Table, rows: int) -> None:
    for r in range(rows):
        row = table.add_row()  # type: ignore[no-untyped-call]
        for c, cell in enumerate(row.cells):
            cell.text = str(r + 1) if c == 0 else long_text(40, seed=r + c)


def fill_form(path: Path, spec: ProgrammeSpec, rows: int = 12) -> None:
    """Fill a blank form: values beside field labels, long text under each
    section title, ``rows`` rows in each repeating table."""
    doc: DocxDocument = Document(str(path))
    labels = {lab: f for f in spec.fields for lab in (f.label, *f.aliases)}
    i = 0
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for a, b in itertools.pairwise(cells):
                field = labels.get(a.text.strip())
                if field is not None and not b.text.strip():
                    b.text = sample_value(field, i)
                    i += 1
    for sec_i, sec in enumerate(spec.sections):
        for par in list(doc.paragraphs):
            if sec.title in par.text:
                anchor = par
                for k in range(2):
                    anchor = _insert_after(anchor, long_text(400, seed=sec_i + k))
                break
    for tspec in spec.tables:
        for table in doc.tables:
            if _is_table_of(table, [c.title for c in tspec.columns]):
                _add_rows(table, rows)
                break
    doc.save(str(path))


def generate_form(path: Path, spec: ProgrammeSpec, rows: int = 12) -> None:
    """A plain ~20-page draft built from the spec alone (no template writer)."""
    doc: DocxDocument = Document()
    doc.add_heading(spec.title, level=0)
    info = doc.add_table(rows=0, cols=2)
    for i, field in enumerate(spec.fields):
        cells = info.add_row().cells
        cells[0].text, cells[1].text = field.label, sample_value(field, i)
    for sec_i, sec in enumerate(spec.sections):
        doc.add_heading(sec.title, level=1)
        for k in range(2):
            doc.add_paragraph(long_text(400, seed=sec_i + k))
    for tspec in spec.tables:
        doc.add_heading(tspec.title, level=1)
        table = doc.add_table(rows=1, cols=len(tspec.columns))
        for cell, col in zip(table.rows[0].cells, tspec.columns, strict=True):
            cell.text = col.title
        _add_rows(table, rows)
    doc.save(str(path))


def build_draft(spec: ProgrammeSpec, corpus: Corpus, path: Path) -> str:
    """Write the benchmark draft; returns how it was built."""
    try:
        from app.templates import write_template
    except ImportError:
        generate_form(path, spec)
        return "generated from the spec (app.templates not available)"
    write_template(spec, corpus, path)
    fill_form(path, spec)
    return "official template, filled"


def timed_ms(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock ms of ``runs`` calls after one warm-up call."""
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def text_size(path: Path) -> tuple[int, int, int]:
    """(characters of text, paragraphs, table rows) of a .docx."""
    doc: DocxDocument = Document(str(path))
    chars = sum(len(p.text) for p in doc.paragraphs)
    rows = 0
    for t in doc.tables:
        rows += len(t.rows)
        chars += sum(len(c.text) for r in t.rows for c in r.cells)
    return chars, len(doc.paragraphs), rows


def main() -> None:
    """Build the draft, time it, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--programme", default="nt-smart-factory-2022")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--folder", type=int, default=300, help="drafts in the folder-workflow case (0: skip)")
    ap.add_argument(
        "--folder-small", type=int, default=30, help="drafts in the smaller folder, for comparison"
    )
    ap.add_argument(
        "--long-cell",
        type=int,
        nargs="*",
        default=[100_000, 200_000, 400_000, 800_000],
        help="lengths of the long-cell case (characters)",
    )
    args = ap.parse_args()

    corpus = default_corpus()
    spec = corpus.programme(args.programme)
    titles = doc_titles(corpus)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp:
        draft_path = Path(tmp) / "draft.docx"
        how = build_draft(spec, corpus, draft_path)
        chars, paras, rows = text_size(draft_path)
        print(
            f"draft: {spec.id}, {how}; {draft_path.stat().st_size / 1024:.0f} KiB, "
            f"{chars} characters (~{chars / 900:.0f} pages), {paras} paragraphs, {rows} table rows"
        )
        report = check_file(draft_path, spec, corpus)
        print(f"findings: {report.summary}")

        full = timed_ms(lambda: check_file(draft_path, spec, corpus), args.runs)
        draft = read_draft(draft_path, spec, corpus)
        rules = timed_ms(lambda: run_rules(spec, draft, corpus.lists, titles), args.runs)
        q = statistics.quantiles(full, n=10)
        print(
            f"parse + check, one draft: median {statistics.median(full):.1f} ms, "
            f"p90 {q[-1]:.1f} ms ({args.runs} runs)"
        )
        print(f"check only (rules on a read draft): median {statistics.median(rules):.2f} ms")

        batch_dir = Path(tmp) / "batch"
        batch_dir.mkdir()
        for i in range(args.batch):
            shutil.copyfile(draft_path, batch_dir / f"draft-{i:04d}.docx")
        t0 = time.perf_counter()
        result = check_paths([batch_dir], spec.id, corpus)
        secs = time.perf_counter() - t0
        print(
            f"batch of {len(result.entries)} drafts via check_paths: {secs:.2f} s, "
            f"{len(result.entries) / secs:.1f} drafts/s ({len(result.errors)} unusable)"
        )

        annotation_costs(draft_path, spec, corpus, args.runs)
        for n in (args.folder_small, args.folder):
            if n > 0:
                folder_run(Path(tmp) / f"folder-{n}", n)

        print("one long cell (text in runs of 50 characters) — read time against length, should be linear:")
        for n in args.long_cell:
            path = Path(tmp) / f"long-{n}.docx"
            long_cell_draft(draft_path, path, n)
            t0 = time.perf_counter()
            try:
                read_draft(path, spec, corpus)
            except DraftError as e:  # over the reader's per-cell limit: refused, as it should be
                print(f"  {n:>9,} characters: refused ({e.code})")
                continue
            ms = (time.perf_counter() - t0) * 1000
            print(f"  {n:>9,} characters: {ms / 1000:.2f} s ({ms * 1000 / n:.2f} µs per character)")


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def annotation_costs(bench: Path, spec: ProgrammeSpec, corpus: Corpus, runs: int) -> None:
    """Median ms to annotate each bundled example and the benchmark draft (the
    check is done once beforehand: this is the annotation's own cost)."""
    print("annotation (comments + highlights, open and save the .docx), per draft:")
    cases = [(p, corpus.programme(p.parent.name)) for p in sorted(EXAMPLES.glob("*/*.docx"))]
    for path, pspec in [*cases, (bench, spec)]:
        draft = read_checked_draft(path, pspec, corpus)
        report = check_draft(draft, pspec, corpus, path.name)
        data = path.read_bytes()
        ms = timed_ms(functools.partial(annotate_bytes, data, report, draft, pspec), runs)
        _, done = annotate_bytes(data, report, draft, pspec)
        n = done.comments + done.evidence_comments
        label = path.name if path != bench else "benchmark draft"
        print(
            f"  {label}: median {statistics.median(ms):.1f} ms ({n} comments, {done.highlighted_runs} runs highlighted)"
        )


_PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss)\n"
    "sys.exit(0 if code in (0, 1) else code)\n"
)
"""Runs a command and prints the CPU seconds of it and its worker processes, and
the largest resident set (KiB) of any of them."""


def folder_run(folder: Path, n: int) -> None:
    """``n`` drafts copied round-robin from the bundled examples into programme
    sub-folders (客户NNN/), the folder workflow run on each programme's folder
    in a subprocess: wall time and peak memory."""
    examples = sorted(EXAMPLES.glob("*/*.docx"))
    for i in range(n):
        src = examples[i % len(examples)]
        dest = folder / src.parent.name / f"客户{i:03d}" / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    out = folder.parent / f"{folder.name}-out"
    env = dict(os.environ, SHENBAO_DATA_DIR=str(folder.parent / f"{folder.name}-data"))
    repo = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = str(repo) + os.pathsep + env.get("PYTHONPATH", "")
    total = cpu = 0.0
    peak_kib = 0
    for programme_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        cmd = [
            sys.executable, "-m", "app.cli", "check", str(programme_dir), "-p", programme_dir.name,
            "--annotate", str(out / programme_dir.name), "-f", "xlsx", "-o", str(out / f"{programme_dir.name}.xlsx"),
        ]  # fmt: skip
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _PEAK, *cmd], env=env, capture_output=True, cwd=repo, check=False
        )
        total += time.perf_counter() - t0
        lines = proc.stdout.decode().split()
        if proc.returncode != 0 or len(lines) < 2 or not lines[-1].isdigit():
            print(f"  folder run failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-800:]}")
            return
        peak_kib = max(peak_kib, int(lines[-1]))
        cpu += float(lines[-2])
    annotated = sum(1 for p in out.rglob("*.docx"))
    size_mb = sum(p.stat().st_size for p in folder.rglob("*.docx")) / 1024 / 1024
    print(
        f"folder workflow, {n} drafts ({size_mb:.1f} MB of .docx; check + store + matrix + annotated drafts + "
        f"HTML reports): {total:.1f} s wall, {cpu:.1f} s CPU ({cpu / n * 1000:.0f} ms CPU per draft), "
        f"{n / total:.1f} drafts/s, {annotated} annotated drafts, "
        f"peak memory of the largest process {peak_kib / 1024:.0f} MiB"
    )


def long_cell_draft(src: Path, dest: Path, chars: int) -> None:
    """A copy of ``src`` with ``chars`` characters appended, as many small runs, to
    the first table's first row's last cell."""
    doc = Document(str(src))
    par = doc.tables[0].rows[0].cells[-1].paragraphs[0]
    text = long_text(chars, seed=7)
    for i in range(0, chars, 50):
        par.add_run(text[i : i + 50])
    doc.save(str(dest))


if __name__ == "__main__":
    main()
