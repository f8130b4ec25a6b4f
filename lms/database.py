"""Database URLs, and engine settings that keep the embedded SQLite database safe for several
processes (web workers, the scheduler, CLI commands) at once."""

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
    """SQLite: WAL, foreign keys and a busy timeout (the LRS's helper, without its explicit
    BEGIN: the LRS keeps an engine of its own for that)."""
    from xapi.engine import prepare_engine

    prepare_engine(engine, busy_timeout_ms, explicit_begin=False)
