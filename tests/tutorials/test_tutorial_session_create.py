"""Creating group sessions through the API: one session or a weekly series, who may, the
refusals (each naming its field), and series that cross the clocks' changes."""

from datetime import UTC, date, timedelta

import pytest
from tutorial_group_helpers import API, booked, fields, get, invitation, only_message, when
from tutorial_support import (
    GROUP_ACTIVITY,
    INDIVIDUAL_ACTIVITY,
    OTHER_GROUP_ACTIVITY,
    iso,
    london_at,
    next_weekday,
)

from lms.timeutil import LONDON, utcnow

pytest_plugins = ["tutorial_fixtures"]
pytestmark = pytest.mark.usefixtures("catalogue")

UNIT_1 = {"number": 1, "title": "Principles of Restrictive Practice Reduction"}


def body(start, minutes=90, **changes) -> dict:
    values = {"activity": GROUP_ACTIVITY, "starts_at": iso(start),
              "ends_at": iso(start + timedelta(minutes=minutes)), "capacity": 12}
    values.update(changes)
    return values


def create(client, headers, values):
    return client.post(f"{API}/sessions", json=values, headers=headers)


def test_a_tutor_creates_a_session_with_the_unit_of_its_activity(client, auth, tutor):
    starts = london_at(next_weekday(1), 14)
    response = create(client, auth(tutor), body(
        starts, description="Bring a restriction you have seen.",
        meeting_url="https://meet.example/abc"))
    assert response.status_code == 201, response.get_json()
    [session] = response.get_json()
    assert session["kind"] == "group"
    assert session["status"] == "scheduled"
    assert session["activity"]["slug"] == GROUP_ACTIVITY
    assert session["unit"] == UNIT_1
    assert session["title"] == session["activity"]["title"]  # no title given: the activity's
    assert session["description"] == "Bring a restriction you have seen."
    assert session["meeting_url"] == "https://meet.example/abc"
    assert session["tutor"] == {"id": tutor.public_id, "name": "Tara Tutor"}
    assert when(session["starts_at"]) == starts
    assert when(session["ends_at"]) == starts + timedelta(minutes=90)
    assert session["minutes"] == 90
    assert session["capacity"] == 12
    assert (session["places_taken"], session["places_left"], session["waitlist_length"]) == \
        (0, 12, 0)
    assert session["series"] is None
    assert session["starts_local"].endswith(", 14:00")
    assert get(client, auth(tutor), f"/sessions/{session['id']}")["id"] == session["id"]


def test_the_unit_is_that_of_the_activity_held(client, auth, tutor):
    response = create(client, auth(tutor), body(
        london_at(next_weekday(2), 10), activity="u2-group-tutorial-rapport-and-relationships",
        title="Rapport, in practice"))
    assert response.status_code == 201, response.get_json()
    [session] = response.get_json()
    assert session["unit"]["number"] == 2
    assert session["title"] == "Rapport, in practice"


def test_a_weekly_series_makes_one_session_a_week_at_the_same_time(client, auth, tutor):
    first = london_at(next_weekday(3), 16)
    response = create(client, auth(tutor), body(first, weeks=3))
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert [when(s["starts_at"]) for s in made] == [first + timedelta(weeks=n) for n in range(3)]
    assert len({s["id"] for s in made}) == 3
    assert made[0]["series"] is not None
    assert {s["series"] for s in made} == {made[0]["series"]}
    assert all(s["minutes"] == 90 and s["capacity"] == 12 for s in made)


def test_an_administrator_creates_a_session_for_a_tutor(client, auth, admin, tutor):
    response = create(client, auth(admin), body(london_at(next_weekday(4), 11),
                                                tutor=tutor.public_id))
    assert response.status_code == 201, response.get_json()
    [session] = response.get_json()
    assert session["tutor"]["id"] == tutor.public_id
    listed = get(client, auth(tutor), "/sessions")
    assert [s["id"] for s in listed] == [session["id"]]


def test_an_administrator_must_say_which_tutor_runs_it(client, auth, admin, make_user):
    assert fields(create(client, auth(admin), body(london_at(next_weekday(4), 11)))) == \
        ["tutor"]
    not_a_tutor = make_user("learner")
    response = create(client, auth(admin), body(london_at(next_weekday(4), 11),
                                                tutor=not_a_tutor.public_id))
    assert fields(response) == ["tutor"]


def test_a_tutor_creates_sessions_for_themselves_only(client, auth, tutor, make_user):
    colleague = make_user("tutor")
    response = create(client, auth(tutor), body(london_at(next_weekday(4), 11),
                                                tutor=colleague.public_id))
    assert response.status_code == 403, response.get_json()
    assert get(client, auth(colleague), "/sessions") == []


def test_a_learner_may_not_create_a_session(client, auth, learner):
    response = create(client, auth(learner), body(london_at(next_weekday(1), 10)))
    assert response.status_code == 403, response.get_json()


def _past():
    return utcnow().astimezone(LONDON) - timedelta(hours=2)


