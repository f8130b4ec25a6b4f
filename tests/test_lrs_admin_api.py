"""Administrators manage LRS credentials through the JSON API."""

import pytest

from xapi.auth import basic_header


@pytest.fixture
def as_admin(make_user, auth):
    return auth(make_user("admin"))


def test_an_admin_creates_lists_and_revokes_lrs_credentials(client, as_admin):
    response = client.post("/api/v1/lrs/clients", headers=as_admin,
                           json={"name": "Analytics", "scopes": ["statements/read"]})
    assert response.status_code == 201
    made = response.get_json()
    assert made["scopes"] == ["statements/read"] and made["secret"]
    lrs = {"Authorization": basic_header(made["key"], made["secret"]),
           "X-Experience-API-Version": "1.0.3"}
    assert client.get("/xapi/statements", headers=lrs).status_code == 200
    assert client.post("/xapi/statements", headers=lrs, json={}).status_code == 403

    listed = client.get("/api/v1/lrs/clients", headers=as_admin).get_json()
    assert [c["key"] for c in listed] == [made["key"]]
    assert "secret" not in listed[0] and "secret_hash" not in listed[0]

    assert client.delete(f"/api/v1/lrs/clients/{made['key']}", headers=as_admin).status_code == 204
    assert client.get("/api/v1/lrs/clients", headers=as_admin).get_json()[0]["revoked_at"]
    assert client.delete(f"/api/v1/lrs/clients/{made['key']}", headers=as_admin).status_code == 404


def test_unknown_scopes_are_refused_naming_the_field(client, as_admin):
    response = client.post("/api/v1/lrs/clients", headers=as_admin,
                           json={"name": "X", "scopes": ["everything"]})
    assert response.status_code == 422
    assert any(e["field"].startswith("json.scopes") for e in response.get_json()["errors"])


@pytest.mark.parametrize("role", ["learner", "tutor", "org_manager"])
def test_only_administrators_manage_lrs_credentials(client, make_user, auth, role):
    headers = auth(make_user(role))
    assert client.get("/api/v1/lrs/clients", headers=headers).status_code == 403
    assert client.post("/api/v1/lrs/clients", headers=headers,
                       json={"name": "X", "scopes": ["all"]}).status_code == 403
