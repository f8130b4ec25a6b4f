"""Who sees which applications, seats and learners' enrolments: administrators all, an
organisation manager their organisation's (never another's), anyone else their own."""

import pytest

pytest_plugins = ["application_fixtures"]


@pytest.fixture
def world(client, make_intake, make_organisation, make_user, auth):
    """Two organisations each with an accepted cohort of two, and an individual applicant."""
    intake = make_intake()
    admin = make_user("admin")
    headers = {"admin": auth(admin)}
    found = {"intake": intake}
    for slug in ("riverside", "hilltop"):
        organisation = make_organisation(slug, slug.title())
        manager = make_user("org_manager", organisation=organisation)
        staff = [make_user("learner", organisation=organisation) for _ in range(2)]
        headers[slug] = auth(manager)
        headers[f"{slug}-learner"] = auth(staff[0])
        application = client.post("/api/v1/applications", json={
            "intake": intake.id, "kind": "cohort",
            "learners": [p.public_id for p in staff]}, headers=headers[slug]).get_json()
        client.post(f"/api/v1/applications/{application['id']}/decision",
                    json={"decision": "accept"}, headers=headers["admin"])
        found[slug] = application["id"]
    individual = make_user("learner")
    headers["individual"] = auth(individual)
    found["individual"] = client.post("/api/v1/applications", json={
        "intake": intake.id, "kind": "individual"}, headers=headers["individual"]).get_json()["id"]
    found["headers"] = headers
    return found


def listed(client, headers, query=""):
    response = client.get(f"/api/v1/applications{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {a["id"] for a in response.get_json()["items"]}


def test_lists_by_who_asks(client, world):
    h = world["headers"]
    everything = {world["riverside"], world["hilltop"], world["individual"]}
    assert listed(client, h["admin"]) == everything
    assert listed(client, h["admin"], "?status=accepted") == {world["riverside"],
                                                              world["hilltop"]}
    assert listed(client, h["admin"], f"?intake={world['intake'].id}&status=submitted") == {
        world["individual"]}
    assert listed(client, h["admin"], "?intake=999999") == set()
    assert listed(client, h["riverside"]) == {world["riverside"]}
    assert listed(client, h["hilltop"]) == {world["hilltop"]}
    assert listed(client, h["individual"]) == {world["individual"]}
    assert listed(client, h["riverside-learner"]) == set()


def test_a_manager_sees_their_seats_and_learners_enrolments_never_anothers(client, world):
    h = world["headers"]
    own = client.get(f"/api/v1/applications/{world['riverside']}", headers=h["riverside"])
    assert own.status_code == 200
    seats = own.get_json()["seats"]
    assert len(seats) == 2 and all(s["enrolment"]["registration"] for s in seats)
    enrolment = seats[0]["enrolment"]["id"]
    progress = client.get(f"/api/v1/enrolments/{enrolment}/progress", headers=h["riverside"])
    assert progress.status_code == 200
    assert own.get_json()["invoice"]["gross"] == "14328.00"

    for url in (f"/api/v1/applications/{world['riverside']}",
                f"/api/v1/enrolments/{enrolment}/progress"):
        response = client.get(url, headers=h["hilltop"])
        assert response.status_code == 404, url
    assert client.get(f"/api/v1/applications/{world['individual']}",
                      headers=h["riverside"]).status_code == 404


def test_a_manager_cannot_change_another_organisations_application(client, world, counts):
    h = world["headers"]
    before = counts()
    for method, url, body in [
            ("post", f"/api/v1/applications/{world['riverside']}/learners",
             {"learners": ["x"]}),
            ("delete", f"/api/v1/applications/{world['riverside']}/learners/x", None),
            ("post", f"/api/v1/applications/{world['riverside']}/withdrawal", None)]:
        response = getattr(client, method)(url, json=body, headers=h["hilltop"])
        assert response.status_code == 404, (url, response.get_json())
    assert counts() == before


def test_an_individual_sees_their_own_application_only(client, world):
    h = world["headers"]
    assert client.get(f"/api/v1/applications/{world['individual']}",
                      headers=h["individual"]).status_code == 200
    assert client.get(f"/api/v1/applications/{world['riverside']}",
                      headers=h["individual"]).status_code == 404
    assert client.post(f"/api/v1/applications/{world['individual']}/learners",
                       json={"learners": ["x"]}, headers=h["individual"]).status_code == 403


def test_the_start_date_stays_once_learners_are_enrolled(client, world, counts):
    before = counts()
    moved = client.patch(f"/api/v1/intakes/{world['intake'].id}",
                         json={"start_date": "2099-01-05"}, headers=world["headers"]["admin"])
    assert moved.status_code == 409 and "enrolled" in moved.get_json()["detail"]
    assert counts() == before
