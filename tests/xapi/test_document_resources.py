"""The document resources and the other non-statement resources, over HTTP (Communication 2.2
to 2.7 and the Concurrency rules of 3.1): state, activity profile, agent profile, activities,
agents and about."""

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

ACTIVITY = "http://pathway.test/xapi/activities/unit-1"
OTHER_ACTIVITY = "http://pathway.test/xapi/activities/unit-2"
AGENT = {"objectType": "Agent", "mbox": "mailto:learner@pathway.test"}
OTHER_AGENT = {"objectType": "Agent",
               "account": {"homePage": "http://pathway.test", "name": "learner-2"}}
BINARY = b"\x00\x01\xff\xfe\r\n\r\n--boundary\x00\x80 not UTF-8 \xc3\x28"


def sha1_etag(content: bytes) -> str:
    return '"' + hashlib.sha1(content, usedforsecurity=False).hexdigest() + '"'


@dataclass(frozen=True)
class Resource:
    """One document resource: its path, the parameters naming its scope, its id parameter."""

    name: str
    path: str
    id_param: str

    def scope(self, agent=AGENT, activity=ACTIVITY) -> dict:
        params = {}
        if self.name != "agent_profile":
            params["activityId"] = activity
        if self.name != "activity_profile":
            params["agent"] = json.dumps(agent)
        return params

    def params(self, doc_id=None, **scope) -> dict:
        params = self.scope(**scope)
        if doc_id is not None:
            params[self.id_param] = doc_id
        return params


STATE = Resource("state", "/xapi/activities/state", "stateId")
ACTIVITY_PROFILE = Resource("activity_profile", "/xapi/activities/profile", "profileId")
AGENT_PROFILE = Resource("agent_profile", "/xapi/agents/profile", "profileId")
RESOURCES = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]
PROFILES = [ACTIVITY_PROFILE, AGENT_PROFILE]
by_resource = pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
by_profile = pytest.mark.parametrize("resource", PROFILES, ids=lambda r: r.name)


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


@pytest.fixture
def put(client, headers):
    """`put(resource, doc_id, content, content_type, **scope)`: create or replace a document
    (with `If-None-Match: *` or the current ETag, so it is allowed for every resource)."""

    def do(resource, doc_id, content, content_type="application/json", **scope):
        if isinstance(content, dict):
            content = json.dumps(content).encode()
        params = resource.params(doc_id, **scope)
        current = client.get(resource.path, query_string=params, headers=headers)
        precondition = ({"If-Match": current.headers["ETag"]} if current.status_code == 200
                        else {"If-None-Match": "*"})
        response = client.put(resource.path, query_string=params, data=content,
                              headers={**headers, **precondition, "Content-Type": content_type})
        assert response.status_code == 204, response.get_data(as_text=True)
        return response

    return do


def get(client, headers, resource, doc_id=None, **kwargs):
    params = {**resource.params(doc_id, **kwargs.pop("scope", {})), **kwargs.pop("params", {})}
    return client.get(resource.path, query_string=params, headers={**headers, **kwargs})


# ---- single documents (2.2, 2.3, 2.6, 2.7) -----------------------------------------------------

@by_resource
def test_put_then_get_answers_the_document_with_etag_and_last_modified(client, headers, put,
                                                                       resource):
    before = datetime.now(UTC).replace(microsecond=0)
    written = put(resource, "doc-1", {"progress": 0.5})
    response = get(client, headers, resource, "doc-1")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"progress": 0.5}
    assert response.headers["ETag"] == sha1_etag(response.data) == written.headers["ETag"]
    modified = parsedate_to_datetime(response.headers["Last-Modified"])
    assert before <= modified <= datetime.now(UTC)


