"""The whole practice-assessment flow through the API: submit, decide "not yet met",
resubmit, decide "met", verify; each step recorded in the LRS; progress follows the
decisions."""

import hashlib

from assessment_support import ASSESSMENT, CRITERIA, DOCX, PDF, all_met, not_yet_met

from lms.assessment.rules import DECLARATION

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests

SUBMIT = "http://activitystrea.ms/schema/1.0/submit"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
REVIEWED = "http://id.tincanapi.com/verb/reviewed"
BASE = "http://pathway.test"


def _status(client, headers, people, slug=ASSESSMENT):
    response = client.get(f"/api/v1/enrolments/{people.enrolment.id}/progress",
                          headers=headers(people.learner))
    assert response.status_code == 200, response.get_data(as_text=True)
    for unit in response.get_json()["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == slug:
                return activity["status"]
    raise AssertionError(slug)


def test_the_declaration_is_published(client, people, headers):
    response = client.get("/api/v1/assessment/declaration", headers=headers(people.learner))
    assert response.status_code == 200
    assert response.get_json()["text"] == DECLARATION
    assert DECLARATION.startswith("This is my own work.")


def test_submit_decide_resubmit_decide_verify(client, people, headers, submit, decide, verify,
                                              lrs_statements):
    # 1. The learner submits two files with the signed declaration.
    response = submit([(PDF, "case study.pdf"), (DOCX, "../../action plan.docx")],
                      note="Consent obtained.")
    assert response.status_code == 201, response.get_data(as_text=True)
    first = response.get_json()
    assert first["attempt"] == 1 and first["status"] == "awaiting-decision"
    assert first["on_time"] is True and first["due_date"] == "2027-12-02"
    assert first["signed_name"] == "Alex Morgan" and first["declaration"] == DECLARATION
    assert [f["filename"] for f in first["files"]] == ["case_study.pdf", "action_plan.docx"]
    assert first["files"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert first["files"][0]["content_type"] == "application/pdf"
    assert _status(client, headers, people) == "started"

    # It is in the tutor's queue, not in the other tutor's.
    queue = client.get("/api/v1/assessment/queue", headers=headers(people.tutor)).get_json()
    assert [s["id"] for s in queue["items"]] == [first["id"]]
    other = client.get("/api/v1/assessment/queue", headers=headers(people.other_tutor))
    assert other.get_json()["items"] == []

    # 2. The tutor decides: 1.5 not yet met.
    response = decide(first["id"], not_yet_met("1.5"))
    assert response.status_code == 201, response.get_data(as_text=True)
    decided = response.get_json()
    assert decided["outcome"] == "not-yet-met" and decided["assessor"]["name"] == "Sam Okafor"
    assert [(d["code"], d["decision"]) for d in decided["decisions"]] == [
        ("1.1", "met"), ("1.3", "met"), ("1.5", "not-yet-met"), ("1.6", "met")]
    assert decided["feedback"] == "Overall: good work."
    assert _status(client, headers, people) == "failed"

    # 3. The learner resubmits (the original was on time).
    response = submit([(PDF, "case study v2.pdf")])
    assert response.status_code == 201, response.get_data(as_text=True)
    second = response.get_json()
    assert second["attempt"] == 2 and second["on_time"] is True

    # 4. The tutor decides: all met.
    response = decide(second["id"], all_met())
    assert response.status_code == 201
    assert response.get_json()["outcome"] == "met"
    assert _status(client, headers, people) == "passed"

    # 5. An internal verifier verifies the decision.
    response = verify(second["id"], "agreed", "Sound judgement.")
    assert response.status_code == 201, response.get_data(as_text=True)
    verification = response.get_json()
    assert verification["outcome"] == "agreed" and verification["verifier"]["name"] == "Morgan Lee"

    # The learner sees both attempts with decisions and verification.
    mine = client.get(f"/api/v1/enrolments/{people.enrolment.id}/submissions",
                      headers=headers(people.learner)).get_json()
    assert [(s["attempt"], s["status"]) for s in mine] == [(1, "not-yet-met"), (2, "met")]
    assert mine[1]["verifications"][0]["comment"] == "Sound judgement."
    assert _status(client, headers, people) == "passed"

    # Every step is a statement in the LRS, in the learner's registration.
    statements = lrs_statements(registration=people.enrolment.registration)
    by_verb = {}
    for statement in statements:
        by_verb.setdefault(statement["verb"]["id"], []).append(statement)
    assert len(by_verb[SUBMIT]) == 2 and len(by_verb[FAILED]) == 1
    assert len(by_verb[PASSED]) == 1 and len(by_verb[REVIEWED]) == 1

    submitted = next(s for s in by_verb[SUBMIT] if s["id"] == first["statement_id"])
    assert submitted["verb"]["display"] == {"en-GB": "submitted"}
    assert submitted["actor"]["account"]["name"] == people.learner.public_id
    assert submitted["object"]["id"] == f"{BASE}/activities/{ASSESSMENT}"
    assert submitted["authority"]["account"]["name"] == "pathway"
    assert submitted["context"]["contextActivities"]["parent"][0]["id"] == \
        f"{BASE}/units/principles-of-restrictive-practice-reduction"
    extensions = submitted["result"]["extensions"]
    assert extensions[f"{BASE}/xapi/extensions/attempt"] == 1
    assert extensions[f"{BASE}/xapi/extensions/evidence"] == [
        {"name": "case_study.pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()},
        {"name": "action_plan.docx", "size": len(DOCX),
         "sha256": hashlib.sha256(DOCX).hexdigest()}]

    failed = by_verb[FAILED][0]
    assert failed["id"] == decided["decision_statement_id"]
    assert failed["result"]["success"] is False
    assert failed["context"]["instructor"]["account"]["name"] == people.tutor.public_id
    assert failed["context"]["statement"] == {"objectType": "StatementRef",
                                              "id": first["statement_id"]}
    assert failed["result"]["extensions"][f"{BASE}/xapi/extensions/criteria"] == [
        {"code": c, "decision": "not-yet-met" if c == "1.5" else "met"} for c in CRITERIA]

    passed = by_verb[PASSED][0]
    assert passed["result"]["success"] is True and passed["result"]["completion"] is True
    assert passed["result"]["extensions"][f"{BASE}/xapi/extensions/attempt"] == 2

    reviewed = by_verb[REVIEWED][0]
    assert reviewed["id"] == verification["statement_id"]
    assert reviewed["actor"]["account"]["name"] == people.verifier.public_id
    assert reviewed["object"] == {"objectType": "StatementRef", "id": passed["id"]}
    assert reviewed["result"]["success"] is True


def test_an_admin_may_decide_and_an_action_required_verification_is_recorded(
        client, people, headers, submit, decide, verify, lrs_statements):
    submission = submit().get_json()
    assert decide(submission["id"], all_met(), user=people.admin).status_code == 201
    response = verify(submission["id"], "action-required", "Feedback on 1.6 is too thin.")
    assert response.status_code == 201
    reviewed = lrs_statements(verb=REVIEWED)
    assert [s["result"]["success"] for s in reviewed] == [False]
    detail = client.get(f"/api/v1/submissions/{submission['id']}",
                        headers=headers(people.learner)).get_json()
    assert detail["assessor"]["name"] == "Priya Shah"
    assert detail["verifications"][0]["outcome"] == "action-required"
