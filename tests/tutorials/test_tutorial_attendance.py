"""Attendance: once a tutorial has begun its tutor marks each place attended (an xAPI
`attended` statement in the learner's registration, which completes the activity and counts
its guided hours) or not attended; a correction voids the statement recorded before."""

from datetime import timedelta

import isodate
import pytest
from tutorial_support import GROUP_ACTIVITY, INDIVIDUAL_ACTIVITY, iso, london_at, next_weekday

from lms.catalogue.iris import activity_iri
from lms.catalogue.models import Activity
from lms.timeutil import utcnow
from lms.tutorials.models import TutorialSession

pytest_plugins = ["tutorial_fixtures"]

TUESDAY = 1
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
HOURS = {GROUP_ACTIVITY: 2.0, INDIVIDUAL_ACTIVITY: 1.0}


def book_group(client, auth, learner, session):
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201 and response.get_json()["status"] == "booked"
    return response.get_json()


def book_individual(client, auth, tutor, learner):
    """An individual tutorial with the learner's tutor, next Tuesday at 10:00."""
    response = client.put(f"/api/v1/tutors/{tutor.public_id}/availability", headers=auth(tutor),
                          json={"windows": [{"weekday": "tuesday", "starts": "10:00",
                                             "ends": "13:00"}]})
    assert response.status_code == 200, response.get_json()
    response = client.post("/api/v1/tutorials/individual", headers=auth(learner), json={
        "activity": INDIVIDUAL_ACTIVITY, "starts_at": iso(london_at(next_weekday(TUESDAY), 10))})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def into_the_past(db, session_id, hours_ago=2):
    """The session began `hours_ago` hours ago and lasted an hour (set in the database, as
    the API books only ahead)."""
    session = db.session.get(TutorialSession, session_id)
    session.starts_at = utcnow() - timedelta(hours=hours_ago)
    session.ends_at = session.starts_at + timedelta(hours=1)
    db.session.commit()


def mark(client, headers, booking_id, **body):
    return client.post(f"/api/v1/tutorials/bookings/{booking_id}/attendance", json=body,
                       headers=headers)


def progress(client, auth, learner, slug):
    """(the activity's entry, unit 1's guided hours) in the learner's progress."""
    body = client.get(f"/api/v1/enrolments/{learner.enrolment.id}/progress",
                      headers=auth(learner)).get_json()
    unit = body["units"][0]
    [entry] = [a for a in unit["activities"] if a["slug"] == slug]
    return entry, unit["guided_hours"]


def attended_statements(client, lrs_headers, learner):
    """The live (not voided) `attended` statements of the learner's registration. (The
    query also returns statements voiding one that matches, as xAPI says it must.)"""
    response = client.get("/xapi/statements", headers=lrs_headers(), query_string={
        "registration": learner.enrolment.registration, "verb": ATTENDED})
    assert response.status_code == 200, response.get_json()
    return [s for s in response.get_json()["statements"] if s["verb"]["id"] == ATTENDED]


def statement_by_id(client, lrs_headers, statement_id, voided=False):
    key = "voidedStatementId" if voided else "statementId"
    return client.get("/xapi/statements", headers=lrs_headers(),
                      query_string={key: statement_id})


def iri_of(db, slug):
    return activity_iri(db.session.execute(
        db.select(Activity).where(Activity.slug == slug)).scalar_one())


@pytest.fixture
def group_booking(client, auth, learner, create_session):
    """The learner's place in a group session booked ahead, the session since begun."""
    session = create_session(london_at(next_weekday(TUESDAY), 10))
    return book_group(client, auth, learner, session)


# ---- attended: the statement and the progress ------------------------------------------------


@pytest.mark.parametrize("slug", [GROUP_ACTIVITY, INDIVIDUAL_ACTIVITY])
def test_the_tutor_marks_attended_and_the_learner_is_credited(
        client, auth, db, lrs_headers, tutor, learner, create_session, slug):
    if slug == GROUP_ACTIVITY:
        session = create_session(london_at(next_weekday(TUESDAY), 10))
        booking = book_group(client, auth, learner, session)
    else:
        booking = book_individual(client, auth, tutor, learner)
    entry, guided_before = progress(client, auth, learner, slug)
    assert entry["status"] == "not-started"
    into_the_past(db, booking["session"]["id"])

    response = mark(client, auth(tutor), booking["id"], attended=True, minutes=55)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "attended"
    assert body["attendance"]["attended"] is True and body["attendance"]["minutes"] == 55
    assert body["attendance"]["marked_by"]["id"] == tutor.public_id
    [statement] = attended_statements(client, lrs_headers, learner)
    assert statement["id"] == body["attendance"]["statement"]
    assert isodate.parse_duration(statement["result"]["duration"]) == timedelta(minutes=55)
    assert statement["result"]["completion"] is True
    assert statement["object"]["id"] == iri_of(db, slug)
    assert statement["actor"]["account"]["name"] == learner.public_id
    assert statement["context"]["instructor"]["account"]["name"] == tutor.public_id
    assert statement["context"]["registration"] == learner.enrolment.registration
    entry, guided_after = progress(client, auth, learner, slug)
    assert entry["status"] == "completed" and entry["time_spent"] == "PT55M"
    assert guided_after == guided_before + HOURS[slug]


