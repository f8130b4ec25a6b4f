"""The SCORM runtime's commit endpoint through HTTP, as the player page's JavaScript uses it:
sessions, storage per attempt, resume at the size limits, total time, review mode, a new
attempt, the sequence's idempotency, and every refusal (token, ownership, sign-in, shape,
data model)."""

import json

import pytest
from scorm_runtime_support import (
    PLAIN12,
    PLAIN2004,
    QUIZ12,
    TWO2004,
    player_path,
    sign_in,
    start_again,
)

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
    assert session.config["commitEveryMs"] == 10000
    assert session.initial["cmi.core.entry"] == "ab-initio"
    assert session.initial["cmi.core.lesson_status"] == "not attempted"
    assert session.initial["cmi.core.credit"] == "credit"
    assert session.initial["cmi.core.lesson_mode"] == "normal"
    assert session.initial["cmi.core.student_name"] == "Lovelace, Ada"
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


def test_later_values_win_within_a_request(open_player, db):
    session = open_player(PLAIN2004)
    session.ok("initialize", [("cmi.location", "1"), ("cmi.location", "2")])
    assert attempt_row(db, attempt_id(session)).cmi["cmi.location"] == "2"


# -- resume ------------------------------------------------------------------------------

@pytest.mark.parametrize(("slug", "data", "location", "entry", "size", "location_size"), [
    (PLAIN12, "cmi.suspend_data", "cmi.core.lesson_location", "cmi.core.entry", 4096, 255),
    (PLAIN2004, "cmi.suspend_data", "cmi.location", "cmi.entry", 64000, 1000),
])
def test_suspend_data_at_its_limit_resumes_whole(open_player, slug, data, location, entry,
                                                  size, location_size):
    exit_name = "cmi.core.exit" if slug == PLAIN12 else "cmi.exit"
    suspend_data = ("0123456789abcdef" * (size // 16 + 1))[:size]
    place = "é" * location_size  # characters, not bytes
    session = open_player(slug)
    session.ok("initialize")
    session.ok("commit", [(data, suspend_data), (location, place)])
    session.ok("terminate", [(exit_name, "suspend")])

    again = open_player(slug)
    assert again.initial[entry] == "resume"
    assert again.initial[data] == suspend_data
    assert again.initial[location] == place
    # one character more is refused, and nothing of that request is kept
    again.ok("initialize")
    response = again.send("commit", [(location, "kept?"), (data, suspend_data + "x")])
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{
        "field": f"values[1] {data}",
        "detail": f"is {size + 1} characters long; at most {size} are kept"}]
    assert open_player(slug).initial[location] == place


@pytest.mark.parametrize(("slug", "exit_name", "exit_value", "entry"), [
    (PLAIN12, "cmi.core.exit", "", ""),
    (PLAIN12, "cmi.core.exit", "logout", ""),
    (PLAIN12, "cmi.core.exit", "time-out", ""),
    (PLAIN2004, "cmi.exit", "normal", ""),
    (PLAIN2004, "cmi.exit", "", ""),
    (PLAIN2004, "cmi.exit", "suspend", "resume"),
])
def test_entry_is_resume_only_after_a_suspend(open_player, slug, exit_name, exit_value, entry):
    entry_name = "cmi.core.entry" if slug == PLAIN12 else "cmi.entry"
    first = open_player(slug)
    assert first.initial[entry_name] == "ab-initio"
    first.ok("initialize", [("cmi.suspend_data", "state")])
    first.ok("terminate", [(exit_name, exit_value)])
    again = open_player(slug)
    assert again.initial[entry_name] == entry
    assert again.initial["cmi.suspend_data"] == "state"  # the attempt goes on either way


def test_interactions_and_objectives_are_kept_for_the_next_session(open_player):
    session = open_player(PLAIN2004)
    values = [("cmi.objectives.0.id", "obj-a"), ("cmi.objectives.0.success_status", "passed"),
              ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
              ("cmi.interactions.0.learner_response", "a[,]b"),
              ("cmi.interactions.0.result", "correct"),
              ("cmi.interactions.1.id", "q2"), ("cmi.learner_preference.language", "en-GB")]
    session.ok("initialize", values)
    session.ok("terminate", [("cmi.exit", "suspend")])
    initial = open_player(PLAIN2004).initial
    for name, value in values:
        assert initial[name] == value
    assert "cmi.exit" not in initial and "cmi.session_time" not in initial


# -- time -----------------------------------------------------------------------------------

def test_total_time_adds_each_sessions_time(open_player, db):
    first = open_player(PLAIN12)
    assert first.initial["cmi.core.total_time"] == "0000:00:00.00"
    first.ok("initialize")
    first.ok("terminate", [("cmi.core.session_time", "00:10:00")])
    second = open_player(PLAIN12)
    assert second.initial["cmi.core.total_time"] == "0000:10:00.00"
    second.ok("initialize")
    # session_time is the session's whole time: a later value replaces an earlier one
    second.ok("commit", [("cmi.core.session_time", "00:05:00")])
    second.ok("commit", [("cmi.core.session_time", "00:07:00")])
    second.ok("terminate")
    assert open_player(PLAIN12).initial["cmi.core.total_time"] == "0000:17:00.00"
    assert attempt_row(db, attempt_id(second)).total_seconds == 17 * 60


def test_scorm_2004_total_time_is_an_iso_duration(open_player):
    first = open_player(PLAIN2004)
    assert first.initial["cmi.total_time"] == "PT0S"
    first.ok("initialize")
    first.ok("terminate", [("cmi.session_time", "PT1H2M3.5S")])
    assert open_player(PLAIN2004).initial["cmi.total_time"] == "PT1H2M3.5S"


def test_an_unload_without_terminate_keeps_the_data_and_the_time(open_player, db):
    session = open_player(PLAIN2004)
    session.ok("initialize")
    session.ok("unload", [("cmi.suspend_data", "left mid-way"), ("cmi.exit", "suspend"),
                          ("cmi.session_time", "PT4M")])
    row = attempt_row(db, attempt_id(session))
    assert row.total_seconds == 240 and row.terminated_at is not None
    again = open_player(PLAIN2004)
    assert again.initial["cmi.entry"] == "resume"
    assert again.initial["cmi.suspend_data"] == "left mid-way"
    assert again.initial["cmi.total_time"] == "PT4M"


def test_a_page_closed_without_a_word_keeps_its_last_commit(open_player, db):
    session = open_player(PLAIN12)
    session.ok("initialize")
    session.ok("commit", [("cmi.suspend_data", "saved"), ("cmi.core.exit", "suspend"),
                          ("cmi.core.session_time", "00:02:00")])
    # no terminate, no unload: the learner opens the SCO again later
    again = open_player(PLAIN12)
    assert again.initial["cmi.suspend_data"] == "saved"
    assert again.initial["cmi.core.entry"] == "resume"
    assert again.initial["cmi.core.total_time"] == "0000:02:00.00"
    # the old page's token no longer works
    assert session.send("commit", [("cmi.suspend_data", "late")]).status_code == 403
    assert attempt_row(db, attempt_id(again)).sessions == 2


# -- statuses -------------------------------------------------------------------------------

def test_lms_finish_with_status_not_attempted_completes(open_player):
    session = open_player(PLAIN12)
    session.ok("initialize")
    answer = session.ok("terminate")
    assert answer["status"]["completion"] == "completed"
    assert open_player(PLAIN12).initial["cmi.core.lesson_status"] == "completed"


def test_an_unload_is_not_lms_finish(open_player):
    session = open_player(PLAIN12)
    session.ok("initialize")
    assert session.ok("unload")["status"]["completion"] == "not attempted"


def test_the_mastery_score_decides_passed_or_failed(open_player):
    session = open_player(QUIZ12)
    assert session.initial["cmi.student_data.mastery_score"] == "80"
    assert session.initial["cmi.launch_data"] == "level=1"
    session.ok("initialize")
    answer = session.ok("commit", [("cmi.core.score.raw", "70"),
                                   ("cmi.core.lesson_status", "completed")])
    assert answer["status"] == {"completion": "completed", "success": "failed",
                                "score": {"scaled": 0.7, "raw": 70.0}}
    answer = session.ok("terminate", [("cmi.core.score.raw", "85")])
    assert answer["status"]["success"] == "passed"
    assert open_player(QUIZ12).initial["cmi.core.lesson_status"] == "passed"


def test_a_completed_sco_stays_completed_on_relaunch(open_player):
    first = open_player(PLAIN12)
    first.ok("initialize", [("cmi.core.lesson_status", "completed")])
    first.ok("terminate")
    again = open_player(PLAIN12)
    assert again.initial["cmi.core.lesson_status"] == "completed"
    again.ok("initialize")
    # many authoring tools set "incomplete" as they start: it does not undo the completion
    answer = again.ok("commit", [("cmi.core.lesson_status", "incomplete")])
    assert answer["status"]["completion"] == "completed"
    assert open_player(PLAIN12).initial["cmi.core.lesson_status"] == "completed"


def test_scorm_2004_exit_normal_after_completion_keeps_the_status(open_player):
    first = open_player(PLAIN2004)
    first.ok("initialize", [("cmi.completion_status", "completed"),
                            ("cmi.success_status", "passed"), ("cmi.score.scaled", "0.9")])
    first.ok("terminate", [("cmi.exit", "normal")])
    again = open_player(PLAIN2004)
    assert again.initial["cmi.entry"] == ""
    assert again.initial["cmi.completion_status"] == "completed"
    assert again.initial["cmi.success_status"] == "passed"
    assert again.initial["cmi.score.scaled"] == "0.9"


def test_scorm_2004_thresholds_decide_the_statuses(open_player):
    reading = open_player(TWO2004, sco="item_reading")
    assert reading.initial["cmi.completion_threshold"] == "0.8"
    assert reading.initial["cmi.launch_data"] == "chapter=1"
    assert "cmi.completion_status" not in reading.initial  # not set yet
    reading.ok("initialize")
    answer = reading.ok("commit", [("cmi.completion_status", "completed"),
                                   ("cmi.progress_measure", "0.5")])
    assert answer["status"]["completion"] == "incomplete"  # the measure decides
    answer = reading.ok("terminate", [("cmi.progress_measure", "0.85")])
    assert answer["status"]["completion"] == "completed"

    check = open_player(TWO2004, sco="item_check")
    assert check.initial["cmi.scaled_passing_score"] == "0.7"
    assert check.initial["cmi.objectives.0.id"] == "check_passed"  # from the manifest
    check.ok("initialize")
    answer = check.ok("commit", [("cmi.success_status", "passed")])
    assert answer["status"]["success"] == "unknown"  # no scaled score yet
    answer = check.ok("terminate", [("cmi.score.scaled", "0.75"), ("cmi.score.raw", "15"),
                                    ("cmi.score.max", "20"), ("cmi.score.min", "0")])
    assert answer["status"] == {"completion": "unknown", "success": "passed",
                                "score": {"scaled": 0.75, "raw": 15.0}}


# -- review and new attempts ----------------------------------------------------------------

def finish_plain12(open_player):
    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.suspend_data", "done-state"),
                              ("cmi.core.lesson_status", "passed"),
                              ("cmi.core.score.raw", "90")])
    session.ok("terminate", [("cmi.core.session_time", "00:01:00")])
    return session


