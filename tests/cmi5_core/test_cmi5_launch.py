"""Launching an AU: the launch URL's parameters, the `LMS.LaunchData` state document (read
back through the LRS's HTTP API with the fetched token), the `launched` statement, launch
modes, an earlier open session abandoned, the course page's buttons, and refusals."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from cmi5_core_support import (
    ABANDONED,
    AU,
    AU1_ID,
    AU2_ID,
    CATEGORY_CMI5,
    CMI5,
    SESSION_ID,
    SLUG,
    csrf_token,
    folder_of,
    query_of,
    sign_in,
)

from lms.content.cmi5_course import lms_id

pytest_plugins = ["cmi5_core_fixtures"]

IRI = "http://pathway.test/activities/" + SLUG
EXT = CMI5 + "context/extensions/"


def test_the_launch_url_carries_the_cmi5_parameters(launch, uploaded, enrolment, learner):
    response = launch(1)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    url = body["url"]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == \
        f"http://pathway.test/content/packages/{folder_of(uploaded)}/check/index.html"
    query = query_of(url)
    assert set(query) == {"lang", "endpoint", "fetch", "actor", "registration", "activityId"}
    assert query["lang"] == "en"  # the AU's own query is kept
    assert query["endpoint"] == "http://pathway.test/xapi"  # AU libraries add "/statements"
    assert query["fetch"].startswith("http://pathway.test/cmi5/fetch/")
    assert json.loads(query["actor"]) == {
        "objectType": "Agent", "name": learner.name,
        "account": {"homePage": "http://pathway.test", "name": learner.public_id}}
    assert query["registration"] == enrolment.registration
    assert query["activityId"] == lms_id(IRI, "au", AU2_ID) != AU2_ID
    assert body["mode"] == "Normal"
    assert body["registration"] == enrolment.registration
    assert body["au"]["id"] == AU2_ID


def test_launch_data_as_the_au_reads_it(launched_au, enrolment):
    au = launched_au(1)
    data = au.read_launch_data()
    assert data == {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": AU2_ID}]},
            "extensions": {SESSION_ID: au.session_id}},
        "launchMode": "Normal", "moveOn": "Passed", "masteryScore": 0.8,
        "launchParameters": "start=1", "entitlementKey": {"courseStructure": "ek-123"},
        "returnURL": f"http://pathway.test/learn/{enrolment.id}/{SLUG}/player"}


def test_launch_data_leaves_out_what_the_course_structure_does_not_give(launched_au):
    data = launched_au(0).read_launch_data()
    assert set(data) == {"contextTemplate", "launchMode", "moveOn", "returnURL"}
    assert data["moveOn"] == "Completed"


def test_each_launch_writes_its_own_session_id(launched_au):
    first = launched_au(0)
    second = launched_au(0)
    assert first.session_id != second.session_id
    assert second.read_launch_data()["contextTemplate"]["extensions"][SESSION_ID] == \
        second.session_id


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_modes_are_in_the_launch_data(launched_au, statements, mode):
    au = launched_au(1, mode)
    assert au.read_launch_data()["launchMode"] == mode
    launched = statements(verb="http://adlnet.gov/expapi/verbs/launched")[0]
    assert launched["context"]["extensions"][EXT + "launchmode"] == mode


def test_the_launched_statement(launched_au, statements, enrolment, learner, uploaded):
    au = launched_au(1)
    found = statements(verb="http://adlnet.gov/expapi/verbs/launched",
                       activity=au.activity_id)
    assert len(found) == 1
    launched = found[0]
    assert launched["actor"]["account"] == {"homePage": "http://pathway.test",
                                            "name": learner.public_id}
    assert launched["object"]["id"] == au.activity_id
    assert launched["object"]["definition"]["name"] == {"en-GB": "The check"}
    context = launched["context"]
    assert context["registration"] == enrolment.registration
    assert context["contextActivities"]["category"] == [
        {"objectType": "Activity", "id": CATEGORY_CMI5}]
    assert context["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": AU2_ID}]
    assert context["extensions"] == {
        SESSION_ID: au.session_id, EXT + "launchmode": "Normal",
        EXT + "launchurl": f"http://pathway.test/content/packages/{folder_of(uploaded)}/"
                           "check/index.html?lang=en",
        EXT + "moveon": "Passed", EXT + "launchparameters": "start=1",
        EXT + "masteryscore": 0.8}
    assert "result" not in launched
    assert launched["authority"]["account"]["name"] == "pathway"


def test_the_state_api_gives_the_token_only_its_own_learner_and_registration(
        launched_au, make_user, enrol):
    au = launched_au(0)
    assert au.state().status_code == 200
    stranger = {"objectType": "Agent",
                "account": {"homePage": "http://pathway.test", "name": "someone-else"}}
    assert au.state(agent=stranger).status_code == 403
    assert au.state(registration="4c2c8c8e-1c1a-4c1e-9a4e-000000000000").status_code == 403


def test_a_relaunch_abandons_the_open_session_of_the_same_au(launched_au, statements, client):
    first = launched_au(0)
    first.run("initialized")
    other_au = launched_au(1)  # another AU's session stays open
    second = launched_au(0)
    abandoned = statements(verb=ABANDONED)
    assert len(abandoned) == 1
    assert abandoned[0]["context"]["extensions"][SESSION_ID] == first.session_id
    assert abandoned[0]["object"]["id"] == first.activity_id
    assert abandoned[0]["result"]["duration"].startswith("PT")
    assert abandoned[0]["context"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": AU1_ID}]
    # The abandoned session's token no longer works; the new one's does.
    from xapi import auth

    auth._cache.clear()
    assert first.send(first.statement("terminated", {"duration": "PT1M"})).status_code == 401
    second.run("initialized")
    other_au.run("initialized")


def test_a_session_never_fetched_is_abandoned_too(launched_au, statements):
    first = launched_au(0, fetch=False)
    launched_au(0)
    abandoned = statements(verb=ABANDONED)
    assert [s["context"]["extensions"][SESSION_ID] for s in abandoned] == [first.session_id]
    assert abandoned[0]["result"]["duration"] == "PT0H0M0S"


@pytest.mark.parametrize(("index", "body", "status", "field"), [
    (0, {"mode": "Sneaky"}, 422, "mode"),
    (2, {}, 404, None),
])
def test_launch_mistakes(client, uploaded, enrolment, learner_headers, index, body, status,
                         field):
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/"
                           f"{index}/launch", json=body, headers=learner_headers)
    assert response.status_code == status, response.get_data(as_text=True)
    if field:
        assert response.get_json()["errors"][0]["field"] == field


def test_only_the_enrolled_learner_launches(client, uploaded, enrolment, tutor_headers, auth,
                                            make_user):
    url = f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/0/launch"
    assert client.post(url, json={}, headers=tutor_headers).status_code == 403
    other = auth(make_user("learner"))
    assert client.post(url, json={}, headers=other).status_code == 404


def test_no_course_uploaded_yet_is_409(launch):
    response = launch(0)
    assert response.status_code == 409
    assert "no cmi5 course uploaded" in response.get_json()["detail"]


def test_a_non_cmi5_activity_has_no_aus(client, enrolment, learner_headers, intake):
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/no-such/aus/0/"
                           "launch", json={}, headers=learner_headers)
    assert response.status_code == 404


# -- the course page ------------------------------------------------------------------------

def test_the_course_page_launches_an_au_in_browse_mode(client, uploaded, enrolment, learner):
    sign_in(client, learner)
    opened = client.post(f"/learn/{enrolment.id}/{SLUG}/launch",
                         data={"csrf_token": csrf_token(client.get("/").get_data(
                             as_text=True))})
    assert opened.status_code == 302
    page = client.get(opened.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The transcript" in html and "The check" in html and "Listening" in html
    assert "Not attempted" in html
    assert html.count('name="mode" value="Browse"') == 2
    assert 'value="Review"' not in html
    response = client.post(f"/cmi5/{enrolment.id}/{SLUG}/aus/1/launch",
                           data={"csrf_token": csrf_token(html), "mode": "Browse"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert urlsplit(location).path == \
        f"/content/packages/{folder_of(uploaded)}/check/index.html"
    au = AU(client, location)
    au.fetch()
    assert au.read_launch_data()["launchMode"] == "Browse"


def test_the_launch_button_needs_the_csrf_token(client, uploaded, enrolment, learner):
    sign_in(client, learner)
    response = client.post(f"/cmi5/{enrolment.id}/{SLUG}/aus/0/launch", data={"mode": "Normal"})
    assert response.status_code == 400
