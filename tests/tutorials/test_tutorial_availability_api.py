"""A tutor's availability through the API: weekly windows and slot settings, exceptions
(leave, a blocked time), and the free slots their learners see."""

from datetime import datetime, timedelta

import pytest
from tutorial_individual_support import NEXT_TUESDAY, TUESDAY, local
from tutorial_support import london_at

pytest_plugins = ["tutorial_fixtures", "tutorial_individual_fixtures"]
pytestmark = pytest.mark.usefixtures("tutorial_clock")


def availability_url(tutor) -> str:
    return f"/api/v1/tutors/{tutor.public_id}/availability"


def field_errors(response) -> list[str]:
    """The fields a 422 names, without the part of the request ("json.", "query.")."""
    return [error["field"].removeprefix("json.").removeprefix("query.")
            for error in response.get_json().get("errors", [])]


# ---- the weekly windows ------------------------------------------------------------------------


def test_windows_take_weekday_names_or_numbers_and_come_back_as_names(
        client, auth, tutor, set_availability):
    body = set_availability(("Tuesday", "10:00", "13:00"), (3, "14:30", "16:00"),
                            ("tuesday", "16:00", "17:00"), slot_minutes=45, buffer_minutes=10)
    expected = {
        "windows": [{"weekday": "tuesday", "starts": "10:00", "ends": "13:00"},
                    {"weekday": "tuesday", "starts": "16:00", "ends": "17:00"},
                    {"weekday": "thursday", "starts": "14:30", "ends": "16:00"}],
        "slot_minutes": 45, "buffer_minutes": 10, "timezone": "Europe/London"}
    assert body == expected
    response = client.get(availability_url(tutor), headers=auth(tutor))
    assert response.status_code == 200
    assert response.get_json() == expected


