"""The internal verifier role (`verifier`): a known role in the API, the CLI and the database's
own check (migration 0003), alone or with tutor; unknown roles still refused everywhere."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.access import ROLES
from lms.people.models import User, UserRole


def test_verifier_is_a_role():
    assert "verifier" in ROLES


def test_an_administrator_creates_a_tutor_who_is_an_internal_verifier(client, make_user,
                                                                      auth):
    admin = make_user("admin")
    response = client.post("/api/v1/users", headers=auth(admin), json={
        "email": "morgan.lee@pathway.test", "name": "Morgan Lee",
        "roles": ["verifier", "tutor"]})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["roles"] == ["tutor", "verifier"]

    listed = client.get("/api/v1/users?role=verifier", headers=auth(admin)).get_json()
    assert [u["name"] for u in listed["items"]] == ["Morgan Lee"]


def test_lms_users_create_takes_the_verifier_role(runner, db):
    result = runner.invoke(args=["users", "create", "--email", "v@pathway.test", "--name",
                                 "Morgan Lee", "--role", "verifier", "--password",
                                 "correct horse battery"])
    assert result.exit_code == 0, result.output
    assert "created v@pathway.test (verifier)" in result.output
    user = db.session.execute(select(User).where(User.email == "v@pathway.test")).scalar_one()
    assert user.role_names == {"verifier"}


def test_lms_users_create_refuses_an_unknown_role(runner, db):
    result = runner.invoke(args=["users", "create", "--email", "w@pathway.test", "--name",
                                 "W", "--role", "wizard", "--password", "correct horse battery"])
    assert result.exit_code == 2
    assert "'wizard' is not one of" in result.output and "'verifier'" in result.output
    assert db.session.execute(select(User).where(User.email == "w@pathway.test")).first() is None


def test_the_database_accepts_verifier_and_refuses_an_unknown_role(db, make_user):
    """The `known_role` check itself (changed by migration 0003), below the application's."""
    user = make_user("tutor")
    db.session.add(UserRole(user_id=user.id, role="verifier"))
    db.session.commit()
    assert db.session.get(User, user.id).role_names == {"tutor", "verifier"}

    db.session.add(UserRole(user_id=user.id, role="wizard"))
    with pytest.raises(IntegrityError, match="known_role"):
        db.session.commit()
    db.session.rollback()


def test_an_unknown_role_is_refused_by_the_api(client, make_user, auth, db):
    response = client.post("/api/v1/users", headers=auth(make_user("admin")), json={
        "email": "x@pathway.test", "name": "X", "roles": ["internal-verifier"]})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["json.roles[0]"]
    assert db.session.execute(select(User).where(User.email == "x@pathway.test")).first() is None
