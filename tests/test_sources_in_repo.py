"""The raw policy sources live in the repository (issue #14 item 6): a
contributor adds a raw text beside the others in corpus/sources/, and the
source-hash test needs no folder outside the repository."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from corpus.loader import default_corpus
from tests.conftest import POLICY_SOURCES

REPO = Path(__file__).resolve().parents[1]


def _tracked(*paths: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", *paths], cwd=REPO, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_the_sources_folder_is_inside_the_repository() -> None:
    assert POLICY_SOURCES.resolve().is_relative_to(REPO)
    assert POLICY_SOURCES == REPO / "corpus" / "sources"


def test_every_doc_names_a_tracked_source_whose_hash_it_records() -> None:
    tracked = set(_tracked("corpus/sources"))
    for doc in default_corpus().docs.values():
        assert f"corpus/sources/{doc.meta.source}" in tracked, doc.meta.id
        raw = (POLICY_SOURCES / doc.meta.source).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == doc.meta.source_sha256, doc.meta.id


def test_nothing_tracked_reads_a_folder_outside_the_repository() -> None:
    outside = ("../shared", "policy-sources", "/work/")
    files = [
        f
        for f in _tracked()
        if f.endswith((".py", ".md", ".toml", ".cfg", ".yaml", ".yml"))
        or "Makefile" in f
        or f.startswith(".ci/")
    ]
    offenders = [
        f
        for f in files
        if f != "tests/test_sources_in_repo.py"
        and any(o in (REPO / f).read_text(encoding="utf-8", errors="replace") for o in outside)
    ]
    assert offenders == []