def test_review_mode_changes_nothing(open_player, db):
    done = finish_plain12(open_player)
    before = attempt_row(db, attempt_id(done))
    kept = (dict(before.cmi), before.completion_status, before.success_status,
            before.total_seconds, before.sessions)
    review = open_player(PLAIN12, mode="review")
    assert review.config["mode"] == "review"
    assert review.initial["cmi.core.lesson_mode"] == "review"
    assert review.initial["cmi.core.credit"] == "no-credit"
    assert review.initial["cmi.core.entry"] == ""
    assert review.initial["cmi.suspend_data"] == "done-state"
    review.ok("initialize")
    answer = review.ok("commit", [("cmi.suspend_data", "changed"),
                                  ("cmi.core.lesson_status", "failed"),
                                  ("cmi.core.session_time", "01:00:00")])
    assert answer["status"]["success"] == "passed"
    review.ok("terminate")
    after = attempt_row(db, attempt_id(review))
    assert attempt_id(review) == attempt_id(done)
    assert (after.cmi, after.completion_status, after.success_status, after.total_seconds,
            after.sessions) == kept


def test_starting_again_makes_a_fresh_attempt_and_keeps_the_old_one(open_player, db,
                                                                    learner_client,
                                                                    enrolment):
    done = finish_plain12(open_player)
    player = open_player(PLAIN12)
    assert "Start again" in player.page
    assert learner_client.get(player_path(enrolment, PLAIN12),  # a link can throw nothing away
                              query_string={"attempt": "new"}).status_code == 200
    assert attempt_row(db, attempt_id(done)).number == 1
    page = start_again(learner_client, enrolment, PLAIN12, player.page, "item_lesson")
    assert page.status_code == 302
    assert page.headers["Location"].endswith(
        f"{player_path(enrolment, PLAIN12)}?sco=item_lesson")
    fresh = open_player(PLAIN12)
    assert fresh.config["attempt"] == 2
    assert fresh.initial["cmi.core.entry"] == "ab-initio"
    assert fresh.initial["cmi.core.lesson_status"] == "not attempted"
    assert fresh.initial["cmi.core.total_time"] == "0000:00:00.00"
    assert "cmi.suspend_data" not in fresh.initial or fresh.initial["cmi.suspend_data"] == ""
    old = attempt_row(db, attempt_id(done))
    assert (old.number, old.success_status, old.cmi["cmi.suspend_data"]) == \
        (1, "passed", "done-state")
    # asking again while the new attempt is under way starts no third one
    again = start_again(learner_client, enrolment, PLAIN12, fresh.page, "item_lesson")
    assert again.status_code == 302
    assert open_player(PLAIN12).config["attempt"] == 2


