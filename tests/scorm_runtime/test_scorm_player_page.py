"""The SCORM player page: launching, the table of contents with each SCO's status, the SCO
chosen, the runtime's configuration and script, Start again and Review, assets, and the
pages a learner may not open."""

import re

import pytest
from scorm_runtime_support import (
    PLAIN12,
    PLAIN2004,
    QUIZ12,
    TWO2004,
    player_path,
    runtime_config,
)

pytest_plugins = ["scorm_runtime_fixtures"]


def contents(page: str) -> list[tuple[str, str | None]]:
    """(identifier, status) of each entry of the table of contents."""
    found = []
    for entry in re.findall(r'<li class="depth-\d[^"]*"\s+data-identifier="([^"]+)"'
                            r'(?:\s+data-status="([^"]+)")?', page):
        found.append((entry[0], entry[1] or None))
    return found


def test_launch_needs_a_package(client, auth, learner, enrolment, scorm_qualification):
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{PLAIN12}/launch",
                           headers=auth(learner))
    assert response.status_code == 409
    assert "has no SCORM package uploaded yet" in response.get_json()["detail"]


def test_launch_opens_the_player(client, auth, learner, enrolment, packages):
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{TWO2004}/launch",
                           headers=auth(learner))
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["mode"] == "player"
    assert answer["url"] == f"http://pathway.test{player_path(enrolment, TWO2004)}"


def test_the_player_page_before_a_package_is_a_clear_409(learner_client, enrolment,
                                                         scorm_qualification):
    response = learner_client.get(player_path(enrolment, PLAIN12))
    assert response.status_code == 409
    assert "has no SCORM package uploaded yet" in response.get_data(as_text=True)


def test_the_page_shows_the_contents_and_the_first_sco_not_done(open_player):
    session = open_player(TWO2004)
    page = session.page
    # the SCO opened is under way; the other not started
    assert contents(page) == [("item_reading", "In progress"), ("item_check", "Not started")]
    assert session.config["sco"] == "item_reading"
    assert '<iframe id="scorm-sco"' in page
    frame = re.search(r'<iframe id="scorm-sco" class="scorm-frame" src="([^"]+)"', page)
    assert re.fullmatch(r"/content/packages/[^/]+/reading/index\.html", frame.group(1))
    # Previous and Next follow the contents (for packages made for an LMS's flow buttons)
    assert 'rel="prev"' not in page
    assert re.search(r'href="[^"]+\?sco=item_check" data-scorm-navigate rel="next">Next', page)
    assert '<script src="/activity-static/scorm/scorm-runtime.js"></script>' in page
    # the API exists before the SCO's frame is even parsed (a cached SCO looks for it at once)
    assert page.index("scorm-runtime.js") < page.index('<iframe id="scorm-sco"')
    assert runtime_config(page)["commitUrl"].startswith("/scorm/attempts/")
    session.ok("initialize")
    session.ok("terminate", [("cmi.progress_measure", "0.9")])
    again = open_player(TWO2004)
    assert again.config["sco"] == "item_check"
    assert contents(again.page) == [("item_reading", "Completed"),
                                    ("item_check", "In progress")]
    frame = re.search(r'<iframe id="scorm-sco" class="scorm-frame" src="([^"]+)"', again.page)
    assert frame.group(1).endswith("/check/index.html?set=standard")  # the item's parameters
    assert re.search(r'href="[^"]+\?sco=item_reading" data-scorm-navigate rel="prev">', again.page)
    assert 'rel="next"' not in again.page


def test_every_sco_done_opens_the_first(open_player):
    for sco in ("item_reading", "item_check"):
        session = open_player(TWO2004, sco=sco)
        session.ok("initialize", [("cmi.progress_measure", "1"), ("cmi.score.scaled", "1")])
    last = open_player(TWO2004)
    assert last.config["sco"] == "item_reading"
    assert contents(last.page) == [("item_reading", "Completed"), ("item_check", "Passed")]


def test_the_package_files_are_served_on_the_same_origin(open_player, learner_client):
    session = open_player(PLAIN12)
    address = re.search(r'<iframe id="scorm-sco" class="scorm-frame" src="([^"]+)"',
                        session.page).group(1)
    assert address.startswith("/")  # this origin: the SCO finds window.API in its parent
    response = learner_client.get(address)
    response.close()
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")


