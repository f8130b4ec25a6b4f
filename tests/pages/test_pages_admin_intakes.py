"""Intakes, organisations and cohorts through the administrator's page: the table (dates,
applications, places, learners, cohorts), and adding an intake (with the API's checks, shown
next to the fields), an organisation and a cohort."""

from datetime import date

import pytest
from admin_pages_support import field_error, main_text, post_form, sign_in, text_of

from lms.enrolment.models import Cohort, Intake, Organisation

PAGE = "/admin/intakes"


@pytest.fixture
def admin(client, make_user):
    sign_in(client, make_user("admin"))


def add_intake(client, **fields):
    data = {"qualification": "l5-diploma-reducing-restrictive-practices",
            "name": "September 2031 intake", "start_date": "2031-09-02",
            "applications_open": "2031-01-05", "applications_close": "2031-07-31",
            "final_payment_date": "2031-08-01", "capacity": "24", **fields}
    return post_form(client, PAGE, PAGE, {f"intake-{k}": v for k, v in data.items()},
                     prefix="intake")


def test_the_table_shows_each_intake_with_its_cohorts_and_learners(
        client, db, admin, make_user, enrol):
    organisation = Organisation(slug="hill-house", name="Hill House")
    cohort = Cohort(intake=enrol.intake, organisation=organisation, name="Hill House cohort",
                    seats=4)
    db.session.add_all([organisation, cohort])
    db.session.commit()
    for _ in range(3):
        enrol(make_user("learner"), cohort=cohort)
    enrol(make_user("learner"))
    page = main_text(client.get(PAGE))
    assert ("Test intake (change) Level 5 BTEC Diploma in Practice Leadership in Reducing "
            "Restrictive "
            "Practices Tuesday 2 June 2026") in page
    assert "4 taken (no limit) 4 Hill House cohort (Hill House; 3 of 4 seats)" in page
    assert "Hill House ( hill-house )" in page


def test_an_intake_added_on_the_page_is_stored(client, db, admin, catalogue):
    response = add_intake(client)
    assert response.status_code == 302
    intake = db.session.execute(db.select(Intake)).scalar_one()
    assert (intake.name, intake.start_date, intake.capacity) == (
        "September 2031 intake", date(2031, 9, 2), 24)
    assert intake.applications_close == date(2031, 7, 31)
    page = client.get(PAGE)
    assert ("Intake added: September 2031 intake, starting Tuesday 2 September 2031."
            in text_of(page))
    assert ("Tuesday 2 September 2031 Sunday 5 January 2031 to Thursday 31 July 2031 "
            "Not open yet Friday 1 August 2031 0 taken of 24 0 None") in main_text(page)
    api = client.get("/api/v1/intakes?all=true").get_json()
    assert [(i["name"], i["capacity"]) for i in api["items"]] == [("September 2031 intake", 24)]


@pytest.mark.parametrize("fields, field, status, message", [
    ({"applications_close": "2031-09-03"}, "applications_close", 422,
     "must be on or before the start date (2031-09-02), not 2031-09-03"),
    ({"final_payment_date": "2031-10-01"}, "final_payment_date", 422,
     "must be on or before the start date"),
    ({"capacity": "0"}, "capacity", 422, "Number must be at least 1."),
    ({"start_date": ""}, "start_date", 422, "This field is required."),
    ({"qualification": "no-such-thing"}, "qualification", 422, "Not a valid choice"),
])
def test_a_wrong_intake_is_refused_next_to_the_field(client, db, admin, catalogue, fields,
                                                     field, status, message):
    response = add_intake(client, **fields)
    assert response.status_code == status
    assert message in (field_error(response, f"intake-{field}") or "")
    assert db.session.execute(db.select(Intake)).first() is None


def test_a_second_intake_starting_the_same_day_is_a_conflict(client, db, admin, catalogue):
    assert add_intake(client).status_code == 302
    response = add_intake(client, name="Again")
    assert response.status_code == 409
    assert "this qualification already has an intake starting on 2031-09-02" in (
        field_error(response, "intake-start_date"))
    assert len(db.session.execute(db.select(Intake)).all()) == 1


def test_organisations_and_cohorts_are_added_on_the_page(client, db, admin, enrol):
    response = post_form(client, PAGE, "/admin/organisations", {
        "organisation-name": "Hill House", "organisation-slug": "hill-house",
        "organisation-rrn_member": "y"}, prefix="organisation")
    assert response.status_code == 302
    organisation = db.session.execute(db.select(Organisation)).scalar_one()
    assert (organisation.name, organisation.rrn_member) == ("Hill House", True)

    again = post_form(client, PAGE, "/admin/organisations", {
        "organisation-name": "Other", "organisation-slug": "hill-house"}, prefix="organisation")
    assert again.status_code == 409
    assert field_error(again, "organisation-slug") == "is already taken"
    bad = post_form(client, PAGE, "/admin/organisations", {
        "organisation-name": "Other", "organisation-slug": "Hill House"}, prefix="organisation")
    assert bad.status_code == 422
    assert "single hyphens" in field_error(bad, "organisation-slug")

    response = post_form(client, PAGE, "/admin/cohorts", {
        "cohort-organisation": str(organisation.id), "cohort-intake": str(enrol.intake.id),
        "cohort-name": "Hill House cohort", "cohort-seats": "5"}, prefix="cohort")
    assert response.status_code == 302
    cohort = db.session.execute(db.select(Cohort)).scalar_one()
    assert (cohort.organisation_id, cohort.intake_id, cohort.seats) == (
        organisation.id, enrol.intake.id, 5)
    assert "Hill House cohort (Hill House; 0 of 5 seats)" in main_text(client.get(PAGE))
    assert (f'<option value="{enrol.intake.id}">Test intake (starts Tuesday 2 June 2026)'
            '</option>') in (
        client.get(PAGE).get_data(as_text=True))

    too_many = post_form(client, PAGE, "/admin/cohorts", {
        "cohort-organisation": str(organisation.id), "cohort-intake": str(enrol.intake.id),
        "cohort-name": "Big", "cohort-seats": "7"}, prefix="cohort")
    assert too_many.status_code == 422
    assert "between 1 and 6" in field_error(too_many, "cohort-seats")
    assert len(db.session.execute(db.select(Cohort)).all()) == 1
