"""`xapi.signals.document_changing`: sent before a state or profile document is written or
deleted over HTTP, with the client, the kind, the document id, the method and the document's
context; a receiver that raises an `XAPIError` refuses the change (nothing written); without
one the document resources work as before."""

import json
import uuid

import pytest

from xapi.errors import Forbidden
from xapi.signals import document_changing

ACTIVITY = "http://pathway.test/xapi/activities/unit-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:learner@pathway.test"}
AGENT_KEY = "mbox:mailto:learner@pathway.test"
STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


@pytest.fixture
def announced(app):
    calls = []

    def receiver(sender, **kwargs):
        assert sender is app
        calls.append(kwargs)

    with document_changing.connected_to(receiver, sender=app):
        yield calls


def state_params(state_id=None, registration=None) -> dict:
    params = {"activityId": ACTIVITY, "agent": json.dumps(AGENT)}
    if state_id is not None:
        params["stateId"] = state_id
    if registration is not None:
        params["registration"] = registration
    return params


def summary(call: dict) -> tuple:
    return (call["kind"], call["document_id"], call["method"], call.get("activity_id"),
            call.get("agent_key"), call.get("registration"))


def test_state_writes_and_deletes_are_announced_with_their_context(client, headers,
                                                                   announced):
    registration = str(uuid.uuid4())
    params = state_params("bookmark", registration)
    assert client.put(STATE, query_string=params, json={"page": 1},
                      headers=headers).status_code == 204
    assert client.post(STATE, query_string=params, json={"page": 2},
                       headers=headers).status_code == 204
    assert client.delete(STATE, query_string=params, headers=headers).status_code == 204
    assert client.delete(STATE, query_string=state_params(registration=registration),
                         headers=headers).status_code == 204
    assert [summary(call) for call in announced] == [
        ("state", "bookmark", "PUT", ACTIVITY, AGENT_KEY, registration),
        ("state", "bookmark", "POST", ACTIVITY, AGENT_KEY, registration),
        ("state", "bookmark", "DELETE", ACTIVITY, AGENT_KEY, registration),
        ("state", None, "DELETE", ACTIVITY, AGENT_KEY, registration)]
    assert all(call["client"].scopes == frozenset({"all"}) for call in announced)


def test_profile_writes_and_deletes_are_announced(client, headers, announced):
    activity = {"activityId": ACTIVITY, "profileId": "settings"}
    agent = {"agent": json.dumps(AGENT), "profileId": "preferences"}
    assert client.post(ACTIVITY_PROFILE, query_string=activity, json={"a": 1},
                       headers=headers).status_code == 204
    assert client.delete(ACTIVITY_PROFILE, query_string=activity,
                         headers=headers).status_code == 204
    assert client.post(AGENT_PROFILE, query_string=agent, json={"b": 1},
                       headers=headers).status_code == 204
    assert [summary(call) for call in announced] == [
        ("activity_profile", "settings", "POST", ACTIVITY, None, None),
        ("activity_profile", "settings", "DELETE", ACTIVITY, None, None),
        ("agent_profile", "preferences", "POST", None, AGENT_KEY, None)]


def test_reads_and_refused_requests_are_not_announced(client, headers, announced):
    assert client.get(STATE, query_string=state_params("bookmark"),
                      headers=headers).status_code == 404
    assert client.put(STATE, query_string=state_params(), json={},
                      headers=headers).status_code == 400  # no stateId
    assert announced == []


def test_a_receiver_that_raises_refuses_the_change(app, client, headers):
    params = state_params("bookmark")
    assert client.put(STATE, query_string=params, json={"page": 1},
                      headers=headers).status_code == 204

    def refuse(sender, **kwargs):
        raise Forbidden("stateId: this document is not yours to change.")

    with document_changing.connected_to(refuse, sender=app):
        put = client.put(STATE, query_string=params, json={"page": 9}, headers=headers)
        delete = client.delete(STATE, query_string=params, headers=headers)
        delete_all = client.delete(STATE, query_string=state_params(), headers=headers)
    assert (put.status_code, delete.status_code, delete_all.status_code) == (403, 403, 403)
    assert put.get_json()["error"]["message"] == \
        "stateId: this document is not yours to change."
    kept = client.get(STATE, query_string=params, headers=headers)
    assert kept.status_code == 200 and kept.get_json() == {"page": 1}
