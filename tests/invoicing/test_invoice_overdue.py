"""The daily check of invoices: a reminder 14 days before the due date, overdue the day
after it (a Europe/London date) for invoices not fully paid, each payer told once."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from lms.invoicing.operations import today_in_london
from lms.invoicing.overdue import check_invoices
from lms.invoicing.payments import record_payment
from lms.notifications.models import Notification

pytest_plugins = ["invoice_fixtures"]

DUE = date(2024, 3, 29)


def _messages(db, kind=None):
    statement = select(Notification).order_by(Notification.id)
    if kind:
        statement = statement.where(Notification.kind == kind)
    return db.session.execute(statement).scalars().all()


def _check(db, today):
    counts = check_invoices(today)
    db.session.commit()
    return counts


def test_overdue_the_day_after_the_due_date_and_the_payer_told_once(db, world, make_invoice,
                                                                    make_user):
    second_manager = make_user("org_manager", name="Kit Lane", organisation=world.care)
    cohort, own = make_invoice("cohort"), make_invoice("individual")
    assert _check(db, DUE)["flagged"] == 0  # due today: not overdue yet
    assert not cohort.overdue and _messages(db, "invoice-overdue") == []
    counts = _check(db, DUE + timedelta(days=1))
    assert counts == {"flagged": 2, "overdue_notices": 3, "reminders": 0}
    assert cohort.overdue and own.overdue
    notices = _messages(db, "invoice-overdue")
    # Oak Care's two managers (not its learner), and Alex for their own invoice.
    assert sorted((n.user_id, n.dedupe_key) for n in notices) == sorted([
        (world.manager.id, f"invoice-overdue:1:user-{world.manager.id}"),
        (second_manager.id, f"invoice-overdue:1:user-{second_manager.id}"),
        (world.individual.id, f"invoice-overdue:2:user-{world.individual.id}")])
    notice = next(n for n in notices if n.user_id == world.individual.id)
    assert notice.subject == "Invoice PW-000002 is overdue"
    assert "Friday 29 March 2024" in notice.body and "£2,388.00 is still to pay" in notice.body
    assert notice.data == {"invoice": 2, "reference": "PW-000002"}
    # The next days: still overdue, nobody told again.
    assert _check(db, DUE + timedelta(days=2)) == {"flagged": 0, "overdue_notices": 0,
                                                   "reminders": 0}
    assert len(_messages(db, "invoice-overdue")) == 3


def test_a_paid_invoice_is_never_overdue(db, world, make_invoice):
    paid, part_paid = make_invoice("individual"), make_invoice("cohort")
    record_payment(paid, Decimal("2388.00"), date(2024, 3, 1))
    record_payment(part_paid, Decimal("100.00"), date(2024, 3, 1))
    db.session.commit()
    _check(db, DUE + timedelta(days=1))
    assert not paid.overdue and part_paid.overdue
    assert [n.data["invoice"] for n in _messages(db, "invoice-overdue")] == [2]


def test_paying_in_full_clears_the_overdue_flag(db, world, make_invoice):
    invoice = make_invoice("individual")
    _check(db, DUE + timedelta(days=1))
    assert invoice.overdue
    record_payment(invoice, Decimal("2388.00"), date(2024, 3, 1))
    db.session.commit()
    assert not invoice.overdue
    invoice.overdue = True  # as if flagged by a check running at the same moment
    db.session.commit()
    _check(db, DUE + timedelta(days=2))
    assert not invoice.overdue


def test_a_reminder_fourteen_days_before_the_due_date_once(db, world, make_invoice):
    invoice = make_invoice("individual")
    assert _check(db, DUE - timedelta(days=15))["reminders"] == 0
    assert _check(db, DUE - timedelta(days=14))["reminders"] == 1
    assert invoice.reminded_at is not None
    assert _check(db, DUE - timedelta(days=13))["reminders"] == 0
    [reminder] = _messages(db, "invoice-reminder")
    assert reminder.user_id == world.individual.id
    assert reminder.dedupe_key == f"invoice-reminder:1:user-{world.individual.id}"
    assert reminder.subject == "Invoice PW-000001 is due on Friday 29 March 2024"


def test_a_late_invoice_is_reminded_when_first_checked(db, world, make_invoice):
    """Issued (or first checked) within the 14 days: reminded at once, then overdue."""
    make_invoice("cohort", organisation=world.other, applicant=world.other_manager)
    assert _check(db, DUE - timedelta(days=3))["reminders"] == 1
    assert _check(db, DUE + timedelta(days=1))["overdue_notices"] == 1
    assert [n.user_id for n in _messages(db)] == [world.other_manager.id] * 2


def test_nobody_to_tell_is_tried_again_the_next_day(db, world, make_invoice, make_user):
    invoice = make_invoice("cohort", organisation=world.other, applicant=world.other_manager)
    world.other_manager.active = False
    db.session.commit()
    assert _check(db, DUE + timedelta(days=1))["overdue_notices"] == 0
    assert invoice.overdue and invoice.overdue_notified_at is None
    newcomer = make_user("org_manager", name="Noor Ali", organisation=world.other)
    assert _check(db, DUE + timedelta(days=2))["overdue_notices"] == 1
    assert [n.user_id for n in _messages(db)] == [newcomer.id]


def test_today_is_londons_date():
    # 23:30 UTC is still the same day in winter (GMT) and already the next in summer (BST).
    assert today_in_london(datetime(2024, 3, 29, 23, 30, tzinfo=UTC)) == date(2024, 3, 29)
    assert today_in_london(datetime(2024, 6, 30, 23, 30, tzinfo=UTC)) == date(2024, 7, 1)


def test_the_daily_job_checks_todays_invoices(app, db, world, make_invoice, monkeypatch):
    from lms.scheduler import jobs
    from lms.scheduler.runner import build_scheduler

    make_invoice("individual")
    monkeypatch.setattr("lms.invoicing.operations.today_in_london", lambda: DUE + timedelta(1))
    monkeypatch.setattr(jobs, "_app", app)
    assert jobs.check_invoices() == {"flagged": 1, "overdue_notices": 1, "reminders": 0}
    db.session.rollback()
    assert db.session.execute(select(func.count(Notification.id))).scalar_one() == 1
    job = next(j for j in build_scheduler(app).get_jobs() if j.id == "invoices-overdue")
    assert job.func_ref == "lms.scheduler.jobs:check_invoices"
    assert str(job.trigger).startswith("cron[hour='7', minute='5'")
