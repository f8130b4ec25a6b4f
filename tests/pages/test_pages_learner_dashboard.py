"""The learner's dashboard (/learn): their numbers are the progress API's numbers, the pace
chart is an inline SVG picture with its words beside it, "next up" has a Start button, the
next tutorial shows, and only learners see the page. Also the home page's link to it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from learner_pages_support import finish, sign_in, text_of, unit_activities

from lms.extensions import db
from lms.progress.record import PASSED, activity_statement, record_statements
from lms.web.format import day_words, hours_words


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Rowan Reader")


@pytest.fixture
def tutor(make_user):
    return make_user("tutor", name="Sam Tutor")


@pytest.fixture
def enrolment(enrol, learner, tutor):
    return enrol(learner, tutor=tutor)


@pytest.fixture
def learning(enrolment, catalogue):
    """Unit 1 achieved (its activities finished over the last weeks, its practice
    assessments passed) and two activities of unit 2 finished."""
    finish(enrolment, unit_activities(catalogue, 1), days_ago=(50, 45, 40, 30, 20, 12, 5, 2))
    finish(enrolment, unit_activities(catalogue, 2)[:2], days_ago=(1,))
    record_statements([activity_statement(enrolment, task, PASSED, datetime.now(UTC))
                       for task in unit_activities(catalogue, 1, assessed=True)])
    db.session.commit()
    return enrolment


def api_progress(client, auth, learner, enrolment) -> dict:
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=auth(learner))
    assert response.status_code == 200
    return response.json


def test_the_dashboard_shows_the_progress_apis_numbers(client, auth, learner, learning):
    progress = api_progress(client, auth, learner, learning)
    assert progress["units_achieved"] == 1 and progress["credits"]["awarded"] == 8
    hours = progress["hours"]
    assert hours["guided"] > 0 and hours["self_study"] > 0

    sign_in(client, learner.email)
    response = client.get("/learn")
    assert response.status_code == 200
    text = text_of(response)
    assert f"{hours['total']:g} of 360 hours" in text
    assert f"Guided {hours_words(hours['guided'])}" in text
    assert f"Self-study {hours_words(hours['self_study'])}" in text
    assert "8 of 36 credits" in text
    assert "1 of 5 units achieved" in text
    assert day_words(learning.window_ends) in text
    days_left = progress["enrolment"]["days_left"]
    assert (f"{days_left} days left" if days_left else "Your window has ended") in text
    forecast = progress["forecast"]
    assert f"Your pace now {hours_words(forecast['hours_per_week'])} a week" in text
    if forecast["needed_hours_per_week"] is not None:
        assert f"Pace needed {hours_words(forecast['needed_hours_per_week'])} a week" in text
    words = {"on-track": "On track", "at-risk": "At risk",
             "not-started": "Too early to tell", "achieved": "Hours complete"}
    assert words[forecast["status"]] in text
    for unit in progress["units"]:
        done = unit["guided_hours"] + unit["self_study_hours"]
        assert f"Unit {unit['number']}: {unit['title']}" in text
        assert f"{hours_words(done)} of {hours_words(unit['hours'])}" in text
    unit_one = re.search(r"Unit 1: [^<]*</a>\s*<span class=\"status status-(\S+)\">([^<]+)<",
                         response.get_data(as_text=True))
    assert unit_one.groups() == ("achieved", "Achieved")
    page = response.get_data(as_text=True)
    assert f'href="/learn/{learning.id}/units/2"' in page


def test_the_pace_chart_is_an_inline_svg_picture_without_script(client, learner, learning):
    sign_in(client, learner.email)
    page = client.get("/learn").get_data(as_text=True)
    figure = re.search(r'<figure class="chart">(.*?)</figure>', page, re.DOTALL).group(1)
    assert re.search(r'<div role="img" aria-label="Chart of your hours toward 360 hours: '
                     r'[^"]+">\s*<svg', figure)
    assert "<svg" in figure and "</svg>" in figure
    assert "<script" not in page.lower()
    assert "<title>" in figure  # pygal's own title
    caption = re.search(r"<figcaption>([^<]+)</figcaption>", figure).group(1)
    assert "of 360 hours so far" in caption
    assert "Your hours so far" in figure  # the learner's own line is drawn


def test_the_weekly_line_ends_at_the_hours_the_report_shows(app, learning):
    from lms.progress.reports import enrolment_progress, london_today
    from lms.web.learner_pages import weekly_hours

    today = london_today()
    weekly = weekly_hours(learning, today)
    assert weekly[0][0] == learning.start_date and weekly[-1][0] == today
    assert all(a[1] <= b[1] for a, b in zip(weekly, weekly[1:], strict=False))
    assert all((b[0] - a[0]).days <= 7 for a, b in zip(weekly, weekly[1:], strict=False))
    assert weekly[-1][1] == pytest.approx(enrolment_progress(learning)["hours"]["total"])
    assert weekly_hours(learning, learning.start_date - timedelta(days=1)) == []


def test_next_up_is_the_first_unfinished_activity_with_a_start_button(client, learner,
                                                                      enrolment, catalogue):
    first = unit_activities(catalogue, 1)[0]
    finish(enrolment, [first])
    second = unit_activities(catalogue, 1)[1]
    sign_in(client, learner.email)
    page = client.get("/learn").get_data(as_text=True)
    block = re.search(r'<div class="card next-up">(.*?)</div>\s*</div>', page, re.DOTALL)
    assert block, page
    assert second.title in block.group(1)
    assert re.search(rf'<form method="post" action="/learn/{enrolment.id}/{second.slug}/launch"',
                     block.group(1))
    assert 'name="csrf_token"' in block.group(1)
    assert re.search(r"<button type=\"submit\">Start<span class=\"visually-hidden\">: "
                     + re.escape(second.title), block.group(1).replace("&#39;", "'"))


def test_the_next_tutorial_is_the_earliest_booked_one_ahead(client, db, learner, tutor,
                                                           enrolment, catalogue):
    from lms.tutorials.models import Booking, TutorialSession

    tutorial = next(a for a in unit_activities(catalogue, 1) if a.type == "tutorial")
    now = datetime.now(UTC).replace(microsecond=0)

    def session(title, days, status="booked"):
        starts = now + timedelta(days=days)
        found = TutorialSession(kind="group", tutor_id=tutor.id, activity_id=tutorial.id,
                                title=title, starts_at=starts, ends_at=starts + timedelta(hours=1),
                                capacity=10, places_taken=1)
        db.session.add(found)
        db.session.add(Booking(session=found, learner_id=learner.id,
                               enrolment_id=enrolment.id, status=status, booked_at=now))
        return found

    session("Last week's tutorial", -7)
    session("A cancelled place", 1, status="cancelled")
    soon = session("Restrictions we see in our services", 3)
    session("A later tutorial", 10)
    db.session.commit()

    sign_in(client, learner.email)
    response = client.get("/learn")
    section = re.search(r'<section class="card next-tutorial".*?</section>',
                        response.get_data(as_text=True), re.DOTALL).group(0)
    assert "Restrictions we see in our services" in section
    assert "with Sam Tutor" in section
    from lms.web.format import london_time

    assert london_time(soon.starts_at) in section.replace("\n", " ")
    for other in ("Last week", "cancelled place", "later tutorial"):
        assert other not in section


def test_with_no_tutorial_booked_the_dashboard_says_so(client, learner, enrolment):
    sign_in(client, learner.email)
    assert "You have no tutorial booked." in text_of(client.get("/learn"))


def test_a_learner_with_no_enrolment_gets_a_friendly_page(client, make_user, catalogue):
    someone = make_user("learner", name="Not Yet Enrolled")
    sign_in(client, someone.email)
    response = client.get("/learn")
    assert response.status_code == 200
    text = text_of(response)
    assert "My progress" in text
    assert "You are not enrolled on a course yet" in text
    assert "<figure" not in response.get_data(as_text=True)


def test_a_tutor_may_not_open_the_learners_dashboard(client, tutor):
    sign_in(client, tutor.email)
    assert client.get("/learn").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/learn")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=/learn")


def test_the_home_page_links_a_signed_in_learner_to_their_progress(client, learner, tutor,
                                                                   catalogue):
    anonymous = client.get("/").get_data(as_text=True)
    assert "Go to your progress" not in anonymous
    assert catalogue.title in anonymous

    sign_in(client, learner.email)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/learn">Go to your progress</a>', page)
    assert catalogue.title in page  # the course description stays


def test_the_home_page_has_no_progress_link_for_a_tutor(client, tutor, catalogue):
    sign_in(client, tutor.email)
    assert "Go to your progress" not in client.get("/").get_data(as_text=True)
