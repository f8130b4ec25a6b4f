"""The learner's practice-assessment page: the task, their standing, and submitting evidence
with the signed declaration through the page (multipart, as a browser sends it); refusals
shown by the fields with nothing stored; only the enrolment's own learner."""

import re

import pytest
from assessment_pages_support import (
    ASSESSMENT,
    CRITERIA,
    PDF,
    page_of,
    stored,
    submission_url,
    submit_through_page,
    text_of,
)

from lms.assessment.rules import DECLARATION

pytest_plugins = ["assessment_pages_fixtures"]


def test_the_page_shows_the_task_the_declaration_and_the_limits(assessing, browser_of):
    response = browser_of(assessing.learner).get(submission_url(assessing.enrolment))
    assert response.status_code == 200
    text, page = text_of(response), page_of(response)
    assert page.count("<h1>") == 1
    assert "<h1>Practice assessment: Case study on reducing restrictions" in page
    for code in CRITERIA:
        assert f"{code} " in text
    assert DECLARATION in text
    assert "You have not submitted evidence yet." in text
    assert re.search(r"Your evidence is due by \w+day \d+ \w+ \d{4}", text)
    # The limits next to the file field, and what it takes.
    assert "up to 10 files, each up to 20 MB, 60 MB in all" in text
    assert ("Types taken: PDF, Word, OpenDocument, Excel, CSV, PowerPoint, plain text, PNG, "
            "JPEG") in text
    file_input = re.search(r'<input[^>]*type="file"[^>]*>', page).group(0)
    assert " multiple " in file_input and 'accept=".pdf,.doc,' in file_input
    assert 'aria-describedby="files-hint"' in page
    # Every control has a visible label.
    for control in ("files", "note", "confirm", "signed_name"):
        assert f'<label for="{control}"' in page
    assert "I confirm this declaration" in text


def test_the_learner_submits_evidence_and_the_api_shows_it(assessing, browser_of, client,
                                                           auth):
    browser = browser_of(assessing.learner)
    response = submit_through_page(browser, assessing.enrolment, note="See section 2.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(submission_url(assessing.enrolment))

    page = browser.get(submission_url(assessing.enrolment))
    text = text_of(page)
    assert "Your evidence is submitted (attempt 1, 1 file)" in text
    assert "Attempt 1: Awaiting decision" in text
    assert "case_study.pdf" in text and "See section 2." in text
    assert "awaiting a decision: only one submission may await a decision" in text
    assert "Submit evidence" not in text  # no form while one awaits a decision

    api = client.get(f"/api/v1/enrolments/{assessing.enrolment.id}/submissions",
                     headers=auth(assessing.learner))
    [submission] = api.get_json()
    assert submission["activity"] == ASSESSMENT and submission["attempt"] == 1
    assert submission["status"] == "awaiting-decision"
    assert submission["signed_name"] == "Alex Morgan"
    assert submission["declaration"] == DECLARATION
    assert submission["note"] == "See section 2."
    [evidence] = submission["files"]
    assert evidence["filename"] == "case_study.pdf" and evidence["size"] == len(PDF)
    # The download link on the page is the API's file.
    assert evidence["url"] in page_of(page)
    download = browser.get(evidence["url"])
    assert download.status_code == 200 and download.data == PDF
    download.close()


def test_several_files_in_one_submission(assessing, browser_of):
    response = submit_through_page(
        browser_of(assessing.learner), assessing.enrolment,
        files=[(PDF, "audit.pdf"), (b"My reflections.\n", "reflections.txt")])
    assert response.status_code == 302
    assert stored()["files"] == 2


@pytest.mark.parametrize(("name", "content", "status", "message"), [
    ("plan.exe", b"MZ...", 415, "'plan.exe' is not a type of evidence Pathway takes"),
    ("plan.pdf", b"not a pdf at all", 415,
     "'plan.pdf' is named as a PDF document but its content is not one"),
])
def test_a_file_refused_by_type_is_shown_by_the_field_and_nothing_is_stored(
        assessing, browser_of, name, content, status, message):
    before = stored()
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   files=[(content, name)])
    assert response.status_code == status
    page = page_of(response)
    error = re.search(r'<p class="error" id="files-error">([^<]*)</p>', page)
    assert error and message in error.group(1).replace("&#39;", "'")
    assert re.search(r'<input[^>]*aria-describedby="files-hint files-error"[^>]*'
                     r'aria-invalid="true"', page) or \
        re.search(r'<input[^>]*aria-invalid="true"[^>]*id="files"', page)
    assert "Nothing was saved" in text_of(response)
    assert stored() == before


def test_without_the_declaration_ticked_it_is_refused(assessing, browser_of):
    before = stored()
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   confirm=False)
    assert response.status_code == 422
    page = page_of(response)
    error = re.search(r'<p class="error" id="confirm-error">([^<]*)</p>', page)
    assert error and "I confirm this declaration" in error.group(1)
    assert 'aria-describedby="declaration-text confirm-error"' in page
    assert stored() == before


def test_a_signature_that_is_not_the_learners_name_is_refused(assessing, browser_of):
    before = stored()
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   signed_name="Somebody Else")
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="signed_name-error">([^<]*)</p>',
                      page_of(response))
    assert error and "Sign with your name as on your account" in error.group(1)
    assert stored() == before


def test_no_file_chosen_is_refused_by_the_field(assessing, browser_of):
    # A browser sends an empty, nameless part for a file input with nothing chosen.
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   files=[(b"", "")])
    assert response.status_code == 422
    assert re.search(r'id="files-error">Send at least one evidence file', page_of(response))
    assert stored()["submissions"] == 0


def test_only_the_enrolments_own_learner_sees_the_page(assessing, browser_of):
    url = submission_url(assessing.enrolment)
    assert browser_of(assessing.other_learner).get(url).status_code == 404
    # The tutor may see the enrolment, but this page is the learner's.
    assert browser_of(assessing.tutor).get(url).status_code == 403
    assert browser_of(assessing.learner).get(
        submission_url(assessing.enrolment, "no-such-activity")).status_code == 404
    response = submit_through_page(browser_of(assessing.learner), assessing.other_enrolment)
    assert response.status_code == 404
    assert stored()["submissions"] == 0


def test_an_activity_that_takes_no_evidence_is_a_conflict(assessing, browser_of):
    url = submission_url(assessing.enrolment,
                         "u1-live-webinar-understanding-restrictive-practices")
    assert browser_of(assessing.learner).get(url).status_code == 409


def test_anonymous_visitors_are_sent_to_sign_in(assessing, client):
    response = client.get(submission_url(assessing.enrolment))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_post_without_the_csrf_token_is_refused(assessing, browser_of):
    response = submit_through_page(browser_of(assessing.learner), assessing.enrolment,
                                   token=False)
    assert response.status_code == 400
    assert stored()["submissions"] == 0