def test_putting_windows_replaces_them_and_keeps_slot_settings_not_given(
        client, auth, tutor, set_availability):
    set_availability(("monday", "09:00", "12:00"), ("friday", "09:00", "12:00"),
                     slot_minutes=30, buffer_minutes=5)
    response = client.put(availability_url(tutor), headers=auth(tutor),
                          json={"windows": [{"weekday": 2, "starts": "13:00", "ends": "15:00"}]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "windows": [{"weekday": "wednesday", "starts": "13:00", "ends": "15:00"}],
        "slot_minutes": 30, "buffer_minutes": 5, "timezone": "Europe/London"}


def test_a_tutor_who_never_set_availability_has_no_windows_and_the_site_defaults(
        client, auth, tutor):
    response = client.get(availability_url(tutor), headers=auth(tutor))
    assert response.status_code == 200
    assert response.get_json() == {"windows": [], "slot_minutes": 60, "buffer_minutes": 15,
                                   "timezone": "Europe/London"}


def test_windows_touching_on_one_day_are_accepted(set_availability):
    body = set_availability(("tuesday", "10:00", "12:00"), ("tuesday", "12:00", "13:00"))
    assert [w["starts"] for w in body["windows"]] == ["10:00", "12:00"]


@pytest.mark.parametrize(("windows", "settings", "field"), [
    ([{"weekday": "tuesday", "starts": "13:00", "ends": "10:00"}], {}, "windows[0].ends"),
    ([{"weekday": "tuesday", "starts": "10:00", "ends": "10:00"}], {}, "windows[0].ends"),
    ([{"weekday": "funday", "starts": "10:00", "ends": "13:00"}], {}, "windows[0].weekday"),
    ([{"weekday": 7, "starts": "10:00", "ends": "13:00"}], {}, "windows[0].weekday"),
    ([{"weekday": "tuesday", "starts": "10am", "ends": "13:00"}], {}, "windows[0].starts"),
    # Wall-clock minutes only: seconds would not show, and London has no fixed offset.
    ([{"weekday": "tuesday", "starts": "10:00:30", "ends": "13:00"}], {}, "windows[0].starts"),
    ([{"weekday": "tuesday", "starts": "10:00+01:00", "ends": "13:00"}], {},
     "windows[0].starts"),
    ([{"weekday": "tuesday", "starts": "10:00", "ends": "13:00"}], {"slot_minutes": 5},
     "slot_minutes"),
    ([{"weekday": "tuesday", "starts": "10:00", "ends": "13:00"}], {"buffer_minutes": -1},
     "buffer_minutes"),
    # Overlapping windows on one day: the error names the window, as the request numbers them.
    ([{"weekday": "tuesday", "starts": "10:00", "ends": "13:00"},
      {"weekday": "tuesday", "starts": "12:00", "ends": "14:00"}], {}, "windows[1]"),
    ([{"weekday": "tuesday", "starts": "12:00", "ends": "14:00"},
      {"weekday": "wednesday", "starts": "09:00", "ends": "10:00"},
      {"weekday": "tuesday", "starts": "10:00", "ends": "13:00"}], {}, "windows[2]"),
], ids=["ends-before-starts", "ends-at-starts", "funday", "weekday-7", "not-hh-mm", "seconds",
         "utc-offset",
        "slot-5-minutes", "negative-buffer", "overlap", "overlap-given-out-of-order"])
def test_a_refused_availability_names_the_field_and_changes_nothing(
        client, auth, tutor, set_availability, windows, settings, field):
    before = set_availability(("friday", "09:00", "11:00"))
    response = client.put(availability_url(tutor), json={"windows": windows, **settings},
                          headers=auth(tutor))
    assert response.status_code == 422, response.get_json()
    assert field in field_errors(response)
    assert client.get(availability_url(tutor), headers=auth(tutor)).get_json() == before


def test_only_the_tutor_or_an_administrator_changes_availability(
        client, auth, tutor, admin, learner, second_tutor, set_availability):
    before = set_availability(("tuesday", "10:00", "13:00"))
    body = {"windows": [{"weekday": "monday", "starts": "08:00", "ends": "09:00"}]}
    for someone in (second_tutor, learner):
        response = client.put(availability_url(tutor), json=body, headers=auth(someone))
        assert response.status_code == 403, someone.name
        assert client.get(availability_url(tutor), headers=auth(someone)).status_code == 403
    assert client.get(availability_url(tutor), headers=auth(tutor)).get_json() == before

    after = set_availability(("monday", "08:00", "09:00"), by=admin)
    assert after["windows"] == body["windows"]
    assert client.get(availability_url(tutor), headers=auth(admin)).get_json() == after


def test_a_learners_availability_page_is_not_found(client, auth, admin, learner):
    response = client.get(availability_url(learner), headers=auth(admin))
    assert response.status_code == 404


# ---- exceptions --------------------------------------------------------------------------------


def test_leave_and_a_blocked_time_take_slots_away_until_they_are_deleted(
        client, auth, tutor, set_availability, offered_slots):
    set_availability(("tuesday", "10:00", "13:00"), ("wednesday", "10:00", "13:00"))
    url = f"{availability_url(tutor)}/exceptions"
    weeks = (TUESDAY, NEXT_TUESDAY + timedelta(days=1))
    all_slots = ["2026-12-01 10:00", "2026-12-01 11:15", "2026-12-02 10:00", "2026-12-02 11:15",
                 "2026-12-08 10:00", "2026-12-08 11:15", "2026-12-09 10:00", "2026-12-09 11:15"]
    assert offered_slots(*weeks) == all_slots

    leave = client.post(url, headers=auth(tutor), json={
        "first_day": "2026-12-01", "last_day": "2026-12-02", "reason": "Annual leave"})
    assert leave.status_code == 201, leave.get_json()
    assert leave.get_json() == {"id": leave.get_json()["id"], "first_day": "2026-12-01",
                                "last_day": "2026-12-02", "starts": None, "ends": None,
                                "reason": "Annual leave"}
    block = client.post(url, headers=auth(tutor), json={
        "first_day": "2026-12-08", "starts": "11:00", "ends": "11:30", "reason": "Dentist"})
    assert block.status_code == 201, block.get_json()
    assert block.get_json()["last_day"] == "2026-12-08"  # one day when last_day is not given
    assert (block.get_json()["starts"], block.get_json()["ends"]) == ("11:00", "11:30")

    listed = client.get(url, headers=auth(tutor))
    assert listed.status_code == 200
    assert [e["reason"] for e in listed.get_json()] == ["Annual leave", "Dentist"]
    assert offered_slots(*weeks) == ["2026-12-08 10:00", "2026-12-09 10:00", "2026-12-09 11:15"]

    deleted = client.delete(f"{url}/{leave.get_json()['id']}", headers=auth(tutor))
    assert deleted.status_code == 204
    assert offered_slots(*weeks) == [s for s in all_slots if s != "2026-12-08 11:15"]
    assert client.delete(f"{url}/{block.get_json()['id']}", headers=auth(tutor)).status_code \
        == 204
    assert offered_slots(*weeks) == all_slots
    assert client.get(url, headers=auth(tutor)).get_json() == []
    assert client.delete(f"{url}/{block.get_json()['id']}", headers=auth(tutor)).status_code \
        == 404


def test_exceptions_in_the_past_are_not_listed(client, auth, tutor):
    url = f"{availability_url(tutor)}/exceptions"
    for first, last in (("2026-11-02", "2026-11-25"), ("2026-11-20", "2026-11-26")):
        response = client.post(url, json={"first_day": first, "last_day": last},
                               headers=auth(tutor))
        assert response.status_code == 201
    assert [e["first_day"] for e in client.get(url, headers=auth(tutor)).get_json()] == \
        ["2026-11-20"]  # still running today


@pytest.mark.parametrize(("body", "field"), [
    ({"first_day": "2026-12-08", "last_day": "2026-12-07"}, "last_day"),
    ({"first_day": "2026-12-08", "starts": "11:00"}, "ends"),
    ({"first_day": "2026-12-08", "ends": "11:00"}, "starts"),
    ({"first_day": "2026-12-08", "starts": "11:00", "ends": "10:00"}, "ends"),
    ({"last_day": "2026-12-08"}, "first_day"),
    ({"first_day": "2026-12-08", "starts": "11:00+01:00", "ends": "12:00+01:00"}, "starts"),
])
def test_a_refused_exception_names_the_field(client, auth, tutor, body, field):
    url = f"{availability_url(tutor)}/exceptions"
    response = client.post(url, json=body, headers=auth(tutor))
    assert response.status_code == 422, response.get_json()
    assert field in field_errors(response)
    assert client.get(url, headers=auth(tutor)).get_json() == []


def test_only_the_tutor_or_an_administrator_changes_exceptions(
        client, auth, tutor, admin, learner, second_tutor):
    url = f"{availability_url(tutor)}/exceptions"
    made = client.post(url, json={"first_day": "2026-12-08"}, headers=auth(tutor)).get_json()
    for someone in (second_tutor, learner):
        assert client.post(url, json={"first_day": "2026-12-09"},
                           headers=auth(someone)).status_code == 403
        assert client.delete(f"{url}/{made['id']}", headers=auth(someone)).status_code == 403
        assert client.get(url, headers=auth(someone)).status_code == 403
    assert [e["id"] for e in client.get(url, headers=auth(tutor)).get_json()] == [made["id"]]
    # Another tutor's exception is not reachable under this tutor's address.
    theirs = client.post(f"{availability_url(second_tutor)}/exceptions",
                         json={"first_day": "2026-12-09"}, headers=auth(second_tutor))
    assert client.delete(f"{url}/{theirs.get_json()['id']}", headers=auth(tutor)).status_code \
        == 404
    assert client.delete(f"{url}/{made['id']}", headers=auth(admin)).status_code == 204


# ---- free slots --------------------------------------------------------------------------------


def test_a_tuesday_morning_gives_two_slots_with_the_buffer_between(
        client, auth, tutor, learner, set_availability):
    set_availability(("tuesday", "10:00", "13:00"), slot_minutes=60, buffer_minutes=15)
    response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots",
                          query_string={"from": "2026-12-01", "to": "2026-12-07"},
                          headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "tutor": {"id": tutor.public_id, "name": "Tara Tutor"}, "slot_minutes": 60,
        "slots": [{"starts_at": "2026-12-01T10:00:00+00:00",
                   "ends_at": "2026-12-01T11:00:00+00:00",
                   "starts_local": "Tuesday 1 December 2026, 10:00"},
                  {"starts_at": "2026-12-01T11:15:00+00:00",
                   "ends_at": "2026-12-01T12:15:00+00:00",
                   "starts_local": "Tuesday 1 December 2026, 11:15"}]}


