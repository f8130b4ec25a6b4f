"""The tutor's assessment pages: the queue of submissions awaiting a decision (their own
learners', oldest first) and deciding per criterion through the page, after which the
learner's page and progress show the outcome; decisions are final; other tutors and learners
are kept out."""

import re

import pytest
from assessment_pages_support import (
    ASSESSMENT,
    CRITERIA,
    PDF,
    all_met_form,
    csrf_token,
    finish_rest_of_unit,
    page_of,
    stored,
    submission_url,
    submit_through_page,
    text_of,
)

from lms.assessment.models import Submission
from lms.extensions import db

pytest_plugins = ["assessment_pages_fixtures"]


@pytest.fixture
def submitted(assessing, browser_of):
    """The learner has submitted evidence through their page; the submission."""
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   note="Please look at the action plan first.")
    assert response.status_code == 302, page_of(response)
    return db.session.execute(db.select(Submission)).scalar_one()


def _decide(browser, submission_id, form_of):
    url = f"/assess/{submission_id}"
    page = browser.get(url)
    assert page.status_code == 200, page_of(page)
    return browser.post(url, data=form_of(csrf_token(page_of(page))))


def _progress_entry(client, auth, learner, enrolment, slug=ASSESSMENT):
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=auth(learner))
    assert response.status_code == 200
    body = response.get_json()
    unit = next(u for u in body["units"] if any(a["slug"] == slug for a in u["activities"]))
    return unit, next(a for a in unit["activities"] if a["slug"] == slug)


def test_the_queue_shows_the_tutors_learners_waiting_oldest_first(
        assessing, browser_of, submitted, make_user, enrol):
    # A second learner of the same tutor submits later.
    later = make_user("learner", name="Casey Brook")
    later_enrolment = enrol(later, tutor=assessing.tutor)
    assert submit_through_page(browser_of(later), later_enrolment).status_code == 302

    response = browser_of(assessing.tutor).get("/assess")
    assert response.status_code == 200
    text = text_of(response)
    assert "2 submissions waiting for a decision from you, oldest first." in text
    assert text.index("Alex Morgan") < text.index("Casey Brook")
    assert "Unit 1: Principles of Restrictive Practice Reduction" in text
    assert "Since today" in text
    assert re.search(r"\w+day \d+ \w+ \d{4}, \d\d:\d\d", text)  # submitted, in London words
    assert f'href="/assess/{submitted.id}"' in page_of(response)
    assert '<caption>' in page_of(response) and 'scope="col"' in page_of(response)

    # Another tutor's queue does not hold them; an administrator's holds everyone's.
    assert "No submissions are waiting for a decision." in text_of(
        browser_of(assessing.other_tutor).get("/assess"))
    assert "2 submissions waiting" in text_of(browser_of(assessing.admin).get("/assess"))


def test_learners_cannot_open_the_queue_or_a_decision(assessing, browser_of, submitted):
    learner = browser_of(assessing.learner)
    assert learner.get("/assess").status_code == 403
    assert learner.get(f"/assess/{submitted.id}").status_code == 403


def test_the_decision_page_shows_the_evidence_and_the_signed_declaration(
        assessing, browser_of, submitted):
    browser = browser_of(assessing.tutor)
    response = browser.get(f"/assess/{submitted.id}")
    assert response.status_code == 200
    text, page = text_of(response), page_of(response)
    assert "Please look at the action plan first." in text
    assert "This is my own work." in text and "Signed Alex Morgan" in text
    [evidence] = submitted.files
    link = f"/api/v1/submissions/{submitted.id}/files/{evidence.id}"
    assert f'href="{link}"' in page
    download = browser.get(link)
    assert download.status_code == 200 and download.data == PDF
    download.close()
    # A fieldset per criterion, with the criterion as its legend, and Met / Not yet met.
    for position, code in enumerate(CRITERIA):
        assert re.search(rf"<legend>{re.escape(code)} [^<]+</legend>", page)
        assert f'<label for="decision_{position}-0">Met</label>' in page
        assert f'<label for="decision_{position}-1">Not yet met</label>' in page
        assert f'<label for="feedback_{position}">' in page
    assert '<label for="feedback">Overall feedback to the learner</label>' in page


