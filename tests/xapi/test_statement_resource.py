"""The Statement Resource over HTTP (xAPI 1.0.3 Communication 2.1; Data 2.3, 2.4.7-2.4.10).

PUT and POST, all-or-nothing batches, immutability and the comparison exceptions (Data
2.3.1), what the LRS sets (stored, authority, version, timestamp), voiding (Data 2.3.2 and
Communication 2.1.4), filter conditions for StatementRefs, fetching one statement, HEAD,
the X-Experience-API-Consistent-Through and Last-Modified headers, and content types."""

import json
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from xapi.auth import basic_header

STATEMENTS = "/xapi/statements"
VERB = "http://adlnet.gov/expapi/verbs/experienced"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ACTIVITY = "http://pathway.test/activities/intro"
STORED_FORMAT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


def agent(name: str) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{name}@pathway.test"}


def statement(actor="ann", verb=VERB, activity=ACTIVITY, **extra) -> dict:
    return {"actor": agent(actor), "verb": {"id": verb},
            "object": {"objectType": "Activity", "id": activity}, **extra}


def voiding(target_id: str, **extra) -> dict:
    return {"actor": agent("admin"), "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": target_id}, **extra}


def referring(target_id: str, actor="andrew", verb="http://pathway.test/verbs/confirmed"):
    return {"actor": agent(actor), "verb": {"id": verb},
            "object": {"objectType": "StatementRef", "id": target_id}}


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


def post(client, headers, body, status=200):
    response = client.post(STATEMENTS, json=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def store(client, headers, body) -> list[str]:
    """POST and return the ids, then wait so the next store gets a later `stored` time."""
    ids = post(client, headers, body)
    time.sleep(0.003)
    return ids


def fetch(client, headers, statement_id, status=200, param="statementId"):
    response = client.get(STATEMENTS, query_string={param: statement_id}, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def listed(client, headers, **params) -> list[str]:
    if isinstance(params.get("agent"), dict):
        params["agent"] = json.dumps(params["agent"])
    response = client.get(STATEMENTS, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [s["id"] for s in response.get_json()["statements"]]


def error_message(response) -> str:
    return response.get_json()["error"]["message"]


# ---- PUT (2.1.1) -------------------------------------------------------------------------------

def test_put_stores_the_statement_under_its_statement_id(client, headers):
    sid = str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=statement(),
                          headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert fetch(client, headers, sid)["id"] == sid


def test_put_accepts_a_body_whose_id_matches_the_parameter(client, headers):
    sid = str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid},
                          json=statement(id=sid.upper()), headers=headers)
    assert response.status_code == 204
    assert fetch(client, headers, sid)["actor"] == agent("ann")


def test_put_whose_body_id_differs_from_the_parameter_is_400(client, headers):
    sid, other = str(uuid.uuid4()), str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid},
                          json=statement(id=other), headers=headers)
    assert response.status_code == 400
    fetch(client, headers, sid, status=404)
    fetch(client, headers, other, status=404)


def test_put_without_statement_id_is_400(client, headers):
    response = client.put(STATEMENTS, json=statement(id=str(uuid.uuid4())), headers=headers)
    assert response.status_code == 400
    assert "statementId" in error_message(response)
    assert listed(client, headers) == []


@pytest.mark.parametrize("query", [{"statementId": "not-a-uuid"},
                                   {"statementid": "6fbd8b9c-5f0a-4b1c-9c1a-2b7a3c8d9e0f"}])
def test_put_with_a_malformed_or_misspelt_statement_id_is_400(client, headers, query):
    response = client.put(STATEMENTS, query_string=query, json=statement(), headers=headers)
    assert response.status_code == 400


def test_put_of_a_list_is_400(client, headers):
    sid = str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=[statement()],
                          headers=headers)
    assert response.status_code == 400
    assert listed(client, headers) == []


# ---- POST (2.1.2) ------------------------------------------------------------------------------

