"""The `interactive` activity type: launching an uploaded xAPI package with launch
credentials, the content's own statements through those credentials, and progress from them
(completed; passed; a failure that only a pass undoes)."""

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from package_zips import ROOT_ID, good_zip

from activities.base import (
    COMPLETED,
    FAILED,
    LAUNCHED,
    PASSED,
    PROGRESSED,
    Event,
    LaunchContext,
    NotReady,
)
from activities.interactive import Interactive

SLUG = "u1-interactive-recognising-restrictions"
ADL = "http://adlnet.gov/expapi/verbs/"
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def event(kind, minutes=0):
    return Event(str(uuid.uuid4()), kind, T0 + timedelta(minutes=minutes), trusted=False)


# -- the completion rule -----------------------------------------------------------------

@pytest.mark.parametrize(("kinds", "status", "completed_minute"), [
    ([], "not-started", None),
    ([LAUNCHED], "started", None),
    ([LAUNCHED, PROGRESSED], "started", None),
    ([LAUNCHED, COMPLETED], "completed", 1),
    ([COMPLETED, COMPLETED], "completed", 0),
    ([PASSED], "passed", 0),
    ([COMPLETED, PASSED], "passed", 1),
    ([FAILED], "failed", None),
    ([FAILED, COMPLETED], "failed", None),        # a completion does not undo a failure
    ([COMPLETED, FAILED], "failed", None),        # in either order
    ([FAILED, PASSED], "passed", 1),              # a pass does
    ([FAILED, COMPLETED, PASSED, FAILED], "passed", 2),  # and stays
])
def test_completion_follows_the_packages_own_statements(kinds, status, completed_minute):
    events = [event(kind, minute) for minute, kind in enumerate(kinds)]
    completion = Interactive().completion({}, events)
    assert completion.status == status
    expected = None if completed_minute is None else T0 + timedelta(minutes=completed_minute)
    assert completion.completed_at == expected


@pytest.mark.parametrize(("verb", "result", "kind"), [
    ("completed", None, COMPLETED),
    ("completed", {"success": True}, PASSED),
    ("completed", {"success": False}, FAILED),
    ("passed", {"score": {"scaled": 0.9}}, PASSED),
    ("failed", None, FAILED),
    ("experienced", None, PROGRESSED),
    ("answered", None, None),
])
def test_statements_are_interpreted_by_their_verb(verb, result, kind):
    statement = {"verb": {"id": ADL + verb}, "object": {"id": ROOT_ID}}
    if result is not None:
        statement["result"] = result
    meaning = Interactive().interpret(statement)
    assert (meaning.kind if meaning else None) == kind


def test_the_type_tracks_in_the_browser_and_takes_xapi_packages():
    assert Interactive.tracks_in_browser is True
    assert Interactive.package_kinds == ("xapi",)


def test_launch_without_a_package_is_not_ready():
    class Activity:
        title = "Recognising restrictions"

    context = LaunchContext(activity=Activity(), enrolment=None, activity_id="x", actor={},
                            registration="r", endpoint="e", auth="a", player_url="/p",
                            content_url=str, package=None)
    with pytest.raises(NotReady, match="has no content uploaded yet"):
        Interactive().launch(context)


# -- end to end, through the API and the LRS -------------------------------------------------

@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def enrolment(enrol, learner, make_user):
    return enrol(learner, tutor=make_user("tutor"))


@pytest.fixture
def learner_headers(auth, learner):
    return auth(learner)


@pytest.fixture
def uploaded(client, catalogue, make_user, auth):
    response = client.put(f"/api/v1/activities/{SLUG}/package",
                          headers=auth(make_user("admin")),
                          data={"file": (io.BytesIO(good_zip()), "package.zip")},
                          content_type="multipart/form-data")
    assert response.status_code == 201
    return response.get_json()


def launch(client, enrolment, headers):
    return client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/launch",
                       headers=headers)


