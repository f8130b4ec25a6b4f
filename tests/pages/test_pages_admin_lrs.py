"""LRS credentials through the administrator's page: the list, creating credentials with
scope checkboxes (the secret shown once, in a labelled read-only input), using them against
the LRS with HTTP Basic, and revoking them."""

import re

import pytest
from admin_pages_support import csrf_token, field_error, main_text, post_form, sign_in, text_of

from xapi.auth import basic_header, create_launch_credentials

XAPI = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def admin(client, make_user):
    sign_in(client, make_user("admin"))


def readonly_value(html: str, input_id: str) -> str:
    """The value of the read-only input `input_id`, checking it has a visible label."""
    assert re.search(rf'<label for="{input_id}">[^<]+</label>', html), f"no label for {input_id}"
    match = re.search(rf'<input id="{input_id}" type="text" value="([^"]+)" readonly', html)
    assert match, f"no read-only {input_id}"
    return match.group(1)


def test_credentials_made_on_the_page_work_until_revoked(client, admin):
    response = post_form(client, "/admin/lrs-clients", "/admin/lrs-clients",
                         {"name": "Analytics dashboard",
                          "scopes": ["statements/read", "statements/write"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    key, secret = readonly_value(html, "created-key"), readonly_value(html, "created-secret")
    assert "Copy the secret now" in text_of(response)
    listed = main_text(response)
    assert f"Analytics dashboard {key} statements/read, statements/write" in listed
    assert "Active" in listed

    lrs = {"Authorization": basic_header(key, secret), **XAPI}
    assert client.get("/xapi/statements", headers=lrs).status_code == 200

    # The secret is shown once: the list does not show it again.
    page = client.get("/admin/lrs-clients")
    assert secret not in page.get_data(as_text=True)
    assert key in main_text(page)

    revoked = client.post(f"/admin/lrs-clients/{key}/revoke",
                          data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert revoked.status_code == 302
    after = client.get("/admin/lrs-clients")
    assert f"LRS credentials {key} are revoked." in text_of(after)
    assert "Revoked" in main_text(after)
    assert client.get("/xapi/statements", headers=lrs).status_code == 401


def test_the_scopes_given_are_the_scopes_granted(client, admin):
    response = post_form(client, "/admin/lrs-clients", "/admin/lrs-clients",
                         {"name": "Reader", "scopes": ["statements/read"]})
    html = response.get_data(as_text=True)
    lrs = {"Authorization": basic_header(readonly_value(html, "created-key"),
                                         readonly_value(html, "created-secret")), **XAPI}
    assert client.get("/xapi/statements", headers=lrs).status_code == 200
    assert client.post("/xapi/statements", headers=lrs, json={}).status_code == 403


def test_every_scope_is_a_labelled_checkbox_in_a_fieldset(client, admin):
    from xapi.auth import SCOPES

    html = client.get("/admin/lrs-clients").get_data(as_text=True)
    assert "<legend>Scopes</legend>" in html
    for index, scope in enumerate(SCOPES):
        assert re.search(rf'<label class="inline" for="scopes-{index}"><input type="checkbox" '
                         rf'id="scopes-{index}" name="scopes" value="{re.escape(scope)}">', html)


@pytest.mark.parametrize("data, field, message", [
    ({"name": "No scopes"}, "scopes", "Choose at least one scope."),
    ({"name": "", "scopes": ["all"]}, "name", "This field is required."),
    ({"name": "Odd", "scopes": ["everything"]}, "scopes", "not a valid choice"),
])
def test_wrong_fields_are_refused_next_to_them(client, admin, data, field, message):
    response = post_form(client, "/admin/lrs-clients", "/admin/lrs-clients", data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert "created-secret" not in response.get_data(as_text=True)
    assert "No LRS credentials yet." in main_text(response)


def test_launch_credentials_are_counted_not_listed(client, admin, lrs_credentials):
    lrs_credentials("all", name="Existing system")
    engine = client.application.extensions["xapi"].engine
    with engine.begin() as connection:
        create_launch_credentials(connection, {"mbox": "mailto:l@pathway.test"},
                                  "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "http://pathway.test")
    page = main_text(client.get("/admin/lrs-clients"))
    assert "Existing system" in page
    assert "launch 1b4e28ba" not in page
    assert "1 short-lived launch credential of content" in page


def test_revoking_unknown_credentials_says_so(client, admin):
    page = client.get("/admin/lrs-clients").get_data(as_text=True)
    client.post("/admin/lrs-clients/nope/revoke", data={"csrf_token": csrf_token(page)})
    assert "No active LRS credentials with key nope." in text_of(
        client.get("/admin/lrs-clients"))
