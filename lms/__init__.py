"""Pathway: the core of the learning-management service (app factory, catalogue, people,
enrolment, progress, tutorials). See `create_app`."""

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

log = logging.getLogger(__name__)


LARGEST_ID = 2**31 - 1  # ids are `integer` columns: PostgreSQL refuses anything larger


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: a number larger than any id does not match the route (a
    404) instead of overflowing in the query (a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def default_instance_path() -> Path:
    """`instance/` in the checkout when running from one, else `instance/` in the working dir."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "instance"
    return Path.cwd() / "instance"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Pathway application.

    Settings come from `lms.config.Defaults`, then `instance/config.py`, then `LMS_*`
    environment variables; `test_config`, when given, is applied last and the instance file
    and environment are skipped, so a test sees only what it asked for.
    """
    instance_path = Path(os.environ.get("LMS_INSTANCE_PATH") or default_instance_path())
    instance_path = instance_path.resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.url_map.converters["int"] = BoundedIntegerConverter  # before any route is added
    app.config.from_object("lms.config.Defaults")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("LMS")
    else:
        app.config.from_mapping(test_config)

    instance_path.mkdir(parents=True, exist_ok=True)
    _ensure_secret_key(app, instance_path)
    # Behind https, the session cookie never travels over plain http.
    app.config.setdefault("SESSION_COOKIE_SECURE",
                          str(app.config["BASE_URL"]).startswith("https://"))
    _init_extensions(app)
    _register_features(app)
    return app


def _ensure_secret_key(app: Flask, instance_path: Path) -> None:
    """Use the configured secret key, or the one kept in the instance folder (made once)."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # Written aside, then linked into place: another process starting at the same moment
        # sees either no key or the whole key, never an empty file.
        draft = instance_path / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process made it first; use theirs
        finally:
            draft.unlink()
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from lms.database import configure_engine, database_uri
    from lms.extensions import api, csrf, db, login_manager, migrate

    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config.get("DATABASE_URL"), app.instance_path
    )
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)

    from xapi import XAPI

    app.config.setdefault("XAPI_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    XAPI().init_app(app)  # its own engine on the same database (see xapi.engine)
    csrf.exempt(app.blueprints["xapi"])  # LRS clients authenticate with HTTP Basic, not cookies


def _register_features(app: Flask) -> None:
    """Models, blueprints, CLI commands and error handlers of every feature."""
    from activities import discover_activity_types
    from lms import (
        assessment,
        catalogue,
        cli,
        content,
        delivery,
        enrolment,
        errors,
        health,
        invoicing,
        lrs,
        notifications,
        people,
        progress,
        scheduler,
        tutorials,
        web,
    )

    app.extensions["lms.activity_types"] = discover_activity_types()
    errors.init_app(app)
    people.init_app(app)
    catalogue.init_app(app)
    enrolment.init_app(app)
    content.init_app(app)
    progress.init_app(app)
    invoicing.init_app(app)
    notifications.init_app(app)
    assessment.init_app(app)
    tutorials.init_app(app)
    delivery.init_app(app)
    lrs.init_app(app)
    scheduler.init_app(app)
    health.init_app(app)
    web.init_app(app)
    cli.init_app(app)
