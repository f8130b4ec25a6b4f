"""`lms demo`: a small, real-looking installation to look around in.

Creates (once; running it again changes nothing) the 2024 example intake and a current
intake of the default Diploma, an administrator, a tutor, an internal verifier, an
organisation (an RRN member) with its manager and a cohort of six learners, and one individual
learner, and records in the LRS the activities each learner has finished so far; the
cohort's and the individual's accepted applications with their invoices, the organisation's
confirmed RRN membership, and a next intake open for applications
(`lms.enrolment.demo_applications`); the tutor's availability, group sessions (one full,
with a waitlist) and an individual tutorial booked (`lms.tutorials.demo`). Every demo
account's password is `DEMO_PASSWORD`.
"""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from lms.catalogue.operations import qualification_by_slug
from lms.enrolment.demo_applications import create_demo_applications
from lms.enrolment.models import Cohort, Intake, Organisation
from lms.enrolment.operations import enrol
from lms.extensions import db
from lms.people.operations import create_user, user_by_email

DEMO_PASSWORD = "pathway-demo"  # noqa: S105 (published in README for the demo)
QUALIFICATION = "l5-diploma-reducing-restrictive-practices"

ADMIN = ("admin@pathway.example", "Priya Shah", ["admin"])
TUTOR = ("tutor@pathway.example", "Sam Okafor", ["tutor"])
VERIFIER = ("verifier@pathway.example", "Morgan Lee", ["verifier"])
MANAGER = ("manager@riverside-care.example", "Jo Whitfield", ["org_manager"])
COHORT = [
    ("aisha.khan@riverside-care.example", "Aisha Khan"),
    ("ben.carter@riverside-care.example", "Ben Carter"),
    ("chloe.evans@riverside-care.example", "Chloe Evans"),
    ("dev.patel@riverside-care.example", "Dev Patel"),
    ("emma.hughes@riverside-care.example", "Emma Hughes"),
    ("femi.adeyemi@riverside-care.example", "Femi Adeyemi"),
]
INDIVIDUAL = ("learner@pathway.example", "Alex Morgan", ["learner"])

DEMO_LOGINS = [ADMIN, TUTOR, VERIFIER, MANAGER, INDIVIDUAL] + [
    (e, n, ["learner"]) for e, n in COHORT]


