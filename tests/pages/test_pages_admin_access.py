"""Who may open the administrator's pages: administrators do; learners, tutors and
organisation managers are refused (403); anonymous visitors are sent to sign in; and a form
posted without its CSRF token is refused (400) and changes nothing."""

import pytest
from admin_pages_support import csrf_token, main_text, sign_in

from lms.people.models import User

PAGES = ["/admin", "/admin/catalogue", "/admin/users", "/admin/users/new", "/admin/intakes",
         "/admin/lrs-clients"]


@pytest.mark.parametrize("url", PAGES)
def test_an_administrator_opens_every_page(client, make_user, catalogue, url):
    sign_in(client, make_user("admin", name="Ada Admin"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True).count("<h1") == 1


def test_an_administrator_opens_an_accounts_page(client, make_user):
    sign_in(client, make_user("admin"))
    other = make_user("learner", name="Lou Learner")
    response = client.get(f"/admin/users/{other.public_id}")
    assert response.status_code == 200
    assert "Lou Learner" in main_text(response)
    assert client.get("/admin/users/no-such-person").status_code == 404


@pytest.mark.parametrize("role", ["learner", "tutor", "org_manager", "verifier"])
@pytest.mark.parametrize("url", [*PAGES, "/admin/users/x"])
def test_other_roles_are_refused(client, make_user, role, url):
    sign_in(client, make_user(role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["learner", "tutor"])
def test_other_roles_cannot_post_either(client, db, make_user, role):
    sign_in(client, make_user(role))
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post("/admin/users/new", data={
        "csrf_token": token, "name": "Sly", "email": "sly@pathway.test", "roles": "admin"})
    assert response.status_code == 403
    assert db.session.execute(db.select(User).where(User.email == "sly@pathway.test")
                              ).first() is None


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_navigation_links_administration_for_administrators_only(client, make_user):
    sign_in(client, make_user("admin"))
    assert 'href="/admin"' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("url, data", [
    ("/admin/users/new", {"name": "No Token", "email": "no.token@pathway.test",
                          "roles": "learner"}),
    ("/admin/lrs-clients", {"name": "No token", "scopes": "all"}),
    ("/admin/intakes", {"intake-name": "No token", "intake-start_date": "2030-01-01"}),
    ("/admin/organisations", {"organisation-name": "No token", "organisation-slug": "nt"}),
])
def test_a_post_without_its_csrf_token_is_refused(client, db, make_user, catalogue, url, data):
    sign_in(client, make_user("admin"))
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "CSRF" in main_text(response)
    assert db.session.execute(db.select(User).where(
        User.email == "no.token@pathway.test")).first() is None
