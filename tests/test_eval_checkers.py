"""The checker evaluation: metrics, the report files and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.loader import content_version, default_corpus
from eval.checkers.__main__ import main
from eval.checkers.generate import generate_cases
from eval.checkers.metrics import Counts, _score, evaluate, write_results

PROGRAMME = "js-smart-workshop"


def test_one_programme_scores_100_percent(tmp_path: Path) -> None:
    corpus = default_corpus()
    cases = generate_cases(corpus, programme=PROGRAMME)
    assert {c.programme for c in cases} == {PROGRAMME}
    report = evaluate(cases, corpus, programme=PROGRAMME)
    assert report.disagreements == []
    assert report.overall.precision == 1.0
    assert report.overall.recall == 1.0
    assert report.overall.positives > 0
    # every rule of the programme was targeted by at least one case
    spec = corpus.programme(PROGRAMME)
    assert {k for k, c in report.per_rule.items() if c.cases} == {f"{PROGRAMME}:{r.id}" for r in spec.rules}
    js, md = write_results(report, tmp_path)
    data = json.loads(js.read_text(encoding="utf-8"))
    # one corpus version: the loader's, also the review store's
    assert data["corpus_version"] == corpus.version and len(data["corpus_version"]) == 12
    assert data["programmes"][PROGRAMME]["precision"] == 1.0
    assert js.name == f"checkers-{PROGRAMME}.json"
    assert corpus.version in md.read_text(encoding="utf-8")


def test_cli_one_programme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--programme", PROGRAMME, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "100.0%" in out and "No disagreements" in out
    assert (tmp_path / f"checkers-{PROGRAMME}.md").exists()


def test_cli_exits_0_with_disagreements_and_prints_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    import eval.checkers.__main__ as cli
    from eval.checkers.generate import generate_cases

    def wrong_labels(*args: object, **kwargs: object) -> list[object]:
        cases = generate_cases(*args, **kwargs)  # type: ignore[arg-type]
        first = cases[0]  # the base draft: every rule passes; label one rule wrongly
        rule = "links-described"
        return [dataclasses.replace(first, expected={**first.expected, rule: "fail"}), *cases[1:]]

    monkeypatch.setattr(cli, "generate_cases", wrong_labels)
    assert main(["-p", "nt-smart-factory-2022", "--out", str(tmp_path), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "DISAGREEMENT" in out and "links-described" in out


def test_cli_unknown_programme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-p", "no-such-programme", "--out", str(tmp_path)]) == 2
    assert "no-such-programme" in capsys.readouterr().err


def test_scoring_rules() -> None:
    # (positive, true positive, flagged)
    assert _score("fail", "warn", True) == (True, True, True)  # a violation reported as warn is detected
    assert _score("fail", "unknown", True) == (True, False, True)  # wrong kind of flag: FN and FP
    assert _score("unknown", "unknown", True) == (True, True, True)
    assert _score("unknown", "fail", True) == (True, False, True)
    assert _score("pass", "warn", True) == (False, False, True)  # false alarm
    assert _score("n/a", "pass", True) == (False, False, False)  # disagreement, but no alarm
    assert _score("fail", "fail", False) == (True, False, True)  # message lacks the labelled words
    c = Counts(tp=3, fp=1, fn=0)
    assert c.precision == 0.75 and c.recall == 1.0
    assert Counts().precision is None and Counts().recall is None


def test_corpus_version_follows_the_specs(corpus_copy: Path) -> None:
    before = content_version(corpus_copy)
    assert before == content_version(corpus_copy)
    spec = corpus_copy / "programmes" / "js-smart-workshop.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert content_version(corpus_copy) != before