def test_post_of_one_statement_answers_its_id(client, headers):
    sid = str(uuid.uuid4())
    response = client.post(STATEMENTS, json=statement(id=sid), headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == [sid]


def test_post_of_a_list_answers_the_ids_in_order_assigning_missing_ones(client, headers):
    first, last = str(uuid.uuid4()), str(uuid.uuid4())
    ids = post(client, headers, [statement("a", id=first), statement("b"),
                                 statement("c", id=last)])
    assert len(ids) == 3
    assert ids[0] == first and ids[2] == last
    assert str(uuid.UUID(ids[1])) == ids[1]
    assert fetch(client, headers, ids[1])["actor"] == agent("b")
    assert set(listed(client, headers)) == set(ids)


def test_a_batch_with_one_invalid_statement_stores_nothing(client, headers):
    good = [statement("a", id=str(uuid.uuid4())), statement("b", id=str(uuid.uuid4()))]
    bad = statement("c")
    bad["actor"]["mbox"] = "c@pathway.test"  # not a mailto IRI
    response = client.post(STATEMENTS, json=[*good, bad], headers=headers)
    assert response.status_code == 400
    assert "[2].actor.mbox" in error_message(response)
    assert listed(client, headers) == []
    fetch(client, headers, good[0]["id"], status=404)


def test_a_batch_with_one_conflicting_statement_stores_nothing(client, headers):
    existing = str(uuid.uuid4())
    post(client, headers, statement(id=existing))
    fresh = str(uuid.uuid4())
    response = client.post(STATEMENTS, json=[statement("b", id=fresh),
                                             statement("other", id=existing)], headers=headers)
    assert response.status_code == 409
    fetch(client, headers, fresh, status=404)
    assert listed(client, headers) == [existing]


@pytest.mark.parametrize("second_id", [str.lower, str.upper])
def test_the_same_id_twice_in_a_batch_is_400(client, headers, second_id):
    sid = str(uuid.uuid4())
    response = client.post(STATEMENTS, json=[statement("a", id=sid),
                                             statement("a", id=second_id(sid))],
                           headers=headers)
    assert response.status_code == 400
    assert listed(client, headers) == []


def test_an_empty_list_is_400(client, headers):
    response = client.post(STATEMENTS, json=[], headers=headers)
    assert response.status_code == 400


# ---- immutability (Data 2.3.1) -----------------------------------------------------------------

def test_the_same_statement_again_is_accepted_and_not_stored_twice(client, headers):
    sid = str(uuid.uuid4())
    body = statement(id=sid, timestamp="2024-05-07T10:00:00.000Z")
    assert post(client, headers, body) == [sid]
    before = fetch(client, headers, sid)
    time.sleep(0.003)
    assert post(client, headers, body) == [sid]
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=body,
                          headers=headers)
    assert response.status_code == 204
    assert listed(client, headers) == [sid]
    assert fetch(client, headers, sid) == before  # not stored again: same `stored`


@pytest.mark.parametrize("change", [
    lambda s: s.update(actor=agent("someone-else")),
    lambda s: s.update(verb={"id": "http://pathway.test/verbs/other"}),
    lambda s: s.update(result={"success": True}),
    lambda s: s.update(timestamp="2024-05-07T10:00:01Z"),
    lambda s: s.update(result={"duration": "PT1M"}),
], ids=["actor", "verb", "result", "timestamp", "duration"])
def test_the_same_id_with_other_content_is_409_and_changes_nothing(client, headers, change):
    sid = str(uuid.uuid4())
    original = statement(id=sid, timestamp="2024-05-07T10:00:00Z", result={"duration": "PT60S"})
    post(client, headers, original)
    before = fetch(client, headers, sid)
    altered = json.loads(json.dumps(original))
    change(altered)
    response = client.post(STATEMENTS, json=altered, headers=headers)
    assert response.status_code == 409
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=altered,
                          headers=headers)
    assert response.status_code == 409
    assert fetch(client, headers, sid) == before


@pytest.mark.parametrize("changed", [{"display": "B", "member": [1, 2]},
                                     {"display": "A", "member": [2, 1]},
                                     {"definition": "B", "member": [1, 2]}],
                         ids=["display inside", "member order inside", "definition inside"])
def test_extensions_are_compared_whole(client, headers, changed):
    """Keys named like statement properties inside an extension are not exempt."""
    sid = str(uuid.uuid4())
    original = {"display": "A", "definition": "A", "member": [1, 2]}
    extension = "http://pathway.test/extensions/notes"
    post(client, headers, statement(id=sid, result={"extensions": {extension: original}}))
    altered = statement(id=sid, result={"extensions": {extension: {**original, **changed}}})
    response = client.post(STATEMENTS, json=altered, headers=headers)
    assert response.status_code == 409


def _group(*names):
    return {"objectType": "Group", "name": "pair", "member": [agent(n) for n in names]}


