"""The SCORM runtime's commit endpoint through HTTP, as the player page's JavaScript uses it:
sessions, storage per attempt, the sequence's idempotency, and every refusal (token,
ownership, sign-in, shape, data model)."""

import pytest
from scorm_runtime_support import PLAIN12

pytest_plugins = ["scorm_runtime_fixtures"]


def attempt_row(db, attempt_id):
    from activities.scorm.models import ScormAttempt

    db.session.expire_all()
    return db.session.get(ScormAttempt, attempt_id)


def attempt_id(session) -> int:
    return int(session.config["commitUrl"].split("/")[3])


def test_a_session_is_stored_in_the_learners_attempt(open_player, db):
    session = open_player(PLAIN12)
    assert session.config["version"] == "1.2"
    assert session.initial["cmi.core.entry"] == "ab-initio"
    assert session.initial["cmi.core.lesson_status"] == "not attempted"
    answer = session.ok("initialize")
    assert answer == {"sequence": 1, "duplicate": False, "status": {
        "completion": "not attempted", "success": "unknown", "score": None}}
    session.ok("commit", [("cmi.core.lesson_location", "page-3"),
                          ("cmi.suspend_data", "abc"), ("cmi.core.lesson_status", "incomplete")])
    answer = session.ok("terminate", [("cmi.core.session_time", "0000:01:30.50"),
                                      ("cmi.core.exit", "suspend")])
    assert answer["status"]["completion"] == "incomplete"
    row = attempt_row(db, attempt_id(session))
    assert row.number == 1 and row.sessions == 1
    assert row.cmi["cmi.suspend_data"] == "abc"
    assert row.location == "page-3"
    assert row.total_seconds == pytest.approx(90.5)
    assert row.suspended is True and row.entry_next == "resume"
    assert row.terminated_at is not None
