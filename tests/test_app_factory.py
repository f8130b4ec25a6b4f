"""The app factory: configuration order, the instance folder, the secret key and SQLite."""

import os
import stat

import pytest
from sqlalchemy import text

from lms import create_app, default_instance_path
from lms.database import database_uri
from lms.extensions import db


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "elsewhere"
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(folder))
    for name in list(os.environ):
        if name.startswith("LMS_") and name != "LMS_INSTANCE_PATH":
            monkeypatch.delenv(name)
    return folder


def test_instance_folder_comes_from_lms_instance_path(instance):
    app = create_app()
    assert app.instance_path == str(instance.resolve())
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance.resolve()}/pathway.db"


def test_default_instance_folder_is_the_checkouts(monkeypatch):
    monkeypatch.delenv("LMS_INSTANCE_PATH", raising=False)
    assert default_instance_path().name == "instance"
    assert (default_instance_path().parent / "pyproject.toml").is_file()


def test_secret_key_is_generated_once_privately_and_kept(instance):
    first = create_app()
    key_file = instance / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = create_app()
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_settings_defaults_then_instance_file_then_environment(instance, monkeypatch):
    instance.mkdir(parents=True)
    (instance / "config.py").write_text(
        'BASE_URL = "https://from-file.example"\nAPI_PAGE_DEFAULT = 7\n')
    app = create_app()
    assert app.config["BASE_URL"] == "https://from-file.example"
    assert app.config["API_PAGE_DEFAULT"] == 7
    assert app.config["API_PAGE_MAX"] == 500  # untouched default

    monkeypatch.setenv("LMS_BASE_URL", "https://from-env.example")
    monkeypatch.setenv("LMS_API_PAGE_DEFAULT", "9")
    app = create_app()
    assert app.config["BASE_URL"] == "https://from-env.example"
    assert app.config["API_PAGE_DEFAULT"] == 9


def test_test_config_ignores_instance_file_and_environment(instance, monkeypatch):
    instance.mkdir(parents=True)
    (instance / "config.py").write_text('BASE_URL = "https://from-file.example"\n')
    monkeypatch.setenv("LMS_BASE_URL", "https://from-env.example")
    app = create_app({"TESTING": True})
    assert app.config["BASE_URL"] == "http://localhost:8000"


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    (None, "sqlite:////srv/i/pathway.db"),
])
def test_database_urls(given, expected):
    assert database_uri(given, "/srv/i") == expected


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(instance):
    app = create_app({"SECRET_KEY": "x", "SQLITE_BUSY_TIMEOUT_MS": 4321})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 4321
        db.session.remove()
        db.engine.dispose()
