"""Helpers for the learner pages' tests: signing in through the real login form, reading a
page's text, and recording finished activities in the LRS as Pathway does."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from flask import current_app

from lms.extensions import db
from lms.progress.record import finished_statement, record_statements

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone


def csrf_token(page: str) -> str:
    """The value of the page's first hidden `csrf_token` input, as a browser would send it."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD) -> None:
    """Sign `client` in through the login form (with its CSRF token)."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    page = re.sub(r"<svg.*?</svg>", " ", response.get_data(as_text=True), flags=re.DOTALL)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(unescape(page).split())


def unit_activities(qualification, number: int = 1, assessed: bool | None = False) -> list:
    """The current activities of unit `number`, in order (only the assessed ones, only the
    others, or all when `assessed` is None)."""
    types = current_app.extensions["lms.activity_types"]
    unit = next(u for u in qualification.units if u.number == number)
    return [a for a in unit.activities
            if assessed is None or types[a.type].assessed == assessed]


def finish(enrolment, activities, days_ago=(3,)) -> None:
    """Record each activity as finished (`completed` or `attended`), the n-th one
    `days_ago[n]` days ago (the last value repeats), with its nominal time spent."""
    db.session.commit()  # the LRS writes on its own connection
    now = datetime.now(UTC)
    statements = []
    for n, activity in enumerate(activities):
        ago = days_ago[min(n, len(days_ago) - 1)]
        statements.append(finished_statement(
            enrolment, activity, now - timedelta(days=ago),
            timedelta(minutes=int(float(activity.hours) * 60))))
    record_statements(statements)
