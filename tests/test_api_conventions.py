"""Conventions every client of the JSON API relies on: errors as `application/problem+json`
(RFC 9457) under /api/ and as HTML pages elsewhere, the OpenAPI document, cursor pagination,
and a declared audience on every route."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from lms.access import AUDIENCES, allow

PROBLEM_JSON = "application/problem+json"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}





@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def admin_headers(admin, auth):
    return auth(admin)


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with `status`; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = json.loads(response.get_data(as_text=True))
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["instance"] == response.request.path
    return body


def fields_named(body: dict) -> set[str]:
    """The top-level fields a problem's `errors` name (without 'json.' or 'query.', or an
    index such as '[0]')."""
    names = set()
    for error in body.get("errors", []):
        assert error["detail"]
        field = re.sub(r"^(json|query|form|path)\.", "", error["field"])
        names.add(re.split(r"[.\[]", field)[0])
    return names


# --- problem+json under /api/ ---------------------------------------------------------------


def test_no_credentials_is_401_with_www_authenticate(client):
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in body["detail"]


def test_unsafe_method_without_credentials_is_401_too(client):
    response = client.post("/api/v1/users", json={"email": "x@pathway.test", "name": "X",
                                                  "roles": ["learner"]})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401_saying_so(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer pw_made-up"})
    body = assert_problem(response, 401)
    assert "not valid" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_missing_role_is_403(client, make_user, auth):
    learner = make_user("learner")
    response = client.post("/api/v1/users", headers=auth(learner),
                           json={"email": "new@pathway.test", "name": "New",
                                 "roles": ["learner"]})
    body = assert_problem(response, 403)
    assert "admin" in body["detail"]


def test_an_unknown_route_is_404(client):
    assert_problem(client.get("/api/v1/no-such-thing"), 404)


def _get_routes_with_ids(app) -> list[str]:
    """Every GET route with an `<int:...>` argument, as a pattern with `{id}` for the ints
    and a made-up slug for any other argument."""
    from werkzeug.routing import IntegerConverter

    patterns = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not any(
                isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        patterns.append(re.sub(r"<[^>]+>", "no-such-slug",
                               re.sub(r"<int:[^>]+>", "{id}", rule.rule)))
    return patterns


@pytest.mark.parametrize("number", [2**31 - 1, 2**31, 2**63 - 1, 99999999999999999999999])
def test_an_id_too_large_for_the_database_is_404_on_every_route(
        app, client, catalogue, make_user, auth, number):
    """Not an integer overflow in the database (a 500): PostgreSQL's ids stop at 2**31 - 1.
    The caller has every role, so that no route refuses before it looks the id up."""
    headers = auth(make_user("admin", "tutor", "learner"))
    patterns = _get_routes_with_ids(app)
    assert len(patterns) >= 8  # the walk really saw the routes with ids
    answers = {pattern: client.get(pattern.format(id=number), headers=headers).status_code
               for pattern in patterns}
    assert answers == dict.fromkeys(patterns, 404)


def test_the_openapi_document_gives_the_largest_id(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    parameter = next(p for p in spec["paths"]["/api/v1/submissions/{submission_id}"]["parameters"]
                     if p["name"] == "submission_id")
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


@pytest.mark.parametrize("path", [
    "/api/v1/qualifications/no-such-qualification",
    "/api/v1/units/no-such-unit",
    "/api/v1/activities/no-such-activity",
])
def test_an_unknown_slug_is_404(client, catalogue, path):
    body = assert_problem(client.get(path), 404)
    assert "no-such" in body["detail"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", "/api/v1/me", {"GET"}),
    ("PUT", "/api/v1/users", {"GET", "POST"}),
    ("GET", "/api/v1/tokens/1", {"DELETE"}),
])
def test_a_wrong_method_is_405_with_allow(client, admin_headers, method, path, allowed):
    response = client.open(path, method=method, headers=admin_headers)
    assert_problem(response, 405)
    allow_header = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed <= allow_header
    assert method not in allow_header


def test_a_taken_email_is_409_naming_email(client, admin, admin_headers):
    response = client.post("/api/v1/users", headers=admin_headers,
                           json={"email": admin.email, "name": "Twin", "roles": ["learner"]})
    body = assert_problem(response, 409)
    assert fields_named(body) == {"email"}


def test_422_names_each_bad_field(client, admin_headers):
    response = client.post("/api/v1/users", headers=admin_headers,
                           json={"email": "not-an-email", "name": "Someone",
                                 "roles": ["wizard"]})
    body = assert_problem(response, 422)
    assert fields_named(body) == {"email", "roles"}


def test_422_names_each_missing_field(client, admin_headers):
    body = assert_problem(client.post("/api/v1/users", headers=admin_headers, json={}), 422)
    assert fields_named(body) == {"email", "name", "roles"}


@pytest.mark.parametrize("text", ['{"email": ', "not json at all", "[1, 2", "{'single': 1}"])
def test_malformed_json_is_a_4xx_problem(client, admin_headers, text):
    response = client.post("/api/v1/users", data=text,
                           headers={**admin_headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    body = assert_problem(response, response.status_code)
    assert "JSON" in body["detail"] or body.get("errors")


def test_json_that_is_not_an_object_is_422(client, admin_headers):
    assert_problem(client.post("/api/v1/users", headers=admin_headers, json=[1, 2]), 422)


@pytest.mark.parametrize(("content_type", "data"), [
    ("text/plain", "email=new@pathway.test"),
    ("application/x-www-form-urlencoded",
     "email=new%40pathway.test&name=New&roles=learner"),
    ("application/xml", "<user><email>new@pathway.test</email></user>"),
])
def test_a_wrong_content_type_is_415_and_changes_nothing(
        client, admin_headers, content_type, data):
    response = client.post("/api/v1/users", data=data,
                           headers={**admin_headers, "Content-Type": content_type})
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]
    listed = client.get("/api/v1/users", headers=admin_headers).get_json()["items"]
    assert "new@pathway.test" not in {user["email"] for user in listed}


# --- HTML pages outside /api/ ---------------------------------------------------------------


def test_an_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<title>Not Found" in page
    assert "application/problem+json" not in response.headers.get("Content-Type", "")


def test_a_wrong_method_on_a_page_is_an_html_405_with_allow(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"]
    assert "Method Not Allowed" in response.get_data(as_text=True)


def test_a_form_post_without_csrf_is_an_html_400(client):
    response = client.post("/login", data={"email": "x@pathway.test", "password": "whatever"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "CSRF" in response.get_data(as_text=True)


# --- OpenAPI --------------------------------------------------------------------------------


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_openapi_document_is_public_and_lists_every_api_path(app, client):
    response = client.get("/api/v1/openapi.json")  # anonymous
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"]

    served = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json":
            methods = {m.lower() for m in rule.methods - SKIPPED_METHODS}
            served.setdefault(_openapi_path(rule.rule), set()).update(methods)
    assert len(served) >= 10
    assert set(spec["paths"]) == set(served)
    for path, methods in served.items():
        assert methods <= set(spec["paths"][path]), path
    assert "bearerToken" in spec["components"]["securitySchemes"]


# --- cursor pagination ----------------------------------------------------------------------


@pytest.fixture
def seven_users(admin, make_user):
    """The administrator and six learners."""
    learners = [make_user("learner") for _ in range(6)]
    return {user.public_id for user in [admin, *learners]}


def test_next_cursor_walks_every_user_exactly_once(client, admin_headers, seven_users):
    seen, pages, cursor = [], 0, None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/users", query_string=query, headers=admin_headers)
        assert response.status_code == 200
        page = response.get_json()
        pages += 1
        assert len(page["items"]) <= 2
        seen.extend(user["id"] for user in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            assert "Link" not in response.headers
            break
        assert pages < 10, "pagination does not end"
    assert pages == 4
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == seven_users


def test_link_next_walks_every_user_exactly_once(client, admin_headers, seven_users):
    seen, url = [], "/api/v1/users?limit=2"
    for _ in range(10):
        response = client.get(url, headers=admin_headers)
        assert response.status_code == 200
        seen.extend(user["id"] for user in response.get_json()["items"])
        link = response.headers.get("Link")
        if link is None:
            break
        match = re.fullmatch(r'<([^>]+)>; rel="next"', link)
        assert match, link
        parts = urlsplit(match.group(1))
        assert parse_qs(parts.query)["limit"] == ["2"]
        url = f"{parts.path}?{parts.query}"
    else:
        pytest.fail("the Link header never stops")
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == seven_users


def test_a_page_stays_stable_when_people_are_added(client, admin_headers, seven_users,
                                                   make_user):
    first = client.get("/api/v1/users?limit=4", headers=admin_headers).get_json()
    newcomer = make_user("learner")
    rest = client.get("/api/v1/users", query_string={"limit": 4, "cursor": first["next_cursor"]},
                      headers=admin_headers).get_json()
    ids = [user["id"] for user in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 8
    assert set(ids) == seven_users | {newcomer.public_id}


def _b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "made-up", "!!!", _b64({"after": "3"}), _b64({"before": 3}), _b64([3]),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_made_up_cursor_is_422_naming_cursor(client, admin_headers, cursor):
    response = client.get("/api/v1/users", query_string={"cursor": cursor},
                          headers=admin_headers)
    body = assert_problem(response, 422)
    assert fields_named(body) == {"cursor"}


@pytest.mark.parametrize("limit", ["0", "-1", "two"])
def test_a_bad_limit_is_422_naming_limit(client, admin_headers, limit):
    response = client.get("/api/v1/users", query_string={"limit": limit},
                          headers=admin_headers)
    body = assert_problem(response, 422)
    assert fields_named(body) == {"limit"}


def test_the_public_catalogue_list_pages_too(client, catalogue):
    first = client.get("/api/v1/activities?limit=2")
    assert first.status_code == 200
    page = first.get_json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    assert 'rel="next"' in first.headers["Link"]


# --- who may call each route ----------------------------------------------------------------


def _is_exempt(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static") or (
        endpoint == "api-docs.openapi_json")


def _undeclared_views(app) -> tuple[list[str], int]:
    undeclared, checked = [], 0
    for rule in app.url_map.iter_rules():
        if _is_exempt(rule.endpoint):
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            handlers = {f"{rule.endpoint} ({rule.rule})": view}
        else:
            handlers = {f"{rule.endpoint}.{m.lower()} ({rule.rule})":
                        getattr(view_class, m.lower(), None)
                        for m in rule.methods - SKIPPED_METHODS}
        for name, handler in handlers.items():
            checked += 1
            access = getattr(handler, "access", None)
            if not access or not all(isinstance(who, str) and who for who in access):
                undeclared.append(name)
            elif handler.__module__.startswith("lms.") and not set(access) <= set(AUDIENCES):
                undeclared.append(name)  # Pathway's own views say it with `allow(...)`
    return undeclared, checked


def test_every_route_declares_who_may_call_it(app):
    undeclared, checked = _undeclared_views(app)
    assert undeclared == []
    assert checked >= 15  # the walk really saw the app's views


def test_the_walk_notices_a_route_without_a_declaration(app):
    app.add_url_rule("/undeclared-for-this-test", "undeclared", lambda: "")
    undeclared, _ = _undeclared_views(app)
    assert undeclared == ["undeclared (/undeclared-for-this-test)"]


@pytest.mark.parametrize("who", [(), ("wizard",), ("learner", "everyone")])
def test_allow_refuses_an_unknown_audience(who):
    with pytest.raises(ValueError, match="allow"):
        allow(*who)


def test_every_422_has_the_same_title(client, admin_headers):
    bad_field = client.post("/api/v1/users", headers=admin_headers,
                            json={"email": "not-an-address", "name": "X", "roles": ["learner"]})
    bad_cursor = client.get("/api/v1/users?cursor=nonsense", headers=admin_headers)
    titles = {assert_problem(r, 422)["title"] for r in (bad_field, bad_cursor)}
    assert titles == {"Unprocessable Content"}


@pytest.mark.parametrize("name", ["_external", "_anchor", "_scheme", "_method"])
def test_url_building_names_in_the_query_string_are_harmless(client, catalogue, name):
    response = client.get(f"/api/v1/activities?limit=1&{name}=1")
    assert response.status_code == 200
    assert "_" + name.lstrip("_") not in response.headers["Link"]
