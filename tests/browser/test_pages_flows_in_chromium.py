"""What people do on the pages, in Debian's Chromium against a real `lms serve`, as a person
does it: buttons pressed by their names, fields filled by their labels, and one run with the
keyboard alone. The API and the database only set the scene and check the outcome.

A learner watches a film and sees their hours rise; books a group and an individual
tutorial and cancels one; a tutor marks attendance and the learner's guided hours rise; the
tutor decides an assessment and the learner's unit is achieved."""

import re
from datetime import timedelta

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    served,
    sign_in,
    sync_playwright,
    wait_until_sent,
)
from conftest import PASSWORD

pytestmark = pytest.mark.slow

FILM = "u1-film-lived-experience-of-restriction"  # 1 hour of self-study
GROUP = "u1-group-tutorial-restrictions-in-our-services"  # 2 hours guided
INDIVIDUAL = "u1-individual-tutorial-planning-case-study"
UNIT_1 = "Unit 1: Principles of Restrictive Practice Reduction"


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium):
    """`open_page()` -> a page in a new browser context (a person of their own); no script
    error may happen on any page."""
    contexts, problems = [], []

    def new(width=1000):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10000)
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield new
    for context in contexts:
        context.close()
    assert problems == [], problems


@pytest.fixture
def tutor(make_user):
    return make_user("tutor", name="Tara Tutor")


@pytest.fixture
def learner(make_user, enrol, tutor):
    user = make_user("learner", name="Lee Learner")
    user.enrolment = enrol(user, tutor=tutor)
    return user


@pytest.fixture
def site(app, database_url, catalogue, learner, tmp_path):
    with served(app, database_url, tmp_path / "serve.log") as base:
        yield base


