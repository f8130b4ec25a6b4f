"""Fixtures of the tutorial pages' tests: the clock held at a known Thursday, a tutor with
learners enrolled on the Diploma, browsers signed in as them, group sessions and availability
made through the API. Use with `pytest_plugins = ["tutorial_pages_fixtures"]`; nothing here is
autouse. A plugin's fixtures are visible to the whole run, so their names carry the `tp_`
(tutorial pages) prefix, clear of other areas' fixtures (`tutor`, `learner`, ...)."""

from datetime import timedelta

import pytest
import time_machine
from conftest import OwnContextClient
from tutorial_pages_support import GROUP_ACTIVITY, NOW, sign_in


@pytest.fixture
def tp_clock():
    """The clock at NOW (and ticking); `tp_clock.move_to(moment)` travels."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def tp_tutor(make_user):
    return make_user("tutor", name="Tara Tutor")


@pytest.fixture
def tp_learner(make_user, enrol, tp_tutor):
    user = make_user("learner", name="Lee Learner")
    user.enrolment = enrol(user, tutor=tp_tutor)
    return user


@pytest.fixture
def tp_learners(make_user, enrol, tp_tutor):
    """`tp_learners(n)` -> n more learners enrolled with the tutor."""

    def make(count):
        made = []
        for _ in range(count):
            user = make_user("learner")
            user.enrolment = enrol(user, tutor=tp_tutor)
            made.append(user)
        return made

    return make


@pytest.fixture
def tp_browser(app):
    """`tp_browser(user)` -> a test client signed in as `user` through the login form."""

    def open_as(user):
        client = OwnContextClient(app, app.response_class, use_cookies=True)
        sign_in(client, user)
        return client

    return open_as


@pytest.fixture
def tp_create_session(client, auth, catalogue, tp_tutor):
    """`tp_create_session(starts_at, minutes=60, capacity=8, activity=...)` -> the session's JSON
    (the first, for a series), made by the tutor through the API."""
    headers = auth(tp_tutor)

    def make(starts_at, minutes=60, capacity=8, activity=GROUP_ACTIVITY, **fields):
        body = {"activity": activity, "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(minutes=minutes)).isoformat(),
                "capacity": capacity, **fields}
        response = client.post("/api/v1/tutorials/sessions", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()[0]

    return make


@pytest.fixture
def tp_set_availability(client, auth, tp_tutor):
    """`tp_set_availability(("tuesday", "10:00", "13:00"), ...)` through the API."""

    def put(*windows, slot_minutes=60, buffer_minutes=15):
        body = {"windows": [{"weekday": day, "starts": starts, "ends": ends}
                            for day, starts, ends in windows],
                "slot_minutes": slot_minutes, "buffer_minutes": buffer_minutes}
        response = client.put(f"/api/v1/tutors/{tp_tutor.public_id}/availability", json=body,
                              headers=auth(tp_tutor))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return put
