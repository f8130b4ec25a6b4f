"""The learners' tutorials page (/tutorials): booking group places and individual tutorials,
the waitlist, cancelling and moving, 'Add to calendar', the private calendar feed, and
refusals shown as messages on the page."""

from datetime import timedelta

import pytest
from tutorial_pages_support import (
    INDIVIDUAL_ACTIVITY,
    NEXT_TUESDAY,
    TUESDAY,
    WEDNESDAY,
    csrf_token,
    flashes,
    london_at,
    submit,
    text_of,
)

from lms.tutorials.models import Booking

pytest_plugins = ["tutorial_pages_fixtures"]
pytestmark = pytest.mark.usefixtures("tp_clock")

PAGE = "/tutorials"


def bookings_seen_by(client, auth, learner) -> list[dict]:
    """The learner's places as the API lists them."""
    response = client.get("/api/v1/tutorials/bookings", headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_learner_books_a_group_place_through_the_page(
        client, auth, tp_browser, tp_learner, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30), minutes=90, capacity=8,
                             meeting_url="https://meet.pathway.example/u1")
    page = tp_browser(tp_learner)
    before = text_of(page.get(PAGE))
    assert "Group sessions you can book" in before
    assert "Restrictions we see in our services" in before
    assert "Wednesday 2 December 2026, 18:30 to 20:00" in before
    assert "8 places left of 8" in before

    response = submit(page, PAGE, f"/tutorials/sessions/{session['id']}/book")

    assert response.status_code == 200
    assert flashes(response) == [("success", "Booked: Group tutorial: Restrictions we see in "
                                  "our services, Wednesday 2 December 2026, 18:30.")]
    [booking] = bookings_seen_by(client, auth, tp_learner)
    assert booking["status"] == "booked" and booking["session"]["id"] == session["id"]
    text = text_of(response)
    assert "Your tutorials" in text and "Booked" in text
    assert "You can cancel or move it until Tuesday 1 December 2026, 18:30." in text
    assert "7 places left of 8" in text and "You have a place" in text
    html = response.get_data(as_text=True)
    assert f'href="/api/v1/tutorials/bookings/{booking["id"]}/invitation.ics"' in html
    invitation = page.get(f"/api/v1/tutorials/bookings/{booking['id']}/invitation.ics")
    assert invitation.status_code == 200 and invitation.mimetype == "text/calendar"
    assert '<a href="https://meet.pathway.example/u1">Join online' in html  # once booked


def test_a_full_session_puts_the_learner_on_the_waitlist(
        client, auth, tp_browser, tp_learner, tp_learners, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30), capacity=1)
    first, second = tp_learners(2)
    for other in (first, second):
        response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings",
                               json={}, headers=auth(other))
        assert response.status_code == 201
    page = tp_browser(tp_learner)
    assert "Full — join the waitlist (1 waiting)" in text_of(page.get(PAGE))

    response = submit(page, PAGE, f"/tutorials/sessions/{session['id']}/book")

    [(category, message)] = flashes(response)
    assert category == "success"
    assert "you are number 2 on the waitlist" in message
    assert "On the waitlist: number 2" in text_of(response)
    [booking] = bookings_seen_by(client, auth, tp_learner)
    assert booking["status"] == "waitlisted" and booking["waitlist_position"] == 2

    # The first in the queue gives up their wait: this learner moves up.
    client.post(f"/api/v1/tutorials/bookings/{booking['id'] - 1}/cancel", json={},
                headers=auth(second))
    assert "On the waitlist: number 1" in text_of(page.get(PAGE))
    response = submit(page, PAGE, f"/tutorials/bookings/{booking['id']}/cancel")
    assert flashes(response)[0][1].startswith("You have left the waitlist of")
    assert bookings_seen_by(client, auth, tp_learner)[0]["status"] == "cancelled"


