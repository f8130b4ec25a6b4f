"""The pages a person sees: signing in and out (with CSRF tokens, as a browser sends them),
pages that need a signed-in person, and the home page's description of the Diploma."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import OwnContextClient

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone
NO_MATCH = "That e-mail address and password do not match an account."





@pytest.fixture
def person(make_user):
    return make_user("learner", name="Rowan Reader")


def csrf_token(page: str) -> str:
    """The value of the page's hidden `csrf_token` input, as a browser would send it."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(page).split())


def submit_login(client, email, password, next_url=None):
    login_url = "/login" if next_url is None else f"/login?next={next_url}"
    token = csrf_token(client.get(login_url).get_data(as_text=True))
    return client.post(login_url, data={"email": email, "password": password,
                                        "csrf_token": token})


def signed_in_as(client) -> str | None:
    """Whose account page the client sees (None when sent to sign in)."""
    response = client.get("/account")
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
        return None
    assert response.status_code == 200
    return re.search(r"<h1>([^<]+)</h1>", response.get_data(as_text=True)).group(1)


def test_the_login_page_carries_a_csrf_token(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert len(csrf_token(page)) > 20
    assert re.search(r'<input[^>]*name="csrf_token"[^>]*type="hidden"', page)
    assert 'name="email"' in page and 'name="password"' in page
    assert re.search(r'<form method="post"', page)


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_login_without_a_valid_csrf_token_does_not_sign_in(client, person, token):
    client.get("/login")
    data = {"email": person.email, "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "CSRF" in text_of(response)
    assert signed_in_as(client) is None


def test_a_csrf_token_from_another_browser_does_not_sign_in(app, client, person):
    other_browser = OwnContextClient(app, app.response_class, use_cookies=True)
    token = csrf_token(other_browser.get("/login").get_data(as_text=True))
    client.get("/login")
    response = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_a_wrong_password_says_so_with_401(client, person):
    response = submit_login(client, person.email, "not the password")
    assert response.status_code == 401
    assert response.mimetype == "text/html"
    assert NO_MATCH in text_of(response)
    assert person.email in response.get_data(as_text=True)  # the form keeps the address
    assert PASSWORD not in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_an_unknown_address_gets_the_same_message(client, person):
    response = submit_login(client, "nobody@pathway.test", PASSWORD)
    assert response.status_code == 401
    assert NO_MATCH in text_of(response)
    assert signed_in_as(client) is None


def test_a_disabled_account_cannot_sign_in(client, db, person):
    person.active = False
    db.session.commit()
    response = submit_login(client, person.email, PASSWORD)
    assert response.status_code == 401
    assert NO_MATCH in text_of(response)
    assert signed_in_as(client) is None


def test_an_empty_form_asks_for_both_fields(client):
    response = submit_login(client, "", "")
    assert response.status_code == 422
    assert "Enter your e-mail address." in text_of(response)
    assert "Enter your password." in text_of(response)
    assert signed_in_as(client) is None


def test_the_right_password_signs_in(client, person):
    response = submit_login(client, f"  {person.email.upper()} ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert "Signed in as Rowan Reader." in text_of(home)
    assert signed_in_as(client) == "Rowan Reader"


def test_signing_in_returns_to_a_local_next_page(client, person):
    response = submit_login(client, person.email, PASSWORD, next_url="/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("next_url", [
    "https://evil.example/", "//evil.example", "//evil.example/account", "http:evil.example",
    "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "evil.example",
])
def test_signing_in_never_sends_anyone_to_another_site(client, person, next_url):
    login_url = "/login"
    token = csrf_token(client.get(login_url).get_data(as_text=True))
    response = client.post(login_url, query_string={"next": next_url},
                           data={"email": person.email, "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    # Browsers read a backslash in a URL as a slash.
    target = urlsplit(urljoin("http://localhost/login", location.replace("\\", "/")))
    assert target.scheme == "http"
    assert target.netloc == "localhost"
    if next_url.startswith(("https:", "http:", "//", "javascript:")):
        assert location == "/"
    assert signed_in_as(client) == "Rowan Reader"


def test_the_account_page_needs_a_signed_in_person(client, person):
    response = client.get("/account")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert location.query == "next=/account"

    response = submit_login(client, person.email, PASSWORD, next_url="/account")
    assert response.headers["Location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert person.email in text_of(page)
    assert "Last signed in" in text_of(page)


def test_signing_out_needs_a_post_with_the_csrf_token(client, person):
    submit_login(client, person.email, PASSWORD)
    account = client.get("/account").get_data(as_text=True)
    assert "Sign out" in account

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert signed_in_as(client) == "Rowan Reader"

    response = client.post("/logout", data={"csrf_token": csrf_token(account)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "You have signed out." in text_of(client.get("/"))
    assert signed_in_as(client) is None
    assert client.get("/api/v1/me").status_code == 401


def test_the_home_page_describes_the_diploma(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    assert catalogue.title in text
    assert "Level 5" in catalogue.title and "Diploma" in catalogue.title
    assert "5 units" in text
    assert "36 credits" in text
    assert "360 learning hours" in text
    assert "18 months to complete" in text
    assert "does not teach physical intervention" in text
    assert text.count(" credits · ") == 6  # the Diploma and each of its five units
    assert "Sign in" in text


def test_the_home_page_before_any_course_is_loaded(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No courses yet" in text_of(response)


def test_a_signed_in_home_page_offers_the_account_and_signing_out(client, person, catalogue):
    submit_login(client, person.email, PASSWORD)
    text = text_of(client.get("/"))
    assert "Rowan Reader" in text
    assert "Sign out" in text
    assert "Sign in " not in text
