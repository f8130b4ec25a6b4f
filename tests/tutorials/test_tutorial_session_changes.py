"""A tutor changes group sessions through the API: cancels one (or the rest of its series),
moves one, changes its capacity; each change kept in the history with who and why."""

from datetime import timedelta

import pytest
from tutorial_group_helpers import API, book, booked, fields, get, messages, when
from tutorial_support import GROUP_ACTIVITY, OTHER_GROUP_ACTIVITY, iso, london_at, next_weekday

pytest_plugins = ["tutorial_fixtures"]
pytestmark = pytest.mark.usefixtures("catalogue")


def cancel(client, headers, session_id, reason="Tutor unwell", **body):
    return client.post(f"{API}/sessions/{session_id}/cancel", json={"reason": reason, **body},
                       headers=headers)


def patch(client, headers, session_id, **body):
    return client.patch(f"{API}/sessions/{session_id}", json=body, headers=headers)


@pytest.fixture
def full_session(client, auth, learner, learners, create_session):
    """A session of two places, both taken, with one learner waiting:
    (session, [booked learners], waiting learner, {learner id: booking JSON})."""
    session = create_session(london_at(next_weekday(2), 10), capacity=2)
    second, waiting = learners(2)
    places = {}
    for person in (learner, second):
        places[person.id] = booked(client, auth(person), session["id"])
    places[waiting.id] = booked(client, auth(waiting), session["id"], "waitlisted")
    return session, [learner, second], waiting, places


# ---- cancelling a session --------------------------------------------------------------------

def test_a_cancelled_session_cancels_every_place_and_waitlist_place(
        client, auth, tutor, full_session, learners):
    session, booked_learners, waiting, places = full_session
    response = cancel(client, auth(tutor), session["id"], reason="Tutor unwell")
    assert response.status_code == 200, response.get_json()
    [cancelled] = response.get_json()
    assert (cancelled["id"], cancelled["status"]) == (session["id"], "cancelled")
    assert cancelled["cancel_reason"] == "Tutor unwell"
    assert (cancelled["places_taken"], cancelled["places_left"]) == (0, 0)

    seen = get(client, auth(tutor), f"/sessions/{session['id']}")
    assert seen["status"] == "cancelled"
    listing = get(client, auth(tutor), f"/sessions/{session['id']}/bookings")
    assert sorted(b["id"] for b in listing) == sorted(b["id"] for b in places.values())
    assert {b["status"] for b in listing} == {"cancelled"}
    assert {b["cancel_reason"] for b in listing} == {"Tutor unwell"}
    # Everyone is told; each learner once.
    for person in [*booked_learners, waiting]:
        assert len(messages(person, "tutorial-cancelled")) == 1
    # A cancelled session is off the list, and can be booked no more.
    assert get(client, auth(tutor), "/sessions") == []
    [late] = learners(1)
    response = book(client, auth(late), session["id"])
    assert response.status_code == 409, response.get_json()
    assert cancel(client, auth(tutor), session["id"]).status_code == 409


def test_cancelling_with_series_cancels_this_and_the_later_sessions_only(
        client, auth, tutor, learner):
    first = london_at(next_weekday(3), 15)
    response = client.post(f"{API}/sessions", headers=auth(tutor), json={
        "activity": GROUP_ACTIVITY, "starts_at": iso(first),
        "ends_at": iso(first + timedelta(hours=1)), "capacity": 5, "weeks": 4})
    assert response.status_code == 201, response.get_json()
    series = response.get_json()
    for session in series:
        booked(client, auth(learner), session["id"])

    response = cancel(client, auth(tutor), series[1]["id"], reason="Course redesigned",
                      series=True)
    assert response.status_code == 200, response.get_json()
    assert [s["id"] for s in response.get_json()] == [s["id"] for s in series[1:]]
    statuses = [get(client, auth(tutor), f"/sessions/{s['id']}")["status"] for s in series]
    assert statuses == ["scheduled", "cancelled", "cancelled", "cancelled"]
    mine = get(client, auth(learner), "/bookings?status=booked")["items"]
    assert [b["session"]["id"] for b in mine] == [series[0]["id"]]
    assert len(messages(learner, "tutorial-cancelled")) == 3


