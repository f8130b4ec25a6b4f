"""Fixtures of the availability and individual-tutorial tests: the clock held at a known
Thursday, a second tutor with a learner of their own, and the steps a tutor and a learner
take through the API (set the weekly windows, read the free slots, book a tutorial).

Use with `pytest_plugins = ["tutorial_fixtures", "tutorial_individual_fixtures"]` and
`pytestmark = pytest.mark.usefixtures("tutorial_clock")`. Nothing here is autouse: a plugin's
fixtures are visible to the whole run."""

import pytest
import time_machine
from tutorial_individual_support import NOW, local
from tutorial_support import INDIVIDUAL_ACTIVITY, iso


@pytest.fixture
def tutorial_clock():
    """The clock at NOW (and ticking); `tutorial_clock.move_to(moment)` travels."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def second_tutor(make_user):
    return make_user("tutor", name="Sam Second")


@pytest.fixture
def second_tutors_learner(make_user, enrol, second_tutor):
    """A learner on the same intake whose tutor is the second tutor."""
    user = make_user("learner", name="Olu Other")
    user.enrolment = enrol(user, tutor=second_tutor)
    return user


@pytest.fixture
def set_availability(client, auth, tutor):
    """`set_availability(("tuesday", "10:00", "13:00"), ..., slot_minutes=60,
    buffer_minutes=15, by=tutor)` -> the response's JSON (asserted 200)."""

    def put(*windows, slot_minutes=60, buffer_minutes=15, by=None, for_tutor=None):
        body = {"windows": [{"weekday": day, "starts": starts, "ends": ends}
                            for day, starts, ends in windows],
                "slot_minutes": slot_minutes, "buffer_minutes": buffer_minutes}
        tutor_id = (for_tutor or tutor).public_id
        response = client.put(f"/api/v1/tutors/{tutor_id}/availability", json=body,
                              headers=auth(by or tutor))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return put


@pytest.fixture
def offered_slots(client, auth, tutor, learner):
    """`offered_slots(first_day, last_day=None, by=learner)` -> the tutor's free slots as the
    learner sees them: London "YYYY-MM-DD HH:MM" starts."""

    def read(first_day, last_day=None, by=None, of_tutor=None):
        response = client.get(f"/api/v1/tutors/{(of_tutor or tutor).public_id}/slots",
                              query_string={"from": first_day.isoformat(),
                                            "to": (last_day or first_day).isoformat()},
                              headers=auth(by or learner))
        assert response.status_code == 200, response.get_json()
        return [local(slot["starts_at"]) for slot in response.get_json()["slots"]]

    return read


@pytest.fixture
def book_individual(client, auth, learner):
    """`book_individual(starts_at, by=learner, expect=201, activity=..., **fields)` -> the
    response's JSON, after POST /api/v1/tutorials/individual."""

    def post(starts_at, by=None, expect=201, activity=INDIVIDUAL_ACTIVITY, **fields):
        body = {"activity": activity, "starts_at": iso(starts_at), **fields}
        response = client.post("/api/v1/tutorials/individual", json=body,
                               headers=auth(by or learner))
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    return post
