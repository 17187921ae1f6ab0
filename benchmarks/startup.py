"""Start-up benchmark: wall time of ``shenbao`` commands from a cold process,
and of a fresh ``shenbao ingest``. Prints the figures (not a timed test).

    python benchmarks/startup.py [--rounds 5] [--query 设备预测性维护] [--json]

Each command runs in a new Python process (what a user waits for at the
prompt), in a fresh temporary data directory; nothing under ``data/`` is
touched. Bytecode is compiled once beforehand into a temporary cache
(``PYTHONPYCACHEPREFIX``), as it is after any first run of an installed
package; ``--no-bytecode`` measures without it. The index for ``search`` is
built by one ``shenbao ingest`` into the empty data directory: its time is
the "fresh ingest" figure.
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
EXAMPLE = REPO / "examples" / "js-iif-2022" / "合规示例.docx"


def _env(data_dir: Path, pycache: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SHENBAO_DATA_DIR": str(data_dir),
        "CHROMA_TELEMETRY": "False",
        "ANONYMIZED_TELEMETRY": "False",
    }
    env.pop("SHENBAO_DATABASE_URL", None)
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of ``python -m app.cli ARGS`` in a new process."""
    cpu, t = _cpu(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, capture_output=True, check=False
    )
    elapsed, used = time.perf_counter() - t, _cpu() - cpu
    if proc.returncode not in ok:
        raise SystemExit(
            f"shenbao {' '.join(args)} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}"
        )
    return elapsed, used


def bench(rounds: int, query: str, bytecode: bool) -> dict[str, Any]:
    """Run the benchmark; return the figures (seconds)."""
    commands: dict[str, tuple[list[str], tuple[int, ...]]] = {
        "--help": (["--help"], (0,)),
        "programmes": (["programmes"], (0,)),
        "check (one .docx)": (["check", str(EXAMPLE), "-p", "js-iif-2022", "--no-history"], (0, 1)),
        "search (one query)": (["search", query, "-k", "5"], (0,)),
    }
    out: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        "rounds": rounds,
        "bytecode": bytecode,
        "commands": {},
    }
    with tempfile.TemporaryDirectory(prefix="shenbao-startup-") as tmp:
        pycache = Path(tmp) / "pycache" if bytecode else None
        env = _env(Path(tmp) / "data", pycache)
        if bytecode:  # compile everything the commands import, once
            _run(["programmes"], env)
            _run(commands["check (one .docx)"][0], env, (0, 1))
        out["fresh_ingest_s"] = _run(["ingest"], env)[0]
        out["noop_ingest_s"] = _run(["ingest"], env)[0]
        for name, (args, ok) in commands.items():
            runs = [_run(args, env, ok) for _ in range(rounds)]
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            out["commands"][name] = {
                "median_s": statistics.median(walls),
                "min_s": min(walls),
                "cpu_median_s": statistics.median(cpus),
            }
        out["load_after"] = os.getloadavg()[0]
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--query", default="设备预测性维护")
    ap.add_argument("--no-bytecode", action="store_true", help="run without compiled bytecode")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = bench(args.rounds, args.query, not args.no_bytecode)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{res['cpus']} CPUs (load average {res['load']:.1f} before, {res['load_after']:.1f} after), "
        f"{res['rounds']} rounds, bytecode {'cached' if res['bytecode'] else 'off'}"
    )
    print(
        f"fresh `shenbao ingest`: {res['fresh_ingest_s']:.1f} s; again, nothing changed: {res['noop_ingest_s']:.1f} s"
    )
    for name, r in res["commands"].items():
        print(
            f"{name:<22} wall median {r['median_s']:.2f} s, min {r['min_s']:.2f} s; "
            f"CPU median {r['cpu_median_s']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
