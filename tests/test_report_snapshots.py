"""Every report format on the bundled examples is byte-identical to the
snapshots rendered before the one-way-layers refactor (issue 9) moved the
code. A deliberate change of a report regenerates them:
``python scripts/render_reports.py tests/snapshots/reports`` (and the diff is
reviewed like code)."""

from __future__ import annotations

from pathlib import Path

from scripts.render_reports import render

SNAPSHOTS = Path(__file__).parent / "snapshots" / "reports"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_reports_match_the_snapshots(tmp_path: Path) -> None:
    render(tmp_path)
    got, want = _files(tmp_path), _files(SNAPSHOTS)
    assert sorted(got) == sorted(want)
    changed = [name for name in want if got[name] != want[name]]
    assert not changed, f"reports differ from the snapshots: {changed}"