def test_start_again_is_refused_quietly_before_the_sco_is_done(open_player, learner_client,
                                                               enrolment):
    first = open_player(PLAIN12)
    first.ok("initialize")
    assert "Start again" not in first.page
    response = start_again(learner_client, enrolment, PLAIN12, first.page, "item_lesson")
    assert response.status_code == 302
    assert open_player(PLAIN12).config["attempt"] == 1


def test_start_again_needs_the_forms_token_and_a_sco(open_player, learner_client, enrolment):
    done = finish_plain12(open_player)
    response = learner_client.post(
        f"/learn/{enrolment.id}/{PLAIN12}/scorm/start-again", data={"sco": "item_lesson"})
    assert response.status_code == 400
    unknown = start_again(learner_client, enrolment, PLAIN12, done.page, "no_such_item")
    assert unknown.status_code == 404
    assert open_player(PLAIN12).config["attempt"] == 1


# -- the sequence -----------------------------------------------------------------------------

def test_a_sequence_is_applied_once(open_player, db):
    session = open_player(PLAIN2004)
    session.ok("initialize")
    session.ok("commit", [("cmi.location", "first")])
    retried = session.send("commit", [("cmi.location", "retry")], sequence=2)
    assert retried.status_code == 200
    assert retried.get_json()["duplicate"] is True
    older = session.send("commit", [("cmi.location", "older")], sequence=1)
    assert older.get_json()["duplicate"] is True
    assert attempt_row(db, attempt_id(session)).cmi["cmi.location"] == "first"
    assert session.ok("commit", [("cmi.location", "next")])["sequence"] == 3
    assert attempt_row(db, attempt_id(session)).last_sequence == 3


