"""moveOn evaluated from the AUs' statements: the AU, its block and the course satisfied
once each per registration (satisfied statements about the block and the course, with the
triggering session's id), NotApplicable AUs at the first opening of the course, only Normal
launches counting, and progress: the course complete (hours credited) once satisfied, the
sessions' time counted."""

from __future__ import annotations

from cmi5_core_support import (
    AU1_ID,
    AU2_ID,
    BLOCK_ID,
    COMPLETED,
    COURSE_ID,
    FAILED,
    PASSED,
    SATISFIED,
    SESSION_ID,
    SLUG,
    au,
    block,
    course_xml,
    course_zip,
)
from sqlalchemy import select

from activities.cmi5.models import Cmi5Satisfied, Cmi5Session
from activities.cmi5.tracking import evaluate, follow_statements

pytest_plugins = ["cmi5_core_fixtures"]

COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"


def satisfied_rows(db) -> dict[str, Cmi5Satisfied]:
    db.session.rollback()
    return {row.kind + ":" + row.object_iri: row
            for row in db.session.execute(select(Cmi5Satisfied)).scalars()}


def progress_of(client, enrolment, learner_headers, slug=SLUG) -> dict:
    body = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                      headers=learner_headers).get_json()
    return next(a for u in body["units"] for a in u["activities"] if a["slug"] == slug)


def test_the_au_block_and_course_are_satisfied_once(launched_au, statements, db, client,
                                                    enrolment, learner_headers):
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED, ("terminated", {"duration": "PT10M"}))
    rows = satisfied_rows(db)
    assert set(rows) == {"au:" + transcript.activity_id}
    completed = statements(verb="http://adlnet.gov/expapi/verbs/completed")[0]
    assert rows["au:" + transcript.activity_id].statement_id == completed["id"]
    assert statements(verb=SATISFIED) == []  # an AU alone is not a block

    check = launched_au(1)
    check.run("initialized", FAILED, ("terminated", {"duration": "PT5M"}))
    assert len(satisfied_rows(db)) == 1
    retry = launched_au(1)
    retry.run("initialized", PASSED)
    satisfied = statements(verb=SATISFIED)
    assert len(satisfied) == 2
    by_type = {s["object"]["definition"]["type"]: s for s in satisfied}
    assert set(by_type) == {BLOCK_TYPE, COURSE_TYPE}
    for statement, publisher_id in ((by_type[BLOCK_TYPE], BLOCK_ID),
                                    (by_type[COURSE_TYPE], COURSE_ID)):
        assert statement["object"]["id"] != publisher_id  # Pathway's own id
        assert statement["context"]["extensions"][SESSION_ID] == retry.session_id
        assert statement["context"]["registration"] == enrolment.registration
        assert statement["context"]["contextActivities"]["grouping"] == [
            {"objectType": "Activity", "id": publisher_id}]
        assert statement["authority"]["account"]["name"] == "pathway"
        assert "result" not in statement
    rows = satisfied_rows(db)
    assert sorted(r.kind for r in rows.values()) == ["au", "au", "block", "course"]
    assert rows["course:" + by_type[COURSE_TYPE]["object"]["id"]].statement_id == \
        by_type[COURSE_TYPE]["id"]

    # Anything later satisfies nothing again.
    retry.run(("terminated", {"duration": "PT7M"}))
    package = db.session.execute(select(Cmi5Session.package_id)).scalars().first()
    assert evaluate(enrolment.id, rows["au:" + retry.activity_id].activity_id, package,
                    enrolment.registration) == []
    assert len(statements(verb=SATISFIED)) == 2

    activity = progress_of(client, enrolment, learner_headers)
    assert activity["status"] == "completed"
    assert activity["credited_hours"] == 1.5
    assert activity["time_spent_seconds"] == 22 * 60  # the terminated sessions' durations


def test_the_course_is_not_complete_before_it_is_satisfied(launched_au, client, enrolment,
                                                           learner_headers):
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED, ("terminated", {"duration": "PT10M"}))
    activity = progress_of(client, enrolment, learner_headers)
    assert activity["status"] == "started"
    assert activity["credited_hours"] == 0.0
    assert activity["time_spent_seconds"] == 600


def test_completed_and_passed_in_different_sessions(upload, launched_au, statements):
    upload(course_zip(course_xml(au(AU1_ID, "transcript/index.html",
                                    moveOn="CompletedAndPassed"))))
    first = launched_au(0)
    first.run("initialized", COMPLETED, ("terminated", {"duration": "PT1M"}))
    assert statements(verb=SATISFIED) == []
    second = launched_au(0)
    second.run("initialized", PASSED)
    satisfied = statements(verb=SATISFIED)
    assert [s["object"]["definition"]["type"] for s in satisfied] == [COURSE_TYPE]
    assert satisfied[0]["context"]["extensions"][SESSION_ID] == second.session_id


