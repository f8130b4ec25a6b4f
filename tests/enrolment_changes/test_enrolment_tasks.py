"""The daily scheduled work on enrolments, run for given dates: pending enrolments become
active on their start date; learners and tutors are reminded 90 and 30 days before the end of
a window, once each, on the right days across month ends and leap years."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.enrolment.applications import EnrolmentChange
from lms.enrolment.models import Intake
from lms.enrolment.operations import add_months, enrol
from lms.enrolment.tasks import activate_due_enrolments, remind_window_ends, reminder_due
from lms.notifications.models import Notification
from lms.scheduler import jobs
from lms.scheduler.runner import build_scheduler


@pytest.fixture
def on(db, catalogue, make_user):
    """`on(start)` -> an enrolment (with a tutor) on a new intake starting on `start`."""
    tutor = make_user("tutor")

    def make(start: date, status="active", tutor=tutor):
        intake = db.session.execute(select(Intake).where(
            Intake.start_date == start)).scalar_one_or_none() or Intake(
            qualification=catalogue, name=f"Intake {start}", start_date=start)
        db.session.add(intake)
        enrolment = enrol(make_user("learner"), intake, tutor=tutor)
        enrolment.status = status
        db.session.commit()
        return enrolment

    return make


def messages(db):
    return db.session.execute(select(Notification.user_id, Notification.kind,
                                     Notification.data).order_by(Notification.id)).all()


@pytest.mark.parametrize(("start", "window_ends"), [
    (date(2025, 8, 31), date(2027, 2, 28)),   # the 31st of a shorter month: its last day
    (date(2024, 2, 29), date(2025, 8, 29)),   # from a leap day
    (date(2026, 8, 31), date(2028, 2, 29)),   # into a leap February
    (date(2026, 6, 2), date(2027, 12, 2)),
])
def test_windows_run_18_months_from_the_start(on, start, window_ends):
    assert on(start).window_ends == window_ends
    assert add_months(start, 18) == window_ends


def test_pending_enrolments_become_active_on_their_start_date(db, on):
    today = date(2026, 9, 1)
    yesterday = on(date(2026, 8, 31), status="pending")
    starting = on(today, status="pending")
    tomorrow = on(date(2026, 9, 2), status="pending")
    withdrawn = on(date(2026, 8, 1), status="withdrawn")
    assert activate_due_enrolments(today) == 2
    db.session.commit()
    statuses = {e.id: e.status for e in (yesterday, starting, tomorrow, withdrawn)}
    assert statuses == {yesterday.id: "active", starting.id: "active",
                        tomorrow.id: "pending", withdrawn.id: "withdrawn"}
    changes = db.session.execute(select(EnrolmentChange)).scalars().all()
    assert sorted(c.enrolment_id for c in changes) == sorted([yesterday.id, starting.id])
    assert {(c.kind, c.made_by_id) for c in changes} == {("activated", None)}
    assert activate_due_enrolments(today) == 0  # once only
    assert activate_due_enrolments(date(2026, 9, 2)) == 1


@pytest.mark.parametrize(("start", "ninety", "thirty"), [
    (date(2025, 8, 31), date(2026, 11, 30), date(2027, 1, 29)),  # ends 28 February 2027
    (date(2024, 2, 29), date(2025, 5, 31), date(2025, 7, 30)),   # ends 29 August 2025
    (date(2026, 8, 31), date(2027, 12, 1), date(2028, 1, 30)),   # ends 29 February 2028
])
def test_reminders_fall_90_and_30_days_before_the_end_once_each(db, on, start, ninety, thirty):
    enrolment = on(start)
    learner, tutor = enrolment.learner_id, enrolment.tutor_id
    assert remind_window_ends(ninety - timedelta(days=1)) == 0
    assert remind_window_ends(ninety) == 2
    assert remind_window_ends(ninety) == 0
    assert remind_window_ends(ninety + timedelta(days=1)) == 0
    assert remind_window_ends(thirty - timedelta(days=1)) == 0
    assert remind_window_ends(thirty) == 2
    assert remind_window_ends(enrolment.window_ends) == 0
    db.session.commit()
    ends = enrolment.window_ends.isoformat()
    assert messages(db) == [
        (learner, "window-ending", {"enrolment": enrolment.id, "window_ends": ends, "days": 90}),
        (tutor, "window-ending", {"enrolment": enrolment.id, "window_ends": ends, "days": 90}),
        (learner, "window-ending", {"enrolment": enrolment.id, "window_ends": ends, "days": 30}),
        (tutor, "window-ending", {"enrolment": enrolment.id, "window_ends": ends, "days": 30}),
    ]
    subjects = db.session.execute(select(Notification.subject)).scalars().all()
    assert subjects[0] == "Your window ends in 90 days"
    assert subjects[1].endswith("window ends in 90 days")


def test_a_missed_day_is_caught_up_and_an_extended_window_is_reminded_again(db, on):
    enrolment = on(date(2026, 6, 2), tutor=None)  # ends 2 December 2027; no tutor
    assert remind_window_ends(date(2027, 9, 10)) == 1  # 83 days before: the 90-day reminder
    assert remind_window_ends(date(2027, 9, 11)) == 0
    enrolment.window_ends = date(2028, 3, 1)
    db.session.flush()
    assert remind_window_ends(date(2027, 12, 2)) == 1  # 90 days before the new end
    db.session.commit()
    days = [d["days"] for (_, _, d) in messages(db)]
    assert days == [90, 90]


def test_only_active_enrolments_are_reminded(db, on):
    for status in ("pending", "withdrawn", "completed", "transferred", "deferred"):
        on(date(2026, 6, 2), status=status)
    assert remind_window_ends(date(2027, 9, 3)) == 0
    assert db.session.execute(select(func.count()).select_from(Notification)).scalar_one() == 0


def test_which_reminder_is_due():
    ends = date(2027, 2, 28)
    assert reminder_due(ends, date(2026, 11, 29), (30, 90)) is None
    assert reminder_due(ends, date(2026, 11, 30), (30, 90)) == 90
    assert reminder_due(ends, date(2027, 1, 29), (30, 90)) == 30
    assert reminder_due(ends, ends, (30, 90)) == 30
    assert reminder_due(ends, ends + timedelta(days=1), (30, 90)) is None


def test_the_days_are_configurable(app, db, on):
    app.config["WINDOW_REMINDER_DAYS"] = [7]
    enrolment = on(date(2026, 6, 2))
    assert remind_window_ends(enrolment.window_ends - timedelta(days=30)) == 0
    assert remind_window_ends(enrolment.window_ends - timedelta(days=7)) == 2


def test_the_scheduler_runs_them_daily_and_sends_every_minute(app, db, on, monkeypatch):
    scheduler = build_scheduler(app)
    daily = {job_id: scheduler.get_job(job_id) for job_id in
             ("enrolment-activation", "window-end-reminders")}
    assert daily["enrolment-activation"].func_ref == "lms.scheduler.jobs:activate_enrolments"
    assert daily["window-end-reminders"].func_ref == "lms.scheduler.jobs:remind_window_endings"
    for job in daily.values():
        assert str(job.trigger.timezone) == "Europe/London"
        assert {f.name: str(f) for f in job.trigger.fields if f.name == "day"} == {"day": "*"}
    sending = scheduler.get_job("notification-sending")
    assert sending.func_ref == "lms.scheduler.jobs:send_notifications"
    assert sending.trigger.interval == timedelta(minutes=1)

    pending = on(date(2020, 1, 6), status="pending")
    monkeypatch.setattr(jobs, "_app", app)  # as `lms scheduler` binds it
    assert jobs.activate_enrolments() == 1
    assert jobs.remind_window_endings() == 0
    assert jobs.send_notifications() == 0  # SMTP is not configured in tests
    db.session.rollback()
    db.session.refresh(pending)
    assert pending.status == "active"
