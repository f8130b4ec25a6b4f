"""Every page, for every role, in Debian's Chromium against `lms serve` with the demo data:
axe-core finds no serious or critical WCAG 2.2 A/AA violation, nothing scrolls sideways on a
360-pixel phone, and a screenshot of each is kept (phone and desktop) in test-artifacts/."""

from datetime import timedelta

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, served, sync_playwright
from flask import url_for
from pages_browser_support import (
    DESKTOP,
    PHONE,
    overflows_sideways,
    screenshot,
    serious_violations,
    sign_in_as,
)

pytestmark = pytest.mark.slow

LEARNER = "aisha.khan@riverside-care.example"
TUTOR = "tutor@pathway.example"
ADMIN = "admin@pathway.example"
MANAGER = "manager@riverside-care.example"
VERIFIER = "verifier@pathway.example"


def _ids():
    """Ids the demo pages need (inside the app context)."""
    from lms.assessment.models import Submission
    from lms.enrolment.models import Enrolment
    from lms.extensions import db
    from lms.people.operations import user_by_email
    from lms.progress.reports import london_today
    from lms.timeutil import london
    from lms.tutorials.models import TutorialSession

    aisha = user_by_email(LEARNER)
    enrolment = db.session.execute(db.select(Enrolment).filter_by(learner_id=aisha.id)
                                   ).scalars().first()
    submissions = db.session.execute(db.select(Submission).order_by(Submission.id)
                                     ).scalars().all()
    waiting = [s.id for s in submissions if s.outcome is None]
    decided = [s.id for s in submissions if s.outcome is not None]
    first_session = db.session.execute(db.select(TutorialSession).order_by(
        TutorialSession.starts_at)).scalars().first()
    first = first_session.starts_at if first_session else None
    day = london(first).date() if first else london_today()
    return {"enrolment_id": enrolment.id, "submission_id": waiting[-1] if waiting else 0,
            "decided_id": decided[0] if decided else 0, "public_id": aisha.public_id,
            "sessions_week": (day - timedelta(days=day.weekday())).isoformat(),
            "intake_id": enrolment.intake_id,
            "session_id": first_session.id if first_session else 0}


U1_TASK = "u1-assessment-case-study-reducing-restrictions"  # Aisha's: decided, met
U2_TASK = "u2-assessment-capable-environment-case-study"  # not submitted: the form

# (who, endpoint, arguments from _ids() where None); pages not installed are skipped.
PAGES = [
    (None, "web.index", {}),
    (None, "web.login", {}),
    (None, "api_reference.page", {}),
    (LEARNER, "web.index", {}),
    (LEARNER, "learner_pages.dashboard", {}),
    (LEARNER, "learner_pages.unit", {"enrolment_id": None, "number": 1}),
    (LEARNER, "learner_pages.unit", {"enrolment_id": None, "number": 2}),
    (LEARNER, "tutorial_pages.index", {}),
    (LEARNER, "assessment_pages.submit", {"enrolment_id": None, "slug": U1_TASK}),
    (LEARNER, "assessment_pages.submit", {"enrolment_id": None, "slug": U2_TASK}),
    (LEARNER, "web.notifications", {}),
    (LEARNER, "web.account", {}),
    (LEARNER, "account_pages.tokens", {}),
    (LEARNER, "api_reference.page", {}),
    (LEARNER, "enrolment_pages.applications", {}),
    (LEARNER, "enrolment_pages.apply", {}),
    (LEARNER, "enrolment_pages.memberships", {}),
    (LEARNER, "enrolment_pages.enrolment", {"enrolment_id": None}),
    (TUTOR, "learner_records.learners", {}),
    (TUTOR, "learner_records.learner", {"enrolment_id": None}),
    (TUTOR, "records_actions.page", {"enrolment_id": None}),
    (TUTOR, "tutor_pages.week", {}),
    (TUTOR, "tutor_pages.week", {"start": "sessions_week"}),  # the demo's first tutorials
    (TUTOR, "tutor_pages.availability", {}),
    (TUTOR, "assessment_pages.queue", {}),
    (TUTOR, "assessment_pages.decide", {"submission_id": None}),
    (TUTOR, "assessment_pages.decide", {"submission_id": "decided_id"}),
    (TUTOR, "web.notifications", {}),
    (TUTOR, "web.account", {}),
    (VERIFIER, "assessment_pages.verification", {}),
    (VERIFIER, "assessment_pages.verify", {"submission_id": "decided_id"}),
    (VERIFIER, "web.notifications", {}),
    (MANAGER, "manager_pages.overview", {}),
    (MANAGER, "web.notifications", {}),
    (MANAGER, "enrolment_pages.applications", {}),
    (MANAGER, "enrolment_pages.apply", {}),
    (MANAGER, "enrolment_pages.application", {"application_id": 1}),  # the demo cohort's
    (MANAGER, "enrolment_pages.memberships", {}),
    (MANAGER, "enrolment_pages.invoices", {}),
    (MANAGER, "enrolment_pages.invoice", {"number": 1}),
    (MANAGER, "enrolment_pages.enrolments", {}),
    (MANAGER, "enrolment_pages.enrolment", {"enrolment_id": None}),
    (ADMIN, "admin_pages.index", {}),
    (ADMIN, "admin_pages.catalogue", {}),
    (ADMIN, "admin_pages.users", {}),
    (ADMIN, "admin_pages.user_new", {}),
    (ADMIN, "admin_pages.user_edit", {"public_id": None}),
    (ADMIN, "admin_pages.intakes", {}),
    (ADMIN, "admin_pages.intake_edit", {"intake_id": None}),
    (TUTOR, "tutor_pages.session_edit", {"session_id": None}),
    (ADMIN, "admin_pages.lrs_clients", {}),
    (ADMIN, "package_pages.packages", {}),
    (ADMIN, "learner_records.learners", {}),
    (ADMIN, "assessment_pages.queue", {}),
    (ADMIN, "assessment_pages.verification", {}),
    (ADMIN, "web.notifications", {}),
    (ADMIN, "enrolment_pages.applications", {}),
    (ADMIN, "enrolment_pages.application", {"application_id": 2}),  # Alex Morgan's own
    (ADMIN, "enrolment_pages.memberships", {}),
    (ADMIN, "enrolment_pages.invoices", {}),
    (ADMIN, "enrolment_pages.invoice", {"number": 2}),  # part paid: the payment form
    (ADMIN, "enrolment_pages.enrolments", {}),
    (ADMIN, "enrolment_pages.enrolment", {"enrolment_id": None}),
]


