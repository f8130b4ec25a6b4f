"""Personal API tokens on the account page: the list of one's own tokens, making one (shown
once, in a labelled read-only input) that works as a bearer token, revoking it so that it
stops working, refusals shown next to the fields, and CSRF."""

import re
from datetime import timedelta

import pytest
from actions_pages_support import api, readonly_value
from admin_pages_support import csrf_token, field_error, main_text, post_form, sign_in, text_of

from lms.extensions import db
from lms.people.models import ApiToken
from lms.people.operations import create_token, revoke_token
from lms.timeutil import utcnow

PAGE = "/account/tokens"


@pytest.fixture
def learner(client, make_user):
    user = make_user("learner", name="Aisha Khan")
    sign_in(client, user)
    return user


def _token_count() -> int:
    return len(db.session.execute(db.select(ApiToken)).scalars().all())


def test_the_account_page_links_to_the_tokens(client, learner):
    html = client.get("/account").get_data(as_text=True)
    assert f'<a href="{PAGE}">Personal API tokens</a>' in html


def test_the_list_shows_only_ones_own_tokens_with_their_dates_and_state(client, learner,
                                                                          make_user):
    used, _ = create_token(learner, "Reporting spreadsheet", days=30)
    used.last_used_at = utcnow() - timedelta(days=1)
    gone, _ = create_token(learner, "Old script")
    revoke_token(gone)
    create_token(make_user("learner"), "Someone else's token")
    db.session.commit()

    response = client.get(PAGE)
    assert response.status_code == 200
    text = main_text(response)
    assert "Someone else's token" not in text
    rows = re.findall(r"<tr>(.*?)</tr>", response.get_data(as_text=True), re.S)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows[1:]]
    assert cells[0].startswith(f"Old script {gone.prefix}")
    assert "Revoked" in cells[0] and "Revoke token" not in cells[0]
    assert cells[1].startswith(f"Reporting spreadsheet {used.prefix}")
    assert "Active" in cells[1] and "Revoke token Reporting spreadsheet" in cells[1]
    expires = used.expires_at
    from lms.web.format import london_time

    assert london_time(expires) in cells[1] and london_time(used.last_used_at) in cells[1]
    assert "Never" in cells[0]  # never used


def test_a_token_made_on_the_page_works_once_shown_and_stops_when_revoked(app, client,
                                                                           learner):
    response = post_form(client, PAGE, PAGE, {"name": "Reporting spreadsheet", "days": "7"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = readonly_value(html, "created-token")
    assert "Copy it now" in text_of(response)

    me = api(app, "GET", "/api/v1/me", secret)
    assert me.status_code == 200 and me.json["email"] == learner.email
    listed = api(app, "GET", "/api/v1/tokens", secret).json
    assert [t["name"] for t in listed] == ["Reporting spreadsheet"]
    token = db.session.get(ApiToken, listed[0]["id"])
    assert timedelta(days=6, hours=23) < token.expires_at - token.created_at <= \
        timedelta(days=7, seconds=5)

    # Shown once: the list does not hold it again; it shows that the token was used.
    page = client.get(PAGE)
    assert secret not in page.get_data(as_text=True)
    assert "Never" not in main_text(page)

    revoked = client.post(f"{PAGE}/{token.id}/revoke",
                          data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert revoked.status_code == 302
    after = client.get(PAGE)
    assert "Token 'Reporting spreadsheet' is revoked" in text_of(after)
    assert "Revoked" in main_text(after)
    refused = api(app, "GET", "/api/v1/me", secret)
    assert refused.status_code == 401
    assert refused.json["detail"] == "The API token has been revoked."


def test_without_days_a_token_lasts_the_default(app, client, learner):
    post_form(client, PAGE, PAGE, {"name": "Script", "days": ""})
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    days = app.config["API_TOKEN_DEFAULT_DAYS"]
    assert abs((token.expires_at - token.created_at) - timedelta(days=days)) < \
        timedelta(seconds=5)


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "days": "7"}, "name", "Give the token a name."),
    ({"name": "   ", "days": "7"}, "name", "Give the token a name."),
    ({"name": "x" * 101}, "name", "From 1 to 100 characters."),
    ({"name": "Script", "days": "0"}, "days", "Must be between 1 and 366"),
    ({"name": "Script", "days": "9999"}, "days", "Must be between 1 and 366"),
    ({"name": "Script", "days": "soon"}, "days", "Enter a whole number."),
])
def test_refusals_are_shown_next_to_the_field_and_make_nothing(client, learner, data, field,
                                                               message):
    response = post_form(client, PAGE, PAGE, data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert f'aria-describedby="{field}-hint {field}-error"' in response.get_data(as_text=True) \
        or f'aria-describedby="{field}-error"' in response.get_data(as_text=True)
    assert 'id="created-token"' not in response.get_data(as_text=True)
    assert _token_count() == 0


def test_another_persons_token_cannot_be_revoked(app, client, learner, make_user):
    theirs, secret = create_token(make_user("tutor"), "Tutor's script")
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    response = client.post(f"{PAGE}/{theirs.id}/revoke", data={"csrf_token": csrf_token(page)},
                           follow_redirects=True)
    assert response.status_code == 200
    assert f"You have no API token with id {theirs.id}." in text_of(response)
    assert api(app, "GET", "/api/v1/me", secret).status_code == 200


def test_posts_without_the_csrf_token_are_refused(app, client, learner):
    assert client.post(PAGE, data={"name": "Script"}).status_code == 400
    token, secret = create_token(learner, "Script")
    db.session.commit()
    assert client.post(f"{PAGE}/{token.id}/revoke").status_code == 400
    assert _token_count() == 1
    assert api(app, "GET", "/api/v1/me", secret).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
