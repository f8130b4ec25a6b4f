"""Group sessions: created by a tutor (alone or as a weekly series), edited, moved and
cancelled, with everyone booked told. Functions expect `take_lock()` to have been called,
flush, and leave the commit to the caller."""

from datetime import datetime

from lms.catalogue.models import Activity
from lms.errors import Conflict, InvalidInput
from lms.extensions import db
from lms.timeutil import utcnow
from lms.tutorials import notices, reminders
from lms.tutorials.availability import weekly_starts
from lms.tutorials.bookings import promote_waitlist
from lms.tutorials.models import TutorialSeries, TutorialSession
from lms.tutorials.operations import (
    check_future,
    learner_clashes,
    record_change,
    refuse_tutor_clash,
    when_text,
)

MAX_WEEKS = 52


def group_activity(activity: Activity) -> None:
    """Refuse an activity a group session cannot be held for: it must be a guided, not
    assessed activity that is not an individual tutorial (a group tutorial, a live
    webinar)."""
    if activity.learning != "guided":
        raise InvalidInput.field("activity", f"{activity.slug!r} is self-study; sessions are "
                                 "held for guided activities (group tutorials, live webinars)")
    if activity.type == "assessment":
        raise InvalidInput.field("activity", f"{activity.slug!r} is a practice assessment")
    if activity.type == "tutorial" and (activity.config or {}).get("kind") == "individual":
        raise InvalidInput.field("activity", f"{activity.slug!r} is an individual tutorial; "
                                 "learners book those from their tutor's free slots")
    if activity.type == "webinar" and (activity.config or {}).get("mode") != "live":
        raise InvalidInput.field("activity", f"{activity.slug!r} is a recorded webinar")


def create_group_sessions(tutor, activity: Activity, data: dict, by) -> list[TutorialSession]:
    """One group session, or `weeks` of them at the same London time each week."""
    group_activity(activity)
    starts_at, ends_at = data["starts_at"], data["ends_at"]
    if ends_at <= starts_at:
        raise InvalidInput.field("ends_at", "must be after starts_at")
    check_future(starts_at)
    weeks = data.get("weeks") or 1
    length = ends_at - starts_at
    try:
        starts = weekly_starts(starts_at, weeks)
    except ValueError as exc:
        raise InvalidInput.field("starts_at", str(exc)) from exc
    series = None
    if weeks > 1:
        series = TutorialSeries(tutor_id=tutor.id, weeks=weeks)
        db.session.add(series)
    sessions = []
    for start in starts:
        refuse_tutor_clash(tutor.id, start, start + length,
                           who="You" if by.id == tutor.id else tutor.name)
        session = TutorialSession(
            kind="group", tutor_id=tutor.id, activity=activity, series=series,
            title=data.get("title") or activity.title,
            description=data.get("description") or activity.summary or "",
            starts_at=start, ends_at=start + length, capacity=data["capacity"],
            places_taken=0, meeting_url=data.get("meeting_url") or
            (activity.config or {}).get("meeting_url", ""), created_by_id=by.id)
        db.session.add(session)
        db.session.flush()
        reminders.plan(session, tutor)
        record_change(session, "created", by, series=series.id if series else None)
        sessions.append(session)
    return sessions


