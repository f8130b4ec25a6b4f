"""The applying and paying pages in Chromium, in the states the demo does not show: a cohort
application waiting for its decision (the manager removes and names learners, the
administrator accepts it with a note) and a payment refused next to its field. Each page on
the way passes axe and fits a 360-pixel phone; the buttons are found by the names a person
reads."""

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, served, sync_playwright
from pages_browser_support import (
    PHONE,
    overflows_sideways,
    screenshot,
    serious_violations,
    sign_in_as,
)

pytestmark = pytest.mark.slow

ADMIN = "admin@pathway.example"
MANAGER = "manager@riverside-care.example"


@pytest.fixture
def waiting(app, database_url, tmp_path):
    """The demo, plus Riverside's manager's cohort application for the next intake naming
    two of Riverside's people who have no place on it (Gina and Hal, new accounts); yields
    (base URL, application id, the people's names)."""
    from lms.cli import initialise
    from lms.enrolment import applying
    from lms.enrolment.intakes import london_today, open_intakes
    from lms.extensions import db
    from lms.people.operations import create_user, user_by_email

    initialise(demo=True)
    manager = user_by_email(MANAGER)
    people = [create_user(f"{name.split()[0].lower()}@riverside-care.example", name,
                          ["learner"], organisation_id=manager.organisation_id)
              for name in ("Gina Hart", "Hal Ives", "Ivo Jay")]
    intake = db.session.execute(open_intakes(london_today())).scalars().first()
    application = applying.apply(manager, intake, "cohort",
                                 [p.public_id for p in people[:2]], london_today())
    db.session.commit()
    with served(app, database_url, tmp_path / "serve.log") as base:
        yield base, application.id


def _check(page, problems: list, name: str) -> None:
    screenshot(page, f"enrolment-{name}-phone")
    if overflows_sideways(page):
        problems.append(f"{name}: wider than a 360-pixel phone")
    problems += [f"{name}: {v}" for v in serious_violations(page)]


def _flash(page) -> str:
    return " ".join(page.locator("p.flash").all_inner_texts())


def test_a_cohort_application_is_changed_and_decided_on_the_pages(waiting):
    base, application_id = waiting
    problems = []
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        sign_in_as(page, base, MANAGER)
        page.goto(f"{base}/applications/{application_id}")
        _check(page, problems, "manager-waiting-application")
        page.get_by_role("button", name="Remove Gina Hart").click()
        page.wait_for_load_state()
        assert "Gina Hart is no longer named in this application." in _flash(page)
        page.get_by_label("Ivo Jay").check()
        page.get_by_role("button", name="Add learners").click()
        page.wait_for_load_state()
        assert "Added: Ivo Jay." in _flash(page)
        context.close()

        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        sign_in_as(page, base, ADMIN)
        page.goto(f"{base}/applications")
        page.get_by_role("link", name=f"Decide on application {application_id}").click()
        page.wait_for_load_state()
        _check(page, problems, "admin-decision")
        page.get_by_label("Note to the applicant (optional)").fill("Welcome, Riverside")
        page.get_by_role("button", name="Accept application").click()
        page.wait_for_load_state()
        assert "Accepted: 2 enrolled; invoice" in _flash(page)
        page.get_by_role("link", name="PW-").click()
        page.wait_for_load_state()
        page.get_by_label("Amount received (£)").fill("999999")
        page.get_by_role("button", name="Record payment").click()
        page.wait_for_load_state()
        assert "is more than the" in page.locator("#amount-error").inner_text()
        _check(page, problems, "admin-payment-refused")
        context.close()
        browser.close()
    assert problems == [], "\n".join(problems)