def test_after_terminate_the_session_takes_no_more(open_player):
    session = open_player(PLAIN2004)
    session.ok("initialize")
    session.ok("terminate")
    again = session.send("terminate", sequence=2)  # the same request, retried
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    late = session.send("commit", [("cmi.location", "x")])
    assert late.status_code == 409
    assert late.headers["Content-Type"] == "application/problem+json"
    assert "reload the page" in late.get_json()["detail"]


def test_a_refused_request_does_not_use_up_its_sequence(open_player, db):
    session = open_player(PLAIN12)
    session.ok("initialize")
    refused = session.send("commit", [("cmi.core.student_id", "someone-else")])
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "values[0] cmi.core.student_id", "detail": "is read-only"}]
    retry = session.send("commit", [("cmi.core.lesson_location", "ok")], sequence=2)
    assert retry.get_json()["duplicate"] is False
    assert attempt_row(db, attempt_id(session)).location == "ok"


def test_every_refused_value_is_named(open_player, db):
    session = open_player(PLAIN2004)
    response = session.send("initialize", [
        ("cmi.location", "fine"), ("cmi.score.scaled", "2"), ("cmi.nonsense", "x"),
        ("cmi.interactions.3.id", "q"), ("cmi.interactions.0.result", "correct")])
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == [
        "values[1] cmi.score.scaled", "values[2] cmi.nonsense", "values[3] cmi.interactions.3.id",
        "values[4] cmi.interactions.0.result"]
    assert errors[0]["detail"] == "must be between -1 and 1"
    assert "not an element of the SCORM 2004 data model" in errors[1]["detail"]
    assert "skips entries" in errors[2]["detail"]
    assert "set cmi.interactions.0.id before" in errors[3]["detail"]
    row = attempt_row(db, attempt_id(session))
    assert "cmi.location" not in row.cmi and row.session_initialized is False


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"sequence": 1, "event": "commit", "values": []}, "token"),
    ({"token": "", "sequence": 1, "event": "commit", "values": []}, "token"),
    ({"token": "t", "sequence": 0, "event": "commit", "values": []}, "sequence"),
    ({"token": "t", "sequence": "1", "event": "commit", "values": []}, "sequence"),
    ({"token": "t", "sequence": True, "event": "commit", "values": []}, "sequence"),
    ({"token": "t", "sequence": 10 ** 30, "event": "commit", "values": []}, "sequence"),
    ({"token": "t", "sequence": 1, "event": "save", "values": []}, "event"),
    ({"token": "t", "sequence": 1, "event": "commit", "values": {"a": "b"}}, "values"),
    ({"token": "t", "sequence": 1, "event": "commit", "values": [["cmi.location"]]},
     "values[0]"),
    ({"token": "t", "sequence": 1, "event": "commit", "values": [["cmi.location", 5]]},
     "values[0]"),
    ([1, 2], "(body)"),
])
def test_a_malformed_request_is_400_naming_the_field(open_player, body, field):
    session = open_player(PLAIN2004)
    response = session.client.post(session.config["commitUrl"], data=json.dumps(body),
                                    content_type="application/json")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == field