@by_resource
def test_any_content_type_is_stored_byte_for_byte(client, headers, put, resource):
    for doc_id, content, content_type in [
        ("binary", BINARY, "application/octet-stream"),
        ("image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        ("text", "caf\u00e9 \u2615\n".encode(), "text/plain; charset=utf-8"),
        ("json", b'{"spaced" :  [1, 2 ]}\n', "application/json"),
    ]:
        put(resource, doc_id, content, content_type)
        response = get(client, headers, resource, doc_id)
        assert response.status_code == 200
        assert response.data == content, doc_id
        assert response.headers["Content-Type"] == content_type
        assert response.headers["ETag"] == sha1_etag(content)


@by_resource
def test_head_answers_the_headers_without_the_body(client, headers, put, resource):
    put(resource, "doc-1", {"a": 1})
    response = client.head(resource.path, query_string=resource.params("doc-1"), headers=headers)
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["ETag"] == sha1_etag(b'{"a": 1}')


@by_resource
def test_a_missing_document_is_404(client, headers, resource):
    response = get(client, headers, resource, "never-written")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


@by_resource
def test_delete_removes_one_document(client, headers, put, resource):
    put(resource, "doomed", {"a": 1})
    put(resource, "kept", {"b": 2})
    response = client.delete(resource.path, query_string=resource.params("doomed"),
                             headers=headers)
    assert response.status_code == 204
    assert get(client, headers, resource, "doomed").status_code == 404
    assert get(client, headers, resource, "kept").status_code == 200
    again = client.delete(resource.path, query_string=resource.params("doomed"), headers=headers)
    assert again.status_code == 204


@by_resource
def test_documents_are_scoped_to_their_agent_or_activity(client, headers, put, resource):
    put(resource, "doc-1", {"mine": True})
    elsewhere = {"agent": OTHER_AGENT, "activity": OTHER_ACTIVITY}
    assert get(client, headers, resource, "doc-1", scope=elsewhere).status_code == 404
    put(resource, "doc-1", {"mine": False}, **elsewhere)
    assert get(client, headers, resource, "doc-1").get_json() == {"mine": True}


@pytest.mark.parametrize("resource", [STATE, AGENT_PROFILE], ids=lambda r: r.name)
def test_an_agent_is_known_by_its_identifier_not_its_other_properties(client, headers, put,
                                                                      resource):
    put(resource, "doc-1", {"a": 1})
    same = {"objectType": "Agent", "name": "Learner One", "mbox": "mailto:learner@PATHWAY.test"}
    response = get(client, headers, resource, "doc-1", scope={"agent": same})
    assert response.status_code == 200
    assert response.get_json() == {"a": 1}


# ---- JSON merge by POST (2.2 "JSON Procedure with Requirements") ------------------------------

@by_resource
def test_post_merges_top_level_properties(client, headers, put, resource):
    put(resource, "vars", {"x": "foo", "y": "bar", "nested": {"keep": 1, "old": 2}})
    response = client.post(resource.path, query_string=resource.params("vars"),
                           json={"x": "bash", "z": "faz", "nested": {"new": 3}}, headers=headers)
    assert response.status_code == 204
    document = get(client, headers, resource, "vars")
    assert document.get_json() == {"x": "bash", "y": "bar", "z": "faz", "nested": {"new": 3}}
    assert document.headers["Content-Type"] == "application/json"
    assert document.headers["ETag"] == response.headers["ETag"] == sha1_etag(document.data)


@by_resource
def test_post_creates_a_missing_document(client, headers, resource):
    response = client.post(resource.path, query_string=resource.params("fresh"),
                           json={"a": 1}, headers=headers)
    assert response.status_code == 204
    assert get(client, headers, resource, "fresh").get_json() == {"a": 1}


@by_resource
@pytest.mark.parametrize(("stored", "stored_type", "posted", "posted_type"), [
    (b'{"a": 1}', "application/json", b"plain text", "text/plain"),
    (b'{"a": 1}', "application/json", b'["not", "an", "object"]', "application/json"),
    (b'{"a": 1}', "application/json", b'{"broken": ', "application/json"),
    (b'{"a": 1}', "application/json", b'{"b": 2}', "application/octet-stream"),
    (b"plain text", "text/plain", b'{"b": 2}', "application/json"),
    (b'["a", "list"]', "application/json", b'{"b": 2}', "application/json"),
], ids=["text-into-json", "array-into-json", "invalid-json", "object-as-octets",
        "json-into-text", "object-into-array"])
def test_post_that_cannot_merge_is_400_and_leaves_the_document(
        client, headers, put, resource, stored, stored_type, posted, posted_type):
    put(resource, "vars", stored, stored_type)
    response = client.post(resource.path, query_string=resource.params("vars"), data=posted,
                           headers={**headers, "Content-Type": posted_type})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]
    document = get(client, headers, resource, "vars")
    assert document.data == stored
    assert document.headers["Content-Type"] == stored_type
    assert document.headers["ETag"] == sha1_etag(stored)


