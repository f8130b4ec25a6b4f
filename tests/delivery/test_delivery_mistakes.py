"""Client mistakes and broken settings around delivery answer 4xx, never 500: content file
names too long for the file system, an activity whose stored configuration no longer fits
its type; and a launch that does not happen leaves no launch credentials that still work."""

from html import unescape

import pytest
from sqlalchemy import select

from lms.catalogue.models import Activity
from lms.extensions import db
from xapi.models import clients, statements

READING = "u1-reading-human-rights-and-restriction"
FILM = "u1-film-lived-experience-of-restriction"


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def enrolment(enrol, learner):
    return enrol(learner)


@pytest.fixture
def headers(auth, learner):
    return auth(learner)


def set_config(slug, **changes) -> dict:
    """Change an activity's stored configuration (as a catalogue would have left it, with no
    check); returns the configuration it had."""
    activity = db.session.execute(db.select(Activity).where(Activity.slug == slug)).scalar_one()
    before = dict(activity.config)
    activity.config = {**before, **changes}
    db.session.commit()
    return before


def launch_clients(app) -> list[dict]:
    """Every LRS client made by a launch: its name and when it was revoked."""
    with app.extensions["xapi"].engine.connect() as connection:
        return [dict(row) for row in connection.execute(
            select(clients.c.name, clients.c.revoked_at)
            .where(clients.c.name.startswith("launch "))).mappings()]


def statement_count(app) -> int:
    with app.extensions["xapi"].engine.connect() as connection:
        return len(connection.execute(select(statements.c.seq)).all())


# -- content files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "a" * 300 + ".md",                # one name longer than the file system allows
    "a/" * 2100 + "film.webm",        # a path longer than the file system allows
    "b" * 256 + "/x.pdf",             # a folder name longer than that
])
def test_a_content_path_too_long_for_the_file_system_is_404(client, headers, path):
    response = client.get(f"/content/{path}", headers=headers)
    assert response.status_code == 404


def test_a_content_path_out_of_the_folder_is_404_and_real_files_still_come(
        client, headers, catalogue):
    assert client.get("/content/../../pyproject.toml", headers=headers).status_code == 404
    assert client.get("/content/%2e%2e/%2e%2e/pyproject.toml",
                      headers=headers).status_code == 404
    found = client.get("/content/demo-film.en.vtt", headers=headers)
    try:
        assert found.status_code == 200 and found.get_data().startswith(b"WEBVTT")
    finally:
        found.close()


# -- a stored configuration that no longer fits the type --------------------------------------


def test_the_player_of_an_activity_with_a_broken_configuration_is_409(
        client, headers, catalogue, enrolment):
    set_config(FILM, completion_threshold="most of it")
    response = client.get(f"/learn/{enrolment.id}/{FILM}/player", headers=headers)
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    page = unescape(response.get_data(as_text=True))
    assert f"the stored configuration of activity '{FILM}' no longer fits its type" in page
    assert "config.completion_threshold: Not a valid number." in page


def test_launching_an_activity_with_a_broken_configuration_is_409_and_changes_nothing(
        app, client, headers, catalogue, enrolment):
    set_config(FILM, minutes=0)
    before = statement_count(app)
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{FILM}/launch",
                           headers=headers)
    assert response.status_code == 409, response.json
    assert response.mimetype == "application/problem+json"
    detail = response.json["detail"]
    assert detail.startswith(f"activity: the stored configuration of activity '{FILM}'")
    assert "config.minutes: " in detail and "an administrator must correct it" in detail
    assert statement_count(app) == before
    assert launch_clients(app) == []  # no credentials made for it


# -- a launch that cannot happen ------------------------------------------------------------


def test_a_launch_with_nothing_to_open_leaves_no_working_launch_credentials(
        app, client, headers, catalogue, enrolment):
    url = f"/api/v1/enrolments/{enrolment.id}/activities/{READING}/launch"
    original = set_config(READING, source="missing.md")  # a reading whose text is not there
    response = client.post(url, headers=headers)
    assert response.status_code == 409
    assert "has not been added yet" in response.json["detail"]
    made = launch_clients(app)
    assert made, "a reading needs credentials: they were made before its text was missed"
    assert [c for c in made if c["revoked_at"] is None] == []

    set_config(READING, **original)  # the text is back: the launch's credentials work
    response = client.post(url, headers=headers)
    assert response.status_code == 201
    assert len([c for c in launch_clients(app) if c["revoked_at"] is None]) == 1