def test_a_learner_cancels_with_a_reason_and_the_place_frees(
        client, auth, tp_browser, tp_learner, tp_create_session, db):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30), capacity=8)
    page = tp_browser(tp_learner)
    submit(page, PAGE, f"/tutorials/sessions/{session['id']}/book")
    [booking] = bookings_seen_by(client, auth, tp_learner)

    response = submit(page, PAGE, f"/tutorials/bookings/{booking['id']}/cancel",
                      {"reason": "A shift I cannot swap"})

    assert flashes(response) == [("success", "Cancelled: Group tutorial: Restrictions we see "
                                  "in our services, Wednesday 2 December 2026, 18:30.")]
    [cancelled] = bookings_seen_by(client, auth, tp_learner)
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancel_reason"] == "A shift I cannot swap"
    text = text_of(response)
    assert "You have no tutorials booked ahead." in text
    assert "8 places left of 8" in text


def test_a_learner_moves_a_group_place_to_another_session_of_the_same_tutorial(
        client, auth, tp_browser, tp_learner, tp_create_session):
    first = tp_create_session(london_at(WEDNESDAY, 18, 30))
    later = tp_create_session(london_at(WEDNESDAY + timedelta(days=7), 18, 30))
    page = tp_browser(tp_learner)
    submit(page, PAGE, f"/tutorials/sessions/{first['id']}/book")
    [booking] = bookings_seen_by(client, auth, tp_learner)
    html = page.get(PAGE).get_data(as_text=True)
    assert f'<option value="{later["id"]}">Wednesday 9 December 2026, 18:30' in html

    response = submit(page, PAGE, f"/tutorials/bookings/{booking['id']}/reschedule",
                      {"session": str(later["id"])})

    assert flashes(response) == [("success", "Moved: Group tutorial: Restrictions we see in "
                                  "our services is now Wednesday 9 December 2026, 18:30.")]
    places = {b["session"]["id"]: b["status"] for b in bookings_seen_by(client, auth, tp_learner)}
    assert places == {first["id"]: "cancelled", later["id"]: "booked"}


def test_a_learner_books_an_individual_slot_and_moves_it(
        client, auth, tp_browser, tp_learner, tp_set_availability):
    tp_set_availability(("tuesday", "10:00", "12:30"))
    page = tp_browser(tp_learner)
    text = text_of(page.get(PAGE))
    assert "With Tara Tutor" in text
    assert "Tuesday 1 December 2026 Book 10:00 to 11:00 on Tuesday 1 December 2026" in text
    assert "Book 11:15 to 12:15 on Tuesday 8 December 2026" in text
    assert "Unit 1: Individual tutorial: Planning your case study" in text

    response = submit(page, PAGE, "/tutorials/individual", {
        "activity": INDIVIDUAL_ACTIVITY, "starts_at": london_at(TUESDAY, 10).isoformat()})

    assert flashes(response) == [("success", "Booked: Individual tutorial: Planning your case "
                                  "study with Tara Tutor, Tuesday 1 December 2026, 10:00.")]
    [booking] = bookings_seen_by(client, auth, tp_learner)
    assert booking["session"]["kind"] == "individual"
    assert booking["session"]["starts_local"] == "Tuesday 1 December 2026, 10:00"
    # The slot is taken: the page no longer offers it (nor the next, inside the buffer).
    assert "Book 10:00 to 11:00 on Tuesday 1 December 2026" not in text_of(response)

    response = submit(page, PAGE, f"/tutorials/bookings/{booking['id']}/reschedule",
                      {"starts_at": london_at(NEXT_TUESDAY, 11, 15).isoformat()})

    assert flashes(response) == [("success", "Moved: Individual tutorial: Planning your case "
                                  "study is now Tuesday 8 December 2026, 11:15.")]
    [moved] = bookings_seen_by(client, auth, tp_learner)
    assert moved["session"]["starts_local"] == "Tuesday 8 December 2026, 11:15"


