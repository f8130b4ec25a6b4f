"""The organisation manager's page: their organisation's cohorts and learners with progress
toward the qualification, and their learners' tutorials ahead. Nothing of other organisations:
every list is the manager's visible records narrowed to their own organisation's learners."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.enrolment.models import Cohort, Enrolment, Organisation
from lms.enrolment.operations import visible_enrolments
from lms.errors import NotFound
from lms.extensions import db
from lms.people.models import User
from lms.progress.reports import progress_summary
from lms.timeutil import utcnow
from lms.tutorials.models import Booking, TutorialSession
from lms.tutorials.visibility import visible_bookings

bp = Blueprint("manager_pages", __name__, template_folder="templates")

FORECAST_WORDS = {"on-track": "On track", "at-risk": "At risk", "not-started": "Not started"}
UPCOMING_LIMIT = 200


def _organisation_learners(organisation_id: int):
    return db.select(User.id).where(User.organisation_id == organisation_id)


def _cohort_of(organisation_id: int, cohort_id: int | None) -> Cohort | None:
    """The organisation's cohort `cohort_id` (None for no filter), else 404."""
    if cohort_id is None:
        return None
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.organisation_id != organisation_id:
        raise NotFound(f"cohort: your organisation has no cohort {cohort_id}.")
    return cohort


def _upcoming_bookings(manager, learners, cohort: Cohort | None) -> list[Booking]:
    """The organisation's learners' places (booked or waitlisted) in tutorials not yet over."""
    statement = (
        visible_bookings(manager)
        .join(TutorialSession, Booking.session_id == TutorialSession.id)
        .where(Booking.learner_id.in_(learners), Booking.status.in_(("booked", "waitlisted")),
               TutorialSession.status == "scheduled", TutorialSession.ends_at >= utcnow())
        .options(joinedload(Booking.learner),
                 joinedload(Booking.session).joinedload(TutorialSession.tutor),
                 joinedload(Booking.session).joinedload(TutorialSession.activity))
        .order_by(TutorialSession.starts_at, Booking.id).limit(UPCOMING_LIMIT))
    if cohort is not None:
        statement = statement.where(Booking.enrolment_id.in_(
            db.select(Enrolment.id).where(Enrolment.cohort_id == cohort.id)))
    return db.session.execute(statement).scalars().all()


@bp.get("/organisation")
@allow("org_manager")
def overview():
    """The manager's organisation: cohorts, each learner's progress (optionally of one
    cohort), and the tutorials their learners have booked."""
    manager = current_user._get_current_object()
    organisation_id = manager.organisation_id
    if organisation_id is None:
        return render_template("manager/overview.html", organisation=None, cohorts=[],
                               cohort=None, summary=None, bookings=[], cohort_names={},
                               seated={}, words=FORECAST_WORDS)
    organisation = db.session.get(Organisation, organisation_id)
    cohort = _cohort_of(organisation_id, request.args.get("cohort", type=int))
    cohorts = db.session.execute(
        db.select(Cohort).where(Cohort.organisation_id == organisation_id)
        .options(joinedload(Cohort.intake)).order_by(Cohort.name, Cohort.id)).scalars().all()
    learners = _organisation_learners(organisation_id)
    enrolments = visible_enrolments(manager).where(Enrolment.learner_id.in_(learners))
    seated = dict(db.session.execute(
        db.select(Enrolment.cohort_id, func.count(Enrolment.id))
        .where(Enrolment.id.in_(enrolments.with_only_columns(Enrolment.id)),
               Enrolment.cohort_id.is_not(None))
        .group_by(Enrolment.cohort_id)).all())
    if cohort is not None:
        enrolments = enrolments.where(Enrolment.cohort_id == cohort.id)
    summary = progress_summary(enrolments)
    return render_template(
        "manager/overview.html", organisation=organisation, cohorts=cohorts, cohort=cohort,
        summary=summary, bookings=_upcoming_bookings(manager, learners, cohort),
        cohort_names={c.id: c.name for c in cohorts}, seated=seated, words=FORECAST_WORDS)
