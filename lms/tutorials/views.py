"""Tutorials API, and the private calendar feed.

Availability (the tutor, or an administrator; learners read their tutor's free slots):
`GET|PUT /api/v1/tutors/<id>/availability`, `GET|POST .../availability/exceptions`,
`DELETE .../availability/exceptions/<id>`, `GET /api/v1/tutors/<id>/slots`.
Sessions: `GET|POST /api/v1/tutorials/sessions`, `GET|PATCH .../sessions/<id>`,
`POST .../sessions/<id>/cancel`, `GET|POST .../sessions/<id>/bookings`,
`POST .../sessions/<id>/attendance`, `GET .../sessions/<id>/history`.
Individual tutorials: `POST /api/v1/tutorials/individual`.
Bookings: `GET /api/v1/tutorials/bookings`, `GET .../bookings/<id>`, `POST .../cancel`,
`POST .../reschedule`, `POST .../attendance`, `GET .../history`, `GET .../invitation.ics`.
Calendar feed: `GET|POST|DELETE /api/v1/calendar-feed`; the feed itself at
`GET /calendar/<token>.ics` (the token is the credential).
"""

from datetime import timedelta

from flask import Blueprint as FlaskBlueprint
from flask import Response, abort, current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from lms.access import allow
from lms.api import next_link, paginate
from lms.catalogue.models import Activity, Unit
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound, handle_pathway_error
from lms.extensions import db
from lms.people.models import User
from lms.timeutil import london, utcnow
from lms.tutorials import attendance, bookings, feeds, schemas, sessions, slots
from lms.tutorials.calendar import invitation
from lms.tutorials.models import (
    AvailabilityException,
    AvailabilityWindow,
    Booking,
    TutorialChange,
    TutorialSession,
)
from lms.tutorials.notices import learner_event, tutor_event
from lms.tutorials.operations import CLASH, session_or_404, settings_of, take_lock
from lms.tutorials.visibility import (
    booking_for,
    check_learner_of_tutor,
    check_runs,
    check_tutor_page,
    is_staff_of,
    session_for,
    tutor_by_public_id,
    visible_bookings,
    visible_sessions,
    with_details,
)

blp = Blueprint("tutorials", __name__, url_prefix="/api/v1",
                description="Tutor availability, group and individual tutorials, bookings, "
                            "waitlists, attendance and calendar feeds.")
feed = FlaskBlueprint("calendar_feed", __name__)

MAX_SLOT_DAYS = 62
MAX_SESSION_RANGE = timedelta(days=366)


def _me() -> User:
    return current_user._get_current_object()


@blp.errorhandler(IntegrityError)
def _clash(error):
    """A rule the database enforces (a constraint), met while a change is being written: a
    clear 409, never a 500 (the lock makes it rare: it is the database's own guard)."""
    db.session.rollback()
    return handle_pathway_error(Conflict(CLASH))


def _activity(slug: str) -> Activity:
    found = db.session.execute(db.select(Activity).where(
        Activity.slug == slug, Activity.retired.is_(False))).scalar_one_or_none()
    if found is None:
        raise InvalidInput.field("activity", f"there is no activity {slug!r}")
    return found


def _learner_for(data: dict, me: User) -> tuple[User, bool]:
    """Who the booking is for, and whether the caller books as staff (for someone else)."""
    if data.get("learner") in (None, me.public_id):
        if "learner" not in me.role_names:
            raise InvalidInput.field("learner", "give the learner to book for")
        return me, False
    from lms.enrolment.models import Enrolment

    learner = db.session.execute(db.select(User).where(User.public_id == data["learner"])
                                 ).scalar_one_or_none()
    if learner is None:
        raise InvalidInput.field("learner", f"there is no learner {data['learner']!r}")
    if "admin" not in me.role_names and db.session.execute(db.select(Enrolment.id).where(
            Enrolment.learner_id == learner.id, Enrolment.tutor_id == me.id).limit(1)
    ).first() is None:
        raise Forbidden("You may book only for your own learners.")
    return learner, True


# ---- availability ----------------------------------------------------------------------------

def _availability(tutor_id: int) -> dict:
    settings = settings_of(tutor_id)
    windows = db.session.execute(
        db.select(AvailabilityWindow).where(AvailabilityWindow.tutor_id == tutor_id)
        .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts)).scalars().all()
    return {"windows": windows, "slot_minutes": settings.slot_minutes,
            "buffer_minutes": settings.buffer_minutes}