def test_slots_follow_the_slot_length_and_buffer(set_availability, offered_slots):
    set_availability(("tuesday", "10:00", "12:00"), slot_minutes=45, buffer_minutes=0)
    # 11:30 would end at 12:15, after the window.
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00", "2026-12-01 10:45"]


def test_a_slot_ending_exactly_at_the_windows_end_is_offered(set_availability, offered_slots):
    set_availability(("tuesday", "10:00", "12:15"))
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00", "2026-12-01 11:15"]
    set_availability(("tuesday", "10:00", "12:14"))
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00"]


def test_slots_start_from_today_for_four_weeks_by_default(
        client, auth, tutor, learner, set_availability):
    set_availability(("tuesday", "10:00", "11:00"), ("thursday", "22:00", "23:00"))
    response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots", headers=auth(learner))
    assert response.status_code == 200
    # Today is Thursday 26 November (09:00); four weeks of days run to Wednesday 23 December.
    assert [local(s["starts_at"]) for s in response.get_json()["slots"]] == [
        "2026-11-26 22:00", "2026-12-01 10:00", "2026-12-03 22:00", "2026-12-08 10:00",
        "2026-12-10 22:00", "2026-12-15 10:00", "2026-12-17 22:00", "2026-12-22 10:00"]


def test_slots_within_the_booking_notice_are_not_offered(
        tutorial_clock, app, set_availability, offered_slots, book_individual):
    assert app.config["TUTORIAL_BOOKING_NOTICE_HOURS"] == 12
    set_availability(("tuesday", "07:00", "13:00"))
    everything = ["2026-12-08 07:00", "2026-12-08 08:15", "2026-12-08 09:30",
                  "2026-12-08 10:45", "2026-12-08 12:00"]
    assert offered_slots(NEXT_TUESDAY) == everything
    tutorial_clock.move_to(london_at(NEXT_TUESDAY - timedelta(days=1), 20, 30))  # 12 h on: 08:30
    assert offered_slots(NEXT_TUESDAY) == everything[2:]
    book_individual(london_at(NEXT_TUESDAY, 8, 15), expect=409)
    book_individual(london_at(NEXT_TUESDAY, 9, 30))


