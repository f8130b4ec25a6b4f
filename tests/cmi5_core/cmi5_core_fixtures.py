"""Fixtures of the cmi5 core tests (load with `pytest_plugins = ["cmi5_core_fixtures"]`): the
tests' qualification with two cmi5 activities, a learner enrolled with a tutor, API headers,
uploading a course, launching an AU and the AU that follows the launch."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from cmi5_core_support import AU, CATALOGUE, SLUG, course_zip


@pytest.fixture
def intake(app, db):
    """The tests' qualification loaded, with an intake that started a week ago."""
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.enrolment.models import Intake

    report = load_file(CATALOGUE)
    qualification = qualification_by_slug(report.qualification)
    found = Intake(qualification=qualification, name="cmi5 intake",
                   start_date=date.today() - timedelta(days=7))
    db.session.add(found)
    db.session.commit()
    return found


@pytest.fixture
def tutor(make_user):
    return make_user("tutor", name="Tess Tutor")


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Lee Learner")


@pytest.fixture
def enrolment(db, intake, learner, tutor):
    from lms.enrolment.operations import enrol

    found = enrol(learner, intake, tutor=tutor)
    db.session.commit()
    assert found.status == "active"
    return found


@pytest.fixture
def admin_headers(auth, make_user):
    return auth(make_user("admin", name="Ada Admin"))


@pytest.fixture
def learner_headers(auth, learner):
    return auth(learner)


@pytest.fixture
def tutor_headers(auth, tutor):
    return auth(tutor)


@pytest.fixture
def lrs(lrs_headers):
    """Headers of an LRS client that reads every statement."""
    return lrs_headers("all")


@pytest.fixture
def upload(client, intake, admin_headers):
    """`upload(data=course_zip(), slug=SLUG, name="course.zip")` -> the response."""

    def put(data: bytes | None = None, slug: str = SLUG, name: str = "course.zip"):
        return client.put(f"/api/v1/activities/{slug}/package", headers=admin_headers,
                          data={"file": (io.BytesIO(course_zip() if data is None else data),
                                         name)},
                          content_type="multipart/form-data")

    return put


@pytest.fixture
def uploaded(upload):
    """The usual two-AU course, uploaded."""
    response = upload()
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def launch(client, enrolment, learner_headers):
    """`launch(index, mode=None)` -> the API's response to launching an AU."""

    def post(index: int = 0, mode: str | None = None, headers=None, slug: str = SLUG):
        body = {} if mode is None else {"mode": mode}
        return client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{slug}/aus/"
                           f"{index}/launch", json=body, headers=headers or learner_headers)

    return post


@pytest.fixture
def launched_au(client, uploaded, launch):
    """`launched_au(index, mode=None, fetch=True)` -> an `AU` launched (and its token
    fetched)."""

    def make(index: int = 0, mode: str | None = None, fetch: bool = True) -> AU:
        response = launch(index, mode)
        assert response.status_code == 201, response.get_data(as_text=True)
        au = AU(client, response.get_json()["url"])
        au.session_id = response.get_json()["session_id"]
        if fetch:
            assert "auth-token" in au.fetch()
        return au

    return make


@pytest.fixture
def statements(client, lrs):
    """`statements(**query)` -> the statements the LRS holds (newest first)."""

    def get(**query):
        response = client.get("/xapi/statements", query_string={"limit": 200, **query},
                              headers=lrs)
        assert response.status_code == 200
        return response.get_json()["statements"]

    return get