@blp.route("/tutors/<tutor_id>/availability")
class Availability(MethodView):
    @allow("tutor", "admin")
    @blp.response(200, schemas.AvailabilitySchema)
    def get(self, tutor_id):
        """The tutor's weekly windows for individual tutorials (Europe/London)."""
        return _availability(check_tutor_page(_me(), tutor_id).id)

    @allow("tutor", "admin")
    @blp.arguments(schemas.AvailabilitySchema)
    @blp.response(200, schemas.AvailabilitySchema)
    def put(self, data, tutor_id):
        """Replace the weekly windows (and slot length and buffer, when given)."""
        tutor = check_tutor_page(_me(), tutor_id, write=True)
        take_lock()
        slots.set_availability(tutor.id, data["windows"], data["slot_minutes"],
                               data["buffer_minutes"])
        db.session.commit()
        return _availability(tutor.id)


@blp.route("/tutors/<tutor_id>/availability/exceptions")
class Exceptions(MethodView):
    @allow("tutor", "admin")
    @blp.response(200, schemas.ExceptionSchema(many=True))
    def get(self, tutor_id):
        """The tutor's exceptions from today on."""
        tutor = check_tutor_page(_me(), tutor_id)
        return db.session.execute(
            db.select(AvailabilityException).where(
                AvailabilityException.tutor_id == tutor.id,
                AvailabilityException.last_day >= london(utcnow()).date())
            .order_by(AvailabilityException.first_day)).scalars().all()

    @allow("tutor", "admin")
    @blp.arguments(schemas.ExceptionSchema)
    @blp.response(201, schemas.ExceptionSchema)
    def post(self, data, tutor_id):
        """Add days (or a time on those days) when no individual tutorials are offered.
        Tutorials already booked then stay; the response lists none of them."""
        tutor = check_tutor_page(_me(), tutor_id, write=True)
        take_lock()
        exception = AvailabilityException(tutor_id=tutor.id, first_day=data["first_day"],
                                          last_day=data["last_day"] or data["first_day"],
                                          starts=data["starts"], ends=data["ends"],
                                          reason=data["reason"])
        db.session.add(exception)
        db.session.commit()
        return exception


@blp.route("/tutors/<tutor_id>/availability/exceptions/<int:exception_id>")
class ExceptionItem(MethodView):
    @allow("tutor", "admin")
    @blp.response(204)
    def delete(self, tutor_id, exception_id):
        """Remove an exception."""
        tutor = check_tutor_page(_me(), tutor_id, write=True)
        take_lock()
        found = db.session.get(AvailabilityException, exception_id)
        if found is None or found.tutor_id != tutor.id:
            raise NotFound(f"exception: tutor {tutor_id!r} has no exception {exception_id}.")
        db.session.delete(found)
        db.session.commit()


@blp.route("/tutors/<tutor_id>/slots")
class Slots(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.SlotArgs, location="query")
    @blp.response(200, schemas.SlotsSchema)
    def get(self, args, tutor_id):
        """The tutor's free individual-tutorial slots, for their learners to book."""
        tutor = tutor_by_public_id(tutor_id)
        check_learner_of_tutor(_me(), tutor.id)
        first = args["start"] or london(utcnow()).date()
        last = args["end"] or first + timedelta(days=27)
        if last < first:
            raise InvalidInput.field("to", "must not be before from")
        if (last - first).days > MAX_SLOT_DAYS:
            raise InvalidInput.field("to", f"at most {MAX_SLOT_DAYS} days after from")
        free = slots.free_slots(tutor.id, first, last)
        return {"tutor": {"id": tutor.public_id, "name": tutor.name},
                "slot_minutes": settings_of(tutor.id).slot_minutes,
                "slots": [{"starts_at": s, "ends_at": e} for s, e in free]}


# ---- sessions --------------------------------------------------------------------------------