@pytest.mark.parametrize("changes,field", [
    (lambda s: {"ends_at": iso(s)}, "ends_at"),
    (lambda s: {"ends_at": iso(s - timedelta(minutes=30))}, "ends_at"),
    (lambda s: {"starts_at": iso(_past()), "ends_at": iso(_past() + timedelta(hours=1))},
     "starts_at"),
    (lambda s: {"activity": "u1-reading-human-rights-and-restriction"}, "activity"),
    (lambda s: {"activity": "u1-assessment-case-study-reducing-restrictions"}, "activity"),
    (lambda s: {"activity": INDIVIDUAL_ACTIVITY}, "activity"),
    (lambda s: {"activity": "u2-recorded-webinar-active-support"}, "activity"),
    (lambda s: {"activity": "no-such-activity"}, "activity"),
    (lambda s: {"capacity": 0}, "capacity"),
    (lambda s: {"capacity": 101}, "capacity"),
    (lambda s: {"weeks": 0}, "weeks"),
    (lambda s: {"weeks": 53}, "weeks"),
], ids=["ends-at-start", "ends-before-start", "start-in-past", "self-study", "assessment",
        "individual-tutorial", "recorded-webinar", "unknown-activity", "capacity-0",
        "capacity-101", "weeks-0", "weeks-53"])
def test_refusals_name_the_field_and_create_nothing(client, auth, tutor, changes, field):
    starts = london_at(next_weekday(1), 10)
    response = create(client, auth(tutor), body(starts, **changes(starts)))
    assert fields(response) == [field]
    assert get(client, auth(tutor), "/sessions?include_cancelled=true") == []


def test_capacities_of_one_and_a_hundred_are_accepted(client, auth, tutor):
    for hour, capacity in ((10, 1), (14, 100)):
        response = create(client, auth(tutor), body(london_at(next_weekday(1), hour),
                                                    capacity=capacity))
        assert response.status_code == 201, response.get_json()
        assert response.get_json()[0]["capacity"] == capacity


def test_a_live_webinar_may_be_held_as_a_session(client, auth, tutor):
    response = create(client, auth(tutor), body(
        london_at(next_weekday(1), 10), activity="u1-live-webinar-six-core-strategies"))
    assert response.status_code == 201, response.get_json()


def test_a_tutor_is_never_double_booked(client, auth, tutor):
    starts = london_at(next_weekday(1), 10)
    assert create(client, auth(tutor), body(starts)).status_code == 201
    response = create(client, auth(tutor), body(starts + timedelta(minutes=30),
                                                activity=OTHER_GROUP_ACTIVITY))
    assert response.status_code == 409, response.get_json()
    # Back to back is no clash.
    response = create(client, auth(tutor), body(starts + timedelta(minutes=90),
                                                activity=OTHER_GROUP_ACTIVITY))
    assert response.status_code == 201, response.get_json()


def test_a_series_is_refused_whole_when_one_week_clashes(client, auth, tutor):
    first = london_at(next_weekday(2), 10)
    assert create(client, auth(tutor), body(first + timedelta(weeks=2))).status_code == 201
    response = create(client, auth(tutor), body(first, weeks=4, activity=OTHER_GROUP_ACTIVITY))
    assert response.status_code == 409, response.get_json()
    assert len(get(client, auth(tutor), "/sessions")) == 1


# ---- series across the clock changes ---------------------------------------------------------

def _utc_hours(made):
    return [when(s["starts_at"]).astimezone(UTC).hour for s in made]


def test_a_series_across_the_spring_change_stays_at_ten_london(client, auth, tutor):
    # Tuesdays 16, 23, 30 March and 6 April 2027; the clocks go forward on Sunday 28 March.
    response = create(client, auth(tutor), body(london_at(date(2027, 3, 16), 10), weeks=4))
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert [s["starts_local"] for s in made] == [
        "Tuesday 16 March 2027, 10:00", "Tuesday 23 March 2027, 10:00",
        "Tuesday 30 March 2027, 10:00", "Tuesday 6 April 2027, 10:00"]
    assert _utc_hours(made) == [10, 10, 9, 9]
    assert all(s["minutes"] == 90 for s in made)
    assert [london_end(s) for s in made] == ["11:30"] * 4


def test_a_series_across_the_autumn_change_stays_at_ten_london(client, auth, tutor):
    # Tuesdays 19 and 26 October, 2 and 9 November 2027; the clocks go back on Sunday 31
    # October.
    response = create(client, auth(tutor), body(london_at(date(2027, 10, 19), 10), weeks=4))
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert [s["starts_local"] for s in made] == [
        "Tuesday 19 October 2027, 10:00", "Tuesday 26 October 2027, 10:00",
        "Tuesday 2 November 2027, 10:00", "Tuesday 9 November 2027, 10:00"]
    assert _utc_hours(made) == [9, 9, 10, 10]
    assert [london_end(s) for s in made] == ["11:30"] * 4


def london_end(session: dict) -> str:
    return f"{when(session['ends_at']).astimezone(LONDON):%H:%M}"


def test_an_invitation_after_the_change_says_ten_london(client, auth, tutor, learner):
    made = client.post(f"{API}/sessions", json=body(london_at(date(2027, 10, 19), 10), weeks=4),
                       headers=auth(tutor)).get_json()
    after = made[2]  # Tuesday 2 November 2027, after the clocks went back
    booked(client, auth(learner), after["id"])
    method, event = invitation(only_message(learner, "tutorial-booked"))
    assert method == "REQUEST"
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (10, 0, "Europe/London")
    assert start == when(after["starts_at"])
    assert event["DTSTART"].params["TZID"] == "Europe/London"
