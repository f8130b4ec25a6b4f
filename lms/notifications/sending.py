"""Sending the outbox by e-mail (SMTP, with Python's `smtplib`), with retries.

A message is due when it is unsent and its `next_attempt_at` has come. Each failed attempt
waits twice as long as the one before (1, 2, 4, ... minutes, at most `MAX_BACKOFF`). Without
`SMTP_HOST` nothing is sent: messages stay in the outbox, readable through the API.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from lms.extensions import db
from lms.notifications.models import Notification
from lms.timeutil import utcnow

MAX_BACKOFF = timedelta(hours=6)
BATCH = 100

log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4, ... minutes, capped."""
    if attempts >= 10:  # 2**9 minutes is already past the cap; keeps the power small
        return MAX_BACKOFF
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def due(now: datetime, limit: int = BATCH) -> list[Notification]:
    """Unsent messages whose next attempt has come, oldest first."""
    return list(db.session.execute(
        db.select(Notification)
        .where(Notification.sent_at.is_(None), Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id).limit(limit)
    ).scalars())


def email_of(notification: Notification, config) -> EmailMessage:
    """The e-mail for one message."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = notification.user.email
    message["Subject"] = notification.subject
    message["Message-ID"] = make_msgid()
    message.set_content(notification.body)
    if notification.calendar:
        # A tutorial invitation: the calendar part as the alternative calendar programs act
        # on (method=REQUEST or CANCEL, as Outlook and Gmail expect), and the same as a file.
        method = _calendar_method(notification.calendar)
        message.add_alternative(notification.calendar, subtype="calendar",
                                params={"method": method})
        message.add_attachment(notification.calendar.encode(), maintype="application",
                               subtype="ics", filename="invite.ics")
    return message


def _calendar_method(document: str) -> str:
    for line in document.splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    return "PUBLISH"


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                        timeout=config["SCHEDULER_NETWORK_TIMEOUT"])
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _failed(notification: Notification, error: Exception, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    notification.next_attempt_at = now + backoff(notification.attempts)
    log.warning("notification %s not sent (attempt %d): %s", notification.id,
                notification.attempts, notification.last_error)


def send_due(now: datetime | None = None) -> int:
    """Send every due message when SMTP is configured; returns how many were sent.

    Commits after each message, so a message sent is never sent again because a later
    one failed or the process stopped."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return 0
    now = now or utcnow()
    messages = due(now)
    if not messages:
        return 0
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:  # the server is down or refuses us
        for notification in messages:
            _failed(notification, error, now)
        db.session.commit()
        return 0
    sent = 0
    with smtp:
        for notification in messages:
            try:
                smtp.send_message(email_of(notification, config))
            except (OSError, smtplib.SMTPException) as error:
                _failed(notification, error, now)
            else:
                notification.attempts += 1
                notification.sent_at = utcnow()
                notification.last_error = ""
                sent += 1
            db.session.commit()
    return sent
