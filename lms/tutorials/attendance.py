"""Attendance: the tutor marks each booking attended or no-show once the tutorial has
begun. Attended becomes an xAPI `attended` statement (with the minutes attended as its
duration, the tutor as instructor, Pathway as authority) about the session's activity in the
learner's registration, so the activity completes and its guided hours count toward the unit.
A correction voids the statement recorded before."""

import uuid
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from tincan import Result

from lms.catalogue.iris import activity_iri
from lms.errors import Conflict, InvalidInput
from lms.extensions import db
from lms.progress.record import (
    ATTENDED,
    activity_statement,
    learner_agent,
    record_statements,
)
from lms.timeutil import utcnow
from lms.tutorials.models import Booking
from lms.tutorials.operations import CLASH, record_change

SESSION_EXTENSION = "https://pathway.example/xapi/extensions/tutorial-session"
VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-GB": "voided"}}


def check_can_mark(booking: Booking, attended: bool, minutes: int | None) -> int | None:
    """Refuse marking before the tutorial starts, or for a place not held; the minutes to
    record (default: the session's length)."""
    session = booking.session
    if session.status != "scheduled":
        raise Conflict(f"Session {session.id} was cancelled; there is no attendance to mark.")
    if booking.status not in ("booked", "attended", "no_show"):
        raise Conflict(f"Booking {booking.id} is {booking.status}; only learners with a place "
                       "can attend.")
    if session.starts_at > utcnow():
        raise Conflict(f"Session {session.id} has not started yet; attendance is marked once "
                       "it has begun.")
    if not attended:
        if minutes is not None:
            raise InvalidInput.field("minutes", "is given only for a learner who attended")
        return None
    minutes = minutes if minutes is not None else session.minutes
    if minutes > session.minutes + 60:
        raise InvalidInput.field("minutes", f"{minutes} is far longer than the session "
                                 f"({session.minutes} minutes)")
    return minutes


def mark(booking: Booking, attended: bool, minutes: int | None, by) -> list[dict]:
    """Mark one booking, and return the statements to record once this is committed (the
    caller commits, then calls `record`: on SQLite the LRS needs the write lock this
    transaction holds). Marking the same again changes nothing."""
    minutes = check_can_mark(booking, attended, minutes)
    status = "attended" if attended else "no_show"
    if booking.status == status and booking.attendance_minutes == minutes:
        return []
    statements = []
    if booking.statement_id:
        statements.append(_voiding(booking.statement_id, by))
    previous = {"status": booking.status, "minutes": booking.attendance_minutes}
    booking.status = status
    booking.attendance_minutes = minutes
    booking.attendance_marked_at = utcnow()
    booking.attendance_marked_by_id = by.id
    booking.statement_id = None
    if attended:
        statement = _attended(booking, minutes, by)
        booking.statement_id = statement["id"]
        statements.append(statement)
    record_change(booking.session, status.replace("_", "-"), by, booking,
                  minutes=minutes, previous=previous)
    db.session.flush()
    return statements


def _attended(booking: Booking, minutes: int, by) -> dict:
    session = booking.session
    statement = activity_statement(
        booking.enrolment, session.activity, ATTENDED, session.starts_at,
        Result(completion=True, duration=timedelta(minutes=minutes)), instructor=by,
        extensions={SESSION_EXTENSION: {"session": session.id, "kind": session.kind,
                                        "booking": booking.id,
                                        "activity": activity_iri(session.activity)}})
    statement["id"] = str(uuid.uuid4())
    return statement


def _voiding(statement_id: str, by) -> dict:
    return {"id": str(uuid.uuid4()), "actor": learner_agent(by).as_version("1.0.3"),
            "verb": VOIDED, "object": {"objectType": "StatementRef", "id": statement_id}}


def record(statements: list[dict]) -> None:
    """Store the statements `mark` made, in the LRS (progress follows from them)."""
    if statements:
        record_statements(statements)


def commit_and_record(marked: list[Booking], statements: list[dict]) -> None:
    """Commit the marks, then store their statements (on SQLite the LRS needs the write lock
    the marks' transaction held). If the LRS refuses, the marks are put back."""
    ids = [b.id for b in marked]
    previous = {b.id: (b.status, b.attendance_minutes, b.statement_id) for b in marked}
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(CLASH) from error
    try:
        record(statements)
    except Exception:
        db.session.rollback()
        for booking in db.session.execute(
                db.select(Booking).where(Booking.id.in_(ids))).scalars():
            booking.status, booking.attendance_minutes, booking.statement_id = \
                previous[booking.id]
        db.session.commit()
        raise
