"""Print the mutation score of the last ``mutmut run``: killed / total, and the
survivors by file. Usage: ``python scripts/mutation_score.py`` (after
``mutmut run``), from the repository root."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict


def main() -> int:
    """Read ``mutmut results --all true`` and print the score; 1 when there are no results."""
    mutmut = sys.argv[1] if len(sys.argv) > 1 else "mutmut"
    out = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True)
    status: dict[str, str] = {}
    for line in out.stdout.splitlines():
        name, sep, st = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            status[name] = st
    if not status:
        print("no mutmut results: run `mutmut run` first")
        return 1
    counts = Counter(status.values())
    killed = counts["killed"]
    total = len(status)
    print(
        f"mutation score: {killed}/{total} killed = {100 * killed / total:.1f}%  ({dict(sorted(counts.items()))})"
    )
    by_file: dict[str, list[str]] = defaultdict(list)
    for name, st in status.items():
        if st != "killed":
            module = name.split(".x_")[0].split(".xǁ")[0]
            by_file[module.replace(".", "/") + ".py"].append(f"{name.rsplit('.', 1)[-1]} ({st})")
    for path, names in sorted(by_file.items()):
        print(f"  {path}: {len(names)} not killed")
        for n in names:
            print(f"    {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
