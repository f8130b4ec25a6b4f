"""Helpers of the tutorial pages' tests: signing in through the real login form, posting a
page's forms with its CSRF token, reading what the page says, and the fixed times they use."""

import re
from datetime import UTC, date, datetime, time
from html import unescape

from lms.timeutil import LONDON

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone

# Thursday 26 November 2026, 09:00 in London (GMT, so UTC too): the tests' clock. The test
# intake starts 2 June 2026, so the learners' window is open throughout.
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TUESDAY = date(2026, 12, 1)
WEDNESDAY = date(2026, 12, 2)
NEXT_TUESDAY = date(2026, 12, 8)

GROUP_ACTIVITY = "u1-group-tutorial-restrictions-in-our-services"
OTHER_GROUP_ACTIVITY = "u1-group-tutorial-human-rights-dilemmas"
INDIVIDUAL_ACTIVITY = "u1-individual-tutorial-planning-case-study"


def london_at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a London wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def csrf_token(page: str) -> str:
    """The value of the page's first hidden `csrf_token` input, as a browser would send it."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(page).split())


def sign_in(client, user) -> None:
    """Sign `client` in as `user` through the login form."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, text_of(response)


def submit(client, page_url: str, action: str, data: dict | None = None):
    """Open `page_url` (as a person does before pressing a button), then POST `data` with the
    page's CSRF token to `action`; follow the redirect back. Returns the final response."""
    page = client.get(page_url)
    assert page.status_code == 200, text_of(page)
    body = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(action, data=body, follow_redirects=True)


def flashes(response) -> list[str]:
    """The flash messages on a page, as (category, text) pairs."""
    found = re.findall(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>',
                       response.get_data(as_text=True), re.S)
    return [(category, " ".join(unescape(text).split())) for category, text in found]