ALLOWED_DIFFERENCES = {
    "id case": lambda s: s.update(id=s["id"].upper()),
    "authority": lambda s: s.update(authority=agent("some-authority")),
    "stored": lambda s: s.update(stored="2020-01-01T00:00:00.000Z"),
    "version": lambda s: s.update(version="1.0.3"),
    "timestamp timezone": lambda s: s.update(timestamp="2024-05-07T12:00:00.000+02:00"),
    "timestamp precision": lambda s: s.update(timestamp="2024-05-07T10:00:00Z"),
    "group member order": lambda s: s.update(actor=_group("bob", "ann")),
    "verb display": lambda s: s["verb"].update(display={"fr-FR": "a vécu"}),
    "activity definition": lambda s: s["object"].update(
        definition={"name": {"en-US": "Renamed"}, "type": "http://pathway.test/types/x"}),
}


@pytest.mark.parametrize("difference", ALLOWED_DIFFERENCES)
def test_differences_the_spec_allows_are_not_conflicts(client, headers, difference):
    sid = str(uuid.uuid4())
    original = statement(id=sid, timestamp="2024-05-07T10:00:00.000Z")
    original["actor"] = _group("ann", "bob")
    original["verb"]["display"] = {"en-US": "experienced"}
    original["object"]["definition"] = {"name": {"en-US": "Introduction"}}
    post(client, headers, original)
    before = fetch(client, headers, sid)
    again = json.loads(json.dumps(original))
    ALLOWED_DIFFERENCES[difference](again)
    assert post(client, headers, again) == [sid]
    assert listed(client, headers) == [sid]
    assert fetch(client, headers, sid) == before
    # Nothing else changes either: the activity keeps its first definition.
    response = client.get("/xapi/activities", query_string={"activityId": ACTIVITY},
                          headers=headers)
    assert response.get_json()["definition"] == {"name": {"en-US": "Introduction"}}


# ---- what the LRS sets (Data 2.4.7 - 2.4.10) ---------------------------------------------------

def test_the_lrs_sets_stored_authority_version_and_timestamp(client, lrs_credentials, app):
    key, secret = lrs_credentials("all", name="Course player")
    headers = {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}
    before = datetime.now(UTC) - timedelta(seconds=1)
    [sid] = post(client, headers, statement())
    stored = fetch(client, headers, sid)
    assert STORED_FORMAT.match(stored["stored"])
    moment = datetime.fromisoformat(stored["stored"])
    assert before <= moment <= datetime.now(UTC) + timedelta(seconds=1)
    assert stored["timestamp"] == stored["stored"]
    assert stored["version"] == "1.0.0"
    assert stored["authority"] == {"objectType": "Agent", "name": "Course player",
                                   "account": {"homePage": app.config["BASE_URL"],
                                               "name": key}}


def test_the_lrs_replaces_a_sent_authority_and_stored_but_keeps_timestamp(client, lrs_credentials):
    key, secret = lrs_credentials("all")
    headers = {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}
    [sid] = post(client, headers, statement(
        authority=agent("impostor"), stored="2001-01-01T00:00:00.000Z",
        timestamp="2024-05-07T12:00:00+02:00", version="1.0.3"))
    stored = fetch(client, headers, sid)
    assert stored["authority"]["account"]["name"] == key
    assert stored["stored"] != "2001-01-01T00:00:00.000Z"
    assert STORED_FORMAT.match(stored["stored"])
    assert stored["timestamp"] == "2024-05-07T12:00:00+02:00"
    assert stored["version"] == "1.0.3"


def test_stored_rises_in_storing_order(client, headers):
    first = store(client, headers, statement("a"))[0]
    second = store(client, headers, statement("b"))[0]
    assert fetch(client, headers, first)["stored"] < fetch(client, headers, second)["stored"]


# ---- voiding (Data 2.3.2, Communication 2.1.4) -------------------------------------------------

def test_a_voided_statement_is_only_returned_by_voided_statement_id(client, headers):
    target, other = str(uuid.uuid4()), str(uuid.uuid4())
    post(client, headers, [statement("ann", id=target), statement("bob", id=other)])
    [void_id] = post(client, headers, voiding(target))
    assert set(listed(client, headers)) == {other, void_id}
    # The voiding statement matches the voided one's filters (StatementRef rule); it does not.
    assert listed(client, headers, agent=agent("ann"), verb=VERB) == [void_id]
    fetch(client, headers, target, status=404)
    assert fetch(client, headers, target, param="voidedStatementId")["id"] == target
    fetch(client, headers, other, status=404, param="voidedStatementId")
    assert fetch(client, headers, void_id)["object"]["id"] == target


