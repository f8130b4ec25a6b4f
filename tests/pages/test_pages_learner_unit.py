"""A unit's page (/learn/<enrolment>/units/<number>): its activities in order with their status,
hours and time spent; Start posts to the launch route with a CSRF token and opens the player;
only the enrolment's own learner sees it. And the demo learner's achieved unit."""

import re
from urllib.parse import urlsplit

import pytest
from learner_pages_support import csrf_token, finish, sign_in, text_of, unit_activities

from lms.web.format import duration_words, hours_words


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Rowan Reader")


@pytest.fixture
def tutor(make_user):
    return make_user("tutor", name="Sam Tutor")


@pytest.fixture
def enrolment(enrol, learner, tutor):
    return enrol(learner, tutor=tutor)


def activity_cards(page: str) -> list[str]:
    return re.findall(r'<li class="card activity" id="activity-[^"]+">(.*?)</li>', page,
                      re.DOTALL)


def test_the_unit_page_lists_its_activities_in_order_with_status(client, learner, enrolment,
                                                                 catalogue):
    done = unit_activities(catalogue, 1)[:2]
    finish(enrolment, done)
    sign_in(client, learner.email)
    response = client.get(f"/learn/{enrolment.id}/units/1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    unit = catalogue.units[0]
    assert re.search(rf"<h1>Unit 1: {re.escape(unit.title)}</h1>", page)
    text = text_of(response)
    assert unit.summary.split(".")[0] in text
    assert f"Credits {unit.credits} (awarded when the unit is achieved)" in text
    spent = sum(float(a.hours) for a in done)
    assert f"Your hours {hours_words(spent)} of {hours_words(unit.hours)}" in text
    assert "Activities complete 2 of" in text

    cards = activity_cards(page)
    everything = unit_activities(catalogue, 1, assessed=None)
    assert len(cards) == len(everything)
    titles = [re.search(r"<h3>([^<]+)</h3>", card).group(1).replace("&#39;", "'")
              for card in cards]
    assert titles == [a.title for a in everything]
    statuses = [re.search(r'class="status status-([^"]+)">([^<]+)<', card).groups()
                for card in cards]
    assert statuses[:2] == [("completed", "Completed")] * 2
    assert set(statuses[2:]) == {("not-started", "Not started")}
    first = text_of_html(cards[0])
    assert f"Learning hours {hours_words(done[0].hours)} {done[0].learning}" in first
    assert f"Time spent {duration_words(float(done[0].hours) * 3600)}" in first
    assert "Open again" in first
    assert "Time spent 0 min" in text_of_html(cards[2])


def text_of_html(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_start_posts_to_the_launch_route_with_csrf_and_opens_the_player(client, learner,
                                                                        enrolment, catalogue):
    film = next(a for a in unit_activities(catalogue, 1) if a.type == "film")
    sign_in(client, learner.email)
    page = client.get(f"/learn/{enrolment.id}/units/1").get_data(as_text=True)
    card = next(c for c in activity_cards(page) if film.title in c.replace("&#39;", "'"))
    form = re.search(r'<form method="post" action="([^"]+)" class="launch">(.*?)</form>', card,
                     re.DOTALL)
    action = form.group(1)
    assert action == f"/learn/{enrolment.id}/{film.slug}/launch"
    assert re.search(r'<button type="submit">Start<span class="visually-hidden">',
                     form.group(2))

    refused = client.post(action, data={})
    assert refused.status_code == 400

    response = client.post(action, data={"csrf_token": csrf_token(form.group(0))})
    assert response.status_code == 302
    player = urlsplit(response.headers["Location"])
    assert player.path == f"/learn/{enrolment.id}/{film.slug}/player"
    assert client.get(response.headers["Location"]).status_code == 200

    # The launch is recorded: the film shows as started now.
    again = client.get(f"/learn/{enrolment.id}/units/1").get_data(as_text=True)
    card = next(c for c in activity_cards(again) if film.title in c.replace("&#39;", "'"))
    assert 'class="status status-started">Started<' in card
    assert ">Continue<" in card


def test_assessed_activities_link_to_evidence_or_say_how(app, client, learner, enrolment,
                                                         catalogue):
    task = unit_activities(catalogue, 1, assessed=True)[0]
    sign_in(client, learner.email)
    page = client.get(f"/learn/{enrolment.id}/units/1").get_data(as_text=True)
    card = next(c for c in activity_cards(page) if task.title in c.replace("&#39;", "'"))
    assert f"/learn/{enrolment.id}/{task.slug}/launch" not in card
    if "assessment_pages.submit" in app.view_functions:
        link = re.search(r'<a class="button" href="([^"]+)">Submit evidence<', card)
        assert link, card
        assert client.get(link.group(1)).status_code == 200
    else:
        assert "Evidence is submitted through your tutor." in card


def test_only_the_enrolled_learner_sees_their_unit_page(client, make_user, enrol, learner,
                                                       tutor, enrolment):
    other = make_user("learner")
    other_enrolment = enrol(other, tutor=tutor)
    sign_in(client, learner.email)
    assert client.get(f"/learn/{other_enrolment.id}/units/1").status_code == 404
    assert client.get(f"/learn/{enrolment.id}/units/9").status_code == 404
    assert client.get(f"/learn/{enrolment.id + 1000}/units/1").status_code == 404


def test_a_tutor_who_is_also_a_learner_does_not_see_their_learners_unit_page(
        client, make_user, enrol, enrolment):
    both = make_user("tutor", "learner")
    taught = enrol(make_user("learner"), tutor=both)
    sign_in(client, both.email)
    assert client.get(f"/learn/{taught.id}/units/1").status_code == 404
    assert client.get(f"/learn/{enrolment.id}/units/1").status_code == 404


def test_a_tutor_may_not_open_unit_pages(client, tutor, enrolment):
    sign_in(client, tutor.email)
    assert client.get(f"/learn/{enrolment.id}/units/1").status_code == 403


def test_an_anonymous_visitor_of_a_unit_page_is_sent_to_sign_in(client, enrolment):
    response = client.get(f"/learn/{enrolment.id}/units/1")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_a_withdrawn_enrolment_shows_its_activities_without_start_buttons(client, db, learner,
                                                                         enrolment):
    enrolment.status = "withdrawn"
    db.session.commit()
    sign_in(client, learner.email)
    response = client.get(f"/learn/{enrolment.id}/units/1")
    assert response.status_code == 200
    assert "/launch" not in response.get_data(as_text=True)
    assert "This enrolment is withdrawn" in text_of(response)


def test_the_demo_learner_sees_unit_one_achieved(app, client):
    from lms.cli import initialise

    initialise(demo=True)
    sign_in(client, "aisha.khan@riverside-care.example", "pathway-demo")
    dashboard = client.get("/learn")
    assert dashboard.status_code == 200
    page = dashboard.get_data(as_text=True)
    link = re.search(r'href="(/learn/\d+/units/1)"', page).group(1)
    assert "1 of 5 units achieved" in text_of(dashboard)
    assert "8 of 36 credits" in text_of(dashboard)

    unit = client.get(link)
    assert unit.status_code == 200
    assert re.search(r'<h1>Unit 1: [^<]+</h1>\s*<p class="facts">[^<]*</p>\s*<p><span '
                     r'class="status status-achieved">Achieved</span>',
                     unit.get_data(as_text=True))
    assert "Credits 8 (awarded)" in text_of(unit)
