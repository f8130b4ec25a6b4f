"""Helpers of the administrator's and organisation manager's page tests: signing in through
the real login form, reading a page's CSRF token and text, and posting a page's form as a
browser would."""

import re
from html import unescape

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone


def csrf_token(page: str, name: str = "csrf_token") -> str:
    """The value of the page's hidden CSRF input called `name` (prefixed forms: 'x-csrf_token')."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]+)"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(page).split())


def main_text(response) -> str:
    """The text of the page's <main> only (not the navigation or the flashes' layout)."""
    html = response.get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def sign_in(client, user, password: str = PASSWORD) -> None:
    """Sign `user` in through the login form, CSRF token and all."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, text_of(response)


def post_form(client, page_url: str, action_url: str, data: dict, prefix: str = "",
              **kwargs):
    """GET `page_url`, take its CSRF token (of the form with `prefix`), POST `data` to
    `action_url`."""
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    token = csrf_token(client.get(page_url).get_data(as_text=True), name)
    return client.post(action_url, data={**data, name: token}, **kwargs)


def field_error(response, field_id: str) -> str | None:
    """The error shown next to the control `field_id` (its `<id>-error` element), if any."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return unescape(match.group(1)) if match else None
