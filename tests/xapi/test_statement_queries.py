"""GET Statements with filters (xAPI 1.0.3 Communication 2.1.3): each filter and their
combinations, parameter errors, `more` paging, the formats, and who may read what
(scopes, credentials)."""

import base64
import json
import time
import uuid

import pytest

import xapi.auth
from xapi.auth import basic_header, revoke_client

STATEMENTS = "/xapi/statements"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
COURSE = "http://pathway.test/activities/course"
LESSON = "http://pathway.test/activities/lesson"


def agent(name: str) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{name}@pathway.test"}


def statement(actor="ann", verb=EXPERIENCED, activity=LESSON, **extra) -> dict:
    who = actor if isinstance(actor, dict) else agent(actor)
    return {"actor": who, "verb": {"id": verb},
            "object": {"objectType": "Activity", "id": activity}, **extra}


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


def store(client, headers, body) -> list[str]:
    """POST; then wait so the next store gets a later `stored` time."""
    response = client.post(STATEMENTS, json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    time.sleep(0.003)
    return response.get_json()


def query(client, headers, status=200, **params):
    for name, value in params.items():
        if isinstance(value, dict | bool):
            params[name] = json.dumps(value)
    response = client.get(STATEMENTS, query_string=params, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def ids(client, headers, **params) -> list[str]:
    return [s["id"] for s in query(client, headers, **params).get_json()["statements"]]


# ---- filters -----------------------------------------------------------------------------------

def test_without_filters_every_statement_newest_first(client, headers):
    first = store(client, headers, statement("a"))
    second = store(client, headers, [statement("b"), statement("c")])
    body = query(client, headers).get_json()
    assert [s["id"] for s in body["statements"]] == second[::-1] + first
    assert body["more"] == ""


def test_an_empty_result_is_200_with_an_empty_list(client, headers):
    assert query(client, headers, verb=PASSED).get_json() == {"statements": [], "more": ""}


def test_agent_matches_actor_and_object(client, headers):
    [as_actor] = store(client, headers, statement("ann"))
    [as_object] = store(client, headers, {"actor": agent("bob"), "verb": {"id": EXPERIENCED},
                                          "object": agent("ann")})
    store(client, headers, statement("bob"))
    assert ids(client, headers, agent=agent("ann")) == [as_object, as_actor]


def test_agent_matches_by_inverse_functional_identifier_only(client, headers):
    [sid] = store(client, headers, statement({"name": "Ann", "mbox": "mailto:ann@Pathway.Test"}))
    store(client, headers, statement({"account": {"homePage": "http://pathway.test",
                                                  "name": "ann"}}))
    assert ids(client, headers, agent={"mbox": "mailto:ann@pathway.test", "name": "Other"}) \
        == [sid]
    [by_account] = store(client, headers, statement(
        {"account": {"homePage": "http://lms.test", "name": "42"}}))
    assert ids(client, headers, agent={"objectType": "Agent", "account": {
        "homePage": "http://lms.test", "name": "42"}}) == [by_account]


def test_agent_matches_groups_it_is_a_member_of(client, headers):
    anonymous = {"objectType": "Group", "member": [agent("ann"), agent("bob")]}
    identified = {"objectType": "Group", "mbox": "mailto:team@pathway.test",
                  "member": [agent("ann")]}
    [in_anonymous] = store(client, headers, statement(anonymous))
    [in_identified] = store(client, headers, statement(identified))
    [group_as_object] = store(client, headers, {"actor": agent("cat"), "verb": {"id": PASSED},
                                                "object": anonymous})
    assert ids(client, headers, agent=agent("ann")) == [group_as_object, in_identified,
                                                        in_anonymous]
    assert ids(client, headers, agent={"objectType": "Group",
                                       "mbox": "mailto:team@pathway.test"}) == [in_identified]


def test_related_agents_widens_the_agent_filter(client, headers):
    [as_actor] = store(client, headers, statement("ann"))
    [instructor] = store(client, headers, statement("bob", context={"instructor": agent("ann")}))
    [team] = store(client, headers, statement("bob", context={"team": {
        "objectType": "Group", "member": [agent("ann")]}}))
    [in_sub] = store(client, headers, {"actor": agent("bob"), "verb": {"id": EXPERIENCED},
                                       "object": {"objectType": "SubStatement",
                                                  "actor": agent("ann"),
                                                  "verb": {"id": PASSED},
                                                  "object": {"id": COURSE}}})
    store(client, headers, statement("cat"))
    assert ids(client, headers, agent=agent("ann")) == [as_actor]
    assert ids(client, headers, agent=agent("ann"), related_agents=False) == [as_actor]
    assert ids(client, headers, agent=agent("ann"), related_agents=True) == [
        in_sub, team, instructor, as_actor]


def test_related_agents_matches_the_authority(client, lrs_credentials):
    key, secret = lrs_credentials("all")
    headers = {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}
    [sid] = store(client, headers, statement("ann"))
    authority = {"account": {"homePage": "http://pathway.test", "name": key}}
    assert ids(client, headers, agent=authority) == []
    assert ids(client, headers, agent=authority, related_agents=True) == [sid]


def test_verb_filter(client, headers):
    [passed] = store(client, headers, statement(verb=PASSED))
    store(client, headers, statement(verb=EXPERIENCED))
    assert ids(client, headers, verb=PASSED) == [passed]
    assert ids(client, headers, verb="http://adlnet.gov/expapi/verbs/PASSED") == []


def test_activity_matches_the_object_only(client, headers):
    [direct] = store(client, headers, statement(activity=COURSE))
    store(client, headers, statement(activity=LESSON, context={
        "contextActivities": {"parent": [{"id": COURSE}]}}))
    assert ids(client, headers, activity=COURSE) == [direct]


def test_related_activities_widens_the_activity_filter(client, headers):
    [direct] = store(client, headers, statement(activity=COURSE))
    [parent] = store(client, headers, statement(activity=LESSON, context={
        "contextActivities": {"parent": {"id": COURSE}}}))
    [grouping] = store(client, headers, statement(activity=LESSON, context={
        "contextActivities": {"grouping": [{"id": COURSE}]}}))
    [in_sub] = store(client, headers, {"actor": agent("bob"), "verb": {"id": EXPERIENCED},
                                       "object": {"objectType": "SubStatement",
                                                  "actor": agent("ann"), "verb": {"id": PASSED},
                                                  "object": {"id": COURSE}}})
    store(client, headers, statement(activity=LESSON))
    assert ids(client, headers, activity=COURSE, related_activities=True) == [
        in_sub, grouping, parent, direct]


def test_registration_filter(client, headers):
    registration = str(uuid.uuid4())
    [sid] = store(client, headers, statement(context={"registration": registration}))
    store(client, headers, statement(context={"registration": str(uuid.uuid4())}))
    store(client, headers, statement())
    assert ids(client, headers, registration=registration) == [sid]
    assert ids(client, headers, registration=registration.upper()) == [sid]


def test_since_is_exclusive_and_until_inclusive(client, headers):
    [first] = store(client, headers, statement("a"))
    [second] = store(client, headers, statement("b"))
    [third] = store(client, headers, statement("c"))
    stored = {s["id"]: s["stored"] for s in query(client, headers).get_json()["statements"]}
    assert len(set(stored.values())) == 3
    assert ids(client, headers, since=stored[first]) == [third, second]
    assert ids(client, headers, until=stored[second]) == [second, first]
    assert ids(client, headers, since=stored[first], until=stored[second]) == [second]
    assert ids(client, headers, since=stored[third]) == []
    assert ids(client, headers, since="2000-01-01T00:00:00Z") == [third, second, first]
    # Another time zone and another precision name the same instant.
    assert ids(client, headers, since=stored[second].replace("Z", "+00:00")) == [third]


def test_limit(client, headers):
    every = store(client, headers, [statement(str(n)) for n in range(4)])[::-1]
    body = query(client, headers, limit=2).get_json()
    assert [s["id"] for s in body["statements"]] == every[:2]
    assert body["more"]
    assert ids(client, headers, limit=10) == every
    assert ids(client, headers, limit=0) == every


@pytest.mark.parametrize("app_config", [{"XAPI_STATEMENTS_PAGE_MAX": 2}])
def test_limit_zero_and_large_limits_are_capped_by_the_server(client, headers):
    store(client, headers, [statement(str(n)) for n in range(3)])
    for limit in (0, 100):
        body = query(client, headers, limit=limit).get_json()
        assert len(body["statements"]) == 2
        assert body["more"]


def test_ascending(client, headers):
    first = store(client, headers, statement("a"))
    later = store(client, headers, [statement("b"), statement("c")])
    assert ids(client, headers, ascending=True) == first + later
    assert ids(client, headers, ascending=False) == later[::-1] + first


def test_filters_combine(client, headers):
    registration = str(uuid.uuid4())
    context = {"registration": registration}
    [match] = store(client, headers, statement("ann", PASSED, COURSE, context=context))
    store(client, headers, statement("bob", PASSED, COURSE, context=context))
    store(client, headers, statement("ann", EXPERIENCED, COURSE, context=context))
    store(client, headers, statement("ann", PASSED, LESSON, context=context))
    store(client, headers, statement("ann", PASSED, COURSE))
    assert ids(client, headers, agent=agent("ann"), verb=PASSED, activity=COURSE,
               registration=registration) == [match]
    assert len(ids(client, headers, agent=agent("ann"), verb=PASSED)) == 3
    assert len(ids(client, headers, verb=PASSED, activity=COURSE)) == 3


# ---- parameter errors --------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"nonsense": "1"},
    {"Verb": PASSED},
    {"LIMIT": "1"},
    {"relatedAgents": "true"},
    {"agent": "not json"},
    {"agent": json.dumps({"name": "no identifier"})},
    {"agent": json.dumps({"mbox": "ann@pathway.test"})},
    {"verb": "not an iri"},
    {"activity": "not an iri"},
    {"registration": "not-a-uuid"},
    {"limit": "-1"},
    {"limit": "ten"},
    {"format": "xyz"},
    {"since": "yesterday"},
    {"until": "2024-13-45T99:00:00Z"},
    {"ascending": "yes"},
    {"related_activities": "1"},
    {"attachments": "True"},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_bad_parameters_are_400(client, headers, params):
    store(client, headers, statement())
    response = query(client, headers, status=400, **params)
    assert response.get_json()["error"]["status"] == 400


def test_a_parameter_given_twice_is_400(client, headers):
    response = client.get(f"{STATEMENTS}?verb={PASSED}&verb={EXPERIENCED}", headers=headers)
    assert response.status_code == 400


def _token(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("token", [
    "not-a-token", _token([1]), _token({"unknown": 1}), _token({"since": "garbage"}),
    _token({"limit": "abc"}), _token({"limit": -3}), _token({"after": "x"}),
    _token({"agent": 5}), _token({"format": "xyz"})])
def test_a_forged_more_token_is_400(client, headers, token):
    store(client, headers, statement())
    response = client.get(f"{STATEMENTS}/more/{token}", headers=headers)
    assert response.status_code == 400


# ---- more (Data 2.5) ---------------------------------------------------------------------------

def walk(client, headers, **params) -> tuple[list[str], int]:
    """Every id of a query, following `more` links; and the number of pages."""
    body = query(client, headers, **params).get_json()
    found, pages = [s["id"] for s in body["statements"]], 1
    while body["more"]:
        assert body["more"].startswith("/xapi/statements/more/")
        response = client.get(body["more"], headers=headers)
        assert response.status_code == 200
        body = response.get_json()
        found += [s["id"] for s in body["statements"]]
        pages += 1
    return found, pages


@pytest.mark.parametrize("ascending", [False, True])
def test_more_links_walk_every_statement_once_in_stored_order(client, headers, ascending):
    stored = store(client, headers, [statement(str(n)) for n in range(3)])
    stored += store(client, headers, [statement(str(n)) for n in range(3, 5)])
    found, pages = walk(client, headers, limit=2, ascending=ascending)
    assert found == (stored if ascending else stored[::-1])
    assert pages == 3


def test_more_links_keep_the_filters(client, headers):
    wanted = [store(client, headers, statement("ann", PASSED))[0] for _ in range(3)]
    store(client, headers, [statement("bob", PASSED), statement("ann", EXPERIENCED)])
    found, pages = walk(client, headers, limit=1, agent=agent("ann"), verb=PASSED)
    assert found == wanted[::-1]
    assert pages == 3


def test_more_links_keep_the_format(client, headers):
    store(client, headers, [_rich_statement(), _rich_statement()])
    first = query(client, headers, limit=1, format="ids").get_json()
    second = client.get(first["more"], headers=headers).get_json()
    [got] = second["statements"]
    assert got["verb"] == {"id": PASSED}
    assert got["actor"] == {"objectType": "Agent", "mbox": "mailto:ann@pathway.test"}


def test_descending_pages_do_not_show_statements_stored_meanwhile(client, headers):
    before = store(client, headers, [statement(str(n)) for n in range(5)])
    first = query(client, headers, limit=2).get_json()
    store(client, headers, [statement("new1"), statement("new2")])
    rest = []
    more = first["more"]
    while more:
        body = client.get(more, headers=headers).get_json()
        rest += [s["id"] for s in body["statements"]]
        more = body["more"]
    assert [s["id"] for s in first["statements"]] + rest == before[::-1]


def test_ascending_pages_show_statements_stored_meanwhile_at_the_end(client, headers):
    before = store(client, headers, [statement(str(n)) for n in range(5)])
    first = query(client, headers, limit=2, ascending=True).get_json()
    added = store(client, headers, [statement("new1"), statement("new2")])
    rest = []
    more = first["more"]
    while more:
        body = client.get(more, headers=headers).get_json()
        rest += [s["id"] for s in body["statements"]]
        more = body["more"]
    assert [s["id"] for s in first["statements"]] + rest == before + added


def test_a_voided_statement_does_not_appear_on_later_pages(client, headers):
    stored = store(client, headers, [statement(str(n)) for n in range(4)])
    first = query(client, headers, limit=2).get_json()
    store(client, headers, {"actor": agent("admin"),
                            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                            "object": {"objectType": "StatementRef", "id": stored[0]}})
    second = client.get(first["more"], headers=headers).get_json()
    assert [s["id"] for s in second["statements"]] == [stored[1]]
    assert second["more"] == ""


# ---- formats -----------------------------------------------------------------------------------

DEFINED = {"objectType": "Activity", "id": COURSE, "definition": {
    "name": {"en-US": "Course", "fr-FR": "Cours"},
    "description": {"en-US": "The whole course"},
    "type": "http://adlnet.gov/expapi/activities/course"}}


def _rich_statement(**extra):
    return {"actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@pathway.test"},
            "verb": {"id": PASSED, "display": {"en-US": "passed", "fr-FR": "a réussi"}},
            "object": DEFINED, **extra}


def test_exact_format_returns_the_statement_as_sent(client, headers):
    body = _rich_statement(context={"instructor": {"name": "Bob", "mbox":
                                                   "mailto:bob@pathway.test"}})
    [sid] = store(client, headers, body)
    for params in ({}, {"format": "exact"}):
        [got] = query(client, headers, **params).get_json()["statements"]
        assert got["id"] == sid
        assert {k: got[k] for k in body} == body


def test_ids_format_keeps_only_identifiers(client, headers):
    anonymous = {"objectType": "Group", "name": "Pair",
                 "member": [{"name": "Ann", "mbox": "mailto:ann@pathway.test"},
                            {"name": "Bob", "account": {"homePage": "http://lms.test",
                                                        "name": "bob"}}]}
    [sid] = store(client, headers, _rich_statement(
        actor=anonymous, context={"instructor": {"name": "Cat",
                                                 "mbox": "mailto:cat@pathway.test"}}))
    for params in ({"format": "ids"}, {"statementId": sid, "format": "ids"}):
        response = query(client, headers, **params)
        got = response.get_json()
        got = got["statements"][0] if "statements" in got else got
        assert got["actor"] == {"objectType": "Group", "member": [
            {"objectType": "Agent", "mbox": "mailto:ann@pathway.test"},
            {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": "bob"}}]}
        assert got["verb"] == {"id": PASSED}
        assert got["object"] == {"id": COURSE}
        assert got["context"]["instructor"] == {"objectType": "Agent",
                                                "mbox": "mailto:cat@pathway.test"}
        assert got["id"] == sid


@pytest.mark.parametrize(("accept", "name", "display"), [
    ("fr-FR", {"fr-FR": "Cours"}, {"fr-FR": "a réussi"}),
    ("fr", {"fr-FR": "Cours"}, {"fr-FR": "a réussi"}),
    ("de, en-US;q=0.5, fr-FR;q=0.8", {"fr-FR": "Cours"}, {"fr-FR": "a réussi"}),
    ("en-US", {"en-US": "Course"}, {"en-US": "passed"}),
])
def test_canonical_format_picks_one_language_per_map(client, headers, accept, name, display):
    [sid] = store(client, headers, _rich_statement())
    for params in ({"format": "canonical"}, {"statementId": sid, "format": "canonical"}):
        response = client.get(STATEMENTS, query_string=params,
                              headers={**headers, "Accept-Language": accept})
        got = response.get_json()
        got = got["statements"][0] if "statements" in got else got
        assert got["object"]["definition"]["name"] == name
        assert got["verb"]["display"] == display
        assert got["actor"] == _rich_statement()["actor"]  # agents as in exact


def test_canonical_format_uses_the_merged_definition(client, headers):
    [first] = store(client, headers, _rich_statement())
    later = _rich_statement()
    later["object"] = {"id": COURSE, "definition": {
        "name": {"de-DE": "Kurs"}, "description": {"de-DE": "Der ganze Kurs"},
        "moreInfo": "http://pathway.test/course-info"}}
    store(client, headers, later)
    response = client.get(STATEMENTS, query_string={"statementId": first,
                                                    "format": "canonical"},
                          headers={**headers, "Accept-Language": "de"})
    definition = response.get_json()["object"]["definition"]
    assert definition == {"name": {"de-DE": "Kurs"}, "description": {"de-DE": "Der ganze Kurs"},
                          "type": "http://adlnet.gov/expapi/activities/course",
                          "moreInfo": "http://pathway.test/course-info"}
    # The exact format still returns the definition the statement was sent with.
    exact = client.get(STATEMENTS, query_string={"statementId": first}, headers=headers)
    assert exact.get_json()["object"] == DEFINED


# ---- who may read ------------------------------------------------------------------------------

def test_read_mine_scope_sees_only_its_own_statements(client, headers, lrs_headers):
    mine = lrs_headers("statements/read/mine", "statements/write")
    [theirs] = store(client, headers, statement("a"))
    own = store(client, mine, [statement("b"), statement("c")])
    assert ids(client, mine) == own[::-1]
    assert ids(client, mine, agent=agent("a")) == []
    found, pages = walk(client, mine, limit=1)
    assert found == own[::-1] and pages == 2
    response = client.get(STATEMENTS, query_string={"statementId": theirs}, headers=mine)
    assert response.status_code == 404
    response = client.get(STATEMENTS, query_string={"statementId": own[0]}, headers=mine)
    assert response.status_code == 200
    assert set(ids(client, headers)) == {theirs, *own}


def test_statements_read_scope_sees_everything(client, headers, lrs_headers):
    [sid] = store(client, headers, statement())
    assert ids(client, lrs_headers("statements/read")) == [sid]
    assert ids(client, lrs_headers("all/read")) == [sid]


def test_a_client_without_a_read_scope_is_403(client, lrs_headers):
    writer = lrs_headers("statements/write")
    store(client, writer, statement())
    response = client.get(STATEMENTS, headers=writer)
    assert response.status_code == 403
    response = client.get(STATEMENTS, query_string={"statementId": str(uuid.uuid4())},
                          headers=writer)
    assert response.status_code == 403


def test_a_client_without_the_write_scope_cannot_store(client, lrs_headers):
    reader = lrs_headers("statements/read")
    response = client.post(STATEMENTS, json=statement(), headers=reader)
    assert response.status_code == 403
    assert ids(client, reader) == []


def test_no_credentials_is_401(client):
    response = client.get(STATEMENTS, headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("authorization", [
    "wrong secret", "unknown key", "Bearer abc", "Basic !!!", "empty key"])
def test_wrong_credentials_are_401(client, lrs_credentials, authorization):
    key, secret = lrs_credentials("all")
    value = {"wrong secret": basic_header(key, secret + "x"),
             "unknown key": basic_header("0" * 24, secret),
             "Bearer abc": "Bearer abc",
             "Basic !!!": "Basic !!!",
             "empty key": basic_header("", secret)}[authorization]
    response = client.get(STATEMENTS, headers={"Authorization": value,
                                               "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401


def test_a_revoked_client_is_401(client, app, lrs_credentials):
    key, secret = lrs_credentials("all")
    headers = {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}
    assert client.get(STATEMENTS, headers=headers).status_code == 200  # now cached
    with app.extensions["xapi"].engine.begin() as connection:
        assert revoke_client(connection, key)
    # Verified clients are cached in-process for up to xapi.auth.CACHE_SECONDS (5 s), so a
    # revocation made elsewhere takes effect only when the entry expires. revoke_client drops
    # the entry of this process; clearing the whole cache as well makes this test depend on
    # the revocation stored in the database, not on timing or on which process revoked.
    xapi.auth._cache.clear()
    response = client.get(STATEMENTS, headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["error"]["message"]
    assert client.post(STATEMENTS, json=statement(), headers=headers).status_code == 401