@by_resource
def test_post_of_invalid_json_creates_nothing(client, headers, resource):
    response = client.post(resource.path, query_string=resource.params("fresh"),
                           data=b"{nope", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert get(client, headers, resource, "fresh").status_code == 404


# ---- lists of ids and `since` ------------------------------------------------------------------

@by_resource
def test_get_without_an_id_lists_the_ids_in_scope(client, headers, put, resource):
    put(resource, "b", {"n": 2})
    put(resource, "a", {"n": 1})
    put(resource, "c", {"n": 3}, agent=OTHER_AGENT, activity=OTHER_ACTIVITY)
    response = get(client, headers, resource)
    assert response.status_code == 200
    assert sorted(response.get_json()) == ["a", "b"]
    assert parsedate_to_datetime(response.headers["Last-Modified"]) <= datetime.now(UTC)


@by_resource
def test_an_empty_list_of_ids(client, headers, resource):
    response = get(client, headers, resource)
    assert response.status_code == 200
    assert response.get_json() == []


@by_resource
def test_since_lists_only_documents_changed_after_it(client, headers, put, resource):
    put(resource, "old", {"n": 1})
    time.sleep(0.01)
    since = datetime.now(UTC)
    time.sleep(0.01)
    put(resource, "new", {"n": 2})
    listed = get(client, headers, resource, params={"since": since.isoformat()})
    assert listed.status_code == 200
    assert listed.get_json() == ["new"]
    earlier = (since - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert sorted(get(client, headers, resource, params={"since": earlier}).get_json()) == [
        "new", "old"]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert get(client, headers, resource, params={"since": later}).get_json() == []


@by_resource
@pytest.mark.parametrize("params", [
    {"since": "yesterday"},
    {"since": "2024-05-04T17:00:00Z", "DOC_ID": "doc-1"},
], ids=["not-a-timestamp", "with-an-id"])
def test_bad_since_is_400(client, headers, put, resource, params):
    put(resource, "doc-1", {"a": 1})
    params = {resource.id_param if k == "DOC_ID" else k: v for k, v in params.items()}
    assert get(client, headers, resource, params=params).status_code == 400


# ---- state: registration and deleting every document (2.3) -------------------------------------

def test_state_registration_keeps_documents_apart(client, headers, put):
    registration, other = str(uuid.uuid4()), str(uuid.uuid4())
    put(STATE, "bookmark", {"page": 1})
    with_registration = {**STATE.params("bookmark"), "registration": registration}
    response = client.put(STATE.path, query_string=with_registration, json={"page": 9},
                          headers=headers)
    assert response.status_code == 204

    assert get(client, headers, STATE, "bookmark").get_json() == {"page": 1}
    in_registration = get(client, headers, STATE, "bookmark",
                          params={"registration": registration})
    assert in_registration.get_json() == {"page": 9}
    assert get(client, headers, STATE, "bookmark",
               params={"registration": other}).status_code == 404
    assert get(client, headers, STATE, params={"registration": registration}).get_json() == [
        "bookmark"]
    assert get(client, headers, STATE, params={"registration": other}).get_json() == []
    upper = get(client, headers, STATE, "bookmark", params={"registration": registration.upper()})
    assert upper.get_json() == {"page": 9}


def test_state_delete_in_a_registration_leaves_the_others(client, headers, put):
    registration = str(uuid.uuid4())
    put(STATE, "bookmark", {"page": 1})
    client.put(STATE.path, query_string={**STATE.params("bookmark"), "registration": registration},
               json={"page": 9}, headers=headers)
    response = client.delete(STATE.path, query_string={**STATE.params(),
                                                       "registration": registration},
                             headers=headers)
    assert response.status_code == 204
    assert get(client, headers, STATE, params={"registration": registration}).get_json() == []
    assert get(client, headers, STATE, "bookmark").get_json() == {"page": 1}


def test_state_delete_without_state_id_deletes_every_document_of_agent_and_activity(
        client, headers, put):
    put(STATE, "one", {"n": 1})
    put(STATE, "two", b"binary \x00", "application/octet-stream")
    put(STATE, "one", {"n": 3}, agent=OTHER_AGENT)
    put(STATE, "one", {"n": 4}, activity=OTHER_ACTIVITY)
    response = client.delete(STATE.path, query_string=STATE.params(), headers=headers)
    assert response.status_code == 204
    assert get(client, headers, STATE).get_json() == []
    assert get(client, headers, STATE, "one", scope={"agent": OTHER_AGENT}).get_json() == {"n": 3}
    assert get(client, headers, STATE, "one",
               scope={"activity": OTHER_ACTIVITY}).get_json() == {"n": 4}


def test_state_registration_must_be_a_uuid(client, headers):
    params = {**STATE.params("bookmark"), "registration": "not-a-uuid"}
    assert client.put(STATE.path, query_string=params, json={"a": 1},
                      headers=headers).status_code == 400
    assert client.get(STATE.path, query_string=params, headers=headers).status_code == 400


def test_profile_delete_needs_a_profile_id(client, headers, put):
    put(ACTIVITY_PROFILE, "keep", {"a": 1})
    response = client.delete(ACTIVITY_PROFILE.path, query_string=ACTIVITY_PROFILE.params(),
                             headers=headers)
    assert response.status_code == 400
    assert get(client, headers, ACTIVITY_PROFILE, "keep").status_code == 200


# ---- concurrency (3.1) ---------------------------------------------------------------------------

@by_resource
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_if_match_with_the_current_etag_allows_the_write(client, headers, put, resource, method):
    etag = put(resource, "doc", {"v": 1}).headers["ETag"]
    response = client.open(resource.path, method=method, query_string=resource.params("doc"),
                           json={"v": 2}, headers={**headers, "If-Match": etag})
    assert response.status_code == 204
    assert response.headers["ETag"] == sha1_etag(get(client, headers, resource, "doc").data)
    assert get(client, headers, resource, "doc").get_json() == {"v": 2}


@by_resource
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(client, headers, put, resource,
                                                               method):
    put(resource, "doc", {"v": 1})
    stale = sha1_etag(b'{"v": 0}')
    response = client.open(resource.path, method=method, query_string=resource.params("doc"),
                           json={"v": 2}, headers={**headers, "If-Match": stale})
    assert response.status_code == 412
    assert response.get_json()["error"]["message"]
    assert get(client, headers, resource, "doc").get_json() == {"v": 1}


@by_resource
def test_delete_with_the_current_etag(client, headers, put, resource):
    etag = put(resource, "doc", {"v": 1}).headers["ETag"]
    response = client.delete(resource.path, query_string=resource.params("doc"),
                             headers={**headers, "If-Match": etag})
    assert response.status_code == 204
    assert get(client, headers, resource, "doc").status_code == 404


@by_resource
def test_if_match_on_a_missing_document_is_412(client, headers, resource):
    response = client.put(resource.path, query_string=resource.params("doc"), json={"v": 1},
                          headers={**headers, "If-Match": sha1_etag(b"anything")})
    assert response.status_code == 412
    assert get(client, headers, resource, "doc").status_code == 404


@by_resource
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_if_none_match_star_on_an_existing_document_is_412(client, headers, put, resource,
                                                           method):
    put(resource, "doc", {"v": 1})
    response = client.open(resource.path, method=method, query_string=resource.params("doc"),
                           json={"v": 2}, headers={**headers, "If-None-Match": "*"})
    assert response.status_code == 412
    assert get(client, headers, resource, "doc").get_json() == {"v": 1}


@by_resource
def test_if_none_match_star_creates_a_new_document(client, headers, resource):
    response = client.put(resource.path, query_string=resource.params("doc"), json={"v": 1},
                          headers={**headers, "If-None-Match": "*"})
    assert response.status_code == 204
    assert response.headers["ETag"] == sha1_etag(b'{"v": 1}')


@by_profile
@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_profile_put_over_an_existing_document_without_a_precondition_is_409(
        client, lrs_headers, put, resource, version):
    put(resource, "doc", {"v": 1})
    response = client.put(resource.path, query_string=resource.params("doc"), json={"v": 2},
                          headers=lrs_headers("all", version=version))
    assert response.status_code == 409
    assert "If-Match" in response.get_json()["error"]["message"]
    assert get(client, lrs_headers("all"), resource, "doc").get_json() == {"v": 1}


@by_profile
def test_profile_put_of_a_new_document_without_a_precondition_is_400(client, headers, resource):
    response = client.put(resource.path, query_string=resource.params("doc"), json={"v": 1},
                          headers=headers)
    assert response.status_code == 400
    assert "If-None-Match" in response.get_json()["error"]["message"]
    assert get(client, headers, resource, "doc").status_code == 404


@by_profile
def test_profile_post_and_delete_need_no_precondition(client, headers, put, resource):
    put(resource, "doc", {"v": 1})
    post = client.post(resource.path, query_string=resource.params("doc"), json={"w": 2},
                       headers=headers)
    assert post.status_code == 204
    assert get(client, headers, resource, "doc").get_json() == {"v": 1, "w": 2}
    delete = client.delete(resource.path, query_string=resource.params("doc"), headers=headers)
    assert delete.status_code == 204


def test_state_put_without_a_precondition_is_allowed_in_1_0_3(client, lrs_headers):
    headers = lrs_headers("all", version="1.0.3")
    for value in (1, 2):
        response = client.put(STATE.path, query_string=STATE.params("doc"), json={"v": value},
                              headers=headers)
        assert response.status_code == 204
    assert get(client, headers, STATE, "doc").get_json() == {"v": 2}


def test_state_put_over_an_existing_document_without_a_precondition_is_409_in_2_0_0(
        client, lrs_headers):
    headers = lrs_headers("all", version="2.0.0")
    created = client.put(STATE.path, query_string=STATE.params("doc"), json={"v": 1},
                         headers=headers)
    assert created.status_code == 204
    response = client.put(STATE.path, query_string=STATE.params("doc"), json={"v": 2},
                          headers=headers)
    assert response.status_code == 409
    assert get(client, headers, STATE, "doc").get_json() == {"v": 1}
    replaced = client.put(STATE.path, query_string=STATE.params("doc"), json={"v": 2},
                          headers={**headers, "If-Match": created.headers["ETag"]})
    assert replaced.status_code == 204


# ---- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "resource", "drop"), [
    ("GET", STATE, "agent"),
    ("GET", STATE, "activityId"),
    ("PUT", STATE, "stateId"),
    ("POST", STATE, "stateId"),
    ("DELETE", STATE, "agent"),
    ("GET", ACTIVITY_PROFILE, "activityId"),
    ("PUT", ACTIVITY_PROFILE, "profileId"),
    ("POST", ACTIVITY_PROFILE, "profileId"),
    ("DELETE", ACTIVITY_PROFILE, "profileId"),
    ("GET", AGENT_PROFILE, "agent"),
    ("PUT", AGENT_PROFILE, "profileId"),
    ("POST", AGENT_PROFILE, "profileId"),
    ("DELETE", AGENT_PROFILE, "profileId"),
], ids=lambda v: v.name if isinstance(v, Resource) else v)
def test_a_missing_required_parameter_is_400(client, headers, method, resource, drop):
    params = resource.params("doc")
    del params[drop]
    response = client.open(resource.path, method=method, query_string=params, json={"a": 1},
                           headers={**headers, "If-None-Match": "*"})
    assert response.status_code == 400
    assert drop in response.get_json()["error"]["message"]


