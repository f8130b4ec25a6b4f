"""Deciding and verifying: who may, what a decision must cover, finality; each refusal clear
and changing nothing."""

import pytest
from assessment_support import CRITERIA, all_met, not_yet_met, problem

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests


@pytest.fixture
def submission(submit):
    response = submit()
    assert response.status_code == 201
    return response.get_json()


def _refused(stored_state, response_of, status) -> dict:
    before = stored_state()
    body = problem(response_of(), status)
    assert stored_state() == before
    return body


def test_a_tutor_who_does_not_tutor_the_learner_cannot_decide(submission, decide, people,
                                                              stored_state):
    body = _refused(stored_state,
                    lambda: decide(submission["id"], all_met(), user=people.other_tutor), 403)
    assert "not the tutor of Alex Morgan" in body["detail"]


def test_a_learner_cannot_decide(submission, decide, people, stored_state):
    _refused(stored_state, lambda: decide(submission["id"], all_met(), user=people.learner),
             403)


def test_a_tutor_cannot_decide_on_their_own_submission(make_user, enrol, auth, client,
                                                       people, stored_state):
    from io import BytesIO

    from assessment_support import ASSESSMENT, PDF

    from lms.assessment.rules import DECLARATION

    both = make_user("learner", "tutor", name="Tess Both")
    enrolment = enrol(both, tutor=both)
    heads = auth(both)
    response = client.post(
        f"/api/v1/enrolments/{enrolment.id}/activities/{ASSESSMENT}/submissions",
        data={"files": [(BytesIO(PDF), "a.pdf")], "declaration": DECLARATION,
              "signed_name": "Tess Both"}, headers=heads, content_type="multipart/form-data")
    assert response.status_code == 201
    sid = response.get_json()["id"]
    body = _refused(stored_state, lambda: client.post(
        f"/api/v1/submissions/{sid}/decision", json={"criteria": all_met()}, headers=heads),
        403)
    assert "your own submission" in body["detail"]


def test_an_unknown_submission_is_404(decide, stored_state):
    _refused(stored_state, lambda: decide(999999, all_met()), 404)


def test_unknown_and_missing_criteria_are_named(submission, decide, stored_state):
    criteria = [c for c in all_met() if c["code"] != "1.6"]
    criteria.append({"code": "9.9", "decision": "met"})
    body = _refused(stored_state, lambda: decide(submission["id"], criteria), 422)
    details = " ".join(e["detail"] for e in body["errors"])
    assert "['9.9'] are not criteria" in details and "no decision given for ['1.6']" in details
    assert {e["field"] for e in body["errors"]} == {"criteria"}


def test_a_criterion_decided_twice_is_422(submission, decide, stored_state):
    criteria = all_met() + [{"code": "1.1", "decision": "not-yet-met", "feedback": "x"}]
    body = _refused(stored_state, lambda: decide(submission["id"], criteria), 422)
    assert "['1.1'] appear more than once" in body["detail"]


def test_not_yet_met_needs_feedback_for_that_criterion(submission, decide, stored_state):
    criteria = not_yet_met("1.3")
    criteria[1]["feedback"] = " "
    body = _refused(stored_state, lambda: decide(submission["id"], criteria), 422)
    assert body["errors"] == [{"field": "criteria[1].feedback",
                               "detail": "say what is still needed for criterion 1.3"}]


@pytest.mark.parametrize("body", [
    {"feedback": "no criteria"},
    {"criteria": []},
    {"criteria": [{"code": "1.1", "decision": "excellent"}]},
    {"criteria": "all met"},
])
def test_malformed_decisions_are_422(submission, client, people, headers, stored_state, body):
    response = lambda: client.post(f"/api/v1/submissions/{submission['id']}/decision",  # noqa: E731
                                   json=body, headers=headers(people.tutor))
    problem_body = _refused(stored_state, response, 422)
    assert any(e["field"].endswith("criteria") or "criteria" in e["field"]
               for e in problem_body["errors"])


