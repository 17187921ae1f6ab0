"""Size limits on what a draft may hold, shared by the .docx and JSON/YAML
readers. A text over the limit refuses the whole file with one Chinese
message naming where it is: truncating would lose text without the user
seeing it, and no real 申报书 cell or paragraph comes near the limit."""

from __future__ import annotations

from ingestion.drafts.errors import DraftError

MAX_TEXT_CHARS = 20_000
"""Longest single text (a table cell, a paragraph, a JSON/YAML string): the
longest column limit in the forms is 300 字 and the longest section limit
1000 字; twenty times that is no longer a 申报书 text."""


def check_text_length(length: int, where: str) -> None:
    """Refuse a text of ``length`` characters found at ``where`` (e.g.
    ``表2 第4行第2列`` or ``字段「sections.overview」``) when it is over
    :data:`MAX_TEXT_CHARS`."""
    if length > MAX_TEXT_CHARS:
        raise DraftError(
            f"{where}的文字有 {length:,} 个字符，超过单个单元格、段落或字段 {MAX_TEXT_CHARS:,} 个字符的上限"
            "（远超申报书任何栏目的字数限制），可能误粘贴了大量文本。请删减该处后重试。",
            "text_too_long",
        )
