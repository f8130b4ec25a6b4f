"""The people API: /api/v1/me, who may see whom under /api/v1/users, what administrators may
change, personal API tokens, and a signed-in browser calling the API."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from lms.enrolment.models import Organisation
from lms.people.models import ApiToken, User
from lms.people.passwords import verify_password

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone
PROBLEM_JSON = "application/problem+json"





@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Ada Admin")


@pytest.fixture
def as_admin(admin, auth):
    return auth(admin)


@pytest.fixture
def organisations(db):
    riverside = Organisation(slug="riverside-care", name="Riverside Care")
    hilltop = Organisation(slug="hilltop-homes", name="Hilltop Homes")
    db.session.add_all([riverside, hilltop])
    db.session.commit()
    return riverside, hilltop


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == status
    assert body["instance"] == response.request.path
    return body


def fields_named(body: dict) -> set[str]:
    """Top-level fields named in a problem's `errors` ('json.roles[0]' names 'roles')."""
    return {re.split(r"[.\[]", re.sub(r"^(json|query)\.", "", e["field"]))[0]
            for e in body.get("errors", [])}


def ids(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {user["id"] for user in response.get_json()["items"]}


def fresh(db, user: User) -> User:
    """`user` as stored now (requests commit in their own sessions; ending this session's
    transaction lets it see what they wrote)."""
    db.session.commit()
    return db.session.get(User, user.id)


# --- /me ------------------------------------------------------------------------------------


def test_me_shows_the_callers_account_and_enrolments(client, make_user, auth, enrol):
    tutor = make_user("tutor", name="Sam Tutor")
    learner = make_user("learner", name="Lee Learner", email="Lee@Pathway.test")
    enrolment = enrol(learner, tutor=tutor)

    response = client.get("/api/v1/me", headers=auth(learner))

    assert response.status_code == 200, response.get_data(as_text=True)
    me = response.get_json()
    assert me["id"] == learner.public_id
    assert me["email"] == "lee@pathway.test"
    assert me["name"] == "Lee Learner"
    assert me["roles"] == ["learner"]
    assert me["active"] is True
    assert "password" not in me and "password_hash" not in me
    [shown] = me["enrolments"]
    assert shown["registration"] == enrolment.registration
    assert shown["qualification"] == enrol.intake.qualification.slug
    assert shown["tutor"] == {"id": tutor.public_id, "name": "Sam Tutor"}
    assert shown["status"] == "active"
    assert shown["start_date"] == "2026-06-02"
    assert date.fromisoformat(shown["window_ends"]) == date(2027, 12, 2)  # 18 months
    assert shown["id"] == enrolment.id
    progress = client.get(shown["progress"], headers=auth(learner))
    assert progress.status_code == 200
    assert progress.get_json()["enrolment"]["registration"] == enrolment.registration


def test_me_without_enrolments(client, admin, as_admin):
    response = client.get("/api/v1/me", headers=as_admin)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["enrolments"] == []
    assert response.get_json()["roles"] == ["admin"]


# --- who may see whom -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/enrolments"])
def test_a_learner_may_not_read_another_learner(client, make_user, auth, enrol, suffix):
    me, other = make_user("learner"), make_user("learner")
    enrol(other)
    response = client.get(f"/api/v1/users/{other.public_id}{suffix}", headers=auth(me))
    body = problem(response, 403)
    assert other.email not in response.get_data(as_text=True)
    assert body["detail"]


def test_a_learner_may_read_themselves(client, make_user, auth, enrol):
    me = make_user("learner")
    enrolment = enrol(me)
    headers = auth(me)
    response = client.get(f"/api/v1/users/{me.public_id}", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["email"] == me.email
    response = client.get(f"/api/v1/users/{me.public_id}/enrolments", headers=headers)
    assert response.status_code == 200
    assert [e["registration"] for e in response.get_json()] == [enrolment.registration]


def test_an_unknown_user_is_404(client, as_admin):
    problem(client.get("/api/v1/users/no-such-person", headers=as_admin), 404)


def test_a_learner_lists_only_themselves(client, make_user, auth):
    me = make_user("learner")
    make_user("learner")
    make_user("tutor")
    assert ids(client.get("/api/v1/users", headers=auth(me))) == {me.public_id}


def test_a_tutor_sees_their_learners_but_not_others(client, make_user, auth, enrol):
    tutor, other_tutor = make_user("tutor"), make_user("tutor")
    mine = [make_user("learner"), make_user("learner")]
    theirs, unassigned = make_user("learner"), make_user("learner")
    for learner in mine:
        enrol(learner, tutor=tutor)
    enrol(theirs, tutor=other_tutor)
    enrol(unassigned)
    headers = auth(tutor)

    listed = ids(client.get("/api/v1/users", headers=headers))
    assert listed == {tutor.public_id} | {learner.public_id for learner in mine}

    assert client.get(f"/api/v1/users/{mine[0].public_id}", headers=headers).status_code == 200
    enrolments = client.get(f"/api/v1/users/{mine[1].public_id}/enrolments", headers=headers)
    assert enrolments.status_code == 200
    assert enrolments.get_json()[0]["tutor"]["id"] == tutor.public_id
    for stranger in (theirs, unassigned, other_tutor):
        problem(client.get(f"/api/v1/users/{stranger.public_id}", headers=headers), 403)
        problem(client.get(f"/api/v1/users/{stranger.public_id}/enrolments",
                           headers=headers), 403)


def test_an_organisation_manager_sees_only_their_organisations_people(
        client, make_user, auth, organisations):
    riverside, hilltop = organisations
    manager = make_user("org_manager", organisation=riverside)
    colleagues = [make_user("learner", organisation=riverside),
                  make_user("tutor", organisation=riverside)]
    elsewhere = make_user("learner", organisation=hilltop)
    unaffiliated = make_user("learner")
    headers = auth(manager)

    listed = ids(client.get("/api/v1/users", headers=headers))
    assert listed == {manager.public_id} | {person.public_id for person in colleagues}

    response = client.get(f"/api/v1/users/{colleagues[0].public_id}", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["organisation"] == "riverside-care"
    for stranger in (elsewhere, unaffiliated):
        problem(client.get(f"/api/v1/users/{stranger.public_id}", headers=headers), 403)


def test_an_organisation_manager_without_an_organisation_sees_only_themselves(
        client, make_user, auth, organisations):
    manager = make_user("org_manager")
    make_user("learner", organisation=organisations[0])
    make_user("learner")
    assert ids(client.get("/api/v1/users", headers=auth(manager))) == {manager.public_id}


def test_an_administrator_sees_everyone_and_can_filter_by_role(client, admin, as_admin,
                                                               make_user):
    learner, tutor = make_user("learner"), make_user("tutor")
    everyone = {admin.public_id, learner.public_id, tutor.public_id}
    assert ids(client.get("/api/v1/users", headers=as_admin)) == everyone
    assert ids(client.get("/api/v1/users?role=tutor", headers=as_admin)) == {tutor.public_id}
    body = problem(client.get("/api/v1/users?role=wizard", headers=as_admin), 422)
    assert fields_named(body) == {"role"}


# --- administrators create and change accounts ----------------------------------------------


def test_an_administrator_creates_a_user(client, db, as_admin, organisations):
    response = client.post("/api/v1/users", headers=as_admin, json={
        "email": "New.Person@Pathway.test", "name": "  New Person ", "roles": ["learner"],
        "password": "a long enough password", "organisation": "riverside-care"})

    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["email"] == "new.person@pathway.test"
    assert created["name"] == "New Person"
    assert created["roles"] == ["learner"]
    assert created["organisation"] == "riverside-care"
    assert created["active"] is True
    assert "a long enough password" not in response.get_data(as_text=True)
    assert not {"password", "password_hash"} & set(created)

    db.session.commit()  # end this session's transaction, to see what the request wrote
    stored = db.session.execute(
        db.select(User).where(User.public_id == created["id"])).scalar_one()
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, "a long enough password")

    fetched = client.get(f"/api/v1/users/{created['id']}", headers=as_admin).get_json()
    assert fetched == created


def test_a_user_may_be_created_without_a_password(client, db, as_admin):
    response = client.post("/api/v1/users", headers=as_admin, json={
        "email": "invited@pathway.test", "name": "Invited", "roles": ["tutor", "learner"]})
    assert response.status_code == 201
    assert response.get_json()["roles"] == ["learner", "tutor"]


@pytest.mark.parametrize("email", ["taken@pathway.test", "  TAKEN@Pathway.Test"])
def test_a_duplicate_email_is_409_naming_email(client, make_user, as_admin, email):
    make_user("learner", email="taken@pathway.test")
    response = client.post("/api/v1/users", headers=as_admin,
                           json={"email": email.strip(), "name": "Twin",
                                 "roles": ["learner"]})
    body = problem(response, 409)
    assert fields_named(body) == {"email"}


@pytest.mark.parametrize(("payload", "fields"), [
    ({"email": "not-an-email", "name": "X", "roles": ["wizard"]}, {"email", "roles"}),
    ({"email": "x@pathway.test", "name": "", "roles": []}, {"name", "roles"}),
    ({"name": "X", "roles": ["learner"]}, {"email"}),
    ({"email": "x@pathway.test", "name": "X", "roles": ["learner"], "password": "short"},
     {"password"}),
    ({"email": "x@pathway.test", "name": "X", "roles": ["learner"],
      "organisation": "no-such-organisation"}, {"organisation"}),
    ({"email": "x@pathway.test", "name": "X", "roles": "learner"}, {"roles"}),
])
def test_bad_input_is_422_naming_the_fields(client, as_admin, payload, fields):
    response = client.post("/api/v1/users", headers=as_admin, json=payload)
    assert fields_named(problem(response, 422)) == fields
    everyone = client.get("/api/v1/users", headers=as_admin).get_json()["items"]
    assert "x@pathway.test" not in {user["email"] for user in everyone}


@pytest.mark.parametrize("roles", [("learner",), ("tutor",), ("org_manager",)])
def test_only_administrators_create_users(client, make_user, auth, roles):
    caller = make_user(*roles)
    response = client.post("/api/v1/users", headers=auth(caller), json={
        "email": "new@pathway.test", "name": "New", "roles": ["admin"]})
    problem(response, 403)


def test_an_administrator_changes_roles_and_name(client, db, make_user, as_admin):
    person = make_user("learner")
    response = client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin,
                            json={"roles": ["tutor", "learner"], "name": "Renamed"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["roles"] == ["learner", "tutor"]
    assert response.get_json()["name"] == "Renamed"

    response = client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin,
                            json={"roles": ["tutor"]})
    assert response.get_json()["roles"] == ["tutor"]
    assert fresh(db, person).role_names == {"tutor"}


def test_an_administrator_changes_a_password(client, db, make_user, as_admin):
    person = make_user("learner")
    response = client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin,
                            json={"password": "a brand new password"})
    assert response.status_code == 200
    stored = fresh(db, person).password_hash
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a brand new password")
    assert not verify_password(stored, PASSWORD)


def test_a_disabled_users_token_stops_working(client, make_user, auth, as_admin):
    person = make_user("learner")
    headers = auth(person)
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    response = client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin,
                            json={"active": False})
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    body = problem(client.get("/api/v1/me", headers=headers), 401)
    assert "disabled" in body["detail"]

    client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin, json={"active": True})
    assert client.get("/api/v1/me", headers=headers).status_code == 200


