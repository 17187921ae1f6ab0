"""Checks shared by the tests of the labelled evidence sets written blind
(tests/test_evidence_fresh.py, tests/test_evidence_blind_sets.py): the
character classes the labelling guide's tags are checked with, written here
rather than imported from the reviewer, and the check that each hard-case tag
describes its passage."""

from __future__ import annotations

import re
from collections.abc import Iterable

from eval.evidence.cases import EvidenceCase

NUMBER = re.compile(r"[0-9０-９%％〇零一二两三四五六七八九十百千万亿半倍]")
CN_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千万半]")
DIGIT = re.compile(r"[0-9０-９]")
SIMPLIFIED_ONLY = set("这个为与业产统数设备检测质过时们来说对发会经进实现后动电车库线链录")
TRADITIONAL_ONLY = set("這個為與業產統數設備檢測質過時們來說對發會經進實現後動電車庫線鏈錄")


def assert_hard_case_tags(cases: Iterable[EvidenceCase], injection: str) -> None:
    """Each hard-case tag describes its passage (short = one sentence, traditional
    characters only, full-width digits only, …); ``injection`` is the pattern an
    injected passage must match (each set's writer phrased them their own way)."""
    for c in cases:
        one_sentence = not re.search(r"[。！？!?]", c.text.rstrip("。！？!?"))
        assert ("short" in c.tags) == one_sentence, c.id
        if "traditional-chars" in c.tags:
            assert not SIMPLIFIED_ONLY & set(c.text), c.id
            assert len(TRADITIONAL_ONLY & set(c.text)) >= 2, c.id
        if "fullwidth-digits" in c.tags:
            assert DIGIT.search(c.text) and not re.search(r"[0-9]", c.text), c.id
        if "chinese-numerals" in c.tags:
            assert any(CN_NUMERAL.search(q) and not DIGIT.search(q) for q in c.labels.result.quotes), c.id
        if "factory-level-result" in c.tags or "background-numbers" in c.tags:
            assert DIGIT.search(c.text), c.id
        if "planned" in c.tags:
            assert re.search(r"拟|擬|计划|預計|预计|力争|下一步", c.text), c.id
        if "injection" in c.tags:
            assert re.search(injection, c.text, re.IGNORECASE), c.id
        if c.auto:
            assert c.scenario.name not in c.text and "mixed-scenarios" not in c.tags, c.id
