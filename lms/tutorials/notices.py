"""Telling people about their tutorials: messages in the notification outbox, each booking
message carrying an iCalendar invitation (REQUEST, or CANCEL when it is off) that calendar
programs file under a stable UID, with SEQUENCE raised on every change."""

from flask import current_app

from lms.notifications.operations import notify
from lms.timeutil import london
from lms.tutorials.calendar import CalendarEvent, Person, event_uid, invitation
from lms.tutorials.models import HOLDING, Booking, TutorialSession
from lms.tutorials.operations import when_text


def _person(user) -> Person:
    return Person(user.name, user.email)


def _description(session: TutorialSession) -> str:
    lines = [session.description.strip()] if session.description.strip() else []
    lines.append(f"Unit: {session.activity.unit.title}")
    if session.meeting_url:
        lines.append(f"Join online: {session.meeting_url}")
    lines.append(f"Tutor: {session.tutor.name}")
    return "\n\n".join(lines)


def learner_event(booking: Booking, cancelled: bool = False) -> CalendarEvent:
    """The learner's calendar event for their place in a session."""
    session = booking.session
    return CalendarEvent(
        uid=event_uid("booking", booking.uid, current_app.config["BASE_URL"]),
        sequence=booking.sequence, starts_at=session.starts_at, ends_at=session.ends_at,
        summary=session.title, description=_description(session),
        location=session.meeting_url, url=session.meeting_url,
        organizer=_person(session.tutor), attendees=[_person(booking.learner)],
        cancelled=cancelled or session.status == "cancelled"
        or booking.status not in HOLDING)


def tutor_event(session: TutorialSession, cancelled: bool = False) -> CalendarEvent:
    """The tutor's calendar event for a session, with the learners booked on it."""
    attendees = [_person(b.learner) for b in session.bookings if b.status in HOLDING]
    return CalendarEvent(
        uid=event_uid("session", session.uid, current_app.config["BASE_URL"]),
        sequence=session.sequence, starts_at=session.starts_at, ends_at=session.ends_at,
        summary=session.title, description=_description(session),
        location=session.meeting_url, url=session.meeting_url,
        organizer=_person(session.tutor), attendees=attendees,
        cancelled=cancelled or session.status == "cancelled")


def _times(session: TutorialSession) -> str:
    return f"{when_text(session.starts_at)} to {london(session.ends_at):%H:%M} (UK time)"


def tell_learner(booking: Booking, kind: str, subject: str, lead: str,
                 method: str | None = "REQUEST", reason: str = "") -> None:
    """One message to the booking's learner; with `method`, their invitation attached."""
    session = booking.session
    body = [f"Dear {booking.learner.name},", "", lead, "",
            f"{session.title}", _times(session)]
    if session.meeting_url and method == "REQUEST":
        body.append(f"Join online: {session.meeting_url}")
    if reason:
        body += ["", f"Reason: {reason}"]
    calendar = None
    if method is not None:
        calendar = invitation(learner_event(booking, cancelled=method == "CANCEL"), method)
        body += ["", "The calendar invitation is attached."]
    notify(booking.learner, kind, subject, "\n".join(body),
           {"booking": booking.id, "session": session.id,
            "starts_at": session.starts_at.isoformat()}, calendar=calendar)


def tell_tutor(session: TutorialSession, kind: str, subject: str, lead: str,
               method: str | None = "REQUEST", reason: str = "") -> None:
    """One message to the session's tutor; with `method`, their invitation attached."""
    body = [f"Dear {session.tutor.name},", "", lead, "", session.title, _times(session)]
    if reason:
        body += ["", f"Reason: {reason}"]
    calendar = None
    if method is not None:
        calendar = invitation(tutor_event(session, cancelled=method == "CANCEL"), method)
        body += ["", "The calendar invitation is attached."]
    notify(session.tutor, kind, subject, "\n".join(body),
           {"session": session.id, "starts_at": session.starts_at.isoformat()},
           calendar=calendar)
