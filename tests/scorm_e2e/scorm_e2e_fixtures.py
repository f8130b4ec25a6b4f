"""Fixtures of the SCORM and cmi5 browser tests (load with
`pytest_plugins = ["scorm_e2e_fixtures"]`): one `lms serve` and one Chromium per test module;
per test, the small catalogue of `e2e_catalogue.yaml`, a learner enrolled on it, an
administrator's and the learner's API headers, an LRS client that reads everything, and
`open_page()` for browser pages (no script error may happen on any of them)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from scorm_e2e_support import CATALOGUE, CHROMIUM, CHROMIUM_ARGS, serving, sync_playwright


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, for the whole module."""
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    """A real `lms serve` on the test database for the whole module (its own instance folder
    keeps the uploaded packages); yields its base URL. Each test's tables are emptied after
    it as usual: the server keeps nothing of a test in memory."""
    folder = tmp_path_factory.mktemp("scorm-e2e")
    with serving(folder / "instance", database_url, folder / "serve.log") as base:
        yield base


@pytest.fixture
def app_config(site):
    """This test's app names the server's address as its base URL, so IRIs, agents and the
    LRS clients it makes are the server's."""
    return {"BASE_URL": site}


@pytest.fixture
def course(app, db):
    """The test qualification loaded, with an intake that started a week ago."""
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.enrolment.models import Intake

    report = load_file(CATALOGUE)
    qualification = qualification_by_slug(report.qualification)
    intake = Intake(qualification=qualification, name="Packaged learning intake",
                    start_date=date.today() - timedelta(days=7))
    db.session.add(intake)
    db.session.commit()
    return intake


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Rowan Reader")


@pytest.fixture
def enrolment(db, course, learner):
    from lms.enrolment.operations import enrol

    found = enrol(learner, course)
    db.session.commit()
    return found


@pytest.fixture
def admin_headers(auth, make_user):
    return auth(make_user("admin", name="Ada Admin"))


@pytest.fixture
def learner_headers(auth, learner):
    return auth(learner)


@pytest.fixture
def lrs(lrs_headers):
    """Headers of an LRS client that may read every statement."""
    return lrs_headers("all")


@pytest.fixture
def open_page(chromium, site):
    """`open_page(width=1000)` -> a page in a new browser context (a person of their own)."""
    contexts, problems = [], []

    def new(width=1000, height=800):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield new
    for context in contexts:
        context.close()
    assert problems == [], problems
