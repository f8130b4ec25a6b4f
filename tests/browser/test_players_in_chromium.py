"""The film and reading players in headless Chromium against a real `lms serve`: a learner
signs in, starts the activity, watches or reads it, and the learning record (the LRS, through
the launch credentials) and the progress API show it complete. Skipping through a film does
not complete it."""

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    activity_progress,
    served,
    sign_in,
    start_activity,
    sync_playwright,
    wait_until_sent,
)
from conftest import PASSWORD

pytestmark = pytest.mark.slow

FILM = "u1-film-lived-experience-of-restriction"
OTHER_FILM = "u1-film-why-restrictions-happen"
READING = "u1-reading-human-rights-and-restriction"
VIDEO = "https://w3id.org/xapi/video"


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Rowan Reader")


@pytest.fixture
def enrolment(enrol, learner):
    return enrol(learner)


@pytest.fixture
def site(app, database_url, catalogue, enrolment, tmp_path):
    with served(app, database_url, tmp_path / "serve.log") as base:
        yield base


@pytest.fixture
def page(chromium, site, learner):
    context = chromium.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, site, learner.email, PASSWORD)
    yield page
    context.close()
    assert problems == [], problems  # no script error on any page


def lrs_verbs(page, player_url: str) -> list[str]:
    """The verbs of the learner's statements about the player's activity, oldest first, read
    with the player's launch credentials."""
    parameters = {k: v[0] for k, v in parse_qs(urlsplit(player_url).query).items()}
    query = urlencode({"ascending": "true", "registration": parameters["registration"],
                       "activity": parameters["activity_id"]})
    response = page.request.get(
        parameters["endpoint"] + "statements?" + query,
        headers={"Authorization": parameters["auth"], "X-Experience-API-Version": "1.0.3"})
    assert response.ok, response.text()
    return [s["verb"]["id"].rsplit("/", 1)[1] for s in response.json()["statements"]]


def play(page, rate=16):
    page.evaluate("""(rate) => {
        const video = document.getElementById("film");
        video.muted = true;          // playing without a click is allowed when muted
        video.playbackRate = rate;
        return video.play();
    }""", rate)


def test_a_film_counts_only_what_was_played(page, site, enrolment):
    # Skipping: 0-2 s played, then a jump to 20 s and on to the end.
    skipping = start_activity(page, site, enrolment.id, OTHER_FILM)
    page.wait_for_function("() => document.getElementById('film').readyState >= 1")
    play(page, rate=2)
    page.wait_for_function("() => document.getElementById('film').currentTime >= 2")
    page.evaluate("() => { document.getElementById('film').currentTime = 20; }")
    page.wait_for_function("() => document.getElementById('film').ended", timeout=20000)
    wait_until_sent(page)
    assert page.locator("#activity-done").is_hidden()
    skipped = activity_progress(page, site, enrolment.id, OTHER_FILM)
    assert skipped["status"] == "started"
    assert 0.2 < skipped["detail"]["watched"] < 0.5  # about 0-2.5 s and 20-24 s of 24 s

    # Watching another film through, fast but without a skip.
    url = start_activity(page, site, enrolment.id, FILM)
    page.wait_for_function("() => document.getElementById('film').readyState >= 1")
    assert activity_progress(page, site, enrolment.id, FILM)["status"] == "started"
    play(page)
    page.wait_for_function("() => document.getElementById('film').ended", timeout=20000)
    wait_until_sent(page)
    assert "counts as complete" in page.locator("#activity-done").inner_text()
    entry = activity_progress(page, site, enrolment.id, FILM)
    assert entry["status"] == "completed"
    assert entry["credited_hours"] == 1.0
    assert entry["detail"]["watched"] >= 0.9
    verbs = lrs_verbs(page, url)
    assert verbs[:3] == ["launched", "initialized", "played"]  # `launched`: by Pathway
    assert "completed" in verbs and "seeked" not in verbs
    # Leaving the first film's page sent `terminated` with what had been played there.
    skipped_verbs = lrs_verbs(page, skipping)
    assert skipped_verbs[-3:] == ["seeked", "paused", "terminated"]  # paused: at the end
    assert "completed" not in skipped_verbs


def test_a_reading_read_to_the_end_for_the_minimum_time_is_complete(
        page, site, db, enrolment):
    from lms.catalogue.models import Activity

    # `lms serve` loaded the catalogue again: shorten the minimum time now (3 seconds).
    reading = db.session.execute(db.select(Activity).where(Activity.slug == READING)) \
        .scalar_one()
    reading.config = {**reading.config, "min_minutes": 0.05}
    db.session.commit()

    url = start_activity(page, site, enrolment.id, READING)
    page.goto(url + "&heartbeat=1")  # a statement every second instead of every 30
    page.wait_for_function("() => window.PathwayTracking.current.sent.length >= 2")
    assert "counts as complete" not in page.locator("#activity-done").inner_text()
    for _ in range(40):  # read down the page
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(50)
    page.wait_for_function(
        "() => document.getElementById('activity-done').textContent.includes('counts as complete')",
        timeout=15000)
    wait_until_sent(page)

    entry = activity_progress(page, site, enrolment.id, READING)
    assert entry["status"] == "completed"
    assert entry["credited_hours"] == 3.5
    assert entry["detail"]["end"] is True and entry["detail"]["seconds"] >= 3
    verbs = lrs_verbs(page, page.url)
    assert verbs[:2] == ["launched", "initialized"] and "completed" in verbs
    assert verbs.count("progressed") >= 2  # a heartbeat and the end
    settings = json.loads(page.locator("#tracking").text_content())
    assert settings["minSeconds"] == 3.0
