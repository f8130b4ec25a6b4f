"""Withdrawal (an administrator or the learner's organisation's manager, with a reason, once)
and deferral to a later intake of the same qualification (administrators), each kept in the
enrolment's history; every refusal changes nothing."""

from datetime import date, timedelta

import pytest
from changes_support import fields, problem

from lms.catalogue.models import Qualification
from lms.enrolment.changes import london_today
from lms.enrolment.models import Intake
from lms.enrolment.operations import add_months

pytest_plugins = ["changes_fixtures"]


def url(enrolment, action):
    return f"/api/v1/enrolments/{enrolment.id}/{action}"


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_withdrawal_by_an_admin_or_the_organisations_manager(client, db, auth, world, who):
    response = client.post(url(world.enrolment, "withdrawal"), headers=auth(getattr(world, who)),
                           json={"reason": "  Left the employer  "})
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "withdrawn"
    assert response.json["reason"] == "Left the employer"
    assert response.json["details"] == {"from": {"status": "pending"},
                                        "to": {"status": "withdrawn"}}
    assert response.json["made_by"]["id"] == getattr(world, who).public_id
    db.session.refresh(world.enrolment)
    assert world.enrolment.status == "withdrawn"

    history = client.get(url(world.enrolment, "changes"), headers=auth(world.learner))
    assert [c["kind"] for c in history.json["items"]] == ["withdrawn"]


def test_withdrawing_twice_is_409_with_nothing_changed(client, auth, world, snapshot):
    headers = auth(world.admin)
    client.post(url(world.enrolment, "withdrawal"), headers=headers, json={"reason": "Left"})
    before = snapshot()
    body = problem(client.post(url(world.enrolment, "withdrawal"), headers=headers,
                               json={"reason": "Again"}), 409)
    assert "withdrawn" in body["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(("who", "body", "status", "field"), [
    ("admin", {}, 422, "reason"),
    ("admin", {"reason": "   "}, 422, "reason"),
    ("admin", {"reason": 7}, 422, "reason"),
    ("admin", {"reason": "x" * 1001}, 422, "reason"),
    ("other_manager", {"reason": "Not theirs"}, 404, None),  # cannot even see it
    ("tutor", {"reason": "Tutors do not withdraw"}, 403, None),
    ("learner", {"reason": "Learners ask their manager"}, 403, None),
])
def test_withdrawal_refusals_change_nothing(client, auth, world, snapshot, who, body, status,
                                            field):
    before = snapshot()
    answer = problem(client.post(url(world.enrolment, "withdrawal"),
                                 headers=auth(getattr(world, who)), json=body), status)
    if field:
        assert fields(answer) == {field}
    assert snapshot() == before


def test_a_manager_cannot_withdraw_a_learner_outside_their_organisation(
        client, db, auth, world, make_user, snapshot):
    # A manager who is also this individual learner's tutor sees the enrolment, but the
    # learner is not of their organisation.
    manager = make_user("org_manager", "tutor", organisation=world.riverside)
    world.individual.tutor_id = manager.id
    db.session.commit()
    before = snapshot()
    body = problem(client.post(url(world.individual, "withdrawal"), headers=auth(manager),
                               json={"reason": "Not mine"}), 403)
    assert "organisation" in body["detail"]
    assert snapshot() == before


def test_a_withdrawal_unknown_enrolment_is_404(client, auth, world):
    problem(client.post("/api/v1/enrolments/99999/withdrawal", headers=auth(world.admin),
                        json={"reason": "?"}), 404)


def test_deferral_moves_the_enrolment_to_the_later_intake(client, db, auth, world):
    registration = world.enrolment.registration
    response = client.post(url(world.enrolment, "deferral"), headers=auth(world.admin),
                           json={"intake": world.later.id, "reason": "Maternity leave"})
    assert response.status_code == 201, response.json
    change = response.json
    assert change["kind"] == "deferred" and change["reason"] == "Maternity leave"
    later_start = world.later.start_date
    assert change["details"]["from"]["intake"] == world.intake.id
    assert change["details"]["from"]["cohort"] == world.cohort.id
    assert change["details"]["to"] == {
        "intake": world.later.id, "start_date": later_start.isoformat(),
        "window_ends": add_months(later_start, 18).isoformat(), "status": "pending",
        "cohort": None}
    db.session.refresh(world.enrolment)
    assert world.enrolment.intake_id == world.later.id
    assert world.enrolment.start_date == later_start
    assert world.enrolment.registration == registration  # the learning so far still counts
    assert world.enrolment.status == "pending"