def test_a_body_that_is_not_json_is_400(open_player):
    session = open_player(PLAIN2004)
    response = session.client.post(session.config["commitUrl"], data="token=x",
                                   content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_beacon_sent_as_text_is_read_as_json(open_player, db):
    session = open_player(PLAIN2004)
    body = {"token": session.config["token"], "sequence": 1, "event": "unload",
            "values": [["cmi.location", "beacon"]]}
    response = session.client.post(session.config["commitUrl"], data=json.dumps(body),
                                   content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200
    assert attempt_row(db, attempt_id(session)).location == "beacon"


def test_a_wrong_token_is_403_and_changes_nothing(open_player, db):
    session = open_player(PLAIN2004)
    response = session.send("commit", [("cmi.location", "x")], token="not-the-token")
    assert response.status_code == 403
    assert response.get_json()["errors"][0]["field"] == "token"
    row = attempt_row(db, attempt_id(session))
    assert row.last_sequence == 0 and "cmi.location" not in row.cmi


def test_the_token_is_stored_only_as_its_hash(open_player, db):
    import hashlib

    session = open_player(PLAIN2004)
    row = attempt_row(db, attempt_id(session))
    assert row.token_hash == hashlib.sha256(session.config["token"].encode()).hexdigest()
    assert session.config["token"] not in json.dumps(row.cmi)


def test_another_learners_attempt_is_not_found_even_with_its_token(
        open_player, app, db, make_user, enrol_scorm):
    from conftest import OwnContextClient

    session = open_player(PLAIN2004)
    session.ok("initialize", [("cmi.suspend_data", "private notes")])
    other = make_user("learner", name="Grace Hopper")
    enrol_scorm(other)
    browser = OwnContextClient(app, app.response_class, use_cookies=True)
    sign_in(browser, other.email)
    body = {"token": session.config["token"], "sequence": 5, "event": "commit",
            "values": [["cmi.suspend_data", "overwritten"]]}
    response = browser.post(session.config["commitUrl"], data=json.dumps(body),
                            content_type="application/json")
    assert response.status_code == 404
    assert "private notes" not in response.get_data(as_text=True)
    assert attempt_row(db, attempt_id(session)).cmi["cmi.suspend_data"] == "private notes"
    # nor can they open the learner's player page
    page = browser.get(player_path(session_enrolment(db, session), PLAIN2004))
    assert page.status_code == 404


def session_enrolment(db, session):
    return attempt_row(db, attempt_id(session)).enrolment


def test_signed_out_is_401_json(open_player, app):
    from conftest import OwnContextClient

    session = open_player(PLAIN2004)
    anonymous = OwnContextClient(app, app.response_class, use_cookies=True)
    body = {"token": session.config["token"], "sequence": 1, "event": "commit", "values": []}
    response = anonymous.post(session.config["commitUrl"], data=json.dumps(body),
                              content_type="application/json")
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"


def test_the_endpoint_needs_no_csrf_header_but_a_form_post_cannot_pass_the_token(
        open_player):
    session = open_player(PLAIN2004)
    # what sendBeacon sends: no CSRF header, the token in the body
    assert session.send("initialize").status_code == 200
    # a cross-site form can post to it, but cannot know the session's token
    forged = session.client.post(session.config["commitUrl"],
                                 data={"token": "guess", "sequence": "2", "event": "commit"})
    assert forged.status_code == 400


def test_only_post(open_player):
    session = open_player(PLAIN2004)
    assert session.client.get(session.config["commitUrl"]).status_code == 405


def test_an_absurd_session_time_is_refused_not_a_failure(open_player):
    session = open_player(PLAIN2004)
    session.ok("initialize")
    response = session.send("terminate", [("cmi.session_time", "PT" + "9" * 400 + "S")])
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "values[0] cmi.session_time"
    assert session.ok("terminate", [("cmi.session_time", "PT30M")])["duplicate"] is False


def test_a_large_commit_of_many_interactions_is_checked_entry_by_entry(open_player, db):
    """500 interactions in one request (a SCO that commits only at the end): every index
    rule still holds, and a gap among them is still refused."""
    session = open_player(PLAIN2004)
    session.ok("initialize")
    values = []
    for n in range(500):
        values += [(f"cmi.interactions.{n}.id", f"q{n}"),
                   (f"cmi.interactions.{n}.type", "true-false"),
                   (f"cmi.interactions.{n}.learner_response", "true")]
    session.ok("commit", values)
    gap = session.send("commit", [("cmi.interactions.501.id", "gap")])
    assert gap.status_code == 422
    assert "skips entries" in gap.get_json()["errors"][0]["detail"]
    assert attempt_row(db, attempt_id(session)).cmi["cmi.interactions.499.id"] == "q499"
