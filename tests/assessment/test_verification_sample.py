"""The internal verification sample: decided, unverified submissions spread across
(assessor, unit) groups, newer assessors and "not yet met" first, never the caller's own; for
internal verifiers and administrators only."""

from datetime import UTC, date, datetime, timedelta

import pytest
from assessment_support import problem
from sqlalchemy import select

from lms.assessment.models import Submission, Verification
from lms.catalogue.models import Activity, Unit
from lms.extensions import db

T0 = datetime(2026, 9, 1, 10, tzinfo=UTC)


def _assessment(catalogue, unit_number: int) -> Activity:
    return db.session.execute(
        select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Unit.qualification_id == catalogue.id, Unit.number == unit_number,
               Activity.type == "assessment").order_by(Activity.position).limit(1)).scalar_one()


@pytest.fixture
def decisions(catalogue, make_user, enrol):
    """Decisions by an experienced tutor (4), a new tutor (1) and the caller (1); the caller
    and the experienced tutor are internal verifiers too."""
    experienced = make_user("tutor", "verifier", name="Experienced")
    new = make_user("tutor", name="New")
    caller = make_user("tutor", "verifier", name="Caller")
    unit1, unit2 = _assessment(catalogue, 1), _assessment(catalogue, 2)
    made = {}

    def add(name, assessor, task, outcome, hours, verified=False):
        learner = make_user("learner", name=f"Learner {name}")
        submission = Submission(
            enrolment=enrol(learner, tutor=assessor), activity=task, attempt=1,
            declaration="d", signed_name=learner.name, submitted_at=T0, due_date=date(2027, 1, 1),
            on_time=True, outcome=outcome, assessor=assessor if outcome else None,
            assessed_at=T0 + timedelta(hours=hours) if outcome else None, statement_id=None)
        db.session.add(submission)
        if verified:
            db.session.add(Verification(submission=submission, verifier=caller,
                                        outcome="agreed"))
        db.session.commit()
        made[name] = submission.id

    add("old met", experienced, unit1, "met", 1)
    add("not yet met", experienced, unit1, "not-yet-met", 5)
    add("unit 2", experienced, unit2, "met", 2)
    add("verified", experienced, unit1, "met", 0, verified=True)
    add("new tutor's", new, unit1, "met", 3)
    add("caller's own", caller, unit1, "met", 4)
    add("undecided", experienced, unit1, None, 0)
    return caller, made


def _sample(client, auth, user, size):
    response = client.get("/api/v1/assessment/sample", query_string={"size": size},
                          headers=auth(user))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_sample_follows_the_rule(client, auth, decisions):
    caller, made = decisions
    names = {v: k for k, v in made.items()}
    answer = _sample(client, auth, caller, 3)
    assert [names[s["id"]] for s in answer["items"]] == ["new tutor's", "not yet met", "unit 2"]
    assert "round-robin" in answer["rule"]
    answer = _sample(client, auth, caller, 10)
    assert [names[s["id"]] for s in answer["items"]] == [
        "new tutor's", "not yet met", "unit 2", "old met"]


def test_the_sample_never_holds_the_callers_own_decisions(client, auth, decisions, make_user):
    caller, made = decisions
    experienced = db.session.get(Submission, made["old met"]).assessor
    ids = {s["id"] for s in _sample(client, auth, experienced, 100)["items"]}
    assert ids == {made["new tutor's"], made["caller's own"]}


@pytest.mark.parametrize("roles", [("learner",), ("tutor",), ("org_manager",)])
def test_only_internal_verifiers_and_admins_sample(client, auth, make_user, decisions, roles):
    response = client.get("/api/v1/assessment/sample", headers=auth(make_user(*roles)))
    assert "admin, verifier" in problem(response, 403)["detail"]


def test_a_verifier_or_an_admin_samples_every_decision_not_their_own(client, auth, make_user,
                                                                     decisions):
    _, made = decisions
    expected = {made[name] for name in ("old met", "not yet met", "unit 2", "new tutor's",
                                        "caller's own")}
    for user in (make_user("verifier"), make_user("admin")):
        assert {s["id"] for s in _sample(client, auth, user, 100)["items"]} == expected


@pytest.mark.parametrize("size", [0, 101, "many"])
def test_a_bad_size_is_422(client, auth, make_user, size):
    response = client.get("/api/v1/assessment/sample", query_string={"size": size},
                          headers=auth(make_user("verifier")))
    assert any(e["field"].endswith("size") for e in problem(response, 422)["errors"])