@pytest.mark.parametrize("change", [{"active": False}, {"roles": ["learner"]}])
def test_an_administrator_cannot_lock_themselves_out(client, admin, as_admin, change):
    response = client.patch(f"/api/v1/users/{admin.public_id}", headers=as_admin, json=change)
    assert fields_named(problem(response, 422)) == {"roles"}
    assert client.get("/api/v1/me", headers=as_admin).get_json()["roles"] == ["admin"]


def test_bad_changes_are_422(client, make_user, as_admin):
    person = make_user("learner")
    response = client.patch(f"/api/v1/users/{person.public_id}", headers=as_admin,
                            json={"roles": ["wizard"], "active": "perhaps"})
    assert fields_named(problem(response, 422)) == {"roles", "active"}


def test_only_administrators_change_users(client, make_user, auth):
    tutor, learner = make_user("tutor"), make_user("learner")
    response = client.patch(f"/api/v1/users/{learner.public_id}", headers=auth(tutor),
                            json={"roles": ["admin"]})
    problem(response, 403)
    response = client.patch(f"/api/v1/users/{learner.public_id}", headers=auth(learner),
                            json={"roles": ["admin"]})
    problem(response, 403)


# --- personal API tokens --------------------------------------------------------------------


def test_a_new_token_is_shown_once(client, make_user, auth):
    person = make_user("learner")
    headers = auth(person)

    response = client.post("/api/v1/tokens", headers=headers, json={"name": "laptop"})

    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    secret = made["token"]
    assert secret.startswith("pw_")
    assert made["prefix"] == secret[:10]
    assert made["name"] == "laptop"
    assert made["state"] == "active"
    expires = datetime.fromisoformat(made["expires_at"])
    assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.get_json()["id"] == person.public_id

    listed = client.get("/api/v1/tokens", headers=headers)
    assert listed.status_code == 200
    assert secret not in listed.get_data(as_text=True)
    tokens = listed.get_json()
    assert [t["name"] for t in tokens] == ["test", "laptop"]
    assert all("token" not in t for t in tokens)


