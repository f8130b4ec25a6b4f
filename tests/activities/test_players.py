"""The player pages of readings, films, webinars and tutorials, reached as a learner does:
signed in through the login page, launched with the "Start" button or the API. Only the
enrolled learner opens them; content files come with range requests."""

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from tracking_factory import fetch, launch_by_api, launch_from_page, set_config, sign_in

from xapi.service import registration_has_statements

READING = "u1-reading-human-rights-and-restriction"
FILM = "u1-film-lived-experience-of-restriction"
LIVE = "u1-live-webinar-understanding-restrictive-practices"
RECORDED = "u2-recorded-webinar-active-support"
TUTORIAL = "u1-group-tutorial-restrictions-in-our-services"


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Rowan Reader")


@pytest.fixture
def enrolment(enrol, learner):
    return enrol(learner)


@pytest.fixture
def signed_in(client, learner):
    sign_in(client, learner)
    return client


def parameters_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def open_player(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def tracking_settings(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="tracking">(.*?)</script>', page,
                      re.S)
    assert found, "no tracking settings on the page"
    return json.loads(found.group(1))


def test_the_start_button_launches_the_reading_and_opens_its_player(
        signed_in, enrolment, learner, catalogue):
    response = launch_from_page(signed_in, enrolment, READING)
    assert response.status_code == 302
    url = response.headers["Location"]
    assert urlsplit(url).path == f"/learn/{enrolment.id}/{READING}/player"
    parameters = parameters_of(url)
    assert parameters["endpoint"] == "http://pathway.test/xapi/"
    assert parameters["auth"].startswith("Basic ")
    assert parameters["registration"] == enrolment.registration
    assert parameters["activity_id"] == f"http://pathway.test/activities/{READING}"
    assert json.loads(parameters["actor"])["account"]["name"] == learner.public_id
    assert registration_has_statements(enrolment.registration)  # `launched` is recorded

    page = open_player(signed_in, url)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "<h2>Why rights come first</h2>" in html  # the Markdown, rendered
    assert 'id="reading-end"' in html and "I have read to the end" not in html
    assert "at least 3 hours" in unescape(html)
    assert tracking_settings(html) == {
        "name": "Reading: Human rights, the law and the least-restrictive principle",
        "activityType": "http://id.tincanapi.com/activitytype/document",
        "parent": "http://pathway.test/units/principles-of-restrictive-practice-reduction",
        "grouping": "http://pathway.test/qualifications/"
                    "l5-diploma-reducing-restrictive-practices",
        "minSeconds": 10800.0, "heartbeatSeconds": 30}
    for script in re.findall(r'<script src="([^"]+)"', html):
        assert fetch(signed_in, script)[0] == 200, script
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/activity-static/shared/tracking.js", "/activity-static/reading/reading.js"]


def test_html_in_a_markdown_reading_is_shown_as_text(app, db, signed_in, enrolment):
    folder = Path(app.instance_path) / "content" / "files"
    folder.mkdir(parents=True)
    (folder / "mine.md").write_text("# Mine\n\n<script>alert('x')</script>\n\n"
                                    "[a link](javascript:alert(1)) and <b>bold</b>\n")
    set_config(db, READING, source="mine.md")
    url = launch_from_page(signed_in, enrolment, READING).headers["Location"]
    html = open_player(signed_in, url).get_data(as_text=True)
    text = html.split('id="reading-text">', 1)[1].split('id="reading-end"', 1)[0]
    assert "<h1>Mine</h1>" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<b>" not in text and "&lt;b&gt;bold" in text
    assert "href=" not in text  # a javascript: link is not made a link


def test_an_html_reading_is_shown_as_written_and_a_pdf_with_a_button(
        app, db, signed_in, enrolment):
    folder = Path(app.instance_path) / "content" / "files"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<section><h2>Written in HTML</h2></section>")
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    set_config(db, READING, source="page.html")
    url = launch_from_page(signed_in, enrolment, READING).headers["Location"]
    assert "<section><h2>Written in HTML</h2></section>" in \
        open_player(signed_in, url).get_data(as_text=True)

    set_config(db, READING, source="paper.pdf")
    url = launch_from_page(signed_in, enrolment, READING).headers["Location"]
    html = open_player(signed_in, url).get_data(as_text=True)
    assert '<object class="pdf" data="/content/paper.pdf" type="application/pdf"' in html
    assert '<a href="/content/paper.pdf" download>Download the PDF</a>' in html
    assert '<button type="button" id="reading-done">I have read to the end</button>' in html
    assert fetch(signed_in, "/content/paper.pdf")[2].startswith(b"%PDF")


@pytest.mark.parametrize(("source", "message"), [
    (None, "The text of this reading has not been added yet."),
    ("missing.md", "The text of this reading has not been added yet."),
    ("notes.txt", "'notes.txt' is not an HTML, Markdown or PDF file."),
    ("../../../etc/passwd.md", "The text of this reading has not been added yet."),
])
def test_a_reading_without_its_text_cannot_be_launched(db, signed_in, enrolment, source,
                                                       message):
    set_config(db, READING, source=source)
    response = launch_by_api(signed_in, enrolment, READING)
    assert response.status_code == 409
    assert response.get_json()["detail"] == f"activity: {message}"
    assert not registration_has_statements(enrolment.registration)
    page = signed_in.get(f"/learn/{enrolment.id}/{READING}/player")
    assert page.status_code == 200
    assert message in unescape(page.get_data(as_text=True))


def test_the_film_player_plays_the_video_from_pathway(signed_in, enrolment):
    response = launch_by_api(signed_in, enrolment, FILM)
    assert response.status_code == 201
    body = response.get_json()
    assert body["mode"] == "player"
    html = open_player(signed_in, body["url"]).get_data(as_text=True)
    assert re.search(r'<video id="film" controls [^>]*src="/content/demo-film.webm"', html)
    assert '<track kind="captions" src="/content/demo-film.en.vtt"' in html
    assert "played\n          90% of it" in html
    settings = tracking_settings(html)
    assert settings["activityType"] == "https://w3id.org/xapi/video/activity-type/video"
    assert settings["category"] == ["https://w3id.org/xapi/video"]
    assert (settings["completionThreshold"], settings["fallbackLength"]) == (0.9, 2400)
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/activity-static/shared/tracking.js", "/activity-static/film/film.js"]


def test_the_film_is_served_with_range_requests(signed_in):
    status, headers, whole = fetch(signed_in, "/content/demo-film.webm")
    assert status == 200
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "video/webm"
    assert 20_000 < len(whole) < 300_000
    status, headers, part = fetch(signed_in, "/content/demo-film.webm",
                                  headers={"Range": "bytes=100-199"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert part == whole[100:200]
    assert fetch(signed_in, "/content/demo-film.webm",
                 headers={"Range": f"bytes={len(whole) + 10}-"})[0] == 416


def test_a_recorded_webinar_uses_the_film_player(signed_in, enrolment):
    url = launch_from_page(signed_in, enrolment, RECORDED).headers["Location"]
    assert parameters_of(url)["activity_id"].endswith(RECORDED)
    html = open_player(signed_in, url).get_data(as_text=True)
    assert 'src="/content/demo-film.webm"' in html
    assert tracking_settings(html)["activityType"] == \
        "http://id.tincanapi.com/activitytype/webinar"


def test_a_live_webinar_opens_its_meeting_link_once_it_has_one(db, signed_in, enrolment):
    refused = launch_by_api(signed_in, enrolment, LIVE)
    assert refused.status_code == 409
    assert "meeting link" in refused.get_json()["detail"]
    assert not registration_has_statements(enrolment.registration)

    set_config(db, LIVE, meeting_url="https://meet.example.org/pathway-u1")
    launched = launch_by_api(signed_in, enrolment, LIVE)
    assert launched.status_code == 201
    assert (launched.get_json()["mode"], launched.get_json()["url"]) == \
        ("external", "https://meet.example.org/pathway-u1")
    page = signed_in.get(f"/learn/{enrolment.id}/{LIVE}/player").get_data(as_text=True)
    assert 'href="https://meet.example.org/pathway-u1"' in page
    assert "<video" not in page


def test_a_tutorial_says_it_is_booked_through_tutorials(signed_in, enrolment):
    response = launch_by_api(signed_in, enrolment, TUTORIAL)
    assert response.status_code == 201
    body = response.get_json()
    assert body["mode"] == "page"
    assert "booked through the tutorials pages" in body["note"]
    assert urlsplit(body["url"]).query == ""  # nothing tracks in the browser: no credentials
    assert body["url"].startswith("http://pathway.test/")  # absolute, on BASE_URL
    page = signed_in.get(urlsplit(body["url"]).path).get_data(as_text=True)
    assert "Group tutorials are booked through the tutorials pages" in " ".join(page.split())


@pytest.mark.parametrize("slug", [READING, FILM, RECORDED])
def test_another_learner_cannot_open_or_launch_them(app, client, enrolment, make_user, slug):
    other = make_user("learner")
    sign_in(client, other)
    assert client.get(f"/learn/{enrolment.id}/{slug}/player").status_code in (403, 404)
    assert launch_from_page(client, enrolment, slug).status_code in (403, 404)
    assert not registration_has_statements(enrolment.registration)


@pytest.mark.parametrize("path", [f"/learn/{{id}}/{READING}/player",
                                  f"/learn/{{id}}/{FILM}/player", "/content/demo-film.webm"])
def test_nobody_signed_in_is_sent_to_sign_in(client, enrolment, path):
    response = client.get(path.format(id=enrolment.id))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


@pytest.mark.parametrize(("slug", "facts"), [
    (READING, "Unit 1: Principles of Restrictive Practice Reduction · 3.5 hours"),
    (FILM, "Unit 1: Principles of Restrictive Practice Reduction · 1 hour"),
    (TUTORIAL, "Unit 1: Principles of Restrictive Practice Reduction · 2 guided hours · "
               "120 minutes"),
])
def test_a_player_says_which_unit_and_how_many_hours(signed_in, enrolment, slug, facts):
    page = signed_in.get(f"/learn/{enrolment.id}/{slug}/player").get_data(as_text=True)
    found = re.search(r'<p class="facts">(.*?)</p>', page, re.S)
    assert " ".join(unescape(found.group(1)).split()) == facts
