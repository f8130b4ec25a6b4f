"""The cmi5 type's progress hooks (what each statement means, when the course is complete)
and its course page's statuses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cmi5_core_support import COMPLETED, FAILED, SLUG, sign_in

from activities import base
from activities.base import LAUNCHED, LEFT, PROGRESSED, STARTED, Event
from activities.cmi5 import Cmi5

DONE = base.COMPLETED  # COMPLETED (of the support module) is an AU's statement

pytest_plugins = ["cmi5_core_fixtures"]

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"
COURSE = "https://w3id.org/xapi/cmi5/activitytype/course"
BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("verb", "object_type", "duration", "kind", "seconds"), [
    (W3ID + "satisfied", COURSE, None, DONE, 0),
    (W3ID + "satisfied", BLOCK, None, PROGRESSED, 0),
    (ADL + "launched", None, None, LAUNCHED, 0),
    (ADL + "initialized", None, None, STARTED, 0),
    (ADL + "completed", None, "PT5M", PROGRESSED, 0),   # an AU's completion is not the course's
    (ADL + "passed", None, "PT5M", PROGRESSED, 0),
    (ADL + "failed", None, "PT5M", PROGRESSED, 0),
    (W3ID + "waived", None, None, PROGRESSED, 0),
    (ADL + "terminated", None, "PT10M", LEFT, 600),
    (W3ID + "abandoned", None, "PT0H30M0S", LEFT, 1800),
    (ADL + "experienced", None, "PT1M", PROGRESSED, 0),
])
def test_what_statements_mean(verb, object_type, duration, kind, seconds):
    statement = {"verb": {"id": verb}, "object": {"id": "http://x.org/a"}}
    if object_type:
        statement["object"]["definition"] = {"type": object_type}
    if duration:
        statement["result"] = {"duration": duration}
    meaning = Cmi5().interpret(statement)
    assert (meaning.kind, meaning.seconds) == (kind, seconds)


def event(kind, minutes, trusted):
    return Event(str(uuid.uuid4()), kind, T0 + timedelta(minutes=minutes), trusted)


@pytest.mark.parametrize(("events", "status", "completed_minute"), [
    ([], "not-started", None),
    ([(STARTED, False), (LEFT, False)], "started", None),
    ([(STARTED, False), (DONE, False)], "started", None),  # a forged satisfied counts for nothing
    ([(STARTED, False), (DONE, True)], "completed", 1),
    ([(DONE, True), (DONE, True)], "completed", 0),
])
def test_the_course_is_complete_when_pathway_records_it_satisfied(events, status,
                                                                  completed_minute):
    completion = Cmi5().completion({}, [event(k, m, t) for m, (k, t) in enumerate(events)])
    assert completion.status == status
    assert completion.completed_at == (None if completed_minute is None
                                       else T0 + timedelta(minutes=completed_minute))


def test_the_type():
    assert Cmi5.name == "cmi5" and Cmi5.package_kinds == ("cmi5",)
    assert Cmi5.trusted_completion_only is True
    assert Cmi5.player_template == "cmi5/course.html"
    assert Cmi5.tracks_in_browser is False  # each AU gets its own token at fetch


def test_the_course_page_shows_each_aus_status(client, launched_au, enrolment, learner):
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED)
    check = launched_au(1)
    check.run("initialized", FAILED)
    sign_in(client, learner)
    html = client.get(f"/learn/{enrolment.id}/{SLUG}/player").get_data(as_text=True)
    transcript_part, check_part = html.split("The check", 1)
    assert "Completed" in transcript_part and "Satisfied" in transcript_part
    assert 'value="Review"' in transcript_part
    assert "Failed" in check_part and 'value="Browse"' in check_part
    assert "You have met every requirement" not in html


def test_the_course_page_before_any_upload(client, enrolment, learner):
    sign_in(client, learner)
    page = client.get(f"/learn/{enrolment.id}/{SLUG}/player")
    assert page.status_code == 200
    assert "has not been uploaded yet" in page.get_data(as_text=True)