NOT_AGENTS = {
    "not-json": "not json",
    "no-ifi": json.dumps({"objectType": "Agent", "name": "No identifier"}),
    "mbox-without-mailto": json.dumps({"objectType": "Agent", "mbox": "learner@pathway.test"}),
    "two-ifis": json.dumps({"objectType": "Agent", "mbox": "mailto:a@pathway.test",
                            "account": {"homePage": "http://pathway.test", "name": "a"}}),
    "anonymous-group": json.dumps({"objectType": "Group", "member": [AGENT]}),
    "list": json.dumps(["mailto:learner@pathway.test"]),
}


@pytest.mark.parametrize("resource", [STATE, AGENT_PROFILE], ids=lambda r: r.name)
def test_an_agent_parameter_that_is_not_an_agent_is_400(client, headers, resource):
    for case, agent in NOT_AGENTS.items():
        params = {**resource.params("doc"), "agent": agent}
        for method in ("GET", "PUT"):
            response = client.open(resource.path, method=method, query_string=params,
                                   json={"a": 1}, headers={**headers, "If-None-Match": "*"})
            assert response.status_code == 400, (case, method)


@pytest.mark.parametrize("resource", [STATE, ACTIVITY_PROFILE], ids=lambda r: r.name)
def test_an_activity_id_that_is_not_an_iri_is_400(client, headers, resource):
    params = {**resource.params("doc"), "activityId": "not an iri"}
    assert client.get(resource.path, query_string=params, headers=headers).status_code == 400


