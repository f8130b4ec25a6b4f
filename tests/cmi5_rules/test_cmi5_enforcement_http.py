"""The LRS enforces the cmi5 rules on the statements an AU sends with the credentials it
fetched for its session, through the real `/xapi/statements` route: a conformant session is
stored, each broken rule is refused with 403 naming the statement and the rule and nothing
of the request is stored, retries are accepted as xAPI says, and every other client's
statements pass as before."""

import io
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from cmi5_rules_support import QUIZ_ID, READING_ID, SLUG, LaunchedAU, course_zip

from activities.cmi5 import vocab

CATALOGUE = Path(__file__).with_name("cmi5_rules_catalogue.yaml")
STATEMENTS = "/xapi/statements"
QUIZ, READING = 0, 1


@pytest.fixture
def enrolment(app, db, make_user):
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol

    qualification = qualification_by_slug(load_file(CATALOGUE).qualification)
    intake = Intake(qualification=qualification, name="cmi5 rules intake",
                    start_date=date.today() - timedelta(days=3))
    db.session.add(intake)
    db.session.commit()
    found = enrol(make_user("learner", name="Rae Learner"), intake,
                  tutor=make_user("tutor", name="Tom Tutor"))
    db.session.commit()
    return found


@pytest.fixture
def course(client, enrolment, auth, make_user):
    """The two-AU course, uploaded."""
    response = client.put(f"/api/v1/activities/{SLUG}/package",
                          headers=auth(make_user("admin", name="Ada Admin")),
                          data={"file": (io.BytesIO(course_zip()), "course.zip")},
                          content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def launch(client, course, enrolment, auth):
    """`launch(index, mode=None)` -> a `LaunchedAU`, its token fetched."""
    headers = auth(enrolment.learner)

    def make(index: int = QUIZ, mode: str | None = None) -> LaunchedAU:
        response = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/"
                               f"{index}/launch", json={"mode": mode} if mode else {},
                               headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)
        return LaunchedAU(client, response.get_json(),
                          QUIZ_ID if index == QUIZ else READING_ID,
                          0.8 if index == QUIZ else None)

    return make


@pytest.fixture
def reader(lrs_headers):
    return lrs_headers("all")


@pytest.fixture
def stored(client, reader, enrolment):
    """`stored()` -> the ids of the statements in the learner's registration, but Pathway's
    own (launched, satisfied...), oldest first."""

    def ids():
        response = client.get(STATEMENTS, query_string={
            "registration": enrolment.registration, "ascending": "true", "limit": 500},
            headers=reader)
        assert response.status_code == 200
        return [s["id"] for s in response.get_json()["statements"]
                if s["authority"]["account"]["name"] != "pathway"]

    return ids


def refused(response, rule: str, index: int = 0) -> str:
    """The message of a refusal (403, naming the statement and the cmi5 rule)."""
    assert response.status_code == 403, response.get_data(as_text=True)
    message = response.get_json()["error"]["message"]
    assert f"[{index}]" in message and f"(cmi5 {rule})" in message, message
    return message


def session_row(au: LaunchedAU):
    from sqlalchemy import select

    from activities.cmi5.models import Cmi5Session
    from lms.extensions import db

    db.session.rollback()
    return db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == au.session_id)).scalar_one()


# ---- a conformant AU ---------------------------------------------------------------------------

def test_a_conformant_session_one_request_per_statement_is_stored(launch, stored):
    au = launch(QUIZ)
    sent = [au.initialized(), au.allowed(), au.completed(), au.passed(0.9), au.allowed(),
            au.terminated()]
    for statement in sent:
        response = au.send(statement)
        assert response.status_code == 200, response.get_data(as_text=True)
    assert stored() == [s["id"] for s in sent]
    row = session_row(au)
    assert row.initialized_at and row.completed_at and row.passed_at and row.terminated_at


def test_a_conformant_session_in_one_request_and_by_put(launch, stored):
    au = launch(READING)
    batch = [au.initialized(), au.allowed(), au.completed()]
    assert au.send(*batch).status_code == 200
    last = au.terminated()
    assert au.put(last).status_code == 204
    assert stored() == [s["id"] for s in [*batch, last]]


def test_a_failed_session_then_a_passed_one_in_the_registration(launch, stored):
    first = launch(QUIZ)
    assert first.send(first.initialized(), first.failed(0.5), first.terminated()) \
        .status_code == 200
    second = launch(QUIZ)
    assert second.send(second.initialized(), second.passed(0.85), second.terminated()) \
        .status_code == 200
    assert len(stored()) == 6


def test_browse_mode_initialized_allowed_terminated(launch):
    au = launch(READING, "Browse")
    assert au.send(au.initialized(), au.allowed(), au.terminated()).status_code == 200