def test_minutes_default_to_the_whole_session(client, auth, db, lrs_headers, tutor, learner,
                                              group_booking):
    into_the_past(db, group_booking["session"]["id"])
    response = mark(client, auth(tutor), group_booking["id"], attended=True)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["attendance"]["minutes"] == 60
    [statement] = attended_statements(client, lrs_headers, learner)
    assert isodate.parse_duration(statement["result"]["duration"]) == timedelta(minutes=60)


# ---- refusals --------------------------------------------------------------------------------


def test_marking_before_the_session_starts_is_refused(client, auth, lrs_headers, tutor,
                                                      learner, group_booking):
    response = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=55)
    assert response.status_code == 409, response.get_json()
    assert "not started" in response.get_json()["detail"]
    after = client.get(f"/api/v1/tutorials/bookings/{group_booking['id']}",
                       headers=auth(learner)).get_json()
    assert after["status"] == "booked" and after["attendance"] is None
    assert attended_statements(client, lrs_headers, learner) == []


def test_only_the_sessions_tutor_marks_attendance(client, auth, db, lrs_headers, make_user,
                                                  learner, group_booking):
    into_the_past(db, group_booking["session"]["id"])
    by_learner = mark(client, auth(learner), group_booking["id"], attended=True, minutes=55)
    assert by_learner.status_code == 403
    other_tutor = make_user("tutor")
    by_other = mark(client, auth(other_tutor), group_booking["id"], attended=True, minutes=55)
    assert by_other.status_code in (403, 404)
    bulk = client.post(f"/api/v1/tutorials/sessions/{group_booking['session']['id']}/attendance",
                       headers=auth(other_tutor),
                       json={"marks": [{"booking": group_booking["id"], "attended": True}]})
    assert bulk.status_code in (403, 404)
    after = client.get(f"/api/v1/tutorials/bookings/{group_booking['id']}",
                       headers=auth(learner)).get_json()
    assert after["status"] == "booked" and after["attendance"] is None
    assert attended_statements(client, lrs_headers, learner) == []
    entry, _ = progress(client, auth, learner, GROUP_ACTIVITY)
    assert entry["status"] == "not-started"


def test_a_learner_without_a_place_cannot_be_marked(client, auth, db, lrs_headers, tutor,
                                                   learner, learners, create_session):
    session = create_session(london_at(next_weekday(TUESDAY), 10), capacity=1)
    book_group(client, auth, learner, session)
    [waiting] = learners(1)
    waitlisted = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                             headers=auth(waiting)).get_json()
    assert waitlisted["status"] == "waitlisted"
    into_the_past(db, session["id"])
    response = mark(client, auth(tutor), waitlisted["id"], attended=True)
    assert response.status_code == 409
    assert "waitlisted" in response.get_json()["detail"]
    assert attended_statements(client, lrs_headers, waiting) == []


def test_minutes_are_refused_for_a_learner_who_did_not_attend(client, auth, db, tutor,
                                                              group_booking):
    into_the_past(db, group_booking["session"]["id"])
    response = mark(client, auth(tutor), group_booking["id"], attended=False, minutes=30)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "minutes"


# ---- corrections -----------------------------------------------------------------------------


def test_no_show_after_attended_voids_the_statement(client, auth, db, lrs_headers, tutor,
                                                    learner, group_booking):
    into_the_past(db, group_booking["session"]["id"])
    _, guided_before = progress(client, auth, learner, GROUP_ACTIVITY)
    first = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=55)
    statement_id = first.get_json()["attendance"]["statement"]

    response = mark(client, auth(tutor), group_booking["id"], attended=False)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "no_show" and body["attendance"]["attended"] is False
    assert body["attendance"]["statement"] is None
    assert attended_statements(client, lrs_headers, learner) == []
    assert statement_by_id(client, lrs_headers, statement_id).status_code == 404
    voided = statement_by_id(client, lrs_headers, statement_id, voided=True)
    assert voided.status_code == 200 and voided.get_json()["id"] == statement_id
    voiding = client.get("/xapi/statements", headers=lrs_headers(),
                         query_string={"verb": VOIDED}).get_json()["statements"]
    assert [s["object"]["id"] for s in voiding] == [statement_id]
    entry, guided_after = progress(client, auth, learner, GROUP_ACTIVITY)
    assert entry["status"] != "completed" and entry["complete"] is False
    assert guided_after == guided_before