def test_statements_without_the_cmi5_category_satisfy_nothing(launched_au, db):
    # The LRS refuses such a `completed` in a session; followed directly, it satisfies nothing.
    transcript = launched_au(0)
    transcript.run("initialized")
    statement = transcript.statement("completed", {"completion": True, "duration": "PT1M"},
                                     cmi5=False)
    statement["stored"] = statement["timestamp"]
    assert follow_statements([statement]) == []
    assert satisfied_rows(db) == {}


def test_a_browse_launch_satisfies_nothing(launched_au, db, statements):
    # The LRS refuses a `completed` in Browse mode; followed directly, it would count for
    # nothing either.
    browse = launched_au(0, "Browse")
    statement = browse.statement(*COMPLETED)
    statement["stored"] = statement["timestamp"]
    assert follow_statements([statement]) == []
    db.session.rollback()
    row = db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == browse.session_id)).scalar_one()
    assert row.completed_at is not None  # noted, but not a Normal launch
    assert satisfied_rows(db) == {}


def test_a_statement_for_another_learner_or_registration_is_not_followed(launched_au, db):
    transcript = launched_au(0)
    for changed in ({"actor": {"objectType": "Agent", "account": {
                        "homePage": "http://pathway.test", "name": "someone-else"}}},
                    {"registration": "4c2c8c8e-1c1a-4c1e-9a4e-000000000000"}):
        statement = transcript.statement(*COMPLETED, **changed)
        statement["stored"] = statement["timestamp"]
        assert follow_statements([statement]) == []
    db.session.rollback()
    row = db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == transcript.session_id)).scalar_one()
    assert row.completed_at is None and row.last_statement_at is None


NOT_APPLICABLE = "http://example.org/cmi5/lived-experience/aus/welcome"
EXTRA_BLOCK = "http://example.org/cmi5/lived-experience/blocks/welcome"


def open_course(client, enrolment, learner_headers):
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/launch",
                           headers=learner_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_not_applicable_aus_are_satisfied_when_the_course_is_first_opened(
        upload, client, enrolment, learner_headers, statements, db, launched_au):
    upload(course_zip(course_xml(
        block(EXTRA_BLOCK, au(NOT_APPLICABLE, "transcript/index.html", "Welcome")),
        block(BLOCK_ID, au(AU1_ID, "transcript/index.html", moveOn="Completed"),
              au(AU2_ID, "check/index.html", moveOn="NotApplicable")))))
    opened = open_course(client, enrolment, learner_headers)
    assert opened["url"] == f"http://pathway.test/learn/{enrolment.id}/{SLUG}/player"
    satisfied = statements(verb=SATISFIED)
    assert len(satisfied) == 1
    assert satisfied[0]["context"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": EXTRA_BLOCK}]
    outside_session = satisfied[0]["context"]["extensions"][SESSION_ID]
    assert sorted(r.kind for r in satisfied_rows(db).values()) == ["au", "au", "block"]
    open_course(client, enrolment, learner_headers)  # again: nothing new
    assert len(statements(verb=SATISFIED)) == 1

    transcript = launched_au(1)
    transcript.run("initialized", COMPLETED)
    satisfied = statements(verb=SATISFIED)
    assert len(satisfied) == 3
    latest = {s["object"]["definition"]["type"]: s for s in satisfied[:2]}
    assert set(latest) == {BLOCK_TYPE, COURSE_TYPE}
    assert {s["context"]["extensions"][SESSION_ID] for s in latest.values()} == \
        {transcript.session_id} != {outside_session}
    assert progress_of(client, enrolment, learner_headers)["status"] == "completed"


def test_a_course_of_only_not_applicable_aus_is_complete_once_opened(
        upload, client, enrolment, learner_headers, statements):
    upload(course_zip(course_xml(au(NOT_APPLICABLE, "transcript/index.html", "Welcome"))))
    open_course(client, enrolment, learner_headers)
    satisfied = statements(verb=SATISFIED)
    assert [s["object"]["definition"]["type"] for s in satisfied] == [COURSE_TYPE]
    activity = progress_of(client, enrolment, learner_headers)
    assert (activity["status"], activity["credited_hours"]) == ("completed", 1.5)


def test_a_satisfied_statement_from_the_au_does_not_complete_the_course(
        launched_au, client, enrolment, learner_headers, statements):
    transcript = launched_au(0)
    transcript.run("initialized")
    course_id = next(s for s in statements() if s["verb"]["id"].endswith("launched"))
    forged = transcript.statement(SATISFIED)
    forged["object"] = {"objectType": "Activity", "id": course_id["object"]["id"],
                        "definition": {"type": COURSE_TYPE}}
    transcript.send(forged)
    assert progress_of(client, enrolment, learner_headers)["status"] == "started"
