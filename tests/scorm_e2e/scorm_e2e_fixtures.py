"""Fixtures of the SCORM and cmi5 browser tests (load with
`pytest_plugins = ["scorm_e2e_fixtures"]`): one `lms serve` and one Chromium per test module,
and one app whose tables are emptied when the module ends, not after each test (the server's
LRS remembers the ids of its filter keys, which emptying its tables under it would make wrong);
so each test has a learner and enrolment of its own, on the small catalogue of
`e2e_catalogue.yaml` (loaded once). Per test: the learner, their enrolment, an
administrator's and the learner's API headers, an LRS client that reads everything, and
`open_page()` for browser pages (no script error may happen on any of them)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from conftest import PASSWORD, _empty_tables, make_test_config
from scorm_e2e_support import CATALOGUE, CHROMIUM, CHROMIUM_ARGS, serving, sync_playwright


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, for the whole module."""
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    """A real `lms serve` on the test database for the whole module (its own instance folder
    keeps the uploaded packages); yields its base URL. Each test's tables are emptied after
    it as usual: the server keeps nothing of a test in memory."""
    folder = tmp_path_factory.mktemp("scorm-e2e")
    with serving(folder / "instance", database_url, folder / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def e2e_app(database_url, site, tmp_path_factory):
    """The module's Pathway app on the test database, with the server's address as its base
    URL (so IRIs, agents and the LRS clients it makes are the server's). Its tables are
    emptied when the module ends. (Not conftest's `app`, which empties them after each test:
    these tests use none of the fixtures built on it.)"""
    from lms import create_app
    from lms.extensions import db

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LMS_INSTANCE_PATH", str(tmp_path_factory.mktemp("e2e-app")))
        application = create_app(make_test_config(database_url, BASE_URL=site))
        with application.app_context():
            yield application
            db.session.remove()
            _empty_tables(db.engine)
            db.engine.dispose()
            application.extensions["xapi"].engine.dispose()


@pytest.fixture
def e2e_db(e2e_app):
    """The Flask-SQLAlchemy handle, in a fresh transaction for the test."""
    from lms.extensions import db

    db.session.rollback()
    yield db
    db.session.rollback()


@pytest.fixture
def course(e2e_db):
    """The test qualification and an intake that started a week ago (made once a module)."""
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.enrolment.models import Intake

    qualification = qualification_by_slug(load_file(CATALOGUE).qualification)
    intake = e2e_db.session.execute(e2e_db.select(Intake).where(
        Intake.qualification_id == qualification.id)).scalar_one_or_none()
    if intake is None:
        intake = Intake(qualification=qualification, name="Packaged learning intake",
                        start_date=date.today() - timedelta(days=7))
        e2e_db.session.add(intake)
    e2e_db.session.commit()
    return intake


def new_user(db, role: str, name: str):
    """A user with `role` (and a unique e-mail: the module's tests share the database)."""
    from lms.people.operations import create_user

    user = create_user(f"{role}-{uuid.uuid4().hex[:10]}@pathway.test", name, (role,),
                       password=PASSWORD)
    db.session.commit()
    return user


def token_headers(db, user) -> dict:
    """Headers carrying a new personal API token of `user`."""
    from lms.people.operations import create_token

    _, secret = create_token(user, "e2e")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def learner(e2e_db):
    return new_user(e2e_db, "learner", "Rowan Reader")


@pytest.fixture
def enrolment(e2e_db, course, learner):
    from lms.enrolment.operations import enrol

    found = enrol(learner, course)
    e2e_db.session.commit()
    return found


@pytest.fixture
def admin_headers(e2e_db):
    return token_headers(e2e_db, new_user(e2e_db, "admin", "Ada Admin"))


@pytest.fixture
def learner_headers(e2e_db, learner):
    return token_headers(e2e_db, learner)


@pytest.fixture(scope="module")
def lrs(e2e_app):
    """Headers of an LRS client that may read every statement."""
    from xapi.auth import basic_header, create_client

    with e2e_app.extensions["xapi"].engine.begin() as connection:
        key, secret = create_client(connection, "e2e reader", ("all",),
                                    e2e_app.config["BASE_URL"])
    return {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def open_page(chromium, site):
    """`open_page(width=1000)` -> a page in a new browser context (a person of their own)."""
    contexts, problems = [], []

    def new(width=1000, height=800):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield new
    for context in contexts:
        context.close()
    assert problems == [], problems