def test_the_tutors_learner_reads_the_slots_a_learner_of_another_tutor_may_not(
        client, auth, tutor, admin, second_tutor, second_tutors_learner, set_availability,
        offered_slots):
    set_availability(("tuesday", "10:00", "11:00"))
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00"]
    assert offered_slots(TUESDAY, by=tutor) == ["2026-12-01 10:00"]
    assert offered_slots(TUESDAY, by=admin) == ["2026-12-01 10:00"]
    query = {"from": "2026-12-01", "to": "2026-12-01"}
    for someone in (second_tutors_learner, second_tutor):
        response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots", query_string=query,
                              headers=auth(someone))
        assert response.status_code == 403, someone.name
    assert client.get(f"/api/v1/tutors/{second_tutors_learner.public_id}/slots", query_string=query,
                      headers=auth(admin)).status_code == 404


@pytest.mark.parametrize(("first", "last", "status"), [
    ("2026-12-01", "2027-02-01", 200),  # 62 days on
    ("2026-12-01", "2027-02-02", 422),
    ("2026-12-01", "2026-11-30", 422),
])
def test_the_range_of_slots_is_at_most_62_days(client, auth, tutor, learner, first, last,
                                               status):
    response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots",
                          query_string={"from": first, "to": last}, headers=auth(learner))
    assert response.status_code == status, response.get_json()
    if status == 422:
        assert field_errors(response) == ["to"]


def test_a_booked_slot_is_no_longer_offered_and_the_next_one_stays(
        set_availability, offered_slots, book_individual, learners):
    set_availability(("tuesday", "10:00", "13:00"))
    book_individual(london_at(TUESDAY, 10))
    # 11:15 starts just as the 15-minute buffer after the tutorial ends: still free.
    assert offered_slots(TUESDAY) == ["2026-12-01 11:15"]
    [other] = learners(1)
    assert offered_slots(TUESDAY, by=other) == ["2026-12-01 11:15"]


