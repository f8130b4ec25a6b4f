"""Shared fixtures: `app`, `client`, `db`, `runner`, and factories for people and tokens.

The suite runs on SQLite (a fresh file per run) or, when `LMS_TEST_DATABASE_URL` is set, on
PostgreSQL: each run creates its own database beside the one named (so runs never collide)
and drops it at the end. The schema is built once per run by the real
Alembic migrations; after each test every table is emptied, so tests are isolated and may
commit like real requests do.
"""

import json
import os
import signal
import socket
import subprocess
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, make_url, text

from lms import create_app
from lms.database import database_uri
from lms.extensions import db as _db

PASSWORD = "correct horse battery"


def _test_database_url(tmp_dir: Path) -> str:
    return os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.db"


@contextmanager
def _own_database(url: str):
    """For PostgreSQL, a new database for this run (dropped afterwards); SQLite as given."""
    sa_url = make_url(database_uri(url, "/nonexistent"))
    if sa_url.get_backend_name() != "postgresql":
        yield url
        return
    name = f"{sa_url.database}_run_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(sa_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The test database, with the schema built by the migrations."""
    with _own_database(_test_database_url(tmp_path_factory.mktemp("db"))) as url:
        _build_schema(url, tmp_path_factory)
        yield url


def _build_schema(url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("schema-instance")
    os.environ["LMS_INSTANCE_PATH"] = str(instance)
    try:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        with app.app_context():
            from lms.cli import upgrade_schema

            upgrade_schema()
            _db.engine.dispose()
    finally:
        del os.environ["LMS_INSTANCE_PATH"]


def _empty_tables(engine) -> None:
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    ordered = [t.name for t in reversed(_db.metadata.sorted_tables) if t.name in names]
    others = sorted(names - set(ordered))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{n}"' for n in ordered + others)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for name in others + ordered:
                connection.execute(text(f'DELETE FROM "{name}"'))


def make_test_config(database_url: str, **extra) -> dict:
    """The settings every test app gets."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_PROFILE": "cheapest",
        "BASE_URL": "http://pathway.test",
        "SERVER_NAME": None,
        **extra,
    }


@pytest.fixture
def app_config():
    """Extra settings for this test's app (override in a test module)."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, monkeypatch, app_config):
    """A Pathway app on the test database, with its own instance folder."""
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(make_test_config(database_url, **app_config))
    with application.app_context():
        yield application
        _db.session.remove()
        _empty_tables(_db.engine)
        _db.engine.dispose()
        application.extensions["xapi"].engine.dispose()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle, inside the app context."""
    return _db


class OwnContextClient(FlaskClient):
    """Runs each request in its own app context and database session, as a real server does.
    (The `app` fixture keeps one context pushed, which Flask 3.1 would reuse for every
    request, so `g`, and the user Flask-Login caches there, would carry over from one request
    to the next.) Afterwards the test's own session ends its transaction, so it sees what the
    request stored and does not write from a stale snapshot."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.rollback()
        return response


@pytest.fixture
def client(app):
    """A test client whose requests each run in their own app context."""
    return OwnContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalogue(app, db):
    """The default Diploma catalogue, loaded."""
    from lms.catalogue import DEFAULT_CATALOGUE
    from lms.catalogue.operations import load_file, qualification_by_slug

    report = load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    return qualification_by_slug(report.qualification)


@pytest.fixture
def make_user(db):
    """`make_user("learner")` or `make_user("tutor", "admin", email=..., organisation=...)`."""
    from lms.people.operations import create_user

    counter = {"n": 0}

    def make(*roles, email=None, name=None, password=PASSWORD, organisation=None):
        counter["n"] += 1
        roles = roles or ("learner",)
        email = email or f"{roles[0]}{counter['n']}@pathway.test"
        user = create_user(email, name or f"Test {roles[0].title()} {counter['n']}", roles,
                           password=password,
                           organisation_id=organisation.id if organisation else None)
        db.session.commit()
        return user

    return make


@pytest.fixture
def auth(db):
    """`auth(user)` -> headers carrying a fresh personal API token of `user`."""
    from lms.people.operations import create_token

    def headers(user, **kwargs):
        _, secret = create_token(user, "test", **kwargs)
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return headers


@pytest.fixture
def enrol(db, catalogue):
    """`enrol(learner, tutor=None, cohort=None)` on an intake of the Diploma (made once)."""
    from datetime import date

    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol as do_enrol

    intake = Intake(qualification=catalogue, name="Test intake", start_date=date(2026, 6, 2))
    db.session.add(intake)
    db.session.commit()

    def make(learner, tutor=None, cohort=None):
        enrolment = do_enrol(learner, intake, tutor=tutor, cohort=cohort)
        db.session.commit()
        return enrolment

    make.intake = intake
    return make


@pytest.fixture
def lrs_credentials(app):
    """`lrs_credentials("statements/read", ...)` -> (key, secret) of a new LRS client."""
    from xapi.auth import create_client

    def make(*scopes, name="test client", **kwargs):
        with app.extensions["xapi"].engine.begin() as connection:
            return create_client(connection, name, scopes or ("all",), app.config["BASE_URL"],
                                 **kwargs)

    return make


@pytest.fixture
def lrs_headers(lrs_credentials):
    """`lrs_headers("all", version="1.0.3")` -> request headers for a new LRS client."""
    from xapi.auth import basic_header

    def make(*scopes, version="1.0.3", **kwargs):
        key, secret = lrs_credentials(*scopes, **kwargs)
        return {"Authorization": basic_header(key, secret), "X-Experience-API-Version": version}

    return make


def browser_support():
    """tests/browser/browser_support.py (Chromium's path and arguments, the skip-or-fail
    rule), for browser tests in other folders: its own folder is on sys.path only when its
    tests are collected, so it is loaded by path, once."""
    import importlib.util
    import sys

    if "browser_support" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "browser_support", Path(__file__).parent / "browser" / "browser_support.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["browser_support"] = module
        spec.loader.exec_module(module)
    return sys.modules["browser_support"]


# ---- real server processes (for the tests that start `lms serve` or `lms scheduler`) ---------

def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process, seconds=30) -> int:
    """SIGTERM `process` and wait for it (killed, and an error raised, if it hangs)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def health(base: str) -> dict | None:
    """The JSON of `base`/healthz, or None when nothing answers."""
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
            return json.loads(response.read())
    except OSError:
        return None
