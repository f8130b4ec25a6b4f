"""The xAPI statements Pathway records for SCORM run-time events, following ADL's xAPI SCORM
Profile: verbs, the SCO and attempt activities, the profile's category, the registration,
durations, interactions, and the package-level statement about the catalogue activity."""

from urllib.parse import quote

from scorm_runtime_support import ADL, PLAIN12, PLAIN2004, PROFILE, QUIZ12, TWO2004, verbs

pytest_plugins = ["scorm_runtime_fixtures"]

BASE = "http://pathway.test"
LESSON = "http://adlnet.gov/expapi/activities/lesson"
ATTEMPT = "http://adlnet.gov/expapi/activities/attempt"
COURSE = "http://adlnet.gov/expapi/activities/course"


def sco_statements(statements, slug):
    """The statements about the SCOs (and their interactions) of activity `slug`."""
    return [s for s in statements if s["object"]["id"].startswith(
        f"{BASE}/activities/{slug}/scos/")]


def test_a_session_follows_the_profile(open_player, statements_of, enrolment, learner):
    session = open_player(PLAIN12)
    session.ok("initialize")
    session.ok("terminate", [("cmi.core.lesson_status", "incomplete"),
                             ("cmi.core.session_time", "0000:12:30.5")])
    found = sco_statements(statements_of(), PLAIN12)
    assert verbs(found) == ["initialized", "terminated"]
    sco = f"{BASE}/activities/{PLAIN12}/scos/item_lesson"
    for statement in found:
        assert statement["actor"]["account"] == {"homePage": BASE, "name": learner.public_id}
        assert statement["verb"]["id"].startswith(ADL)
        assert statement["object"]["id"] == sco
        assert statement["object"]["definition"]["type"] == LESSON
        assert statement["object"]["definition"]["name"] == {"en-GB": "The lesson"}
        context = statement["context"]
        assert context["registration"] == enrolment.registration
        grouping = context["contextActivities"]["grouping"]
        course, attempt = grouping[0], grouping[1]
        assert course["id"] == f"{BASE}/activities/{PLAIN12}"
        assert course["definition"]["type"] == COURSE
        assert attempt["id"].startswith(sco + "?attemptId=")
        assert attempt["definition"]["type"] == ATTEMPT
        assert {a["id"] for a in grouping[2:]} == {
            f"{BASE}/units/scorm-runtime-unit", f"{BASE}/qualifications/scorm-runtime-tests"}
        assert context["contextActivities"]["category"] == [
            {"objectType": "Activity", "id": PROFILE,
             "definition": {"type": "http://adlnet.gov/expapi/activities/profile"}}]
        assert statement["authority"]["account"]["name"] == "pathway"
    assert found[1]["result"] == {"completion": False, "duration": "PT12M30.5S"}


def test_resume_and_suspend(open_player, statements_of):
    first = open_player(PLAIN2004)
    first.ok("initialize")
    first.ok("terminate", [("cmi.exit", "suspend"), ("cmi.session_time", "PT3M")])
    again = open_player(PLAIN2004)
    again.ok("initialize")
    again.ok("terminate", [("cmi.exit", "normal"), ("cmi.session_time", "PT1M")])
    found = sco_statements(statements_of(), PLAIN2004)
    assert verbs(found) == ["initialized", "suspended", "resumed", "terminated"]
    assert [s.get("result", {}).get("duration") for s in found] == [None, "PT3M", None, "PT1M"]
    # one attempt: the same attempt activity throughout
    attempts = {s["context"]["contextActivities"]["grouping"][1]["id"] for s in found}
    assert len(attempts) == 1