def test_a_voiding_statement_cannot_be_voided(client, headers):
    [target] = post(client, headers, statement())
    [void_id] = post(client, headers, voiding(target))
    response = client.post(STATEMENTS, json=voiding(void_id), headers=headers)
    assert response.status_code == 400
    assert fetch(client, headers, void_id)["id"] == void_id
    assert listed(client, headers) == [void_id]


def test_voiding_an_unknown_statement_is_accepted(client, headers):
    [void_id] = post(client, headers, voiding(str(uuid.uuid4())))
    assert listed(client, headers) == [void_id]


@pytest.mark.parametrize("void_first", [False, True], ids=["target first", "voiding first"])
def test_a_statement_voided_in_its_own_batch_is_voided(client, headers, void_first):
    target = str(uuid.uuid4())
    batch = [statement(id=target), voiding(target)]
    [void_id] = set(post(client, headers, batch[::-1] if void_first else batch)) - {target}
    assert listed(client, headers) == [void_id]
    fetch(client, headers, target, status=404)
    assert fetch(client, headers, target, param="voidedStatementId")["id"] == target


def test_voiding_a_voiding_statement_of_the_same_batch_is_400(client, headers):
    [target] = post(client, headers, statement())
    first = voiding(target, id=str(uuid.uuid4()))
    response = client.post(STATEMENTS, json=[first, voiding(first["id"])], headers=headers)
    assert response.status_code == 400
    assert listed(client, headers) == [target]


def test_a_statement_arriving_after_its_voiding_statement_is_voided(client, headers):
    target = str(uuid.uuid4())
    [void_id] = post(client, headers, voiding(target))
    post(client, headers, statement(id=target))
    assert listed(client, headers) == [void_id]
    fetch(client, headers, target, status=404)
    assert fetch(client, headers, target, param="voidedStatementId")["id"] == target


def test_a_voiding_statement_targeted_before_it_arrived_is_not_voided(client, headers):
    """Only a statement that is not itself a voiding statement can be voided."""
    first_target = str(uuid.uuid4())
    second = voiding(first_target, id=str(uuid.uuid4()))
    post(client, headers, voiding(second["id"]))
    post(client, headers, second)
    assert fetch(client, headers, second["id"])["id"] == second["id"]


def test_statements_targeting_a_voided_statement_are_still_returned(client, headers):
    [target] = store(client, headers, statement("ben"))
    [ref] = store(client, headers, referring(target))
    [void_id] = store(client, headers, voiding(target))
    assert listed(client, headers) == [void_id, ref]
    # Both match the voided statement's filters (StatementRef rule); it does not.
    assert listed(client, headers, agent=agent("ben")) == [void_id, ref]
    assert listed(client, headers, activity=ACTIVITY) == [void_id, ref]


# ---- filter conditions for StatementRefs (2.1.3) -----------------------------------------------

def test_a_statement_referring_to_another_matches_the_targets_filters(client, headers):
    passed = "http://adlnet.gov/expapi/verbs/passed"
    explosives = "http://pathway.test/activities/explosives"
    [target] = store(client, headers, statement("ben", verb=passed, activity=explosives))
    [ref] = store(client, headers, referring(target, actor="andrew"))
    [unrelated] = store(client, headers, statement("cat"))
    assert listed(client, headers, agent=agent("ben")) == [ref, target]
    assert listed(client, headers, verb=passed) == [ref, target]
    assert listed(client, headers, activity=explosives) == [ref, target]
    assert listed(client, headers, agent=agent("andrew")) == [ref]
    assert listed(client, headers, agent=agent("cat")) == [unrelated]


def test_statement_ref_matching_is_recursive_and_time_filters_apply_to_the_referrer(
        client, headers):
    [target] = store(client, headers, statement("ben"))
    [middle] = store(client, headers, referring(target, actor="andrew"))
    [outer] = store(client, headers, referring(middle, actor="carol"))
    assert listed(client, headers, agent=agent("ben")) == [outer, middle, target]
    since = fetch(client, headers, target)["stored"]
    assert listed(client, headers, agent=agent("ben"), since=since) == [outer, middle]


