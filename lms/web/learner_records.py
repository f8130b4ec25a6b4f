"""Tutors' learner records: "My learners" (every learner the caller may see, with hours,
credits, units, last learning and the pace forecast; sortable and filterable without
JavaScript) and one learner's page (progress per unit, deadline and forecast, tutorials,
assessment submissions and a readable timeline of their learning record).

A tutor sees their own learners, an administrator everyone: the same visibility as the API
(`lms.enrolment.operations.visible_enrolments` / `enrolment_for`); another tutor's learner
is a 404."""

from datetime import date, datetime

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import aliased, joinedload

from lms.access import allow
from lms.catalogue.models import Qualification, Unit
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.enrolment.operations import enrolment_for, visible_enrolments
from lms.extensions import db
from lms.people.models import User
from lms.progress.reports import enrolment_progress, london_today, progress_summary
from lms.progress.views import SORTS
from lms.timeutil import london, utcnow

bp = Blueprint("learner_records", __name__, template_folder="templates")

COLUMNS = {"name": "Learner", "hours": "Hours", "last_learning": "Last learning",
           "projected_completion": "Projected completion"}

STATUS_WORDS = {
    "on-track": "On track", "at-risk": "At risk", "not-started": "Not started",
    "achieved": "Achieved", "started": "In progress", "in-progress": "In progress",
    "completed": "Completed", "passed": "Passed", "failed": "Not passed",
    "booked": "Booked", "waitlisted": "On the waitlist", "attended": "Attended",
    "no_show": "Did not attend", "cancelled": "Cancelled", "met": "Met",
    "not-yet-met": "Not yet met", "awaiting-decision": "Awaiting decision",
    "active": "Active", "pending": "Pending", "withdrawn": "Withdrawn",
    "deferred": "Deferred", "transferred": "Transferred",
}
# Statuses shown with another one's colour (the words always say which it is).
STATUS_CLASSES = {"started": "in-progress", "not-yet-met": "not-met",
                  "awaiting-decision": "submitted", "withdrawn": "cancelled",
                  "transferred": "cancelled", "deferred": "waitlisted", "pending": "waitlisted"}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, (status or "").replace("-", " ").replace("_", " ")
                            .capitalize())


def status_class(status: str) -> str:
    return "status-" + STATUS_CLASSES.get(status, status or "none")


def days_ago(moment: datetime | None, today: date | None = None) -> str:
    """When something last happened, in words: 'Today', 'Yesterday', '12 days ago' (days
    in London); 'No learning yet' for None."""
    if moment is None:
        return "No learning yet"
    days = ((today or london_today()) - london(moment).date()).days
    if days <= 0:
        return "Today"
    return "Yesterday" if days == 1 else f"{days} days ago"


def short_day(value: date | None) -> str:
    """'4 Mar 2027' (a table's width of a date)."""
    return "" if value is None else f"{value.day} {value:%b %Y}"


@bp.context_processor
def _helpers():
    return {"status_words": status_words, "status_class": status_class,
            "days_ago": days_ago, "short_day": short_day,
            # pages of activity-type plugins (a cmi5 AU's waiver) only when installed
            "has_page": lambda endpoint: endpoint in current_app.view_functions}


# ---- My learners ---------------------------------------------------------------------------

def _choices(args) -> dict:
    """The list's sort and filters from the query string; anything unknown is ignored."""
    sort = args.get("sort") if args.get("sort") in SORTS else "name"
    return {"sort": sort, "dir": "desc" if args.get("dir") == "desc" else "asc",
            "at_risk": args.get("at_risk") == "yes",
            "cohort": args.get("cohort", type=int), "intake": args.get("intake", type=int)}


def _places(visible) -> dict[int, dict]:
    """Where each visible enrolment sits: cohort, organisation (the cohort's, else the
    learner's own), intake, the qualification's credits and number of units. Two queries."""
    ids = visible.with_only_columns(Enrolment.id).scalar_subquery()
    own_organisation = aliased(Organisation)
    rows = db.session.execute(
        db.select(Enrolment.id, Cohort.id, Cohort.name, Organisation.name,
                  own_organisation.name, Intake.id, Intake.name, Intake.start_date,
                  Qualification.id, Qualification.credits)
        .join(Intake, Enrolment.intake_id == Intake.id)
        .join(Qualification, Intake.qualification_id == Qualification.id)
        .join(User, Enrolment.learner_id == User.id)
        .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Organisation, Cohort.organisation_id == Organisation.id)
        .outerjoin(own_organisation, User.organisation_id == own_organisation.id)
        .where(Enrolment.id.in_(ids))).all()
    units = dict(db.session.execute(
        db.select(Unit.qualification_id, func.count(Unit.id))
        .where(Unit.qualification_id.in_({row[8] for row in rows}))
        .group_by(Unit.qualification_id)).all()) if rows else {}
    return {
        enrolment_id: {"cohort_id": cohort_id, "cohort": cohort_name,
                       "organisation": organisation or own or "",
                       "intake_id": intake_id, "intake": intake_name, "intake_start": start,
                       "credits_target": credits, "units": units.get(qualification_id, 0)}
        for (enrolment_id, cohort_id, cohort_name, organisation, own, intake_id, intake_name,
             start, qualification_id, credits) in rows}


