"""The notification outbox: `notify` stores once per dedupe key (even when two transactions
race), and the sending job e-mails due messages to a real SMTP server started here, retrying
with back-off while the server is down."""

import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from conftest import free_port
from sqlalchemy import func, select

from lms.notifications.models import Notification
from lms.notifications.operations import notify
from lms.notifications.sending import MAX_BACKOFF, backoff, send_due
from lms.timeutil import utcnow


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("refused"):
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(smtp_port):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, "SMTP_STARTTLS": False,
            "MAIL_FROM": "Pathway <no-reply@pathway.test>", "SCHEDULER_NETWORK_TIMEOUT": 5}


@pytest.fixture
def smtp_server(smtp_port):
    """`smtp_server()` starts a real SMTP server on the configured port; stopped afterwards."""
    started = []

    def start():
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        started.append(controller)
        return inbox

    yield start
    for controller in started:
        controller.stop()


def count(db):
    return db.session.execute(select(func.count()).select_from(Notification)).scalar_one()


def test_notify_stores_a_message_due_now_and_a_dedupe_key_only_once(db, make_user):
    learner = make_user("learner")
    first = notify(learner, "window-ending", "Soon", "Your window ends soon.",
                   data={"days": 90}, dedupe_key="window:1:90")
    assert first is not None and first.id and first.sent_at is None
    assert first.next_attempt_at <= utcnow() and first.data == {"days": 90}
    assert notify(learner, "window-ending", "Again", "Twice?", dedupe_key="window:1:90") is None
    assert notify(learner, "other", "No key", "Always stored") is not None
    assert notify(learner, "other", "No key", "Always stored") is not None
    db.session.commit()
    assert count(db) == 3


def test_two_transactions_racing_on_one_dedupe_key_store_one_message(app, db, make_user):
    learner = make_user("learner")
    learner_id = learner.id
    notify(learner, "race", "First", "first", dedupe_key="race:1")  # holds the key, uncommitted
    outcome = {}

    def second():
        with app.app_context():
            from lms.extensions import db as thread_db
            from lms.people.models import User

            user = thread_db.session.get(User, learner_id)
            outcome["result"] = notify(user, "race", "Second", "second", dedupe_key="race:1")
            thread_db.session.commit()
            thread_db.session.remove()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)  # the second transaction is now waiting for the first
    db.session.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert outcome["result"] is None
    assert db.session.execute(select(Notification.subject)).scalars().all() == ["First"]


def test_back_off_doubles_from_a_minute_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(9) == timedelta(minutes=256)
    assert backoff(10) == backoff(50) == MAX_BACKOFF == timedelta(hours=6)


def test_due_messages_are_emailed_once(db, make_user, smtp_server):
    inbox = smtp_server()
    learner = make_user("learner", email="alex@pathway.test", name="Alex Morgan")
    notify(learner, "window-ending", "Your window ends in 90 days", "Ends on 1 June 2027.")
    db.session.commit()
    assert send_due() == 1
    assert send_due() == 0  # sent messages are not sent again
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["alex@pathway.test"]
    assert envelope.mail_from == "no-reply@pathway.test"
    text = envelope.content.decode()
    assert "Subject: Your window ends in 90 days" in text and "Ends on 1 June 2027." in text
    stored = db.session.execute(select(Notification)).scalar_one()
    assert stored.sent_at is not None and stored.attempts == 1 and stored.last_error == ""


def test_a_server_down_is_retried_with_back_off_then_sent(db, make_user, smtp_server):
    learner = make_user("learner", email="ben@pathway.test")
    notify(learner, "test", "Hello", "Body")
    db.session.commit()
    start = utcnow()
    assert send_due(start) == 0  # nothing listens on the port yet
    stored = db.session.execute(select(Notification)).scalar_one()
    assert stored.sent_at is None and stored.attempts == 1 and stored.last_error
    assert stored.next_attempt_at == start + timedelta(minutes=1)

    assert send_due(start + timedelta(minutes=1)) == 0  # down again: wait twice as long
    db.session.refresh(stored)
    assert stored.attempts == 2
    assert stored.next_attempt_at == start + timedelta(minutes=3)

    inbox = smtp_server()
    assert send_due(start + timedelta(minutes=2)) == 0  # not due yet: not even tried
    assert inbox.envelopes == []
    assert send_due(start + timedelta(minutes=3)) == 1
    db.session.refresh(stored)
    assert stored.sent_at is not None and stored.attempts == 3 and stored.last_error == ""
    assert [e.rcpt_tos for e in inbox.envelopes] == [["ben@pathway.test"]]


def test_a_refused_recipient_fails_alone(db, make_user, smtp_server):
    inbox = smtp_server()
    refused = make_user("learner", email="refused@pathway.test")
    fine = make_user("learner", email="fine@pathway.test")
    notify(refused, "test", "One", "to a refused mailbox")
    notify(fine, "test", "Two", "to a good mailbox")
    db.session.commit()
    assert send_due() == 1
    by_email = {n.user.email: n for n in db.session.execute(select(Notification)).scalars()}
    assert by_email["fine@pathway.test"].sent_at is not None
    failed = by_email["refused@pathway.test"]
    assert failed.sent_at is None and failed.attempts == 1 and "550" in failed.last_error
    assert [e.rcpt_tos for e in inbox.envelopes] == [["fine@pathway.test"]]


def test_without_smtp_messages_are_kept_untouched(app, db, make_user):
    app.config["SMTP_HOST"] = None
    notify(make_user("learner"), "test", "Kept", "Readable through the API")
    db.session.commit()
    assert send_due(utcnow() + timedelta(days=1)) == 0
    stored = db.session.execute(select(Notification)).scalar_one()
    assert stored.attempts == 0 and stored.sent_at is None and stored.last_error == ""