def current_intake_start(today: date) -> date:
    """The current demo intake started on the first Tuesday of the month five months ago."""
    month_index = today.year * 12 + today.month - 1 - 5
    first = date(month_index // 12, month_index % 12 + 1, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def _user(email, name, roles, organisation=None):
    return user_by_email(email) or create_user(
        email, name, roles, password=DEMO_PASSWORD,
        organisation_id=organisation.id if organisation else None)


def _get_or_add(model, lookup: dict, **values):
    found = db.session.execute(db.select(model).filter_by(**lookup)).scalar_one_or_none()
    if found is None:
        found = model(**lookup, **values)
        db.session.add(found)
        db.session.flush()
    return found


def create_demo(today: date | None = None) -> str:
    """Create the demo data if it is not there yet; returns a one-line summary.

    Commits: the LRS keeps its own connection, and SQLite has one writer at a time, so the
    people and enrolments are committed before their learning is recorded."""
    today = today or date.today()
    qualification = qualification_by_slug(QUALIFICATION)
    created = user_by_email(ADMIN[0]) is None
    if created:
        _create_people_and_enrolments(qualification, today)
        db.session.commit()
    applied = create_demo_applications(qualification, MANAGER[0], INDIVIDUAL[0], ADMIN[0],
                                       today)
    if applied:
        db.session.commit()
    recorded = _record_progress(qualification, today)
    from lms.tutorials.demo import create_demo_tutorials

    tutorials = create_demo_tutorials(TUTOR[0], [e for e, _ in COHORT], INDIVIDUAL[0])
    if tutorials:
        db.session.commit()
    if not created and not recorded and not applied and not tutorials:
        return "demo: already present"
    people = (f"created {len(DEMO_LOGINS)} accounts (password {DEMO_PASSWORD!r}), a cohort of "
              "six and one individual learner, " if created else "")
    applications = ("their accepted applications and invoices, an RRN membership and a next "
                    "intake, " if applied else "")
    booked = "tutorials booked ahead, " if tutorials else ""
    return f"demo: {people}{applications}{booked}{recorded} learning records in the LRS"


def _create_people_and_enrolments(qualification, today: date) -> None:
    _get_or_add(Intake, {"qualification_id": qualification.id, "start_date": date(2024, 5, 7)},
                name="2024 intake", applications_open=date(2023, 10, 2),
                applications_close=date(2024, 3, 29), final_payment_date=date(2024, 3, 29),
                capacity=48)
    start = current_intake_start(today)
    intake = _get_or_add(
        Intake, {"qualification_id": qualification.id, "start_date": start},
        name=f"{start:%B %Y} intake", applications_open=start - timedelta(days=180),
        applications_close=start - timedelta(days=40),
        final_payment_date=start - timedelta(days=39), capacity=48)

    _user(*ADMIN)
    tutor = _user(*TUTOR)
    _user(*VERIFIER)
    organisation = _get_or_add(Organisation, {"slug": "riverside-care"},
                               name="Riverside Care Partnership", rrn_member=True)
    _user(*MANAGER, organisation=organisation)
    cohort = _get_or_add(Cohort, {"intake_id": intake.id, "organisation_id": organisation.id},
                         name="Riverside Care cohort", seats=6)
    for email, name in COHORT:
        enrol(_user(email, name, ["learner"], organisation=organisation), intake, tutor=tutor,
              cohort=cohort)
    enrol(_user(*INDIVIDUAL), intake, tutor=tutor)


# Each demo learner's learning so far: how many activities (in catalogue order, practice
# assessments aside) they have finished, and how many days ago they last learned. A spread from
# well ahead to not started, so tutors see who is on track and who is falling behind.
LEARNING = {"aisha.khan": (24, 2), "emma.hughes": (14, 4), "learner": (12, 6),
            "ben.carter": (9, 40), "chloe.evans": (6, 75), "dev.patel": (3, 110),
            "femi.adeyemi": (0, 0)}
# Unit 1's practice assessments, by learner, task by task: "met" (submitted, and judged met by
# the tutor) or "submitted" (waiting in the tutor's queue).
ASSESSED = {"aisha.khan": ["met", "met"], "emma.hughes": ["met", "submitted"],
            "learner": ["submitted"]}


def _record_progress(qualification, today: date) -> int:
    """Record, in the LRS, the learning of each demo learner so far (once: not if the LRS
    already holds learning for a demo enrolment), and their practice assessments."""
    from lms.enrolment.models import Enrolment
    from lms.people.models import User
    from lms.progress.record import finished_statement, record_statements
    from xapi.service import registration_has_statements

    learners = [email for email, _, roles in DEMO_LOGINS if "learner" in roles]
    enrolments = db.session.execute(
        db.select(Enrolment).join(User, Enrolment.learner_id == User.id)
        .where(User.email.in_(learners)).order_by(Enrolment.id)).scalars().all()
    if not enrolments or any(registration_has_statements(e.registration) for e in enrolments):
        return 0
    types = current_app.extensions["lms.activity_types"]
    activities = [a for unit in qualification.units for a in unit.activities
                  if not types[a.type].assessed]  # those wait for a tutor's judgement
    statements = []
    for enrolment in enrolments:
        count, last_days_ago = LEARNING.get(enrolment.learner.email.split("@")[0], (0, 0))
        first = datetime.combine(enrolment.start_date, time(9, 30), tzinfo=UTC)
        last = datetime.combine(today - timedelta(days=last_days_ago), time(19, 0), tzinfo=UTC)
        for step, activity in enumerate(activities[:count]):
            # Evenly from the first week to the last day they learned.
            when = first + (last - first) * ((step + 1) / count) - timedelta(hours=step % 5)
            spent = timedelta(minutes=int(float(activity.hours) * 60 * (0.85 + step % 4 * 0.1)))
            statements.append(finished_statement(enrolment, activity, when, spent))
    if statements:
        record_statements(statements)
    return len(statements) + _assess(qualification, enrolments, types)


EVIDENCE = (b"Service audit (demo evidence)\n\nA short, made-up audit of restrictive practices "
            b"in a supported-living service, written for the Pathway demo.\n")


def _assess(qualification, enrolments, types) -> int:
    """Submit unit 1's practice assessments for the learners of ASSESSED, and decide them as
    their tutor where the outcome is "met". Returns the statements recorded."""
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from lms.assessment.decisions import decide
    from lms.assessment.operations import submit
    from lms.assessment.rules import DECLARATION

    recorded = 0
    unit = qualification.units[0]
    tasks = [a for a in unit.activities if types[a.type].assessed]
    for enrolment in enrolments:
        outcomes = ASSESSED.get(enrolment.learner.email.split("@")[0], [])
        for task, outcome in zip(tasks, outcomes, strict=False):
            upload = FileStorage(BytesIO(EVIDENCE), filename="service-audit.txt",
                                 content_type="text/plain")
            submission = submit(enrolment.learner, enrolment, task, declaration=DECLARATION,
                                signed_name=enrolment.learner.name,
                                note="My evidence for this task.", uploads=[upload])
            recorded += 1
            if outcome == "met":
                criteria = types[task.type].validate_config(task.config)["criteria"]
                decide(enrolment.tutor, submission,
                       [{"code": code, "decision": "met",
                         "feedback": "Clear, well-evidenced examples from your service."}
                        for code in criteria],
                       "Met: a thoughtful piece of work grounded in your own practice.")
                recorded += 1
    return recorded