@pytest.fixture
def group_session(client, auth, tutor):
    """`group_session(starts_at)` -> a two-hour group tutorial of unit 1 (the session's JSON),
    made by the tutor through the API."""

    def make(starts_at, capacity=8):
        body = {"activity": GROUP, "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(hours=2)).isoformat(), "capacity": capacity}
        response = client.post("/api/v1/tutorials/sessions", json=body, headers=auth(tutor))
        assert response.status_code == 201, response.get_json()
        return response.get_json()[0]

    return make


def title_of(db, slug: str) -> str:
    from lms.catalogue.models import Activity

    return db.session.execute(db.select(Activity.title).where(Activity.slug == slug)).scalar_one()


def named(*words: str) -> re.Pattern:
    """A button's or link's accessible name that begins with `words`. (Chromium reads the
    visually hidden part of a name, "Start<span>: Film ...</span>", as a block of its own:
    "Start : Film ...".)"""
    return re.compile("^" + r"\s*".join(re.escape(w) for w in words))


def go_to(page, label: str) -> None:
    """Follow the main navigation's link."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=label)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")


def dashboard_hours(page) -> tuple[float, float]:
    """(total, guided) learning hours as the dashboard's hours card shows them."""
    card = page.locator(".card.hours")
    total = float(card.locator(".big").inner_text())
    guided = card.locator("p.split", has_text="Guided").inner_text()
    return total, float(re.search(r"[\d.]+", guided).group())


def expect(target):
    """Playwright's `expect` (its assertions wait for the page to come to that state)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def says(page, message: str | re.Pattern) -> None:
    """The page's flash message, once the form's answer has come back."""
    expect(page.locator(".flash")).to_have_text(message)


def test_a_learner_watches_a_film_and_sees_their_hours_rise(site, open_page, db, learner):
    title = title_of(db, FILM)
    page = open_page()
    sign_in(page, site, learner.email, PASSWORD)
    go_to(page, "My progress")
    before, _ = dashboard_hours(page)

    page.locator("ol.unit-bars").get_by_role("link", name=UNIT_1).click()
    page.get_by_role("button", name=named("Start", f": {title}")).click()
    page.wait_for_url("**/player?**")
    page.wait_for_function("() => document.getElementById('film').readyState >= 1")
    page.evaluate("""() => {
        const video = document.getElementById("film");
        video.muted = true;          // playing without a click is allowed when muted
        video.playbackRate = 16;
        return video.play();
    }""")
    page.wait_for_function("() => document.getElementById('film').ended", timeout=20000)
    wait_until_sent(page)
    assert "counts as complete" in page.locator("#activity-done").inner_text()

    go_to(page, "My progress")
    after, _ = dashboard_hours(page)
    assert (before, after) == (0, 1)
    page.locator("ol.unit-bars").get_by_role("link", name=UNIT_1).click()
    film = page.locator(f"#activity-{FILM}")
    assert "Completed" in film.inner_text()
    assert film.get_by_role("button", name=named("Open again", f": {title}")).is_visible()


def test_a_learner_books_a_group_and_an_individual_tutorial_and_cancels_one(
        site, open_page, client, auth, db, tutor, learner, group_session):
    from lms.timeutil import utcnow

    response = client.put(f"/api/v1/tutors/{tutor.public_id}/availability", headers=auth(tutor),
                          json={"windows": [{"weekday": day, "starts": "10:00", "ends": "12:00"}
                                            for day in ("tuesday", "thursday")],
                                "slot_minutes": 60, "buffer_minutes": 15})
    assert response.status_code == 200, response.get_json()
    group_session((utcnow() + timedelta(days=7)).replace(second=0, microsecond=0))
    group_title, individual_title = title_of(db, GROUP), title_of(db, INDIVIDUAL)
    page = open_page()
    sign_in(page, site, learner.email, PASSWORD)
    go_to(page, "Tutorials")
    yours = page.locator("section", has=page.get_by_role("heading", name="Your tutorials"))
    group = page.locator("section", has=page.get_by_role("heading", name="Group sessions"))
    assert "You have no tutorials booked ahead." in yours.inner_text()

    group.get_by_role("button", name=named("Book a place", f": {group_title}")).click()
    says(page, re.compile(f"^Booked: {re.escape(group_title)}, "))
    expect(yours.locator("li.card")).to_have_count(1)
    expect(yours.locator("li.card")).to_contain_text("Booked")
    expect(group).to_contain_text("You have a place")

    page.get_by_label("Which individual tutorial").select_option(
        label=f"Unit 1: {individual_title}")
    first_slot = page.get_by_role("button", name=re.compile(r"^Book\s*\d\d:\d\d to ")).first
    slot = re.search(r"\d\d:\d\d", first_slot.inner_text()).group()  # "11:15", say
    first_slot.click()
    says(page, re.compile(f"^Booked: {re.escape(individual_title)} with Tara Tutor, "))
    expect(yours.locator("li.card")).to_have_count(2)
    expect(yours.locator("li.card", has_text=individual_title)).to_contain_text(f", {slot} to ")

    place = yours.locator("li.card", has_text=group_title)
    place.get_by_label("Reason for cancelling (optional)").fill("A shift I cannot move")
    place.get_by_role("button", name=named("Cancel", f" {group_title}")).click()
    says(page, re.compile(f"^Cancelled: {re.escape(group_title)}, "))
    expect(yours.locator("li.card")).to_have_count(1)
    expect(yours.locator("li.card")).to_contain_text(individual_title)
    expect(group.get_by_role("button", name=named("Book a place"))).to_be_visible()
    bookings = client.get("/api/v1/tutorials/bookings", headers=auth(learner)).get_json()
    assert sorted(b["status"] for b in bookings["items"]) == ["booked", "cancelled"]


def test_a_tutor_marks_attendance_and_the_learners_guided_hours_rise(
        site, open_page, client, auth, db, tutor, learner, group_session):
    from lms.timeutil import london, utcnow
    from lms.tutorials.models import TutorialSession

    made = group_session((utcnow() + timedelta(days=2)).replace(second=0, microsecond=0))
    booked = client.post(f"/api/v1/tutorials/sessions/{made['id']}/bookings", json={},
                         headers=auth(learner))
    assert booked.status_code == 201, booked.get_json()
    session = db.session.get(TutorialSession, made["id"])  # it took place this morning
    session.starts_at = (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()
    held_on = london(session.starts_at).date()
    title = session.title

    mine = open_page()
    sign_in(mine, site, learner.email, PASSWORD)
    go_to(mine, "My progress")
    assert dashboard_hours(mine) == (0, 0)

    page = open_page()
    sign_in(page, site, tutor.email, PASSWORD)
    go_to(page, "Tutorial week")
    if held_on < london(utcnow()).date() - timedelta(days=london(utcnow()).weekday()):
        page.get_by_role("link", name=named("Previous week")).click()  # Monday morning
    card = page.locator(f"#session-{made['id']}")
    attendance = card.get_by_role("group", name="Lee Learner")
    attendance.get_by_label("Attended", exact=True).check()
    assert attendance.get_by_label("Minutes attended").input_value() == "120"
    card.get_by_role("button", name=named("Save attendance", f": {title}")).click()
    says(page, f"Attendance saved for {title}: 1 attended, 0 did not attend.")
    expect(card).to_contain_text("Attended, 120 min")

    mine.reload()
    assert dashboard_hours(mine) == (2, 2)


def test_a_tutor_decides_an_assessment_and_the_learners_unit_is_achieved(
        app, database_url, tmp_path, open_page):
    from lms.cli import initialise
    from lms.demo import DEMO_PASSWORD

    initialise(demo=True)  # Emma Hughes has unit 1 done but for a task the tutor has to judge
    with served(app, database_url, tmp_path / "serve.log") as base:
        emma = open_page()
        sign_in(emma, base, "emma.hughes@riverside-care.example", DEMO_PASSWORD)
        go_to(emma, "My progress")
        unit = emma.locator("ol.unit-bars li", has_text=UNIT_1)
        assert "Achieved" not in unit.inner_text()

        page = open_page()
        sign_in(page, base, "tutor@pathway.example", DEMO_PASSWORD)
        go_to(page, "Assessment")
        page.get_by_role("link", name=re.compile(r": Emma Hughes, attempt 1$")).click()
        page.wait_for_url("**/assess/*")
        task = page.get_by_role("heading", level=1).inner_text().removesuffix(" — Emma Hughes")
        decision_page = page.url
        met = page.get_by_role("radio", name="Met", exact=True)
        assert met.count() >= 2
        for choice in met.all():
            choice.check()
        page.get_by_label("Overall feedback to the learner").fill("Met: well argued.")
        page.get_by_role("button", name="Record decision").click()
        says(page, f"Decision recorded for Emma Hughes, “{task}”: met.")
        assert page.get_by_role("link", name=re.compile("Emma Hughes")).count() == 0
        page.goto(decision_page)  # read-only now, with the decision on each criterion
        assert "Decision" in page.get_by_role("heading", level=2).all_inner_texts()
        assert page.get_by_role("button", name="Record decision").count() == 0

        emma.reload()
        assert "Achieved" in emma.locator("ol.unit-bars li", has_text=UNIT_1).inner_text()
        emma.locator("ol.unit-bars").get_by_role("link", name=UNIT_1).click()
        expect(emma.locator("main")).to_contain_text(re.compile(r"Achieved on \w+day"))
        for person in (emma, page):  # before the server stops: it need not wait for them
            person.context.close()


# ---- the keyboard alone ------------------------------------------------------------------------

def tab_to(page, target, backwards=False, limit=120) -> None:
    """Press Tab (or Shift+Tab) until `target` (a locator) has the focus, as a person using
    the keyboard does; fails if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is never reached with the Tab key")


def focus_is_visible(page) -> bool:
    """Whether the focused element is drawn with an outline (the focus ring)."""
    return page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'")


def test_the_learners_main_flow_with_the_keyboard_alone(
        site, open_page, db, learner, group_session):
    from lms.timeutil import utcnow

    group_session((utcnow() + timedelta(days=7)).replace(second=0, microsecond=0))
    film = title_of(db, FILM)
    page = open_page(width=1280)
    page.goto(f"{site}/login")
    tab_to(page, page.get_by_label("E-mail address"))
    assert focus_is_visible(page)
    page.keyboard.type(learner.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/")

    navigation = page.get_by_role("navigation", name="Main")
    tab_to(page, navigation.get_by_role("link", name="My progress"))
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn")

    units = page.locator("ol.unit-bars")
    tab_to(page, units.get_by_role("link", name=UNIT_1))
    page.keyboard.press("Enter")
    page.wait_for_url("**/units/1")
    start = page.get_by_role("button", name=named("Start", f": {film}"))
    tab_to(page, start)
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    page.wait_for_url("**/player?**")
    assert page.get_by_role("heading", level=1).inner_text() == film

    # Back up the page to the navigation (Shift+Tab), then to the tutorials.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Tutorials"), backwards=True)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/tutorials")
    book = page.get_by_role("button", name=named("Book a place"))
    tab_to(page, book)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    says(page, re.compile("^Booked: "))
    expect(page.locator("section", has=page.locator("#group-sessions"))).to_contain_text(
        "You have a place")
