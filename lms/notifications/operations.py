"""Putting messages in the outbox, and reading them back.

`notify` only stores a message (the caller's transaction commits it); the scheduler's
sending job (`lms.notifications.sending`) e-mails it when SMTP is configured.
"""

from sqlalchemy.dialects import postgresql, sqlite

from lms.errors import NotFound
from lms.extensions import db
from lms.notifications.models import Notification
from lms.timeutil import utcnow

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def notify(user, kind: str, subject: str, body: str, data: dict | None = None,
           dedupe_key: str | None = None, calendar: str | None = None) -> Notification | None:
    """Store a message to `user` (flushed, due to be sent now), with an iCalendar document
    to attach when `calendar` is given. With a `dedupe_key`, a message already stored under
    that key wins: nothing is added and None is returned.

    The key's unique column decides, with `INSERT ... ON CONFLICT DO NOTHING`, so two
    transactions notifying at once still store one message (the second waits for the first
    and then adds nothing), and no error spoils the caller's transaction."""
    now = utcnow()
    values = {"user_id": user.id, "kind": kind, "subject": subject[:300], "body": body,
              "data": data or {}, "dedupe_key": dedupe_key, "calendar": calendar,
              "created_at": now,
              "next_attempt_at": now, "attempts": 0, "last_error": ""}
    if dedupe_key is None:
        notification = Notification(**values)
        db.session.add(notification)
        db.session.flush()
        return notification
    db.session.flush()
    insert = _INSERTS[db.session.get_bind().dialect.name](Notification)
    new_id = db.session.execute(
        insert.values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Notification.id)).scalar_one_or_none()
    return None if new_id is None else db.session.get(Notification, new_id)


def notifications_of(user):
    """A select of `user`'s own messages."""
    return db.select(Notification).where(Notification.user_id == user.id)


def notification_for(user, notification_id: int) -> Notification:
    """`user`'s message `notification_id`, else 404 (whoever else's it is)."""
    found = db.session.execute(
        notifications_of(user).where(Notification.id == notification_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"notification: you have no notification {notification_id}.")
    return found


def mark_read(notification: Notification) -> Notification:
    """Mark a message read (the first time only: reading it again keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()
    return notification
