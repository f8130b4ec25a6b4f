"""Individual tutorials through the API: a learner books one of their tutor's free slots
(within the limits), their tutor books for them at any time they are free, and the tutorial
is moved or cancelled with both told, their invitations updated and the reminders following.
A tutor is never double-booked, whichever kind of tutorial comes first."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tutorial_individual_support import (
    NEXT_TUESDAY,
    TUESDAY,
    WINDOW_ENDS,
    invitation_of,
    messages,
)
from tutorial_support import GROUP_ACTIVITY, INDIVIDUAL_ACTIVITY, london_at

from lms.tutorials.models import TutorialReminder, TutorialSession

pytest_plugins = ["tutorial_fixtures", "tutorial_individual_fixtures"]
pytestmark = pytest.mark.usefixtures("tutorial_clock")

UNIT_2_INDIVIDUAL = "u2-individual-tutorial-environment-review"
UNIT_3_INDIVIDUAL = "u3-individual-tutorial-reduction-plan"
TEN = london_at(NEXT_TUESDAY, 10)
QUARTER_PAST_ELEVEN = london_at(NEXT_TUESDAY, 11, 15)


@pytest.fixture
def tuesday_mornings(set_availability):
    """The tutor offers Tuesdays 10:00-13:00: slots at 10:00 and 11:15 (60 + 15 minutes)."""
    set_availability(("tuesday", "10:00", "13:00"), slot_minutes=60, buffer_minutes=15)


def field_errors(response_json) -> list[str]:
    return [e["field"].removeprefix("json.") for e in response_json.get("errors", [])]


def post_individual(client, auth, who, starts_at, **fields):
    body = {"activity": INDIVIDUAL_ACTIVITY, "starts_at": starts_at.isoformat(), **fields}
    return client.post("/api/v1/tutorials/individual", json=body, headers=auth(who))


def sessions_of(db, tutor) -> list[TutorialSession]:
    return list(db.session.execute(db.select(TutorialSession).where(
        TutorialSession.tutor_id == tutor.id).order_by(TutorialSession.id)).scalars())


def reminders_of(db, session_id) -> set[tuple[int, str, object]]:
    return {(r.user_id, r.lead, r.due_at) for r in db.session.execute(
        db.select(TutorialReminder).where(TutorialReminder.session_id == session_id)).scalars()}


def attendees(event) -> list[str]:
    found = event.get("ATTENDEE", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def expected_reminders(starts_at, *people) -> set[tuple[int, str, object]]:
    return {(person.id, lead, starts_at - before) for person in people
            for lead, before in (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))}


# ---- booking -----------------------------------------------------------------------------------


def test_a_learner_books_a_free_slot_and_both_are_told_with_an_invitation(
        db, client, auth, tutor, learner, tuesday_mornings, book_individual):
    booking = book_individual(TEN)
    assert booking["status"] == "booked"
    assert booking["learner"] == {"id": learner.public_id, "name": "Lee Learner"}
    assert booking["booked_by"] == {"id": learner.public_id, "name": "Lee Learner"}
    session = booking["session"]
    assert (session["kind"], session["status"]) == ("individual", "scheduled")
    assert session["tutor"] == {"id": tutor.public_id, "name": "Tara Tutor"}
    assert session["activity"]["slug"] == INDIVIDUAL_ACTIVITY
    assert (session["starts_at"], session["ends_at"]) == \
        ("2026-12-08T10:00:00+00:00", "2026-12-08T11:00:00+00:00")
    assert (session["capacity"], session["places_taken"], session["minutes"]) == (1, 1, 60)

    [to_tutor] = messages(db, tutor)
    assert to_tutor.kind == "tutorial-booked"
    assert "Lee Learner" in to_tutor.subject
    method, event = invitation_of(to_tutor)
    assert method == "REQUEST"
    assert str(event["UID"]).startswith("session-")
    assert (event["SEQUENCE"], str(event["STATUS"])) == (0, "CONFIRMED")
    assert event.start == TEN and event.end == TEN + timedelta(hours=1)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["ORGANIZER"]) == f"mailto:{tutor.email}"
    assert attendees(event) == [f"mailto:{learner.email}"]

    [to_learner] = messages(db, learner)
    assert to_learner.kind == "tutorial-booked"
    method, event = invitation_of(to_learner)
    assert method == "REQUEST"
    assert str(event["UID"]).startswith("booking-")
    assert event.start == TEN
    assert str(event["ORGANIZER"]) == f"mailto:{tutor.email}"

    # What the tutor reads in the API: the message, with its invitation to open.
    listed = client.get("/api/v1/notifications", headers=auth(tutor)).get_json()["items"]
    assert [(n["kind"], n["calendar"]) for n in listed] == \
        [("tutorial-booked", f"/api/v1/notifications/{to_tutor.id}/calendar.ics")]

    # Reminders are due a day and an hour before, for both.
    assert reminders_of(db, session["id"]) == expected_reminders(TEN, tutor, learner)


def test_the_learner_sees_the_booking_and_the_tutor_sees_the_session(
        client, auth, tutor, learner, tuesday_mornings, book_individual):
    booking = book_individual(TEN)
    mine = client.get("/api/v1/tutorials/bookings", headers=auth(learner)).get_json()["items"]
    assert [b["id"] for b in mine] == [booking["id"]]
    theirs = client.get("/api/v1/tutorials/sessions", query_string={"kind": "individual"},
                        headers=auth(tutor)).get_json()
    assert [s["id"] for s in theirs] == [booking["session"]["id"]]


@pytest.mark.parametrize("starts_at", [
    london_at(NEXT_TUESDAY, 10, 7),  # within the window, but not where a slot starts
    london_at(NEXT_TUESDAY, 12, 30),  # would run past the window's end at 13:00
    london_at(NEXT_TUESDAY + timedelta(days=1), 10),  # a Wednesday: no window
], ids=["10:07", "12:30", "wednesday"])
def test_a_time_that_is_not_a_slot_is_refused_naming_starts_at(
        db, client, auth, tutor, learner, tuesday_mornings, starts_at):
    response = post_individual(client, auth, learner, starts_at)
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]
    assert sessions_of(db, tutor) == []
    assert messages(db, learner) == messages(db, tutor) == []


def test_starts_at_is_an_instant_in_any_offset_but_not_a_naive_time(
        client, auth, learner, tuesday_mornings, book_individual):
    response = client.post("/api/v1/tutorials/individual", headers=auth(learner), json={
        "activity": INDIVIDUAL_ACTIVITY, "starts_at": "2026-12-08T10:00:00"})
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]
    booking = book_individual(TEN.astimezone(ZoneInfo("Europe/Paris")))  # 11:00 in Paris
    assert booking["session"]["starts_at"] == "2026-12-08T10:00:00+00:00"


def test_a_taken_slot_is_refused(db, client, auth, tutor, learner, learners, tuesday_mornings,
                                 book_individual):
    [first] = learners(1)
    book_individual(TEN, by=first)
    response = post_individual(client, auth, learner, TEN)
    assert response.status_code == 409, response.get_json()
    assert "no longer free" in response.get_json()["detail"]
    assert len(sessions_of(db, tutor)) == 1
    assert messages(db, learner) == []


@pytest.mark.parametrize("starts_at", [
    london_at(date(2026, 11, 24), 10),  # last Tuesday
    london_at(date(2026, 11, 26), 8),  # an hour ago
], ids=["last-week", "this-morning"])
def test_booking_in_the_past_is_refused(client, auth, learner, set_availability, starts_at):
    set_availability(("tuesday", "10:00", "13:00"), ("thursday", "08:00", "09:00"))
    response = post_individual(client, auth, learner, starts_at)
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]
    assert "past" in response.get_json()["detail"]


def test_the_learners_window_ends_on_its_last_day(client, auth, learner, set_availability,
                                                   book_individual):
    assert learner.enrolment.window_ends == WINDOW_ENDS  # Thursday 2 December 2027
    set_availability(("thursday", "10:00", "11:00"), ("friday", "10:00", "11:00"))
    book_individual(london_at(WINDOW_ENDS, 10))
    response = post_individual(client, auth, learner, london_at(WINDOW_ENDS + timedelta(1), 10))
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]
    assert "2 December 2027" in response.get_json()["detail"]


@pytest.mark.parametrize(("activity", "why"), [
    (GROUP_ACTIVITY, "is not an individual tutorial"),
    ("u1-no-such-activity", "there is no activity"),
])
def test_only_an_individual_tutorial_activity_is_booked(
        db, client, auth, tutor, learner, tuesday_mornings, activity, why):
    response = post_individual(client, auth, learner, TEN, activity=activity)
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["activity"]
    assert why in response.get_json()["detail"]
    assert sessions_of(db, tutor) == []


def test_a_learner_without_a_tutor_cannot_book(db, client, auth, make_user, enrol, tutor,
                                               tuesday_mornings):
    alone = make_user("learner", name="Nia Notutor")
    enrol(alone)
    response = post_individual(client, auth, alone, TEN)
    assert response.status_code == 409, response.get_json()
    assert "no tutor" in response.get_json()["detail"]
    assert sessions_of(db, tutor) == []


def test_a_learner_not_enrolled_on_the_qualification_cannot_book(
        client, auth, make_user, catalogue, tuesday_mornings):
    response = post_individual(client, auth, make_user("learner"), TEN)
    assert response.status_code == 403, response.get_json()


def test_a_learner_tutorials_may_not_overlap_their_other_tutorials(
        client, auth, learner, second_tutor, tuesday_mornings):
    response = client.post("/api/v1/tutorials/sessions", headers=auth(second_tutor), json={
        "activity": GROUP_ACTIVITY, "capacity": 5,
        "starts_at": london_at(NEXT_TUESDAY, 10, 30).isoformat(),
        "ends_at": london_at(NEXT_TUESDAY, 11, 30).isoformat()})
    assert response.status_code == 201, response.get_json()
    group = response.get_json()[0]
    placed = client.post(f"/api/v1/tutorials/sessions/{group['id']}/bookings", json={},
                         headers=auth(learner))
    assert placed.status_code == 201, placed.get_json()
    response = post_individual(client, auth, learner, TEN)
    assert response.status_code == 409, response.get_json()
    assert "You already have" in response.get_json()["detail"]


# ---- the limits: future bookings at a time, and tutorials per unit ---------------------------


def test_a_learner_holds_at_most_two_individual_tutorials_ahead(
        client, auth, app, learner, tuesday_mornings, book_individual):
    assert app.config["TUTORIAL_INDIVIDUAL_FUTURE_CAP"] == 2
    first = book_individual(london_at(TUESDAY, 10))
    book_individual(TEN, activity=UNIT_2_INDIVIDUAL)
    third = london_at(NEXT_TUESDAY + timedelta(weeks=1), 10)
    response = post_individual(client, auth, learner, third, activity=UNIT_3_INDIVIDUAL)
    assert response.status_code == 409, response.get_json()
    assert "at most 2 may be booked at a time" in response.get_json()["detail"]

    # Cancelling one makes room again.
    cancelled = client.post(f"/api/v1/tutorials/bookings/{first['id']}/cancel", json={},
                            headers=auth(learner))
    assert cancelled.status_code == 200, cancelled.get_json()
    book_individual(third, activity=UNIT_3_INDIVIDUAL)


def test_tutorials_already_held_count_for_their_unit_but_not_toward_the_cap(
        tutorial_clock, client, auth, learner, tuesday_mornings, book_individual):
    book_individual(london_at(TUESDAY, 10))
    book_individual(london_at(TUESDAY, 11, 15))
    tutorial_clock.move_to(london_at(TUESDAY + timedelta(days=1), 9))  # both have taken place
    later = london_at(NEXT_TUESDAY + timedelta(weeks=1), 10)
    response = post_individual(client, auth, learner, later)
    assert response.status_code == 409, response.get_json()
    assert "your 2 individual tutorials for unit 1" in response.get_json()["detail"]
    book_individual(later, activity=UNIT_2_INDIVIDUAL)


class TestPerUnitAllowance:
    """With room for five ahead, the allowance of two per unit is what refuses."""

    @pytest.fixture
    def app_config(self):
        return {"TUTORIAL_INDIVIDUAL_FUTURE_CAP": 5}

    def test_a_third_tutorial_for_one_unit_is_refused_another_units_is_not(
            self, client, auth, app, learner, tuesday_mornings, book_individual):
        assert app.config["TUTORIAL_INDIVIDUAL_PER_UNIT"] == 2
        first = book_individual(london_at(TUESDAY, 10))
        book_individual(london_at(TUESDAY, 11, 15))
        response = post_individual(client, auth, learner, TEN)
        assert response.status_code == 409, response.get_json()
        detail = response.get_json()["detail"]
        assert "your 2 individual tutorials for unit 1" in detail
        book_individual(TEN, activity=UNIT_2_INDIVIDUAL)
        book_individual(QUARTER_PAST_ELEVEN, activity=UNIT_3_INDIVIDUAL)

        # A cancelled tutorial does not count.
        cancelled = client.post(f"/api/v1/tutorials/bookings/{first['id']}/cancel", json={},
                                headers=auth(learner))
        assert cancelled.status_code == 200, cancelled.get_json()
        book_individual(london_at(NEXT_TUESDAY + timedelta(weeks=1), 10))


# ---- booking for a learner ---------------------------------------------------------------------


def test_the_learners_tutor_books_for_them_at_any_free_time_beyond_the_limits(
        db, tutor, learner, tuesday_mornings, book_individual):
    book_individual(london_at(TUESDAY, 10))
    book_individual(london_at(TUESDAY, 11, 15))  # the cap (and unit 1's allowance) reached
    for starts_at in (london_at(NEXT_TUESDAY, 10, 7),  # not a slot
                      london_at(NEXT_TUESDAY + timedelta(days=1), 15)):  # no window that day
        booking = book_individual(starts_at, by=tutor, learner=learner.public_id)
        assert booking["learner"]["id"] == learner.public_id
        assert booking["booked_by"] == {"id": tutor.public_id, "name": "Tara Tutor"}
        assert datetime.fromisoformat(booking["session"]["starts_at"]) == starts_at
        assert booking["session"]["minutes"] == 60
    assert [m.kind for m in messages(db, learner)] == ["tutorial-booked"] * 4
    method, event = invitation_of(messages(db, learner)[-1])
    assert method == "REQUEST"
    assert event.start == london_at(NEXT_TUESDAY + timedelta(days=1), 15)


def test_on_the_tutors_leave_the_learner_cannot_book_but_the_tutor_still_may(
        client, auth, tutor, learner, tuesday_mornings, book_individual):
    response = client.post(f"/api/v1/tutors/{tutor.public_id}/availability/exceptions",
                           json={"first_day": NEXT_TUESDAY.isoformat()}, headers=auth(tutor))
    assert response.status_code == 201
    response = post_individual(client, auth, learner, TEN)
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]
    book_individual(TEN, by=tutor, learner=learner.public_id)


def test_an_administrator_books_for_any_learner(admin, learner, tuesday_mornings,
                                                book_individual):
    booking = book_individual(london_at(NEXT_TUESDAY, 14), by=admin, learner=learner.public_id)
    assert booking["booked_by"]["id"] == admin.public_id


@pytest.mark.parametrize("starts_at", [
    london_at(date(2026, 11, 24), 10),  # in the past
    london_at(WINDOW_ENDS + timedelta(days=1), 10),  # after the learner's window
], ids=["past", "after-window"])
def test_the_tutor_cannot_book_outside_the_learners_window_or_in_the_past(
        client, auth, tutor, learner, starts_at):
    response = post_individual(client, auth, tutor, starts_at, learner=learner.public_id)
    assert response.status_code == 422, response.get_json()
    assert field_errors(response.get_json()) == ["starts_at"]


def test_another_tutor_cannot_book_for_the_learner(db, client, auth, tutor, learner,
                                                   second_tutor, tuesday_mornings):
    response = post_individual(client, auth, second_tutor, TEN, learner=learner.public_id)
    assert response.status_code == 403, response.get_json()
    assert sessions_of(db, tutor) == sessions_of(db, second_tutor) == []


def test_a_learner_cannot_book_for_another_learner(db, client, auth, tutor, learner, learners,
                                                   tuesday_mornings):
    [other] = learners(1)
    response = post_individual(client, auth, other, TEN, learner=learner.public_id)
    assert response.status_code == 403, response.get_json()
    assert sessions_of(db, tutor) == []


# ---- rescheduling ------------------------------------------------------------------------------


def reschedule(client, auth, who, booking_id, starts_at):
    return client.post(f"/api/v1/tutorials/bookings/{booking_id}/reschedule",
                       json={"starts_at": starts_at.isoformat()}, headers=auth(who))


def test_a_learner_moves_their_tutorial_to_another_free_slot(
        db, client, auth, tutor, learner, tuesday_mornings, book_individual, offered_slots):
    booking = book_individual(TEN)
    [booked_tutor] = messages(db, tutor)
    [booked_learner] = messages(db, learner)
    session_id = booking["session"]["id"]

    response = reschedule(client, auth, learner, booking["id"], QUARTER_PAST_ELEVEN)
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()["session"]
    assert (moved["id"], moved["starts_at"], moved["ends_at"]) == \
        (session_id, "2026-12-08T11:15:00+00:00", "2026-12-08T12:15:00+00:00")
    shown = client.get(f"/api/v1/tutorials/sessions/{session_id}", headers=auth(tutor))
    assert shown.get_json()["starts_at"] == "2026-12-08T11:15:00+00:00"

    for person, booked in ((tutor, booked_tutor), (learner, booked_learner)):
        told = messages(db, person)[-1]
        assert told.kind == "tutorial-moved", person.name
        assert "10:00" in told.body  # where it moved from
        method, event = invitation_of(told)
        _, before = invitation_of(booked)
        assert method == "REQUEST"
        assert event["UID"] == before["UID"]  # the same event, updated in calendars
        assert event["SEQUENCE"] > before["SEQUENCE"]
        assert event.start == QUARTER_PAST_ELEVEN

    assert reminders_of(db, session_id) == \
        expected_reminders(QUARTER_PAST_ELEVEN, tutor, learner)
    assert offered_slots(NEXT_TUESDAY) == ["2026-12-08 10:00"]


@pytest.mark.parametrize(("target", "status", "field"), [
    (london_at(NEXT_TUESDAY, 10, 7), 422, "starts_at"),  # not a slot
    (london_at(TUESDAY, 10), 409, None),  # another learner's
    (london_at(date(2026, 11, 24), 10), 422, "starts_at"),  # in the past
    (london_at(WINDOW_ENDS + timedelta(days=5), 10), 422, "starts_at"),  # after the window
    (TEN, 422, "starts_at"),  # where it is already: nothing to move, nobody to tell
], ids=["not-a-slot", "taken", "past", "after-window", "same-time"])
def test_a_move_to_a_time_not_free_is_refused_and_changes_nothing(
        db, client, auth, tutor, learner, learners, tuesday_mornings, book_individual, target,
        status, field):
    [other] = learners(1)
    book_individual(london_at(TUESDAY, 10), by=other)
    booking = book_individual(TEN)
    before = len(messages(db, tutor))
    response = reschedule(client, auth, learner, booking["id"], target)
    assert response.status_code == status, response.get_json()
    if field:
        assert field_errors(response.get_json()) == [field]
    session = db.session.get(TutorialSession, booking["session"]["id"])
    assert (session.starts_at, session.sequence) == (TEN, 0)
    assert len(messages(db, tutor)) == before


def test_only_the_learner_their_tutor_or_an_administrator_moves_it(
        db, client, auth, admin, learners, second_tutor, tuesday_mornings,
        book_individual):
    booking = book_individual(TEN)
    [other] = learners(1)
    for someone in (other, second_tutor):
        response = reschedule(client, auth, someone, booking["id"], QUARTER_PAST_ELEVEN)
        assert response.status_code == 404, someone.name
    assert db.session.get(TutorialSession, booking["session"]["id"]).starts_at == TEN
    response = reschedule(client, auth, admin, booking["id"], QUARTER_PAST_ELEVEN)
    assert response.status_code == 200, response.get_json()


def test_inside_the_cut_off_only_the_tutor_moves_or_cancels_it(
        tutorial_clock, db, app, client, auth, tutor, learner, tuesday_mornings, book_individual):
    assert app.config["TUTORIAL_CHANGE_CUTOFF_HOURS"] == 24
    booking = book_individual(london_at(TUESDAY, 10))
    tutorial_clock.move_to(london_at(TUESDAY - timedelta(days=1), 12))  # 22 hours before
    response = reschedule(client, auth, learner, booking["id"], TEN)
    assert response.status_code == 409, response.get_json()
    assert "24 hours" in response.get_json()["detail"]
    response = client.post(f"/api/v1/tutorials/bookings/{booking['id']}/cancel", json={},
                           headers=auth(learner))
    assert response.status_code == 409, response.get_json()
    assert db.session.get(TutorialSession, booking["session"]["id"]).starts_at == \
        london_at(TUESDAY, 10)

    response = reschedule(client, auth, tutor, booking["id"], TEN)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["session"]["starts_at"] == "2026-12-08T10:00:00+00:00"
    assert messages(db, learner)[-1].kind == "tutorial-moved"


# ---- cancelling --------------------------------------------------------------------------------


def test_cancelling_calls_the_tutorial_off_for_the_tutor_and_frees_the_slot(
        db, client, auth, tutor, learner, learners, tuesday_mornings, book_individual,
        offered_slots):
    booking = book_individual(TEN)
    session_id = booking["session"]["id"]
    [booked] = messages(db, tutor)
    assert offered_slots(NEXT_TUESDAY) == ["2026-12-08 11:15"]

    response = client.post(f"/api/v1/tutorials/bookings/{booking['id']}/cancel",
                           json={"reason": "Clash with work"}, headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "cancelled"
    shown = client.get(f"/api/v1/tutorials/sessions/{session_id}", headers=auth(tutor))
    assert shown.get_json()["status"] == "cancelled"

    told = messages(db, tutor)[-1]
    assert told.kind == "tutorial-cancelled"
    assert "Clash with work" in told.body
    method, event = invitation_of(told)
    _, before = invitation_of(booked)
    assert method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["UID"] == before["UID"] and event["SEQUENCE"] > before["SEQUENCE"]
    method, _ = invitation_of(messages(db, learner)[-1])
    assert method == "CANCEL"

    assert reminders_of(db, session_id) == set()
    assert offered_slots(NEXT_TUESDAY) == ["2026-12-08 10:00", "2026-12-08 11:15"]
    [other] = learners(1)
    book_individual(TEN, by=other)


def test_a_cancelled_tutorial_cannot_be_cancelled_or_moved_again(
        client, auth, learner, tuesday_mornings, book_individual):
    booking = book_individual(TEN)
    url = f"/api/v1/tutorials/bookings/{booking['id']}"
    assert client.post(f"{url}/cancel", json={}, headers=auth(learner)).status_code == 200
    assert client.post(f"{url}/cancel", json={}, headers=auth(learner)).status_code == 409
    assert reschedule(client, auth, learner, booking["id"], QUARTER_PAST_ELEVEN).status_code \
        == 409


# ---- the tutor is never double-booked ----------------------------------------------------------


def test_a_group_session_overlapping_an_individual_tutorial_is_refused(
        db, client, auth, tutor, tuesday_mornings, book_individual, create_session):
    book_individual(TEN)
    refused = create_session(london_at(NEXT_TUESDAY, 10, 30), expect=409)
    assert "never double-booked" in refused["detail"]
    group = create_session(london_at(NEXT_TUESDAY, 14))
    moved = client.patch(f"/api/v1/tutorials/sessions/{group['id']}", headers=auth(tutor),
                         json={"starts_at": london_at(NEXT_TUESDAY, 9, 30).isoformat()})
    assert moved.status_code == 409, moved.get_json()
    assert [s.kind for s in sessions_of(db, tutor) if s.status == "scheduled"] == \
        ["individual", "group"]


def test_an_individual_tutorial_overlapping_a_group_session_is_refused(
        db, client, auth, tutor, learner, tuesday_mornings, create_session, book_individual):
    create_session(london_at(NEXT_TUESDAY, 11, 30))
    # The learner's slot at 11:15 is no longer offered; their tutor cannot book it either.
    response = post_individual(client, auth, learner, QUARTER_PAST_ELEVEN)
    assert response.status_code == 409, response.get_json()
    response = post_individual(client, auth, tutor, london_at(NEXT_TUESDAY, 12),
                               learner=learner.public_id)
    assert response.status_code == 409, response.get_json()
    assert "never double-booked" in response.get_json()["detail"]
    # Moving another individual tutorial onto it is refused too.
    booking = book_individual(TEN)
    response = reschedule(client, auth, tutor, booking["id"], london_at(NEXT_TUESDAY, 11))
    assert response.status_code == 409, response.get_json()
    assert [s.kind for s in sessions_of(db, tutor)] == ["group", "individual"]


def test_tutorials_already_booked_stay_when_the_availability_changes(
        client, auth, tutor, learner, tuesday_mornings, set_availability, book_individual):
    booking = book_individual(TEN)
    set_availability(("wednesday", "10:00", "13:00"))
    response = client.post(f"/api/v1/tutors/{tutor.public_id}/availability/exceptions",
                           json={"first_day": NEXT_TUESDAY.isoformat()}, headers=auth(tutor))
    assert response.status_code == 201
    shown = client.get(f"/api/v1/tutorials/bookings/{booking['id']}", headers=auth(learner))
    assert shown.get_json()["status"] == "booked"
    assert shown.get_json()["session"]["status"] == "scheduled"

