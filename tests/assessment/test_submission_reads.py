"""Reading submissions: who sees which, the tutor's queue, evidence downloads, and the
assessment type's launch and completion hooks."""

from datetime import UTC, datetime, timedelta

import pytest
from assessment_support import ASSESSMENT, PDF, PNG, all_met, problem

from activities.base import FAILED, PASSED, PROGRESSED, Event

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests


@pytest.fixture
def submission(submit):
    response = submit([(PDF, "audit.pdf"), (PNG, "<script>.png")])
    assert response.status_code == 201
    return response.get_json()


def _get(client, headers, user, url):
    return client.get(url, headers=headers(user), buffered=True)


def test_who_sees_a_submission(client, headers, people, submission, make_user, decide):
    from lms.enrolment.models import Organisation
    from lms.extensions import db

    url = f"/api/v1/submissions/{submission['id']}"
    for user in (people.learner, people.tutor, people.admin):
        assert _get(client, headers, user, url).get_json()["id"] == submission["id"]
    for user in (people.other_learner, people.other_tutor, people.verifier):
        assert "no submission" in problem(_get(client, headers, user, url), 404)["detail"]

    riverside = Organisation(slug="riverside", name="Riverside Care")
    db.session.add(riverside)
    db.session.commit()
    people.learner.organisation_id = riverside.id
    db.session.commit()
    manager = make_user("org_manager", organisation=riverside)
    assert _get(client, headers, manager, url).status_code == 200
    elsewhere = make_user("org_manager")
    problem(_get(client, headers, elsewhere, url), 404)

    # Once decided, an internal verifier may read it, to verify it; other tutors still not.
    decide(submission["id"], all_met())
    assert _get(client, headers, people.verifier, url).status_code == 200
    problem(_get(client, headers, people.other_tutor, url), 404)
    problem(_get(client, headers, people.other_learner, url), 404)


def test_another_tutor_cannot_read_a_decided_submission_or_its_files(
        client, headers, people, submission, decide):
    """A tutor sees their own learners' submissions only, decided or not."""
    assert decide(submission["id"], all_met()).status_code == 201
    url = f"/api/v1/submissions/{submission['id']}"
    problem(_get(client, headers, people.other_tutor, url), 404)
    for evidence_file in submission["files"]:
        problem(_get(client, headers, people.other_tutor, evidence_file["url"]), 404)
    assert _get(client, headers, people.tutor, submission["files"][0]["url"]).data == PDF


def test_an_internal_verifier_reads_decided_submissions_and_their_files(
        client, headers, people, submission, decide):
    pdf_url = submission["files"][0]["url"]
    problem(_get(client, headers, people.verifier, pdf_url), 404)  # awaiting a decision
    assert decide(submission["id"], all_met()).status_code == 201
    response = _get(client, headers, people.verifier, pdf_url)
    assert response.status_code == 200 and response.data == PDF
    detail = _get(client, headers, people.verifier, f"/api/v1/submissions/{submission['id']}")
    assert detail.get_json()["outcome"] == "met"
    # Not the enrolment itself: a verifier reads decided submissions, nothing else.
    problem(_get(client, headers, people.verifier,
                 f"/api/v1/enrolments/{people.enrolment.id}/submissions"), 404)


def test_the_learners_list_is_theirs_alone(client, headers, people, submission):
    url = f"/api/v1/enrolments/{people.enrolment.id}/submissions"
    assert [s["id"] for s in _get(client, headers, people.learner, url).get_json()] == \
        [submission["id"]]
    problem(_get(client, headers, people.other_learner, url), 404)
    problem(_get(client, headers, people.other_tutor, url), 404)


def test_the_queue_holds_only_submissions_awaiting_a_decision(client, headers, people,
                                                              submission, submit, decide):
    other = submit(user=people.other_learner, enrolment=people.other_enrolment).get_json()
    queue = _get(client, headers, people.tutor, "/api/v1/assessment/queue").get_json()
    assert [s["id"] for s in queue["items"]] == [submission["id"], other["id"]]
    decide(submission["id"], all_met())
    queue = _get(client, headers, people.admin, "/api/v1/assessment/queue").get_json()
    assert [s["id"] for s in queue["items"]] == [other["id"]]
    problem(_get(client, headers, people.learner, "/api/v1/assessment/queue"), 403)


def test_an_evidence_file_downloads_as_an_attachment(client, headers, people, submission):
    pdf, png = submission["files"]
    response = _get(client, headers, people.tutor, pdf["url"])
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=audit.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    response = _get(client, headers, people.learner, png["url"])
    assert response.mimetype == "image/png" and response.data == PNG
    assert png["filename"] == "script.png"


def test_a_file_of_another_submission_or_person_is_404(client, headers, people, submission,
                                                       submit):
    other = submit(user=people.other_learner, enrolment=people.other_enrolment).get_json()
    mixed = f"/api/v1/submissions/{submission['id']}/files/{other['files'][0]['id']}"
    problem(_get(client, headers, people.learner, mixed), 404)
    problem(_get(client, headers, people.other_learner, submission["files"][0]["url"]), 404)


def test_a_file_missing_from_the_store_is_a_clear_404(app, client, headers, people,
                                                      submission):
    from pathlib import Path

    for path in (Path(app.instance_path) / "evidence").iterdir():
        path.unlink()
    body = problem(_get(client, headers, people.learner, submission["files"][0]["url"]), 404)
    assert "missing from the evidence store" in body["detail"]


# ---- the assessment type -------------------------------------------------------------------

def test_launching_an_assessment_gives_the_submission_address(client, headers, people):
    response = client.post(
        f"/api/v1/enrolments/{people.enrolment.id}/activities/{ASSESSMENT}/launch",
        headers=headers(people.learner))
    assert response.status_code == 201, response.get_data(as_text=True)
    launch = response.get_json()
    assert launch["mode"] == "page"
    assert launch["url"] == ("http://pathway.test/api/v1/enrolments/"
                             f"{people.enrolment.id}/activities/{ASSESSMENT}/submissions")
    assert "declaration" in launch["note"] and "case study" in launch["note"]


def _event(kind, minutes, trusted=True):
    return Event(f"s{minutes}", kind, datetime(2026, 9, 1, tzinfo=UTC) +
                 timedelta(minutes=minutes), trusted)


def test_only_trusted_decisions_complete_an_assessment_and_the_latest_stands(app):
    kind = app.extensions["lms.activity_types"]["assessment"]
    config = {"criteria": ["1.1"]}
    assert kind.tracks_in_browser is False and kind.trusted_completion_only is True
    assert kind.completion(config, [_event(PROGRESSED, 0, False),
                                    _event(PASSED, 1, False)]).status == "started"
    assert kind.completion(config, [_event(PROGRESSED, 0), _event(FAILED, 1)]).status == "failed"
    done = kind.completion(config, [_event(FAILED, 1), _event(PROGRESSED, 2),
                                    _event(PASSED, 3)])
    assert done.status == "passed" and done.completed_at == _event(PASSED, 3).happened_at