# ---- refusals: 403 naming the rule, nothing of the request stored ----------------------------

def test_the_first_statement_must_be_initialized(launch, stored):
    au = launch(QUIZ)
    message = refused(au.send(au.allowed()), "9.3.0.0-4")
    assert message.startswith(f"cmi5 session {au.session_id}: [0].verb.id:")
    assert stored() == []


def test_a_batch_with_one_statement_at_fault_stores_nothing(launch, stored):
    au = launch(QUIZ)
    bad = au.completed()
    del bad["result"]["duration"]
    refused(au.send(au.initialized(), au.allowed(), bad), "9.5.4.1-2", 2)
    assert stored() == []
    assert session_row(au).initialized_at is None


@pytest.mark.parametrize("field, value, rule", [
    ("session id missing", None, "9.6.3.1-4"),
    ("session id of another session", str(uuid.uuid4()), "9.6.3.1-4"),
    ("publisher id grouping missing", None, "10.2.1.0-6"),
    ("object another activity", "https://example.com/elsewhere", "8.1.5.0-6"),
])
def test_context_and_object_of_the_launch(launch, stored, field, value, rule):
    au = launch(QUIZ)
    statement = au.initialized()
    if field == "session id missing":
        del statement["context"]["extensions"][vocab.SESSION_ID]
    elif field == "session id of another session":
        statement["context"]["extensions"][vocab.SESSION_ID] = value
    elif field == "publisher id grouping missing":
        statement["context"]["contextActivities"]["grouping"] = [{"id": au.au_id}]
    else:
        statement["object"]["id"] = value
    refused(au.send(statement), rule)
    assert stored() == []


def test_another_sessions_id_is_refused_even_for_the_same_au(launch, stored):
    first, second = launch(READING), launch(READING)
    statement = second.initialized()
    statement["context"]["extensions"][vocab.SESSION_ID] = first.session_id
    refused(second.send(statement), "9.6.3.1-4")
    assert stored() == []


def test_initialized_twice_across_requests(launch, stored):
    au = launch(QUIZ)
    first = au.initialized()
    assert au.send(first).status_code == 200
    refused(au.send(au.initialized()), "9.3.0.0-2")
    assert stored() == [first["id"]]


def test_nothing_after_terminated(launch, stored):
    au = launch(READING)
    sent = [au.initialized(), au.terminated()]
    assert au.send(*sent).status_code == 200
    refused(au.send(au.allowed()), "9.3.0.0-5")
    refused(au.put(au.allowed()), "9.3.0.0-5")
    assert stored() == [s["id"] for s in sent]


def test_mastery_score_of_the_launch(launch, stored):
    au = launch(QUIZ)
    assert au.send(au.initialized()).status_code == 200
    refused(au.send(au.passed(0.7)), "9.3.4.0-2")
    no_extension = au.passed(0.9)
    del no_extension["context"]["extensions"][vocab.MASTERY_SCORE]
    refused(au.send(no_extension), "9.6.3.2-2")
    assert au.send(au.failed(0.7)).status_code == 200
    refused(au.send(au.passed(0.9)), "9.3.0.0-3")


def test_no_failed_after_a_pass_in_an_earlier_session(launch):
    first = launch(QUIZ)
    assert first.send(first.initialized(), first.passed(0.9), first.terminated()) \
        .status_code == 200
    second = launch(QUIZ)
    assert second.send(second.initialized()).status_code == 200
    refused(second.send(second.failed(0.1)), "9.3.0.0-8")
    refused(second.send(second.passed(0.95)), "9.3.0.0-7")


def test_one_completed_per_registration(launch):
    first = launch(READING)
    assert first.send(first.initialized(), first.completed(), first.terminated()) \
        .status_code == 200
    second = launch(READING)
    refused(second.send(second.initialized(), second.completed()), "9.3.0.0-6", 1)


@pytest.mark.parametrize("mode, rule", [("Browse", "10.2.2.0-2"), ("Review", "10.2.2.0-3")])
def test_browse_and_review_record_no_satisfaction(launch, stored, mode, rule):
    au = launch(QUIZ, mode)
    assert au.send(au.initialized()).status_code == 200
    refused(au.send(au.completed()), rule)
    refused(au.send(au.passed(0.9)), rule)
    assert len(stored()) == 1


def test_the_au_cannot_claim_what_only_the_lms_records(launch, course):
    au = launch(QUIZ)
    assert au.send(au.initialized()).status_code == 200
    course_lms_id = next(i for i in course_ids(course) if "course" in i)
    refused(au.send(au.allowed(vocab.SATISFIED, course_lms_id)), "9.3.9")
    refused(au.send(au.allowed(vocab.WAIVED, au.au_id)), "9.3.7")


