"""The tutors' tutorial pages: the availability editor (/tutor/availability: weekly windows,
slot length and gap, days away) and the week view (/tutor/week: who is booked, creating group
sessions, cancelling, marking attendance that the learner's progress then shows)."""

from datetime import timedelta

import pytest
from tutorial_pages_support import (
    GROUP_ACTIVITY,
    NEXT_TUESDAY,
    TUESDAY,
    WEDNESDAY,
    flashes,
    london_at,
    submit,
    text_of,
)

from lms.timeutil import utcnow
from lms.tutorials.models import TutorialSession

pytest_plugins = ["tutorial_pages_fixtures"]
pytestmark = pytest.mark.usefixtures("tp_clock")

AVAILABILITY = "/tutor/availability"
WEEK = "/tutor/week"


def slots_seen_by(client, auth, learner, tutor, day) -> list[str]:
    """The tutor's free slots on `day` as the learner reads them through the API."""
    response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots", headers=auth(learner),
                          query_string={"from": day.isoformat(), "to": day.isoformat()})
    assert response.status_code == 200, response.get_json()
    return [slot["starts_local"] for slot in response.get_json()["slots"]]


def windows(*rows, slot="60", buffer="15") -> dict:
    """The availability form's fields for these (weekday, starts, ends) rows."""
    data = {"rows": str(len(rows)), "slot_minutes": slot, "buffer_minutes": buffer,
            "action": "save"}
    for i, (weekday, starts, ends) in enumerate(rows):
        data |= {f"windows-{i}-weekday": weekday, f"windows-{i}-starts": starts,
                 f"windows-{i}-ends": ends}
    return data


def test_a_tutor_edits_availability_and_the_slots_change(client, auth, tp_browser, tp_tutor,
                                                         tp_learner):
    page = tp_browser(tp_tutor)
    shown = page.get(AVAILABILITY)
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert '<label for="windows-0-weekday">Day' in html and "Window 1" in html
    assert "Window 2" not in html
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY) == []

    response = submit(page, AVAILABILITY, AVAILABILITY,
                      windows(("tuesday", "10:00", "12:30"), ("thursday", "", "")))

    assert flashes(response) == [("success", "Your availability is saved: 1 weekly window, "
                                  "60-minute tutorials with 15 minutes between them.")]
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY) == [
        "Tuesday 1 December 2026, 10:00", "Tuesday 1 December 2026, 11:15"]
    text = text_of(response)
    assert "Tuesday 1 December 2026: 10:00 to 11:00, 11:15 to 12:15" in text

    # Longer tutorials with no gap: the slots follow.
    response = submit(page, AVAILABILITY, AVAILABILITY,
                      windows(("tuesday", "10:00", "12:30"), slot="90", buffer="0"))
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY) == [
        "Tuesday 1 December 2026, 10:00"]
    assert "90-minute tutorials with 0 minutes between them" in flashes(response)[0][1]


