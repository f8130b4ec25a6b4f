"""xapi: Pathway's xAPI Learning Record Store (xAPI 1.0.3 and 2.0.0), standalone.

It imports nothing from `lms` or `activities`, and can serve any Flask app:

    lrs = XAPI()
    lrs.init_app(app, engine=my_engine)   # or engine=None: XAPI_DATABASE_URL / SQLALCHEMY_...

Settings (app.config):
- XAPI_URL_PREFIX ("/xapi"); XAPI_DATABASE_URL (when no engine is given);
- XAPI_STATEMENTS_PAGE_MAX (200): the most statements one page holds;
- XAPI_DEFAULT_VERSION ("2.0.0"): the version a request without a version header is
  answered in ("1.0.3" for deployments whose clients all speak 1.0.x);
- BASE_URL: the home page of client authorities' accounts.
Before statements received over HTTP are stored, `xapi.signals.statements_receiving` is sent,
and `document_changing` before a document is written or deleted (a receiver may refuse
either); after each committed write of statements, `xapi.signals.statement_stored`.
"""

from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from xapi.engine import prepare_engine


@dataclass
class LRSState:
    """What the LRS keeps per app."""

    engine: Engine


class XAPI:
    """The LRS as a Flask extension."""

    def __init__(self, app=None, engine: Engine | None = None):
        if app is not None:
            self.init_app(app, engine)

    def init_app(self, app, engine: Engine | None = None) -> None:
        from xapi.blueprint import bp
        from xapi.cli import xapi_group

        app.config.setdefault("XAPI_URL_PREFIX", "/xapi")
        app.config.setdefault("XAPI_STATEMENTS_PAGE_MAX", 200)
        app.config.setdefault("XAPI_DEFAULT_VERSION", "2.0.0")
        if engine is None:
            url = app.config.get("XAPI_DATABASE_URL") or app.config["SQLALCHEMY_DATABASE_URI"]
            engine = create_engine(url)
        prepare_engine(engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10_000))
        app.extensions["xapi"] = LRSState(engine=engine)
        app.register_blueprint(bp, url_prefix=app.config["XAPI_URL_PREFIX"])
        app.cli.add_command(xapi_group)

    @staticmethod
    def create_schema(engine: Engine) -> None:
        """Create the LRS's tables (for standalone use; Pathway uses its migrations)."""
        from xapi.models import metadata

        metadata.create_all(engine)
