"""What learners are told when group sessions are booked, moved, changed and cancelled: a
message each, carrying an iCalendar invitation that a calendar program files under the
booking's one UID, with SEQUENCE raised on every change (read back with `icalendar`)."""

from datetime import timedelta

import pytest
from tutorial_group_helpers import (
    API,
    booked,
    get,
    invitation,
    messages,
    only_message,
    read_invitation,
    when,
)
from tutorial_support import iso, london_at, next_weekday

pytest_plugins = ["tutorial_fixtures"]
pytestmark = pytest.mark.usefixtures("catalogue")


def sequence(event) -> int:
    return event.decoded("sequence")


def emails(vevent, name) -> list[str]:
    found = vevent.get(name)
    found = found if isinstance(found, list) else [found]
    return [str(address).removeprefix("mailto:") for address in found]


@pytest.fixture
def busy_session(client, auth, learner, learners, create_session):
    """A session of two places, both booked, and a learner on its waitlist."""
    session = create_session(london_at(next_weekday(2), 10), capacity=2,
                             meeting_url="https://meet.example/room-1")
    other, waiting = learners(2)
    places = {p.id: booked(client, auth(p), session["id"]) for p in (learner, other)}
    places[waiting.id] = booked(client, auth(waiting), session["id"], "waitlisted")
    return session, [learner, other], waiting, places


def test_a_booking_brings_an_invitation_to_the_learners_own_event(
        client, auth, tutor, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10), minutes=90,
                             meeting_url="https://meet.example/room-1")
    place = booked(client, auth(learner), session["id"])
    message = only_message(learner, "tutorial-booked")
    assert message.data["booking"] == place["id"]
    assert message.data["session"] == session["id"]
    method, event = invitation(message)
    assert method == "REQUEST"
    assert str(event["UID"]).startswith("booking-")
    assert str(event["UID"]).endswith("@pathway.test")
    assert sequence(event) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == session["title"]
    assert event.decoded("dtstart") == when(session["starts_at"])
    assert event.decoded("dtend") == when(session["ends_at"])
    assert str(event["LOCATION"]) == "https://meet.example/room-1"
    assert emails(event, "ORGANIZER") == [tutor.email]
    assert emails(event, "ATTENDEE") == [learner.email]
    # The same invitation is what the booking's own .ics gives.
    response = client.get(f"{API}/bookings/{place['id']}/invitation.ics", headers=auth(learner))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    _, again = read_invitation(response.get_data(as_text=True))
    assert (again["UID"], sequence(again)) == (event["UID"], 0)


def test_everyone_is_told_when_the_tutor_cancels_the_session(client, auth, tutor,
                                                             busy_session):
    session, booked_learners, waiting, places = busy_session
    response = client.post(f"{API}/sessions/{session['id']}/cancel",
                           json={"reason": "Tutor unwell"}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()

    for person in booked_learners:
        _, request = invitation(only_message(person, "tutorial-booked"))
        told = only_message(person, "tutorial-cancelled")
        assert told.data["booking"] == places[person.id]["id"]
        assert "Tutor unwell" in told.body
        method, event = invitation(told)
        assert method == "CANCEL"
        assert event["UID"] == request["UID"]
        assert sequence(event) > sequence(request)
        assert str(event["STATUS"]) == "CANCELLED"
        assert event.decoded("dtstart") == when(session["starts_at"])
    # The one waiting never had an invitation: a message, and nothing to cancel.
    told = only_message(waiting, "tutorial-cancelled")
    assert told.calendar is None
    assert "Tutor unwell" in told.body
    # The learner reads it through the API too.
    listed = client.get("/api/v1/notifications", headers=auth(waiting)).get_json()["items"]
    assert [m["kind"] for m in listed] == ["tutorial-cancelled", "tutorial-waitlisted"]
    assert listed[0]["data"]["session"] == session["id"]
    # A tutor who cancels their own session is not told about it.
    assert messages(tutor, "tutorial-cancelled") == []


def test_the_tutor_is_told_when_an_administrator_cancels_their_session(
        client, auth, tutor, admin, busy_session):
    session, *_ = busy_session
    response = client.post(f"{API}/sessions/{session['id']}/cancel",
                           json={"reason": "Rooms closed"}, headers=auth(admin))
    assert response.status_code == 200, response.get_json()
    method, event = invitation(only_message(tutor, "tutorial-cancelled"))
    assert method == "CANCEL"
    assert str(event["UID"]).startswith("session-")
    assert sequence(event) >= 1


def test_a_moved_session_sends_an_updated_invitation_under_the_same_uid(
        client, auth, tutor, busy_session):
    session, booked_learners, waiting, _places = busy_session
    start = when(session["starts_at"])
    for hours in (2, 4):
        response = client.patch(f"{API}/sessions/{session['id']}", headers=auth(tutor), json={
            "starts_at": iso(start + timedelta(hours=hours)), "reason": "Clinic overran"})
        assert response.status_code == 200, response.get_json()

    for person in booked_learners:
        _, request = invitation(only_message(person, "tutorial-booked"))
        moves = messages(person, "tutorial-moved")
        assert len(moves) == 2
        events = [invitation(m) for m in moves]
        assert [method for method, _ in events] == ["REQUEST", "REQUEST"]
        assert {e["UID"] for _, e in events} == {request["UID"]}
        assert [sequence(e) for _, e in events] == [sequence(request) + 1,
                                                    sequence(request) + 2]
        assert [e.decoded("dtstart") for _, e in events] == [
            start + timedelta(hours=2), start + timedelta(hours=4)]
        assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(hours=1)
                   for _, e in events)
        assert "Clinic overran" in moves[-1].body
    # The waitlisted learner hears of it, without an invitation.
    moves = messages(waiting, "tutorial-moved")
    assert len(moves) == 2
    assert all(m.calendar is None for m in moves)


