"""Helpers for the learner records pages' tests: signing in through the real login form,
reading a page's text and its table rows, and recording learning in the LRS as Pathway does."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

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


def words(html: str) -> str:
    """Text of some HTML, tags removed and white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def text_of(response) -> str:
    """The page's text."""
    return words(response.get_data(as_text=True))


def learner_names(response) -> list[str]:
    """The learners of the "My learners" table, in the order shown."""
    body = response.get_data(as_text=True)
    table = re.search(r'<table class="records-learners">.*?</table>', body, re.DOTALL)
    if table is None:
        return []
    return [words(name) for name in re.findall(
        r'<th scope="row">\s*<a href="/learners/\d+">([^<]+)</a>', table.group(0))]


def timeline_lines(response) -> list[str]:
    """The sentences of the learner page's timeline, newest first."""
    body = response.get_data(as_text=True)
    found = re.search(r'<ol class="timeline">(.*?)</ol>', body, re.DOTALL)
    if found is None:
        return []
    return [words(item.split("<br>", 1)[1])
            for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.DOTALL)]


def finish(enrolment, activities, days_ago=3, minutes=None) -> None:
    """Record each activity as finished (`completed` self-study, `attended` guided) with
    lms.progress.record, `days_ago` days ago, taking its nominal time (or `minutes`)."""
    db.session.commit()  # the LRS writes on its own connection
    when = datetime.now(UTC) - timedelta(days=days_ago)
    record_statements([
        finished_statement(enrolment, activity, when - timedelta(minutes=n),
                           timedelta(minutes=minutes or int(float(activity.hours) * 60)))
        for n, activity in enumerate(activities)])
