"""Database URLs, and engine settings that keep the embedded SQLite database safe for several
processes (web workers, the scheduler, CLI commands) at once."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def database_uri(url: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL for a configured database URL (None: SQLite in the instance folder).

    `postgres://` and `postgresql://` URLs get the psycopg 3 driver, so the same URL that
    `psql` takes works here.
    """
    if not url:
        return f"sqlite:///{instance_path}/pathway.db"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout on each new SQLite connection of `engine`."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
