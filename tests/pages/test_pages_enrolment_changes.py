"""Enrolments and their changes through the pages: the list (an administrator every one, a
manager their organisation's), one enrolment with its history, and withdrawing, deferring and
transferring a cohort seat, each for whom the API allows it; refusals are messages."""

import pytest
from admin_pages_support import csrf_token, field_error, main_text, post_form, sign_in, text_of

from lms.enrolment.applications import EnrolmentChange
from lms.enrolment.models import Enrolment

pytest_plugins = ["enrolment_pages_fixtures"]


@pytest.fixture
def seats(world, accepted):
    """Riverside's cohort (Aisha and Ben) and Alex's individual place, accepted: the
    enrolments of Aisha, Ben and Alex."""
    cohort = accepted(world.manager, "cohort", world.staff[:2])
    own = accepted(world.alex)
    return [seat.enrolment for seat in cohort.seats] + [own.seats[0].enrolment]


def api_changes(client, enrolment):
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/changes")
    assert response.status_code == 200
    return [(c["kind"], c["reason"]) for c in response.get_json()["items"]]


def test_the_list_shows_a_manager_their_organisations_enrolments_only(client, world, seats):
    sign_in(client, world.manager)
    page = main_text(client.get("/enrolments"))
    assert "Aisha Khan" in page and "Ben Carter" in page and "Alex Morgan" not in page
    assert "Download every enrolment as CSV" not in page
    sign_in(client, world.admin)
    page = main_text(client.get("/enrolments"))
    assert "Aisha Khan" in page and "Alex Morgan" in page
    assert "Download every enrolment as CSV" in page
    assert "Alex Morgan" not in main_text(client.get("/enrolments?q=aisha"))
    assert "Aisha Khan" in main_text(client.get("/enrolments?q=aisha"))


@pytest.mark.parametrize("role", ["learner", "tutor", "verifier"])
def test_the_list_is_for_administrators_and_managers(client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get("/enrolments").status_code == 403


def test_the_enrolment_page_shows_the_history(client, world, seats):
    aisha = seats[0]
    sign_in(client, world.manager)
    page = main_text(client.get(f"/enrolments/{aisha.id}"))
    assert "Enrolment of Aisha Khan" in page
    assert "Starts soon" in page
    assert "Enrolled from application 1" in page and "by Priya Shah" in page
    assert "Withdraw the learner" in page
    assert "Give the seat to another learner" in page
    assert "Defer to a later intake" not in page  # administrators only


def test_a_learner_sees_their_own_history_and_no_forms(client, world, seats):
    sign_in(client, world.staff[0])
    page = main_text(client.get(f"/enrolments/{seats[0].id}"))
    assert "Enrolled from application 1" in page
    assert "Withdraw" not in page and "Transfer" not in page and "Defer" not in page
    assert client.get(f"/enrolments/{seats[1].id}").status_code == 404


def test_another_organisations_manager_sees_nothing(client, db, world, seats):
    sign_in(client, world.other_manager)
    assert client.get(f"/enrolments/{seats[0].id}").status_code == 404
    assert "No enrolments match." in main_text(client.get("/enrolments"))
    token = csrf_token(client.get("/enrolments").get_data(as_text=True))
    response = client.post(f"/enrolments/{seats[0].id}/withdrawal",
                           data={"withdraw-csrf_token": token, "withdraw-reason": "No"})
    assert response.status_code == 404
    db.session.refresh(seats[0])
    assert seats[0].status == "pending"


def test_a_manager_withdraws_a_learner(client, db, world, seats):
    aisha = seats[0]
    sign_in(client, world.manager)
    page = f"/enrolments/{aisha.id}"
    response = post_form(client, page, f"{page}/withdrawal",
                         {"withdraw-reason": "Left the service"}, prefix="withdraw")
    assert response.status_code == 302
    db.session.refresh(aisha)
    assert aisha.status == "withdrawn"
    assert api_changes(client, aisha)[-1] == ("withdrawn", "Left the service")
    shown = client.get(page)
    assert "Aisha Khan is withdrawn from Spring intake." in text_of(shown)
    assert "by Jo Whitfield Reason: Left the service" in main_text(shown)
    assert "Withdraw the learner" not in main_text(shown)


def test_a_blank_reason_is_refused_next_to_the_field(client, db, world, seats):
    sign_in(client, world.manager)
    page = f"/enrolments/{seats[0].id}"
    response = post_form(client, page, f"{page}/withdrawal", {"withdraw-reason": "  "},
                         prefix="withdraw")
    assert response.status_code == 422
    assert field_error(response, "withdraw-reason") == "Say why."
    db.session.refresh(seats[0])
    assert seats[0].status == "pending"


def test_withdrawing_twice_is_a_message(client, db, world, seats):
    sign_in(client, world.admin)
    page = f"/enrolments/{seats[2].id}"
    post_form(client, page, f"{page}/withdrawal", {"withdraw-reason": "Moved away"},
              prefix="withdraw")
    token = csrf_token(client.get(page).get_data(as_text=True))
    again = client.post(f"{page}/withdrawal", data={"withdraw-csrf_token": token,
                                                    "withdraw-reason": "Again"})
    assert again.status_code == 302
    assert ("status: this enrolment is withdrawn; it cannot be withdrawn."
            in text_of(client.get(page)))
    assert [kind for kind, _ in api_changes(client, seats[2])].count("withdrawn") == 1


def test_a_manager_cannot_withdraw_an_individual_learner_of_no_organisation(
        client, db, world, seats, make_user):
    sign_in(client, world.admin)
    assert "Withdraw the learner" in main_text(client.get(f"/enrolments/{seats[2].id}"))
    sign_in(client, world.manager)
    assert client.get(f"/enrolments/{seats[2].id}").status_code == 404


def test_an_administrator_defers_to_a_later_intake(client, db, world, seats):
    alex = seats[2]
    sign_in(client, world.admin)
    page = f"/enrolments/{alex.id}"
    assert "Autumn intake (starts" in main_text(client.get(page))
    response = post_form(client, page, f"{page}/deferral",
                         {"defer-intake": world.later.id, "defer-reason": "Family leave"},
                         prefix="defer")
    assert response.status_code == 302
    db.session.refresh(alex)
    assert (alex.intake_id, alex.start_date) == (world.later.id, world.later.start_date)
    shown = client.get(page)
    assert "Alex Morgan is deferred to Autumn intake, starting" in text_of(shown)
    assert "Deferred from Spring intake to Autumn intake" in main_text(shown)
    assert api_changes(client, alex)[-1] == ("deferred", "Family leave")


def test_a_manager_cannot_defer(client, db, world, seats):
    sign_in(client, world.manager)
    page = f"/enrolments/{seats[0].id}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(f"{page}/deferral", data={
        "defer-csrf_token": token, "defer-intake": world.later.id, "defer-reason": "x"})
    assert response.status_code == 403
    db.session.refresh(seats[0])
    assert seats[0].intake_id == world.intake.id