def launch_parameters(url) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def post_statement(client, parameters, verb, *, object_id=ROOT_ID, result=None, actor=None,
                   registration=None):
    statement = {"id": str(uuid.uuid4()),
                 "actor": actor or json.loads(parameters["actor"]),
                 "verb": {"id": ADL + verb, "display": {"en-US": verb}},
                 "object": {"objectType": "Activity", "id": object_id},
                 "context": {"registration": registration or parameters["registration"]}}
    if result:
        statement["result"] = result
    return client.post("/xapi/statements", json=statement,
                       headers={"Authorization": parameters["auth"],
                                "X-Experience-API-Version": "1.0.3"})


def activity_status(client, enrolment, headers) -> str:
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=headers)
    assert response.status_code == 200
    for unit in response.get_json()["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == SLUG:
                return activity["status"]
    raise AssertionError(SLUG)


def test_launching_before_any_upload_is_409(client, enrolment, learner_headers):
    response = launch(client, enrolment, learner_headers)
    assert response.status_code == 409
    assert "has no content uploaded yet" in response.get_json()["detail"]


def test_launch_opens_the_package_with_launch_parameters(client, enrolment, learner,
                                                        learner_headers, uploaded):
    response = launch(client, enrolment, learner_headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["mode"] == "content"
    assert urlsplit(body["url"]).path == uploaded["launch_url"]
    parameters = launch_parameters(body["url"])
    assert parameters["endpoint"] == "http://pathway.test/xapi/"
    assert parameters["auth"].startswith("Basic ")
    assert parameters["registration"] == enrolment.registration
    assert parameters["activity_id"] == body["activity_iri"]
    assert json.loads(parameters["actor"])["account"]["name"] == learner.public_id
    files = client.get(urlsplit(body["url"]).path + "?" + urlsplit(body["url"]).query,
                       headers=learner_headers)
    assert files.status_code == 200
    files.close()


def test_the_launch_credentials_write_the_learners_statements_in_that_registration(
        client, enrolment, learner_headers, uploaded):
    parameters = launch_parameters(launch(client, enrolment, learner_headers).get_json()["url"])
    assert post_statement(client, parameters, "experienced").status_code == 200
    someone_else = {"objectType": "Agent", "account": {"homePage": "http://pathway.test",
                                                       "name": "someone-else"}}
    assert post_statement(client, parameters, "completed",
                          actor=someone_else).status_code == 403
    assert post_statement(client, parameters, "completed",
                          registration=str(uuid.uuid4())).status_code == 403


@pytest.mark.parametrize("object_id", ["package", "activity"])
def test_a_completed_statement_from_the_content_completes_the_activity(
        client, enrolment, learner_headers, uploaded, object_id):
    url = launch(client, enrolment, learner_headers).get_json()["url"]
    parameters = launch_parameters(url)
    target = ROOT_ID if object_id == "package" else parameters["activity_id"]
    assert activity_status(client, enrolment, learner_headers) == "started"
    assert post_statement(client, parameters, "completed",
                          object_id=target).status_code == 200
    assert activity_status(client, enrolment, learner_headers) == "completed"


def test_a_failure_stays_until_a_pass(client, enrolment, learner_headers, uploaded):
    parameters = launch_parameters(launch(client, enrolment, learner_headers).get_json()["url"])
    post_statement(client, parameters, "failed", result={"score": {"scaled": 0.4}})
    assert activity_status(client, enrolment, learner_headers) == "failed"
    post_statement(client, parameters, "completed")
    assert activity_status(client, enrolment, learner_headers) == "failed"
    post_statement(client, parameters, "passed", result={"score": {"scaled": 0.9}})
    assert activity_status(client, enrolment, learner_headers) == "passed"


def test_statements_about_an_older_package_still_count(client, enrolment, learner_headers,
                                                       uploaded, make_user, auth):
    parameters = launch_parameters(launch(client, enrolment, learner_headers).get_json()["url"])
    newer = client.put(f"/api/v1/activities/{SLUG}/package", headers=auth(make_user("admin")),
                       data={"file": (io.BytesIO(good_zip(activity_id=ROOT_ID + "/v2")),
                                      "v2.zip")},
                       content_type="multipart/form-data")
    assert newer.status_code == 201
    assert post_statement(client, parameters, "completed").status_code == 200
    assert activity_status(client, enrolment, learner_headers) == "completed"
