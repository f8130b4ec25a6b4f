"""The LRS's HTTP protocol (Communication 1.x and 3.3): the version header, the alternate
request syntax, CORS, parameter checking, unsupported methods and the JSON error body."""

import json
import uuid

import pytest

from xapi.auth import basic_header

VERSION = "X-Experience-API-Version"
ACTIVITY = "http://pathway.test/xapi/activities/unit-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:learner@pathway.test"}
STATE = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), "stateId": "bookmark"}


def a_statement(statement_id=None):
    body = {"actor": AGENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": ACTIVITY}}
    if statement_id:
        body["id"] = statement_id
    return body


def assert_json_error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    return error["message"]


# ---- the version header (3.3) --------------------------------------------------------------------

def test_a_request_without_the_version_header_is_400(client, lrs_headers):
    headers = lrs_headers("all")
    del headers[VERSION]
    response = client.get("/xapi/statements", headers=headers)
    assert VERSION in assert_json_error(response, 400)
    assert response.headers[VERSION] == "2.0.0"  # XAPI_DEFAULT_VERSION's default


@pytest.mark.parametrize("path", ["/xapi/activities/state", "/xapi/agents", "/xapi/activities"])
def test_every_resource_but_about_needs_the_version_header(client, lrs_headers, path):
    headers = lrs_headers("all")
    del headers[VERSION]
    assert client.get(path, headers=headers).status_code == 400


def test_about_needs_no_version_header(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.headers[VERSION] == "2.0.0"


@pytest.mark.parametrize(("sent", "answered"), [
    ("1.0", "1.0.3"),
    ("1.0.0", "1.0.3"),
    ("1.0.1", "1.0.3"),
    ("1.0.2", "1.0.3"),
    ("1.0.3", "1.0.3"),
    ("1.0.9", "1.0.3"),
    ("2.0.0", "2.0.0"),
])
def test_supported_versions_are_answered_in_the_latest_patch(client, lrs_headers, sent,
                                                             answered):
    response = client.get("/xapi/statements", headers=lrs_headers("all", version=sent))
    assert response.status_code == 200
    assert response.headers[VERSION] == answered


@pytest.mark.parametrize("sent", ["1.1.0", "0.9", "0.95", "1.0.x", "2.1.0", "3.0.0", "latest"])
def test_unsupported_versions_are_400(client, lrs_headers, sent):
    response = client.get("/xapi/statements", headers=lrs_headers("all", version=sent))
    assert sent in assert_json_error(response, 400)
    assert response.headers[VERSION] == "2.0.0"


@pytest.mark.parametrize("sent", ["1.0.3", "2.0.0"])
@pytest.mark.parametrize(("method", "path", "params", "status"), [
    ("GET", "/xapi/statements", {"statementId": str(uuid.uuid4())}, 404),
    ("GET", "/xapi/statements", {"unknown": "1"}, 400),
    ("DELETE", "/xapi/statements", {}, 405),
    ("GET", "/xapi/activities/state", STATE, 404),
], ids=["404", "400", "405", "document-404"])
def test_errors_carry_the_version_header(client, lrs_headers, sent, method, path, params,
                                         status):
    response = client.open(path, method=method, query_string=params,
                           headers=lrs_headers("all", version=sent))
    assert_json_error(response, status)
    assert response.headers[VERSION] == sent


@pytest.mark.parametrize("sent", ["1.0.3", "2.0.0"])
def test_authentication_errors_carry_the_version_header(client, lrs_headers, sent):
    unauthenticated = client.get("/xapi/statements", headers={VERSION: sent})
    assert_json_error(unauthenticated, 401)
    assert unauthenticated.headers[VERSION] == sent
    forbidden = client.get("/xapi/statements", headers=lrs_headers("state", version=sent))
    assert_json_error(forbidden, 403)
    assert forbidden.headers[VERSION] == sent


@pytest.mark.parametrize("sent", ["1.0.3", "2.0.0"])
def test_successful_writes_carry_the_version_header(client, lrs_headers, sent):
    headers = lrs_headers("all", version=sent)
    posted = client.post("/xapi/statements", json=a_statement(), headers=headers)
    assert posted.status_code == 200
    assert posted.headers[VERSION] == sent
    state = client.post("/xapi/activities/state", query_string=STATE, json={"a": 1},
                        headers=headers)
    assert state.status_code == 204
    assert state.headers[VERSION] == sent


class TestDefaultVersion1_0_3:
    """XAPI_DEFAULT_VERSION decides the header of an answer to a request without one."""

    @pytest.fixture
    def app_config(self):
        return {"XAPI_DEFAULT_VERSION": "1.0.3"}

    def test_about(self, client):
        response = client.get("/xapi/about")
        assert response.status_code == 200
        assert response.headers[VERSION] == "1.0.3"

    def test_a_refused_request_without_the_header(self, client, lrs_headers):
        headers = lrs_headers("all")
        del headers[VERSION]
        response = client.get("/xapi/statements", headers=headers)
        assert response.status_code == 400
        assert response.headers[VERSION] == "1.0.3"

    def test_an_unsupported_version(self, client, lrs_headers):
        response = client.get("/xapi/statements", headers=lrs_headers("all", version="1.1.0"))
        assert response.status_code == 400
        assert response.headers[VERSION] == "1.0.3"

    def test_a_request_with_the_header_is_answered_in_its_version(self, client, lrs_headers):
        response = client.get("/xapi/statements", headers=lrs_headers("all", version="2.0.0"))
        assert response.status_code == 200
        assert response.headers[VERSION] == "2.0.0"


# ---- alternate request syntax (1.3) --------------------------------------------------------------

@pytest.fixture
def credentials(lrs_credentials):
    return basic_header(*lrs_credentials("all"))


def test_alternate_put_stores_a_document_with_headers_and_params_in_the_form(client,
                                                                            credentials):
    form = {"Authorization": credentials, VERSION: "1.0.3", "Content-Type": "application/json",
            **STATE, "content": json.dumps({"page": 4})}
    response = client.post("/xapi/activities/state?method=PUT", data=form)
    assert response.status_code == 204
    assert response.headers[VERSION] == "1.0.3"
    stored = client.get("/xapi/activities/state", query_string=STATE,
                        headers={"Authorization": credentials, VERSION: "1.0.3"})
    assert stored.get_json() == {"page": 4}
    assert stored.headers["ETag"] == response.headers["ETag"]


def test_alternate_content_type_field_is_the_documents(client, credentials):
    form = {"Authorization": credentials, VERSION: "1.0.3", "Content-Type": "text/plain",
            "If-None-Match": "*", **STATE, "content": "café"}
    assert client.post("/xapi/activities/state?method=PUT", data=form).status_code == 204
    stored = client.get("/xapi/activities/state", query_string=STATE,
                        headers={"Authorization": credentials, VERSION: "1.0.3"})
    assert stored.data == "café".encode()
    assert stored.headers["Content-Type"] == "text/plain"
    again = client.post("/xapi/activities/state?method=PUT", data=form)
    assert again.status_code == 412  # the If-None-Match field is a header


def test_alternate_get_reads_with_params_and_headers_in_the_form(client, credentials):
    headers = {"Authorization": credentials, VERSION: "1.0.3"}
    statement_id = str(uuid.uuid4())
    stored = client.put("/xapi/statements", query_string={"statementId": statement_id},
                        json=a_statement(), headers=headers)
    assert stored.status_code == 204
    # credentials may stay in the HTTP header; the version comes as a form field
    response = client.post("/xapi/statements?method=GET",
                           data={VERSION: "1.0.3", "statementId": statement_id},
                           headers={"Authorization": credentials})
    assert response.status_code == 200
    assert response.get_json()["id"] == statement_id


def test_alternate_put_of_a_statement(client, credentials):
    statement_id = str(uuid.uuid4())
    form = {"Authorization": credentials, VERSION: "1.0.3", "Content-Type": "application/json",
            "statementId": statement_id, "content": json.dumps(a_statement())}
    assert client.post("/xapi/statements?method=PUT", data=form).status_code == 204
    fetched = client.get("/xapi/statements", query_string={"statementId": statement_id},
                         headers={"Authorization": credentials, VERSION: "1.0.3"})
    assert fetched.status_code == 200


def test_alternate_syntax_allows_no_other_query_parameter(client, credentials):
    form = {"Authorization": credentials, VERSION: "1.0.3", **STATE}
    response = client.post("/xapi/activities/state?method=GET&stateId=bookmark", data=form)
    assert "method" in assert_json_error(response, 400)


@pytest.mark.parametrize("where", ["form", "header"])
def test_alternate_syntax_is_refused_under_2_0_0(client, credentials, where):
    form = {"Authorization": credentials, "Content-Type": "application/json", **STATE,
            "content": json.dumps({"page": 4})}
    headers = {}
    if where == "form":
        form[VERSION] = "2.0.0"
    else:
        headers[VERSION] = "2.0.0"
    response = client.post("/xapi/activities/state?method=PUT", data=form, headers=headers)
    assert "2.0.0" in assert_json_error(response, 400)
    assert response.headers[VERSION] == "2.0.0"
    stored = client.get("/xapi/activities/state", query_string=STATE,
                        headers={"Authorization": credentials, VERSION: "1.0.3"})
    assert stored.status_code == 404


def test_alternate_syntax_needs_a_form_body(client, credentials):
    response = client.post("/xapi/activities/state?method=GET", json=STATE,
                           headers={"Authorization": credentials, VERSION: "1.0.3"})
    assert_json_error(response, 400)


def test_alternate_syntax_needs_a_real_method(client, credentials):
    form = {"Authorization": credentials, VERSION: "1.0.3", **STATE}
    assert_json_error(client.post("/xapi/activities/state?method=FETCH", data=form), 400)


def test_alternate_syntax_still_needs_credentials(client):
    form = {VERSION: "1.0.3", **STATE}
    response = client.post("/xapi/activities/state?method=GET", data=form)
    assert_json_error(response, 401)


# ---- CORS ----------------------------------------------------------------------------------------

ORIGIN = "https://course.example.org"


@pytest.mark.parametrize("path", ["/xapi/statements", "/xapi/activities/state", "/xapi/about"])
def test_a_preflight_is_answered_without_credentials(client, path):
    response = client.options(path, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type, x-experience-api-version"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "PUT", "POST", "DELETE", "HEAD"} <= methods
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"]
               .split(",")}
    assert {"authorization", "content-type", "x-experience-api-version", "if-match",
            "if-none-match"} <= allowed


def test_responses_echo_the_origin_and_expose_the_xapi_headers(client, lrs_headers):
    response = client.get("/xapi/statements", headers={**lrs_headers("all"), "Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    exposed = response.headers["Access-Control-Expose-Headers"]
    for name in ("ETag", "Last-Modified", VERSION, "X-Experience-API-Consistent-Through"):
        assert name in exposed


def test_errors_carry_cors_headers_too(client):
    response = client.get("/xapi/statements", headers={"Origin": ORIGIN, VERSION: "1.0.3"})
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_no_cors_headers_without_an_origin(client, lrs_headers):
    response = client.get("/xapi/statements", headers=lrs_headers("all"))
    assert "Access-Control-Allow-Origin" not in response.headers


# ---- parameters ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "params", "named"), [
    ("/xapi/statements", {"foo": "bar"}, "foo"),
    ("/xapi/statements", {"statementID": str(uuid.uuid4())}, "statementID"),
    ("/xapi/statements", {"Limit": "1"}, "limit"),
    ("/xapi/activities/state", {**STATE, "extra": "1"}, "extra"),
    ("/xapi/activities/state",
     {"activityid": ACTIVITY, "agent": STATE["agent"], "stateId": "x"}, "activityId"),
    ("/xapi/activities/profile", {"activityId": ACTIVITY, "ProfileId": "x"}, "profileId"),
    ("/xapi/agents/profile", {"Agent": STATE["agent"]}, "agent"),
    ("/xapi/activities", {"activityId": ACTIVITY, "since": "2024-01-01T00:00:00Z"}, "since"),
    ("/xapi/about", {"format": "exact"}, "format"),
], ids=["unknown", "wrong-case-statementId", "wrong-case-limit", "unknown-on-state",
        "wrong-case-activityId", "wrong-case-profileId", "wrong-case-agent",
        "since-on-activities", "about"])
def test_unknown_and_wrong_case_parameters_are_400(client, lrs_headers, path, params, named):
    response = client.get(path, query_string=params, headers=lrs_headers("all"))
    assert named in assert_json_error(response, 400)


def test_a_repeated_parameter_is_400(client, lrs_headers):
    response = client.get("/xapi/statements?limit=1&limit=2", headers=lrs_headers("all"))
    assert "limit" in assert_json_error(response, 400)


# ---- unsupported methods -------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("DELETE", "/xapi/statements"),
    ("PATCH", "/xapi/statements"),
    ("PUT", "/xapi/activities"),
    ("POST", "/xapi/agents"),
    ("DELETE", "/xapi/agents"),
    ("POST", "/xapi/about"),
    ("PUT", "/xapi/statements/more/abc"),
    ("PATCH", "/xapi/activities/state"),
])
def test_an_unsupported_method_is_405(client, lrs_headers, method, path):
    response = client.open(path, method=method, headers=lrs_headers("all"))
    assert method in assert_json_error(response, 405)
    assert response.headers[VERSION] == "1.0.3"


def test_an_unknown_lrs_path_is_a_json_404_with_the_version_header(client):
    response = client.get("/xapi/nothing/here", headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 404
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    assert "nothing/here" in response.get_json()["error"]["message"]
