"""Internal verification pages: the proposed sample and the decisions already verified; a
verifier records agreement or action required through the page; never on their own
decisions (the operation's refusal is shown); only verifiers and administrators."""

import re

import pytest
from assessment_pages_support import (
    all_met_form,
    csrf_token,
    page_of,
    stored,
    submit_through_page,
    text_of,
)

from lms.assessment.models import Submission
from lms.extensions import db

pytest_plugins = ["assessment_pages_fixtures"]


def _submit_and_decide(assessing, browser_of, assessor=None) -> Submission:
    learner = browser_of(assessing.learner)
    assert submit_through_page(learner, assessing.enrolment).status_code == 302
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assessor = browser_of(assessor or assessing.tutor)
    token = csrf_token(page_of(assessor.get(f"/assess/{submission.id}")))
    assert assessor.post(f"/assess/{submission.id}",
                         data=all_met_form(token)).status_code == 302
    return submission


@pytest.fixture
def decided(assessing, browser_of):
    """The learner's submission, decided all met by their tutor through the pages."""
    return _submit_and_decide(assessing, browser_of)


def _verify(browser, submission_id, **data):
    url = f"/verify/{submission_id}"
    page = browser.get(url)
    assert page.status_code == 200, page_of(page)
    return browser.post(url, data={"csrf_token": csrf_token(page_of(page)), **data})


def test_the_verifier_sees_the_sample(assessing, browser_of, decided):
    response = browser_of(assessing.verifier).get("/verify")
    assert response.status_code == 200
    text, page = text_of(response), page_of(response)
    assert "Decided, not yet verified submissions" in text  # the rule, in words
    assert f'href="/verify/{decided.id}"' in page
    assert "Alex Morgan" in text and "Sam Okafor" in text and "Met" in text
    assert "No decisions have been verified yet." in text
    assert '<label for="size">Sample size</label>' in page


def test_the_verifier_records_agreement(assessing, browser_of, decided, client, auth):
    verifier = browser_of(assessing.verifier)
    page = verifier.get(f"/verify/{decided.id}")
    text = text_of(page)
    assert "A thoughtful case study." in text and "Well evidenced." in text
    assert "Signed Alex Morgan" in text
    assert re.search(r"<legend>Do you agree with this decision\?</legend>", page_of(page))

    response = _verify(verifier, decided.id, outcome="agreed", comment="Sound judgement.")
    assert response.status_code == 302 and response.headers["Location"].endswith("/verify")
    after = text_of(verifier.get("/verify"))
    assert "Verification recorded for Alex Morgan" in after and ": agreed." in after
    assert "There are no decisions waiting for verification." in after
    assert "Sound judgement." in after and "Morgan Lee" in after  # already verified

    body = client.get(f"/api/v1/submissions/{decided.id}", headers=auth(assessing.admin))
    [verification] = body.get_json()["verifications"]
    assert verification["outcome"] == "agreed"
    assert verification["comment"] == "Sound judgement."
    assert verification["verifier"]["name"] == "Morgan Lee"


def test_action_required_needs_a_comment_by_the_field(assessing, browser_of, decided):
    before = stored()
    response = _verify(browser_of(assessing.verifier), decided.id,
                       outcome="action-required", comment="")
    assert response.status_code == 422
    page = page_of(response)
    error = re.search(r'<p class="error" id="comment-error">([^<]*)</p>', page)
    assert error and "Say what action is required" in error.group(1)
    assert 'aria-describedby="comment-hint comment-error"' in page
    assert stored() == before


def test_an_outcome_must_be_chosen(assessing, browser_of, decided):
    response = _verify(browser_of(assessing.verifier), decided.id, comment="Hmm.")
    assert response.status_code == 422
    assert 'id="outcome-error">Choose Agree or Action required.' in page_of(response)
    assert stored()["verifications"] == 0


def test_nobody_verifies_their_own_decision(assessing, browser_of):
    # An administrator decided; administrators verify too, but not their own decisions.
    submission = _submit_and_decide(assessing, browser_of, assessor=assessing.admin)
    admin = browser_of(assessing.admin)
    assert f'href="/verify/{submission.id}"' not in page_of(admin.get("/verify"))
    page = admin.get(f"/verify/{submission.id}")
    assert "You made this decision" in text_of(page)
    assert "Record verification" not in text_of(page)

    before = stored()
    token = csrf_token(page_of(page))
    response = admin.post(f"/verify/{submission.id}",
                          data={"csrf_token": token, "outcome": "agreed"})
    assert response.status_code == 302
    flashed = text_of(admin.get(f"/verify/{submission.id}"))
    assert "You made this decision: internal verification must be done by another" in flashed
    assert stored() == before

    # Another verifier may.
    assert _verify(browser_of(assessing.verifier), submission.id,
                   outcome="agreed").status_code == 302
    assert stored()["verifications"] == 1


def test_a_submission_awaiting_a_decision_is_not_for_verifiers(assessing, browser_of):
    assert submit_through_page(browser_of(assessing.learner),
                               assessing.enrolment).status_code == 302
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert browser_of(assessing.verifier).get(f"/verify/{submission.id}").status_code == 404
    page = browser_of(assessing.admin).get(f"/verify/{submission.id}")
    assert "awaiting a decision: there is nothing to verify yet" in text_of(page)


def test_only_verifiers_and_administrators(assessing, browser_of, decided):
    for person in (assessing.tutor, assessing.learner):
        browser = browser_of(person)
        assert browser.get("/verify").status_code == 403
        assert browser.get(f"/verify/{decided.id}").status_code == 403
    assert browser_of(assessing.admin).get("/verify").status_code == 200


def test_a_verification_post_without_the_csrf_token_is_refused(assessing, browser_of,
                                                               decided):
    response = browser_of(assessing.verifier).post(f"/verify/{decided.id}",
                                                   data={"outcome": "agreed"})
    assert response.status_code == 400
    assert stored()["verifications"] == 0
