"""Learners' places: booking a group session (or its waitlist), booking an individual
tutorial from the tutor's free slots, cancelling, rescheduling, and promotion from the
waitlist when a place frees. Every function expects `take_lock()` to have been called in
the transaction, flushes, and leaves the commit to the caller."""

from datetime import datetime, timedelta

from flask import current_app

from lms.catalogue.models import Activity
from lms.errors import Conflict, InvalidInput
from lms.extensions import db
from lms.people.models import User
from lms.timeutil import london, utcnow
from lms.tutorials import notices, reminders
from lms.tutorials.models import HOLDING, Booking, TutorialSession
from lms.tutorials.operations import (
    change_places,
    check_future,
    check_in_window,
    config_hours,
    enrolment_for_activity,
    learner_clashes,
    record_change,
    refuse_learner_clash,
    refuse_tutor_clash,
    settings_of,
    waitlist_position,
    when_text,
)
from lms.tutorials.slots import free_slots, slot_grid


def _existing(session: TutorialSession, learner) -> Booking | None:
    return db.session.execute(db.select(Booking).where(
        Booking.session_id == session.id, Booking.learner_id == learner.id)).scalar_one_or_none()


def book_group(session: TutorialSession, learner, by, enrolment_id: int | None = None
               ) -> Booking:
    """A place for `learner` in a group session, or a place on its waitlist when it is full."""
    you = by.id == learner.id
    if session.kind != "group":
        raise InvalidInput.field("session", "is an individual tutorial; book one with "
                                 "POST /api/v1/tutorials/individual")
    if session.status != "scheduled":
        raise Conflict(f"Session {session.id} was cancelled.")
    check_future(session.starts_at, "session")
    enrolment = enrolment_for_activity(learner, session.activity, enrolment_id, you=you)
    check_in_window(enrolment, session.starts_at, you=you)
    booking = _existing(session, learner)
    if booking is not None and booking.status in HOLDING:
        raise Conflict(f"{'You have' if you else learner.name + ' has'} a place in session "
                       f"{session.id} already (booking {booking.id}).")
    if booking is not None and booking.status == "waitlisted":
        raise Conflict(f"{'You are' if you else learner.name + ' is'} on the waitlist of "
                       f"session {session.id} already, at position {waitlist_position(booking)}.")
    refuse_learner_clash(learner, session.starts_at, session.ends_at, you=you)
    now = utcnow()
    has_place = session.places_taken < session.capacity
    if booking is None:
        booking = Booking(session=session, learner=learner, enrolment=enrolment,
                          status="booked" if has_place else "waitlisted")
        db.session.add(booking)
    else:  # booked again after cancelling: the same calendar event comes back
        booking.sequence += 1
        booking.cancelled_at, booking.cancel_reason = None, ""
    booking.enrolment = enrolment
    booking.booked_by_id = by.id
    if has_place:
        _take_place(booking, now)
        record_change(session, "booked", by, booking)
        notices.tell_learner(booking, "tutorial-booked", f"Booked: {session.title}",
                             "Your place is booked.")
    else:
        booking.status, booking.waitlisted_at, booking.booked_at = "waitlisted", now, None
        db.session.flush()
        record_change(session, "waitlisted", by, booking, position=waitlist_position(booking))
        notices.tell_learner(
            booking, "tutorial-waitlisted", f"On the waitlist: {session.title}",
            f"This session is full, so you are on its waitlist at position "
            f"{waitlist_position(booking)}. If a place frees, it is yours automatically and "
            "we will tell you.", method=None)
    db.session.flush()
    return booking


def _take_place(booking: Booking, now: datetime) -> None:
    session = booking.session
    booking.status, booking.booked_at, booking.waitlisted_at = "booked", now, None
    db.session.flush()
    change_places(session, +1)
    reminders.plan(session, booking.learner, now)


