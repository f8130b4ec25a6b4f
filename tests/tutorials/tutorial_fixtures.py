"""Fixtures of the tutorials tests: a tutor with learners enrolled on the Diploma, and a
helper to create group sessions through the API."""

from datetime import timedelta

import pytest
from tutorial_support import GROUP_ACTIVITY, iso


@pytest.fixture
def tutor(make_user):
    return make_user("tutor", name="Tara Tutor")


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Ada Admin")


@pytest.fixture
def learner(make_user, enrol, tutor):
    user = make_user("learner", name="Lee Learner")
    user.enrolment = enrol(user, tutor=tutor)
    return user


@pytest.fixture
def learners(make_user, enrol, tutor):
    """`learners(n)` -> n more learners enrolled with the tutor."""

    def make(count):
        made = []
        for _ in range(count):
            user = make_user("learner")
            user.enrolment = enrol(user, tutor=tutor)
            made.append(user)
        return made

    return make


@pytest.fixture
def create_session(client, auth, tutor):
    """`create_session(starts_at, minutes=60, capacity=8, **fields)` -> the session's JSON
    (the first, for a series), made by the tutor through the API."""
    headers = auth(tutor)

    def make(starts_at, minutes=60, capacity=8, activity=GROUP_ACTIVITY, expect=201, **fields):
        body = {"activity": activity, "starts_at": iso(starts_at),
                "ends_at": iso(starts_at + timedelta(minutes=minutes)), "capacity": capacity,
                **fields}
        response = client.post("/api/v1/tutorials/sessions", json=body, headers=headers)
        assert response.status_code == expect, response.get_json()
        return response.get_json()[0] if expect == 201 else response.get_json()

    return make
