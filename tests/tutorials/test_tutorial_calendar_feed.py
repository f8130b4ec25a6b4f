"""The private calendar feed: a secret URL shown once, listing a person's own tutorials (a
learner's places, a tutor's sessions) for a calendar program to subscribe to without signing
in; rotated, revoked, and refused for unknown tokens and deactivated people."""

from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from tutorial_support import london_at, next_weekday

pytest_plugins = ["tutorial_fixtures"]


def make_feed(client, headers) -> str:
    """A new feed; returns the path of its URL."""
    response = client.post("/api/v1/calendar-feed", headers=headers)
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith("http://pathway.test/calendar/") and url.endswith(".ics")
    return urlsplit(url).path


def read_feed(client, path) -> Calendar:
    response = client.get(path)  # no credentials: the token in the URL is the credential
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data(as_text=True))


def summaries(calendar: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.events]


def book(client, auth, learner, session, status="booked") -> dict:
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == status
    return response.get_json()


@pytest.fixture
def tutorials(client, auth, tutor, learner, learners, create_session):
    """The learner's week: one place held, one given up, one on a waitlist, one in a session
    the tutor called off; and a session only another learner booked."""
    [other] = learners(1)
    day = next_weekday(1)
    sessions = {name: create_session(london_at(day, hour), title=name, capacity=capacity)
                for name, hour, capacity in (("Held place", 9, 8), ("Given up", 11, 8),
                                             ("Waitlisted", 13, 1), ("Called off", 15, 8),
                                             ("Someone else's", 17, 8))}
    book(client, auth, learner, sessions["Held place"])
    given_up = book(client, auth, learner, sessions["Given up"])
    response = client.post(f"/api/v1/tutorials/bookings/{given_up['id']}/cancel", json={},
                           headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    book(client, auth, other, sessions["Waitlisted"])
    book(client, auth, learner, sessions["Waitlisted"], status="waitlisted")
    book(client, auth, learner, sessions["Called off"])
    response = client.post(f"/api/v1/tutorials/sessions/{sessions['Called off']['id']}/cancel",
                           json={"reason": "Tutor unwell"}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    book(client, auth, other, sessions["Someone else's"])
    return {"sessions": sessions, "other": other}


def test_a_learners_feed_lists_the_places_they_hold_and_nothing_else(
        client, auth, learner, tutorials):
    headers = auth(learner)
    response = client.get("/api/v1/calendar-feed", headers=headers)
    assert response.get_json() == {"exists": False}
    path = make_feed(client, headers)

    response = client.get("/api/v1/calendar-feed", headers=headers)
    assert response.status_code == 200
    shown = response.get_json()
    assert shown["exists"] is True and "url" not in shown  # the URL is shown once only
    assert shown["last_used_at"] is None

    calendar = read_feed(client, path)
    assert summaries(calendar) == ["Held place"]
    assert str(calendar["METHOD"]) == "PUBLISH"
    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").strftime("%H:%M") == "09:00"
    assert "ATTENDEE" not in event
    assert tutorials["other"].name not in calendar.to_ical().decode()
    assert client.get("/api/v1/calendar-feed", headers=headers).get_json()["last_used_at"]


def test_a_tutors_feed_lists_their_sessions(client, auth, tutor, tutorials):
    path = make_feed(client, auth(tutor))
    assert summaries(read_feed(client, path)) == [
        "Held place", "Given up", "Waitlisted", "Someone else's"]


def test_a_new_feed_url_replaces_the_old_and_revoking_stops_it(client, auth, learner, tutorials):
    headers = auth(learner)
    first = make_feed(client, headers)
    second = make_feed(client, headers)
    assert second != first
    assert client.get(first).status_code == 404
    assert summaries(read_feed(client, second)) == ["Held place"]

    assert client.delete("/api/v1/calendar-feed", headers=headers).status_code == 204
    assert client.get(second).status_code == 404
    assert client.get("/api/v1/calendar-feed", headers=headers).get_json() == {"exists": False}
    assert client.delete("/api/v1/calendar-feed", headers=headers).status_code == 404


@pytest.mark.parametrize("token", ["not-a-feed-token", "x" * 43, "a" * 5000])
def test_an_unknown_or_overlong_token_finds_no_feed(client, auth, learner, token):
    make_feed(client, auth(learner))
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_of_a_deactivated_person_is_gone(client, auth, admin, learner, tutorials):
    path = make_feed(client, auth(learner))
    assert summaries(read_feed(client, path)) == ["Held place"]
    response = client.patch(f"/api/v1/users/{learner.public_id}", json={"active": False},
                            headers=auth(admin))
    assert response.status_code == 200, response.get_json()
    assert client.get(path).status_code == 404