def test_a_neighbouring_slot_within_the_buffer_goes_with_a_booking(
        set_availability, offered_slots, book_individual, learners):
    # Two windows with a five-minute gap: their slots are closer than the buffer.
    set_availability(("tuesday", "10:00", "11:00"), ("tuesday", "11:05", "13:00"))
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00", "2026-12-01 11:05"]
    book_individual(london_at(TUESDAY, 11, 5))
    assert offered_slots(TUESDAY) == []
    [other] = learners(1)
    book_individual(london_at(TUESDAY, 10), by=other, expect=409)


def test_a_booking_at_a_time_of_the_tutors_choosing_blocks_slots_within_its_buffer(
        tutor, learner, set_availability, offered_slots, book_individual):
    set_availability(("tuesday", "10:00", "16:00"))
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00", "2026-12-01 11:15", "2026-12-01 12:30",
                                "2026-12-01 13:45", "2026-12-01 15:00"]
    book_individual(london_at(TUESDAY, 12), by=tutor, learner=learner.public_id)  # 12:00-13:00
    # 11:15-12:15 overlaps it; 12:30 too; 13:45 would begin 45 minutes after: free.
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00", "2026-12-01 13:45", "2026-12-01 15:00"]


def test_a_group_session_of_the_tutor_blocks_slots_until_it_is_cancelled(
        client, auth, tutor, set_availability, offered_slots, create_session):
    set_availability(("tuesday", "10:00", "13:00"))
    session = create_session(london_at(TUESDAY, 9), minutes=50)  # ends 09:50, in the buffer
    assert offered_slots(TUESDAY) == ["2026-12-01 11:15"]
    create_session(london_at(TUESDAY, 12, 15), minutes=15)
    assert offered_slots(TUESDAY) == []
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/cancel",
                           json={"reason": "Unwell"}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00"]


def test_another_tutors_sessions_do_not_block_slots(
        client, auth, second_tutor, set_availability, offered_slots):
    set_availability(("tuesday", "10:00", "11:00"))
    response = client.post("/api/v1/tutorials/sessions", headers=auth(second_tutor), json={
        "activity": "u1-group-tutorial-restrictions-in-our-services", "capacity": 5,
        "starts_at": london_at(TUESDAY, 10).isoformat(),
        "ends_at": london_at(TUESDAY, 11).isoformat()})
    assert response.status_code == 201, response.get_json()
    assert offered_slots(TUESDAY) == ["2026-12-01 10:00"]


def test_a_sunday_at_ten_stays_at_ten_in_london_across_the_clock_change(
        client, auth, tutor, learner, set_availability, book_individual):
    set_availability(("sunday", "10:00", "11:00"))
    response = client.get(f"/api/v1/tutors/{tutor.public_id}/slots",
                          query_string={"from": "2027-03-28", "to": "2027-04-04"},
                          headers=auth(learner))
    assert response.status_code == 200
    slots = response.get_json()["slots"]
    # 28 March 2027: the clocks go forward at 01:00, so 10:00 in London is already 09:00 UTC.
    assert [(s["starts_at"], s["starts_local"]) for s in slots] == [
        ("2027-03-28T09:00:00+00:00", "Sunday 28 March 2027, 10:00"),
        ("2027-04-04T09:00:00+00:00", "Sunday 4 April 2027, 10:00")]
    earlier = client.get(f"/api/v1/tutors/{tutor.public_id}/slots",
                         query_string={"from": "2027-03-21", "to": "2027-03-21"},
                         headers=auth(learner)).get_json()["slots"]
    assert [(s["starts_at"], s["starts_local"]) for s in earlier] == [
        ("2027-03-21T10:00:00+00:00", "Sunday 21 March 2027, 10:00")]
    booked = book_individual(datetime.fromisoformat(slots[0]["starts_at"]))
    assert booked["session"]["starts_at"] == "2027-03-28T09:00:00+00:00"
    assert booked["session"]["starts_local"] == "Sunday 28 March 2027, 10:00"
    assert booked["session"]["minutes"] == 60

