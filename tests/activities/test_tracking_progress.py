"""From launch to progress without a browser: statements like the players' sent with the
launch credentials, and the activity's status in the progress API."""

import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from tracking_factory import PROGRESS, VIDEO, set_config, verb_iri

FILM = "u1-film-lived-experience-of-restriction"
READING = "u1-reading-human-rights-and-restriction"
LIVE = "u1-live-webinar-understanding-restrictive-practices"
EXT = VIDEO + "/extensions/"


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def tutor(make_user):
    return make_user("tutor")


@pytest.fixture
def enrolment(enrol, learner, tutor):
    return enrol(learner, tutor=tutor)


class Player:
    """What a player page does with its launch parameters."""

    def __init__(self, client, launch: dict, activity_type: str):
        self.client = client
        self.parameters = {k: v[0] for k, v in parse_qs(urlsplit(launch["url"]).query).items()}
        self.activity_type = activity_type
        self.session = str(uuid.uuid4())

    def statement(self, verb, result=None, extensions=None) -> dict:
        body = {"id": str(uuid.uuid4()), "actor": json.loads(self.parameters["actor"]),
                "verb": {"id": verb_iri(verb), "display": {"en-GB": verb}},
                "object": {"objectType": "Activity", "id": self.parameters["activity_id"],
                           "definition": {"type": self.activity_type}},
                "context": {"registration": self.parameters["registration"]}}
        if extensions:
            body["context"]["extensions"] = extensions
        if result:
            body["result"] = result
        return body

    def video(self, verb, segments=None, seconds=None, length=24.01, **extensions):
        result = {"extensions": {EXT + k.replace("_", "-"): v for k, v in extensions.items()}}
        if segments is not None:
            result["extensions"][EXT + "played-segments"] = \
                "[,]".join(f"{a}[.]{b}" for a, b in segments)
        if seconds is not None:
            result["duration"] = f"PT{seconds}S"
        return self.statement(verb, result, {EXT + "length": length,
                                             EXT + "session-id": self.session,
                                             EXT + "completion-threshold": 0.9})

    def send(self, statements) -> list[str]:
        response = self.client.post("/xapi/statements", json=statements, headers={
            "Authorization": self.parameters["auth"], "X-Experience-API-Version": "1.0.3"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def launch(client, enrolment, slug, headers, activity_type) -> Player:
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{slug}/launch",
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return Player(client, response.get_json(), activity_type)


def standing(client, enrolment, slug, headers) -> dict:
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=headers)
    assert response.status_code == 200
    for unit in response.get_json()["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == slug:
                return activity
    raise AssertionError(slug)


def test_a_film_watched_through_is_complete_and_a_resent_statement_counts_once(
        client, catalogue, enrolment, learner, auth):
    headers = auth(learner)
    player = launch(client, enrolment, FILM, headers, VIDEO + "/activity-type/video")
    assert standing(client, enrolment, FILM, headers)["status"] == "started"
    paused = player.video("paused", [(0, 12)], seconds=12, time=12)
    player.send([player.video("initialized"), player.video("played", time=0), paused])
    assert standing(client, enrolment, FILM, headers)["detail"] == {"watched": 0.5}
    player.send([paused])  # a retry after a lost answer: the same id, stored once
    completed = player.video("completed", [(0, 22)], seconds=10, time=22, progress=0.916)
    player.send([player.video("played", time=12), completed])
    entry = standing(client, enrolment, FILM, headers)
    assert entry["status"] == "completed"
    assert entry["credited_hours"] == 1.0
    assert entry["time_spent_seconds"] == 22
    assert entry["detail"] == {"watched": 0.916}


def test_a_film_skipped_through_is_not_complete(client, catalogue, enrolment, learner, auth):
    headers = auth(learner)
    player = launch(client, enrolment, FILM, headers, VIDEO + "/activity-type/video")
    player.send([player.video("initialized"), player.video("played", time=0),
                 player.video("seeked", time_from=3, time_to=20),
                 player.video("completed", [(0, 3), (20, 24.01)], seconds=7, progress=1),
                 player.video("terminated", [(0, 3), (20, 24.01)], time=24.01, progress=1)])
    entry = standing(client, enrolment, FILM, headers)
    assert (entry["status"], entry["credited_hours"]) == ("started", 0.0)
    assert entry["detail"] == {"watched": 0.292}


def reading_statement(player, verb, progress, seconds):
    return player.statement(verb, {"duration": f"PT{seconds}S",
                                   "extensions": {PROGRESS: progress}})


def test_a_reading_is_complete_at_the_end_after_the_minimum_time(
        client, db, catalogue, enrolment, learner, auth):
    set_config(db, READING, min_minutes=1)
    headers = auth(learner)
    player = launch(client, enrolment, READING, headers,
                    "http://id.tincanapi.com/activitytype/document")
    player.send([player.statement("initialized"),
                 reading_statement(player, "progressed", 60, 30),
                 reading_statement(player, "progressed", 100, 20)])  # the end, at 50 s
    assert standing(client, enrolment, READING, headers)["status"] == "started"
    player.send([reading_statement(player, "completed", 100, 0.5)])  # the browser's word only
    assert standing(client, enrolment, READING, headers)["status"] == "started"
    player.send([reading_statement(player, "progressed", 100, 9.5)])
    entry = standing(client, enrolment, READING, headers)
    assert (entry["status"], entry["credited_hours"]) == ("completed", 3.5)
    assert entry["detail"] == {"progress": 100, "end": True, "seconds": 60}


def test_a_live_webinar_needs_attendance_recorded_by_its_tutor(
        client, db, catalogue, enrolment, learner, tutor, auth):
    set_config(db, LIVE, meeting_url="https://meet.example.org/u1")
    headers = auth(learner)
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{LIVE}/launch",
                           headers=headers)
    assert response.get_json()["url"] == "https://meet.example.org/u1"
    # Launch credentials (a film's) can say anything about the webinar: it does not count.
    player = launch(client, enrolment, FILM, headers, VIDEO + "/activity-type/video")
    forged = player.statement("attended", {"duration": "PT2H"})
    forged["object"]["id"] = forged["object"]["id"].replace(FILM, LIVE)
    player.send([forged])
    assert standing(client, enrolment, LIVE, headers)["status"] == "started"
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/attendance",
                           json={"activity": LIVE, "minutes": 120}, headers=auth(tutor))
    assert response.status_code == 201
    entry = standing(client, enrolment, LIVE, headers)
    assert (entry["status"], entry["credited_hours"]) == ("completed", 2.0)
