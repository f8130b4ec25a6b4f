"""Launching activities: only the enrolled learner, only activities of their qualification;
`launched` recorded in their registration; launch credentials limited to them."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from lms.catalogue.models import Activity
from lms.extensions import db
from xapi.models import statements


def _count_statements(app) -> int:
    with app.extensions["xapi"].engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(statements)).scalar()


def _first(catalogue, type_):
    return db.session.execute(db.select(Activity).where(Activity.type == type_)
                              .order_by(Activity.id)).scalars().first()


@pytest.fixture
def setting(make_user, enrol):
    learner, tutor = make_user("learner"), make_user("tutor")
    return {"learner": learner, "tutor": tutor, "enrolment": enrol(learner, tutor=tutor),
            "other": make_user("learner")}


def test_launching_a_film_records_launched_and_gives_credentials_for_this_learner_only(
        app, client, auth, catalogue, setting, lrs_headers):
    film = _first(catalogue, "film")
    enrolment = setting["enrolment"]
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{film.slug}/launch",
                           headers=auth(setting["learner"]))
    assert response.status_code == 201, response.json
    assert response.json["mode"] == "player"
    query = parse_qs(urlsplit(response.json["url"]).query)
    assert query["registration"] == [enrolment.registration]
    assert query["activity_id"] == ["http://pathway.test/activities/" + film.slug]
    assert json.loads(query["actor"][0])["account"]["name"] == setting["learner"].public_id
    assert query["endpoint"] == ["http://pathway.test/xapi/"]

    found = client.get(f"/xapi/statements?registration={enrolment.registration}"
                       "&verb=http://adlnet.gov/expapi/verbs/launched",
                       headers=lrs_headers("all")).json["statements"]
    assert len(found) == 1 and found[0]["object"]["id"].endswith(film.slug)
    progress = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                          headers=auth(setting["learner"])).json
    entry = next(a for u in progress["units"] for a in u["activities"] if a["slug"] == film.slug)
    assert entry["status"] == "started"

    # The credentials write this learner's statements in this registration, nothing else.
    launch_auth = {"Authorization": query["auth"][0], "X-Experience-API-Version": "1.0.3"}
    mine = {"actor": json.loads(query["actor"][0]),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized"},
            "object": {"id": query["activity_id"][0]},
            "context": {"registration": enrolment.registration}}
    assert client.post("/xapi/statements", json=mine, headers=launch_auth).status_code == 200
    elsewhere = {**mine, "context": {"registration": "6b1f3c2e-0000-4000-8000-000000000000"}}
    assert client.post("/xapi/statements", json=elsewhere,
                       headers=launch_auth).status_code == 403
    assert base64.b64decode(query["auth"][0].split()[1]).count(b":") == 1


@pytest.mark.parametrize("who,status", [("other", 404), ("tutor", 403)])
def test_only_the_enrolled_learner_may_launch(app, client, auth, catalogue, setting, who,
                                              status):
    film = _first(catalogue, "film")
    before = _count_statements(app)
    response = client.post(
        f"/api/v1/enrolments/{setting['enrolment'].id}/activities/{film.slug}/launch",
        headers=auth(setting[who]))
    assert response.status_code == status
    assert _count_statements(app) == before


def test_an_activity_outside_the_qualification_or_retired_cannot_be_launched(
        app, client, auth, catalogue, setting):
    film = _first(catalogue, "film")
    url = f"/api/v1/enrolments/{setting['enrolment'].id}/activities"
    before = _count_statements(app)
    response = client.post(f"{url}/no-such-activity/launch", headers=auth(setting["learner"]))
    assert response.status_code == 404
    assert "no-such-activity" in response.json["detail"]
    film.retired = True
    db.session.commit()
    assert client.post(f"{url}/{film.slug}/launch",
                       headers=auth(setting["learner"])).status_code == 404
    assert _count_statements(app) == before


def test_a_withdrawn_enrolment_cannot_launch(app, client, auth, catalogue, setting):
    film = _first(catalogue, "film")
    setting["enrolment"].status = "withdrawn"
    db.session.commit()
    before = _count_statements(app)
    response = client.post(
        f"/api/v1/enrolments/{setting['enrolment'].id}/activities/{film.slug}/launch",
        headers=auth(setting["learner"]))
    assert response.status_code == 409 and "withdrawn" in response.json["detail"]
    assert _count_statements(app) == before


def test_a_type_with_nothing_to_open_yet_answers_409_and_records_nothing(
        app, client, auth, catalogue, setting):
    interactive = _first(catalogue, "interactive")  # no package uploaded
    before = _count_statements(app)
    response = client.post(
        f"/api/v1/enrolments/{setting['enrolment'].id}/activities/{interactive.slug}/launch",
        headers=auth(setting["learner"]))
    assert response.status_code == 409
    assert response.json["detail"].startswith("activity: ")
    assert _count_statements(app) == before


def test_an_uninstalled_type_answers_409(app, client, auth, catalogue, setting):
    film = _first(catalogue, "film")
    film.type = "hologram"
    db.session.commit()
    response = client.post(
        f"/api/v1/enrolments/{setting['enrolment'].id}/activities/{film.slug}/launch",
        headers=auth(setting["learner"]))
    assert response.status_code == 409 and "hologram" in response.json["detail"]
