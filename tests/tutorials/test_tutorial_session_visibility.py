"""Who sees and changes group sessions and their places: learners see the sessions of their
qualification and only their own places; a session is changed by its tutor (or an
administrator) only; an organisation's manager sees its own learners' places and no others."""

import pytest
from tutorial_group_helpers import API, booked, get
from tutorial_support import GROUP_ACTIVITY, iso, london_at, next_weekday

from lms.enrolment.models import Organisation

pytest_plugins = ["tutorial_fixtures"]
pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def session(create_session):
    return create_session(london_at(next_weekday(2), 10), capacity=5)


def test_a_learner_sees_the_group_sessions_of_their_qualification(
        client, auth, learner, session, make_user):
    listed = get(client, auth(learner), "/sessions")
    assert [s["id"] for s in listed] == [session["id"]]
    assert listed[0]["my_booking"] is None
    assert get(client, auth(learner), f"/sessions/{session['id']}")["id"] == session["id"]
    # Someone not enrolled on it sees nothing of it.
    stranger = make_user("learner")
    assert get(client, auth(stranger), "/sessions") == []
    response = client.get(f"{API}/sessions/{session['id']}", headers=auth(stranger))
    assert response.status_code == 404


def test_a_learner_sees_their_own_place_only(client, auth, tutor, learner, learners, session):
    others = learners(2)
    mine = booked(client, auth(learner), session["id"])
    theirs = [booked(client, auth(p), session["id"]) for p in others]

    places = get(client, auth(learner), f"/sessions/{session['id']}/bookings")
    assert [b["id"] for b in places] == [mine["id"]]
    assert get(client, auth(learner), f"/sessions/{session['id']}")["places_taken"] == 3
    assert [b["id"] for b in get(client, auth(learner), "/bookings")["items"]] == [mine["id"]]
    # The tutor sees everyone.
    everyone = get(client, auth(tutor), f"/sessions/{session['id']}/bookings")
    assert [b["id"] for b in everyone] == [mine["id"]] + [b["id"] for b in theirs]


@pytest.mark.parametrize("path,method,body", [
    ("", "get", None),
    ("/history", "get", None),
    ("/invitation.ics", "get", None),
    ("/cancel", "post", {}),
    ("/reschedule", "post", {"session": 1}),
])
def test_another_learners_place_is_not_found(client, auth, learner, learners, session,
                                             path, method, body):
    [other] = learners(1)
    theirs = booked(client, auth(other), session["id"])
    booked(client, auth(learner), session["id"])
    response = getattr(client, method)(f"{API}/bookings/{theirs['id']}{path}",
                                       headers=auth(learner), json=body)
    assert response.status_code == 404, response.get_json()
    assert get(client, auth(other), f"/bookings/{theirs['id']}")["status"] == "booked"


def test_another_tutor_cannot_change_or_cancel_the_session(
        client, auth, make_user, learner, session):
    booked(client, auth(learner), session["id"])
    colleague = make_user("tutor")
    headers = auth(colleague)
    later = london_at(next_weekday(2), 16)
    response = client.patch(f"{API}/sessions/{session['id']}", headers=headers,
                            json={"starts_at": iso(later), "capacity": 50})
    assert response.status_code in (403, 404), response.get_json()
    response = client.post(f"{API}/sessions/{session['id']}/cancel", headers=headers,
                           json={"reason": "Not mine to cancel"})
    assert response.status_code in (403, 404), response.get_json()
    response = client.get(f"{API}/sessions/{session['id']}/history", headers=headers)
    assert response.status_code in (403, 404), response.get_json()
    [place] = get(client, auth(learner), "/bookings")["items"]
    response = client.post(f"{API}/bookings/{place['id']}/cancel", headers=headers, json={})
    assert response.status_code in (403, 404), response.get_json()
    unchanged = get(client, auth(learner), f"/sessions/{session['id']}")
    assert (unchanged["status"], unchanged["starts_at"], unchanged["capacity"]) == \
        ("scheduled", session["starts_at"], 5)
    assert get(client, auth(learner), f"/bookings/{place['id']}")["status"] == "booked"