def test_changing_the_minutes_replaces_the_statement(client, auth, db, lrs_headers, tutor,
                                                     learner, group_booking):
    into_the_past(db, group_booking["session"]["id"])
    first = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=55)
    first_id = first.get_json()["attendance"]["statement"]
    second = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=40)
    assert second.status_code == 200, second.get_json()
    [statement] = attended_statements(client, lrs_headers, learner)
    assert statement["id"] == second.get_json()["attendance"]["statement"] != first_id
    assert isodate.parse_duration(statement["result"]["duration"]) == timedelta(minutes=40)
    assert statement_by_id(client, lrs_headers, first_id, voided=True).status_code == 200
    entry, _ = progress(client, auth, learner, GROUP_ACTIVITY)
    assert entry["status"] == "completed" and entry["time_spent"] == "PT40M"


def test_marking_the_same_again_changes_nothing(client, auth, db, lrs_headers, tutor, learner,
                                                group_booking):
    into_the_past(db, group_booking["session"]["id"])
    first = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=55).get_json()
    again = mark(client, auth(tutor), group_booking["id"], attended=True, minutes=55)

    assert again.status_code == 200
    assert again.get_json()["attendance"] == first["attendance"]
    [statement] = attended_statements(client, lrs_headers, learner)
    assert statement["id"] == first["attendance"]["statement"]
    all_statements = client.get("/xapi/statements", headers=lrs_headers()).get_json()
    assert len(all_statements["statements"]) == 1
    history = client.get(f"/api/v1/tutorials/bookings/{group_booking['id']}/history",
                         headers=auth(tutor)).get_json()
    assert [c["action"] for c in history].count("attended") == 1


# ---- several at once -------------------------------------------------------------------------


def session_attendance(client, headers, session_id, marks):
    return client.post(f"/api/v1/tutorials/sessions/{session_id}/attendance",
                       json={"marks": marks}, headers=headers)


def test_the_tutor_marks_a_whole_session_at_once(client, auth, db, lrs_headers, tutor, learner,
                                                 learners, create_session):
    session = create_session(london_at(next_weekday(TUESDAY), 10))
    present, short, absent = [learner, *learners(2)]
    booked = {who.id: book_group(client, auth, who, session)["id"]
              for who in (present, short, absent)}
    into_the_past(db, session["id"])

    response = session_attendance(client, auth(tutor), session["id"], [
        {"booking": booked[present.id], "attended": True},
        {"booking": booked[short.id], "attended": True, "minutes": 30},
        {"booking": booked[absent.id], "attended": False}])

    assert response.status_code == 200, response.get_json()
    by_id = {b["id"]: b for b in response.get_json()}
    assert [(by_id[booked[w.id]]["status"], by_id[booked[w.id]]["attendance"]["minutes"])
            for w in (present, short, absent)] == [("attended", 60), ("attended", 30),
                                                   ("no_show", None)]
    for who, minutes in ((present, 60), (short, 30)):
        [statement] = attended_statements(client, lrs_headers, who)
        assert isodate.parse_duration(statement["result"]["duration"]) == \
            timedelta(minutes=minutes)
        assert progress(client, auth, who, GROUP_ACTIVITY)[0]["status"] == "completed"
    assert attended_statements(client, lrs_headers, absent) == []
    assert progress(client, auth, absent, GROUP_ACTIVITY)[0]["status"] == "not-started"


def test_a_booking_of_another_session_refuses_the_whole_list(client, auth, db, lrs_headers,
                                                             tutor, learner, learners,
                                                             create_session):
    day = next_weekday(TUESDAY)
    this, other = create_session(london_at(day, 10)), create_session(london_at(day, 14))
    [classmate] = learners(1)
    mine = book_group(client, auth, learner, this)
    theirs = book_group(client, auth, classmate, other)
    into_the_past(db, this["id"], hours_ago=6)
    into_the_past(db, other["id"], hours_ago=2)

    response = session_attendance(client, auth(tutor), this["id"], [
        {"booking": mine["id"], "attended": True, "minutes": 55},
        {"booking": theirs["id"], "attended": True, "minutes": 55}])

    assert response.status_code == 422, response.get_json()
    [error] = response.get_json()["errors"]
    assert error["field"] == "marks.1.booking"
    for who, booking in ((learner, mine), (classmate, theirs)):
        after = client.get(f"/api/v1/tutorials/bookings/{booking['id']}",
                           headers=auth(who)).get_json()
        assert after["status"] == "booked" and after["attendance"] is None
        assert attended_statements(client, lrs_headers, who) == []
    history = client.get(f"/api/v1/tutorials/sessions/{this['id']}/history",
                         headers=auth(tutor)).get_json()
    assert "attended" not in [c["action"] for c in history]