def test_a_refusal_is_a_message_on_the_page_not_an_error_page(
        client, auth, tp_browser, tp_learner, tp_create_session, tp_clock):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    page = tp_browser(tp_learner)
    submit(page, PAGE, f"/tutorials/sessions/{session['id']}/book")
    [booking] = bookings_seen_by(client, auth, tp_learner)
    tp_clock.move_to(london_at(WEDNESDAY, 8))  # less than 24 hours before
    page = tp_browser(tp_learner)  # signed in again: a session lasts 12 hours

    shown = page.get(PAGE)
    assert "please ask your tutor" in text_of(shown)
    token = csrf_token(shown.get_data(as_text=True))
    response = page.post(f"/tutorials/bookings/{booking['id']}/cancel",
                         data={"csrf_token": token}, follow_redirects=True)

    assert response.status_code == 200
    assert flashes(response) == [("error", "Tutorials can be cancelled up to 24 hours before "
                                  "they start; this one starts Wednesday 2 December 2026, "
                                  "18:30. Please ask your tutor.")]
    assert bookings_seen_by(client, auth, tp_learner)[0]["status"] == "booked"

    # Booking it twice, a slot that is no tutor's, a place that is not theirs: messages too.
    response = page.post(f"/tutorials/sessions/{session['id']}/book",
                         data={"csrf_token": token}, follow_redirects=True)
    assert flashes(response)[0][0] == "error"
    assert "a place in session" in flashes(response)[0][1]
    response = page.post("/tutorials/individual", data={
        "csrf_token": token, "activity": INDIVIDUAL_ACTIVITY, "starts_at": "not a time"},
        follow_redirects=True)
    assert flashes(response) == [("error", "starts_at: Not a valid datetime.")]
    response = page.post("/tutorials/bookings/999999/cancel", data={"csrf_token": token},
                         follow_redirects=True)
    assert flashes(response) == [("error", "booking: there is no booking 999999 that you "
                                  "can see.")]


def test_a_learner_cannot_change_another_learners_place(
        client, auth, tp_browser, tp_learner, tp_learners, tp_create_session, db):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    [other] = tp_learners(1)
    booked = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                         headers=auth(other)).get_json()
    page = tp_browser(tp_learner)
    response = submit(page, PAGE, f"/tutorials/bookings/{booked['id']}/cancel")
    assert flashes(response) == [("error", f"booking: there is no booking {booked['id']} that "
                                  "you can see.")]
    assert db.session.get(Booking, booked["id"]).status == "booked"
    text = text_of(response)
    assert "7 places left of 8" in text and other.name not in text


def test_the_private_calendar_feed_is_made_shown_once_and_turned_off(
        client, tp_browser, tp_learner, tp_create_session):
    tp_create_session(london_at(WEDNESDAY, 18, 30))
    page = tp_browser(tp_learner)
    assert "Make my feed address" in text_of(page.get(PAGE))

    response = submit(page, PAGE, "/tutorials/calendar-feed")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert '<label for="feed-url">Your private feed address</label>' in html
    url = html.split('id="feed-url" name="feed-url" value="')[1].split('"')[0]
    assert url.startswith("http://pathway.test/calendar/") and url.endswith(".ics")
    assert "readonly" in html.split('id="feed-url"')[1].split(">")[0]
    feed_path = url.removeprefix("http://pathway.test")
    assert client.get(feed_path).status_code == 200

    again = text_of(page.get(PAGE))
    assert url not in again  # shown once
    assert "You have a feed address" in again and "Make a new feed address" in again

    replaced = submit(page, PAGE, "/tutorials/calendar-feed")
    assert "the old one no longer works" in text_of(replaced)
    assert client.get(feed_path).status_code == 404

    response = submit(page, PAGE, "/tutorials/calendar-feed/revoke")
    assert flashes(response) == [("success", "Your calendar feed is turned off: its address no "
                                  "longer works.")]
    assert "Make my feed address" in text_of(response)


def test_the_page_is_for_learners_and_its_forms_need_the_csrf_token(
        client, tp_browser, tp_learner, tp_tutor, tp_create_session):
    session = tp_create_session(london_at(WEDNESDAY, 18, 30))
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert tp_browser(tp_tutor).get(PAGE).status_code == 403

    page = tp_browser(tp_learner)
    page.get(PAGE)
    response = page.post(f"/tutorials/sessions/{session['id']}/book")
    assert response.status_code == 400
    assert "8 places left of 8" in text_of(page.get(PAGE))
