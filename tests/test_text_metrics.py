"""字数 as Word counts it (and 字符数), including property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import count_chars_no_spaces, count_zishu, measure, truncate_to_zishu

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=200)
LATIN_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.%", min_size=1, max_size=12
)


@pytest.mark.parametrize(
    ("text", "zishu", "chars"),
    [
        ("智能工厂", 4, 4),
        ("智能工厂。", 5, 5),  # full-width punctuation counts as one
        ("MES系统", 3, 5),  # a Latin word is one
        ("效率提升20.5%", 5, 9),  # a number with its sign is one word
        ("hello world", 2, 10),  # spaces never count
        ("GB/T 39116-2020", 2, 14),
        ("２０００万元", 6, 6),  # full-width digits count one by one, as Word does
        ("“数字化”……", 7, 7),
        ("\u3000\u3000智能工厂", 4, 4),  # full-width indent spaces are spaces: never counted
        ("", 0, 0),
        ("  \n\t ", 0, 0),
    ],
)
def test_known_counts(text: str, zishu: int, chars: int) -> None:
    assert count_zishu(text) == zishu
    assert count_chars_no_spaces(text) == chars


def test_word_and_other_counts_disagree_both_ways() -> None:
    # 995 CJK + 6 Latin words = 1001 字 by Word, while a naive len() without spaces says 1025
    over = "智" * 995 + " ".join(["MES", "ERP", "WMS", "PLM", "APS", "SCADA"])
    assert count_zishu(over) == 1001
    assert count_chars_no_spaces(over) > 1001
    # 1001 CJK-free Latin characters in 200 words: naive count says 1001, Word says 200
    under = " ".join(["abcde"] * 200)
    assert count_chars_no_spaces(under) == 1000
    assert count_zishu(under) == 200


@given(CJK)
def test_pure_cjk_counts_each_character(text: str) -> None:
    assert count_zishu(text) == len(text) == count_chars_no_spaces(text)


@given(CJK, CJK)
def test_whitespace_between_cjk_does_not_count(a: str, b: str) -> None:
    assert count_zishu(a + " \n " + b) == count_zishu(a) + count_zishu(b)


@given(st.lists(LATIN_WORD, max_size=30))
def test_latin_words_count_once_each(words: list[str]) -> None:
    assert count_zishu(" ".join(words)) == len(words)


@given(CJK, st.lists(LATIN_WORD, max_size=5))
def test_count_is_additive_over_space_separated_parts(cjk: str, words: list[str]) -> None:
    text = " ".join([cjk, *words])
    assert count_zishu(text) == len(cjk) + len(words)


@given(st.text(max_size=300), st.integers(min_value=0, max_value=200))
def test_truncate_fits_and_is_a_prefix(text: str, limit: int) -> None:
    cut = truncate_to_zishu(text, limit)
    assert text.startswith(cut)
    assert count_zishu(cut) <= limit


def test_measure_describe() -> None:
    assert measure("项目总体描述").describe() == "6 字（字符数 6）"


def test_value_normalisation_and_invisible_characters() -> None:
    """Issue 10 item 4: one normalisation in core, for every way a Draft is made."""
    from core.draft import Draft, Enterprise
    from core.text import normalise_value, strip_invisible

    assert normalise_value("Ｃ\u200b") == "C"
    assert normalise_value("\u202eC\u202c") == "C"
    assert normalise_value("A\ufe0f+") == "A+"
    assert strip_invisible("（２０％）\u200d，") == "（２０％），"  # widths kept for 字数
    # constructed in code (the browser form, supplements) as well as validated from JSON
    assert Draft(enterprise=Enterprise(credit_rating="ｃ\u200b")).enterprise.credit_rating == "c"
    d = Draft.model_validate({"sections": {"x": "文\u200b字，"}, "originals": {"p": "Ｃ\u200b"}})
    assert d.sections["x"] == "文字，" and d.originals["p"] == "Ｃ\u200b"  # as written stays as written
