"""Applying for an intake: an individual for themself, or an organisation manager for a cohort
of six of their organisation's people (named now or later, never more than six); an
administrator accepts (enrolments and the invoice follow) or declines; the applicant may
withdraw before the decision. Operations flush; the caller commits."""

from datetime import date

from sqlalchemy import or_

from lms.enrolment.applications import COHORT_SEATS, Application, EnrolmentChange, Seat
from lms.enrolment.intakes import applications_close, check_room
from lms.enrolment.models import Cohort, Enrolment, Intake
from lms.enrolment.operations import enrol
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound
from lms.extensions import db
from lms.invoicing.prices import is_member, price_for
from lms.people.models import User
from lms.timeutil import utcnow

LIVE = ("submitted", "accepted")  # applications that hold a learner's place on an intake


def visible_applications(viewer):
    """A select of the applications `viewer` may see: all for an administrator; their
    organisation's (and their own) for an organisation manager; their own for anyone else."""
    statement = db.select(Application)
    if "admin" in viewer.role_names:
        return statement
    allowed = [Application.applicant_id == viewer.id]
    if "org_manager" in viewer.role_names and viewer.organisation_id is not None:
        allowed.append(Application.organisation_id == viewer.organisation_id)
    return statement.where(or_(*allowed))


def application_for(viewer, application_id: int) -> Application:
    """Application `application_id` if `viewer` may see it, else 404."""
    found = db.session.execute(visible_applications(viewer).where(
        Application.id == application_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"application: there is no application {application_id} that you "
                       "can see.")
    return found


def _check_dates(intake: Intake, today: date) -> None:
    if intake.applications_open is not None and today < intake.applications_open:
        raise Conflict(f"intake: applications for {intake.name} open on "
                       f"{intake.applications_open.isoformat()}; today is {today.isoformat()}.")
    closes = applications_close(intake)
    if today > closes:
        raise Conflict(f"intake: applications for {intake.name} closed on "
                       f"{closes.isoformat()}; today is {today.isoformat()}.")


def _check_free(intake: Intake, learner: User) -> None:
    """409 when `learner` already holds an application or an enrolment on `intake`."""
    applied = db.session.execute(
        db.select(Application.id).join(Seat).where(
            Application.intake_id == intake.id, Application.status.in_(LIVE),
            Seat.learner_id == learner.id).limit(1)).first()
    if applied is not None:
        raise Conflict(f"learners: {learner.name} ({learner.public_id}) already holds "
                       f"application {applied[0]} on {intake.name}.")
    enrolled = db.session.execute(db.select(Enrolment.id).where(
        Enrolment.intake_id == intake.id, Enrolment.learner_id == learner.id)).first()
    if enrolled is not None:
        raise Conflict(f"learners: {learner.name} ({learner.public_id}) is already enrolled "
                       f"on {intake.name} (enrolment {enrolled[0]}).")


def _cohort_learners(organisation, public_ids: list[str]) -> list[User]:
    """The people named for a cohort: known, distinct, of `organisation`."""
    if len(set(public_ids)) != len(public_ids):
        raise InvalidInput.field("learners", "names a learner more than once")
    learners = []
    for public_id in public_ids:
        learner = db.session.execute(
            db.select(User).where(User.public_id == public_id)).scalar_one_or_none()
        if learner is None:
            raise InvalidInput.field("learners", f"no person with id {public_id!r}")
        if learner.organisation_id != organisation.id:
            raise InvalidInput.field(
                "learners", f"{learner.name} ({public_id}) is not of {organisation.name}: "
                "mixing organisations in a cohort refused")
        learners.append(learner)
    return learners


def apply(applicant: User, intake: Intake, kind: str, learner_ids: list[str],
          today: date) -> Application:
    """A new application, priced today: an individual's for themself, or an organisation
    manager's for a cohort of their organisation (0 to 6 learners named)."""
    _check_dates(intake, today)
    if kind == "individual":
        if learner_ids:
            raise InvalidInput.field("learners", "an individual applies for themself only; "
                                     "name learners in a cohort application")
        learners, organisation_id = [applicant], None
        member = is_member(today, user_id=applicant.id)
    else:
        if "org_manager" not in applicant.role_names or applicant.organisation_id is None:
            raise Forbidden("Only an organisation manager applies for a cohort.")
        if len(learner_ids) > COHORT_SEATS:
            raise InvalidInput.field("learners", f"a cohort has at most {COHORT_SEATS} "
                                     f"learners, not {len(learner_ids)}")
        learners = _cohort_learners(applicant.organisation, learner_ids)
        organisation_id = applicant.organisation_id
        member = is_member(today, organisation_id=organisation_id)
    for learner in learners:
        _check_free(intake, learner)
    check_room(intake, 1 if kind == "individual" else COHORT_SEATS)
    price = price_for(intake.qualification_id, kind, member, today)
    application = Application(intake=intake, kind=kind, applicant=applicant,
                              organisation_id=organisation_id, member=member, price=price,
                              net_amount=price.net_amount)
    application.seats = [Seat(number=n, learner=learner)
                         for n, learner in enumerate(learners, start=1)]
    db.session.add(application)
    db.session.flush()
    return application


def _enrol_seat(application: Application, seat: Seat, by: User, today: date) -> None:
    intake = application.intake
    enrolled = db.session.execute(db.select(Enrolment.id).where(
        Enrolment.intake_id == intake.id, Enrolment.learner_id == seat.learner_id)).first()
    if enrolled is not None:
        raise Conflict(f"learners: {seat.learner.name} ({seat.learner.public_id}) is already "
                       f"enrolled on {intake.name} (enrolment {enrolled[0]}).")
    enrolment = enrol(seat.learner, intake, cohort=application.cohort)
    enrolment.status = "pending" if intake.start_date > today else "active"
    seat.enrolment = enrolment
    db.session.add(EnrolmentChange(enrolment=enrolment, kind="created", made_by=by,
                                   details={"application": application.id,
                                            "seat": seat.number}))
    db.session.flush()


def add_learners(application: Application, by: User, public_ids: list[str],
                 today: date) -> list[Seat]:
    """Name more learners of a cohort application (up to six in all), by the organisation's
    manager or an administrator; once accepted, each is enrolled as they are named."""
    if application.kind != "cohort":
        raise Conflict(f"application: {application.id} is an individual application; only "
                       "cohorts name learners.")
    if application.status not in LIVE:
        raise Conflict(f"application: {application.id} is {application.status}.")
    if not public_ids:
        raise InvalidInput.field("learners", "name at least one learner")
    named = len(application.seats)
    if named + len(public_ids) > COHORT_SEATS:
        raise InvalidInput.field("learners", f"a cohort has at most {COHORT_SEATS} learners: "
                                 f"{named} named already, {len(public_ids)} more refused")
    if "admin" not in by.role_names and by.organisation_id != application.organisation_id:
        raise Forbidden("Only the organisation's manager names its cohort's learners.")
    learners = _cohort_learners(application.organisation, public_ids)
    for learner in learners:
        if any(seat.learner_id == learner.id for seat in application.seats):
            raise Conflict(f"learners: {learner.name} ({learner.public_id}) is already named "
                           "in this application.")
        _check_free(application.intake, learner)
    free = [n for n in range(1, COHORT_SEATS + 1)
            if n not in {seat.number for seat in application.seats}]
    added = [Seat(number=number, learner=learner) for number, learner in zip(free, learners,
                                                                             strict=False)]
    application.seats.extend(added)
    db.session.flush()
    if application.status == "accepted":
        for seat in added:
            _enrol_seat(application, seat, by, today)
    return added


def remove_learner(application: Application, public_id: str) -> None:
    """Take a learner off a cohort application before it is decided."""
    if application.status != "submitted":
        raise Conflict(f"application: {application.id} is {application.status}; learners "
                       "are removed only before the decision.")
    if application.kind != "cohort":
        raise Conflict(f"application: {application.id} is an individual application; "
                       "withdraw it instead.")
    seat = next((s for s in application.seats if s.learner.public_id == public_id), None)
    if seat is None:
        raise NotFound(f"learner: {public_id!r} is not named in application {application.id}.")
    application.seats.remove(seat)
    db.session.flush()


def decide(application: Application, decision: str, note: str, by: User, today: date):
    """Accept (enrol each named learner, issue the invoice) or decline an application. Returns
    the invoice of an acceptance, else None."""
    from lms.invoicing.operations import issue_invoice

    if application.status != "submitted":
        raise Conflict(f"application: {application.id} is already {application.status}.")
    intake = application.intake
    if decision == "accept":
        check_room(intake, 1 if application.kind == "individual" else COHORT_SEATS)
    application.status = "accepted" if decision == "accept" else "declined"
    application.decided_at, application.decided_by, application.decision_note = \
        utcnow(), by, note.strip()
    if decision != "accept":
        db.session.flush()
        return None
    if application.kind == "cohort":
        application.cohort = Cohort(intake=intake, organisation=application.organisation,
                                    name=f"{application.organisation.name} cohort, "
                                         f"{intake.name}", seats=COHORT_SEATS)
    for seat in application.seats:
        _enrol_seat(application, seat, by, today)
    return issue_invoice(application, today)


def withdraw(application: Application, by: User) -> None:
    """The applicant withdraws their application before it is decided."""
    if application.applicant_id != by.id:
        raise Forbidden("Only the applicant may withdraw an application.")
    if application.status != "submitted":
        raise Conflict(f"application: {application.id} is already {application.status}.")
    application.status = "withdrawn"
    db.session.flush()
