"""Intakes: administrators add and change them (dates checked), everyone signed in sees the
open ones with their capacity and places taken."""

from datetime import date, timedelta

import pytest

from lms.enrolment.intakes import london_today

pytest_plugins = ["application_fixtures"]

VALID = {"qualification": "l5-diploma-reducing-restrictive-practices", "name": "May 2030",
         "start_date": "2030-05-07", "applications_open": "2029-10-01",
         "applications_close": "2030-03-29", "final_payment_date": "2030-03-29",
         "capacity": 48}


@pytest.fixture
def admin_headers(make_user, auth):
    return auth(make_user("admin"))


def test_an_administrator_adds_and_changes_an_intake(client, diploma, admin_headers):
    created = client.post("/api/v1/intakes", json=VALID, headers=admin_headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["qualification"] == VALID["qualification"] and body["seats_taken"] == 0
    changed = client.patch(f"/api/v1/intakes/{body['id']}", json={"capacity": 36,
                                                                  "name": "May 2030 intake"},
                           headers=admin_headers)
    assert changed.status_code == 200
    assert (changed.get_json()["capacity"], changed.get_json()["name"]) == (
        36, "May 2030 intake")


@pytest.mark.parametrize(("change", "field"), [
    ({"applications_close": "2030-05-08"}, "applications_close"),
    ({"final_payment_date": "2030-06-01"}, "final_payment_date"),
    ({"applications_open": "2030-04-01"}, "applications_open"),
    ({"qualification": "no-such-thing"}, "qualification"),
    ({"capacity": 0}, "json.capacity"),
])
def test_bad_intakes_refused_naming_the_field(client, diploma, admin_headers, counts, change,
                                             field):
    before = counts()
    response = client.post("/api/v1/intakes", json=VALID | change, headers=admin_headers)
    assert response.status_code == 422, response.get_json()
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
    assert counts() == before


def test_a_change_that_breaks_the_dates_is_refused(client, db, diploma, admin_headers):
    intake = client.post("/api/v1/intakes", json=VALID, headers=admin_headers).get_json()
    response = client.patch(f"/api/v1/intakes/{intake['id']}",
                            json={"start_date": "2030-03-01"}, headers=admin_headers)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "applications_close"
    assert client.get(f"/api/v1/intakes/{intake['id']}",
                      headers=admin_headers).get_json()["start_date"] == "2030-05-07"


def test_a_second_intake_on_the_same_day_is_a_conflict(client, diploma, admin_headers, counts):
    client.post("/api/v1/intakes", json=VALID, headers=admin_headers)
    before = counts()
    assert client.post("/api/v1/intakes", json=VALID, headers=admin_headers).status_code == 409
    assert counts() == before


def test_only_administrators_add_or_change_intakes(client, diploma, make_user, auth,
                                                   make_intake, counts):
    intake = make_intake()
    for role in ("learner", "org_manager", "tutor"):
        headers = auth(make_user(role))
        before = counts()
        assert client.post("/api/v1/intakes", json=VALID, headers=headers).status_code == 403
        assert client.patch(f"/api/v1/intakes/{intake.id}", json={"capacity": 1},
                            headers=headers).status_code == 403
        assert counts() == before


def test_everyone_signed_in_sees_the_open_intakes(client, make_intake, make_user, auth):
    open_now = make_intake()
    closed = make_intake(starts_in=20, opened=-60, closes_in=-1)
    headers = auth(make_user("learner"))
    listed = client.get("/api/v1/intakes", headers=headers).get_json()["items"]
    assert [i["id"] for i in listed] == [open_now.id]
    assert listed[0]["capacity"] == 48 and listed[0]["seats_taken"] == 0
    assert listed[0]["applications_close"] == (london_today() + timedelta(days=30)).isoformat()
    every = client.get("/api/v1/intakes?all=true", headers=headers).get_json()["items"]
    assert {i["id"] for i in every} == {open_now.id, closed.id}
    assert client.get("/api/v1/intakes").status_code == 401


def test_places_taken_count_six_per_accepted_cohort(client, db, make_intake, make_user,
                                                    make_organisation, auth):
    intake = make_intake()
    organisation = make_organisation()
    manager = make_user("org_manager", organisation=organisation)
    admin = auth(make_user("admin"))
    application = client.post("/api/v1/applications", json={
        "intake": intake.id, "kind": "cohort"}, headers=auth(manager)).get_json()
    client.post(f"/api/v1/applications/{application['id']}/decision",
                json={"decision": "accept"}, headers=admin)
    body = client.get(f"/api/v1/intakes/{intake.id}", headers=admin).get_json()
    assert body["seats_taken"] == 6
    shrink = client.patch(f"/api/v1/intakes/{intake.id}", json={"capacity": 5}, headers=admin)
    assert shrink.status_code == 422 and shrink.get_json()["errors"][0]["field"] == "capacity"
    assert date.fromisoformat(body["start_date"]) == intake.start_date
