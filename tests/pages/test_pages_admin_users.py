"""People and roles through the administrator's pages: finding accounts, creating one that can
then sign in, refusals next to their fields (a taken e-mail address is a 409), changing roles
with checkboxes, and deactivating and activating an account."""

import pytest
from admin_pages_support import (
    PASSWORD,
    csrf_token,
    field_error,
    main_text,
    post_form,
    sign_in,
    text_of,
)
from conftest import OwnContextClient

from lms.enrolment.models import Organisation
from lms.people.models import User


@pytest.fixture
def admin(client, make_user):
    user = make_user("admin", name="Ada Admin")
    sign_in(client, user)
    return user


def _user(db, email):
    return db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()


def create(client, **fields):
    data = {"name": "Nia New", "email": "nia.new@pathway.test", "roles": ["learner"],
            "password": "a new long password", "organisation": "", **fields}
    return post_form(client, "/admin/users/new", "/admin/users/new", data)


def test_the_list_shows_everyone_with_their_roles_and_finds_by_name_or_email(
        client, admin, make_user):
    make_user("learner", name="Rowan Reader", email="rowan@pathway.test")
    make_user("tutor", "verifier", name="Tess Teacher", email="tess@school.test")
    everyone = main_text(client.get("/admin/users"))
    assert "Rowan Reader rowan@pathway.test Learner" in everyone
    assert "Tess Teacher tess@school.test Tutor, Internal verifier" in everyone
    assert "Ada Admin" in everyone

    by_name = main_text(client.get("/admin/users?q=rowan"))
    assert "Rowan Reader" in by_name and "Tess Teacher" not in by_name
    by_email = main_text(client.get("/admin/users?q=SCHOOL.test"))
    assert "Tess Teacher" in by_email and "Rowan Reader" not in by_email
    by_role = main_text(client.get("/admin/users?role=verifier"))
    assert "Tess Teacher" in by_role and "Rowan Reader" not in by_role
    assert "No account matches “%”" in main_text(client.get("/admin/users?q=%25"))


def test_an_account_created_through_the_page_can_sign_in(app, client, db, admin):
    organisation = Organisation(slug="hill-house", name="Hill House")
    db.session.add(organisation)
    db.session.commit()
    response = create(client, roles=["learner", "org_manager"], organisation="hill-house")
    assert response.status_code == 302
    made = _user(db, "nia.new@pathway.test")
    assert made.name == "Nia New"
    assert made.role_names == {"learner", "org_manager"}
    assert made.organisation_id == organisation.id
    assert response.headers["Location"] == f"/admin/users/{made.public_id}"
    page = client.get(response.headers["Location"])
    assert "Account created for Nia New (nia.new@pathway.test)." in text_of(page)

    browser = OwnContextClient(app, app.response_class, use_cookies=True)
    sign_in(browser, made, password="a new long password")
    assert "Nia New" in main_text(browser.get("/account"))
    assert browser.get("/organisation").status_code == 200


def test_a_taken_email_address_is_a_409_shown_next_to_the_field(client, db, admin, make_user):
    make_user("learner", email="taken@pathway.test")
    response = create(client, email="Taken@pathway.test")
    assert response.status_code == 409
    assert "A user with e-mail taken@pathway.test already exists." in text_of(response)
    assert field_error(response, "email") == "is already taken"
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'aria-describedby="email-error"' in html
    assert 'value="Nia New"' in html  # what was typed is kept
    assert db.session.execute(db.select(User).where(User.name == "Nia New")).first() is None


@pytest.mark.parametrize("fields, field, message", [
    ({"roles": []}, "roles", "Choose at least one role."),
    ({"email": "not an address"}, "email", "Enter an e-mail address"),
    ({"name": ""}, "name", "This field is required."),
    ({"password": "short"}, "password", "at least"),
    ({"roles": ["learner", "wizard"]}, "roles", "not a valid choice"),
    ({"organisation": "nowhere"}, "organisation", "Not a valid choice"),
])
def test_a_wrong_field_is_refused_next_to_it(client, db, admin, fields, field, message):
    response = create(client, **fields)
    assert response.status_code == 422
    assert message in (field_error(response, field) or "")
    assert _user(db, "nia.new@pathway.test") is None


def test_an_account_without_a_password_cannot_sign_in_until_one_is_set(
        app, client, db, admin):
    assert create(client, password="").status_code == 302
    made = _user(db, "nia.new@pathway.test")
    assert made.password_hash is None
    response = post_form(client, f"/admin/users/{made.public_id}",
                         f"/admin/users/{made.public_id}",
                         {"name": "Nia New", "roles": ["learner"], "password": PASSWORD})
    assert response.status_code == 302
    sign_in(OwnContextClient(app, app.response_class, use_cookies=True), made)


def test_roles_are_changed_with_checkboxes(client, db, admin, make_user):
    person = make_user("learner", name="Rowan Reader")
    url = f"/admin/users/{person.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="roles" value="learner" checked' in page
    assert 'name="roles" value="tutor">' in page
    assert '<legend>Roles</legend>' in page

    response = post_form(client, url, url, {"name": "Rowan R. Reader",
                                            "roles": ["tutor", "verifier"]})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role_names == {"tutor", "verifier"}
    assert person.name == "Rowan R. Reader"
    shown = client.get(url)
    assert "Saved the changes to Rowan R. Reader's account." in text_of(shown)
    html = shown.get_data(as_text=True)
    assert 'value="tutor" checked' in html and 'value="learner" checked' not in html

    refused = post_form(client, url, url, {"name": "Rowan", "roles": []})
    assert refused.status_code == 422
    assert field_error(refused, "roles") == "Choose at least one role."
    db.session.refresh(person)
    assert person.role_names == {"tutor", "verifier"}


def test_an_administrator_cannot_remove_their_own_admin_role(client, db, admin):
    url = f"/admin/users/{admin.public_id}"
    response = post_form(client, url, url, {"name": "Ada Admin", "roles": ["tutor"]})
    assert response.status_code == 422
    assert "you cannot remove your own admin role" in field_error(response, "roles")
    db.session.refresh(admin)
    assert "admin" in admin.role_names


def test_deactivating_stops_signing_in_and_activating_allows_it_again(
        app, client, db, admin, make_user):
    person = make_user("learner", name="Rowan Reader")
    url = f"/admin/users/{person.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Deactivate account" in page
    response = client.post(f"{url}/active", data={"csrf_token": csrf_token(page),
                                                  "active": "no"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.active is False
    assert "Rowan Reader's account is deactivated." in text_of(client.get(url))

    browser = OwnContextClient(app, app.response_class, use_cookies=True)
    token = csrf_token(browser.get("/login").get_data(as_text=True))
    refused = browser.post("/login", data={"email": person.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert refused.status_code == 401

    page = client.get(url).get_data(as_text=True)
    assert "Activate account" in page
    client.post(f"{url}/active", data={"csrf_token": csrf_token(page), "active": "yes"})
    db.session.refresh(person)
    assert person.active is True
    sign_in(browser, person)


def test_an_administrator_cannot_deactivate_themselves(client, db, admin):
    url = f"/admin/users/{admin.public_id}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/active", data={"csrf_token": csrf_token(page),
                                                  "active": "no"})
    assert response.status_code == 302
    assert "you cannot remove your own admin role or disable yourself" in text_of(
        client.get(url))
    db.session.refresh(admin)
    assert admin.active is True
