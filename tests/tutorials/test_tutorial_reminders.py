"""Tutorial reminders: rows made, moved and removed as places are booked and sessions moved or
cancelled; the scheduler's jobs kept in step with them in its database job store (and still
there after a restart); a reminder going out when its time comes, once; and a stale job that
fires after its place was given up sending nothing."""

import time
from datetime import datetime, timedelta

import pytest
import time_machine
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from tutorial_support import iso, london_at

from lms.notifications.models import Notification
from lms.scheduler import jobs
from lms.scheduler.runner import build_scheduler
from lms.timeutil import LONDON, utcnow
from lms.tutorials import reminders
from lms.tutorials.models import TutorialReminder

pytest_plugins = ["tutorial_fixtures"]

TITLE = "Safeguarding adults in practice"


def days_ahead(days: int, hour: int = 10) -> datetime:
    """`hour`:00 London time, `days` days from today."""
    return london_at(datetime.now(LONDON).date() + timedelta(days=days), hour)


def book(client, auth, learner, session_id) -> dict:
    response = client.post(f"/api/v1/tutorials/sessions/{session_id}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "booked"
    return response.get_json()


def reminders_of(db, session_id) -> dict:
    """{(user id, lead): reminder} of one session, as stored now."""
    db.session.rollback()  # see what the requests committed
    rows = db.session.execute(db.select(TutorialReminder).where(
        TutorialReminder.session_id == session_id)).scalars()
    return {(r.user_id, r.lead): r for r in rows}


def reminder_jobs(scheduler) -> dict:
    """{job id: next run time} of the reminder jobs in the scheduler's job store."""
    return {job.id: job.next_run_time for job in scheduler.get_jobs()
            if job.id.startswith(reminders.JOB_PREFIX)}


def stored_job_ids(db) -> set:
    """The ids in APScheduler's table itself (not the scheduler's view of it)."""
    db.session.rollback()
    return set(db.session.execute(text("SELECT id FROM apscheduler_jobs")).scalars())


def sync(db, scheduler) -> dict:
    """What the scheduler's sync job does, in the test's own session."""
    db.session.rollback()
    counts = reminders.sync(scheduler)
    db.session.commit()
    return counts


def learner_reminders_sent(db, learner_id) -> list[Notification]:
    db.session.remove()  # a fresh session: what other threads committed
    return list(db.session.execute(db.select(Notification).where(
        Notification.user_id == learner_id, Notification.kind == "tutorial-reminder")
        .order_by(Notification.id)).scalars())


@pytest.fixture
def bound_jobs(app, monkeypatch):
    """The jobs bound to this test's app, as `lms scheduler` binds them (unbound after)."""
    monkeypatch.setattr(jobs, "_app", None)
    monkeypatch.setattr(jobs, "_scheduler", None)
    jobs.bind(app)
    return jobs


def shut_down(db, scheduler) -> None:
    """Stop a scheduler and its job store. The store disposes of the engine it was given
    (the app's): first give back the test's connection, so that none is left open."""
    db.session.remove()
    scheduler.shutdown(wait=True)


@pytest.fixture
def schedulers(app, db, bound_jobs):
    """`schedulers()` -> a background scheduler built as `lms scheduler` builds its own, over
    the test database; every one made is shut down afterwards."""
    made = []

    def make():
        scheduler = build_scheduler(app, scheduler_class=BackgroundScheduler)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        if scheduler.running:
            shut_down(db, scheduler)


# ---- the rows --------------------------------------------------------------------------------

def test_a_place_booked_three_days_ahead_gets_reminders_a_day_and_an_hour_before(
        db, client, auth, tutor, learner, create_session):
    starts = days_ahead(3)
    session = create_session(starts, title=TITLE)
    assert set(reminders_of(db, session["id"])) == {(tutor.id, "24h"), (tutor.id, "1h")}

    book(client, auth, learner, session["id"])
    rows = reminders_of(db, session["id"])
    assert set(rows) == {(tutor.id, "24h"), (tutor.id, "1h"),
                         (learner.id, "24h"), (learner.id, "1h")}
    assert rows[learner.id, "24h"].due_at == starts - timedelta(hours=24)
    assert rows[learner.id, "1h"].due_at == starts - timedelta(hours=1)
    assert all(r.sent_at is None for r in rows.values())


def test_a_place_booked_three_hours_ahead_gets_only_the_hour_before_reminder(
        db, client, auth, tutor, learner, create_session):
    starts = (utcnow() + timedelta(hours=3)).replace(second=0, microsecond=0)
    session = create_session(starts)
    book(client, auth, learner, session["id"])
    rows = reminders_of(db, session["id"])
    assert set(rows) == {(tutor.id, "1h"), (learner.id, "1h")}
    assert rows[learner.id, "1h"].due_at == starts - timedelta(hours=1)


def test_giving_up_a_place_removes_the_learners_reminders_only(
        db, client, auth, tutor, learner, create_session):
    session = create_session(days_ahead(3))
    booking = book(client, auth, learner, session["id"])
    response = client.post(f"/api/v1/tutorials/bookings/{booking['id']}/cancel",
                           json={"reason": "Working that day"}, headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    assert set(reminders_of(db, session["id"])) == {(tutor.id, "24h"), (tutor.id, "1h")}


def test_moving_a_session_moves_everyones_reminders_and_cancelling_it_removes_them(
        db, client, auth, tutor, learner, create_session):
    session = create_session(days_ahead(3))
    book(client, auth, learner, session["id"])
    before = {key: r.id for key, r in reminders_of(db, session["id"]).items()}

    later = days_ahead(4, hour=14)
    response = client.patch(f"/api/v1/tutorials/sessions/{session['id']}",
                            json={"starts_at": iso(later)}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    rows = reminders_of(db, session["id"])
    assert {key: r.id for key, r in rows.items()} == before  # the same reminders, moved
    for (_user, lead), reminder in rows.items():
        assert reminder.due_at == later - reminders.LEADS[lead]

    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/cancel",
                           json={"reason": "Tutor unwell"}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    assert reminders_of(db, session["id"]) == {}


# ---- the scheduler's jobs ----------------------------------------------------------------------

def test_the_scheduler_keeps_one_job_per_pending_reminder_in_step_and_across_a_restart(
        db, client, auth, tutor, learner, create_session, schedulers):
    session = create_session(days_ahead(3))
    book(client, auth, learner, session["id"])
    scheduler = schedulers()
    scheduler.start(paused=True)  # the jobs stay put: the test runs the sync itself

    assert sync(db, scheduler)["added"] == 4
    rows = reminders_of(db, session["id"])
    expected = {reminders.job_id(r.id): r.due_at for r in rows.values()}
    assert reminder_jobs(scheduler) == expected
    assert expected.keys() <= stored_job_ids(db)
    assert sync(db, scheduler) == {"added": 0, "moved": 0, "removed": 0, "missed": 0}

    later = days_ahead(5, hour=9)
    response = client.patch(f"/api/v1/tutorials/sessions/{session['id']}",
                            json={"starts_at": iso(later)}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    assert reminder_jobs(scheduler) == expected  # web requests never touch the job store
    assert sync(db, scheduler)["moved"] == 4
    moved = {reminders.job_id(r.id): later - reminders.LEADS[lead]
             for (_user, lead), r in reminders_of(db, session["id"]).items()}
    assert moved.keys() == expected.keys()
    assert reminder_jobs(scheduler) == moved

    # A restart: the next scheduler process finds the same jobs in the database.
    shut_down(db, scheduler)
    restarted = schedulers()
    restarted.start(paused=True)
    assert reminder_jobs(restarted) == moved
    assert sync(db, restarted) == {"added": 0, "moved": 0, "removed": 0, "missed": 0}

    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/cancel",
                           json={"reason": "Tutor unwell"}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    assert sync(db, restarted)["removed"] == 4
    assert reminder_jobs(restarted) == {}
    assert not any(i.startswith(reminders.JOB_PREFIX) for i in stored_job_ids(db))


def test_a_reminder_goes_out_when_its_time_comes_and_only_once(
        db, client, auth, tutor, learner, create_session, schedulers):
    starts = days_ahead(3)
    session = create_session(starts, title=TITLE, meeting_url="https://meet.example/abc")
    book(client, auth, learner, session["id"])
    learner_id = learner.id
    reminder_id = reminders_of(db, session["id"])[learner_id, "24h"].id
    due = starts - timedelta(hours=24)

    with time_machine.travel(due + timedelta(minutes=1), tick=True):
        scheduler = schedulers()
        try:
            scheduler.start()  # its first sync adds the job, due now; the job sends it
            deadline = time.monotonic() + 20
            sent = learner_reminders_sent(db, learner_id)
            while not sent and time.monotonic() < deadline:
                time.sleep(0.2)
                sent = learner_reminders_sent(db, learner_id)
            assert len(sent) == 1, "no reminder within 20 seconds"

            # The scheduler's next sync and a stray second run of the job add nothing.
            assert jobs.sync_tutorial_reminders()["added"] == 0
            assert reminders.job_id(reminder_id) not in reminder_jobs(scheduler)
            assert jobs.send_tutorial_reminder(reminder_id) is False
        finally:
            shut_down(db, scheduler)

    [message] = learner_reminders_sent(db, learner_id)
    assert message.subject == f"Reminder: {TITLE} tomorrow"
    assert f"your tutorial {TITLE!r} starts tomorrow" in message.body
    assert "10:00 to 11:00 (UK time)" in message.body
    assert "https://meet.example/abc" in message.body
    assert message.data == {"session": session["id"], "lead": "24h"}
    reminder = db.session.get(TutorialReminder, reminder_id)
    assert reminder.sent_at is not None
    assert due <= reminder.sent_at <= due + timedelta(minutes=5)
    # The hour-before reminder is still to come.
    assert reminders_of(db, session["id"])[learner_id, "1h"].sent_at is None

    response = client.get("/api/v1/notifications", headers=auth(learner))
    listed = [n for n in response.get_json()["items"] if n["kind"] == "tutorial-reminder"]
    assert [n["subject"] for n in listed] == [f"Reminder: {TITLE} tomorrow"]


def test_a_stale_job_for_a_place_given_up_sends_nothing(
        db, client, auth, tutor, learner, create_session, schedulers):
    starts = days_ahead(3)
    session = create_session(starts, title=TITLE)
    booking = book(client, auth, learner, session["id"])
    learner_id = learner.id
    reminder_id = reminders_of(db, session["id"])[learner_id, "24h"].id
    scheduler = schedulers()
    scheduler.start(paused=True)
    sync(db, scheduler)
    assert reminders.job_id(reminder_id) in reminder_jobs(scheduler)

    response = client.post(f"/api/v1/tutorials/bookings/{booking['id']}/cancel",
                           json={}, headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    # Until the next sync the job is still in the store; should it fire, it sends nothing.
    assert reminders.job_id(reminder_id) in reminder_jobs(scheduler)
    with time_machine.travel(starts - timedelta(hours=24) + timedelta(minutes=1), tick=False):
        assert jobs.send_tutorial_reminder(reminder_id) is False
    assert learner_reminders_sent(db, learner_id) == []
    assert sync(db, scheduler)["removed"] == 2
    assert set(reminder_jobs(scheduler)) == {
        reminders.job_id(r.id) for r in reminders_of(db, session["id"]).values()}


def test_a_job_firing_at_the_old_time_of_a_moved_session_waits_for_the_new_one(
        db, client, auth, tutor, learner, create_session, schedulers):
    starts = days_ahead(3)
    session = create_session(starts, title=TITLE)
    book(client, auth, learner, session["id"])
    learner_id = learner.id
    reminder_id = reminders_of(db, session["id"])[learner_id, "24h"].id
    scheduler = schedulers()
    scheduler.start(paused=True)
    sync(db, scheduler)
    later = days_ahead(6)
    response = client.patch(f"/api/v1/tutorials/sessions/{session['id']}",
                            json={"starts_at": iso(later)}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()

    # The job fires at the old time, before any sync moved it: nothing goes out yet.
    with time_machine.travel(starts - timedelta(hours=24) + timedelta(minutes=1), tick=False):
        assert jobs.send_tutorial_reminder(reminder_id) is False
        assert learner_reminders_sent(db, learner_id) == []
        assert db.session.get(TutorialReminder, reminder_id).sent_at is None  # still to come
        # Its job has run (APScheduler drops a date job once run); the next sync sets it
        # again, for the new time.
        scheduler.remove_job(reminders.job_id(reminder_id))
        assert sync(db, scheduler)["added"] == 1
    assert reminder_jobs(scheduler)[reminders.job_id(reminder_id)] == later - timedelta(hours=24)


def test_a_session_moved_so_a_reminder_falls_before_the_next_sync_is_reminded_at_once(
        db, client, auth, tutor, learner, create_session, schedulers):
    session = create_session(days_ahead(3))
    book(client, auth, learner, session["id"])
    reminder_id = reminders_of(db, session["id"])[learner.id, "24h"].id
    scheduler = schedulers()
    scheduler.start(paused=True)
    sync(db, scheduler)

    # Moved to a day and a minute from now: the day-before reminder is due in a minute,
    # and the next sync (every TUTORIAL_REMINDER_SYNC_SECONDS) may come after that.
    sooner = (utcnow() + timedelta(hours=24, minutes=1)).replace(microsecond=0)
    response = client.patch(f"/api/v1/tutorials/sessions/{session['id']}",
                            json={"starts_at": iso(sooner)}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    due = sooner - timedelta(hours=24)
    assert reminders_of(db, session["id"])[learner.id, "24h"].due_at == due

    with time_machine.travel(due + timedelta(seconds=20), tick=False):
        sync(db, scheduler)
        # Not left at its old time, two days on (when the tutorial is over): due now.
        assert reminder_jobs(scheduler)[reminders.job_id(reminder_id)] <= utcnow()


def test_a_reminder_whose_time_passed_long_ago_while_the_scheduler_was_down_is_dropped(
        db, client, auth, tutor, learner, create_session, schedulers):
    starts = days_ahead(3)
    session = create_session(starts)
    book(client, auth, learner, session["id"])
    learner_id = learner.id
    scheduler = schedulers()
    scheduler.start(paused=True)

    # Back seven hours after the day-before reminders were due: too late for them (the
    # grace is six hours); the hour-before ones still get their jobs.
    with time_machine.travel(starts - timedelta(hours=17), tick=False):
        counts = sync(db, scheduler)
    assert counts["missed"] == 2 and counts["added"] == 2
    rows = reminders_of(db, session["id"])
    assert set(rows) == {(tutor.id, "1h"), (learner_id, "1h")}
    assert reminder_jobs(scheduler) == {reminders.job_id(r.id): starts - timedelta(hours=1)
                                        for r in rows.values()}
    assert learner_reminders_sent(db, learner_id) == []