def promote_waitlist(session: TutorialSession, by=None) -> list[Booking]:
    """Give free places to the waitlist, first come first served. A learner who now holds
    an overlapping tutorial, or whose enrolment is no longer active, keeps their place in
    the queue and is passed over."""
    promoted = []
    if session.status != "scheduled" or session.starts_at <= utcnow():
        return promoted
    queue = db.session.execute(
        db.select(Booking).where(Booking.session_id == session.id,
                                 Booking.status == "waitlisted")
        .order_by(Booking.waitlisted_at, Booking.id)).scalars().all()
    for booking in queue:
        if session.places_taken >= session.capacity:
            break
        if booking.enrolment.status != "active" or learner_clashes(
                booking.learner_id, session.starts_at, session.ends_at):
            continue
        _take_place(booking, utcnow())
        booking.sequence += 1
        record_change(session, "promoted", by, booking)
        notices.tell_learner(booking, "tutorial-promoted", f"A place for you: {session.title}",
                             "A place freed up in this session and it is now yours.")
        promoted.append(booking)
    return promoted


def cancel_booking(booking: Booking, by, reason: str = "", as_staff: bool = False) -> Booking:
    """Give up a place (or leave the waitlist). Learners may do so up to the cut-off before
    the tutorial; tutors and administrators (`as_staff`) until it starts. The freed place
    goes to the waitlist; an individual tutorial is called off for the tutor too."""
    session = booking.session
    if booking.status == "cancelled":
        raise Conflict(f"Booking {booking.id} is cancelled already.")
    if booking.status in ("attended", "no_show"):
        raise Conflict(f"Booking {booking.id}'s tutorial has taken place; its attendance is "
                       "recorded.")
    if session.starts_at <= utcnow() and booking.status == "booked":
        raise Conflict("This tutorial has started; it can no longer be cancelled.")
    if booking.status == "booked" and not as_staff:
        _check_cutoff(session, "cancelled")
    was = booking.status
    now = utcnow()
    booking.status, booking.cancelled_at, booking.cancel_reason = "cancelled", now, reason
    record_change(session, "cancelled" if was == "booked" else "left-waitlist", by, booking,
                  reason)
    if was != "booked":
        db.session.flush()
        return booking
    booking.sequence += 1
    db.session.flush()
    change_places(session, -1)
    reminders.drop(session, booking.learner)
    notices.tell_learner(booking, "tutorial-cancelled", f"Cancelled: {session.title}",
                         "Your place in this tutorial is cancelled.", method="CANCEL",
                         reason=reason)
    if session.kind == "individual":
        session.status, session.cancel_reason = "cancelled", reason
        session.sequence += 1
        reminders.drop(session)
        notices.tell_tutor(session, "tutorial-cancelled",
                           f"Cancelled: {session.title} with {booking.learner.name}",
                           f"{booking.learner.name}'s individual tutorial is cancelled.",
                           method="CANCEL", reason=reason)
    else:
        promote_waitlist(session, by)
    db.session.flush()
    return booking


def _check_cutoff(session: TutorialSession, done: str) -> None:
    cutoff = config_hours("TUTORIAL_CHANGE_CUTOFF_HOURS")
    if session.starts_at - utcnow() < cutoff:
        hours = current_app.config["TUTORIAL_CHANGE_CUTOFF_HOURS"]
        raise Conflict(f"Tutorials can be {done} up to {hours} hours before they start; this "
                       f"one starts {when_text(session.starts_at)}. Please ask your tutor.")


# ---- individual tutorials ----------------------------------------------------------------------

def individual_activity(activity: Activity) -> None:
    """Refuse an activity that is not an individual tutorial."""
    if activity.type != "tutorial" or (activity.config or {}).get("kind") != "individual":
        raise InvalidInput.field("activity", f"{activity.slug!r} is not an individual tutorial")


def _allowance_checks(enrolment, activity: Activity, except_session: int | None) -> None:
    config = current_app.config
    held = db.session.execute(
        db.select(Booking).join(TutorialSession)
        .where(Booking.enrolment_id == enrolment.id, Booking.status.in_(HOLDING),
               TutorialSession.kind == "individual", TutorialSession.status == "scheduled")
    ).scalars().all()
    held = [b for b in held if b.session_id != except_session]
    now = utcnow()
    future = [b for b in held if b.session.starts_at > now]
    cap = config["TUTORIAL_INDIVIDUAL_FUTURE_CAP"]
    if len(future) >= cap:
        raise Conflict(f"You have {len(future)} individual tutorials booked ahead already; at "
                       f"most {cap} may be booked at a time.")
    allowance = config["TUTORIAL_INDIVIDUAL_PER_UNIT"]
    in_unit = [b for b in held if b.session.activity.unit_id == activity.unit_id]
    if len(in_unit) >= allowance:
        raise Conflict(f"You have had your {allowance} individual tutorials for unit "
                       f"{activity.unit.number}: {activity.unit.title}.")


