"""Only a decision completes a practice assessment: the type's completion rule (trusted
`passed`/`failed` only, the latest standing), a trusted `completed` or `attended` leaving it
started through the progress API, and attendance refused for an assessed activity."""

from datetime import UTC, datetime, timedelta

import pytest
from assessment_support import ASSESSMENT, activity, problem
from tincan import Result

from activities.base import (
    ATTENDED,
    COMPLETED,
    FAILED,
    LAUNCHED,
    PASSED,
    PROGRESSED,
    Event,
)

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests

T0 = datetime(2026, 9, 1, 10, tzinfo=UTC)
CONFIG = {"criteria": ["1.1"]}
LIVE_WEBINAR = "u1-live-webinar-understanding-restrictive-practices"


def _event(kind, minutes, trusted=True):
    return Event(f"s{minutes}", kind, T0 + timedelta(minutes=minutes), trusted)


@pytest.fixture
def assessment_type(app):
    return app.extensions["lms.activity_types"]["assessment"]


def test_no_events_is_not_started(assessment_type):
    assert assessment_type.completion(CONFIG, []).status == "not-started"


@pytest.mark.parametrize("kind", [COMPLETED, ATTENDED])
def test_a_trusted_completed_or_attended_does_not_complete_it(assessment_type, kind):
    standing = assessment_type.completion(CONFIG, [_event(LAUNCHED, 0), _event(kind, 1)])
    assert standing.status == "started" and standing.completed_at is None
    assert not standing.complete


@pytest.mark.parametrize("kind", [PASSED, FAILED])
def test_an_untrusted_decision_is_ignored(assessment_type, kind):
    assert assessment_type.completion(CONFIG, [_event(kind, 0, trusted=False)]).status == \
        "started"
    # ...and does not undo a trusted one.
    standing = assessment_type.completion(
        CONFIG, [_event(PASSED, 0), _event(FAILED if kind == PASSED else PASSED, 1, False)])
    assert standing.status == "passed" and standing.completed_at == T0


def test_the_latest_trusted_decision_stands(assessment_type):
    failed_last = assessment_type.completion(
        CONFIG, [_event(PASSED, 0), _event(COMPLETED, 1), _event(FAILED, 2)])
    assert failed_last.status == "failed" and failed_last.completed_at is None
    passed_last = assessment_type.completion(
        CONFIG, [_event(FAILED, 0), _event(PROGRESSED, 1), _event(PASSED, 2),
                 _event(ATTENDED, 3)])
    assert passed_last.status == "passed"
    assert passed_last.completed_at == T0 + timedelta(minutes=2)


def test_a_completed_with_success_is_no_decision(assessment_type):
    """Other types read `completed` with `result.success` as a pass; an assessment does not."""
    completed = {"verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                 "result": {"success": True, "completion": True}}
    assert assessment_type.interpret(completed).kind == COMPLETED
    passed = {"verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
              "result": {"success": True}}
    assert assessment_type.interpret(passed).kind == PASSED


def _entry(client, headers, people, slug=ASSESSMENT) -> dict:
    response = client.get(f"/api/v1/enrolments/{people.enrolment.id}/progress",
                          headers=headers(people.learner))
    assert response.status_code == 200, response.get_data(as_text=True)
    return next(a for u in response.get_json()["units"] for a in u["activities"]
                if a["slug"] == slug)


def test_trusted_completed_and_attended_leave_it_started_in_the_progress_api(
        app, db, client, headers, people):
    from lms.progress.record import ATTENDED as ATTENDED_VERB
    from lms.progress.record import COMPLETED as COMPLETED_VERB
    from lms.progress.record import activity_statement, record_statements

    task = activity(db, ASSESSMENT)
    record_statements([
        activity_statement(people.enrolment, task, COMPLETED_VERB, T0,
                           Result(completion=True, success=True)),
        activity_statement(people.enrolment, task, ATTENDED_VERB, T0 + timedelta(hours=1),
                           Result(completion=True, duration=timedelta(hours=1)),
                           instructor=people.tutor)])
    entry = _entry(client, headers, people)
    assert entry["status"] == "started" and entry["credited_hours"] == 0


def test_attendance_is_refused_for_an_assessed_activity(db, client, headers, people,
                                                        stored_state):
    # Made guided, so the refusal is for being assessed, not for being self-study.
    task = activity(db, ASSESSMENT)
    task.learning = "guided"
    db.session.commit()
    url = f"/api/v1/enrolments/{people.enrolment.id}/attendance"
    before = stored_state()
    response = client.post(url, json={"activity": ASSESSMENT, "minutes": 60},
                           headers=headers(people.tutor))
    body = problem(response, 422)
    assert body["errors"] == [{"field": "activity", "detail": (
        f"{ASSESSMENT!r} is assessed: only a tutor's decision on evidence completes it, "
        "not attendance")}]
    assert stored_state() == before
    assert _entry(client, headers, people)["status"] == "not-started"

    # Attendance at a guided activity that is not assessed is still recorded.
    response = client.post(url, json={"activity": LIVE_WEBINAR, "minutes": 60},
                           headers=headers(people.tutor))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert _entry(client, headers, people, LIVE_WEBINAR)["status"] == "completed"
