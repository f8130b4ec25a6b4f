"""Database engine settings the LRS relies on.

On SQLite, Python's sqlite3 module opens transactions lazily and cannot take the write lock
up front; the LRS needs `BEGIN IMMEDIATE` so that statements are stored one writer at a time
and `stored` rises with the storing order. This is SQLAlchemy's documented recipe: the
driver's own transaction handling is switched off and SQLAlchemy emits BEGIN itself.
"""

import fcntl
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

_prepared: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def prepare_engine(engine: Engine, busy_timeout_ms: int = 10_000,
                   explicit_begin: bool = True, cache_mb: int = 64, mmap_mb: int = 1024) -> None:
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
        # A large LRS touches index pages all over a big file on every write: give each
        # connection a real page cache, and read through the OS's mapping of the file.
        cursor.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
        cursor.execute(f"PRAGMA mmap_size={int(mmap_mb) * 1024 * 1024}")
        if explicit_begin:
            # The LRS's writers do not checkpoint inside their commit (while every other
            # writer waits): `write_transaction` checkpoints after letting go of the lock.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
            cursor.execute(f"PRAGMA journal_size_limit={64 * 1024 * 1024}")
        cursor.close()

    if not explicit_begin:
        return

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


PG_WRITE_LOCK = 7812001  # the advisory lock every LRS writer holds on PostgreSQL


def write_lock(connection) -> None:
    """Serialise statement writers for the rest of this transaction.

    SQLite: nothing more to do, `write_transaction` began it IMMEDIATE. PostgreSQL: a
    transaction-scoped advisory lock, so `stored` rises with the storing order there too."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": PG_WRITE_LOCK})


_thread_locks: dict[str, threading.Lock] = {}
_registry_lock = threading.Lock()


@contextmanager
def _writer_queue(database: str):
    """Wait for our turn to write to a SQLite file: a thread lock plus a lock file that every
    process shares. SQLite's own busy handler waits by sleeping in growing steps, so writers
    that queue on it lose milliseconds after each commit; a blocking file lock hands over at
    once."""
    with _registry_lock:
        thread_lock = _thread_locks.setdefault(database, threading.Lock())
    with thread_lock, open(database + ".lrs-writer", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def writer_in_flight(connection) -> bool:
    """Whether some process is inside a statement-writing transaction right now."""
    if connection.dialect.name == "postgresql":
        return bool(connection.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            "AND objid = %(key)s AND granted)", {"key": PG_WRITE_LOCK}).scalar())
    database = connection.engine.url.database
    if connection.dialect.name != "sqlite" or not database or database == ":memory:":
        return False
    with open(database + ".lrs-writer", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


CHECKPOINT_SECONDS = 0.5
RESTART_FRAMES = 25_000  # about 100 MB of log: then start the log afresh
_last_checkpoint: dict[str, float] = {}


def _checkpoint_soon(engine: Engine, database: str) -> None:
    """Copy the write-ahead log back into the database file, at most every
    CHECKPOINT_SECONDS per process, outside the write lock (a passive checkpoint lets other
    writers go on meanwhile)."""
    now = time.monotonic()
    if now - _last_checkpoint.get(database, 0.0) < CHECKPOINT_SECONDS:
        return
    _last_checkpoint[database] = now
    raw = engine.raw_connection()
    try:
        _busy, frames, _copied = raw.driver_connection.execute(
            "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames > RESTART_FRAMES:
            # Under steady writing the log is never empty when a writer starts, so it only
            # grows; holding the writers back once, until readers are done with it, lets the
            # next writer start it afresh (and journal_size_limit shrinks the file).
            with _writer_queue(database):
                raw.driver_connection.execute("PRAGMA wal_checkpoint(RESTART)")
    finally:
        raw.close()


@contextmanager
def write_transaction(engine: Engine):
    """A connection in a transaction that holds the LRS's write lock until it commits."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        with _writer_queue(database), engine.connect().execution_options(
                sqlite_begin="IMMEDIATE") as connection, connection.begin():
            yield connection
        _checkpoint_soon(engine, database)
        return
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection, \
            connection.begin():
        write_lock(connection)  # documents as well as statements: no lost merges, no races
        yield connection