# ---- activities resource (2.5) -----------------------------------------------------------------

def statement(definition=None, activity=ACTIVITY):
    target = {"objectType": "Activity", "id": activity}
    if definition is not None:
        target["definition"] = definition
    return {"actor": AGENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                                     "display": {"en-US": "experienced"}}, "object": target}


def test_activities_answers_the_canonical_definition_merged_from_statements(client, headers):
    first = statement({"name": {"en-GB": "Unit one"}, "description": {"en-GB": "The first"},
                       "type": "http://adlnet.gov/expapi/activities/module"})
    second = statement({"name": {"fr-FR": "Unité un", "en-GB": "Unit 1"}})
    for body in (first, second):
        assert client.post("/xapi/statements", json=body, headers=headers).status_code == 200
    response = client.get("/xapi/activities", query_string={"activityId": ACTIVITY},
                          headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {
        "objectType": "Activity", "id": ACTIVITY,
        "definition": {"name": {"en-GB": "Unit 1", "fr-FR": "Unité un"},
                       "description": {"en-GB": "The first"},
                       "type": "http://adlnet.gov/expapi/activities/module"}}


def test_activities_takes_definitions_from_context_activities(client, headers):
    body = statement(activity=OTHER_ACTIVITY)
    body["context"] = {"contextActivities": {"parent": [
        {"id": ACTIVITY, "definition": {"name": {"en-GB": "Unit one"}}}]}}
    assert client.post("/xapi/statements", json=body, headers=headers).status_code == 200
    response = client.get("/xapi/activities", query_string={"activityId": ACTIVITY},
                          headers=headers)
    assert response.get_json()["definition"] == {"name": {"en-GB": "Unit one"}}


def test_an_unknown_activity_is_answered_with_just_its_id(client, headers):
    response = client.get("/xapi/activities", query_string={"activityId": OTHER_ACTIVITY},
                          headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"objectType": "Activity", "id": OTHER_ACTIVITY}


@pytest.mark.parametrize("params", [{}, {"activityId": "not an iri"},
                                    {"activityId": ACTIVITY, "agent": json.dumps(AGENT)}],
                         ids=["missing", "not-an-iri", "extra-parameter"])
def test_activities_parameters(client, headers, params):
    response = client.get("/xapi/activities", query_string=params, headers=headers)
    assert response.status_code == 400


# ---- agents resource (2.4) ---------------------------------------------------------------------

def test_agents_answers_a_person_with_arrays(client, headers):
    agent = {"objectType": "Agent", "name": "Learner One", "mbox": "mailto:learner@pathway.test"}
    response = client.get("/xapi/agents", query_string={"agent": json.dumps(agent)},
                          headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"objectType": "Person", "name": ["Learner One"],
                                   "mbox": ["mailto:learner@pathway.test"]}


def test_agents_answers_an_account_in_an_array(client, headers):
    response = client.get("/xapi/agents", query_string={"agent": json.dumps(OTHER_AGENT)},
                          headers=headers)
    assert response.get_json() == {"objectType": "Person",
                                   "account": [OTHER_AGENT["account"]]}


@pytest.mark.parametrize("agent", [
    {"objectType": "Group", "mbox": "mailto:team@pathway.test"},
    {"objectType": "Group", "member": [AGENT]},
    {"objectType": "Agent", "name": "No identifier"},
    "not json",
], ids=["identified-group", "anonymous-group", "no-ifi", "not-json"])
def test_agents_refuses_what_is_not_an_agent(client, headers, agent):
    value = agent if isinstance(agent, str) else json.dumps(agent)
    response = client.get("/xapi/agents", query_string={"agent": value}, headers=headers)
    assert response.status_code == 400


def test_agents_needs_the_agent_parameter(client, headers):
    assert client.get("/xapi/agents", headers=headers).status_code == 400


# ---- about -------------------------------------------------------------------------------------

def test_about_needs_neither_credentials_nor_a_version_header(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    body = response.get_json()
    assert {"1.0.3", "2.0.0"} <= set(body["version"])
    assert isinstance(body.get("extensions", {}), dict)
    assert response.headers["X-Experience-API-Version"]


def test_a_content_type_longer_than_the_lrs_keeps_is_refused(client, lrs_headers):
    headers = {**lrs_headers("all"), "Content-Type": "text/plain; x=" + "a" * 300}
    response = client.put("/xapi/activities/state", headers=headers, data=b"hello",
                          query_string={"activityId": "http://pathway.test/a",
                                        "agent": '{"mbox": "mailto:ann@pathway.test"}',
                                        "stateId": "long"})
    assert response.status_code == 400
    assert "longer than 255" in response.get_json()["error"]["message"]