def test_new_details_send_an_updated_invitation_and_capacity_alone_does_not(
        client, auth, tutor, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=3)
    booked(client, auth(learner), session["id"])
    assert client.patch(f"{API}/sessions/{session['id']}", json={"capacity": 5},
                        headers=auth(tutor)).status_code == 200
    assert [m.kind for m in messages(learner)] == ["tutorial-booked"]

    response = client.patch(f"{API}/sessions/{session['id']}", headers=auth(tutor), json={
        "title": "Restrictions: bring a case", "meeting_url": "https://meet.example/new"})
    assert response.status_code == 200, response.get_json()
    _, request = invitation(only_message(learner, "tutorial-booked"))
    method, event = invitation(only_message(learner, "tutorial-changed"))
    assert (method, event["UID"]) == ("REQUEST", request["UID"])
    assert sequence(event) == sequence(request) + 1
    assert str(event["SUMMARY"]) == "Restrictions: bring a case"
    assert str(event["LOCATION"]) == "https://meet.example/new"


def test_a_learners_own_cancellation_cancels_their_invitation(
        client, auth, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    place = booked(client, auth(learner), session["id"])
    assert client.post(f"{API}/bookings/{place['id']}/cancel", json={},
                       headers=auth(learner)).status_code == 200
    _, request = invitation(only_message(learner, "tutorial-booked"))
    method, event = invitation(only_message(learner, "tutorial-cancelled"))
    assert (method, event["UID"]) == ("CANCEL", request["UID"])
    assert sequence(event) > sequence(request)


def test_a_promoted_learners_invitation_is_cancelled_under_its_own_uid(
        client, auth, tutor, learner, learners, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=1)
    place = booked(client, auth(learner), session["id"])
    [waiting] = learners(1)
    theirs = booked(client, auth(waiting), session["id"], "waitlisted")
    assert client.post(f"{API}/bookings/{place['id']}/cancel", json={},
                       headers=auth(learner)).status_code == 200
    method, promoted = invitation(only_message(waiting, "tutorial-promoted"))
    assert method == "REQUEST"
    _, first_learners = invitation(only_message(learner, "tutorial-booked"))
    assert promoted["UID"] != first_learners["UID"]  # each place is its own event

    assert client.post(f"{API}/sessions/{session['id']}/cancel", json={"reason": "Snow"},
                       headers=auth(tutor)).status_code == 200
    method, cancelled = invitation(only_message(waiting, "tutorial-cancelled"))
    assert (method, cancelled["UID"]) == ("CANCEL", promoted["UID"])
    assert sequence(cancelled) > sequence(promoted)
    assert get(client, auth(waiting), f"/bookings/{theirs['id']}")["status"] == "cancelled"


def test_a_moved_place_cancels_the_old_event_and_invites_to_the_new(
        client, auth, learner, create_session):
    day = next_weekday(2)
    first = create_session(london_at(day, 10))
    later = create_session(london_at(day + timedelta(days=7), 10))
    place = booked(client, auth(learner), first["id"])
    response = client.post(f"{API}/bookings/{place['id']}/reschedule",
                           json={"session": later["id"]}, headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    old, new = [invitation(m) for m in messages(learner, "tutorial-booked")]
    method, cancelled = invitation(only_message(learner, "tutorial-cancelled"))
    assert (method, cancelled["UID"]) == ("CANCEL", old[1]["UID"])
    assert new[0] == "REQUEST"
    assert new[1]["UID"] != old[1]["UID"]
    assert new[1].decoded("dtstart") == when(later["starts_at"])