def _slot_for(tutor_id: int, starts_at: datetime, except_session: int | None,
              free_choice: bool) -> datetime:
    """The end of the slot starting at `starts_at`. A learner must pick one of the tutor's
    free slots; a tutor or administrator (`free_choice`) may pick any time the tutor is free."""
    settings = settings_of(tutor_id)
    ends_at = starts_at + timedelta(minutes=settings.slot_minutes)
    if free_choice:
        return ends_at
    day = london(starts_at).date()
    tutor = db.session.get(User, tutor_id)
    if starts_at not in {start for start, _ in slot_grid(tutor_id, day, day)}:
        raise InvalidInput.field(
            "starts_at", f"{when_text(starts_at)} is not one of your tutor's slots; "
            f"GET /api/v1/tutors/{tutor.public_id}/slots lists the free ones")
    notice = config_hours("TUTORIAL_BOOKING_NOTICE_HOURS")
    if starts_at < utcnow() + notice:
        hours = current_app.config["TUTORIAL_BOOKING_NOTICE_HOURS"]
        raise Conflict(f"Individual tutorials are booked at least {hours} hours ahead, so your "
                       f"tutor can prepare; {when_text(starts_at)} is too soon. Please choose "
                       "a later slot, or ask your tutor.")
    if starts_at not in {start for start, _ in free_slots(tutor_id, day, day, except_session)}:
        raise Conflict(f"The slot at {when_text(starts_at)} is no longer free; please choose "
                       "another.")
    return ends_at


def book_individual(learner, activity: Activity, starts_at: datetime, by,
                    enrolment_id: int | None = None, as_staff: bool = False) -> Booking:
    """An individual tutorial with the learner's tutor, for one of the tutor's free slots."""
    you = by.id == learner.id
    individual_activity(activity)
    check_future(starts_at)
    enrolment = enrolment_for_activity(learner, activity, enrolment_id, you=you)
    if enrolment.tutor_id is None:
        raise Conflict(f"{'You have' if you else learner.name + ' has'} no tutor yet; "
                       "individual tutorials are with your own tutor.")
    check_in_window(enrolment, starts_at, you=you)
    if not as_staff:
        _allowance_checks(enrolment, activity, None)
    ends_at = _slot_for(enrolment.tutor_id, starts_at, None, as_staff)
    refuse_tutor_clash(enrolment.tutor_id, starts_at, ends_at)
    refuse_learner_clash(learner, starts_at, ends_at, you=you)
    meeting = (activity.config or {}).get("meeting_url", "")
    session = TutorialSession(
        kind="individual", tutor_id=enrolment.tutor_id, activity=activity,
        title=f"{activity.title}", description=activity.summary or "",
        starts_at=starts_at, ends_at=ends_at, capacity=1, places_taken=0,
        meeting_url=meeting, created_by_id=by.id)
    db.session.add(session)
    booking = Booking(session=session, learner=learner, enrolment=enrolment,
                      booked_by_id=by.id, status="booked")
    db.session.add(booking)
    now = utcnow()
    db.session.flush()
    _take_place(booking, now)
    reminders.plan(session, session.tutor, now)
    record_change(session, "booked", by, booking)
    notices.tell_learner(booking, "tutorial-booked", f"Booked: {session.title}",
                         f"Your individual tutorial with {session.tutor.name} is booked.")
    notices.tell_tutor(session, "tutorial-booked",
                       f"Booked: {session.title} with {learner.name}",
                       f"{learner.name} booked an individual tutorial with you.")
    return booking