def test_a_statement_referring_to_one_in_its_own_batch_matches_its_filters(client, headers):
    target = str(uuid.uuid4())
    middle = referring(target, actor="andrew")
    middle["id"] = str(uuid.uuid4())
    outer = referring(middle["id"], actor="carol")
    ids = post(client, headers, [outer, middle, statement("ben", id=target)])
    assert set(listed(client, headers, agent=agent("ben"))) == set(ids)
    assert set(listed(client, headers, agent=agent("andrew"))) == set(ids[:2])


def test_a_statement_ref_in_context_does_not_match_the_targets_filters(client, headers):
    [target] = store(client, headers, statement("ben"))
    other = statement("dan", activity="http://pathway.test/activities/other",
                      context={"statement": {"objectType": "StatementRef", "id": target}})
    store(client, headers, other)
    assert listed(client, headers, agent=agent("ben")) == [target]


# ---- GET one statement (2.1.3) -----------------------------------------------------------------

def test_get_by_statement_id_returns_the_statement_as_stored(client, headers):
    sid = str(uuid.uuid4())
    body = statement(id=sid, result={"score": {"scaled": 0.5}}, timestamp="2024-05-07T10:00:00Z")
    post(client, headers, body)
    got = fetch(client, headers, sid)
    assert {k: got[k] for k in body} == body
    assert fetch(client, headers, sid.upper())["id"] == sid


@pytest.mark.parametrize("query", [
    {"statementId": "{sid}", "voidedStatementId": "{sid}"},
    {"statementId": "{sid}", "agent": json.dumps(agent("ann"))},
    {"statementId": "{sid}", "limit": "1"},
    {"voidedStatementId": "{sid}", "verb": VERB},
    {"statementId": "{sid}", "ascending": "true"},
], ids=["both ids", "with agent", "with limit", "voided with verb", "with ascending"])
def test_statement_id_with_other_parameters_is_400(client, headers, query):
    [sid] = post(client, headers, statement())
    params = {k: v.replace("{sid}", sid) for k, v in query.items()}
    response = client.get(STATEMENTS, query_string=params, headers=headers)
    assert response.status_code == 400