def _options(places: dict[int, dict]) -> tuple[list[dict], list[dict]]:
    """The cohorts and intakes of the visible learners, for the filters."""
    cohorts, intakes = {}, {}
    for place in places.values():
        if place["cohort_id"] is not None:
            label = place["cohort"]
            if place["organisation"] and place["organisation"] not in label:
                label = f"{label} ({place['organisation']})"
            cohorts[place["cohort_id"]] = label
        intakes[place["intake_id"]] = (place["intake_start"],
                                       f"{place['intake']} (starts "
                                       f"{short_day(place['intake_start'])})")
    return ([{"id": key, "label": label} for key, label in
             sorted(cohorts.items(), key=lambda item: item[1].lower())],
            [{"id": key, "label": label} for key, (_, label) in
             sorted(intakes.items(), key=lambda item: item[1][0], reverse=True)])


def _sort_links(choice: dict) -> dict[str, dict]:
    """For each sortable column: its link (sorting by it, or the other way when it is the
    current sort) and its aria-sort value (None unless it is the current sort)."""
    filters = {key: value for key in ("cohort", "intake") if (value := choice[key])}
    if choice["at_risk"]:
        filters["at_risk"] = "yes"
    links = {}
    for key, label in COLUMNS.items():
        current = choice["sort"] == key
        direction = ("asc" if choice["dir"] == "desc" else "desc") if current else "asc"
        links[key] = {
            "label": label,
            "url": url_for(".learners", sort=key, dir=direction, **filters),
            "aria_sort": ("descending" if choice["dir"] == "desc" else "ascending")
            if current else None,
            "next": "descending" if direction == "desc" else "ascending",
        }
    return links


@bp.get("/learners")
@allow("tutor", "admin")
def learners():
    """My learners: every enrolment the caller may see, with progress and at-risk flags."""
    choice = _choices(request.args)
    visible = visible_enrolments(current_user)
    places = _places(visible)
    cohorts, intakes = _options(places)
    statement = visible
    if choice["cohort"] is not None:
        statement = statement.where(Enrolment.cohort_id == choice["cohort"])
    if choice["intake"] is not None:
        statement = statement.where(Enrolment.intake_id == choice["intake"])
    summary = progress_summary(statement)
    rows = [entry for entry in summary["learners"]
            if entry["at_risk"] or not choice["at_risk"]]
    rows.sort(key=SORTS[choice["sort"]], reverse=choice["dir"] == "desc")
    for entry in rows:
        entry["place"] = places.get(entry["enrolment"]["id"], {})
    return render_template(
        "records/learners.html", rows=rows, choice=choice, cohorts=cohorts, intakes=intakes,
        columns=_sort_links(choice), total=len(places),
        at_risk=sum(1 for entry in rows if entry["at_risk"]),
        filtered=bool(choice["at_risk"] or choice["cohort"] or choice["intake"]))


# ---- One learner ----------------------------------------------------------------------------

def _bookings(enrolment) -> dict[str, list]:
    """The enrolment's tutorials the viewer may see: upcoming, past, and cancelled."""
    from lms.tutorials.models import Booking, TutorialSession
    from lms.tutorials.operations import waitlist_position
    from lms.tutorials.visibility import visible_bookings

    bookings = db.session.execute(
        visible_bookings(current_user).where(Booking.enrolment_id == enrolment.id)
        .join(TutorialSession, Booking.session_id == TutorialSession.id)
        .options(joinedload(Booking.session).joinedload(TutorialSession.tutor),
                 joinedload(Booking.session).joinedload(TutorialSession.activity))
        .order_by(TutorialSession.starts_at, Booking.id)).scalars().all()
    now = utcnow()
    groups = {"upcoming": [], "past": [], "cancelled": []}
    for booking in bookings:
        session = booking.session
        if booking.status == "cancelled" or session.status == "cancelled":
            groups["cancelled"].append({"booking": booking, "position": None})
        elif session.starts_at > now and booking.status in ("booked", "waitlisted"):
            position = waitlist_position(booking) if booking.status == "waitlisted" else None
            groups["upcoming"].append({"booking": booking, "position": position})
        elif booking.status == "waitlisted":  # never got a place before it happened
            groups["cancelled"].append({"booking": booking, "position": None})
        else:
            groups["past"].append({"booking": booking, "position": None})
    groups["past"].reverse()  # the most recent first
    return groups


def _submissions(enrolment) -> list:
    from lms.assessment.models import Submission
    from lms.assessment.visibility import visible_submissions

    return db.session.execute(
        visible_submissions(current_user).where(Submission.enrolment_id == enrolment.id)
        .options(joinedload(Submission.activity), joinedload(Submission.assessor))
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())).scalars().all()


@bp.get("/learners/<int:enrolment_id>")
@allow("tutor", "admin")
def learner(enrolment_id):
    """One learner's record for their tutor (or an administrator): progress per unit, the
    deadline and forecast, tutorials, submissions and the timeline of their learning."""
    from lms.web.timeline import learner_timeline

    enrolment = enrolment_for(current_user, enrolment_id)
    progress = enrolment_progress(enrolment)
    return render_template(
        "records/learner.html", enrolment=enrolment, progress=progress,
        place=_places(db.select(Enrolment).where(Enrolment.id == enrolment.id))
        .get(enrolment.id, {}),
        tutorials=_bookings(enrolment), submissions=_submissions(enrolment),
        timeline=learner_timeline(enrolment),
        # the assessment pages open a submission (and decide it) when they are installed
        can_open_submissions="assessment_pages.decide" in current_app.view_functions)