def test_a_token_lasts_the_days_asked_for(client, make_user, auth):
    response = client.post("/api/v1/tokens", headers=auth(make_user("tutor")),
                           json={"name": "a week", "days": 7})
    assert response.status_code == 201
    expires = datetime.fromisoformat(response.get_json()["expires_at"])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)


@pytest.mark.parametrize("days", [0, -1, 367, 10_000])
def test_days_out_of_range_is_422(client, make_user, auth, days):
    response = client.post("/api/v1/tokens", headers=auth(make_user("learner")),
                           json={"name": "bad", "days": days})
    body = problem(response, 422)
    assert fields_named(body) == {"days"}
    assert "366" in body["detail"]


@pytest.mark.parametrize(("payload", "fields"), [
    ({}, {"name"}), ({"name": ""}, {"name"}), ({"name": "x", "days": "soon"}, {"days"}),
])
def test_a_bad_token_request_is_422(client, make_user, auth, payload, fields):
    response = client.post("/api/v1/tokens", headers=auth(make_user("learner")), json=payload)
    assert fields_named(problem(response, 422)) == fields


def test_a_revoked_token_is_refused_saying_so(client, make_user, auth):
    person = make_user("learner")
    headers = auth(person)
    made = client.post("/api/v1/tokens", headers=headers, json={"name": "old"}).get_json()
    revoked = {"Authorization": f"Bearer {made['token']}"}
    assert client.get("/api/v1/me", headers=revoked).status_code == 200

    response = client.delete(f"/api/v1/tokens/{made['id']}", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""

    body = problem(client.get("/api/v1/me", headers=revoked), 401)
    assert "revoked" in body["detail"]
    tokens = {t["id"]: t for t in client.get("/api/v1/tokens", headers=headers).get_json()}
    assert tokens[made["id"]]["state"] == "revoked"
    assert tokens[made["id"]]["revoked_at"]
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the others still work


def test_a_token_can_revoke_itself(client, make_user, auth):
    person = make_user("learner")
    headers = auth(person)
    [token] = client.get("/api/v1/tokens", headers=headers).get_json()
    assert client.delete(f"/api/v1/tokens/{token['id']}", headers=headers).status_code == 204
    assert "revoked" in problem(client.get("/api/v1/tokens", headers=headers), 401)["detail"]


def test_an_expired_token_is_refused_saying_so(client, db, make_user, auth):
    person = make_user("learner")
    headers = auth(person)
    db.session.execute(update(ApiToken).where(ApiToken.user_id == person.id)
                       .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    db.session.commit()
    body = problem(client.get("/api/v1/me", headers=headers), 401)
    assert body["detail"] == "The API token has expired."
    assert client.get("/api/v1/me", headers=headers).headers["WWW-Authenticate"]


def test_another_users_token_is_not_found(client, make_user, auth):
    me, other = make_user("learner"), make_user("admin")
    mine, theirs = auth(me), auth(other)
    [their_token] = client.get("/api/v1/tokens", headers=theirs).get_json()

    body = problem(client.delete(f"/api/v1/tokens/{their_token['id']}", headers=mine), 404)
    assert str(their_token["id"]) in body["detail"]
    problem(client.delete("/api/v1/tokens/999999", headers=mine), 404)
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    listed = client.get("/api/v1/tokens", headers=mine).get_json()
    assert their_token["id"] not in {t["id"] for t in listed}
    [still_theirs] = client.get("/api/v1/tokens", headers=theirs).get_json()
    assert still_theirs["state"] == "active"


def test_a_token_works_even_with_a_cookie_from_an_earlier_page(client, make_user, auth):
    """A client that once fetched a page carries a session cookie (holding only a CSRF token);
    its bearer token must still be honoured."""
    headers = auth(make_user("learner"))
    assert client.get("/login").status_code == 200
    with client.session_transaction() as session:
        assert "csrf_token" in session
    assert client.get("/api/v1/me", headers=headers).status_code == 200


# --- a signed-in browser calling the API ----------------------------------------------------


def csrf_token(page: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def browser(client, make_user):
    """A client signed in through the login form, as a learner."""
    client.user = make_user("learner", name="Bea Browser")
    sign_in(client, client.user.email)
    return client


def test_a_signed_in_browser_reads_the_api(browser):
    response = browser.get("/api/v1/me")
    assert response.status_code == 200
    me = response.get_json()
    assert me["id"] == browser.user.public_id
    assert me["last_login_at"]
    assert browser.get("/api/v1/tokens").status_code == 200


@pytest.mark.parametrize("csrf", [None, "not-a-real-token"])
def test_a_browser_post_without_a_valid_csrf_token_is_refused(browser, csrf):
    headers = {"X-CSRFToken": csrf} if csrf else {}
    response = browser.post("/api/v1/tokens", json={"name": "sneaky"}, headers=headers)
    assert 400 <= response.status_code < 500
    body = problem(response, response.status_code)
    assert "CSRF" in body["detail"]
    assert browser.get("/api/v1/tokens").get_json() == []


def test_a_browser_post_with_the_pages_csrf_token_works(browser):
    token = csrf_token(browser.get("/account").get_data(as_text=True))
    response = browser.post("/api/v1/tokens", json={"name": "from the browser"},
                            headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    assert made["token"].startswith("pw_")

    refused = browser.delete(f"/api/v1/tokens/{made['id']}")
    assert "CSRF" in problem(refused, refused.status_code)["detail"]
    response = browser.delete(f"/api/v1/tokens/{made['id']}", headers={"X-CSRFToken": token})
    assert response.status_code == 204
    [listed] = browser.get("/api/v1/tokens").get_json()
    assert listed["state"] == "revoked"


def test_a_signed_out_browser_is_401(browser):
    token = csrf_token(browser.get("/account").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    problem(browser.get("/api/v1/me"), 401)