def test_statement_id_goes_with_format_and_attachments(client, headers):
    [sid] = post(client, headers, statement())
    response = client.get(STATEMENTS, query_string={"statementId": sid, "format": "ids",
                                                    "attachments": "false"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["id"] == sid


@pytest.mark.parametrize("param", ["statementId", "voidedStatementId"])
def test_an_unknown_statement_id_is_404(client, headers, param):
    fetch(client, headers, str(uuid.uuid4()), status=404, param=param)


def test_a_malformed_statement_id_is_400(client, headers):
    fetch(client, headers, "12345", status=400)


# ---- HEAD (Communication 1.1) ------------------------------------------------------------------

@pytest.mark.parametrize("single", [True, False], ids=["single", "list"])
def test_head_answers_like_get_without_a_body(client, headers, single):
    [sid] = post(client, headers, statement())
    query = {"statementId": sid} if single else {"verb": VERB}
    got = client.get(STATEMENTS, query_string=query, headers=headers)
    head = client.head(STATEMENTS, query_string=query, headers=headers)
    assert head.status_code == got.status_code == 200
    assert head.get_data() == b""
    for name in ("Content-Type", "Content-Length", "Last-Modified", "X-Experience-API-Version"):
        assert head.headers[name] == got.headers[name]
    assert "X-Experience-API-Consistent-Through" in head.headers


def test_head_of_an_unknown_statement_is_404_without_a_body(client, headers):
    response = client.head(STATEMENTS, query_string={"statementId": str(uuid.uuid4())},
                           headers=headers)
    assert response.status_code == 404
    assert response.get_data() == b""


# ---- headers: Consistent-Through and Last-Modified ---------------------------------------------

def _requests(sid):
    missing = str(uuid.uuid4())
    return {
        "GET list": ("get", {}, None, 200),
        "GET one": ("get", {"statementId": sid}, None, 200),
        "GET unknown": ("get", {"statementId": missing}, None, 404),
        "GET bad parameter": ("get", {"nonsense": "1"}, None, 400),
        "HEAD": ("head", {}, None, 200),
        "POST": ("post", {}, statement(), 200),
        "POST invalid": ("post", {}, {"actor": agent("x")}, 400),
        "POST conflict": ("post", {}, statement("other", id=sid), 409),
        "PUT": ("put", {"statementId": str(uuid.uuid4())}, statement(), 204),
        "PUT missing id": ("put", {}, statement(), 400),
        "DELETE": ("delete", {}, None, 405),
    }


@pytest.mark.parametrize("name", list(_requests("x")))
def test_every_statements_response_has_consistent_through(client, headers, name):
    [sid] = post(client, headers, statement(id=str(uuid.uuid4())))
    method, query, body, status = _requests(sid)[name]
    before = datetime.now(UTC) - timedelta(seconds=1)
    response = getattr(client, method)(STATEMENTS, query_string=query, json=body,
                                       headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    value = response.headers["X-Experience-API-Consistent-Through"]
    assert STORED_FORMAT.match(value)
    assert before <= datetime.fromisoformat(value) <= datetime.now(UTC) + timedelta(seconds=1)


@pytest.mark.parametrize("auth", ["none", "wrong secret", "no version"])
def test_refused_requests_have_consistent_through_too(client, headers, auth):
    headers = dict(headers)
    if auth == "none":
        del headers["Authorization"]
    elif auth == "wrong secret":
        headers["Authorization"] = basic_header("nobody", "nothing")
    else:
        del headers["X-Experience-API-Version"]
    response = client.get(STATEMENTS, headers=headers)
    assert response.status_code in (400, 401)
    assert STORED_FORMAT.match(response.headers["X-Experience-API-Consistent-Through"])


def test_more_links_have_consistent_through(client, headers):
    post(client, headers, [statement("a"), statement("b")])
    more = client.get(STATEMENTS, query_string={"limit": 1}, headers=headers).get_json()["more"]
    response = client.get(more, headers=headers)
    assert response.status_code == 200
    assert STORED_FORMAT.match(response.headers["X-Experience-API-Consistent-Through"])


def test_last_modified_is_the_stored_time(client, headers):
    [first] = store(client, headers, statement("a"))
    [second] = store(client, headers, statement("b"))
    for sid in (first, second):
        response = client.get(STATEMENTS, query_string={"statementId": sid}, headers=headers)
        stored = datetime.fromisoformat(response.get_json()["stored"])
        assert parsedate_to_datetime(response.headers["Last-Modified"]) == \
            stored.replace(microsecond=0)
    newest = datetime.fromisoformat(fetch(client, headers, second)["stored"])
    response = client.get(STATEMENTS, headers=headers)  # the page's newest statement
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == \
        newest.replace(microsecond=0)


# ---- content types (Communication 1.5) ---------------------------------------------------------

def test_a_text_plain_body_is_400_and_stores_nothing(client, headers):
    response = client.post(STATEMENTS, data=json.dumps(statement()),
                           content_type="text/plain", headers=headers)
    assert response.status_code == 400
    assert "application/json" in error_message(response)
    assert listed(client, headers) == []


def test_a_body_without_content_type_is_400(client, headers):
    response = client.post(STATEMENTS, data=json.dumps(statement()), headers=headers)
    assert response.status_code == 400


def test_json_with_a_charset_parameter_is_accepted(client, headers):
    response = client.post(STATEMENTS, data=json.dumps(statement()).encode(),
                           content_type="application/json; charset=utf-8", headers=headers)
    assert response.status_code == 200


def test_a_body_that_is_not_json_is_400(client, headers):
    response = client.post(STATEMENTS, data="{not json", content_type="application/json",
                           headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 400


def test_consistent_through_waits_for_a_writer_still_in_its_transaction(app, client, headers):
    """While a writer holds the LRS's write lock (it may yet store statements stamped with
    any time from the latest stored one on), the header says no later than that time."""
    import fcntl

    from sqlalchemy import text

    [first] = post(client, headers, statement())
    stored = client.get("/xapi/statements", query_string={"statementId": first},
                        headers=headers).get_json()["stored"]
    engine = app.extensions["xapi"].engine
    if engine.dialect.name == "postgresql":
        holder = engine.connect()
        holder.execute(text("SELECT pg_advisory_lock(7812001)"))
        release = lambda: (holder.execute(text("SELECT pg_advisory_unlock(7812001)")),  # noqa: E731
                           holder.close())
    else:
        handle = open(engine.url.database + ".lrs-writer", "a")  # noqa: SIM115
        fcntl.flock(handle, fcntl.LOCK_EX)
        release = handle.close
    try:
        during = client.get("/xapi/statements", headers=headers)
    finally:
        release()
    after = client.get("/xapi/statements", headers=headers)
    assert during.headers["X-Experience-API-Consistent-Through"] == stored
    assert after.headers["X-Experience-API-Consistent-Through"] > stored
