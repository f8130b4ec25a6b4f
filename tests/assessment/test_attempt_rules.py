"""Attempts and due dates: one submission awaiting a decision at a time, one resubmission
only after "not yet met" on an original that was on time, no third attempt; due dates from
`due_weeks` or the learner's window, judged as Europe/London dates."""

from datetime import UTC, date, datetime, timedelta

import pytest
from assessment_support import ASSESSMENT, OTHER_ASSESSMENT, activity, all_met, not_yet_met, problem

from lms.assessment import rules
from lms.timeutil import london

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests


def _submitted(submit) -> dict:
    response = submit()
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_only_one_submission_may_await_a_decision(submit, stored_state):
    _submitted(submit)
    before = stored_state()
    body = problem(submit(), 409)
    assert "awaiting a decision" in body["detail"] and "Attempt 1" in body["detail"]
    assert stored_state() == before


def test_other_assessments_are_separate(submit):
    _submitted(submit)
    assert submit(slug=OTHER_ASSESSMENT).get_json()["attempt"] == 1


def test_no_resubmission_after_met(submit, decide, stored_state):
    decide(_submitted(submit)["id"], all_met())
    before = stored_state()
    assert "already met" in problem(submit(), 409)["detail"]
    assert stored_state() == before


def test_no_third_attempt(submit, decide, stored_state):
    decide(_submitted(submit)["id"], not_yet_met())
    second = _submitted(submit)
    assert second["attempt"] == 2
    decide(second["id"], not_yet_met("1.1"))
    before = stored_state()
    assert "no third attempt" in problem(submit(), 409)["detail"]
    assert stored_state() == before


def test_a_late_original_may_not_be_resubmitted(submit, decide, stored_state, people, db):
    people.enrolment.window_ends = date.today() - timedelta(days=1)
    db.session.commit()
    first = _submitted(submit)
    assert first["on_time"] is False
    decide(first["id"], not_yet_met())
    before = stored_state()
    body = problem(submit(), 409)
    assert "after its due date" in body["detail"] and "original deadline" in body["detail"]
    assert stored_state() == before


def test_due_weeks_set_the_due_date(submit, people, db):
    task = activity(db, ASSESSMENT)
    task.config = {**task.config, "due_weeks": 12}
    db.session.commit()
    first = _submitted(submit)
    assert first["due_date"] == (people.enrolment.start_date + timedelta(weeks=12)).isoformat()


def test_a_resubmission_is_due_fifteen_working_days_after_the_decision(submit, decide):
    decide(_submitted(submit)["id"], not_yet_met())
    second = _submitted(submit)
    expected = rules.working_days_after(london(datetime.now(UTC)).date(), 15)
    assert second["due_date"] == expected.isoformat() and second["on_time"] is True


def test_due_weeks_is_checked_by_the_catalogue(app):
    import marshmallow as ma

    kind = app.extensions["lms.activity_types"]["assessment"]
    with pytest.raises(ma.ValidationError) as refused:
        kind.validate_config({"criteria": ["1.1"], "due_weeks": 0})
    assert "due_weeks" in refused.value.messages
    assert "due_weeks" not in kind.validate_config({"criteria": ["1.1"]})


def test_on_time_is_judged_by_the_london_date():
    due = date(2026, 7, 1)
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time): late.
    assert rules.on_time(datetime(2026, 7, 1, 22, 59, tzinfo=UTC), due)
    assert not rules.on_time(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), due)
    # In winter London is on UTC.
    assert rules.on_time(datetime(2026, 12, 1, 23, 59, tzinfo=UTC), date(2026, 12, 1))


def test_working_days_skip_weekends():
    assert rules.working_days_after(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri -> Mon
    assert rules.working_days_after(date(2026, 11, 23), 15) == date(2026, 12, 14)