def test_the_player_page_is_never_cached(learner_client, enrolment, packages):
    response = learner_client.get(player_path(enrolment, PLAIN12))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_start_again_and_review_appear_once_the_sco_is_done(open_player):
    first = open_player(QUIZ12)
    assert "Start again" not in first.page and ">Review<" not in first.page
    first.ok("initialize", [("cmi.core.score.raw", "90")])
    first.ok("terminate")
    done = open_player(QUIZ12)
    assert "Start again" in done.page and ">Review<" in done.page
    assert "/scorm/start-again" in done.page and "mode=review" in done.page
    review = open_player(QUIZ12, mode="review")
    assert "nothing you do now is recorded" in review.page
    assert "Back to my attempt" in review.page


def test_a_failed_sco_may_be_started_again(open_player):
    first = open_player(QUIZ12)
    first.ok("initialize", [("cmi.core.score.raw", "10")])
    assert "Start again" in open_player(QUIZ12).page


def test_an_asset_is_shown_without_a_runtime(learner_client, enrolment, packages):
    response = learner_client.get(player_path(enrolment, PLAIN2004),
                                  query_string={"sco": "item_intro"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert runtime_config(page) is None
    assert "scorm-runtime.js" not in page
    assert re.search(r'<iframe id="scorm-sco" class="scorm-frame" src="[^"]+/intro\.html"', page)
    assert contents(page) == [("item_intro", None), ("item_lesson", "Not started")]


def test_an_unknown_item_is_404(learner_client, enrolment, packages):
    response = learner_client.get(player_path(enrolment, PLAIN2004),
                                  query_string={"sco": "item_nowhere"})
    assert response.status_code == 404
    assert "item_nowhere" in response.get_data(as_text=True)


def test_a_finished_enrolment_can_review_but_not_work(open_player, learner_client, enrolment,
                                                      db):
    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.core.lesson_status", "completed")])
    enrolment.status = "completed"
    db.session.commit()
    response = learner_client.get(player_path(enrolment, PLAIN12))
    assert response.status_code == 409
    assert "can be reviewed but not worked on" in response.get_data(as_text=True)
    review = learner_client.get(player_path(enrolment, PLAIN12),
                                query_string={"mode": "review"})
    assert review.status_code == 200
    assert runtime_config(review.get_data(as_text=True))["mode"] == "review"


def test_review_mode_cannot_start_a_sco_for_a_finished_enrolment(open_player, learner_client,
                                                                  enrolment, db):
    """Nothing to review yet would open a normal session: refused, as a plain open is."""
    enrolment.status = "withdrawn"
    db.session.commit()
    response = learner_client.get(player_path(enrolment, QUIZ12),
                                  query_string={"mode": "review"})
    assert response.status_code == 409
    assert "cannot be started" in response.get_data(as_text=True)


def test_a_session_open_when_the_enrolment_ends_stores_nothing_more(open_player, enrolment,
                                                                    db):
    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.core.lesson_location", "p1")])
    enrolment.status = "withdrawn"
    db.session.commit()
    refused = session.send("commit", [("cmi.core.lesson_location", "p2")])
    assert refused.status_code == 409
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_start_again_refused_is_a_page_not_json(open_player, learner_client, enrolment, db):
    from scorm_runtime_support import start_again

    session = open_player(PLAIN12)
    session.ok("terminate", [("cmi.core.lesson_status", "completed")])
    enrolment.status = "withdrawn"
    db.session.commit()
    response = start_again(learner_client, enrolment, PLAIN12, session.page, "item_lesson")
    assert response.status_code == 409
    assert response.headers["Content-Type"].startswith("text/html")
    assert "cannot be started again" in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, enrolment, packages):
    response = client.get(player_path(enrolment, PLAIN12))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("completion", "success", "sessions", "words"), [
    ("unknown", "unknown", 0, "Not started"),        # a SCORM 2004 SCO never opened
    ("not attempted", "unknown", 0, "Not started"),
    ("not attempted", "unknown", 1, "In progress"),
    ("unknown", "unknown", 2, "In progress"),
    ("incomplete", "unknown", 1, "In progress"),
    ("completed", "unknown", 1, "Completed"),
    ("completed", "failed", 1, "Failed"),
    ("incomplete", "passed", 1, "Passed"),
])
def test_the_contents_words_for_a_scos_standing(completion, success, sessions, words):
    from activities.scorm.player import status_label
    from activities.scorm.runtime import Status

    assert status_label(Status(completion, success), sessions) == words
