"""Progress from SCORM activities, through the same projection as every type: a SCO's own
statements mean started / progressed / left (with the session's time), only the package's
standing (Pathway's own statement) completes the activity and credits its hours."""

import uuid
from datetime import UTC, datetime

import pytest
from scorm_runtime_support import ADL, PLAIN12, PLAIN2004, QUIZ12, TWO2004, start_again

from activities.base import LAUNCHED, LEFT, PROGRESSED, STARTED, Event
from activities.scorm import Scorm

pytest_plugins = ["scorm_runtime_fixtures"]

SCO = "http://pathway.test/activities/x/scos/item"
COURSE = "http://adlnet.gov/expapi/activities/course"
LESSON = "http://adlnet.gov/expapi/activities/lesson"


@pytest.fixture
def progress_of(client, auth, learner, enrolment):
    """`progress_of(slug)`: the activity's progress as the progress API gives it."""
    headers = auth(learner)

    def read(slug: str) -> dict:
        response = client.get(f"/api/v1/enrolments/{enrolment.id}/progress", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        for unit in response.get_json()["units"]:
            for activity in unit["activities"]:
                if activity["slug"] == slug:
                    return activity
        raise AssertionError(slug)

    return read


def test_the_type_is_declared_as_the_design_says():
    assert Scorm.name == "scorm" and Scorm.title == "SCORM package"
    assert Scorm.package_kinds == ("scorm12", "scorm2004")
    assert Scorm.tracks_in_browser is False
    assert Scorm.player_template == "scorm/player.html"
    assert Scorm.xapi_type == COURSE
    assert Scorm.learning == "self-study"


@pytest.mark.parametrize(("verb", "target_type", "result", "kind", "seconds"), [
    ("initialized", LESSON, None, STARTED, 0),
    ("resumed", LESSON, None, STARTED, 0),
    ("terminated", LESSON, {"duration": "PT5M"}, LEFT, 300),
    ("suspended", LESSON, {"duration": "PT1M30S"}, LEFT, 90),
    ("completed", LESSON, {"completion": True}, PROGRESSED, 0),
    ("passed", LESSON, {"success": True}, PROGRESSED, 0),
    ("failed", LESSON, {"success": False}, PROGRESSED, 0),
    ("responded", "http://adlnet.gov/expapi/activities/cmi.interaction", None, PROGRESSED, 0),
    ("launched", COURSE, None, LAUNCHED, 0),
    ("completed", COURSE, None, "completed", 0),
    ("passed", COURSE, None, "passed", 0),
    ("failed", COURSE, None, "failed", 0),
    ("experienced", LESSON, None, None, 0),
])
def test_statements_are_interpreted(verb, target_type, result, kind, seconds):
    statement = {"verb": {"id": ADL + verb},
                 "object": {"id": SCO, "definition": {"type": target_type}}}
    if result:
        statement["result"] = result
    meaning = Scorm().interpret(statement)
    assert (meaning.kind if meaning else None) == kind
    if meaning:
        assert meaning.seconds == seconds


def event(kind, trusted):
    return Event(str(uuid.uuid4()), kind, datetime(2026, 9, 1, tzinfo=UTC), trusted)


def test_only_pathways_own_statements_complete_it():
    untrusted = [event(STARTED, False), event("completed", False), event("passed", False)]
    assert Scorm().completion({}, untrusted).status == "started"
    assert Scorm().completion({}, [event(STARTED, False), event("passed", True)]).status == \
        "passed"


@pytest.mark.parametrize(("kinds", "status"), [
    (["completed", "failed"], "failed"),      # the latest standing counts...
    (["failed", "completed"], "completed"),   # (a new attempt completed without a score)
    (["completed", "passed", "failed"], "passed"),  # ...but a pass stays
    (["failed", "passed", "completed"], "passed"),
    ([STARTED], "started"),
])
def test_the_package_standing_rule(kinds, status):
    events = [event(kind, True) for kind in kinds]
    assert Scorm().completion({}, events).status == status


def test_read_then_failed_counts_the_same_sent_apart_or_together(open_player, progress_of):
    """A SCORM 1.2 quiz with a mastery score: "completed" in one commit and a failing score
    in the next is failed, as when both come in one request (no hours credited)."""
    apart = open_player(QUIZ12)
    apart.ok("initialize", [("cmi.core.lesson_status", "completed")])
    assert progress_of(QUIZ12)["status"] == "completed"
    apart.ok("commit", [("cmi.core.score.raw", "30")])
    apart.ok("terminate")
    progress = progress_of(QUIZ12)
    assert progress["status"] == "failed" and progress["credited_hours"] == 0


def test_a_passed_quiz_completes_the_activity_and_credits_its_hours(open_player, progress_of):
    assert progress_of(QUIZ12)["status"] == "not-started"
    session = open_player(QUIZ12)
    session.ok("initialize")
    assert progress_of(QUIZ12)["status"] == "started"
    session.ok("terminate", [("cmi.core.score.raw", "85"),
                             ("cmi.core.session_time", "00:20:00")])
    progress = progress_of(QUIZ12)
    assert progress["status"] == "passed" and progress["complete"] is True
    assert progress["credited_hours"] == 1.5
    assert progress["time_spent_seconds"] == 20 * 60


def test_one_sco_of_two_does_not_complete_the_activity(open_player, progress_of):
    reading = open_player(TWO2004, sco="item_reading")
    reading.ok("initialize")
    reading.ok("terminate", [("cmi.progress_measure", "1"), ("cmi.session_time", "PT10M")])
    progress = progress_of(TWO2004)
    assert progress["status"] == "started" and progress["credited_hours"] == 0
    check = open_player(TWO2004, sco="item_check")
    check.ok("initialize")
    check.ok("terminate", [("cmi.score.scaled", "0.8"), ("cmi.session_time", "PT5M")])
    progress = progress_of(TWO2004)
    assert progress["status"] == "passed"
    assert progress["credited_hours"] == 2.5
    assert progress["time_spent_seconds"] == 15 * 60


def test_a_completed_lesson_without_score_is_completed(open_player, progress_of):
    session = open_player(PLAIN2004)
    session.ok("initialize", [("cmi.completion_status", "completed")])
    progress = progress_of(PLAIN2004)
    assert progress["status"] == "completed" and progress["credited_hours"] == 1


def test_a_failure_then_a_pass_in_a_new_attempt(open_player, progress_of, learner_client,
                                               enrolment):
    session = open_player(QUIZ12)
    session.ok("initialize")
    session.ok("terminate", [("cmi.core.score.raw", "40")])
    assert progress_of(QUIZ12)["status"] == "failed"
    # relaunching the same attempt does not turn the failure into a completion
    again = open_player(QUIZ12)
    again.ok("initialize", [("cmi.core.lesson_status", "incomplete")])
    again.ok("terminate")
    assert progress_of(QUIZ12)["status"] == "failed"
    start_again(learner_client, enrolment, QUIZ12, again.page, "item_lesson")
    fresh = open_player(QUIZ12)
    assert fresh.config["attempt"] == 2
    fresh.ok("initialize")
    fresh.ok("terminate", [("cmi.core.score.raw", "100")])
    assert progress_of(QUIZ12)["status"] == "passed"


def test_lms_finish_alone_completes_a_scorm_12_lesson(open_player, progress_of):
    session = open_player(PLAIN12)
    session.ok("initialize")
    session.ok("terminate")
    assert progress_of(PLAIN12)["status"] == "completed"


def test_starting_again_keeps_the_activity_complete(open_player, progress_of, learner_client,
                                                    enrolment):
    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.core.lesson_status", "completed")])
    start_again(learner_client, enrolment, PLAIN12, session.page, "item_lesson")
    fresh = open_player(PLAIN12)
    assert fresh.config["attempt"] == 2
    fresh.ok("initialize")
    assert progress_of(PLAIN12)["status"] == "completed"


def test_progress_rebuilt_from_the_record_agrees(open_player, progress_of, app):
    session = open_player(TWO2004, sco="item_reading")
    session.ok("initialize", [("cmi.progress_measure", "0.9")])
    check = open_player(TWO2004, sco="item_check")
    check.ok("initialize", [("cmi.score.scaled", "0.95")])
    before = progress_of(TWO2004)
    from lms.progress.projection import rebuild

    rebuild()
    after = progress_of(TWO2004)
    assert (before["status"], before["credited_hours"]) == \
        (after["status"], after["credited_hours"]) == ("passed", 2.5)
