"""A learner who leaves (withdrawn, deferred, transferred) gives up their tutorials ahead:
the places pass to the waitlist and the learner is told."""

from tutorial_support import london_at, next_weekday

from lms.notifications.models import Notification
from lms.tutorials.models import Booking

pytest_plugins = ["tutorial_fixtures"]


def _book(client, auth, session, learner):
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_withdrawn_learner_gives_up_their_place_to_the_waitlist(
        client, db, auth, admin, learner, learners, create_session):
    session = create_session(london_at(next_weekday(2), 18, 30), capacity=1)
    mine = _book(client, auth, session, learner)
    [waiting] = learners(1)
    theirs = _book(client, auth, session, waiting)
    assert theirs["status"] == "waitlisted"

    response = client.post(f"/api/v1/enrolments/{learner.enrolment.id}/withdrawal",
                           json={"reason": "Left the service"}, headers=auth(admin))
    assert response.status_code == 201, response.get_json()

    assert db.session.get(Booking, mine["id"]).status == "cancelled"
    assert db.session.get(Booking, theirs["id"]).status == "booked"
    kinds = {(n.user_id, n.kind) for n in db.session.execute(db.select(Notification)).scalars()}
    assert (learner.id, "tutorial-cancelled") in kinds
    assert (waiting.id, "tutorial-promoted") in kinds


def test_a_booking_after_withdrawal_is_refused(client, db, auth, admin, learner, create_session):
    session = create_session(london_at(next_weekday(2), 18, 30))
    client.post(f"/api/v1/enrolments/{learner.enrolment.id}/withdrawal",
                json={"reason": "Left the service"}, headers=auth(admin))
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code in (403, 404, 409), response.get_json()
    assert db.session.execute(db.select(Booking)).first() is None
