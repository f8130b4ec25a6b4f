"""Learners' tutorials page: their places (with waitlist position, cancelling and moving
until the cut-off, and 'Add to calendar'), the group sessions they may book, their tutor's
free individual slots, and their private calendar feed.

Every change goes through the same operations as the API (`lms.tutorials`), after the
tutorials lock; a refusal is shown as a message on the page, never as an error page."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.catalogue.models import Activity, Unit
from lms.enrolment.models import Enrolment, Intake
from lms.errors import InvalidInput, NotFound, PathwayError
from lms.extensions import db
from lms.timeutil import london, utcnow
from lms.tutorials import bookings, feeds, schemas, slots
from lms.tutorials.models import Booking, CalendarFeed, TutorialSession
from lms.tutorials.operations import session_or_404, waitlist_position, when_text
from lms.tutorials.visibility import booking_for, session_for, visible_sessions, with_details
from lms.web.tutorial_changes import activity_by_slug, by_day, change, given, load

bp = Blueprint("tutorial_pages", __name__, template_folder="templates")

GROUP_WEEKS = 8  # group sessions offered this far ahead
SLOT_DAYS = 21  # the tutor's free slots shown this many days ahead


def _me():
    return current_user._get_current_object()


def _back(anchor: str = ""):
    return redirect(url_for("tutorial_pages.index") + (f"#{anchor}" if anchor else ""))


# ---- the page ------------------------------------------------------------------------------

def _enrolments(me) -> list[Enrolment]:
    return list(db.session.execute(
        db.select(Enrolment).join(Intake, Enrolment.intake_id == Intake.id)
        .where(Enrolment.learner_id == me.id, Enrolment.status == "active")
        .options(joinedload(Enrolment.tutor), joinedload(Enrolment.intake)
                 .joinedload(Intake.qualification))
        .order_by(Enrolment.start_date.desc())).scalars())


def _upcoming_places(me) -> list[Booking]:
    return list(db.session.execute(with_details(
        db.select(Booking).join(TutorialSession)
        .where(Booking.learner_id == me.id, Booking.status.in_(("booked", "waitlisted")),
               TutorialSession.status == "scheduled", TutorialSession.ends_at > utcnow())
        .order_by(TutorialSession.starts_at, Booking.id), booking=True)).unique().scalars())


def _open_sessions(me, qualification_ids: set[int]) -> list[TutorialSession]:
    now = utcnow()
    activities = (db.select(Activity.id).join(Unit, Activity.unit_id == Unit.id)
                  .where(Unit.qualification_id.in_(qualification_ids)))
    return list(db.session.execute(with_details(
        visible_sessions(me).where(
            TutorialSession.kind == "group", TutorialSession.status == "scheduled",
            TutorialSession.starts_at > now,
            TutorialSession.starts_at < now + timedelta(weeks=GROUP_WEEKS),
            TutorialSession.activity_id.in_(activities))
        .order_by(TutorialSession.starts_at, TutorialSession.id))).unique().scalars())


def _individual_activities(qualification_ids: set[int]) -> list[Activity]:
    found = db.session.execute(
        db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Unit.qualification_id.in_(qualification_ids), Activity.type == "tutorial",
               Activity.retired.is_(False))
        .options(joinedload(Activity.unit))
        .order_by(Unit.number, Activity.position, Activity.id)).scalars().all()
    chosen = []
    for activity in found:
        try:
            bookings.individual_activity(activity)
        except InvalidInput:
            continue
        chosen.append(activity)
    return chosen


def _place_view(booking: Booking, open_sessions: list[TutorialSession], now) -> dict:
    """What the page shows of one place: its waitlist position, whether the learner may
    still change it, and where it could move to."""
    session = booking.session
    cutoff = timedelta(hours=current_app.config["TUTORIAL_CHANGE_CUTOFF_HOURS"])
    started = session.starts_at <= now
    changeable = booking.status == "booked" and session.starts_at - cutoff > now
    moves = []
    if changeable and session.kind == "individual":
        today = london(now).date()
        moves = [start for start, _ in slots.free_slots(
            session.tutor_id, today, today + timedelta(days=SLOT_DAYS - 1), session.id)
            if start != session.starts_at]
    elif changeable:
        moves = [other for other in open_sessions
                 if other.activity_id == session.activity_id and other.id != session.id
                 and other.places_taken < other.capacity
                 and not any(b.learner_id == booking.learner_id and b.status != "cancelled"
                             for b in other.bookings)]
    return {"booking": booking, "session": session, "started": started,
            "position": waitlist_position(booking), "changeable": changeable,
            "change_until": session.starts_at - cutoff, "moves": moves}


@bp.get("/tutorials")
@allow("learner")
def index():
    """The learner's tutorials: their places, group sessions to book, their tutor's free
    individual slots, and their calendar feed."""
    me = _me()
    now = utcnow()
    enrolments = _enrolments(me)
    qualification_ids = {e.intake.qualification_id for e in enrolments}
    open_sessions = _open_sessions(me, qualification_ids) if enrolments else []
    places = [_place_view(b, open_sessions, now) for b in _upcoming_places(me)]
    mine = {b.session_id: b for b in (p["booking"] for p in places)}
    tutors = list({e.tutor.id: e.tutor for e in enrolments if e.tutor is not None}.values())
    today = london(now).date()
    tutor_slots = [(tutor, by_day(slots.free_slots(
        tutor.id, today, today + timedelta(days=SLOT_DAYS - 1)))) for tutor in tutors]
    histories = _histories([p["booking"].id for p in places])
    return render_template(
        "tutorials/index.html", enrolments=enrolments, places=places, histories=histories,
        open_sessions=open_sessions, mine=mine, tutor_slots=tutor_slots,
        individual_activities=_individual_activities(qualification_ids) if enrolments else [],
        feed=db.session.get(CalendarFeed, me.id), group_weeks=GROUP_WEEKS,
        slot_days=SLOT_DAYS)


def _histories(booking_ids: list[int]) -> dict[int, list]:
    """Each place's changes (as GET /api/v1/tutorials/bookings/<id>/history), in one query."""
    from lms.tutorials.models import TutorialChange

    found: dict[int, list] = {}
    if booking_ids:
        for change_row in db.session.execute(
                db.select(TutorialChange).where(TutorialChange.booking_id.in_(booking_ids))
                .order_by(TutorialChange.id)).scalars():
            found.setdefault(change_row.booking_id, []).append(change_row)
    return found


