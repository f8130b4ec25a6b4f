"""Who sees which tutorials. Learners: their own places, and the group sessions of the
qualifications they are enrolled on (counts, never other learners' names). Tutors: their own
sessions and everyone booked on them, and their own learners' places. Organisation managers:
their organisation's learners' places. Administrators: everything."""

from sqlalchemy import or_

from lms.catalogue.models import Activity, Unit
from lms.enrolment.models import Enrolment, Intake
from lms.errors import Forbidden, NotFound
from lms.extensions import db
from lms.people.models import User
from lms.tutorials.models import Booking, TutorialSession


def _enrolled_qualifications(viewer):
    return (db.select(Intake.qualification_id).join(Enrolment, Enrolment.intake_id == Intake.id)
            .where(Enrolment.learner_id == viewer.id, Enrolment.status == "active"))


def with_details(statement, booking=False):
    """Load what a session's (or booking's) JSON shows in a few queries, not one per row."""
    from sqlalchemy.orm import joinedload, selectinload

    session_options = [
        joinedload(TutorialSession.activity).joinedload(Activity.unit),
        joinedload(TutorialSession.tutor),
        selectinload(TutorialSession.bookings).joinedload(Booking.learner),
    ]
    if booking:
        return statement.options(
            joinedload(Booking.learner), joinedload(Booking.booked_by),
            *[joinedload(Booking.session).options(option) for option in session_options])
    return statement.options(*session_options)


def visible_bookings(viewer):
    """A select of the bookings `viewer` may see."""
    statement = db.select(Booking)
    roles = viewer.role_names
    if "admin" in roles:
        return statement
    allowed = [Booking.learner_id == viewer.id]
    if "tutor" in roles:
        allowed.append(Booking.session_id.in_(
            db.select(TutorialSession.id).where(TutorialSession.tutor_id == viewer.id)))
        allowed.append(Booking.enrolment_id.in_(  # their own learners', with any tutor
            db.select(Enrolment.id).where(Enrolment.tutor_id == viewer.id)))
    if "org_manager" in roles and viewer.organisation_id is not None:
        allowed.append(Booking.learner_id.in_(
            db.select(User.id).where(User.organisation_id == viewer.organisation_id)))
    return statement.where(or_(*allowed))


def visible_sessions(viewer):
    """A select of the sessions `viewer` may see."""
    statement = db.select(TutorialSession)
    roles = viewer.role_names
    if "admin" in roles:
        return statement
    allowed = [
        TutorialSession.id.in_(visible_bookings(viewer).with_only_columns(Booking.session_id)),
        TutorialSession.tutor_id == viewer.id,
    ]
    if "learner" in roles:
        allowed.append(db.and_(
            TutorialSession.kind == "group",
            TutorialSession.activity_id.in_(
                db.select(Activity.id).join(Unit, Activity.unit_id == Unit.id)
                .where(Unit.qualification_id.in_(_enrolled_qualifications(viewer))))))
    return statement.where(or_(*allowed))


def session_for(viewer, session_id: int) -> TutorialSession:
    found = db.session.execute(
        visible_sessions(viewer).where(TutorialSession.id == session_id)
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"session: there is no tutorial session {session_id} that you can see.")
    return found


def booking_for(viewer, booking_id: int) -> Booking:
    found = db.session.execute(
        visible_bookings(viewer).where(Booking.id == booking_id)
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"booking: there is no booking {booking_id} that you can see.")
    return found


def is_staff_of(viewer, session: TutorialSession) -> bool:
    """The session's own tutor, or an administrator."""
    return "admin" in viewer.role_names or session.tutor_id == viewer.id


def check_runs(viewer, session: TutorialSession) -> None:
    """Refuse anyone but the session's tutor or an administrator."""
    if not is_staff_of(viewer, session):
        raise Forbidden("Only the session's tutor or an administrator may do this.")


def tutor_by_public_id(public_id: str) -> User:
    """The tutor with this public id, or 404."""
    tutor = db.session.execute(db.select(User).where(User.public_id == public_id)
                               ).scalar_one_or_none()
    if tutor is None or "tutor" not in tutor.role_names:
        raise NotFound(f"tutor: there is no tutor {public_id!r}.")
    return tutor


def check_tutor_page(viewer, public_id: str, write: bool = False) -> User:
    """The tutor `public_id`, if `viewer` may see (or, with `write`, change) their
    availability: themselves or an administrator."""
    tutor = tutor_by_public_id(public_id)
    if viewer.id == tutor.id or "admin" in viewer.role_names:
        return tutor
    if write:
        raise Forbidden("Only the tutor or an administrator may change their availability.")
    raise Forbidden("Only the tutor, or an administrator, may see this.")


def check_learner_of_tutor(viewer, tutor_id: int) -> None:
    """A learner may see the free slots of a tutor they are enrolled with."""
    if viewer.id == tutor_id or "admin" in viewer.role_names:
        return
    found = db.session.execute(db.select(Enrolment.id).where(
        Enrolment.learner_id == viewer.id, Enrolment.tutor_id == tutor_id).limit(1)).first()
    if found is None:
        raise Forbidden("You can see the free slots of your own tutor only.")
