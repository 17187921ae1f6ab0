"""The text helpers of :mod:`app.safe_text` (issue #10 items 11 and 13)."""

from __future__ import annotations

import json
import os

from app.safe_text import guess_gbk, json_escape_invisible, unicode_safe, visible


def test_visible_escapes_what_acts_on_a_terminal() -> None:
    assert visible("a\x1b[2Jb\x07c\u202ed\x9be") == "a\\x1b[2Jb\\x07c\\u202ed\\x9be"
    assert visible("行一\n\t行二") == "行一\n\t行二"
    assert visible("a\nb", keep="") == "a\\x0ab"
    assert unicode_safe("x\ud800y\udcc9") == "x\ufffdy\\xc9"


def test_gbk_names_are_recognised() -> None:
    name = os.fsdecode("申报书.docx".encode("gbk"))
    assert guess_gbk(name) == "申报书.docx"
    assert guess_gbk("\ud800") is None  # a lone surrogate, not an escaped byte


def test_json_escapes_are_valid_and_lossless() -> None:
    text = json.dumps({"k\u202e": "a\x9bb\u200b"}, ensure_ascii=False)
    escaped = json_escape_invisible(text)
    assert escaped == '{"k\\u202e": "a\\u009bb\\u200b"}'
    assert json.loads(escaped) == json.loads(text)