def test_a_manager_transfers_a_cohort_seat(client, db, world, seats):
    aisha = seats[0]
    chloe = world.staff[2]
    sign_in(client, world.manager)
    page = f"/enrolments/{aisha.id}"
    shown = main_text(client.get(page))
    assert "Chloe Evans" in shown
    assert "Ben Carter (" not in shown  # enrolled on this intake already
    response = post_form(client, page, f"{page}/transfer",
                         {"transfer-learner": chloe.public_id,
                          "transfer-reason": "Aisha changed role"}, prefix="transfer")
    assert response.status_code == 302
    successor = db.session.execute(db.select(Enrolment).where(
        Enrolment.learner_id == chloe.id)).scalar_one()
    assert response.headers["Location"] == f"/enrolments/{successor.id}"
    db.session.refresh(aisha)
    assert aisha.status == "transferred" and successor.cohort_id == aisha.cohort_id
    page = client.get(response.headers["Location"])
    assert "The seat of Aisha Khan is now Chloe Evans's." in text_of(page)
    assert "Seat transferred from Aisha Khan to Chloe Evans" in main_text(page)
    seats_now = client.get("/api/v1/applications/1").get_json()["seats"]
    assert [s["learner"]["name"] for s in seats_now] == ["Chloe Evans", "Ben Carter"]


def test_an_individual_place_has_no_seat_to_transfer(client, db, world, seats):
    sign_in(client, world.admin)
    page = f"/enrolments/{seats[2].id}"
    assert "Give the seat to another learner" not in main_text(client.get(page))
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(f"{page}/transfer", data={
        "transfer-csrf_token": token, "transfer-learner": world.staff[3].public_id,
        "transfer-reason": "x"})
    assert response.status_code == 302
    assert ("cohort: only a cohort seat can be transferred; this enrolment is an individual "
            "one.") in text_of(client.get(page))
    assert db.session.execute(db.select(EnrolmentChange).where(
        EnrolmentChange.kind == "transferred")).first() is None


def test_a_change_without_its_csrf_token_is_refused(client, db, world, seats):
    sign_in(client, world.admin)
    response = client.post(f"/enrolments/{seats[0].id}/withdrawal",
                           data={"withdraw-reason": "No token"})
    assert response.status_code == 400
    db.session.refresh(seats[0])
    assert seats[0].status == "pending"
