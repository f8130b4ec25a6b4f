"""Private calendar feeds: each person may have one secret feed URL listing their
tutorials (a learner's places, a tutor's sessions), to subscribe to in Outlook, Google or
Apple Calendar. The token is shown once, stored only as a SHA-256 hash, and revocable;
making a new one revokes the old."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from lms.extensions import db
from lms.timeutil import utcnow
from lms.tutorials.calendar import feed
from lms.tutorials.models import HOLDING, Booking, CalendarFeed, TutorialSession
from lms.tutorials.notices import learner_event, tutor_event

PAST = timedelta(days=90)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/calendar/{token}.ics"


def new_feed(user) -> str:
    """A new secret feed URL for `user` (any earlier one stops working)."""
    token = secrets.token_urlsafe(32)
    found = db.session.get(CalendarFeed, user.id)
    if found is None:
        found = CalendarFeed(user_id=user.id, token_hash=_hash(token))
        db.session.add(found)
    else:
        found.token_hash, found.created_at, found.last_used_at = _hash(token), utcnow(), None
    db.session.flush()
    return feed_url(token)


def revoke_feed(user) -> bool:
    """Stop `user`'s feed URL working; False when they had none."""
    found = db.session.get(CalendarFeed, user.id)
    if found is None:
        return False
    db.session.delete(found)
    db.session.flush()
    return True


def feed_owner(token: str):
    """The user whose feed token this is, or None."""
    found = db.session.execute(db.select(CalendarFeed).where(
        CalendarFeed.token_hash == _hash(token))).scalar_one_or_none()
    if found is None:
        return None
    found.last_used_at = utcnow()
    return found.user


def calendar_of(user) -> str:
    """The feed document: the user's tutorials from 90 days ago onwards."""
    since = utcnow() - PAST
    events = []
    from lms.tutorials.visibility import with_details

    for booking in db.session.execute(with_details(
            db.select(Booking).join(TutorialSession)
            .where(Booking.learner_id == user.id, Booking.status.in_(HOLDING),
                   TutorialSession.status == "scheduled", TutorialSession.ends_at >= since)
            .order_by(TutorialSession.starts_at), booking=True)).unique().scalars():
        events.append(learner_event(booking))
    for session in db.session.execute(with_details(
            db.select(TutorialSession)
            .where(TutorialSession.tutor_id == user.id, TutorialSession.status == "scheduled",
                   TutorialSession.ends_at >= since)
            .order_by(TutorialSession.starts_at))).unique().scalars():
        events.append(tutor_event(session))
    return feed(events, f"Pathway tutorials: {user.name}")
