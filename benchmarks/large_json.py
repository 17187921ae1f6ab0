"""Peak memory and time of ``shenbao check`` on one JSON draft just under the
20 MB file limit, in a fresh process per shape. Prints figures, asserts nothing.

Shapes: ``rows`` (the scenario table, realistic cells), ``small`` (a table of
tiny rows: the most Python objects per byte), ``list`` (an honours list of
short strings), ``metrics`` (a dict of numbers), ``sections`` (texts near the
per-text cap).

Run: ``python benchmarks/large_json.py [--shapes rows small ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PID = "nt-smart-factory-2022"
TARGET = 19 * 2**20


def _fill(one: Any, make: Any) -> dict[str, Any]:
    """A draft of about TARGET bytes: ``make(n)`` with n from the size of ``one``."""
    size = len(json.dumps(one, ensure_ascii=False).encode())
    return {"programme": PID, **make(TARGET // size)}


def draft(shape: str) -> dict[str, Any]:
    """The draft of one shape."""
    if shape == "rows":
        row = {
            "seq": "1",
            "link": "计划调度",
            "description": "智" * 140,
            "pain_points": "能" * 140,
            "solution": "制" * 280,
            "support": "造" * 140,
            "results": "提升20%" * 30,
            "other": "无",
            "remarks": "",
        }
        return _fill(row, lambda n: {"tables": {"scenarios": [dict(row, seq=str(i)) for i in range(n)]}})
    if shape == "small":
        return _fill(
            {"seq": "100000", "link": "计划调度"},
            lambda n: {"tables": {"scenarios": [{"seq": str(i), "link": "计划调度"} for i in range(n)]}},
        )
    if shape == "list":
        return _fill("荣誉10000000", lambda n: {"enterprise": {"honours": [f"荣誉{i}" for i in range(n)]}})
    if shape == "metrics":
        return _fill({"m100000": 100000}, lambda n: {"metrics": {f"m{i}": i for i in range(n)}})
    if shape == "sections":
        text = "智能制造" * 4000
        return _fill({"s100": text}, lambda n: {"sections": {f"s{i}": text for i in range(n)}})
    raise ValueError(shape)


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(path: Path) -> tuple[int, float, float]:
    """Exit code, seconds and peak RSS (MB) of ``shenbao check path``, run by
    a wrapper process of its own so that each figure is that check's alone."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHENBAO_DATA_DIR": str(path.parent / "data")}
    cmd = [sys.executable, "-m", "app.cli", "check", str(path), "-p", PID, "--no-history"]
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = time.perf_counter() - start
    return int(out[0]), seconds, int(out[1]) / 1024


def main() -> None:
    """Build each shape, check it, print file size, exit code, time and peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", nargs="+", default=["rows", "small", "list", "metrics", "sections"])
    args = ap.parse_args()
    print(f"{'shape':<9} {'file MB':>8} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes:
            path = Path(tmp) / f"{shape}.json"
            path.write_text(json.dumps(draft(shape), ensure_ascii=False), encoding="utf-8")
            rc, seconds, peak = measure(path)
            print(f"{shape:<9} {path.stat().st_size / 2**20:>8.1f} {rc:>4} {seconds:>8.1f} {peak:>8.0f}")
            path.unlink()


if __name__ == "__main__":
    main()