def test_passed_and_failed_carry_the_score(open_player, statements_of):
    session = open_player(QUIZ12)
    session.ok("initialize")
    session.ok("commit", [("cmi.core.score.raw", "60"), ("cmi.core.score.min", "0"),
                          ("cmi.core.score.max", "100")])
    session.ok("terminate", [("cmi.core.score.raw", "90")])
    found = sco_statements(statements_of(), QUIZ12)
    # SCORM 1.2 "failed" is a finished SCO: completed, then failed; the better score passes
    assert verbs(found) == ["initialized", "completed", "failed", "passed", "terminated"]
    failed, passed = found[2], found[3]
    assert failed["result"] == {"success": False,
                                "score": {"scaled": 0.6, "raw": 60, "min": 0, "max": 100}}
    assert passed["result"] == {"success": True,
                                "score": {"scaled": 0.9, "raw": 90, "min": 0, "max": 100}}
    assert found[4]["result"]["success"] is True
    assert found[4]["result"]["completion"] is True


def test_a_score_outside_min_and_max_is_sent_without_them(open_player, statements_of):
    session = open_player(TWO2004, sco="item_check")
    session.ok("initialize", [("cmi.score.raw", "150"), ("cmi.score.max", "100"),
                              ("cmi.score.scaled", "0.2")])
    session.ok("terminate")
    found = sco_statements(statements_of(), TWO2004)
    assert verbs(found) == ["initialized", "failed", "terminated"]
    assert found[1]["result"]["score"] == {"scaled": 0.2, "raw": 150}


