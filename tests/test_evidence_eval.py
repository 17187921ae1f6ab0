"""The evidence-review evaluation runs end to end on the labelled set (a smoke
run in CI): every figure is computed, every quote the rules reviewer gives is
verbatim (the issue's 100% target), and the confusion plot is written."""

from __future__ import annotations

import json
from pathlib import Path

from eval.evidence.cases import load_cases
from eval.evidence.run import main, split_of


def test_evaluation_writes_its_report(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))
    methods = {m["method"]: m for m in data["methods"]}
    assert set(methods) == {"rules", "rules-dev", "rules-holdout"}
    rules = methods["rules"]
    assert rules["cases"] == len(load_cases())
    assert methods["rules-dev"]["cases"] + methods["rules-holdout"]["cases"] == rules["cases"]
    assert rules["quotes_verbatim"] == 1.0
    assert set(rules["elements"]) == {"system", "how", "result", "level"}
    assert data["ranking"]["cases"] > 0 and data["ranking"]["top1"] <= data["ranking"]["top3"]
    assert (tmp_path / "evidence-confusion-rules.png").stat().st_size > 1000
    assert "| rules-holdout |" in (tmp_path / "evidence.md").read_text(encoding="utf-8")


def test_the_holdout_is_every_third_case_of_a_scenario() -> None:
    cases = load_cases()
    held = [c.id for c in cases if split_of(c) == "holdout"]
    assert held and all(int(i.rsplit("-", 1)[1]) % 3 == 0 for i in held)
    assert 0.25 < len(held) / len(cases) < 0.4