@blp.route("/tutorials/sessions")
class Sessions(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.SessionListArgs, location="query")
    @blp.response(200, schemas.SessionSchema(many=True))
    def get(self, args):
        """Sessions the caller may see, in time order: learners, the group sessions of their
        qualifications and their own tutorials; tutors, their own sessions."""
        start = args["start"] or utcnow()
        end = args["end"] or start + timedelta(days=90)
        if end <= start:
            raise InvalidInput.field("to", "must be after from")
        if end - start > MAX_SESSION_RANGE:
            raise InvalidInput.field("to", "at most 366 days after from")
        statement = visible_sessions(_me()).where(TutorialSession.ends_at > start,
                                                  TutorialSession.starts_at < end)
        if not args["include_cancelled"]:
            statement = statement.where(TutorialSession.status == "scheduled")
        if args["kind"]:
            statement = statement.where(TutorialSession.kind == args["kind"])
        if args["tutor"]:
            statement = statement.where(TutorialSession.tutor_id.in_(
                db.select(User.id).where(User.public_id == args["tutor"])))
        if args["activity"] or args["unit"]:
            activities = db.select(Activity.id).join(Unit, Activity.unit_id == Unit.id)
            if args["activity"]:
                activities = activities.where(Activity.slug == args["activity"])
            if args["unit"]:
                activities = activities.where(Unit.number == args["unit"])
            statement = statement.where(TutorialSession.activity_id.in_(activities))
        limit = current_app.config["API_PAGE_MAX"]
        return db.session.execute(with_details(
            statement.order_by(TutorialSession.starts_at, TutorialSession.id).limit(limit))
        ).unique().scalars().all()

    @allow("tutor", "admin")
    @blp.arguments(schemas.SessionCreateSchema)
    @blp.response(201, schemas.SessionSchema(many=True))
    def post(self, data):
        """Create a group session (or a weekly series: `weeks`), run by the caller (or, for
        an administrator, by `tutor`). Returns every session made."""
        me = _me()
        tutor = me
        if data["tutor"] not in (None, me.public_id):
            if "admin" not in me.role_names:
                raise Forbidden("Tutors create sessions they run themselves.")
            tutor = db.session.execute(db.select(User).where(
                User.public_id == data["tutor"])).scalar_one_or_none()
            if tutor is None or "tutor" not in tutor.role_names:
                raise InvalidInput.field("tutor", f"there is no tutor {data['tutor']!r}")
        elif "tutor" not in me.role_names:
            raise InvalidInput.field("tutor", "give the tutor who runs the session")
        take_lock()
        made = sessions.create_group_sessions(tutor, _activity(data["activity"]), data, me)
        db.session.commit()
        return made


@blp.route("/tutorials/sessions/<int:session_id>")
class SessionItem(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.SessionSchema)
    def get(self, session_id):
        """One session."""
        return session_for(_me(), session_id)

    @allow("tutor", "admin")
    @blp.arguments(schemas.SessionUpdateSchema)
    @blp.response(200, schemas.SessionSchema)
    def patch(self, data, session_id):
        """Change a session: its time (everyone booked is told, with an updated
        invitation), title, description, link or capacity."""
        take_lock()
        session = session_for(_me(), session_id)
        check_runs(_me(), session)
        sessions.update_session(session, data, _me())
        db.session.commit()
        return session


