"""Quotes marked in their passage, for the 证据 tab."""

from __future__ import annotations

from app.review.highlight import highlight


def test_pieces_join_back_to_the_text_and_mark_every_quote() -> None:
    text = "部署视觉检测系统。检测效率提升45%，漏检率下降。检测效率提升45%。"
    pieces = highlight(text, ("检测效率提升45%", "视觉检测系统"))
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, q in pieces if q] == ["视觉检测系统", "检测效率提升45%", "检测效率提升45%"]


def test_overlapping_quotes_merge_and_blank_quotes_mark_nothing() -> None:
    pieces = highlight("ABCDEF", ("BCD", "CDE", " "))
    assert pieces == [("A", False), ("BCDE", True), ("F", False)]
    assert highlight("ABC", ()) == [("ABC", False)]
