"""A tutor changes or moves one session on its page: the learners booked are told with an
updated invitation, the history shows the move, and refusals are shown next to the fields."""

from tutorial_pages_support import WEDNESDAY, flashes, london_at, submit, text_of

from lms.notifications.models import Notification
from lms.tutorials.models import TutorialSession

pytest_plugins = ["tutorial_pages_fixtures"]


def _form(session, **changes):
    data = {"title": session["title"], "description": "", "meeting_url": "",
            "capacity": str(session["capacity"]), "date": WEDNESDAY.isoformat(),
            "starts": "18:30", "ends": "19:30", "reason": ""}
    return {**data, **changes}


def test_moving_a_session_tells_the_learner_and_keeps_the_history(
        tp_clock, db, client, auth, tp_browser, tp_tutor, tp_learner, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    booked = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                         headers=auth(tp_learner))
    assert booked.status_code == 201
    browser = tp_browser(tp_tutor)
    page = f"/tutor/sessions/{session['id']}"
    response = submit(browser, page, page, _form(session, starts="19:00", ends="20:00",
                                                 reason="The room is needed earlier"))
    assert ("success", "Saved. Everyone booked has been told of the change.") in flashes(
        response)
    assert "Moved by Tara Tutor" in text_of(response)
    db.session.expire_all()
    stored = db.session.get(TutorialSession, session["id"])
    assert stored.starts_at == london_at(WEDNESDAY, 19, 0)
    told = db.session.execute(db.select(Notification).where(
        Notification.user_id == tp_learner.id, Notification.kind == "tutorial-moved")
    ).scalar_one()
    assert "METHOD:REQUEST" in told.calendar and "The room is needed earlier" in told.body


def test_a_bad_time_is_shown_by_its_field_and_nothing_changes(
        tp_clock, db, tp_browser, tp_tutor, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    browser = tp_browser(tp_tutor)
    page = f"/tutor/sessions/{session['id']}"
    response = submit(browser, page, page, _form(session, ends="18:00"))
    assert response.status_code == 422
    assert 'id="session-ends-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TutorialSession, session["id"]).ends_at == london_at(WEDNESDAY, 19, 30)


def test_another_tutor_and_a_learner_cannot_open_it(
        tp_clock, make_user, tp_browser, tp_learner, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    other = tp_browser(make_user("tutor"))
    assert other.get(f"/tutor/sessions/{session['id']}").status_code in (403, 404)
    assert tp_browser(tp_learner).get(f"/tutor/sessions/{session['id']}").status_code == 403