def test_cancelling_one_session_of_a_series_leaves_the_others(client, auth, tutor):
    first = london_at(next_weekday(3), 15)
    series = client.post(f"{API}/sessions", headers=auth(tutor), json={
        "activity": GROUP_ACTIVITY, "starts_at": iso(first),
        "ends_at": iso(first + timedelta(hours=1)), "capacity": 5, "weeks": 3}).get_json()
    response = cancel(client, auth(tutor), series[1]["id"])
    assert [s["id"] for s in response.get_json()] == [series[1]["id"]]
    statuses = [get(client, auth(tutor), f"/sessions/{s['id']}")["status"] for s in series]
    assert statuses == ["scheduled", "cancelled", "scheduled"]


def test_series_cancellation_needs_a_series(client, auth, tutor, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    assert fields(cancel(client, auth(tutor), session["id"], series=True)) == ["series"]
    assert get(client, auth(tutor), f"/sessions/{session['id']}")["status"] == "scheduled"


def test_a_cancellation_needs_a_reason(client, auth, tutor, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    assert fields(cancel(client, auth(tutor), session["id"], reason="")) == ["reason"]


# ---- moving a session ------------------------------------------------------------------------

def test_a_moved_session_keeps_its_places_and_its_length(client, auth, tutor, full_session):
    session, booked_learners, _waiting, places = full_session
    later = when(session["starts_at"]) + timedelta(days=1, hours=3)
    response = patch(client, auth(tutor), session["id"], starts_at=iso(later),
                     reason="Room double-booked")
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()
    assert when(moved["starts_at"]) == later
    assert moved["minutes"] == session["minutes"]
    assert (moved["places_taken"], moved["waitlist_length"]) == (2, 1)
    for person in booked_learners:
        place = get(client, auth(person), f"/bookings/{places[person.id]['id']}")
        assert place["status"] == "booked"
        assert when(place["session"]["starts_at"]) == later


def test_the_history_keeps_every_change_in_order_with_who_and_why(
        client, auth, tutor, learner, learners, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=1)
    place = booked(client, auth(learner), session["id"])
    [other] = learners(1)
    waiting = booked(client, auth(other), session["id"], "waitlisted")
    start = when(session["starts_at"])
    assert patch(client, auth(tutor), session["id"], starts_at=iso(start + timedelta(hours=2)),
                 reason="Clinic overran").status_code == 200
    assert patch(client, auth(tutor), session["id"], capacity=4,
                 reason="Bigger room").status_code == 200
    assert client.post(f"{API}/bookings/{place['id']}/cancel", json={"reason": "Ill"},
                       headers=auth(learner)).status_code == 200

    history = get(client, auth(tutor), f"/sessions/{session['id']}/history")
    assert [(c["action"], c["booking"]) for c in history] == [
        ("created", None), ("booked", place["id"]), ("waitlisted", waiting["id"]),
        ("moved", None), ("moved", place["id"]), ("moved", waiting["id"]),
        ("changed", None), ("promoted", waiting["id"]), ("cancelled", place["id"])]
    assert [c["id"] for c in history] == sorted(c["id"] for c in history)
    by_action = {(c["action"], c["booking"]): c for c in history}
    move = by_action[("moved", None)]
    assert move["actor"]["id"] == tutor.public_id
    assert move["reason"] == "Clinic overran"
    assert move["details"]["from"]["starts_at"] == start.isoformat()
    assert when(move["details"]["to"]["starts_at"]) == start + timedelta(hours=2)
    change = by_action[("changed", None)]
    assert (change["reason"], change["details"]["capacity"]) == \
        ("Bigger room", {"from": 1, "to": 4})
    assert by_action[("booked", place["id"])]["actor"]["id"] == learner.public_id
    cancelled = by_action[("cancelled", place["id"])]
    assert (cancelled["actor"]["id"], cancelled["reason"]) == (learner.public_id, "Ill")

    # The learner's own place keeps its story too: booked, moved (by the tutor, and why),
    # cancelled.
    mine = get(client, auth(learner), f"/bookings/{place['id']}/history")
    assert [c["action"] for c in mine] == ["booked", "moved", "cancelled"]
    assert [c["actor"]["id"] for c in mine] == [learner.public_id, tutor.public_id,
                                                 learner.public_id]
    assert [c["reason"] for c in mine] == ["", "Clinic overran", "Ill"]
    theirs = get(client, auth(other), f"/bookings/{waiting['id']}/history")
    assert [c["action"] for c in theirs] == ["waitlisted", "moved", "promoted"]


def test_the_session_history_is_for_its_tutor(client, auth, learner, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    booked(client, auth(learner), session["id"])
    response = client.get(f"{API}/sessions/{session['id']}/history", headers=auth(learner))
    assert response.status_code == 403, response.get_json()


def test_a_move_that_would_make_a_learners_tutorials_overlap_is_refused(
        client, auth, tutor, learner, make_user, create_session):
    day = next_weekday(2)
    mine = create_session(london_at(day, 10))
    colleague = make_user("tutor")
    response = client.post(f"{API}/sessions", headers=auth(colleague), json={
        "activity": OTHER_GROUP_ACTIVITY, "capacity": 5,
        "starts_at": iso(london_at(day, 14)), "ends_at": iso(london_at(day, 15))})
    theirs = response.get_json()[0]
    booked(client, auth(learner), mine["id"])
    booked(client, auth(learner), theirs["id"])

    response = patch(client, auth(tutor), mine["id"], starts_at=iso(london_at(day, 14, 30)))
    assert response.status_code == 409, response.get_json()
    assert "Lee Learner" in response.get_json()["detail"]
    assert when(get(client, auth(tutor), f"/sessions/{mine['id']}")["starts_at"]) == \
        london_at(day, 10)
    assert messages(learner, "tutorial-moved") == []
    # Just after the other tutorial is no clash.
    response = patch(client, auth(tutor), mine["id"], starts_at=iso(london_at(day, 15)))
    assert response.status_code == 200, response.get_json()


def test_a_move_into_the_past_names_starts_at(client, auth, tutor, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    response = patch(client, auth(tutor), session["id"],
                     starts_at=iso(london_at(next_weekday(2), 10) - timedelta(days=30)))
    assert fields(response) == ["starts_at"]


def test_a_cancelled_session_cannot_be_moved(client, auth, tutor, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    assert cancel(client, auth(tutor), session["id"]).status_code == 200
    response = patch(client, auth(tutor), session["id"],
                     starts_at=iso(london_at(next_weekday(2), 12)))
    assert response.status_code == 409, response.get_json()


# ---- capacity --------------------------------------------------------------------------------

def test_capacity_cannot_go_below_the_places_taken(client, auth, tutor, full_session):
    session, *_ = full_session
    response = patch(client, auth(tutor), session["id"], capacity=1)
    assert response.status_code == 409, response.get_json()
    seen = get(client, auth(tutor), f"/sessions/{session['id']}")
    assert (seen["capacity"], seen["places_taken"], seen["waitlist_length"]) == (2, 2, 1)
    # Down to exactly the places taken is fine.
    assert patch(client, auth(tutor), session["id"], capacity=2).status_code == 200


def test_more_capacity_gives_places_to_the_waitlist_in_order(
        client, auth, tutor, learner, learners, create_session):
    session = create_session(london_at(next_weekday(2), 10), capacity=1)
    booked(client, auth(learner), session["id"])
    people = learners(3)
    waiting = [booked(client, auth(p), session["id"], "waitlisted") for p in people]

    response = patch(client, auth(tutor), session["id"], capacity=3)
    assert response.status_code == 200, response.get_json()
    seen = response.get_json()
    assert (seen["capacity"], seen["places_taken"], seen["places_left"],
            seen["waitlist_length"]) == (3, 3, 0, 1)
    statuses = [get(client, auth(p), f"/bookings/{w['id']}")
                for p, w in zip(people, waiting, strict=True)]
    assert [(s["status"], s["waitlist_position"]) for s in statuses] == [
        ("booked", None), ("booked", None), ("waitlisted", 1)]
    assert [len(messages(p, "tutorial-promoted")) for p in people] == [1, 1, 0]


def test_capacity_stays_between_one_and_a_hundred(client, auth, tutor, create_session):
    session = create_session(london_at(next_weekday(2), 10))
    assert fields(patch(client, auth(tutor), session["id"], capacity=0)) == ["capacity"]
    assert fields(patch(client, auth(tutor), session["id"], capacity=101)) == ["capacity"]
    assert get(client, auth(tutor), f"/sessions/{session['id']}")["capacity"] == 8
