"""What the store hands back: plain frozen records, detached from any session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from core.findings import Finding

RunStatus = Literal["ok", "error"]


@dataclass(frozen=True)
class RunSummary:
    """One stored check of a draft, without its findings."""

    id: int
    draft_key: str
    file_name: str
    """The draft's display name (the file name as last given)."""
    programme: str
    sha256: str | None
    """The checked file's sha256; ``None`` only for an error run recorded without it."""
    size: int | None
    corpus_version: str
    started: datetime
    """When the check started, timezone-aware (UTC)."""
    status: RunStatus
    error_message: str | None
    summary: dict[str, int]
    """Findings per status (``pass``, ``fail``, ``warn``, ``unknown``, ``n/a``)."""


@dataclass(frozen=True)
class RunRecord(RunSummary):
    """One stored check with its findings, in the order the checker produced them."""

    findings: list[Finding] = field(default_factory=list)
