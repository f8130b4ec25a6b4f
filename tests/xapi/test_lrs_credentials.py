"""LRS credentials (Communication 4.0, HTTP Basic) and Pathway's scopes: who may do what, the
authority recorded, launch credentials limited to one learner and registration, and the
`lms xapi clients` commands."""

import base64
import json
import uuid
from datetime import timedelta

import pytest

import xapi.auth
from xapi.auth import SCOPES, basic_header, revoke_client

VERSION = {"X-Experience-API-Version": "1.0.3"}
ACTIVITY = "http://pathway.test/xapi/activities/unit-1"
LEARNER = {"objectType": "Agent", "mbox": "mailto:learner@pathway.test"}
OTHER_LEARNER = {"objectType": "Agent", "mbox": "mailto:other@pathway.test"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-GB": "experienced"}}


def a_statement(actor=LEARNER, registration=None, definition=None):
    target = {"objectType": "Activity", "id": ACTIVITY}
    if definition:
        target["definition"] = definition
    body = {"id": str(uuid.uuid4()), "actor": actor, "verb": VERB, "object": target}
    if registration:
        body["context"] = {"registration": registration}
    return body


def state_params(agent=LEARNER, **extra):
    return {"activityId": ACTIVITY, "agent": json.dumps(agent), "stateId": "bookmark", **extra}


def stored_ids(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {s["id"] for s in response.get_json()["statements"]}


@pytest.fixture
def lrs(client, lrs_headers):
    """Headers of a client with every scope, for setting things up."""
    return lrs_headers("all")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Verified clients are cached in-process for 5 s (xapi.auth.CACHE_SECONDS) in production;
    # tests clear the cache so that each sees the database's word at once.
    xapi.auth._cache.clear()
    yield
    xapi.auth._cache.clear()


# ---- authentication (4.0) ----------------------------------------------------------------------

def test_no_authorization_is_401_with_a_basic_challenge(client):
    response = client.get("/xapi/statements", headers=VERSION)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.get_json()["error"]["status"] == 401


@pytest.mark.parametrize("path", ["/xapi/activities/state", "/xapi/activities/profile",
                                  "/xapi/agents/profile", "/xapi/activities", "/xapi/agents"])
def test_every_resource_but_about_needs_credentials(client, path):
    assert client.get(path, headers=VERSION).status_code == 401


def test_wrong_secret_is_401(client, lrs_credentials):
    key, secret = lrs_credentials("all")
    response = client.get("/xapi/statements",
                          headers={**VERSION, "Authorization": basic_header(key, secret + "x")})
    assert response.status_code == 401
    # no Basic challenge for credentials a script sent: a browser would put up a login dialog
    assert "WWW-Authenticate" not in response.headers


@pytest.mark.parametrize("authorization", [
    basic_header("no-such-key", "secret"),
    basic_header("", "secret"),
    "Basic not-base64!",
    "Bearer " + base64.b64encode(b"key:secret").decode(),
], ids=["unknown-key", "anonymous", "not-base64", "bearer"])
def test_other_bad_credentials_are_401(client, authorization):
    response = client.get("/xapi/statements", headers={**VERSION, "Authorization": authorization})
    assert response.status_code == 401


def test_revoked_credentials_are_401(client, app, lrs_credentials):
    key, secret = lrs_credentials("all")
    headers = {**VERSION, "Authorization": basic_header(key, secret)}
    assert client.get("/xapi/statements", headers=headers).status_code == 200
    with app.extensions["xapi"].engine.begin() as connection:
        assert revoke_client(connection, key)
    xapi.auth._cache.clear()  # in production a cached verification lasts up to 5 s
    response = client.get("/xapi/statements", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["error"]["message"]


# ---- scopes ------------------------------------------------------------------------------------

def _write_statement(client, headers):
    return client.post("/xapi/statements", json=a_statement(), headers=headers), 200


def _read_statements(client, headers):
    return client.get("/xapi/statements", headers=headers), 200


def _write_state(client, headers):
    return client.put("/xapi/activities/state", query_string=state_params(), json={"a": 1},
                      headers=headers), 204


def _read_state(client, headers):
    return client.get("/xapi/activities/state", query_string=state_params(stateId=None),
                      headers=headers), 200


def _write_profile(client, headers):
    return client.put("/xapi/activities/profile",
                      query_string={"activityId": ACTIVITY, "profileId": "p"}, json={"a": 1},
                      headers={**headers, "If-None-Match": "*"}), 204


def _read_profile(client, headers):
    return client.get("/xapi/agents/profile", query_string={"agent": json.dumps(LEARNER)},
                      headers=headers), 200


def _read_activity(client, headers):
    return client.get("/xapi/activities", query_string={"activityId": ACTIVITY},
                      headers=headers), 200


def _read_agent(client, headers):
    return client.get("/xapi/agents", query_string={"agent": json.dumps(LEARNER)},
                      headers=headers), 200


ACTIONS = {
    "write statements": _write_statement,
    "read statements": _read_statements,
    "write state": _write_state,
    "read state": _read_state,
    "write profiles": _write_profile,
    "read profiles": _read_profile,
    "read activities": _read_activity,
    "read agents": _read_agent,
}
EVERYTHING = set(ACTIONS)
ALLOWED = {
    "statements/write": {"write statements"},
    "statements/read": {"read statements", "read activities", "read agents"},
    "statements/read/mine": {"read statements"},
    "state": {"write state", "read state", "read activities", "read agents"},
    "profile": {"write profiles", "read profiles", "read activities", "read agents"},
    "define": {"read activities"},
    "all/read": {"read statements", "read state", "read profiles", "read activities",
                 "read agents"},
    "all": EVERYTHING,
}


def test_every_scope_is_covered():
    assert set(ALLOWED) == set(SCOPES)


@pytest.mark.parametrize("scope", list(ALLOWED))
def test_each_scope_allows_exactly_its_actions(client, lrs_headers, scope):
    headers = lrs_headers(scope)
    outcomes, expected = {}, {}
    for action, attempt in ACTIONS.items():
        response, success = attempt(client, headers)
        outcomes[action] = response.status_code
        expected[action] = success if action in ALLOWED[scope] else 403
        if response.status_code == 403:
            assert "scope" in response.get_json()["error"]["message"]
    assert outcomes == expected


def test_scopes_combine(client, lrs_headers):
    headers = lrs_headers("statements/write", "state")
    assert _write_statement(client, headers)[0].status_code == 200
    assert _write_state(client, headers)[0].status_code == 204
    assert _read_statements(client, headers)[0].status_code == 403


def test_read_mine_sees_only_the_statements_its_client_stored(client, lrs, lrs_headers):
    mine = lrs_headers("statements/write", "statements/read/mine")
    own, other = a_statement(), a_statement()
    assert client.post("/xapi/statements", json=own, headers=mine).status_code == 200
    assert client.post("/xapi/statements", json=other, headers=lrs).status_code == 200
    assert stored_ids(client.get("/xapi/statements", headers=mine)) == {own["id"]}
    assert stored_ids(client.get("/xapi/statements", headers=lrs)) == {own["id"], other["id"]}
    assert client.get("/xapi/statements", query_string={"statementId": other["id"]},
                      headers=mine).status_code == 404
    assert client.get("/xapi/statements", query_string={"statementId": own["id"]},
                      headers=mine).status_code == 200


@pytest.mark.parametrize(("scopes", "defined"), [
    (("statements/write",), False),
    (("statements/write", "define"), True),
    (("all",), True),
])
def test_only_define_and_all_change_activity_definitions(client, lrs, lrs_headers, scopes,
                                                         defined):
    body = a_statement(definition={"name": {"en-GB": "Unit one"}})
    assert client.post("/xapi/statements", json=body, headers=lrs_headers(*scopes)
                       ).status_code == 200
    activity = client.get("/xapi/activities", query_string={"activityId": ACTIVITY},
                          headers=lrs).get_json()
    assert ("definition" in activity) is defined


def test_the_authority_recorded_is_the_clients(client, app, lrs_credentials):
    key, secret = lrs_credentials("all", name="Quiz tool")
    headers = {**VERSION, "Authorization": basic_header(key, secret)}
    body = a_statement()
    body["authority"] = {"objectType": "Agent", "mbox": "mailto:someone-else@pathway.test"}
    assert client.post("/xapi/statements", json=body, headers=headers).status_code == 200
    stored = client.get("/xapi/statements", query_string={"statementId": body["id"]},
                        headers=headers).get_json()
    assert stored["authority"] == {"objectType": "Agent", "name": "Quiz tool",
                                   "account": {"homePage": app.config["BASE_URL"], "name": key}}


# ---- launch credentials ------------------------------------------------------------------------

@pytest.fixture
def registration():
    return str(uuid.uuid4())


@pytest.fixture
def launch(lrs_headers, registration):
    """Headers of launch credentials for LEARNER in `registration`, valid for an hour."""
    return lrs_headers("statements/write", "statements/read", "state", actor=LEARNER,
                       registration=registration, lifetime=timedelta(hours=1))


def test_launch_credentials_write_their_learners_statements_in_their_registration(
        client, launch, registration):
    response = client.post("/xapi/statements", json=a_statement(registration=registration),
                           headers=launch)
    assert response.status_code == 200


def test_launch_credentials_accept_a_differently_spelt_actor_and_registration(
        client, launch, registration):
    actor = {"name": "Learner", "mbox": "mailto:learner@PATHWAY.TEST"}
    body = a_statement(actor=actor, registration=registration.upper())
    assert client.post("/xapi/statements", json=body, headers=launch).status_code == 200


@pytest.mark.parametrize("case", ["other-actor", "other-registration", "no-registration",
                                  "one-bad-in-a-batch"])
def test_launch_credentials_may_not_write_other_statements(client, lrs, launch, registration,
                                                           case):
    good = a_statement(registration=registration)
    bad = {"other-actor": a_statement(actor=OTHER_LEARNER, registration=registration),
           "other-registration": a_statement(registration=str(uuid.uuid4())),
           "no-registration": a_statement(),
           "one-bad-in-a-batch": a_statement(actor=OTHER_LEARNER, registration=registration),
           }[case]
    batch = [good, bad] if case == "one-bad-in-a-batch" else bad
    response = client.post("/xapi/statements", json=batch, headers=launch)
    assert response.status_code == 403
    assert stored_ids(client.get("/xapi/statements", headers=lrs)) == set()


def test_launch_credentials_read_only_their_learner_in_their_registration(
        client, lrs, launch, registration):
    own = a_statement(registration=registration)
    by_the_tutor = a_statement(registration=registration)  # stored by other credentials
    other_registration = a_statement(registration=str(uuid.uuid4()))
    other_learner = a_statement(actor=OTHER_LEARNER, registration=registration)
    assert client.post("/xapi/statements", json=own, headers=launch).status_code == 200
    assert client.post("/xapi/statements", json=[by_the_tutor, other_registration,
                                                 other_learner], headers=lrs).status_code == 200
    assert stored_ids(client.get("/xapi/statements", headers=launch)) == {
        own["id"], by_the_tutor["id"]}
    filtered = client.get("/xapi/statements", headers=launch,
                          query_string={"agent": json.dumps(OTHER_LEARNER)})
    assert stored_ids(filtered) == set()
    assert client.get("/xapi/statements", query_string={"statementId": other_learner["id"]},
                      headers=launch).status_code == 404


def test_launch_credentials_use_only_their_learners_state(client, launch, registration):
    own = state_params(registration=registration)
    assert client.put("/xapi/activities/state", query_string=own, json={"page": 3},
                      headers=launch).status_code == 204
    assert client.get("/xapi/activities/state", query_string=own,
                      headers=launch).get_json() == {"page": 3}
    other = state_params(agent=OTHER_LEARNER, registration=registration)
    for method in ("GET", "PUT", "POST", "DELETE"):
        response = client.open("/xapi/activities/state", method=method, query_string=other,
                               json={"page": 1}, headers=launch)
        assert response.status_code == 403, method


def test_launch_credentials_read_only_their_learners_agent_profile(client, lrs, launch):
    """cmi5 11.0: an AU reads its learner's `cmi5LearnerPreferences` agent profile on start-up;
    launch credentials may read their own learner's agent profiles, nothing more."""
    own = {"agent": json.dumps(LEARNER), "profileId": "cmi5LearnerPreferences"}
    assert client.get("/xapi/agents/profile", query_string=own, headers=launch).status_code == 404
    preferences = {"languagePreference": "en-GB", "audioPreference": "on"}
    assert client.put("/xapi/agents/profile", query_string=own, json=preferences,
                      headers={**lrs, "If-None-Match": "*"}).status_code == 204
    response = client.get("/xapi/agents/profile", query_string=own, headers=launch)
    assert response.status_code == 200 and response.get_json() == preferences
    listed = client.get("/xapi/agents/profile", query_string={"agent": json.dumps(LEARNER)},
                        headers=launch)
    assert listed.get_json() == ["cmi5LearnerPreferences"]
    other = {"agent": json.dumps(OTHER_LEARNER), "profileId": "cmi5LearnerPreferences"}
    assert client.get("/xapi/agents/profile", query_string=other,
                      headers=launch).status_code == 403
    for method in ("PUT", "POST", "DELETE"):  # reading only
        response = client.open("/xapi/agents/profile", method=method, query_string=own,
                               json={"audioPreference": "off"},
                               headers={**launch, "If-Match": "*"})
        assert response.status_code == 403, method
    activity_profile = {"activityId": ACTIVITY, "profileId": "p"}
    assert client.get("/xapi/activities/profile", query_string=activity_profile,
                      headers=launch).status_code == 403


def test_launch_credentials_with_an_upper_case_registration(client, lrs_headers, registration):
    headers = lrs_headers("statements/write", "statements/read", actor=LEARNER,
                          registration=registration.upper(), lifetime=timedelta(hours=1))
    body = a_statement(registration=registration)
    assert client.post("/xapi/statements", json=body, headers=headers).status_code == 200
    assert stored_ids(client.get("/xapi/statements", headers=headers)) == {body["id"]}


def test_expired_launch_credentials_are_401(client, lrs_headers, registration):
    headers = lrs_headers("statements/write", actor=LEARNER, registration=registration,
                          lifetime=timedelta(seconds=-1))
    response = client.post("/xapi/statements", json=a_statement(registration=registration),
                           headers=headers)
    assert response.status_code == 401
    assert "expired" in response.get_json()["error"]["message"]


# ---- `lms xapi clients` ------------------------------------------------------------------------

def cli(runner, *args, ok=True):
    result = runner.invoke(args=["xapi", "clients", *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_cli_creates_lists_and_revokes_clients(client, runner):
    created = json.loads(cli(runner, "create", "--name", "Authoring tool", "--scope", "all",
                             "--json").output)
    assert set(created) == {"key", "secret"}
    headers = {**VERSION, "Authorization": basic_header(created["key"], created["secret"])}
    assert client.get("/xapi/statements", headers=headers).status_code == 200

    listed = cli(runner, "list").output
    assert created["key"] in listed
    assert "Authoring tool" in listed
    assert "active" in listed
    assert created["secret"] not in listed

    revoked = cli(runner, "revoke", created["key"])
    assert created["key"] in revoked.output
    assert "revoked" in cli(runner, "list").output
    xapi.auth._cache.clear()  # in production a cached verification lasts up to 5 s
    assert client.get("/xapi/statements", headers=headers).status_code == 401
    assert cli(runner, "revoke", created["key"], ok=False).exit_code != 0


def test_cli_creates_clients_with_several_scopes(client, runner):
    output = cli(runner, "create", "--name", "Reader", "--scope", "statements/read",
                 "--scope", "state", "--json").output
    created = json.loads(output)
    headers = {**VERSION, "Authorization": basic_header(created["key"], created["secret"])}
    assert client.get("/xapi/statements", headers=headers).status_code == 200
    assert client.post("/xapi/statements", json=a_statement(), headers=headers).status_code == 403
    [row] = [line for line in cli(runner, "list").output.splitlines() if created["key"] in line]
    assert set(row.split("\t")[2].split(",")) == {"statements/read", "state"}


def test_cli_refuses_an_unknown_scope(runner):
    result = cli(runner, "create", "--name", "N", "--scope", "everything", ok=False)
    assert result.exit_code != 0


def test_launch_credentials_helper_limits_content_to_its_learner(app, client):
    import base64
    import uuid as uuid_module

    from xapi.auth import create_launch_credentials

    learner = {"objectType": "Agent", "account": {"homePage": "http://pathway.test",
                                                  "name": "learner-1"}}
    registration = str(uuid_module.uuid4())
    with app.extensions["xapi"].engine.begin() as connection:
        key, secret = create_launch_credentials(connection, learner, registration,
                                                "http://pathway.test", minutes=5)
    headers = {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
               "X-Experience-API-Version": "1.0.3"}
    mine = {"actor": learner, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "http://pathway.test/activities/film"},
            "context": {"registration": registration}}
    other = {**mine, "actor": {"mbox": "mailto:someone.else@pathway.test"}}
    assert client.post("/xapi/statements", json=mine, headers=headers).status_code == 200
    assert client.post("/xapi/statements", json=other, headers=headers).status_code == 403


def _launch_headers(app, learner, registration):
    import base64

    from xapi.auth import create_launch_credentials

    with app.extensions["xapi"].engine.begin() as connection:
        key, secret = create_launch_credentials(connection, learner, registration,
                                                "http://pathway.test", minutes=5)
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "X-Experience-API-Version": "1.0.3"}


def test_launch_credentials_void_only_what_they_stored(app, client, lrs_headers):
    import uuid as uuid_module

    learner = {"account": {"homePage": "http://pathway.test", "name": "learner-2"}}
    registration = str(uuid_module.uuid4())
    launch = _launch_headers(app, learner, registration)
    tutor = lrs_headers("all")
    judgement = {"actor": learner, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
                 "object": {"id": "http://pathway.test/activities/assessment"},
                 "context": {"registration": registration}}
    [judged] = client.post("/xapi/statements", json=judgement, headers=tutor).get_json()
    [own] = client.post("/xapi/statements", json={**judgement, "verb": {
        "id": "http://adlnet.gov/expapi/verbs/experienced"}}, headers=launch).get_json()

    def void(target):
        return {"actor": learner, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": target},
                "context": {"registration": registration}}

    refused = client.post("/xapi/statements", json=void(judged), headers=launch)
    assert refused.status_code == 403
    assert "only void statements they stored" in refused.get_json()["error"]["message"]
    assert client.get("/xapi/statements", query_string={"statementId": judged},
                      headers=tutor).status_code == 200
    assert client.post("/xapi/statements", json=void(own), headers=launch).status_code == 200


def test_launch_credentials_list_only_statements_by_their_learner(app, client, lrs_headers):
    import uuid as uuid_module

    learner = {"account": {"homePage": "http://pathway.test", "name": "learner-3"}}
    registration = str(uuid_module.uuid4())
    launch = _launch_headers(app, learner, registration)
    about_the_learner = {"actor": {"mbox": "mailto:tutor@pathway.test"},
                         "verb": {"id": "http://adlnet.gov/expapi/verbs/mentored"},
                         "object": {"objectType": "Agent", **learner},
                         "context": {"registration": registration}}
    by_the_learner = {"actor": learner, "verb": {"id": "http://adlnet.gov/expapi/verbs/asked"},
                      "object": {"id": "http://pathway.test/activities/tutorial"},
                      "context": {"registration": registration}}
    client.post("/xapi/statements", json=about_the_learner, headers=lrs_headers("all"))
    [mine] = client.post("/xapi/statements", json=by_the_learner, headers=launch).get_json()
    listed = client.get("/xapi/statements", headers=launch).get_json()["statements"]
    assert [s["id"] for s in listed] == [mine]


def test_launch_credentials_keep_to_their_registration_for_state(app, client):
    import json as json_module
    import uuid as uuid_module

    learner = {"account": {"homePage": "http://pathway.test", "name": "learner-4"}}
    registration = str(uuid_module.uuid4())
    launch = _launch_headers(app, learner, registration)
    params = {"activityId": "http://pathway.test/activities/film",
              "agent": json_module.dumps(learner), "stateId": "bookmark"}
    assert client.put("/xapi/activities/state", query_string={**params,
                      "registration": registration}, data=b"{}", headers={
                          **launch, "Content-Type": "application/json"}).status_code == 204
    for other in ({}, {"registration": str(uuid_module.uuid4())}):
        response = client.get("/xapi/activities/state", query_string={**params, **other},
                              headers=launch)
        assert response.status_code == 403