@blp.route("/tutorials/sessions/<int:session_id>/cancel")
class SessionCancel(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(schemas.SessionCancelSchema)
    @blp.response(200, schemas.SessionSchema(many=True))
    def post(self, data, session_id):
        """Cancel a session (and, with `series`, the later ones of its series); everyone
        booked or waiting is told."""
        take_lock()
        session = session_for(_me(), session_id)
        check_runs(_me(), session)
        if data["series"]:
            if session.series_id is None:
                raise InvalidInput.field("series", "this session is not part of a series")
            cancelled = sessions.cancel_series_from(session, _me(), data["reason"])
        else:
            sessions.cancel_session(session, _me(), data["reason"])
            cancelled = [session]
        db.session.commit()
        return cancelled


@blp.route("/tutorials/sessions/<int:session_id>/bookings")
class SessionBookings(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.BookingSchema(many=True))
    def get(self, session_id):
        """The places (and waitlist, in order) of a session: all of them for its tutor and
        administrators; the caller's own otherwise."""
        me = _me()
        session = session_for(me, session_id)
        statement = visible_bookings(me).where(Booking.session_id == session.id)
        return db.session.execute(statement.order_by(Booking.id)).scalars().all()

    @allow("learner", "tutor", "admin")
    @blp.arguments(schemas.BookPlaceSchema)
    @blp.response(201, schemas.BookingSchema)
    def post(self, data, session_id):
        """Book a place in a group session; when it is full, join its waitlist (the
        response's `status` says which, with the `waitlist_position`)."""
        me = _me()
        learner, _staff = _learner_for(data, me)
        take_lock()
        session = session_or_404(session_id)
        if session.kind != "group":  # someone's individual tutorial: as hidden as before
            session = session_for(me, session_id)
        # Any group session reaches book_group, whose enrolment check tells a learner why
        # they may not book (not on its qualification: 403; enrolment not active: 409).
        booking = bookings.book_group(session, learner, me, data["enrolment"])
        db.session.commit()
        return booking


@blp.route("/tutorials/sessions/<int:session_id>/attendance")
class SessionAttendance(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(schemas.SessionAttendanceSchema)
    @blp.response(200, schemas.BookingSchema(many=True))
    def post(self, data, session_id):
        """Mark attendance for several places of a session at once."""
        me = _me()
        take_lock()
        session = session_for(me, session_id)
        check_runs(me, session)
        marked, statements = [], []
        for index, mark in enumerate(data["marks"]):
            booking = db.session.get(Booking, mark["booking"])
            if booking is None or booking.session_id != session.id:
                raise InvalidInput.field(f"marks.{index}.booking",
                                         f"booking {mark['booking']} is not in this session")
            try:
                statements += attendance.mark(booking, mark["attended"], mark["minutes"], me)
            except InvalidInput as error:
                raise InvalidInput.field(f"marks.{index}.minutes", str(error)) from error
            marked.append(booking)
        attendance.commit_and_record(marked, statements)
        return marked


@blp.route("/tutorials/sessions/<int:session_id>/history")
class SessionHistory(MethodView):
    @allow("tutor", "admin")
    @blp.response(200, schemas.ChangeSchema(many=True))
    def get(self, session_id):
        """Every change to the session and its bookings, oldest first."""
        session = session_for(_me(), session_id)
        check_runs(_me(), session)
        return db.session.execute(db.select(TutorialChange).where(
            TutorialChange.session_id == session.id).order_by(TutorialChange.id)).scalars().all()


# ---- individual tutorials and bookings -------------------------------------------------------

@blp.route("/tutorials/individual")
class Individual(MethodView):
    @allow("learner", "tutor", "admin")
    @blp.arguments(schemas.BookIndividualSchema)
    @blp.response(201, schemas.BookingSchema)
    def post(self, data):
        """Book an individual tutorial with the learner's tutor at one of the tutor's free
        slots. Learners may hold TUTORIAL_INDIVIDUAL_FUTURE_CAP future ones and have
        TUTORIAL_INDIVIDUAL_PER_UNIT per unit; their tutor (or an administrator) may book
        any time the tutor is free, beyond those limits."""
        me = _me()
        learner, staff = _learner_for(data, me)
        take_lock()
        booking = bookings.book_individual(learner, _activity(data["activity"]),
                                           data["starts_at"], me, data["enrolment"],
                                           as_staff=staff)
        db.session.commit()
        return booking


@blp.route("/tutorials/bookings")
class Bookings(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.BookingListArgs, location="query")
    @blp.response(200, schemas.BookingPage)
    def get(self, args):
        """The places the caller may see: a learner's own; those on a tutor's sessions; an
        organisation's learners' for its manager; all for administrators."""
        statement = visible_bookings(_me()).join(TutorialSession)
        if args["status"]:
            statement = statement.where(Booking.status == args["status"])
        if args["upcoming"] is not None:
            now = utcnow()
            statement = statement.where(TutorialSession.starts_at > now if args["upcoming"]
                                        else TutorialSession.starts_at <= now)
        if args["learner"]:
            statement = statement.where(Booking.learner_id.in_(
                db.select(User.id).where(User.public_id == args["learner"])))
        if args["session"]:
            statement = statement.where(Booking.session_id == args["session"])
        page = paginate(db, with_details(statement, booking=True), Booking.id, args)
        return page, 200, next_link(page)


@blp.route("/tutorials/bookings/<int:booking_id>")
class BookingItem(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.BookingSchema)
    def get(self, booking_id):
        """One place."""
        return booking_for(_me(), booking_id)


def _acting(booking: Booking) -> bool:
    """Whether the caller acts as staff (the session's tutor, an administrator) on a
    booking; a learner acts on their own; anyone else is refused."""
    me = _me()
    if is_staff_of(me, booking.session):
        return True
    if booking.learner_id == me.id:
        return False
    raise Forbidden("Only the learner, the session's tutor or an administrator may change "
                    "this place.")


@blp.route("/tutorials/bookings/<int:booking_id>/cancel")
class BookingCancel(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.BookingCancelSchema)
    @blp.response(200, schemas.BookingSchema)
    def post(self, data, booking_id):
        """Give up a place or leave a waitlist: learners up to TUTORIAL_CHANGE_CUTOFF_HOURS
        before; the tutor or an administrator until it starts."""
        take_lock()
        booking = booking_for(_me(), booking_id)
        bookings.cancel_booking(booking, _me(), data["reason"], as_staff=_acting(booking))
        db.session.commit()
        return booking


@blp.route("/tutorials/bookings/<int:booking_id>/reschedule")
class BookingReschedule(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.RescheduleSchema)
    @blp.response(200, schemas.BookingSchema)
    def post(self, data, booking_id):
        """Move a place: an individual tutorial to another free slot (`starts_at`), a group
        place to another session of the same tutorial (`session`; the new booking is
        returned). Learners up to the cut-off."""
        take_lock()
        booking = booking_for(_me(), booking_id)
        staff = _acting(booking)
        if data["starts_at"] is not None:
            result = bookings.reschedule_individual(booking, data["starts_at"], _me(), staff)
        else:
            target = session_or_404(data["session"])
            result = bookings.reschedule_group(booking, target, _me(), staff)
        db.session.commit()
        return result


@blp.route("/tutorials/bookings/<int:booking_id>/attendance")
class BookingAttendance(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(schemas.AttendanceMarkSchema)
    @blp.response(200, schemas.BookingSchema)
    def post(self, data, booking_id):
        """Mark one place attended (an xAPI `attended` statement with the minutes, which
        completes the tutorial's activity and counts its guided hours) or not attended.
        Changing a mark voids the statement recorded before."""
        me = _me()
        take_lock()
        booking = booking_for(me, booking_id)
        check_runs(me, booking.session)
        statements = attendance.mark(booking, data["attended"], data["minutes"], me)
        attendance.commit_and_record([booking], statements)
        return booking_for(me, booking_id)


@blp.route("/tutorials/bookings/<int:booking_id>/history")
class BookingHistory(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ChangeSchema(many=True))
    def get(self, booking_id):
        """Every change to this place, oldest first."""
        booking = booking_for(_me(), booking_id)
        return db.session.execute(db.select(TutorialChange).where(
            TutorialChange.booking_id == booking.id).order_by(TutorialChange.id)).scalars().all()


@blp.route("/tutorials/bookings/<int:booking_id>/invitation.ics")
class BookingInvitation(MethodView):
    @allow("signed-in")
    @blp.response(200, content_type="text/calendar")
    def get(self, booking_id):
        """The place as an iCalendar invitation, to add to a calendar (the learner's event;
        the session's tutor gets the tutor's event, with everyone booked)."""
        me = _me()
        booking = booking_for(me, booking_id)
        if booking.learner_id == me.id:
            event = learner_event(booking)
        else:
            event = tutor_event(booking.session)
        method = "CANCEL" if event.cancelled else "REQUEST"
        return _calendar_response(invitation(event, method), f"tutorial-{booking.id}.ics")


def _calendar_response(document: str, filename: str) -> Response:
    response = Response(document, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- calendar feed -----------------------------------------------------------------------------

@blp.route("/calendar-feed")
class CalendarFeedItem(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.FeedSchema)
    def get(self):
        """Whether the caller has a private calendar feed (its URL is shown only when made)."""
        from lms.tutorials.models import CalendarFeed

        found = db.session.get(CalendarFeed, _me().id)
        if found is None:
            return {"exists": False}
        return {"exists": True, "created_at": found.created_at,
                "last_used_at": found.last_used_at}

    @allow("signed-in")
    @blp.response(201, schemas.FeedSchema)
    def post(self):
        """Make a new private feed URL listing the caller's tutorials (the old one, if any,
        stops working). Subscribe to it in Outlook, Google or Apple Calendar."""
        url = feeds.new_feed(_me())
        db.session.commit()
        from lms.tutorials.models import CalendarFeed

        found = db.session.get(CalendarFeed, _me().id)
        return {"exists": True, "url": url, "created_at": found.created_at,
                "last_used_at": None}

    @allow("signed-in")
    @blp.response(204)
    def delete(self):
        """Revoke the caller's feed URL."""
        if not feeds.revoke_feed(_me()):
            raise NotFound("calendar feed: you have none.")
        db.session.commit()


@feed.get("/calendar/<token>.ics")
@allow("anyone")
def calendar_feed(token):
    """A person's private calendar feed; the secret token in the URL is the credential."""
    if len(token) > 100:
        abort(404)
    owner = feeds.feed_owner(token)
    if owner is None or not owner.active:
        abort(404)
    document = feeds.calendar_of(owner)
    db.session.commit()
    response = Response(document, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
