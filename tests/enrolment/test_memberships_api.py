"""RRN memberships: who records and confirms them, who sees them, and the price they give
(unconfirmed and expired memberships give none)."""

from datetime import timedelta

import pytest

from lms.enrolment.applications import Membership
from lms.enrolment.intakes import london_today

pytest_plugins = ["application_fixtures"]


@pytest.fixture
def people(make_organisation, make_user, auth):
    riverside = make_organisation()
    hilltop = make_organisation("hilltop", "Hilltop")
    users = {"admin": make_user("admin"),
             "manager": make_user("org_manager", organisation=riverside),
             "other_manager": make_user("org_manager", organisation=hilltop),
             "learner": make_user("learner"),
             "staff": [make_user("learner", organisation=riverside) for _ in range(2)]}
    users["headers"] = {key: auth(users[key]) for key in ("admin", "manager",
                                                           "other_manager", "learner")}
    users["riverside"], users["hilltop"] = riverside, hilltop
    return users


def record(client, headers, **body):
    body.setdefault("number", "RRN-1234")
    body.setdefault("expires_on", (london_today() + timedelta(days=365)).isoformat())
    return client.post("/api/v1/memberships", json=body, headers=headers)


def test_who_records_a_membership(client, db, people, counts):
    h = people["headers"]
    mine = record(client, h["learner"])
    assert mine.status_code == 201, mine.get_json()
    assert mine.get_json()["user"] == people["learner"].public_id
    assert mine.get_json()["confirmed"] is False
    ours = record(client, h["manager"], organisation="riverside")
    assert ours.status_code == 201 and ours.get_json()["organisation"] == "riverside"
    theirs = record(client, h["admin"], organisation="hilltop")
    assert theirs.status_code == 201

    before = counts()
    assert record(client, h["manager"], organisation="hilltop").status_code == 403
    assert record(client, h["learner"], organisation="riverside").status_code == 403
    assert record(client, h["learner"], user=people["admin"].public_id).status_code == 403
    unknown = record(client, h["admin"], organisation="nowhere")
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == \
        "organisation"
    past = record(client, h["learner"],
                  expires_on=(london_today() - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and past.get_json()["errors"][0]["field"] == "expires_on"
    assert counts() == before


def test_only_administrators_confirm_and_once(client, db, people, counts):
    h = people["headers"]
    membership = record(client, h["manager"], organisation="riverside").get_json()
    url = f"/api/v1/memberships/{membership['id']}/confirm"
    assert client.post(url, headers=h["manager"]).status_code == 403
    assert db.session.get(Membership, membership["id"]).confirmed_at is None
    confirmed = client.post(url, headers=h["admin"])
    assert confirmed.status_code == 200
    assert confirmed.get_json()["confirmed"] is True
    assert confirmed.get_json()["confirmed_by"] == people["admin"].name
    again = client.post(url, headers=h["admin"])
    assert again.status_code == 409


def test_who_sees_which_memberships(client, people):
    h = people["headers"]
    ids = {key: record(client, h[key], **extra).get_json()["id"] for key, extra in [
        ("manager", {"organisation": "riverside"}), ("other_manager", {"organisation":
                                                                       "hilltop"}),
        ("learner", {})]}

    def listed(who):
        return {m["id"] for m in client.get("/api/v1/memberships",
                                            headers=h[who]).get_json()["items"]}

    assert listed("admin") == set(ids.values())
    assert listed("manager") == {ids["manager"]}
    assert listed("other_manager") == {ids["other_manager"]}
    assert listed("learner") == {ids["learner"]}
    assert client.get(f"/api/v1/memberships/{ids['manager']}",
                      headers=h["other_manager"]).status_code == 404
    assert client.get(f"/api/v1/memberships/{ids['manager']}",
                      headers=h["manager"]).status_code == 200


def _cohort_price(client, people, intake):
    response = client.post("/api/v1/applications", json={
        "intake": intake.id, "kind": "cohort"}, headers=people["headers"]["manager"])
    assert response.status_code == 201, response.get_json()
    client.post(f"/api/v1/applications/{response.get_json()['id']}/withdrawal",
                headers=people["headers"]["manager"])
    return response.get_json()["net_amount"], response.get_json()["member"]


def test_unconfirmed_confirmed_and_expired_memberships_price_a_cohort(client, db, people,
                                                                       make_intake):
    intake = make_intake()
    h = people["headers"]
    assert _cohort_price(client, people, intake) == ("11940.00", False)
    membership = record(client, h["manager"], organisation="riverside").get_json()
    assert _cohort_price(client, people, intake) == ("11940.00", False)  # not confirmed yet
    client.post(f"/api/v1/memberships/{membership['id']}/confirm", headers=h["admin"])
    assert _cohort_price(client, people, intake) == ("10500.00", True)
    db.session.get(Membership, membership["id"]).expires_on = \
        london_today() - timedelta(days=1)
    db.session.commit()
    assert _cohort_price(client, people, intake) == ("11940.00", False)


def test_a_confirmed_personal_membership_prices_an_individual(client, people, make_intake):
    intake = make_intake()
    h = people["headers"]
    membership = record(client, h["learner"]).get_json()
    client.post(f"/api/v1/memberships/{membership['id']}/confirm", headers=h["admin"])
    applied = client.post("/api/v1/applications", json={"intake": intake.id,
                                                        "kind": "individual"},
                          headers=h["learner"])
    assert applied.get_json()["net_amount"] == "1750.00"
    assert applied.get_json()["member"] is True