def test_a_learner_cannot_change_a_session(client, auth, learner, session):
    response = client.patch(f"{API}/sessions/{session['id']}", headers=auth(learner),
                            json={"capacity": 50})
    assert response.status_code == 403, response.get_json()
    response = client.post(f"{API}/sessions/{session['id']}/cancel", headers=auth(learner),
                           json={"reason": "I cannot come"})
    assert response.status_code == 403, response.get_json()
    assert get(client, auth(learner), f"/sessions/{session['id']}")["capacity"] == 5


def test_an_administrator_changes_anyones_session(client, auth, admin, session):
    response = client.patch(f"{API}/sessions/{session['id']}", headers=auth(admin),
                            json={"capacity": 9})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["capacity"] == 9


@pytest.fixture
def organisations(db):
    riverside = Organisation(slug="riverside", name="Riverside Care")
    elsewhere = Organisation(slug="elsewhere", name="Elsewhere Care")
    db.session.add_all([riverside, elsewhere])
    db.session.commit()
    return riverside, elsewhere


def test_an_organisation_manager_sees_their_learners_places_only(
        client, auth, make_user, enrol, tutor, organisations, session):
    riverside, elsewhere = organisations
    ours = make_user("learner", organisation=riverside)
    theirs = make_user("learner", organisation=elsewhere)
    independent = make_user("learner")
    for person in (ours, theirs, independent):
        enrol(person, tutor=tutor)
    places = {p.id: booked(client, auth(p), session["id"]) for p in (ours, theirs, independent)}
    manager = auth(make_user("org_manager", organisation=riverside))

    listed = get(client, manager, "/bookings")["items"]
    assert [b["id"] for b in listed] == [places[ours.id]["id"]]
    assert listed[0]["learner"]["id"] == ours.public_id
    assert get(client, manager, f"/bookings/{places[ours.id]['id']}")["status"] == "booked"
    for other in (theirs, independent):
        response = client.get(f"{API}/bookings/{places[other.id]['id']}", headers=manager)
        assert response.status_code == 404, response.get_json()
    on_session = get(client, manager, f"/sessions/{session['id']}/bookings")
    assert [b["id"] for b in on_session] == [places[ours.id]["id"]]
    # Seeing a place is not running the session.
    response = client.post(f"{API}/sessions/{session['id']}/cancel", headers=manager,
                           json={"reason": "Not theirs to cancel"})
    assert response.status_code == 403, response.get_json()


def test_a_manager_of_another_organisation_sees_none_of_them(
        client, auth, make_user, enrol, tutor, organisations, session):
    riverside, elsewhere = organisations
    ours = make_user("learner", organisation=riverside)
    enrol(ours, tutor=tutor)
    place = booked(client, auth(ours), session["id"])
    manager = auth(make_user("org_manager", organisation=elsewhere))
    assert get(client, manager, "/bookings")["items"] == []
    response = client.get(f"{API}/bookings/{place['id']}", headers=manager)
    assert response.status_code == 404, response.get_json()
    response = client.get(f"{API}/sessions/{session['id']}/bookings", headers=manager)
    assert response.status_code == 404, response.get_json()


def test_sessions_can_be_listed_by_activity_and_unit(client, auth, learner, session,
                                                     create_session):
    other = create_session(london_at(next_weekday(2), 14),
                           activity="u2-group-tutorial-rapport-and-relationships")
    by_activity = get(client, auth(learner), f"/sessions?activity={GROUP_ACTIVITY}")
    assert [s["id"] for s in by_activity] == [session["id"]]
    by_unit = get(client, auth(learner), "/sessions?unit=2")
    assert [s["id"] for s in by_unit] == [other["id"]]
