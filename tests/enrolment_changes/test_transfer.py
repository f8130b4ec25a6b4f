"""Transfer of a cohort seat to another learner of the same organisation, before the intake
starts (an administrator or that organisation's manager): the old enrolment becomes
`transferred`, the new learner gets a new enrolment (a new registration) in the cohort, and
the application's seat follows."""

from datetime import date
from decimal import Decimal

import pytest
from changes_support import fields, problem
from sqlalchemy import select

from lms.enrolment.applications import Application, EnrolmentChange, Price, Seat
from lms.enrolment.models import Enrolment
from lms.enrolment.operations import enrol

pytest_plugins = ["changes_fixtures"]


@pytest.fixture
def seat(db, world):
    """Riverside's accepted cohort application, the learner in seat 1."""
    price = Price(qualification_id=world.intake.qualification_id, kind="cohort", member=False,
                  net_amount=Decimal("9000.00"), valid_from=date(2025, 1, 1))
    application = Application(intake=world.intake, kind="cohort", applicant=world.manager,
                              organisation=world.riverside, status="accepted", price=price,
                              net_amount=price.net_amount, cohort=world.cohort)
    seat = Seat(application=application, number=1, learner=world.learner,
                enrolment=world.enrolment)
    db.session.add_all([price, application, seat])
    db.session.commit()
    return seat


def transfer(client, auth, world, who="admin", learner=None, reason="Changed roles",
             enrolment=None):
    body = {"learner": learner if learner is not None else world.colleague.public_id,
            "reason": reason}
    return client.post(f"/api/v1/enrolments/{(enrolment or world.enrolment).id}/transfer",
                       headers=auth(getattr(world, who)), json=body)


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_a_seat_is_transferred_to_a_colleague(client, db, auth, world, seat, who):
    old_registration = world.enrolment.registration
    response = transfer(client, auth, world, who)
    assert response.status_code == 201, response.json
    new = response.json
    assert new["learner"]["id"] == world.colleague.public_id
    assert new["cohort"] == world.cohort.id and new["intake"] == world.intake.id
    assert new["status"] == "pending"
    assert new["start_date"] == world.intake.start_date.isoformat()
    assert new["registration"] != old_registration

    db.session.refresh(world.enrolment)
    assert world.enrolment.status == "transferred"
    assert world.enrolment.registration == old_registration
    successor = db.session.get(Enrolment, new["id"])
    assert successor.tutor_id == world.tutor.id
    assert successor.window_ends == world.enrolment.window_ends
    db.session.refresh(seat)
    assert (seat.learner_id, seat.enrolment_id) == (world.colleague.id, successor.id)

    kinds = dict(db.session.execute(
        select(EnrolmentChange.enrolment_id, EnrolmentChange.kind)).all())
    assert kinds == {world.enrolment.id: "transferred", successor.id: "created"}
    history = client.get(f"/api/v1/enrolments/{world.enrolment.id}/changes",
                         headers=auth(world.manager)).json["items"]
    assert history[0]["details"]["to"] == {"learner": world.colleague.public_id,
                                           "enrolment": successor.id}
    assert history[0]["reason"] == "Changed roles"


def test_a_cohort_enrolment_without_a_seat_is_transferred_too(client, db, auth, world):
    response = transfer(client, auth, world)
    assert response.status_code == 201, response.json
    assert db.session.execute(select(Seat)).first() is None


def test_after_the_start_date_it_is_too_late(client, db, auth, world, seat, snapshot):
    world.intake.start_date = world.enrolment.start_date = date(2020, 1, 6)
    db.session.commit()
    before = snapshot()
    body = problem(transfer(client, auth, world), 409)
    assert "before the intake starts" in body["detail"]
    assert snapshot() == before


def test_an_individual_enrolment_cannot_be_transferred(client, auth, world, snapshot):
    before = snapshot()
    body = problem(transfer(client, auth, world, enrolment=world.individual), 409)
    assert "cohort" in body["detail"]
    assert snapshot() == before


def test_a_transferred_or_withdrawn_seat_cannot_be_transferred(client, db, auth, world, seat,
                                                              snapshot):
    world.enrolment.status = "withdrawn"
    db.session.commit()
    before = snapshot()
    problem(transfer(client, auth, world), 409)
    assert snapshot() == before


@pytest.mark.parametrize(("learner", "who", "status", "field"), [
    ("outsider", "admin", 422, "learner"),      # another organisation
    ("tutor", "admin", 422, "learner"),         # of no organisation
    ("unknown", "admin", 422, "learner"),
    ("", "admin", 422, "learner"),
    ("learner", "admin", 422, "learner"),       # already on the intake (the same learner)
    ("colleague", "other_manager", 404, None),  # another organisation's manager sees nothing
    ("colleague", "tutor", 403, None),
    ("colleague", "learner", 403, None),
])
def test_transfer_refusals_change_nothing(client, auth, world, seat, snapshot, learner, who,
                                          status, field):
    public_id = ({"unknown": "no-such-user", "": ""}[learner] if learner in ("unknown", "")
                 else getattr(world, learner).public_id)
    before = snapshot()
    body = problem(transfer(client, auth, world, who, learner=public_id), status)
    if field:
        assert fields(body) == {field}
    assert snapshot() == before


def test_a_colleague_already_enrolled_on_the_intake_is_refused(client, db, auth, world, seat,
                                                               snapshot):
    enrol(world.colleague, world.intake)
    db.session.commit()
    before = snapshot()
    body = problem(transfer(client, auth, world), 422)
    assert fields(body) == {"learner"}
    assert "already has an enrolment" in body["detail"]
    assert snapshot() == before


def test_a_colleague_already_named_on_the_application_is_refused(client, db, auth, world, seat,
                                                                 snapshot):
    db.session.add(Seat(application_id=seat.application_id, number=2,
                        learner_id=world.colleague.id))
    db.session.commit()
    before = snapshot()
    body = problem(transfer(client, auth, world), 422)
    assert fields(body) == {"learner"} and "seat" in body["detail"]
    assert snapshot() == before


def test_a_reason_is_required(client, auth, world, seat, snapshot):
    before = snapshot()
    body = problem(transfer(client, auth, world, reason=" "), 422)
    assert fields(body) == {"reason"}
    assert snapshot() == before
