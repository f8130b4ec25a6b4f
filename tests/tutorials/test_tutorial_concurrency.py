"""The tutorial rules that must hold when many requests arrive at once: a group session never
takes more learners than it has places, a tutor's slot goes to one learner only, a learner
never holds two overlapping tutorials. Each request runs in its own thread, app context and
database session, all started together, as a server's workers would run them; and the
database itself refuses overfilling and a tutor's two sessions at one moment."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from conftest import OwnContextClient
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from tutorial_support import (
    GROUP_ACTIVITY,
    INDIVIDUAL_ACTIVITY,
    OTHER_GROUP_ACTIVITY,
    iso,
    london_at,
    next_weekday,
)

from lms.catalogue.models import Activity
from lms.tutorials.models import HOLDING, Booking, TutorialSession

pytest_plugins = ["tutorial_fixtures"]

TUESDAY = 1
CROWD = 12


def at_once(app, requests):
    """POST every (url, json, headers) of `requests` from its own thread, all released
    together; returns [(status, body)] in the order given."""
    start = threading.Barrier(len(requests), timeout=60)

    def send(request):
        url, body, headers = request
        with app.app_context():  # this thread's own session, ended with the context
            client = OwnContextClient(app, app.response_class)
            start.wait()
            response = client.post(url, json=body, headers=headers)
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests, timeout=120))


def book_url(session_id):
    return f"/api/v1/tutorials/sessions/{session_id}/bookings"


def booked_per_session(db):
    """{session id: places held} counted from the bookings themselves."""
    db.session.rollback()
    rows = db.session.execute(
        db.select(Booking.session_id, func.count(Booking.id))
        .where(Booking.status.in_(HOLDING)).group_by(Booking.session_id)).all()
    return dict(rows)


def assert_no_overfilling(db):
    held = booked_per_session(db)
    for session in db.session.execute(db.select(TutorialSession)).scalars():
        assert held.get(session.id, 0) == session.places_taken <= session.capacity, session.id


# ---- the last place of a group session -------------------------------------------------------


@pytest.mark.parametrize("capacity,taken", [(1, 0), (3, 2)])
def test_many_learners_at_once_for_the_last_place_one_is_booked_the_rest_wait(
        app, db, client, auth, learners, create_session, capacity, taken):
    session = create_session(london_at(next_weekday(TUESDAY), 10), capacity=capacity)
    for early in learners(taken):
        response = client.post(book_url(session["id"]), json={}, headers=auth(early))
        assert response.get_json()["status"] == "booked"
    crowd = learners(CROWD)
    answers = at_once(app, [(book_url(session["id"]), {}, auth(learner)) for learner in crowd])

    assert [status for status, _ in answers] == [201] * CROWD, answers
    statuses = sorted(body["status"] for _, body in answers)
    assert statuses == ["booked"] + ["waitlisted"] * (CROWD - 1)
    # Each waiting learner has a place of their own in the queue.
    assert sorted(body["waitlist_position"] for _, body in answers
                  if body["status"] == "waitlisted") == list(range(1, CROWD))
    seen = client.get(f"/api/v1/tutorials/sessions/{session['id']}",
                      headers=auth(crowd[0])).get_json()
    assert (seen["places_taken"], seen["places_left"]) == (capacity, 0)
    assert seen["waitlist_length"] == CROWD - 1
    assert booked_per_session(db) == {session["id"]: capacity}
    assert_no_overfilling(db)


def test_learners_at_once_for_three_places_fill_them_exactly(app, db, auth, learners,
                                                             create_session):
    session = create_session(london_at(next_weekday(TUESDAY), 14), capacity=3)
    crowd = learners(CROWD)
    answers = at_once(app, [(book_url(session["id"]), {}, auth(learner)) for learner in crowd])

    assert {status for status, _ in answers} == {201}, answers
    statuses = sorted(body["status"] for _, body in answers)
    assert statuses == ["booked"] * 3 + ["waitlisted"] * (CROWD - 3)
    assert booked_per_session(db) == {session["id"]: 3}
    assert_no_overfilling(db)


# ---- the same individual slot ----------------------------------------------------------------


def offer_tuesday_mornings(client, auth, tutor):
    response = client.put(f"/api/v1/tutors/{tutor.public_id}/availability", headers=auth(tutor),
                          json={"windows": [{"weekday": "tuesday", "starts": "10:00",
                                             "ends": "13:00"}]})
    assert response.status_code == 200, response.get_json()


def offered_starts(client, auth, tutor, learner) -> list[datetime]:
    """The starts of the tutor's free slots, as the learner sees them."""
    offered = client.get(f"/api/v1/tutors/{tutor.public_id}/slots", headers=auth(learner))
    return [datetime.fromisoformat(s["starts_at"]) for s in offered.get_json()["slots"]]


