"""ORM tables of the review store (SQLAlchemy 2.x typed declarative).

One *draft* is one application document for one programme, identified by the
programme and its normalised file name. Each distinct content of that file
(sha256) is a *version*; each check of a version is a *run*, which holds the
*findings* of that check. Error runs (a draft that could not be read, recorded
only when the caller asks) may have no version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SCHEMA_VERSION = 1
"""Version of the tables below; stored in the ``meta`` table as ``schema_version``."""

JsonType = JSON()
"""Plain JSON, also on PostgreSQL: JSONB would reorder the evidence's keys, whose
order the reports show."""


class Base(DeclarativeBase):
    """Declarative base of the review store's tables."""


class MetaRow(Base):
    """Key-value facts about the database itself (``schema_version``)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DraftRow(Base):
    """One application draft for one programme."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("key", name="uq_drafts_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(600))
    """``<programme>:<normalised file name>``, see :func:`app.store.keys.draft_key`."""
    display_name: Mapped[str] = mapped_column(Text)
    """The file name as last given by the caller."""
    programme: Mapped[str] = mapped_column(String(100))

    versions: Mapped[list[VersionRow]] = relationship(back_populates="draft")


class VersionRow(Base):
    """One distinct content (by sha256) of a draft's file."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("draft_id", "sha256", name="uq_versions_draft_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    draft: Mapped[DraftRow] = relationship(back_populates="versions")


class RunRow(Base):
    """One check of a draft: its outcome counts, or the error that stopped it."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_draft_id_id", "draft_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    programme: Mapped[str] = mapped_column(String(100))
    corpus_version: Mapped[str] = mapped_column(String(200))
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))
    """``ok`` or ``error``."""
    error_message: Mapped[str | None] = mapped_column(Text)
    n_pass: Mapped[int] = mapped_column(Integer, default=0)
    n_fail: Mapped[int] = mapped_column(Integer, default=0)
    n_warn: Mapped[int] = mapped_column(Integer, default=0)
    n_unknown: Mapped[int] = mapped_column(Integer, default=0)
    n_na: Mapped[int] = mapped_column(Integer, default=0)

    draft: Mapped[DraftRow] = relationship()
    version: Mapped[VersionRow | None] = relationship()
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="run", order_by="FindingRow.position", cascade="all, delete-orphan"
    )


class FindingRow(Base):
    """One finding of one run, in the order the checker produced it."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_id_position", "run_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonType)
    location: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[dict[str, Any]] = mapped_column(JsonType)

    run: Mapped[RunRow] = relationship(back_populates="findings")
