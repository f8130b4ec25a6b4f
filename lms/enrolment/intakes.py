"""Intakes: when applications open and close, when the course starts and the final payment is
due, how many learners it takes, and how many seats are taken already."""

from datetime import date, datetime

from sqlalchemy import func

from lms.catalogue.models import Qualification
from lms.enrolment.applications import COHORT_SEATS, Application, Seat
from lms.enrolment.models import Enrolment, Intake
from lms.errors import Conflict, InvalidInput, NotFound
from lms.extensions import db
from lms.timeutil import LONDON

HOLDING = ("active", "pending", "completed")  # enrolment statuses that hold a place


def london_today() -> date:
    """Today's date in Europe/London (the provider's calendar)."""
    return datetime.now(LONDON).date()


def intake_by_id(intake_id: int) -> Intake:
    """Intake `intake_id`, or 404."""
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake: there is no intake {intake_id}.")
    return intake


def applications_close(intake: Intake) -> date:
    """The last day applications are taken: the close date, or the day of the start."""
    return intake.applications_close or intake.start_date


def seats_taken(intake: Intake) -> int:
    """Places taken on `intake`: one per accepted individual application, six per accepted
    cohort (a cohort pays for six seats however many are named yet), and one per enrolment
    made outside an application (by an administrator or an import)."""
    accepted = dict(db.session.execute(
        db.select(Application.kind, func.count(Application.id))
        .where(Application.intake_id == intake.id, Application.status == "accepted")
        .group_by(Application.kind)).all())
    outside = db.session.execute(
        db.select(func.count(Enrolment.id)).where(
            Enrolment.intake_id == intake.id, Enrolment.status.in_(HOLDING),
            Enrolment.id.not_in(db.select(Seat.enrolment_id)
                                .where(Seat.enrolment_id.is_not(None))))).scalar_one()
    return accepted.get("individual", 0) + COHORT_SEATS * accepted.get("cohort", 0) + outside


def check_room(intake: Intake, places: int) -> None:
    """409 when `places` more would take the intake past its capacity."""
    if intake.capacity is None:
        return
    taken = seats_taken(intake)
    if taken + places > intake.capacity:
        raise Conflict(f"intake: {intake.name} is full ({taken} of {intake.capacity} places "
                       f"taken; this needs {places}).")


def open_intakes(today: date):
    """A select of the intakes taking applications on `today`, soonest start first."""
    return db.select(Intake).where(
        (Intake.applications_open.is_(None)) | (Intake.applications_open <= today),
        func.coalesce(Intake.applications_close, Intake.start_date) >= today)


def _check_dates(values: dict) -> None:
    start = values["start_date"]
    opens, closes = values.get("applications_open"), values.get("applications_close")
    final = values.get("final_payment_date")
    if closes is not None and closes > start:
        raise InvalidInput.field("applications_close", f"must be on or before the start date "
                                 f"({start.isoformat()}), not {closes.isoformat()}")
    if opens is not None and closes is not None and opens > closes:
        raise InvalidInput.field("applications_open", f"must be on or before applications "
                                 f"close ({closes.isoformat()}), not {opens.isoformat()}")
    if opens is not None and opens > start:
        raise InvalidInput.field("applications_open", f"must be on or before the start date "
                                 f"({start.isoformat()})")
    if final is not None and final > start:
        raise InvalidInput.field("final_payment_date", f"must be on or before the start date "
                                 f"({start.isoformat()}), not {final.isoformat()}")


def _check_unique(qualification_id: int, start: date, intake_id: int | None = None) -> None:
    clash = db.session.execute(db.select(Intake.id).where(
        Intake.qualification_id == qualification_id, Intake.start_date == start,
        Intake.id != (intake_id or 0))).first()
    if clash is not None:
        raise Conflict(f"start_date: this qualification already has an intake starting on "
                       f"{start.isoformat()} (intake {clash[0]}).")


FIELDS = ("name", "start_date", "applications_open", "applications_close",
          "final_payment_date", "capacity")


def create_intake(values: dict) -> Intake:
    """A new intake of the qualification whose slug is `values["qualification"]`. Flushes."""
    qualification = db.session.execute(db.select(Qualification).where(
        Qualification.slug == values["qualification"])).scalar_one_or_none()
    if qualification is None:
        raise InvalidInput.field("qualification",
                                 f"no qualification with slug {values['qualification']!r}")
    _check_dates(values)
    _check_unique(qualification.id, values["start_date"])
    intake = Intake(qualification=qualification,
                    **{name: values.get(name) for name in FIELDS})
    intake.name = intake.name.strip()
    db.session.add(intake)
    db.session.flush()
    return intake


def update_intake(intake: Intake, changes: dict) -> Intake:
    """Change an intake's name, dates or capacity. The start date cannot move once anyone is
    enrolled (their windows run from it), nor the capacity fall below the places taken."""
    merged = {name: getattr(intake, name) for name in FIELDS} | changes
    _check_dates(merged)
    if merged["start_date"] != intake.start_date:
        enrolled = db.session.execute(db.select(Enrolment.id).where(
            Enrolment.intake_id == intake.id).limit(1)).first()
        if enrolled is not None:
            raise Conflict("start_date: learners are enrolled on this intake and their "
                           "windows run from its start; defer them instead.")
        _check_unique(intake.qualification_id, merged["start_date"], intake.id)
    if merged["capacity"] is not None and merged["capacity"] < seats_taken(intake):
        raise InvalidInput.field("capacity", f"must be at least the places already taken "
                                 f"({seats_taken(intake)})")
    for name, value in changes.items():
        setattr(intake, name, value.strip() if name == "name" else value)
    db.session.flush()
    return intake