def update_session(session: TutorialSession, data: dict, by) -> TutorialSession:
    """Change a session's details, capacity or time. Everyone booked gets an updated
    invitation (SEQUENCE raised) when its time, title, description or link changed; a larger
    capacity promotes the waitlist."""
    if session.status != "scheduled":
        raise Conflict(f"Session {session.id} was cancelled; it cannot be changed.")
    if session.ends_at <= utcnow():
        raise Conflict(f"Session {session.id} is over; it cannot be changed.")
    changes = {}
    starts_at = data.get("starts_at", session.starts_at)
    ends_at = data.get("ends_at", session.ends_at)
    if "starts_at" in data and "ends_at" not in data:
        ends_at = starts_at + (session.ends_at - session.starts_at)
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    if moved:
        if session.starts_at <= utcnow():
            raise Conflict(f"Session {session.id} has started; it cannot be moved.")
        if ends_at <= starts_at:
            raise InvalidInput.field("ends_at", "must be after starts_at")
        check_future(starts_at)
        refuse_tutor_clash(session.tutor_id, starts_at, ends_at, except_session=session.id)
        clashes = []
        for booking in session.bookings:
            if booking.status == "booked":
                clashes += [(booking.learner, c.session) for c in learner_clashes(
                    booking.learner_id, starts_at, ends_at, except_session=session.id)]
        if clashes:
            learner, other = clashes[0]
            raise Conflict(f"Moving would make {learner.name}'s tutorials overlap: they have "
                           f"{other.title!r} at {when_text(other.starts_at)}"
                           + (f" (and {len(clashes) - 1} more clashes)" if len(clashes) > 1
                              else "") + ".")
        changes["from"] = {"starts_at": session.starts_at.isoformat(),
                           "ends_at": session.ends_at.isoformat()}
        changes["to"] = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
        session.starts_at, session.ends_at = starts_at, ends_at
    if "capacity" in data and data["capacity"] != session.capacity:
        if session.kind != "group":
            raise InvalidInput.field("capacity", "an individual tutorial has one place")
        if data["capacity"] < session.places_taken:
            raise Conflict(f"{session.places_taken} places are taken; the capacity cannot go "
                           f"below that (cancel bookings first).")
        changes["capacity"] = {"from": session.capacity, "to": data["capacity"]}
        session.capacity = data["capacity"]
    details_changed = False
    for name in ("title", "description", "meeting_url"):
        if name in data and data[name] is not None and data[name] != getattr(session, name):
            changes[name] = {"from": getattr(session, name), "to": data[name]}
            setattr(session, name, data[name])
            details_changed = True
    if not changes:
        return session
    db.session.flush()
    record_change(session, "moved" if moved else "changed", by, reason=data.get("reason", ""),
                  **changes)
    if moved or details_changed:
        session.sequence += 1
        what = (f"has moved from {when_text(datetime.fromisoformat(changes['from']['starts_at']))}"
                if moved else "has new details")
        for booking in session.bookings:
            if booking.status == "booked":
                booking.sequence += 1
                notices.tell_learner(booking, "tutorial-moved" if moved else "tutorial-changed",
                                     f"{'Moved' if moved else 'Updated'}: {session.title}",
                                     f"Your tutorial {what}.", reason=data.get("reason", ""))
            elif booking.status == "waitlisted" and moved:
                notices.tell_learner(booking, "tutorial-moved", f"Moved: {session.title}",
                                     f"A session you are waiting for {what}.", method=None)
            else:
                continue
            # The learner's own history (GET /bookings/<id>/history) shows the change too, as
            # it shows a cancelled session.
            record_change(session, "moved" if moved else "changed", by, booking,
                          data.get("reason", ""), by_session=True, **changes)
        if session.kind == "individual":
            notices.tell_tutor(session, "tutorial-moved" if moved else "tutorial-changed",
                               f"{'Moved' if moved else 'Updated'}: {session.title}",
                               f"The tutorial {what}.")
    if moved:
        reminders.replan(session)
    promote_waitlist(session, by)
    db.session.flush()
    return session


def cancel_session(session: TutorialSession, by, reason: str) -> list[dict]:
    """Call a session off: every place and waitlist place is cancelled and its learner told
    (a CANCEL invitation for those booked), reminders vanish."""
    if session.status == "cancelled":
        raise Conflict(f"Session {session.id} is cancelled already.")
    if session.starts_at <= utcnow():
        raise Conflict(f"Session {session.id} has started; it can no longer be cancelled.")
    now = utcnow()
    told = []
    session.status, session.cancel_reason = "cancelled", reason
    session.sequence += 1
    for booking in session.bookings:
        if booking.status not in ("booked", "waitlisted"):
            continue
        was = booking.status
        booking.status, booking.cancelled_at, booking.cancel_reason = "cancelled", now, reason
        booking.sequence += 1
        record_change(session, "cancelled", by, booking, reason, by_session=True)
        notices.tell_learner(
            booking, "tutorial-cancelled", f"Cancelled: {session.title}",
            "Your tutor has had to cancel this tutorial." if was == "booked" else
            "This session, whose waitlist you were on, has been cancelled.",
            method="CANCEL" if was == "booked" else None, reason=reason)
        told.append({"booking": booking.id, "learner": booking.learner.name, "was": was})
    db.session.flush()
    session.places_taken = 0
    reminders.drop(session)
    record_change(session, "session-cancelled", by, reason=reason)
    if by.id != session.tutor_id:
        notices.tell_tutor(session, "tutorial-cancelled", f"Cancelled: {session.title}",
                           f"{by.name} cancelled this tutorial.", method="CANCEL",
                           reason=reason)
    db.session.flush()
    return told


def cancel_series_from(session: TutorialSession, by, reason: str) -> list[TutorialSession]:
    """Cancel this session and the later ones of its weekly series."""
    later = db.session.execute(
        db.select(TutorialSession).where(TutorialSession.series_id == session.series_id,
                                         TutorialSession.starts_at >= session.starts_at,
                                         TutorialSession.status == "scheduled")
        .order_by(TutorialSession.starts_at)).scalars().all()
    for each in later:
        cancel_session(each, by, reason)
    return later