def test_deferral_to_an_intake_already_started_makes_the_enrolment_active(
        client, db, auth, world, make_intake):
    # An active learner on an intake that started long ago, deferred to one that has started.
    started = make_intake(-30)
    world.enrolment.intake = world.earlier
    world.enrolment.start_date = world.earlier.start_date
    world.enrolment.status = "active"
    db.session.commit()
    response = client.post(url(world.enrolment, "deferral"), headers=auth(world.admin),
                           json={"intake": started.id, "reason": "Illness"})
    assert response.status_code == 201, response.json
    db.session.refresh(world.enrolment)
    assert world.enrolment.status == "active"
    assert world.enrolment.start_date == started.start_date
    assert started.start_date < london_today()


def test_deferral_across_a_month_end_and_a_leap_day(client, db, auth, world):
    """Windows of 18 months from 31 August 2025 and 29 February 2024 (add_months clamps)."""
    for start, ends in ((date(2025, 8, 31), date(2027, 2, 28)),
                        (date(2024, 2, 29), date(2025, 8, 29))):
        world.enrolment.intake = world.earlier
        world.enrolment.status = "active"
        world.earlier.start_date = start - timedelta(days=100)
        target = Intake(qualification=world.intake.qualification, name=str(start),
                        start_date=start)
        db.session.add(target)
        db.session.commit()
        response = client.post(url(world.enrolment, "deferral"), headers=auth(world.admin),
                               json={"intake": target.id, "reason": "Dates"})
        assert response.status_code == 201, response.json
        assert response.json["details"]["to"]["window_ends"] == ends.isoformat()


@pytest.fixture
def other_qualification_intake(db, world):
    other = Qualification(slug="other", title="Another qualification", credits=10,
                          hours=100, months_to_complete=12)
    intake = Intake(qualification=other, name="Other", start_date=world.later.start_date)
    db.session.add_all([other, intake])
    db.session.commit()
    return intake


@pytest.mark.parametrize(("target", "who", "status", "field"), [
    ("earlier", "admin", 422, "intake"),
    ("intake", "admin", 422, "intake"),             # the same intake
    ("other_qualification", "admin", 422, "intake"),
    ("missing", "admin", 422, "intake"),
    ("string", "admin", 422, "intake"),
    ("later", "manager", 403, None),                 # deferral is for administrators
    ("later", "tutor", 403, None),
])
def test_deferral_refusals_change_nothing(client, auth, world, snapshot,
                                          other_qualification_intake, target, who, status,
                                          field):
    intake = {"earlier": world.earlier.id, "intake": world.intake.id, "later": world.later.id,
              "other_qualification": other_qualification_intake.id, "missing": 99999,
              "string": "later"}[target]
    before = snapshot()
    body = problem(client.post(url(world.enrolment, "deferral"),
                               headers=auth(getattr(world, who)),
                               json={"intake": intake, "reason": "Because"}), status)
    if field:
        assert fields(body) == {field}
    assert snapshot() == before


def test_a_withdrawn_enrolment_cannot_be_deferred(client, db, auth, world, snapshot):
    world.enrolment.status = "withdrawn"
    db.session.commit()
    before = snapshot()
    problem(client.post(url(world.enrolment, "deferral"), headers=auth(world.admin),
                        json={"intake": world.later.id, "reason": "Too late"}), 409)
    assert snapshot() == before


def test_deferral_to_an_intake_the_learner_is_already_on_is_refused(
        client, db, auth, world, snapshot):
    from lms.enrolment.operations import enrol

    enrol(world.learner, world.later)
    db.session.commit()
    before = snapshot()
    body = problem(client.post(url(world.enrolment, "deferral"), headers=auth(world.admin),
                               json={"intake": world.later.id, "reason": "Twice"}), 422)
    assert fields(body) == {"intake"}
    assert snapshot() == before
