"""What every change to tutorials shares: the booking lock, the history, clash checks, and
finding the enrolment a booking belongs to.

Rules that must hold under concurrency (a tutor is never double-booked, a learner never
holds two overlapping tutorials, a group session never exceeds its capacity) are checked
after `take_lock()`, which every change calls before it reads anything: changes happen one
at a time, each seeing the last one's result. The database also refuses, by constraint, a
session with more places taken than it has, and two live sessions of one tutor starting at
the same moment.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from lms.catalogue.models import Activity, Unit
from lms.enrolment.models import Enrolment, Intake
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound
from lms.extensions import db
from lms.timeutil import london, utcnow
from lms.tutorials.models import (
    HOLDING,
    Booking,
    TutorialChange,
    TutorialLock,
    TutorialSession,
    TutorSettings,
)

LOCK = "tutorials"
# What a change is told when a constraint of the database refuses it (another change got there
# at the same moment): the API, the pages and attendance all say this.
CLASH = "This clashes with a change made at the same moment; please look again and retry."
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def take_lock() -> None:
    """Hold the tutorials lock until the transaction ends. Call it before reading anything a
    change depends on (PostgreSQL: the UPDATE's row lock; SQLite: this first write takes the
    database's write lock, so every read after it is current)."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(insert(TutorialLock).values(name=LOCK, version=0)
                       .on_conflict_do_nothing(index_elements=["name"]))
    db.session.execute(update(TutorialLock).where(TutorialLock.name == LOCK)
                       .values(version=TutorialLock.version + 1)
                       .execution_options(synchronize_session=False))


def record_change(session: TutorialSession, action: str, actor, booking: Booking | None = None,
                  reason: str = "", **details) -> TutorialChange:
    """Keep one change in the tutorial's history."""
    change = TutorialChange(session=session, booking=booking, actor_id=actor.id if actor else None,
                            action=action, reason=reason or "", details=details)
    db.session.add(change)
    return change


def when_text(moment: datetime) -> str:
    """A time as people say it, in London: 'Tuesday 4 March 2026, 10:00'."""
    local = london(moment)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


def config_hours(name: str) -> timedelta:
    return timedelta(hours=current_app.config[name])


def settings_of(tutor_id: int) -> TutorSettings:
    """A tutor's slot settings (the site's defaults until they set their own)."""
    found = db.session.get(TutorSettings, tutor_id)
    if found is None:
        config = current_app.config
        found = TutorSettings(tutor_id=tutor_id, slot_minutes=config["TUTORIAL_SLOT_MINUTES"],
                              buffer_minutes=config["TUTORIAL_BUFFER_MINUTES"])
    return found


def tutor_clashes(tutor_id: int, starts_at: datetime, ends_at: datetime,
                  except_session: int | None = None) -> list[TutorialSession]:
    """The tutor's live sessions overlapping [starts_at, ends_at) (touching is no clash)."""
    statement = db.select(TutorialSession).where(
        TutorialSession.tutor_id == tutor_id, TutorialSession.status == "scheduled",
        TutorialSession.starts_at < ends_at, TutorialSession.ends_at > starts_at)
    if except_session is not None:
        statement = statement.where(TutorialSession.id != except_session)
    return list(db.session.execute(statement.order_by(TutorialSession.starts_at)).scalars())


def learner_clashes(learner_id: int, starts_at: datetime, ends_at: datetime,
                    except_session: int | None = None) -> list[Booking]:
    """The learner's places in live sessions overlapping [starts_at, ends_at)."""
    statement = (
        db.select(Booking).join(TutorialSession)
        .where(Booking.learner_id == learner_id, Booking.status.in_(HOLDING),
               TutorialSession.status == "scheduled",
               TutorialSession.starts_at < ends_at, TutorialSession.ends_at > starts_at))
    if except_session is not None:
        statement = statement.where(TutorialSession.id != except_session)
    return list(db.session.execute(statement.order_by(TutorialSession.starts_at)).scalars())


