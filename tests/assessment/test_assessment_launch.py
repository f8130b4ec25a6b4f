"""Launching a practice assessment opens something a browser can GET: the learner's
submissions for that activity, with what is due and the declaration to sign."""

import re
from urllib.parse import urlsplit

import pytest
from assessment_support import ASSESSMENT, CRITERIA, PDF, not_yet_met, problem
from conftest import PASSWORD

from lms.assessment.rules import DECLARATION

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests

READING = "u1-reading-human-rights-and-restriction"


def _csrf_token(page: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def signed_in(client, people):
    """The learner's browser, signed in through the login page."""
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": people.learner.email,
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _url(people, slug=ASSESSMENT):
    return f"/api/v1/enrolments/{people.enrolment.id}/activities/{slug}/submissions"


def test_the_start_button_leads_to_a_page_the_browser_can_open(signed_in, people):
    token = _csrf_token(signed_in.get("/account").get_data(as_text=True))
    response = signed_in.post(f"/learn/{people.enrolment.id}/{ASSESSMENT}/launch",
                              data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    assert location.path == _url(people)

    opened = signed_in.get(location.path)  # the browser follows the redirect with a GET
    assert opened.status_code == 200, opened.get_data(as_text=True)
    standing = opened.get_json()
    assert standing["activity"] == ASSESSMENT
    assert standing["unit"] == "principles-of-restrictive-practice-reduction"
    assert [c["code"] for c in standing["criteria"]] == CRITERIA
    assert all(c["text"] for c in standing["criteria"])
    assert standing["evidence"]
    assert standing["may_submit"] is True and standing["next_attempt"] == 1
    assert standing["due_date"] == "2027-12-02" and standing["reason"] == ""
    assert standing["declaration"]["text"] == DECLARATION
    assert "signed_name" in standing["declaration"]["how"]
    assert standing["submit_to"] == _url(people)
    assert standing["submissions"] == []


def test_the_page_follows_the_learners_attempts(client, headers, people, submit, decide):
    first = submit([(PDF, "audit.pdf")]).get_json()
    standing = client.get(_url(people), headers=headers(people.learner)).get_json()
    assert standing["may_submit"] is False and standing["next_attempt"] is None
    assert standing["due_date"] is None and "awaiting a decision" in standing["reason"]
    assert [s["id"] for s in standing["submissions"]] == [first["id"]]

    assert decide(first["id"], not_yet_met()).status_code == 201
    standing = client.get(_url(people), headers=headers(people.learner)).get_json()
    assert standing["may_submit"] is True and standing["next_attempt"] == 2
    assert standing["due_date"] is not None and standing["reason"] == ""
    assert standing["submissions"][0]["status"] == "not-yet-met"


def test_who_may_open_it(client, headers, people):
    assert client.get(_url(people), headers=headers(people.tutor)).status_code == 200
    assert client.get(_url(people), headers=headers(people.admin)).status_code == 200
    for user in (people.other_learner, people.other_tutor, people.verifier):
        problem(client.get(_url(people), headers=headers(user)), 404)
    response = client.get(_url(people))
    assert response.status_code == 401


def test_an_activity_that_is_not_assessed_has_no_submissions_page(client, headers, people):
    body = problem(client.get(_url(people, READING), headers=headers(people.learner)), 409)
    assert "takes no evidence" in body["detail"]
    problem(client.get(_url(people, "no-such-activity"), headers=headers(people.learner)), 404)


def test_a_stored_configuration_that_no_longer_fits_is_409(db, client, headers, people):
    from assessment_support import activity

    task = activity(db, ASSESSMENT)
    task.config = {"evidence": ["case study"]}  # its criteria gone
    db.session.commit()
    body = problem(client.get(_url(people), headers=headers(people.learner)), 409)
    assert "criteria" in body["detail"]
