"""Group sessions: booking a place, the waitlist and its promotion, cancelling a place and
moving it to another session."""

from datetime import date, timedelta

import pytest
from tutorial_group_helpers import (
    API,
    book,
    booked,
    fields,
    get,
    invitation,
    messages,
    only_message,
    when,
)
from tutorial_support import OTHER_GROUP_ACTIVITY, iso, london_at, next_weekday

from lms.timeutil import utcnow
from lms.tutorials.models import TutorialSession

pytest_plugins = ["tutorial_fixtures"]
pytestmark = pytest.mark.usefixtures("catalogue")


def test_a_learner_books_a_place_and_the_last_place_fills_into_a_waitlist(
        client, auth, learner, learners, create_session):
    session = create_session(london_at(next_weekday(1), 10), capacity=1)
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "booked"
    [other] = learners(1)
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(other))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "waitlisted"
    assert response.get_json()["waitlist_position"] == 1


def test_a_booking_shows_on_the_session_and_in_the_learners_own_list(
        client, auth, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=3)
    place = booked(client, auth(learner), session["id"])
    assert place["learner"] == {"id": learner.public_id, "name": "Lee Learner"}
    assert place["enrolment"] == learner.enrolment.id
    assert place["waitlist_position"] is None
    assert place["booked_by"]["id"] == learner.public_id
    assert place["session"]["id"] == session["id"]
    seen = get(client, auth(learner), f"/sessions/{session['id']}")
    assert (seen["places_taken"], seen["places_left"]) == (1, 2)
    assert seen["my_booking"] == {"id": place["id"], "status": "booked",
                                  "waitlist_position": None}
    mine = get(client, auth(learner), "/bookings")
    assert [b["id"] for b in mine["items"]] == [place["id"]]
    assert only_message(learner, "tutorial-booked").calendar


