"""Applying and deciding through the pages: a learner applies for themself and a manager for a
cohort (priced with VAT as the API prices them), an administrator accepts or declines, a
manager names and removes a cohort's learners, an applicant withdraws; each refusal is a
message on the page, and nobody sees another organisation's applications."""

import pytest
from admin_pages_support import csrf_token, field_error, main_text, post_form, sign_in, text_of

from lms.enrolment.applications import Application
from lms.enrolment.models import Enrolment
from lms.invoicing.models import Invoice

pytest_plugins = ["enrolment_pages_fixtures"]


def apply_individual(client, intake):
    return post_form(client, "/apply", "/apply", {"kind": "individual",
                                                  "individual-intake": intake.id},
                     prefix="individual")


def apply_cohort(client, intake, learners):
    return post_form(client, "/apply", "/apply", {
        "kind": "cohort", "cohort-intake": intake.id,
        "cohort-learners": [p.public_id for p in learners]}, prefix="cohort")


def api_application(client, application_id):
    response = client.get(f"/api/v1/applications/{application_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def only_application(db) -> Application:
    return db.session.execute(db.select(Application)).scalar_one()


def test_the_apply_page_shows_open_intakes_with_the_price_and_vat(client, world):
    sign_in(client, world.alex)
    page = main_text(client.get("/apply"))
    assert "Spring intake" in page
    assert "Autumn intake" not in page  # applications open later
    assert "£1,990.00 + VAT £398.00 = £2,388.00" in page
    assert "Cohort of 6" not in page  # a learner does not apply for a cohort
    assert "48 of 48 free" in page


def test_a_manager_sees_the_cohort_price_and_their_learners_only(client, world):
    sign_in(client, world.manager)
    page = main_text(client.get("/apply"))
    assert "£11,940.00 + VAT £2,388.00 = £14,328.00" in page
    assert "Apply for a cohort of 6 from Riverside Care" in page
    assert "Aisha Khan" in page and "Olu Outsider" not in page


def test_a_learner_applies_for_themself(client, db, world):
    sign_in(client, world.alex)
    response = apply_individual(client, world.intake)
    application = only_application(db)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{application.id}"
    body = api_application(client, application.id)
    assert (body["kind"], body["status"], body["net_amount"]) == (
        "individual", "submitted", "1990.00")
    assert [s["learner"]["name"] for s in body["seats"]] == ["Alex Morgan"]
    page = client.get(response.headers["Location"])
    assert "Application sent for Spring intake: individual place." in text_of(page)
    assert "£1,990.00 + VAT at 20% £398.00 = £2,388.00" in main_text(page)
    listing = main_text(client.get("/applications"))
    assert f"Application {application.id} Individual place Spring intake" in listing
    assert "Waiting for a decision" in listing


def test_the_intake_held_already_is_not_offered_again(client, db, world):
    sign_in(client, world.alex)
    apply_individual(client, world.intake)
    page = main_text(client.get("/apply"))
    assert "You have a place" in page
    assert "You have a place on every intake open now" in page
    token = csrf_token(client.get("/account").get_data(as_text=True))
    again = client.post("/apply", data={"kind": "individual", "individual-intake": world.intake.id,
                                        "individual-csrf_token": token})
    assert again.status_code == 422  # a page shown before: the intake is no longer offered
    assert "You have a place on every intake open now" in main_text(again)
    assert len(db.session.execute(db.select(Application)).scalars().all()) == 1


def test_a_manager_applies_for_a_cohort_naming_learners(client, db, world):
    sign_in(client, world.manager)
    response = apply_cohort(client, world.intake, world.staff[:2])
    assert response.status_code == 302, main_text(response)
    body = api_application(client, only_application(db).id)
    assert (body["kind"], body["organisation"], body["net_amount"]) == (
        "cohort", "riverside", "11940.00")
    assert [s["learner"]["name"] for s in body["seats"]] == ["Aisha Khan", "Ben Carter"]


def test_seven_learners_are_refused_next_to_the_field(client, db, world):
    sign_in(client, world.manager)
    response = apply_cohort(client, world.intake, world.staff)
    assert response.status_code == 422
    assert field_error(response, "cohort-learners") == (
        "a cohort has at most 6 learners, not 7")
    assert "learners: a cohort has at most 6 learners" in text_of(response)
    assert db.session.execute(db.select(Application)).first() is None


def test_a_learner_of_another_organisation_cannot_be_named(client, db, world):
    sign_in(client, world.manager)
    response = apply_cohort(client, world.intake, [world.outsider])
    assert response.status_code == 422
    assert "is not a valid choice" in field_error(response, "cohort-learners")
    assert db.session.execute(db.select(Application)).first() is None


def test_a_learner_cannot_apply_for_a_cohort(client, db, world):
    sign_in(client, world.alex)
    token = csrf_token(client.get("/apply").get_data(as_text=True), "individual-csrf_token")
    response = client.post("/apply", data={"kind": "cohort", "cohort-intake": world.intake.id,
                                           "cohort-csrf_token": token})
    assert response.status_code == 403
    assert "Only an organisation manager" in text_of(response)
    assert db.session.execute(db.select(Application)).first() is None


def test_a_full_intake_is_a_message_not_an_error_page(client, db, world, accepted):
    world.intake.capacity = 6
    db.session.commit()
    accepted(world.manager, "cohort", world.staff[:1])
    sign_in(client, world.alex)
    response = apply_individual(client, world.intake)
    assert response.status_code == 409
    assert "intake: Spring intake is full (6 of 6 places taken; this needs 1)." in text_of(
        response)
    assert field_error(response, "individual-intake") == (
        "Spring intake is full (6 of 6 places taken; this needs 1).")


def test_an_administrator_accepts_and_the_enrolments_and_invoice_follow(
        client, db, world):
    sign_in(client, world.manager)
    apply_cohort(client, world.intake, world.staff[:2])
    application = only_application(db)
    sign_in(client, world.admin)
    page = f"/applications/{application.id}"
    assert "Accept application" in main_text(client.get(page))
    response = post_form(client, page, f"{page}/decision",
                         {"decision": "accept", "note": "Welcome aboard"})
    assert response.status_code == 302
    body = api_application(client, application.id)
    assert body["status"] == "accepted" and body["decision_note"] == "Welcome aboard"
    assert all(seat["enrolment"]["status"] == "pending" for seat in body["seats"])
    assert body["invoice"]["gross"] == "14328.00"
    shown = client.get(page)
    assert "Accepted: 2 enrolled; invoice PW-000001 issued to Riverside Care." in text_of(
        shown)
    assert "Accept application" not in main_text(shown)
    assert "Invoice PW-000001" in main_text(shown)


def test_an_administrator_declines_with_a_note_the_applicant_reads(client, db, world):
    sign_in(client, world.alex)
    apply_individual(client, world.intake)
    application = only_application(db)
    sign_in(client, world.admin)
    page = f"/applications/{application.id}"
    post_form(client, page, f"{page}/decision", {"decision": "decline",
                                                 "note": "No places for individuals"})
    sign_in(client, world.alex)
    shown = main_text(client.get(page))
    assert "Declined" in shown and "No places for individuals" in shown
    assert db.session.execute(db.select(Enrolment)).first() is None
    assert db.session.execute(db.select(Invoice)).first() is None


def test_deciding_twice_is_a_message(client, db, world, accepted):
    application = accepted(world.alex)
    sign_in(client, world.admin)
    page = f"/applications/{application.id}"
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post(f"{page}/decision", data={"decision": "decline",
                                                     "csrf_token": token})
    assert response.status_code == 302
    assert (f"application: {application.id} is already accepted."
            in text_of(client.get(page)))
    db.session.refresh(application)
    assert application.status == "accepted"


def test_a_manager_names_and_removes_learners_and_withdraws(client, db, world):
    sign_in(client, world.manager)
    apply_cohort(client, world.intake, world.staff[:1])
    application = only_application(db)
    page = f"/applications/{application.id}"
    added = post_form(client, page, f"{page}/learners",
                      {"add-learners": [world.staff[1].public_id, world.staff[2].public_id]},
                      prefix="add")
    assert added.status_code == 302
    assert "Added: Ben Carter, Chloe Evans." in text_of(client.get(page))
    assert [s["learner"]["name"] for s in api_application(client, application.id)["seats"]] \
        == ["Aisha Khan", "Ben Carter", "Chloe Evans"]
    removed = post_form(client, page,
                        f"{page}/learners/{world.staff[0].public_id}/remove", {})
    assert removed.status_code == 302
    assert [s["learner"]["name"] for s in api_application(client, application.id)["seats"]] \
        == ["Ben Carter", "Chloe Evans"]
    withdrawn = post_form(client, page, f"{page}/withdrawal", {})
    assert withdrawn.status_code == 302
    assert api_application(client, application.id)["status"] == "withdrawn"
    assert "Your application for Spring intake is withdrawn." in text_of(client.get(page))


def test_naming_a_learner_who_holds_a_place_is_refused_on_the_page(
        client, db, world, accepted):
    accepted(world.staff[5])  # Femi applied alone and was accepted
    sign_in(client, world.manager)
    page = apply_cohort(client, world.intake, []).headers["Location"]
    response = post_form(client, page, f"{page}/learners",
                         {"add-learners": [world.staff[5].public_id]}, prefix="add")
    assert response.status_code == 409
    assert "Femi Adeyemi" in field_error(response, "add-learners")
    assert "already holds application 1 on Spring intake." in field_error(response, "add-learners")


def test_only_the_applicant_withdraws(client, db, world):
    sign_in(client, world.alex)
    apply_individual(client, world.intake)
    application = only_application(db)
    sign_in(client, world.admin)
    page = f"/applications/{application.id}"
    assert "Withdraw my application" not in main_text(client.get(page))
    post_form(client, page, f"{page}/withdrawal", {})
    assert "Only the applicant may withdraw an application." in text_of(client.get(page))
    db.session.refresh(application)
    assert application.status == "submitted"


def test_nobody_sees_another_organisations_or_persons_applications(
        client, db, world, accepted):
    cohort = accepted(world.manager, "cohort", world.staff[:1])
    own = accepted(world.alex)
    sign_in(client, world.other_manager)
    assert client.get(f"/applications/{cohort.id}").status_code == 404
    assert "No applications yet." in main_text(client.get("/applications"))
    adding = post_form(client, "/account", f"/applications/{cohort.id}/learners",
                       {"add-learners": [world.outsider.public_id]})
    assert adding.status_code == 404
    db.session.refresh(cohort)
    assert len(cohort.seats) == 1
    sign_in(client, world.staff[0])  # a learner of the cohort: only their own applications
    assert client.get(f"/applications/{cohort.id}").status_code == 404
    sign_in(client, world.alex)
    listing = main_text(client.get("/applications"))
    assert f"Application {own.id}" in listing and f"Application {cohort.id}" not in listing
    sign_in(client, world.admin)
    listing = main_text(client.get("/applications"))
    assert f"Application {own.id}" in listing and f"Application {cohort.id}" in listing


@pytest.mark.parametrize("who", ["alex", "manager"])
def test_only_administrators_decide(client, db, world, who):
    sign_in(client, world.alex)
    apply_individual(client, world.intake)
    application = only_application(db)
    sign_in(client, getattr(world, who))
    page = f"/applications/{application.id}"
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post(f"{page}/decision", data={"decision": "accept",
                                                     "csrf_token": token})
    assert response.status_code == 403
    db.session.refresh(application)
    assert application.status == "submitted"


def test_a_form_without_its_csrf_token_is_refused(client, db, world):
    sign_in(client, world.alex)
    response = client.post("/apply", data={"kind": "individual",
                                           "individual-intake": world.intake.id})
    assert response.status_code == 400
    assert db.session.execute(db.select(Application)).first() is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/apply", "/applications", "/applications/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_the_list_links_an_administrator_to_decide_and_a_learner_to_their_enrolments(
        client, db, world, accepted):
    cohort = accepted(world.manager, "cohort", world.staff[:1])
    sign_in(client, world.alex)
    apply_individual(client, world.intake)
    waiting = db.session.execute(db.select(Application).where(
        Application.applicant_id == world.alex.id)).scalar_one()
    sign_in(client, world.admin)
    html = client.get("/applications").get_data(as_text=True)
    assert f'href="/applications/{waiting.id}#decide">Decide' in html
    assert f'href="/applications/{cohort.id}#decide"' not in html
    sign_in(client, world.staff[0])
    enrolment = cohort.seats[0].enrolment
    page = client.get("/applications")
    assert "No applications yet." in main_text(page)
    assert f'href="/enrolments/{enrolment.id}">Spring intake</a>' in page.get_data(as_text=True)
    assert "Spring intake : Starts soon, from" in main_text(page)