def test_a_decision_is_final(submission, decide, stored_state):
    assert decide(submission["id"], not_yet_met()).status_code == 201
    body = _refused(stored_state, lambda: decide(submission["id"], all_met()), 409)
    assert "already decided (not-yet-met)" in body["detail"] and "final" in body["detail"]


def test_the_outcome_is_met_only_when_every_criterion_is_met(submission, decide):
    criteria = all_met()
    criteria[-1] = {"code": CRITERIA[-1], "decision": "not-yet-met", "feedback": "More."}
    assert decide(submission["id"], criteria).get_json()["outcome"] == "not-yet-met"


def test_if_the_lrs_fails_the_decision_is_taken_back(submission, decide, stored_state,
                                                     monkeypatch):
    def failing(statements):
        raise RuntimeError("the LRS is down")

    monkeypatch.setattr("lms.assessment.statements.record_statements", failing)
    before = stored_state()
    assert decide(submission["id"], all_met()).status_code == 500
    assert stored_state() == before
    monkeypatch.undo()
    assert decide(submission["id"], all_met()).status_code == 201  # and it can be made again


# ---- verification -------------------------------------------------------------------------

@pytest.fixture
def decided(submission, decide):
    assert decide(submission["id"], all_met()).status_code == 201
    return submission


def test_the_assessor_cannot_verify_their_own_decision(decided, verify, people, db,
                                                       stored_state):
    from lms.people.operations import set_roles

    set_roles(people.tutor, ["tutor", "verifier"])  # an assessor who is also a verifier
    db.session.commit()
    body = _refused(stored_state, lambda: verify(decided["id"], user=people.tutor), 403)
    assert "You made this decision" in body["detail"]


@pytest.mark.parametrize("who", ["tutor", "other_tutor", "org_manager"])
def test_only_internal_verifiers_and_admins_verify(decided, verify, people, make_user, who,
                                                   stored_state):
    user = make_user("org_manager") if who == "org_manager" else getattr(people, who)
    body = _refused(stored_state, lambda: verify(decided["id"], user=user), 403)
    assert "admin, verifier" in body["detail"]


def test_the_verifier_check_holds_without_the_route(decided, people, db):
    """The operation itself refuses a plain tutor, whatever route calls it."""
    from lms.assessment.decisions import verify as verify_decision
    from lms.assessment.models import Submission
    from lms.errors import Forbidden

    with pytest.raises(Forbidden, match="internal verifier"):
        verify_decision(people.other_tutor, db.session.get(Submission, decided["id"]),
                        "agreed", "")


def test_an_admin_who_made_the_decision_cannot_verify_it(submission, decide, verify, people,
                                                         stored_state):
    decide(submission["id"], all_met(), user=people.admin)
    _refused(stored_state, lambda: verify(submission["id"], user=people.admin), 403)


def test_a_learner_cannot_verify(decided, verify, people, stored_state):
    _refused(stored_state, lambda: verify(decided["id"], user=people.learner), 403)


def test_action_required_needs_a_comment(decided, verify, stored_state):
    body = _refused(stored_state, lambda: verify(decided["id"], "action-required", "  "), 422)
    assert body["errors"] == [{"field": "comment", "detail": "say what action is required"}]


def test_an_unknown_verification_outcome_is_422(decided, verify, stored_state):
    body = _refused(stored_state, lambda: verify(decided["id"], "fine"), 422)
    assert body["errors"][0]["field"].endswith("outcome")


def test_nothing_to_verify_before_a_decision(submission, verify, stored_state):
    body = _refused(stored_state, lambda: verify(submission["id"]), 409)
    assert "awaiting a decision" in body["detail"]


def test_an_admin_may_verify_a_tutors_decision(decided, verify, people):
    assert verify(decided["id"], user=people.admin).status_code == 201


def test_an_internal_verifier_verifies_a_tutors_decision(decided, verify, people):
    response = verify(decided["id"], "agreed", "Sound.")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["verifier"]["name"] == "Morgan Lee"
