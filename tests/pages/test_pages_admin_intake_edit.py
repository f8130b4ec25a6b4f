"""Changing an intake through the administrator's page, with the API's checks."""

from datetime import date

import pytest
from admin_pages_support import field_error, post_form, sign_in

from lms.enrolment.models import Intake


@pytest.fixture
def admin(client, make_user):
    sign_in(client, make_user("admin"))


def change(client, intake, **fields):
    page = f"/admin/intakes/{intake.id}"
    data = {"name": intake.name, "start_date": intake.start_date.isoformat(),
            "applications_open": "", "applications_close": "", "final_payment_date": "",
            "capacity": "", **fields}
    return post_form(client, page, page, {f"intake-{k}": v for k, v in data.items()},
                     prefix="intake")


def test_the_page_shows_the_intake_and_saves_a_new_capacity_and_name(client, db, admin, enrol):
    intake = enrol.intake
    page = client.get(f"/admin/intakes/{intake.id}")
    assert page.status_code == 200
    assert "Change Test intake" in page.get_data(as_text=True)
    response = change(client, intake, name="June 2026 intake", capacity="30")
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Intake, intake.id)
    assert (stored.name, stored.capacity) == ("June 2026 intake", 30)


def test_the_start_date_stays_once_learners_are_enrolled(client, db, admin, enrol, make_user):
    intake = enrol.intake
    enrol(make_user("learner"))
    response = change(client, intake, start_date="2026-07-07")
    assert response.status_code == 409
    assert "defer them instead" in (field_error(response, "intake-start_date") or "")
    db.session.expire_all()
    assert db.session.get(Intake, intake.id).start_date == date(2026, 6, 2)


def test_only_administrators_may_change_an_intake(client, make_user, enrol):
    sign_in(client, make_user("tutor"))
    assert client.get(f"/admin/intakes/{enrol.intake.id}").status_code == 403