def test_many_learners_at_once_for_one_individual_slot_one_gets_it(
        app, db, client, auth, tutor, learners):
    offer_tuesday_mornings(client, auth, tutor)
    crowd = learners(CROWD)
    slot = london_at(next_weekday(TUESDAY), 10)
    assert slot in offered_starts(client, auth, tutor, crowd[0])
    body = {"activity": INDIVIDUAL_ACTIVITY, "starts_at": iso(slot)}
    answers = at_once(app, [("/api/v1/tutorials/individual", body, auth(learner))
                            for learner in crowd])

    assert sorted(status for status, _ in answers) == [201] + [409] * (CROWD - 1), answers
    [winner] = [body for status, body in answers if status == 201]
    assert winner["status"] == "booked"
    db.session.rollback()
    at_that_time = db.session.execute(db.select(TutorialSession).where(
        TutorialSession.tutor_id == tutor.id, TutorialSession.status == "scheduled",
        TutorialSession.starts_at == slot)).scalars().all()
    assert len(at_that_time) == 1
    assert [b.learner.public_id for b in at_that_time[0].bookings] == [winner["learner"]["id"]]
    assert db.session.execute(db.select(func.count(Booking.id))).scalar_one() == 1
    assert_no_overfilling(db)
    # The slot is no longer offered to anyone.
    assert slot not in offered_starts(client, auth, tutor, crowd[1])


# ---- one learner, overlapping tutorials --------------------------------------------------------


def test_one_learner_booking_overlapping_tutorials_at_once_gets_one(
        app, db, client, auth, make_user, tutor, learner):
    offer_tuesday_mornings(client, auth, tutor)
    day = next_weekday(TUESDAY)
    # Two group sessions run by other tutors, overlapping each other and the learner's own
    # tutor's 10:00 slot.
    first_tutor, second_tutor = make_user("tutor"), make_user("tutor")
    sessions = []
    for other, activity, starts in ((first_tutor, GROUP_ACTIVITY, london_at(day, 10)),
                                    (second_tutor, OTHER_GROUP_ACTIVITY, london_at(day, 10, 30))):
        response = client.post("/api/v1/tutorials/sessions", headers=auth(other), json={
            "activity": activity, "starts_at": iso(starts),
            "ends_at": iso(starts + timedelta(minutes=90)), "capacity": 8})
        assert response.status_code == 201, response.get_json()
        sessions.append(response.get_json()[0]["id"])
    headers = auth(learner)
    individual = ("/api/v1/tutorials/individual",
                  {"activity": INDIVIDUAL_ACTIVITY, "starts_at": iso(london_at(day, 10))},
                  headers)
    # Each of the three, four times over (a learner pressing the button again and again).
    requests = [(book_url(sessions[0]), {}, headers), (book_url(sessions[1]), {}, headers),
                individual] * 4
    answers = at_once(app, requests)

    assert {status for status, _ in answers} <= {201, 409}, answers
    succeeded = [body for status, body in answers if status == 201]
    assert len(succeeded) == 1, answers
    assert succeeded[0]["status"] == "booked"
    db.session.rollback()
    held = db.session.execute(db.select(Booking).where(
        Booking.learner_id == learner.id, Booking.status.in_(HOLDING))).scalars().all()
    assert [b.id for b in held] == [succeeded[0]["id"]]
    # The individual tutorial, if not the winner, left no session behind.
    assert db.session.execute(db.select(func.count(TutorialSession.id)).where(
        TutorialSession.kind == "individual")).scalar_one() == (
        1 if held[0].session.kind == "individual" else 0)
    assert_no_overfilling(db)


# ---- what the database itself refuses --------------------------------------------------------


def test_the_database_refuses_more_places_taken_than_a_session_has(db, catalogue,
                                                                   create_session):
    session = create_session(london_at(next_weekday(TUESDAY), 10), capacity=3)
    with pytest.raises(IntegrityError):
        db.session.execute(update(TutorialSession)
                           .where(TutorialSession.id == session["id"])
                           .values(places_taken=TutorialSession.capacity + 1))
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(update(TutorialSession).where(TutorialSession.id == session["id"])
                           .values(capacity=1, places_taken=2))
        db.session.commit()
    db.session.rollback()
    assert db.session.get(TutorialSession, session["id"]).places_taken == 0


def test_the_database_refuses_two_live_sessions_of_a_tutor_at_one_moment(
        db, catalogue, tutor, create_session):
    starts = london_at(next_weekday(TUESDAY), 10)
    existing = create_session(starts, capacity=3)
    activity = db.session.execute(
        db.select(Activity).where(Activity.slug == OTHER_GROUP_ACTIVITY)).scalar_one()

    def another(status="scheduled"):
        return TutorialSession(kind="group", tutor_id=tutor.id, activity=activity,
                               title="Same moment", starts_at=starts,
                               ends_at=starts + timedelta(minutes=30), capacity=3,
                               status=status)

    db.session.add(another())
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # The index is partial: a cancelled session at that moment is allowed, and once the
    # first is cancelled, a new live one may take its time.
    db.session.add(another("cancelled"))
    db.session.commit()
    db.session.execute(update(TutorialSession).where(TutorialSession.id == existing["id"])
                       .values(status="cancelled"))
    db.session.add(another())
    db.session.commit()
    live = db.session.execute(db.select(func.count(TutorialSession.id)).where(
        TutorialSession.tutor_id == tutor.id, TutorialSession.starts_at == starts,
        TutorialSession.status == "scheduled")).scalar_one()
    assert live == 1
