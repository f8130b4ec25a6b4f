"""Applying for an intake, through acceptance to enrolments and an invoice: individuals and
cohorts of six, and every refusal with nothing changed."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from lms.enrolment.applications import EnrolmentChange, Seat
from lms.enrolment.models import Cohort, Enrolment
from lms.enrolment.operations import add_months
from lms.invoicing.models import Invoice

pytest_plugins = ["application_fixtures"]


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def as_user(auth):
    """`as_user(user)` -> headers with a token of `user` (one token per user)."""
    tokens = {}

    def headers(user):
        if user.id not in tokens:
            tokens[user.id] = auth(user)
        return tokens[user.id]

    return headers


@pytest.fixture
def riverside(make_organisation, make_user):
    """An organisation with its manager and seven of its people."""
    organisation = make_organisation()
    manager = make_user("org_manager", organisation=organisation)
    people = [make_user("learner", organisation=organisation) for _ in range(7)]
    return organisation, manager, people


def apply(client, headers, intake, kind="individual", learners=()):
    body = {"intake": intake.id, "kind": kind}
    if learners:
        body["learners"] = [person.public_id for person in learners]
    return client.post("/api/v1/applications", json=body, headers=headers)


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_an_individual_applies_is_accepted_and_enrolled_with_an_invoice(
        client, db, make_intake, make_user, admin, as_user):
    intake = make_intake(starts_in=60)
    learner = make_user("learner")

    applied = apply(client, as_user(learner), intake)
    assert applied.status_code == 201, applied.get_json()
    application = applied.get_json()
    assert application["status"] == "submitted"
    assert application["net_amount"] == "1990.00" and application["member"] is False
    assert [s["learner"]["id"] for s in application["seats"]] == [learner.public_id]
    assert application["invoice"] is None

    decided = client.post(f"/api/v1/applications/{application['id']}/decision",
                          json={"decision": "accept", "note": "Welcome"},
                          headers=as_user(admin))
    assert decided.status_code == 200, decided.get_json()
    body = decided.get_json()
    assert body["status"] == "accepted" and body["decision_note"] == "Welcome"
    enrolment = body["seats"][0]["enrolment"]
    assert uuid.UUID(enrolment["registration"]).version == 4
    assert enrolment["status"] == "pending"  # the intake starts after today
    assert date.fromisoformat(enrolment["start_date"]) == intake.start_date
    assert date.fromisoformat(enrolment["window_ends"]) == add_months(intake.start_date, 18)
    assert body["invoice"]["net"] == "1990.00"
    assert body["invoice"]["vat"] == "398.00"
    assert body["invoice"]["gross"] == "2388.00"
    assert body["invoice"]["due_on"] == intake.final_payment_date.isoformat()

    stored = db.session.get(Enrolment, enrolment["id"])
    assert stored.learner_id == learner.id and stored.cohort_id is None
    change = db.session.execute(db.select(EnrolmentChange)).scalar_one()
    assert (change.enrolment_id, change.kind, change.made_by_id) == (stored.id, "created",
                                                                    admin.id)
    invoice = db.session.execute(db.select(Invoice)).scalar_one()
    assert invoice.gross_amount == Decimal("2388.00") and invoice.payer_user_id == learner.id


def test_an_intake_that_has_started_enrols_as_active(client, make_intake, make_user, admin,
                                                     as_user):
    intake = make_intake(starts_in=0, closes_in=0)
    learner = make_user("learner")
    application = apply(client, as_user(learner), intake).get_json()
    body = client.post(f"/api/v1/applications/{application['id']}/decision",
                       json={"decision": "accept"}, headers=as_user(admin)).get_json()
    assert body["seats"][0]["enrolment"]["status"] == "active"


def test_a_cohort_of_four_then_two_more_then_a_seventh_refused(
        client, db, make_intake, riverside, admin, as_user, counts):
    intake = make_intake()
    organisation, manager, people = riverside
    applied = apply(client, as_user(manager), intake, "cohort", people[:4])
    assert applied.status_code == 201, applied.get_json()
    application = applied.get_json()
    assert application["net_amount"] == "11940.00"
    assert application["organisation"] == organisation.slug
    assert [s["number"] for s in application["seats"]] == [1, 2, 3, 4]

    url = f"/api/v1/applications/{application['id']}/learners"
    added = client.post(url, json={"learners": [p.public_id for p in people[4:6]]},
                        headers=as_user(manager))
    assert added.status_code == 200, added.get_json()
    assert len(added.get_json()["seats"]) == 6

    before = counts()
    refused = problem(client.post(url, json={"learners": [people[6].public_id]},
                                  headers=as_user(manager)), 422)
    assert "at most 6" in refused["detail"]
    assert refused["errors"][0]["field"] == "learners"
    assert counts() == before


def test_more_than_six_at_once_refused(client, make_intake, riverside, as_user, counts):
    intake = make_intake()
    _, manager, people = riverside
    before = counts()
    body = problem(apply(client, as_user(manager), intake, "cohort", people), 422)
    assert "at most 6" in body["detail"]
    assert counts() == before


def test_the_database_refuses_a_seventh_seat_even_if_the_check_is_bypassed(
        client, make_intake, riverside, as_user, counts, monkeypatch):
    """A race past the API's check meets the database's: a 409, nothing stored."""
    import lms.enrolment.applying as applying

    intake = make_intake()
    _, manager, people = riverside
    application = apply(client, as_user(manager), intake, "cohort", people[:6]).get_json()
    monkeypatch.setattr(applying, "COHORT_SEATS", 7)
    before = counts()
    response = client.post(f"/api/v1/applications/{application['id']}/learners",
                           json={"learners": [people[6].public_id]}, headers=as_user(manager))
    body = problem(response, 409)
    assert "same time" in body["detail"]
    assert counts() == before


def test_a_cohort_accepted_enrols_each_learner_and_later_ones_as_named(
        client, db, make_intake, riverside, admin, as_user):
    intake = make_intake()
    organisation, manager, people = riverside
    application = apply(client, as_user(manager), intake, "cohort", people[:4]).get_json()
    accepted = client.post(f"/api/v1/applications/{application['id']}/decision",
                           json={"decision": "accept"}, headers=as_user(admin)).get_json()
    assert accepted["invoice"]["net"] == "11940.00"
    assert accepted["invoice"]["gross"] == "14328.00"
    cohort = db.session.get(Cohort, accepted["cohort"])
    assert cohort.organisation_id == organisation.id and cohort.seats == 6
    assert all(s["enrolment"]["status"] == "pending" for s in accepted["seats"])

    added = client.post(f"/api/v1/applications/{application['id']}/learners",
                        json={"learners": [people[4].public_id, people[5].public_id]},
                        headers=as_user(manager))
    assert added.status_code == 200, added.get_json()
    seats = added.get_json()["seats"]
    assert len(seats) == 6 and all(s["enrolment"] for s in seats)
    enrolments = db.session.execute(db.select(Enrolment)).scalars().all()
    assert len(enrolments) == 6 and {e.cohort_id for e in enrolments} == {cohort.id}
    assert db.session.execute(db.select(EnrolmentChange)).scalars().all().__len__() == 6
    assert len(db.session.execute(db.select(Invoice)).scalars().all()) == 1


def test_mixing_organisations_in_a_cohort_refused(client, make_intake, riverside,
                                                  make_organisation, make_user, as_user,
                                                  counts):
    intake = make_intake()
    _, manager, people = riverside
    elsewhere = make_user("learner", organisation=make_organisation("hilltop", "Hilltop"))
    before = counts()
    body = problem(apply(client, as_user(manager), intake, "cohort",
                         [people[0], elsewhere]), 422)
    assert "mixing organisations in a cohort refused" in body["detail"]
    assert elsewhere.name in body["detail"]
    assert counts() == before

    application = apply(client, as_user(manager), intake, "cohort", people[:1]).get_json()
    before = counts()
    body = problem(client.post(f"/api/v1/applications/{application['id']}/learners",
                               json={"learners": [elsewhere.public_id]},
                               headers=as_user(manager)), 422)
    assert "mixing organisations" in body["detail"]
    assert counts() == before


@pytest.mark.parametrize(("opened", "closes_in", "words"), [
    (-60, -1, "closed on"), (5, 30, "open on")])
def test_applications_outside_the_dates_refused(client, make_intake, make_user, as_user,
                                                counts, opened, closes_in, words):
    intake = make_intake(opened=opened, closes_in=closes_in)
    before = counts()
    body = problem(apply(client, as_user(make_user("learner")), intake), 409)
    assert words in body["detail"]
    when = intake.applications_close if words == "closed on" else intake.applications_open
    assert when.isoformat() in body["detail"]
    assert counts() == before


def test_a_full_intake_refuses_applications_and_acceptances(
        client, make_intake, riverside, make_user, admin, as_user, counts):
    intake = make_intake(capacity=7)
    _, manager, people = riverside
    cohort = apply(client, as_user(manager), intake, "cohort", people[:2]).get_json()
    first, second = make_user("learner"), make_user("learner")
    individual = apply(client, as_user(first), intake).get_json()
    client.post(f"/api/v1/applications/{cohort['id']}/decision", json={"decision": "accept"},
                headers=as_user(admin))
    client.post(f"/api/v1/applications/{individual['id']}/decision",
                json={"decision": "accept"}, headers=as_user(admin))

    before = counts()
    body = problem(apply(client, as_user(second), intake), 409)
    assert "full (7 of 7" in body["detail"]
    assert counts() == before


def test_accepting_past_capacity_refused(client, make_intake, make_user, admin, as_user,
                                         counts):
    intake = make_intake(capacity=1)
    applications = [apply(client, as_user(make_user("learner")), intake).get_json()
                    for _ in range(2)]
    client.post(f"/api/v1/applications/{applications[0]['id']}/decision",
                json={"decision": "accept"}, headers=as_user(admin))
    before = counts()
    body = problem(client.post(f"/api/v1/applications/{applications[1]['id']}/decision",
                               json={"decision": "accept"}, headers=as_user(admin)), 409)
    assert "full" in body["detail"]
    assert counts() == before


def test_duplicates_refused(client, make_intake, riverside, enrol, as_user, counts):
    intake = make_intake()
    _, manager, people = riverside
    assert apply(client, as_user(people[0]), intake).status_code == 201
    before = counts()
    again = problem(apply(client, as_user(people[0]), intake), 409)
    assert "already holds application" in again["detail"]
    named_twice = problem(apply(client, as_user(manager), intake, "cohort",
                                [people[1], people[1]]), 422)
    assert "more than once" in named_twice["detail"]
    taken = problem(apply(client, as_user(manager), intake, "cohort", people[:2]), 409)
    assert people[0].name in taken["detail"]
    assert counts() == before


def test_a_learner_already_enrolled_on_the_intake_refused(client, db, make_intake, make_user,
                                                          as_user, counts):
    from lms.enrolment.operations import enrol

    intake = make_intake()
    learner = make_user("learner")
    enrol(learner, intake)
    db.session.commit()
    before = counts()
    body = problem(apply(client, as_user(learner), intake), 409)
    assert "already enrolled" in body["detail"]
    assert counts() == before


def test_bad_requests_name_the_field(client, make_intake, make_user, as_user, counts):
    intake = make_intake()
    learner = make_user("learner")
    before = counts()
    for body, field in [({"intake": 999999, "kind": "individual"}, "intake"),
                        ({"intake": intake.id, "kind": "group"}, "json.kind"),
                        ({"kind": "individual"}, "json.intake"),
                        ({"intake": intake.id, "kind": "individual",
                          "learners": [learner.public_id]}, "learners")]:
        response = client.post("/api/v1/applications", json=body, headers=as_user(learner))
        assert [e["field"] for e in problem(response, 422)["errors"]] == [field]
    assert counts() == before


def test_only_a_manager_applies_for_a_cohort(client, make_intake, riverside, as_user, counts):
    intake = make_intake()
    _, _, people = riverside
    before = counts()
    problem(apply(client, as_user(people[0]), intake, "cohort", people[1:3]), 403)
    assert counts() == before


def test_decisions_only_by_administrators_and_once(client, make_intake, riverside, admin,
                                                   as_user, counts):
    intake = make_intake()
    _, manager, people = riverside
    application = apply(client, as_user(manager), intake, "cohort", people[:2]).get_json()
    url = f"/api/v1/applications/{application['id']}/decision"
    before = counts()
    for someone in (manager, people[0]):
        problem(client.post(url, json={"decision": "accept"}, headers=as_user(someone)), 403)
    assert counts() == before

    declined = client.post(url, json={"decision": "decline", "note": "No places"},
                           headers=as_user(admin))
    assert declined.get_json()["status"] == "declined"
    before = counts()
    body = problem(client.post(url, json={"decision": "accept"}, headers=as_user(admin)), 409)
    assert "already declined" in body["detail"]
    assert counts() == before


def test_learners_removed_before_the_decision_only(client, db, make_intake, riverside, admin,
                                                   as_user, counts):
    intake = make_intake()
    _, manager, people = riverside
    application = apply(client, as_user(manager), intake, "cohort", people[:3]).get_json()
    url = f"/api/v1/applications/{application['id']}/learners"
    assert client.delete(f"{url}/{people[1].public_id}",
                         headers=as_user(manager)).status_code == 204
    assert [s.learner_id for s in db.session.execute(db.select(Seat)).scalars()] == [
        people[0].id, people[2].id]
    client.post(f"/api/v1/applications/{application['id']}/decision",
                json={"decision": "accept"}, headers=as_user(admin))
    before = counts()
    problem(client.delete(f"{url}/{people[0].public_id}", headers=as_user(manager)), 409)
    assert counts() == before


def test_the_applicant_withdraws_before_the_decision(client, make_intake, make_user, admin,
                                                     as_user, counts):
    intake = make_intake()
    learner, other = make_user("learner"), make_user("learner")
    application = apply(client, as_user(learner), intake).get_json()
    url = f"/api/v1/applications/{application['id']}/withdrawal"
    before = counts()
    problem(client.post(url, headers=as_user(other)), 404)
    problem(client.post(url, headers=as_user(admin)), 403)
    assert counts() == before
    withdrawn = client.post(url, headers=as_user(learner))
    assert withdrawn.get_json()["status"] == "withdrawn"
    problem(client.post(url, headers=as_user(learner)), 409)
    assert apply(client, as_user(learner), intake).status_code == 201  # may apply again
