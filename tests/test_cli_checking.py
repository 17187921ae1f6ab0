"""The check service: expanding paths, per-file errors, programme mismatch, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli_fixtures import PROGRAMME, good_draft, salary_draft, write_json

from app.checking import FileError, Report, check_file, check_paths, expand_paths
from corpus.loader import Corpus, CorpusError


def test_expand_paths_recursive_sorted_skips_locks_and_other_types(tmp_path: Path) -> None:
    write_json(tmp_path / "b.json", good_draft())
    write_json(tmp_path / "a" / "z.json", good_draft())
    (tmp_path / "a" / "y.yaml").write_text("programme: js-iif-2022\n", encoding="utf-8")
    (tmp_path / "c.docx").write_bytes(b"x")
    (tmp_path / "~$c.docx").write_bytes(b"lock")
    (tmp_path / "notes.txt").write_text("no", encoding="utf-8")
    explicit = tmp_path / "notes.txt"
    got = expand_paths([tmp_path, explicit, tmp_path / "b.json"])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "a/y.yaml",
        "a/z.json",
        "b.json",
        "c.docx",
        "notes.txt",  # named explicitly: kept, the reader says why it cannot be used
    ]


def test_good_and_failing_drafts(tmp_path: Path, corpus: Corpus) -> None:
    spec = corpus.programme(PROGRAMME)
    good = check_file(write_json(tmp_path / "good.json", good_draft()), spec, corpus)
    assert good.summary == {"pass": 30, "fail": 0, "warn": 0, "unknown": 0, "n/a": 0}
    assert good.has_error is False
    bad = check_file(write_json(tmp_path / "bad.json", salary_draft()), spec, corpus)
    assert bad.summary == {"pass": 29, "fail": 1, "warn": 0, "unknown": 0, "n/a": 0}
    [failed] = [f for f in bad.findings if f.status == "fail"]
    assert failed.id == "js-iif-2022:investment-min"
    assert failed.severity == "error"
    assert bad.has_error is True


def test_batch_with_one_bad_file_checks_the_rest(tmp_path: Path, corpus: Corpus) -> None:
    write_json(tmp_path / "1.json", good_draft())
    (tmp_path / "2.json").write_text("{not json", encoding="utf-8")
    write_json(tmp_path / "3.json", salary_draft())
    seen: list[tuple[int, int, str]] = []
    result = check_paths([tmp_path], PROGRAMME, corpus, lambda i, n, p: seen.append((i, n, p.name)))
    assert [type(e) for e in result.entries] == [Report, FileError, Report]
    assert [e.file for e in result.entries] == [str(tmp_path / n) for n in ("1.json", "2.json", "3.json")]
    assert result.errors[0].programme == PROGRAMME
    assert result.errors[0].error
    assert seen == [(1, 3, "1.json"), (2, 3, "2.json"), (3, 3, "3.json")]
    assert result.is_batch is True
    assert result.exit_code == 2


def test_exit_codes(tmp_path: Path, corpus: Corpus) -> None:
    good = write_json(tmp_path / "g.json", good_draft())
    bad = write_json(tmp_path / "b.json", salary_draft())
    assert check_paths([good], PROGRAMME, corpus).exit_code == 0
    assert check_paths([good], PROGRAMME, corpus).is_batch is False
    assert check_paths([good, bad], PROGRAMME, corpus).exit_code == 1
    assert check_paths([good, tmp_path / "missing.json"], PROGRAMME, corpus).exit_code == 2


def test_form_of_another_programme_is_refused(tmp_path: Path, corpus: Corpus) -> None:
    d = good_draft()
    d["programme"] = "nt-smart-factory-2022"
    result = check_paths([write_json(tmp_path / "nt.json", d)], PROGRAMME, corpus)
    [entry] = result.entries
    assert isinstance(entry, FileError)
    iif = corpus.programme(PROGRAMME).title
    nt = corpus.programme("nt-smart-factory-2022").title
    # the same message as for another programme's .docx form
    assert entry.error == (
        f"该文件是「{nt}」（nt-smart-factory-2022）的申报书，不是所选申报项目「{iif}」（{PROGRAMME}）的申报书。"
        "请选择正确的申报项目，或使用本项目的申报书模板。"
    )


def test_missing_path_and_empty_folder_are_errors(tmp_path: Path, corpus: Corpus) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = check_paths([tmp_path / "nope.json", empty], PROGRAMME, corpus)
    assert [e.error for e in result.errors] == [
        f"文件不存在：{tmp_path / 'nope.json'}",
        f"文件夹中没有申报书（.docx、.json、.yaml、.yml）：{empty}",
    ]


def test_unknown_programme_names_valid_ids(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(CorpusError, match="js-iif-2022"):
        check_paths([tmp_path], "no-such-programme", corpus)
