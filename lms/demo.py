"""`lms demo`: a small, real-looking installation to look around in.

Creates (once; running it again changes nothing) the 2024 example intake and a current
intake of the default Diploma, an administrator, a tutor, an organisation (an RRN member)
with its manager and a cohort of six learners, and one individual learner. Every demo
account's password is `DEMO_PASSWORD`.
"""

from datetime import date, timedelta

from lms.catalogue.operations import qualification_by_slug
from lms.enrolment.models import Cohort, Intake, Organisation
from lms.enrolment.operations import enrol
from lms.extensions import db
from lms.people.operations import create_user, user_by_email

DEMO_PASSWORD = "pathway-demo"  # noqa: S105 (published in README for the demo)
QUALIFICATION = "l5-diploma-reducing-restrictive-practices"

ADMIN = ("admin@pathway.example", "Priya Shah", ["admin"])
TUTOR = ("tutor@pathway.example", "Sam Okafor", ["tutor"])
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

DEMO_LOGINS = [ADMIN, TUTOR, MANAGER, INDIVIDUAL] + [(e, n, ["learner"]) for e, n in COHORT]


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
    """Create the demo data if it is not there yet; returns a one-line summary."""
    today = today or date.today()
    if user_by_email(ADMIN[0]) is not None:
        return "demo: already present"
    qualification = qualification_by_slug(QUALIFICATION)

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
    organisation = _get_or_add(Organisation, {"slug": "riverside-care"},
                               name="Riverside Care Partnership", rrn_member=True)
    _user(*MANAGER, organisation=organisation)
    cohort = _get_or_add(Cohort, {"intake_id": intake.id, "organisation_id": organisation.id},
                         name="Riverside Care cohort", seats=6)
    for email, name in COHORT:
        learner = _user(email, name, ["learner"], organisation=organisation)
        enrol(learner, intake, tutor=tutor, cohort=cohort)
    enrol(_user(*INDIVIDUAL), intake, tutor=tutor)
    return (f"demo: created {len(DEMO_LOGINS)} accounts (password {DEMO_PASSWORD!r}), "
            f"{intake.name} with a cohort of six and one individual learner")