def test_the_same_learner_cannot_book_twice(client, auth, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    booked(client, auth(learner), session["id"])
    response = book(client, auth(learner), session["id"])
    assert response.status_code == 409, response.get_json()
    assert get(client, auth(learner), f"/sessions/{session['id']}")["places_taken"] == 1


def test_a_full_session_queues_learners_in_order(client, auth, learner, learners,
                                                 create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=1)
    booked(client, auth(learner), session["id"])
    first, second = learners(2)
    assert booked(client, auth(first), session["id"], "waitlisted")["waitlist_position"] == 1
    assert booked(client, auth(second), session["id"], "waitlisted")["waitlist_position"] == 2
    seen = get(client, auth(second), f"/sessions/{session['id']}")
    assert (seen["places_taken"], seen["places_left"], seen["waitlist_length"]) == (1, 0, 2)
    assert seen["my_booking"]["waitlist_position"] == 2
    # Joining the queue again is refused; the one message about it carries no invitation.
    assert book(client, auth(first), session["id"]).status_code == 409
    waiting = only_message(first, "tutorial-waitlisted")
    assert waiting.calendar is None
    assert "position 1" in waiting.body


def test_a_session_that_has_begun_cannot_be_booked(client, auth, db, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    row = db.session.get(TutorialSession, session["id"])
    row.starts_at = utcnow() - timedelta(minutes=10)
    row.ends_at = utcnow() + timedelta(minutes=50)
    db.session.commit()
    assert fields(book(client, auth(learner), session["id"])) == ["session"]
    assert messages(learner) == []


def test_a_session_after_the_learners_window_cannot_be_booked(client, auth, learner,
                                                              create_session):
    # The intake starts on 2 June 2026: the 18-month window ends on 2 December 2027.
    late = create_session(london_at(date(2028, 1, 11), 10))
    assert fields(book(client, auth(learner), late["id"])) == ["starts_at"]
    last_day = create_session(london_at(date(2027, 12, 2), 10))
    booked(client, auth(learner), last_day["id"])


def test_a_learner_not_enrolled_on_the_qualification_cannot_book(
        client, auth, make_user, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    stranger = make_user("learner")
    response = book(client, auth(stranger), session["id"])
    assert response.status_code == 403, response.get_json()
    assert messages(stranger) == []


def test_a_learner_whose_enrolment_is_not_active_is_told_why(
        client, auth, db, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    learner.enrolment.status = "withdrawn"
    db.session.commit()
    response = book(client, auth(learner), session["id"])
    assert response.status_code == 409, response.get_json()
    assert "withdrawn" in response.get_json()["detail"]


def test_a_learner_cannot_hold_two_overlapping_tutorials(
        client, auth, learner, make_user, create_session):
    mine = create_session(london_at(next_weekday(2), 10), minutes=90)
    colleague = make_user("tutor")
    response = client.post(f"{API}/sessions", headers=auth(colleague), json={
        "activity": OTHER_GROUP_ACTIVITY, "capacity": 5,
        "starts_at": iso(london_at(next_weekday(2), 11)),
        "ends_at": iso(london_at(next_weekday(2), 12))})
    assert response.status_code == 201, response.get_json()
    overlapping = response.get_json()[0]
    booked(client, auth(learner), mine["id"])
    response = book(client, auth(learner), overlapping["id"])
    assert response.status_code == 409, response.get_json()
    assert get(client, auth(colleague), f"/sessions/{overlapping['id']}")["places_taken"] == 0
    # Once the first place is given up, the other session can be booked.
    [place] = get(client, auth(learner), "/bookings")["items"]
    assert client.post(f"{API}/bookings/{place['id']}/cancel", json={},
                       headers=auth(learner)).status_code == 200
    booked(client, auth(learner), overlapping["id"])


# ---- cancelling a place, and the waitlist ----------------------------------------------------

def _cancel(client, headers, booking_id, **body):
    return client.post(f"{API}/bookings/{booking_id}/cancel", json=body, headers=headers)


def test_a_cancelled_place_goes_to_the_first_on_the_waitlist(
        client, auth, learner, learners, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=1)
    place = booked(client, auth(learner), session["id"])
    first, second = learners(2)
    waiting = booked(client, auth(first), session["id"], "waitlisted")
    behind = booked(client, auth(second), session["id"], "waitlisted")

    response = _cancel(client, auth(learner), place["id"], reason="Shift changed")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "cancelled"
    assert response.get_json()["cancel_reason"] == "Shift changed"

    promoted = get(client, auth(first), f"/bookings/{waiting['id']}")
    assert promoted["status"] == "booked"
    assert promoted["waitlist_position"] is None
    assert get(client, auth(second), f"/bookings/{behind['id']}")["waitlist_position"] == 1
    seen = get(client, auth(first), f"/sessions/{session['id']}")
    assert (seen["places_taken"], seen["waitlist_length"]) == (1, 1)

    told = only_message(first, "tutorial-promoted")
    assert told.data["booking"] == waiting["id"]
    method, event = invitation(told)
    assert method == "REQUEST"
    assert event.decoded("dtstart") == when(session["starts_at"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert messages(second, "tutorial-promoted") == []
    method, _ = invitation(only_message(learner, "tutorial-cancelled"))
    assert method == "CANCEL"


def test_a_learner_cannot_cancel_inside_the_cut_off_but_the_tutor_can(
        client, auth, tutor, learner, learners, create_session):
    session = create_session(utcnow() + timedelta(hours=23), capacity=1)
    place = booked(client, auth(learner), session["id"])
    [other] = learners(1)
    waiting = booked(client, auth(other), session["id"], "waitlisted")

    response = _cancel(client, auth(learner), place["id"])
    assert response.status_code == 409, response.get_json()
    assert get(client, auth(learner), f"/bookings/{place['id']}")["status"] == "booked"

    response = _cancel(client, auth(tutor), place["id"], reason="Asked by phone")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "cancelled"
    assert get(client, auth(other), f"/bookings/{waiting['id']}")["status"] == "booked"


def test_a_learner_may_leave_a_waitlist_at_any_time(client, auth, learner, learners,
                                                    create_session):
    session = create_session(utcnow() + timedelta(hours=23), capacity=1)
    booked(client, auth(learner), session["id"])
    first, second = learners(2)
    waiting = booked(client, auth(first), session["id"], "waitlisted")
    behind = booked(client, auth(second), session["id"], "waitlisted")
    response = _cancel(client, auth(first), waiting["id"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "cancelled"
    assert get(client, auth(second), f"/bookings/{behind['id']}")["waitlist_position"] == 1
    seen = get(client, auth(second), f"/sessions/{session['id']}")
    assert (seen["places_taken"], seen["waitlist_length"]) == (1, 1)
    # Leaving a queue sends no cancellation of an invitation never sent.
    assert messages(first, "tutorial-cancelled") == []
    assert _cancel(client, auth(first), waiting["id"]).status_code == 409


def test_a_learner_may_book_again_after_cancelling(client, auth, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    place = booked(client, auth(learner), session["id"])
    assert _cancel(client, auth(learner), place["id"]).status_code == 200
    again = booked(client, auth(learner), session["id"])
    assert again["id"] == place["id"]
    requests = messages(learner, "tutorial-booked")
    assert len(requests) == 2
    first_uid = invitation(requests[0])[1]["UID"]
    method, event = invitation(requests[1])
    assert (method, event["UID"]) == ("REQUEST", first_uid)
    # After the CANCEL (sequence 1), the event comes back with a higher sequence.
    assert event.decoded("sequence") == 2


# ---- moving a place to another session -------------------------------------------------------

def _reschedule(client, headers, booking_id, session_id):
    return client.post(f"{API}/bookings/{booking_id}/reschedule", json={"session": session_id},
                       headers=headers)


def test_a_place_moves_to_another_session_of_the_same_tutorial(
        client, auth, learner, create_session):
    day = next_weekday(2)
    first = create_session(london_at(day, 10))
    later = create_session(london_at(day + timedelta(days=7), 10))
    place = booked(client, auth(learner), first["id"])
    response = _reschedule(client, auth(learner), place["id"], later["id"])
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()
    assert (moved["status"], moved["session"]["id"]) == ("booked", later["id"])
    assert get(client, auth(learner), f"/bookings/{place['id']}")["status"] == "cancelled"
    assert get(client, auth(learner), f"/sessions/{first['id']}")["places_taken"] == 0
    assert get(client, auth(learner), f"/sessions/{later['id']}")["places_taken"] == 1
    history = get(client, auth(learner), f"/bookings/{moved['id']}/history")
    assert [c["action"] for c in history] == ["booked", "rescheduled"]
    assert history[-1]["details"] == {"from_session": first["id"]}


def test_a_place_moves_only_to_a_session_of_the_same_tutorial_with_room(
        client, auth, learner, learners, create_session):
    day = next_weekday(2)
    first = create_session(london_at(day, 10))
    other_tutorial = create_session(london_at(day, 14), activity=OTHER_GROUP_ACTIVITY)
    full = create_session(london_at(day + timedelta(days=7), 10), capacity=1)
    booked(client, auth(learners(1)[0]), full["id"])
    place = booked(client, auth(learner), first["id"])

    assert fields(_reschedule(client, auth(learner), place["id"], other_tutorial["id"])) == \
        ["session"]
    response = _reschedule(client, auth(learner), place["id"], full["id"])
    assert response.status_code == 409, response.get_json()
    # Each refusal leaves the place where it was.
    assert get(client, auth(learner), f"/bookings/{place['id']}")["status"] == "booked"
    assert get(client, auth(learner), f"/sessions/{first['id']}")["places_taken"] == 1
    assert get(client, auth(learner), f"/sessions/{full['id']}")["waitlist_length"] == 0
    assert messages(learner, "tutorial-cancelled") == []
