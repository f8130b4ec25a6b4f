"""Abandoned sessions: the scheduler's `cmi5-abandoned` job ends AU sessions with nothing
from them for CMI5_SESSION_TIMEOUT_MINUTES, once, with an `abandoned` statement whose duration
runs from the launch to the last statement; their token stops working; their time counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cmi5_core_support import ABANDONED, CATEGORY_CMI5, SESSION_ID, SLUG
from sqlalchemy import select

from activities.cmi5.models import Cmi5Session
from lms.scheduler import jobs
from lms.scheduler.runner import build_scheduler

pytest_plugins = ["cmi5_core_fixtures"]

EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"


@pytest.fixture
def job(app, monkeypatch):
    monkeypatch.setattr(jobs, "_app", app)  # as `lms scheduler` binds it
    return jobs.abandon_cmi5_sessions


def test_the_scheduler_runs_the_job_every_five_minutes(app):
    found = build_scheduler(app).get_job("cmi5-abandoned")
    assert found is not None
    assert found.func_ref == "lms.scheduler.jobs:abandon_cmi5_sessions"
    assert found.trigger.interval == timedelta(minutes=5)
    assert app.config["CMI5_SESSION_TIMEOUT_MINUTES"] == 120


def test_a_session_left_open_is_abandoned_after_the_timeout(
        launched_au, job, statements, client, enrolment, learner_headers, db):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        au = launched_au(0)
        au.run("initialized")
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        # A cmi5 allowed statement (no cmi5 category): the last one from the AU.
        assert au.send(au.statement(EXPERIENCED, cmi5=False)).status_code == 200
    with time_machine.travel(start + timedelta(minutes=149), tick=False):
        assert job() == 0  # 119 minutes since the last statement
    with time_machine.travel(start + timedelta(minutes=151), tick=False):
        assert job() == 1
        assert job() == 0  # once
    abandoned = statements(verb=ABANDONED)
    assert len(abandoned) == 1
    statement = abandoned[0]
    assert statement["result"] == {"duration": "PT0H30M0S"}
    assert statement["object"]["id"] == au.activity_id
    assert statement["context"]["extensions"] == {SESSION_ID: au.session_id}
    assert statement["context"]["contextActivities"]["category"] == [
        {"objectType": "Activity", "id": CATEGORY_CMI5}]
    assert statement["context"]["registration"] == enrolment.registration
    db.session.rollback()
    row = db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == au.session_id)).scalar_one()
    assert row.abandoned_at is not None and round(row.seconds) == 1800
    from xapi import auth

    auth._cache.clear()
    assert au.send(au.statement("terminated", {"duration": "PT1M"})).status_code == 401
    progress = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                          headers=learner_headers).get_json()
    activity = next(a for u in progress["units"] for a in u["activities"]
                    if a["slug"] == SLUG)
    assert activity["time_spent_seconds"] == 1800
    assert activity["status"] == "started"


def test_a_launch_never_fetched_is_abandoned_with_no_time(launched_au, job, statements):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        launched_au(1, fetch=False)
    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        assert job() == 1
    assert statements(verb=ABANDONED)[0]["result"] == {"duration": "PT0H0M0S"}


def test_terminated_sessions_and_waivers_are_never_abandoned(launched_au, job, client,
                                                             enrolment, tutor_headers):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        au = launched_au(0)
        au.run("initialized", ("terminated", {"duration": "PT2M"}))
        response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/1/"
                               "waive", json={"reason": "Administrative", "note": "Agreed."},
                               headers=tutor_headers)
        assert response.status_code == 201
    with time_machine.travel(start + timedelta(days=2), tick=False):
        assert job() == 0


def test_a_shorter_timeout_is_a_setting(launched_au, job, app, statements):
    app.config["CMI5_SESSION_TIMEOUT_MINUTES"] = 10
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        launched_au(0)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert job() == 1