def refuse_tutor_clash(tutor_id, starts_at, ends_at, except_session=None, who="The tutor"):
    """Refuse a time when the tutor (`who`: "You", a name, or "The tutor") is busy."""
    clashes = tutor_clashes(tutor_id, starts_at, ends_at, except_session)
    if clashes:
        other = clashes[0]
        has = "You already have" if who == "You" else f"{who} already has"
        raise Conflict(f"{has} {other.title!r} from {when_text(other.starts_at)} "
                       f"to {london(other.ends_at):%H:%M} (session {other.id}); a tutor is "
                       "never double-booked.")


def refuse_learner_clash(learner, starts_at, ends_at, except_session=None, you=True):
    clashes = learner_clashes(learner.id, starts_at, ends_at, except_session)
    if clashes:
        other = clashes[0].session
        who = "You already have" if you else f"{learner.name} already has"
        raise Conflict(f"{who} {other.title!r} from {when_text(other.starts_at)} to "
                       f"{london(other.ends_at):%H:%M} (session {other.id}); tutorials may not "
                       "overlap.")


def qualification_of(activity: Activity) -> int:
    return db.session.get(Unit, activity.unit_id).qualification_id


def enrolment_for_activity(learner, activity: Activity, enrolment_id: int | None = None,
                           you: bool = True) -> Enrolment:
    """The learner's active enrolment on the activity's qualification (the one named, when
    `enrolment_id` is given), or a clear refusal."""
    statement = (db.select(Enrolment).join(Intake, Enrolment.intake_id == Intake.id)
                 .where(Enrolment.learner_id == learner.id,
                        Intake.qualification_id == qualification_of(activity)))
    if enrolment_id is not None:
        statement = statement.where(Enrolment.id == enrolment_id)
    enrolments = list(db.session.execute(statement.order_by(Enrolment.start_date.desc()))
                      .scalars())
    active = [e for e in enrolments if e.status == "active"]
    who = "You are" if you else f"{learner.name} is"
    if not enrolments:
        if enrolment_id is not None:
            raise InvalidInput.field("enrolment", f"enrolment {enrolment_id} is not "
                                     f"{'yours' if you else learner.name + chr(39) + 's'} on "
                                     "the qualification of this tutorial")
        raise Forbidden(f"{who} not enrolled on the qualification this tutorial belongs to.")
    if not active:
        raise Conflict(f"{who} not on an active enrolment for this qualification (status: "
                       f"{enrolments[0].status}); tutorials are booked while the enrolment is "
                       "active.")
    return active[0]


def check_in_window(enrolment: Enrolment, starts_at: datetime, you: bool = True) -> None:
    """Refuse a tutorial outside the learner's window (start date to last day, London)."""
    day = london(starts_at).date()
    whose = "your" if you else f"{enrolment.learner.name}'s"
    if day < enrolment.start_date:
        raise InvalidInput.field("starts_at", f"is before {whose} enrolment starts on "
                                 f"{enrolment.start_date:%d %B %Y}")
    if day > enrolment.window_ends:
        raise InvalidInput.field("starts_at", f"is after {whose} window to complete ends on "
                                 f"{enrolment.window_ends:%d %B %Y}")


def check_future(starts_at: datetime, field: str = "starts_at") -> None:
    if starts_at <= utcnow():
        raise InvalidInput.field(field, f"{when_text(starts_at)} is in the past; tutorials are "
                                 "booked ahead")


def session_or_404(session_id: int) -> TutorialSession:
    found = db.session.get(TutorialSession, session_id, populate_existing=True)
    if found is None:
        raise NotFound(f"session: there is no tutorial session {session_id}.")
    return found


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first in the queue; None when not waitlisted."""
    if booking.status != "waitlisted":
        return None
    ahead = db.session.execute(
        db.select(db.func.count(Booking.id)).where(
            Booking.session_id == booking.session_id, Booking.status == "waitlisted",
            db.or_(Booking.waitlisted_at < booking.waitlisted_at,
                   db.and_(Booking.waitlisted_at == booking.waitlisted_at,
                           Booking.id < booking.id)))).scalar_one()
    return ahead + 1


def change_places(session: TutorialSession, by: int) -> None:
    """Take (+1) or give back (-1) places, in the database (its CHECK refuses overfilling)."""
    db.session.flush()
    db.session.execute(update(TutorialSession).where(TutorialSession.id == session.id)
                       .values(places_taken=TutorialSession.places_taken + by)
                       .execution_options(synchronize_session=False))
    db.session.refresh(session, ["places_taken"])