def test_each_new_or_changed_response_is_responded_once(open_player, statements_of):
    session = open_player(PLAIN12)
    session.ok("initialize", [
        ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.correct_responses.0.pattern", "a,c"),
        ("cmi.interactions.0.student_response", "a,b"),
        ("cmi.interactions.0.result", "wrong"),
        ("cmi.interactions.0.latency", "0000:00:12.5"),
        ("cmi.interactions.1.id", "q2"), ("cmi.interactions.1.type", "true-false"),
        ("cmi.interactions.1.student_response", "t"), ("cmi.interactions.1.result", "correct")])
    # the same values again (tools often re-send): nothing new
    session.ok("commit", [("cmi.interactions.0.result", "wrong"),
                          ("cmi.interactions.1.student_response", "t")])
    # a changed answer: answered again
    session.ok("commit", [("cmi.interactions.0.student_response", "a,c"),
                          ("cmi.interactions.0.result", "correct")])
    found = [s for s in sco_statements(statements_of(), PLAIN12)
             if s["verb"]["id"] == ADL + "responded"]
    assert len(found) == 3
    first, second, third = found
    sco = f"{BASE}/activities/{PLAIN12}/scos/item_lesson"
    assert first["object"]["id"] == f"{sco}/interactions/q1"
    assert first["object"]["definition"] == {
        "name": {"en-GB": "q1"}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": "choice", "correctResponsesPattern": ["a[,]c"]}
    assert first["result"] == {"response": "a[,]b", "success": False, "duration": "PT12.5S"}
    assert first["context"]["contextActivities"]["parent"][0]["id"] == sco
    assert second["object"]["id"] == f"{sco}/interactions/q2"
    assert second["result"] == {"response": "true", "success": True}
    assert third["object"]["id"] == f"{sco}/interactions/q1"
    assert third["result"]["response"] == "a[,]c" and third["result"]["success"] is True


def test_scorm_2004_interactions_keep_their_format_and_description(open_player,
                                                                    statements_of):
    session = open_player(PLAIN2004)
    session.ok("initialize", [
        ("cmi.interactions.0.id", "urn:pathway:q 1"), ("cmi.interactions.0.type", "matching"),
        ("cmi.interactions.0.description", "{lang=en-GB}Match the pairs"),
        ("cmi.interactions.0.correct_responses.0.pattern", "1[.]a[,]2[.]b"),
        ("cmi.interactions.0.learner_response", "1[.]b[,]2[.]a"),
        ("cmi.interactions.0.result", "incorrect")])
    (statement,) = [s for s in sco_statements(statements_of(), PLAIN2004)
                    if s["verb"]["id"] == ADL + "responded"]
    assert statement["object"]["id"].endswith("/interactions/" + quote("urn:pathway:q 1",
                                                                       safe=""))
    definition = statement["object"]["definition"]
    assert definition["description"] == {"en-GB": "Match the pairs"}
    assert definition["correctResponsesPattern"] == ["1[.]a[,]2[.]b"]
    assert statement["result"] == {"response": "1[.]b[,]2[.]a", "success": False}


def test_an_interaction_without_a_response_is_not_answered(open_player, statements_of):
    session = open_player(PLAIN2004)
    session.ok("initialize", [("cmi.interactions.0.id", "q1"),
                              ("cmi.interactions.0.type", "numeric")])
    assert "responded" not in verbs(statements_of())


def test_review_records_nothing(open_player, statements_of):
    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.core.lesson_status", "passed")])
    session.ok("terminate")
    before = len(statements_of())
    review = open_player(PLAIN12, mode="review")
    review.ok("initialize", [("cmi.interactions.0.id", "q"),
                             ("cmi.interactions.0.result", "correct")])
    review.ok("terminate", [("cmi.core.session_time", "00:05:00")])
    assert len(statements_of()) == before


def test_an_abandoned_session_is_closed_with_the_time_it_reported(open_player,
                                                                   statements_of):
    session = open_player(PLAIN12)
    session.ok("initialize")
    session.ok("commit", [("cmi.core.session_time", "00:03:00"), ("cmi.core.exit", "suspend")])
    open_player(PLAIN12)  # the page was closed without a word; the learner comes back
    found = sco_statements(statements_of(), PLAIN12)
    assert verbs(found) == ["initialized", "suspended"]
    assert found[1]["result"]["duration"] == "PT3M"


def test_a_new_attempt_is_a_new_attempt_activity(open_player, statements_of, learner_client,
                                                 enrolment):
    from scorm_runtime_support import start_again

    session = open_player(PLAIN12)
    session.ok("initialize", [("cmi.core.lesson_status", "completed")])
    session.ok("terminate")
    start_again(learner_client, enrolment, PLAIN12, session.page, "item_lesson")
    fresh = open_player(PLAIN12)
    fresh.ok("initialize")
    found = sco_statements(statements_of(), PLAIN12)
    first, last = found[0], found[-1]
    assert verbs([last]) == ["initialized"]
    assert first["context"]["contextActivities"]["grouping"][1]["id"] != \
        last["context"]["contextActivities"]["grouping"][1]["id"]


def package_statements(statements, slug):
    return [s for s in statements if s["object"]["id"] == f"{BASE}/activities/{slug}"]


def test_the_package_statement_comes_when_every_sco_is_done(open_player, statements_of):
    reading = open_player(TWO2004, sco="item_reading")
    reading.ok("initialize")
    reading.ok("terminate", [("cmi.progress_measure", "1")])
    assert package_statements(statements_of(), TWO2004) == []  # one SCO of two is done
    check = open_player(TWO2004, sco="item_check")
    check.ok("initialize")
    check.ok("commit", [("cmi.score.scaled", "0.5")])
    found = package_statements(statements_of(), TWO2004)
    assert verbs(found) == ["failed"]
    check.ok("terminate", [("cmi.score.scaled", "0.9")])
    found = package_statements(statements_of(), TWO2004)
    assert verbs(found) == ["failed", "passed"]
    passed = found[1]
    assert passed["object"]["definition"]["type"] == COURSE
    assert passed["result"] == {"completion": True, "success": True}
    assert passed["authority"]["account"]["name"] == "pathway"
    assert passed["context"]["contextActivities"]["category"][0]["id"] == PROFILE
    # nothing more while the standing stays the same
    again = open_player(TWO2004, sco="item_reading")
    again.ok("initialize")
    again.ok("terminate")
    assert verbs(package_statements(statements_of(), TWO2004)) == ["failed", "passed"]


def test_a_single_sco_package_statement_carries_its_score(open_player, statements_of):
    session = open_player(QUIZ12)
    session.ok("initialize", [("cmi.core.score.raw", "95")])
    (statement,) = package_statements(statements_of(), QUIZ12)
    assert verbs([statement]) == ["passed"]
    assert statement["result"] == {"completion": True, "success": True,
                                   "score": {"scaled": 0.95}}