def test_the_tutor_decides_all_met_and_the_learner_sees_met_and_the_unit_achieved(
        assessing, browser_of, submitted, client, auth):
    # Everything else in unit 1 is done: this assessment is the unit's last requirement.
    finish_rest_of_unit(assessing.enrolment)
    unit, entry = _progress_entry(client, auth, assessing.learner, assessing.enrolment)
    assert unit["status"] == "in-progress" and entry["status"] == "started"  # submitted

    tutor = browser_of(assessing.tutor)
    response = _decide(tutor, submitted.id, all_met_form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/assess")
    queue = text_of(tutor.get("/assess"))
    assert "Decision recorded for Alex Morgan" in queue and ": met." in queue
    assert "No submissions are waiting for a decision." in queue

    # The API shows the decision...
    body = client.get(f"/api/v1/submissions/{submitted.id}",
                      headers=auth(assessing.learner)).get_json()
    assert body["outcome"] == "met" and body["feedback"] == "A thoughtful case study."
    assert [(d["code"], d["decision"]) for d in body["decisions"]] == \
        [(code, "met") for code in CRITERIA]
    assert body["assessor"]["name"] == "Sam Okafor"
    # ...the progress: the assessment passed and the unit achieved...
    unit, entry = _progress_entry(client, auth, assessing.learner, assessing.enrolment)
    assert entry["status"] == "passed"
    assert unit["status"] == "achieved" and unit["credits_awarded"] == 8
    # ...and so does the learner's page.
    text = text_of(browser_of(assessing.learner).get(submission_url(assessing.enrolment)))
    assert "Unit achieved" in text
    assert "Attempt 1: Met" in text
    assert "Well evidenced." in text and "A thoughtful case study." in text
    assert "This assessment is already met: there is nothing to resubmit." in text
    assert "Submit evidence" not in text


def test_a_decision_is_final_and_shown_read_only(assessing, browser_of, submitted):
    tutor = browser_of(assessing.tutor)
    assert _decide(tutor, submitted.id, all_met_form).status_code == 302
    page = tutor.get(f"/assess/{submitted.id}")
    text = text_of(page)
    assert "A decision is final for the attempt." in text
    assert "Record decision" not in text and "<fieldset>" not in page_of(page)
    assert "decided" in text and "by Sam Okafor" in text
    before = stored()
    again = tutor.post(f"/assess/{submitted.id}", data={
        **all_met_form(csrf_token(page_of(page))), "decision_0": "not-yet-met"})
    assert again.status_code == 302
    assert "already decided: a decision is final" in text_of(
        tutor.get(f"/assess/{submitted.id}"))
    assert stored() == before


def test_not_yet_met_needs_feedback_by_the_criterion(assessing, browser_of, submitted):
    before = stored()

    def form(token):
        data = all_met_form(token)
        data["decision_2"], data["feedback_2"] = "not-yet-met", ""
        return data

    response = _decide(browser_of(assessing.tutor), submitted.id, form)
    assert response.status_code == 422
    page = page_of(response)
    error = re.search(r'<p class="error" id="feedback_2-error">([^<]*)</p>', page)
    assert error and "Say what is still needed for criterion 1.5" in error.group(1)
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="feedback_2"', page)
    # What was chosen is kept.
    assert re.search(r'<input checked[^>]*id="decision_2-1"', page)
    assert stored() == before


def test_every_criterion_needs_a_choice(assessing, browser_of, submitted):
    def form(token):
        data = all_met_form(token)
        del data["decision_1"]
        return data

    response = _decide(browser_of(assessing.tutor), submitted.id, form)
    assert response.status_code == 422
    assert re.search(r'id="decision_1-error">Choose Met or Not yet met for criterion 1.3',
                     page_of(response))
    assert stored()["decisions"] == 0


def test_not_yet_met_lets_the_learner_resubmit_once(assessing, browser_of, submitted):
    def form(token):
        data = all_met_form(token)
        data["decision_2"], data["feedback_2"] = "not-yet-met", "Say which law applies."
        return data

    assert _decide(browser_of(assessing.tutor), submitted.id, form).status_code == 302
    text = text_of(browser_of(assessing.learner).get(submission_url(assessing.enrolment)))
    assert "Attempt 1: Not yet met" in text and "Say which law applies." in text
    assert re.search(r"You may resubmit once: your resubmission is due by \w+day", text)
    assert "Resubmit your evidence" in text


def test_another_tutor_cannot_open_or_post_the_decision_page(assessing, browser_of,
                                                              submitted):
    other = browser_of(assessing.other_tutor)
    assert other.get(f"/assess/{submitted.id}").status_code == 404
    token = csrf_token(page_of(other.get("/assess")))
    assert other.post(f"/assess/{submitted.id}", data=all_met_form(token)).status_code == 404
    assert stored()["decisions"] == 0


def test_an_administrator_may_decide(assessing, browser_of, submitted):
    assert _decide(browser_of(assessing.admin), submitted.id, all_met_form).status_code == 302
    assert stored()["outcomes"] == [(submitted.id, "met")]


def test_a_decision_post_without_the_csrf_token_is_refused(assessing, browser_of, submitted):
    form = all_met_form("")
    del form["csrf_token"]
    assert browser_of(assessing.tutor).post(f"/assess/{submitted.id}",
                                            data=form).status_code == 400
    assert stored()["decisions"] == 0
