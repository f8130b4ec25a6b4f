"""Fixtures of the SCORM runtime tests (load with `pytest_plugins = ["scorm_runtime_fixtures"]`):
the small SCORM qualification with its packages uploaded, an enrolled learner signed in, and
`open_player` / `statements_of` to drive the player page and read the LRS."""

from __future__ import annotations

import io
from datetime import date

import pytest
from scorm_runtime_support import (
    CATALOGUE,
    PLAIN12,
    PLAIN2004,
    QUIZ12,
    TWO2004,
    Session,
    package_zip,
    player_path,
    runtime_config,
    sign_in,
)


@pytest.fixture
def scorm_qualification(app, db):
    """The SCORM runtime tests' qualification, loaded."""
    from lms.catalogue.operations import load_file, qualification_by_slug

    report = load_file(CATALOGUE)
    db.session.commit()
    return qualification_by_slug(report.qualification)


@pytest.fixture
def admin_headers(make_user, auth):
    return auth(make_user("admin"))


@pytest.fixture
def upload(client, admin_headers, scorm_qualification):
    """`upload(slug)`: PUT the slug's test package through the API (201 expected)."""

    def put(slug: str) -> dict:
        response = client.put(f"/api/v1/activities/{slug}/package", headers=admin_headers,
                              data={"file": (io.BytesIO(package_zip(slug)), f"{slug}.zip")},
                              content_type="multipart/form-data")
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return put


@pytest.fixture
def packages(upload):
    """Every test package uploaded."""
    return {slug: upload(slug) for slug in (QUIZ12, PLAIN12, TWO2004, PLAIN2004)}


@pytest.fixture
def scorm_intake(db, scorm_qualification):
    from lms.enrolment.models import Intake

    intake = Intake(qualification=scorm_qualification, name="SCORM intake",
                    start_date=date(2026, 6, 2))
    db.session.add(intake)
    db.session.commit()
    return intake


@pytest.fixture
def enrol_scorm(db, scorm_intake, make_user):
    """`enrol_scorm(learner)`: an active enrolment on the SCORM qualification."""
    from lms.enrolment.operations import enrol

    def make(learner):
        enrolment = enrol(learner, scorm_intake, tutor=make_user("tutor"))
        enrolment.status = "active"
        db.session.commit()
        return enrolment

    return make


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Ada Lovelace")


@pytest.fixture
def enrolment(enrol_scorm, learner):
    return enrol_scorm(learner)


@pytest.fixture
def learner_client(app, learner):
    """A browser signed in as the learner."""
    from conftest import OwnContextClient

    browser = OwnContextClient(app, app.response_class, use_cookies=True)
    sign_in(browser, learner.email)
    return browser


@pytest.fixture
def open_player(learner_client, enrolment, packages):
    """`open_player(slug, **query)`: GET the player page (200 expected) and return the
    runtime `Session` of its configuration."""

    def open_page(slug: str, client=None, **query) -> Session:
        browser = client or learner_client
        response = browser.get(player_path(enrolment, slug), query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        config = runtime_config(response.get_data(as_text=True))
        assert config is not None
        session = Session(browser, config)
        session.page = response.get_data(as_text=True)
        return session

    return open_page


@pytest.fixture
def statements_of(app, enrolment):
    """`statements_of()`: every statement stored in the enrolment's registration, oldest
    first."""
    from xapi.service import iter_statements

    def read() -> list[dict]:
        return [s for s in iter_statements()
                if (s.get("context") or {}).get("registration") == enrolment.registration]

    return read