def test_add_a_window_shows_one_more_row_without_saving(client, auth, tp_browser, tp_tutor,
                                                        tp_learner):
    page = tp_browser(tp_tutor)
    response = submit(page, AVAILABILITY, AVAILABILITY,
                      windows(("wednesday", "09:00", "11:00")) | {"action": "add"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Window 2" in html and '<input type="hidden" name="rows" value="2">' in html
    assert '<option value="wednesday" selected>Wednesday</option>' in html
    assert 'name="windows-0-starts" value="09:00"' in html
    assert 'name="windows-1-starts" value=""' in html
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, WEDNESDAY) == []  # not saved


def test_refused_availability_is_shown_next_to_the_rows(client, auth, tp_browser, tp_tutor,
                                                        tp_learner, tp_set_availability):
    tp_set_availability(("tuesday", "10:00", "13:00"))
    page = tp_browser(tp_tutor)
    token_page = page.get(AVAILABILITY)
    assert 'value="10:00"' in token_page.get_data(as_text=True)  # the saved window

    response = submit(page, AVAILABILITY, AVAILABILITY, windows(
        ("tuesday", "10:00", "12:00"), ("monday", "", ""), ("tuesday", "11:00", "14:00")))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="windows-2-error" role="alert">Window 3: overlaps window 1 on ' \
           'the same day</p>' in html
    assert 'aria-invalid="true" aria-describedby="windows-2-error"' in html
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY)[-1] == \
        "Tuesday 1 December 2026, 11:15"  # unchanged

    response = submit(page, AVAILABILITY, AVAILABILITY,
                      windows(("tuesday", "12:00", "10:00"), slot="5"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="windows-0-ends-error">must be after starts</p>' in html
    assert 'id="slot_minutes-error">Must be greater than or equal to 15 and less than or ' \
           'equal to 240.</p>' in html


def test_days_away_are_added_and_removed(client, auth, tp_browser, tp_tutor, tp_learner,
                                         tp_set_availability):
    tp_set_availability(("tuesday", "10:00", "13:00"))
    page = tp_browser(tp_tutor)

    response = submit(page, AVAILABILITY, "/tutor/availability/exceptions", {
        "first_day": TUESDAY.isoformat(), "starts": "10:00", "ends": "11:00",
        "reason": "Team meeting"})

    assert flashes(response) == [("success", "Added: away on Tuesday 1 December 2026, 10:00 "
                                  "to 11:00.")]
    assert "Team meeting" in text_of(response)
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY) == [
        "Tuesday 1 December 2026, 11:15"]
    response = submit(page, AVAILABILITY, "/tutor/availability/exceptions", {
        "first_day": NEXT_TUESDAY.isoformat(), "last_day": (NEXT_TUESDAY + timedelta(days=3))
        .isoformat(), "reason": "Leave"})
    assert "Added: away from Tuesday 8 December 2026 to Friday 11 December 2026." in \
        flashes(response)[0][1]
    assert slots_seen_by(client, auth, tp_learner, tp_tutor, NEXT_TUESDAY) == []

    exception = client.get(f"/api/v1/tutors/{tp_tutor.public_id}/availability/exceptions",
                           headers=auth(tp_tutor)).get_json()[0]
    response = submit(page, AVAILABILITY,
                      f"/tutor/availability/exceptions/{exception['id']}/remove")
    assert flashes(response)[0][1].startswith("Removed: away on Tuesday 1 December 2026")
    assert len(slots_seen_by(client, auth, tp_learner, tp_tutor, TUESDAY)) == 2

    response = submit(page, AVAILABILITY, "/tutor/availability/exceptions",
                      {"first_day": "", "starts": "10:00"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="exception-first_day-error">Missing data for required field.</p>' in html
    assert 'aria-describedby="exception-first_day-error"' in html


def test_a_tutor_creates_a_weekly_series_from_the_week_page(client, auth, tp_browser,
                                                            tp_tutor, tp_learner):
    page = tp_browser(tp_tutor)
    shown = text_of(page.get(WEEK))
    assert "Your tutorials, week of Monday 23 November 2026" in shown
    assert "Group tutorial: Restrictions we see in our services" in shown  # the select

    response = submit(page, WEEK, "/tutor/sessions", {
        "activity": GROUP_ACTIVITY, "date": WEDNESDAY.isoformat(), "starts": "18:30",
        "ends": "20:00", "capacity": "6", "meeting_url": "https://meet.pathway.example/w",
        "description": "Bring one example.", "weeks": "3"})

    assert flashes(response) == [("success", "Created: Group tutorial: Restrictions we see in "
                                  "our services, Wednesday 2 December 2026, 18:30, and weekly "
                                  "after it (3 sessions).")]
    text = text_of(response)
    assert "Your tutorials, week of Monday 30 November 2026" in text
    assert "18:30 to 20:00: Group tutorial: Restrictions we see in our services" in text
    assert "0 of 6 places taken." in text
    listed = client.get("/api/v1/tutorials/sessions", headers=auth(tp_learner)).get_json()
    assert [s["starts_local"] for s in listed] == [
        "Wednesday 2 December 2026, 18:30", "Wednesday 9 December 2026, 18:30",
        "Wednesday 16 December 2026, 18:30"]
    assert {s["capacity"] for s in listed} == {6}
    assert listed[0]["description"] == "Bring one example."


def test_a_refused_session_is_shown_next_to_its_fields(client, auth, tp_browser, tp_tutor,
                                                       tp_create_session):
    tp_create_session(london_at(WEDNESDAY, 18, 0))
    page = tp_browser(tp_tutor)
    fields = {"activity": GROUP_ACTIVITY, "date": WEDNESDAY.isoformat(), "starts": "19:00",
              "ends": "18:00", "capacity": "6", "weeks": "1"}

    response = submit(page, WEEK, "/tutor/sessions", fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="session-ends-error">must be after starts_at</p>' in html
    assert 'id="session-starts" name="starts" value="19:00"' in html  # kept as typed

    response = submit(page, WEEK, "/tutor/sessions", fields | {"ends": "20:00",
                                                                "capacity": "0"})
    assert 'id="session-capacity-error">Must be greater than or equal to 1' in \
        response.get_data(as_text=True)

    response = submit(page, WEEK, "/tutor/sessions", fields | {"starts": "18:30",
                                                                "ends": "19:30"})
    assert response.status_code == 422
    assert "'Group tutorial: Restrictions we see in our services' from Wednesday 2 December " \
           "2026, 18:00 to 19:00 (session 1); a tutor is never double-booked." in \
           text_of(response)
    assert client.get("/api/v1/tutorials/sessions", headers=auth(tp_tutor)).get_json()[0][
        "starts_local"] == "Wednesday 2 December 2026, 18:00"


def test_the_week_shows_who_is_booked_and_the_waitlist(client, auth, tp_browser, tp_tutor,
                                                       tp_learner, tp_learners,
                                                       tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30), capacity=1)
    [waiting] = tp_learners(1)
    for learner in (tp_learner, waiting):
        client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                    headers=auth(learner))
    page = tp_browser(tp_tutor)

    text = text_of(page.get(f"{WEEK}?start={WEDNESDAY.isoformat()}"))

    assert "Your tutorials, week of Monday 30 November 2026" in text
    assert "Wednesday 2 December 2026 18:30 to 19:30" in text
    assert "1 of 1 place taken; 1 on the waitlist." in text
    assert "Booked Lee Learner" in text and waiting.name not in text
    assert "Monday 30 November 2026 No tutorials." in text
    html = page.get(f"{WEEK}?start={WEDNESDAY.isoformat()}").get_data(as_text=True)
    assert 'href="/tutor/week?start=2026-11-23">Previous week' in html
    assert 'href="/tutor/week?start=2026-12-07">Next week' in html
    assert "No tutorials." in text_of(page.get(f"{WEEK}?start=2026-12-07"))


def test_a_tutor_cancels_a_session_with_a_reason(client, auth, tp_browser, tp_tutor,
                                                 tp_learner, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                headers=auth(tp_learner))
    page = tp_browser(tp_tutor)
    url = f"{WEEK}?start={WEDNESDAY.isoformat()}"

    response = submit(page, url, f"/tutor/sessions/{session['id']}/cancel",
                      {"reason": "  ", "week": "2026-11-30"})
    assert flashes(response) == [("error", "Give a reason for cancelling: everyone booked is "
                                  "told it.")]
    assert "Your tutorials, week of Monday 30 November 2026" in text_of(response)

    response = submit(page, url, f"/tutor/sessions/{session['id']}/cancel",
                      {"reason": "I am unwell", "week": "2026-11-30"})

    assert flashes(response) == [("success", "Cancelled: Group tutorial: Restrictions we see "
                                  "in our services, Wednesday 2 December 2026, 18:30. Everyone "
                                  "booked or waiting has been told.")]
    assert "Reason given: I am unwell" in text_of(response)
    [booking] = client.get("/api/v1/tutorials/bookings", headers=auth(tp_learner)
                           ).get_json()["items"]
    assert booking["status"] == "cancelled" and booking["cancel_reason"] == "I am unwell"


def test_a_tutor_marks_attendance_and_the_learners_progress_shows_it(
        client, auth, db, tp_browser, tp_tutor, tp_learner, tp_learners, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30), minutes=120)
    [absent] = tp_learners(1)
    places = [client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                          headers=auth(learner)).get_json() for learner in (tp_learner, absent)]
    held = db.session.get(TutorialSession, session["id"])  # it took place this morning
    held.starts_at = utcnow() - timedelta(hours=3)
    held.ends_at = held.starts_at + timedelta(hours=2)
    db.session.commit()
    page = tp_browser(tp_tutor)
    html = page.get(WEEK).get_data(as_text=True)
    assert f'id="minutes-{places[0]["id"]}" name="minutes-{places[0]["id"]}" min="1" ' \
           'max="600" value="120"' in html
    assert "Cancel this session" not in html

    response = submit(page, WEEK, f"/tutor/sessions/{session['id']}/attendance", {
        f"attended-{places[0]['id']}": "yes", f"minutes-{places[0]['id']}": "110",
        f"attended-{places[1]['id']}": "no", f"minutes-{places[1]['id']}": "120"})

    assert flashes(response) == [("success", "Attendance saved for Group tutorial: "
                                  "Restrictions we see in our services: 1 attended, 1 did not "
                                  "attend.")]
    text = text_of(response)
    assert "Attended, 110 min" in text and "Did not attend" in text
    progress = client.get(f"/api/v1/enrolments/{tp_learner.enrolment.id}/progress",
                          headers=auth(tp_learner)).get_json()
    [entry] = [a for a in progress["units"][0]["activities"] if a["slug"] == GROUP_ACTIVITY]
    assert entry["status"] == "completed" and entry["time_spent"] == "PT1H50M"
    statuses = {b["id"]: b["status"] for b in client.get(
        "/api/v1/tutorials/bookings", headers=auth(tp_tutor)).get_json()["items"]}
    assert statuses == {places[0]["id"]: "attended", places[1]["id"]: "no_show"}

    # Nothing chosen, or too many minutes: a message, nothing changes.
    response = submit(page, WEEK, f"/tutor/sessions/{session['id']}/attendance", {})
    assert flashes(response) == [("error", "Choose Attended or Did not attend for at least "
                                  "one learner.")]
    response = submit(page, WEEK, f"/tutor/sessions/{session['id']}/attendance", {
        f"attended-{places[1]['id']}": "yes", f"minutes-{places[1]['id']}": "500"})
    assert flashes(response) == [("error", "minutes: 500 is far longer than the session (120 "
                                  "minutes)")]


def test_tutor_pages_are_for_tutors_and_their_forms_need_the_csrf_token(
        client, tp_browser, tp_tutor, tp_learner):
    learner_page = tp_browser(tp_learner)
    assert learner_page.get(WEEK).status_code == 403
    assert learner_page.get(AVAILABILITY).status_code == 403
    assert client.get(WEEK).status_code == 302  # to sign in

    page = tp_browser(tp_tutor)
    page.get(AVAILABILITY)
    response = page.post(AVAILABILITY, data=windows(("tuesday", "10:00", "12:00")))
    assert response.status_code == 400
    assert "Window 1" in text_of(page.get(AVAILABILITY))
    assert 'value="10:00"' not in page.get(AVAILABILITY).get_data(as_text=True)
