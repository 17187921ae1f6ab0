"""Batch-level rules: ``unique_per_batch`` is settled across the drafts of one
``check_paths`` run ("一次只能申报一个": one draft per enterprise per programme)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from app.checking import check_paths
from corpus.loader import load_corpus

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "eval" / "checkers" / "base" / "js-iif-2022.json"
RULE = {
    "id": "one-per-enterprise",
    "title": "同一企业一次只能申报一个",
    "severity": "error",
    "check": {"kind": "unique_per_batch"},
    "citation": {"doc": "js-iif-2022-notice", "clause": "一、申报条件", "quote": "企业在江苏省境内注册"},
}


def _corpus_with_rule(corpus_copy: Path):  # type: ignore[no-untyped-def]
    spec = corpus_copy / "programmes" / "js-iif-2022.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["rules"].append(RULE)
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_corpus(corpus_copy)


def _write(folder: Path, name: str, code: str) -> None:
    data = json.loads(BASE.read_text(encoding="utf-8"))
    data["enterprise"]["credit_code"] = code
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _status(result, file: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    report = next(r for r in result.reports if Path(r.file).name == file)
    f = next(f for f in report.findings if f.id == "js-iif-2022:one-per-enterprise")
    return f.status, f.message


def test_two_drafts_of_one_enterprise_fail_and_name_each_other(corpus_copy: Path, tmp_path: Path) -> None:
    corpus = _corpus_with_rule(corpus_copy)
    folder = tmp_path / "batch"
    folder.mkdir()
    code = json.loads(BASE.read_text(encoding="utf-8"))["enterprise"]["credit_code"]
    _write(folder, "a.json", code)
    _write(folder, "b.json", code.lower())  # the same code written in lower case
    shutil.copy(BASE, folder / "c.json")
    data = json.loads((folder / "c.json").read_text(encoding="utf-8"))
    data["enterprise"]["credit_code"] = "91320412MA1XK7P31E"
    (folder / "c.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = check_paths([folder], "js-iif-2022", corpus, workers=1)
    status_a, msg_a = _status(result, "a.json")
    status_b, msg_b = _status(result, "b.json")
    assert (status_a, status_b) == ("fail", "fail")
    assert "b.json" in msg_a and "a.json" in msg_b and "一次只能申报一个" in msg_a
    assert _status(result, "c.json")[0] == "pass"
    report_a = next(r for r in result.reports if r.file.endswith("a.json"))
    assert report_a.summary["fail"] == sum(f.status == "fail" for f in report_a.findings)
    assert result.exit_code == 1


def test_one_draft_alone_passes(corpus_copy: Path, tmp_path: Path) -> None:
    corpus = _corpus_with_rule(corpus_copy)
    result = check_paths([BASE], "js-iif-2022", corpus, workers=1)
    assert _status(result, BASE.name)[0] == "pass"
