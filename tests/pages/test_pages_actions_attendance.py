"""Recording a learner's attendance at a guided activity held outside Pathway, from their
record: the form does what `POST /api/v1/enrolments/<id>/attendance` does (the activity
completes and its guided hours count, checked through the API), offers only the activities
attendance completes, shows refusals next to the fields (recording nothing), and only the
learner's tutor or an administrator may."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from actions_pages_support import api
from admin_pages_support import field_error, post_form, sign_in, text_of

from lms.extensions import db
from lms.people.operations import create_token
from lms.timeutil import london

pytest_plugins = ["actions_fixtures"]


def page_url(enrolment) -> str:
    return f"/learners/{enrolment.id}/window-and-attendance"


def attend(client, enrolment, activity, minutes, when=""):
    return post_form(client, page_url(enrolment), f"/learners/{enrolment.id}/attendance",
                     {"attend-activity": activity, "attend-minutes": str(minutes),
                      "attend-attended_at": when}, prefix="attend")


def progress(app, who, enrolment) -> dict:
    """The enrolment's progress as the API shows it to `who` (a program with their token)."""
    _, secret = create_token(who, "test")
    db.session.commit()
    return api(app, "GET", f"/api/v1/enrolments/{enrolment.id}/progress", secret).json


def entry(body: dict, slug: str) -> dict:
    return next(a for u in body["units"] for a in u["activities"] if a["slug"] == slug)


def test_the_choice_is_the_guided_activities_attendance_completes(client, people, by_type):
    sign_in(client, people.tess)
    html = client.get(page_url(people.enrolment)).get_data(as_text=True)
    assert '<label for="attend-activity">Guided activity</label>' in html
    assert '<label for="attend-minutes">Minutes attended</label>' in html
    assert '<label for="attend-attended_at">When it started</label>' in html
    offered = set(re.findall(r'<option value="([^"]+)"', html))
    guided = {a.slug for a in by_type("webinar") + by_type("tutorial") if a.learning == "guided"}
    assert guided and offered == guided
    recorded = {a.slug for a in by_type("webinar") if a.learning == "self-study"}
    assert recorded and not recorded & offered  # recorded webinars are self-study
    for kind in ("reading", "film", "interactive", "assessment"):
        assert not {a.slug for a in by_type(kind)} & offered, kind
    assert '<optgroup label="Unit 1: ' in html


def test_recording_attendance_completes_the_activity_as_the_api_shows(app, client, people,
                                                                      by_type):
    webinar = by_type("webinar")[0]
    sign_in(client, people.tess)
    response = attend(client, people.enrolment, webinar.slug, 110)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/learners/{people.enrolment.id}")

    body = progress(app, people.ada, people.enrolment)
    found = entry(body, webinar.slug)
    assert found["status"] == "completed" and found["time_spent"] == "PT1H50M"
    assert body["hours"]["guided"] == float(webinar.hours)

    record = client.get(f"/learners/{people.enrolment.id}")
    assert (f"Attendance recorded: Ada Ashworth attended '{webinar.title}' for 110 minutes."
            in text_of(record))


def test_the_time_given_is_london_time(app, client, people, by_type):
    webinar = by_type("webinar")[0]
    started = (datetime.now(UTC) - timedelta(days=3)).replace(second=0, microsecond=0)
    local = london(started).strftime("%Y-%m-%dT%H:%M")
    sign_in(client, people.tess)
    assert attend(client, people.enrolment, webinar.slug, 60, local).status_code == 302
    found = entry(progress(app, people.ada, people.enrolment), webinar.slug)
    assert datetime.fromisoformat(found["last_at"]).astimezone(UTC) == started


def test_an_administrator_may_record_for_anyone(app, client, people, by_type):
    tutorial = by_type("tutorial")[0]
    sign_in(client, people.adele)
    assert attend(client, people.other, tutorial.slug, 45).status_code == 302
    found = entry(progress(app, people.olive, people.other), tutorial.slug)
    assert found["status"] == "completed"


@pytest.mark.parametrize("activity, minutes, when, field, message", [
    ("READING", 30, "", "attend-activity", "is self-study; attendance is recorded for guided"),
    ("no-such-activity", 30, "", "attend-activity", "There is no activity 'no-such-activity'"),
    ("", 30, "", "attend-activity", "Choose the activity they attended."),
    ("WEBINAR", 0, "", "attend-minutes", "From 1 to 600."),
    ("WEBINAR", 601, "", "attend-minutes", "From 1 to 600."),
    ("WEBINAR", "an hour", "", "attend-minutes", "Enter a whole number."),
    ("WEBINAR", "", "", "attend-minutes", "Say how many minutes they attended."),
    ("WEBINAR", 30, "2999-01-01T10:00", "attend-attended_at", "Must not be in the future"),
    ("WEBINAR", 30, "yesterday", "attend-attended_at", "Not a valid datetime value."),
    ("WEBINAR", 30, "2026-03-29T01:30", "attend-attended_at", "That time does not exist"),
])
def test_refusals_are_shown_next_to_the_field_and_record_nothing(app, client, people, by_type,
                                                                 activity, minutes, when,
                                                                 field, message):
    slugs = {"READING": by_type("reading")[0].slug, "WEBINAR": by_type("webinar")[0].slug}
    sign_in(client, people.tess)
    response = attend(client, people.enrolment, slugs.get(activity, activity), minutes, when)
    assert response.status_code == 422
    assert message in field_error(response, field)
    html = response.get_data(as_text=True)
    assert re.search(rf'aria-describedby="(?:{field}-hint )?{field}-error"', html)
    assert progress(app, people.ada, people.enrolment)["hours"]["total"] == 0.0


def test_another_tutors_learner_is_not_found_and_nothing_is_recorded(app, client, people,
                                                                    by_type):
    webinar = by_type("webinar")[0]
    sign_in(client, people.tess)
    page = client.get(page_url(people.enrolment)).get_data(as_text=True)
    token = re.search(r'name="attend-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(f"/learners/{people.other.id}/attendance", data={
        "attend-activity": webinar.slug, "attend-minutes": "60", "attend-csrf_token": token})
    assert response.status_code == 404
    assert progress(app, people.olive, people.other)["hours"]["total"] == 0.0


def test_a_learner_may_not_record_their_own_attendance(app, client, people, by_type):
    sign_in(client, people.ada)
    assert client.get(page_url(people.enrolment)).status_code == 403
    # a valid CSRF token of their session, from their own account page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/account").get_data(as_text=True)).group(1)
    response = client.post(f"/learners/{people.enrolment.id}/attendance", data={
        "attend-activity": by_type("webinar")[0].slug, "attend-minutes": "60",
        "csrf_token": token})
    assert response.status_code == 403
    assert progress(app, people.ada, people.enrolment)["hours"]["total"] == 0.0


def test_a_post_without_the_csrf_token_is_refused(app, client, people, by_type):
    sign_in(client, people.tess)
    response = client.post(f"/learners/{people.enrolment.id}/attendance", data={
        "attend-activity": by_type("webinar")[0].slug, "attend-minutes": "60"})
    assert response.status_code == 400
    assert progress(app, people.ada, people.enrolment)["hours"]["total"] == 0.0