def _sign_in_with_nothing(page):
    """The login page showing its errors: Sign in pressed with both fields empty."""
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _make_a_token(page):
    """A personal API token just made: its secret shown once."""
    page.get_by_label("Name", exact=True).fill("Reporting spreadsheet")
    page.get_by_role("button", name="Make token").click()
    page.wait_for_load_state()


def _upload_nothing(page):
    """The content packages page showing a refusal next to the first file field."""
    page.get_by_role("button", name="Upload").first.click()
    page.wait_for_load_state()


# Pages that are not an endpoint's plain GET: (who, name, path, status, then what).
OTHER_VISITS = [
    (None, "login-errors", "/login", 422, _sign_in_with_nothing),
    (None, "not-found", "/no-such-page", 404, None),
    (LEARNER, "not-found", "/learn/999999/units/1", 404, None),
    (LEARNER, "forbidden", "/assess", 403, None),
    (LEARNER, "token-made", "/account/tokens", 200, _make_a_token),
    (ADMIN, "package-refused", "/admin/packages", 422, _upload_nothing),
]


def _resolved(endpoint: str, arguments: dict, ids: dict) -> tuple[dict, str]:
    """The page's URL arguments (None: the id of that name; "decided_id": that id) and the
    name of its screenshots, the same on every run (ids left out)."""
    values, words = {}, [endpoint.replace(".", "-")]
    for key, value in arguments.items():
        if value is None or value in ids:
            values[key] = ids[key if value is None else value]
            if value is not None:
                words.append(value.removesuffix("_id"))
        else:
            values[key] = value
            words.append(str(value))
    return values, "-".join(words)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(app, database_url, tmp_path):
    """The demo installation, served; yields (base URL, [(who, name, path, status, then)])."""
    from lms.cli import initialise

    initialise(demo=True)
    ids = _ids()
    pages = []
    with app.test_request_context():
        for who, endpoint, arguments in PAGES:
            if endpoint in app.view_functions:
                values, name = _resolved(endpoint, arguments, ids)
                pages.append((who, name, url_for(endpoint, **values), 200, None))
    pages += OTHER_VISITS
    with served(app, database_url, tmp_path / "serve.log") as base:
        yield base, pages


def test_every_page_passes_axe_fits_a_phone_and_is_photographed(chromium, demo):
    base, pages = demo
    problems = []
    by_person = {}
    for who, *visit in pages:
        by_person.setdefault(who, []).append(visit)
    for who, visits in by_person.items():
        for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            context = chromium.new_context(viewport=viewport)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            if who:
                sign_in_as(page, base, who)
            role = (who or "visitor").split("@")[0].split(".")[0]
            for name, path, status, then in visits:
                response = page.goto(base + path)
                if then:
                    with page.expect_response(lambda r: r.request.method == "POST") as posted:
                        then(page)
                    response = posted.value
                if response.status != status:
                    problems.append(f"{role} {path}: HTTP {response.status}, not {status}")
                    continue
                screenshot(page, f"{role}-{name}-{label}")
                if label == "phone":
                    if overflows_sideways(page):
                        problems.append(f"{role} {path}: wider than a 360-pixel phone")
                    problems += [f"{role} {path} ({name}): {v}"
                                 for v in serious_violations(page)]
            problems += [f"{who}: script error {e}" for e in errors
                         if "swagger" not in e.lower()]
            context.close()
    assert problems == [], "\n".join(problems)
