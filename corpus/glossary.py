"""The search glossary: how writers ask (口语) mapped to how the policies say it.

Retrieval uses it to expand a query before searching: a query containing an
``ask`` term also searches for the entry's ``policy`` terms, so 公司开了几年
finds 正常经营三年以上. It is a search aid, not policy content: it never
reaches a finding or a drafted sentence. Every ``policy`` term must occur in
at least one corpus document (checked when the corpus loads), so a typo cannot
silently expand into nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class GlossaryEntry(BaseModel):
    """One concept: the everyday words for it and the policy's words for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ask: list[str] = Field(
        min_length=1, description="口语说法：查询中出现任一即触发（子串匹配，不分大小写）。"
    )
    policy: list[str] = Field(min_length=1, description="政策用语：追加到查询中的词。")
    note: str | None = None

    @field_validator("ask", "policy")
    @classmethod
    def _no_blank_terms(cls, terms: list[str]) -> list[str]:
        cleaned = [t.strip() for t in terms]
        if any(not t for t in cleaned):
            raise ValueError("术语不能为空")
        return cleaned


class Glossary(BaseModel):
    """The glossary file: ``corpus/search/glossary.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    entries: list[GlossaryEntry] = []

    def expansion(self, query: str) -> list[str]:
        """Policy terms to add to ``query`` (those not already in it), in entry order."""
        q = query.lower()
        extra: list[str] = []
        for entry in self.entries:
            if any(a.lower() in q for a in entry.ask):
                extra += [p for p in entry.policy if p.lower() not in q and p not in extra]
        return extra

    def expand(self, query: str) -> str:
        """``query`` followed by its expansion terms (unchanged when none apply)."""
        extra = self.expansion(query)
        return f"{query} {' '.join(extra)}" if extra else query
