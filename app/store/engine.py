"""Making a SQLAlchemy engine from a database URL: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from app.store.errors import StoreUnavailableError

DEFAULT_DATABASE_URL = "sqlite:///data/shenbao.db"
"""A SQLite file under ``data/`` relative to the working directory."""


def json_dumps(value: Any) -> str:
    """Strict JSON for the JSON columns: readable Chinese, no NaN/Infinity."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def normalise_url(database_url: str) -> URL:
    """Parse ``database_url``; bare ``postgresql://`` and ``postgres://`` use psycopg 3."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise StoreUnavailableError(database_url, f"无法识别的数据库地址（{exc}）") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    """The URL with its password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def make_engine(database_url: str = DEFAULT_DATABASE_URL) -> Engine:
    """An engine for ``database_url``; creates a SQLite file's folder if missing.

    Nothing is connected yet: the first query opens the database.
    """
    url = normalise_url(database_url)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailableError(describe(url), f"无法创建目录（{exc}）") from exc
    try:
        engine = create_engine(url, json_serializer=json_dumps, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        hint = "请安装 psycopg[binary]" if url.get_backend_name() == "postgresql" else str(exc)
        raise StoreUnavailableError(describe(url), f"缺少数据库驱动（{hint}）") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and wait for a writer instead of failing at once."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()
