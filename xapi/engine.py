"""Database engine settings the LRS relies on.

On SQLite, Python's sqlite3 module opens transactions lazily and cannot take the write lock
up front; the LRS needs `BEGIN IMMEDIATE` so that statements are stored one writer at a time
and `stored` rises with the storing order. This is SQLAlchemy's documented recipe: the
driver's own transaction handling is switched off and SQLAlchemy emits BEGIN itself.
"""

import sqlite3
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine

_prepared: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def prepare_engine(engine: Engine, busy_timeout_ms: int = 10_000,
                   explicit_begin: bool = True) -> None:
    """Configure `engine` once: WAL, foreign keys and a busy timeout on SQLite, and (for the
    LRS's own engine) explicit BEGIN so writers can take the lock up front.

    Engines used through an ORM session keep the driver's lazy BEGIN (`explicit_begin=False`):
    there a read followed by a write in one transaction waits for the lock instead of
    failing at once with "database is locked" when another process wrote in between."""
    if engine.dialect.name != "sqlite" or engine in _prepared:
        return
    _prepared.add(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        if explicit_begin:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if not explicit_begin:
        return

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def write_lock(connection) -> None:
    """Serialise statement writers for the rest of this transaction.

    SQLite: the transaction must have been begun IMMEDIATE (see `immediate`). PostgreSQL: a
    transaction-scoped advisory lock."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7812001)")


def immediate(engine: Engine):
    """A connection whose transactions take SQLite's write lock at BEGIN."""
    if engine.dialect.name == "sqlite":
        return engine.connect().execution_options(sqlite_begin="IMMEDIATE")
    return engine.connect()