def reschedule_individual(booking: Booking, starts_at: datetime, by,
                          as_staff: bool = False) -> Booking:
    """Move an individual tutorial to another free slot of the tutor."""
    session = booking.session
    if session.kind != "individual":
        raise InvalidInput.field("starts_at", "applies to individual tutorials; for a group "
                                 "session give `session`, another session to move to")
    _check_movable(booking, as_staff)
    if starts_at == session.starts_at:
        raise InvalidInput.field("starts_at", "is when the tutorial is booked already")
    check_future(starts_at)
    check_in_window(booking.enrolment, starts_at, you=by.id == booking.learner_id)
    ends_at = _slot_for(session.tutor_id, starts_at, session.id, as_staff)
    refuse_tutor_clash(session.tutor_id, starts_at, ends_at, except_session=session.id)
    refuse_learner_clash(booking.learner, starts_at, ends_at, except_session=session.id,
                         you=by.id == booking.learner_id)
    before = session.starts_at
    session.starts_at, session.ends_at = starts_at, ends_at
    session.sequence += 1
    booking.sequence += 1
    db.session.flush()
    reminders.replan(session)
    record_change(session, "rescheduled", by, booking,
                  **{"from": before.isoformat(), "to": starts_at.isoformat()})
    lead = f"Your individual tutorial has moved from {when_text(before)}."
    notices.tell_learner(booking, "tutorial-moved", f"Moved: {session.title}", lead)
    notices.tell_tutor(session, "tutorial-moved",
                       f"Moved: {session.title} with {booking.learner.name}",
                       f"{booking.learner.name}'s individual tutorial has moved from "
                       f"{when_text(before)}.")
    return booking


def reschedule_group(booking: Booking, target: TutorialSession, by,
                     as_staff: bool = False) -> Booking:
    """Move a learner's place to another session of the same tutorial activity. The new
    place must be free (a full session's waitlist is joined by booking it instead)."""
    session = booking.session
    if session.kind != "group":
        raise InvalidInput.field("session", "applies to group sessions; for an individual "
                                 "tutorial give `starts_at`")
    if target.id == session.id:
        raise InvalidInput.field("session", "is the session already booked")
    if target.kind != "group" or target.activity_id != session.activity_id:
        raise InvalidInput.field("session", f"session {target.id} is not another session of "
                                 f"{session.activity.title!r}")
    if target.status != "scheduled":
        raise Conflict(f"Session {target.id} was cancelled.")
    _check_movable(booking, as_staff)
    check_future(target.starts_at, "session")
    if target.places_taken >= target.capacity:
        raise Conflict(f"Session {target.id} is full; book it to join its waitlist, and keep "
                       "this place meanwhile.")
    learner = booking.learner
    cancel_booking(booking, by, f"Moved to session {target.id}", as_staff=True)
    new = book_group(target, learner, by, booking.enrolment_id)
    record_change(target, "rescheduled", by, new, **{"from_session": session.id})
    return new


def _check_movable(booking: Booking, as_staff: bool) -> None:
    if booking.status != "booked":
        raise Conflict(f"Booking {booking.id} is {booking.status.replace('_', ' ')}; only a "
                       "booked place can be moved.")
    if booking.session.starts_at <= utcnow():
        raise Conflict("This tutorial has started; it can no longer be moved.")
    if not as_staff:
        _check_cutoff(booking.session, "moved")



def release_enrolment(enrolment, by, reason: str) -> int:
    """Cancel the places (and waitlist places) still ahead of an enrolment that has been
    withdrawn, deferred or transferred, telling the learner and passing each place on to the
    waitlist; returns how many."""
    ahead = db.session.execute(
        db.select(Booking).join(TutorialSession)
        .where(Booking.enrolment_id == enrolment.id,
               Booking.status.in_(("booked", "waitlisted")),
               TutorialSession.status == "scheduled", TutorialSession.starts_at > utcnow())
        .order_by(TutorialSession.starts_at)).scalars().all()
    for booking in ahead:
        cancel_booking(booking, by, reason, as_staff=True)
    return len(ahead)


def on_enrolment_left(_sender, enrolment=None, kind="", made_by=None, reason="", **_kwargs):
    """`lms.signals.enrolment_left` receiver: free the learner's tutorials ahead."""
    from lms.tutorials.operations import take_lock

    take_lock()
    release_enrolment(enrolment, made_by, f"Enrolment {kind}" + (f": {reason}" if reason
                                                                  else ""))