# ---- booking, cancelling, moving -------------------------------------------------------------

def _own_booking(me, booking_id: int) -> Booking:
    """One of the learner's own places (another's, even one they may see, is not found)."""
    booking = booking_for(me, booking_id)
    if booking.learner_id != me.id:
        raise NotFound(f"booking: there is no booking {booking_id} of yours.")
    return booking


@bp.post("/tutorials/sessions/<int:session_id>/book")
@allow("learner")
def book_place(session_id):
    """Book a place in a group session, or join its waitlist when it is full."""
    me = _me()
    try:
        booking = change(lambda: bookings.book_group(session_for(me, session_id), me, me))
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("group-sessions")
    session = booking.session
    if booking.status == "booked":
        flash(f"Booked: {session.title}, {when_text(session.starts_at)}.", "success")
    else:
        flash(f"{session.title} ({when_text(session.starts_at)}) is full, so you are on its "
              f"waitlist: you are number {waitlist_position(booking)} on the waitlist. If a "
              "place frees, it is yours automatically and we will tell you.", "success")
    return _back("your-tutorials")


@bp.post("/tutorials/individual")
@allow("learner")
def book_slot():
    """Book an individual tutorial with the learner's tutor at one of the tutor's free
    slots."""
    me = _me()
    try:
        data = load(schemas.BookIndividualSchema(), given(request.form, "activity",
                                                          "starts_at"))
        booking = change(lambda: bookings.book_individual(
            me, activity_by_slug(data["activity"]), data["starts_at"], me))
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("individual-tutorials")
    session = booking.session
    flash(f"Booked: {session.title} with {session.tutor.name}, "
          f"{when_text(session.starts_at)}.", "success")
    return _back("your-tutorials")


@bp.post("/tutorials/bookings/<int:booking_id>/cancel")
@allow("learner")
def cancel(booking_id):
    """Give up a place (up to the cut-off), or leave a waitlist (any time)."""
    me = _me()

    def operation():
        booking = _own_booking(me, booking_id)
        was = booking.status
        bookings.cancel_booking(booking, me, data["reason"])
        return booking, was

    try:
        data = load(schemas.BookingCancelSchema(), given(request.form, "reason"))
        booking, was = change(operation)
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("your-tutorials")
    session = booking.session
    if was == "waitlisted":
        flash(f"You have left the waitlist of {session.title}, "
              f"{when_text(session.starts_at)}.", "success")
    else:
        flash(f"Cancelled: {session.title}, {when_text(session.starts_at)}.", "success")
    return _back("your-tutorials")


@bp.post("/tutorials/bookings/<int:booking_id>/reschedule")
@allow("learner")
def reschedule(booking_id):
    """Move a place (up to the cut-off): an individual tutorial to another free slot of the
    tutor, a group place to another session of the same tutorial."""
    me = _me()

    def operation():
        booking = _own_booking(me, booking_id)
        if data["starts_at"] is not None:
            return bookings.reschedule_individual(booking, data["starts_at"], me)
        return bookings.reschedule_group(booking, session_or_404(data["session"]), me)

    try:
        fields = given(request.form, "starts_at", "session")
        if not fields:
            raise InvalidInput("Choose when to move it to.")
        data = load(schemas.RescheduleSchema(), fields)
        moved = change(operation)
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("your-tutorials")
    session = moved.session
    flash(f"Moved: {session.title} is now {when_text(session.starts_at)}.", "success")
    return _back("your-tutorials")


# ---- the private calendar feed -----------------------------------------------------------------

@bp.post("/tutorials/calendar-feed")
@allow("learner")
def feed_create():
    """Make a new private feed address (any earlier one stops working), shown once."""
    me = _me()
    replaced = db.session.get(CalendarFeed, me.id) is not None
    try:
        url = change(lambda: feeds.new_feed(me))
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("calendar-feed")
    response = current_app.make_response(render_template(
        "tutorials/feed.html", url=url, replaced=replaced))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tutorials/calendar-feed/revoke")
@allow("learner")
def feed_revoke():
    """Stop the private feed address working."""
    me = _me()
    try:
        revoked = change(lambda: feeds.revoke_feed(me))
    except PathwayError as error:
        flash(error.detail, "error")
        return _back("calendar-feed")
    if revoked:
        flash("Your calendar feed is turned off: its address no longer works.", "success")
    else:
        flash("You have no calendar feed to turn off.", "error")
    return _back("calendar-feed")
