"""Every page, for every role, in Debian's Chromium against `lms serve` with the demo data:
axe-core finds no serious or critical WCAG 2.2 A/AA violation, nothing scrolls sideways on a
360-pixel phone, and a screenshot of each is kept (phone and desktop) in test-artifacts/."""

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

    aisha = user_by_email(LEARNER)
    enrolment = db.session.execute(db.select(Enrolment).filter_by(learner_id=aisha.id)
                                   ).scalars().first()
    submission = db.session.execute(db.select(Submission).order_by(Submission.id.desc())
                                    ).scalars().first()
    return {"enrolment_id": enrolment.id, "submission_id": submission.id if submission else 0,
            "learner": aisha.public_id}


# (who, endpoint, arguments from _ids()); pages not installed are skipped by name.
PAGES = [
    (None, "web.index", {}),
    (None, "web.login", {}),
    (None, "api_reference.page", {}),
    (LEARNER, "web.index", {}),
    (LEARNER, "learner_pages.dashboard", {}),
    (LEARNER, "learner_pages.unit", {"enrolment_id": None, "number": 1}),
    (LEARNER, "tutorial_pages.index", {}),
    (LEARNER, "assessment_pages.submit",
     {"enrolment_id": None, "slug": "u1-assessment-case-study-reducing-restrictions"}),
    (LEARNER, "web.notifications", {}),
    (LEARNER, "web.account", {}),
    (TUTOR, "learner_records.learners", {}),
    (TUTOR, "learner_records.learner", {"enrolment_id": None}),
    (TUTOR, "tutor_pages.week", {}),
    (TUTOR, "tutor_pages.availability", {}),
    (TUTOR, "assessment_pages.queue", {}),
    (TUTOR, "assessment_pages.decide", {"submission_id": None}),
    (TUTOR, "web.notifications", {}),
    (VERIFIER, "assessment_pages.verification", {}),
    (MANAGER, "manager_pages.overview", {}),
    (ADMIN, "admin_pages.index", {}),
    (ADMIN, "admin_pages.catalogue", {}),
    (ADMIN, "admin_pages.users", {}),
    (ADMIN, "admin_pages.intakes", {}),
    (ADMIN, "admin_pages.lrs_clients", {}),
]


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(app, database_url, tmp_path):
    """The demo installation, served; yields (base URL, [(who, name, path)])."""
    from lms.cli import initialise

    initialise(demo=True)
    ids = _ids()
    pages = []
    with app.test_request_context():
        for who, endpoint, arguments in PAGES:
            if endpoint not in app.view_functions:
                continue
            values = {k: (ids[k] if v is None else v) for k, v in arguments.items()}
            pages.append((who, endpoint.replace(".", "-"), url_for(endpoint, **values)))
    with served(app, database_url, tmp_path / "serve.log") as base:
        yield base, pages


def test_every_page_passes_axe_fits_a_phone_and_is_photographed(chromium, demo):
    base, pages = demo
    problems = []
    by_person = {}
    for who, name, path in pages:
        by_person.setdefault(who, []).append((name, path))
    for who, visits in by_person.items():
        for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            context = chromium.new_context(viewport=viewport)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            if who:
                sign_in_as(page, base, who)
            for name, path in visits:
                response = page.goto(base + path)
                role = (who or "visitor").split("@")[0].split(".")[0]
                if response.status >= 400:
                    problems.append(f"{role} {path}: HTTP {response.status}")
                    continue
                screenshot(page, f"{role}-{name}-{label}")
                if label == "phone":
                    if overflows_sideways(page):
                        problems.append(f"{role} {path}: wider than a 360-pixel phone")
                    problems += [f"{role} {path}: {v}" for v in serious_violations(page)]
            problems += [f"{who}: script error {e}" for e in errors
                         if "swagger" not in e.lower()]
            context.close()
    assert problems == [], "\n".join(problems)