def course_ids(course: dict) -> list[str]:
    from sqlalchemy import select

    from lms.content.models import ContentPackage
    from lms.extensions import db

    manifest = db.session.execute(select(ContentPackage.manifest).where(
        ContentPackage.current.is_(True))).scalar_one()
    return [manifest["course"]["lms_id"], *(b["lms_id"] for b in manifest["blocks"])]


# ---- LMS.LaunchData: the AU reads it, never changes it -----------------------------------------

def test_the_au_reads_its_launch_data_but_cannot_change_or_delete_it(client, launch):
    au = launch(QUIZ)
    scope = {"activityId": au.au_id, "agent": json.dumps(au.actor),
             "registration": au.registration}
    launch_data = {**scope, "stateId": vocab.LAUNCH_DATA}
    path = "/xapi/activities/state"
    original = client.get(path, query_string=launch_data, headers=au.headers)
    assert original.status_code == 200
    for response in (
            client.put(path, query_string=launch_data, json={"launchMode": "Normal"},
                       headers={**au.headers, "If-Match": original.headers["ETag"]}),
            client.post(path, query_string=launch_data, json={"moveOn": "NotApplicable"},
                        headers=au.headers),
            client.delete(path, query_string=launch_data, headers=au.headers),
            client.delete(path, query_string=scope, headers=au.headers)):
        assert response.status_code == 403, response.get_data(as_text=True)
        assert "(cmi5 10.2.1.0-5)" in response.get_json()["error"]["message"]
    assert client.get(path, query_string=launch_data, headers=au.headers).get_json() == \
        original.get_json()
    bookmark = {**scope, "stateId": "bookmark"}
    assert client.put(path, query_string=bookmark, json={"page": 3},
                      headers=au.headers).status_code == 204
    assert client.delete(path, query_string=bookmark, headers=au.headers).status_code == 204


# ---- retries, cmi5 allowed statements, other clients ---------------------------------------

def test_a_retried_request_is_accepted_and_stored_once(launch, stored):
    au = launch(READING)
    batch = [au.initialized(), au.allowed()]
    assert au.send(*batch).status_code == 200
    assert au.send(*batch).status_code == 200  # the answer was lost: the AU sends it again
    later = au.allowed()
    assert au.send(batch[1], later).status_code == 200
    assert stored() == [s["id"] for s in [*batch, later]]
    bad = au.completed()
    del bad["result"]["completion"]
    refused(au.send(batch[0], bad), "9.5.3.0-1", 1)  # its index in the request


def test_cmi5_allowed_statements_with_cmi5_verbs_about_other_activities(launch, stored):
    au = launch(READING)
    assert au.send(au.initialized()).status_code == 200
    for verb in (vocab.COMPLETED, vocab.TERMINATED, vocab.INITIALIZED):
        assert au.send(au.allowed(verb, f"{au.au_id}/chapters/1")).status_code == 200
    assert au.send(au.allowed()).status_code == 200  # the session is still open
    assert session_row(au).terminated_at is None


def test_other_clients_are_not_held_to_the_cmi5_rules(client, launch, enrolment, app,
                                                      lrs_headers, stored):
    from xapi.service import launch_credentials

    au = launch(QUIZ)
    loose = au.allowed()  # before initialized, would be refused from the AU's credentials
    del loose["context"]["extensions"][vocab.SESSION_ID]
    del loose["id"]
    response = client.post(STATEMENTS, json=loose, headers=lrs_headers("all"))
    assert response.status_code == 200
    other = {"Authorization": launch_credentials(au.actor, au.registration),
             "X-Experience-API-Version": "1.0.3"}
    response = client.post(STATEMENTS, json=loose, headers=other)
    assert response.status_code == 200
    assert len(stored()) == 2
    assert au.send(au.initialized()).status_code == 200  # the AU's session is unaffected


def test_an_abandoned_sessions_credentials_are_revoked(launch):
    au = launch(READING)
    assert au.send(au.initialized()).status_code == 200
    launch(READING)  # a new launch of the AU abandons the open session
    assert au.send(au.allowed()).status_code == 401


def test_an_abandoned_session_takes_no_statements_while_its_credentials_last(launch, db,
                                                                           stored):
    """Another process may still hold the credentials as verified (for up to
    `xapi.auth.CACHE_SECONDS`) when the session is abandoned: the rules refuse them."""
    from lms.timeutil import utcnow

    au = launch(READING)
    first = au.initialized()
    assert au.send(first).status_code == 200
    row = session_row(au)
    row.abandoned_at = utcnow()
    db.session.commit()
    refused(au.send(au.allowed()), "9.3.6.0-2")
    assert stored() == [first["id"]]
