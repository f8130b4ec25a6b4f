"""Pathway's SCORM runtime (`activities/scorm/static/scorm-runtime.js`) in Debian's Chromium,
as a unit: each data-model rule and error code of SCORM 1.2 (`API`) and SCORM 2004 4th
edition (`API_1484_11`), the evaluation of completion and success, and what the runtime hands
to the server: batched values in order (one pair per element, the latest value), sequence
numbers, a failed request sent again as it was, values the server refused dropped, terminate
at once with keepalive, and the unload beacon on pagehide.

Most tests share one page (one Chromium for the module) and make a fresh runtime through
`PathwayScorm.createRuntime(config, transport)` with a transport that records; the
installation tests load the runtime as the player page does, from its configuration
element."""

from __future__ import annotations

import json
import re

import pytest
from scorm_js_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    RUNTIME,
    last,
    load_runtime,
    more,
    run,
    sent,
    settled,
    sync_playwright,
    wait_sent,
)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shared_page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    load_runtime(page)
    yield page
    context.close()


@pytest.fixture
def page(shared_page):
    """The shared page, with its console errors of this test only."""
    errors = []

    def record(message):
        if message.type == "error":
            errors.append(message.text)

    shared_page.on("console", record)
    shared_page.console_errors = errors
    yield shared_page
    shared_page.remove_listener("console", record)
    assert shared_page.problems == [], shared_page.problems


def G(name):  # noqa: N802 - reads like the API call
    return ("get", name)


def S(name, value):  # noqa: N802
    return ("set", name, value)


def case(id_, calls, result, code, initial=None):
    return pytest.param(calls, result, code, initial, id=id_)


X = "x"

# ---- SCORM 1.2 ------------------------------------------------------------------------------

CORE_CHILDREN = ("student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
                 "total_time,lesson_mode,exit,session_time")
INTERACTIONS_CHILDREN_12 = ("id,objectives,time,type,correct_responses,weighting,"
                            "student_response,result,latency")
LMS_12 = {"cmi.core.student_id": "u-42", "cmi.core.student_name": "Reader, Rowan",
          "cmi.launch_data": "chapter=2", "cmi.comments_from_lms": "Well done",
          "cmi.student_data.mastery_score": "80", "cmi.student_data.max_time_allowed": "00:30:00",
          "cmi.student_data.time_limit_action": "exit,message",
          "cmi.objectives.0.id": "obj-a", "cmi.objectives.1.id": "obj-b",
          "cmi.core.lesson_location": "page-3", "cmi.core.entry": "resume"}
NEW_INTERACTION_12 = [S("cmi.interactions.0.id", "q1")]

GETS_12 = [
    case("core._children", [G("cmi.core._children")], CORE_CHILDREN, "0"),
    case("cmi._children", [G("cmi._children")], "core,suspend_data,launch_data,comments,"
         "objectives,student_data,student_preference,interactions", "0"),
    case("_version", [G("cmi._version")], "3.4", "0"),
    case("score._children", [G("cmi.core.score._children")], "raw,min,max", "0"),
    case("objectives._children", [G("cmi.objectives._children")], "id,score,status", "0"),
    case("objective score._children", [G("cmi.objectives.0.score._children")], "raw,min,max",
         "0"),
    case("student_data._children", [G("cmi.student_data._children")],
         "mastery_score,max_time_allowed,time_limit_action", "0"),
    case("student_preference._children", [G("cmi.student_preference._children")],
         "audio,language,speed,text", "0"),
    case("interactions._children", [G("cmi.interactions._children")],
         INTERACTIONS_CHILDREN_12, "0"),
    case("objectives._count empty", [G("cmi.objectives._count")], "0", "0"),
    case("objectives._count from LMS", [G("cmi.objectives._count")], "2", "0", LMS_12),
    case("interactions._count", NEW_INTERACTION_12 + [G("cmi.interactions._count")], "1", "0"),
    case("interaction objectives._count",
         NEW_INTERACTION_12 + [S("cmi.interactions.0.objectives.0.id", "o1"),
                               G("cmi.interactions.0.objectives._count")], "1", "0"),
    case("correct_responses._count",
         NEW_INTERACTION_12 + [S("cmi.interactions.0.correct_responses.0.pattern", "a"),
                               S("cmi.interactions.0.correct_responses.1.pattern", "b"),
                               G("cmi.interactions.0.correct_responses._count")], "2", "0"),
    case("student_id", [G("cmi.core.student_id")], "u-42", "0", LMS_12),
    case("student_name", [G("cmi.core.student_name")], "Reader, Rowan", "0", LMS_12),
    case("lesson_location from LMS", [G("cmi.core.lesson_location")], "page-3", "0", LMS_12),
    case("lesson_location unset", [G("cmi.core.lesson_location")], "", "0"),
    case("entry from LMS", [G("cmi.core.entry")], "resume", "0", LMS_12),
    case("entry default", [G("cmi.core.entry")], "ab-initio", "0"),
    case("lesson_status default", [G("cmi.core.lesson_status")], "not attempted", "0"),
    case("credit default", [G("cmi.core.credit")], "credit", "0"),
    case("lesson_mode default", [G("cmi.core.lesson_mode")], "normal", "0"),
    case("total_time default", [G("cmi.core.total_time")], "0000:00:00.00", "0"),
    case("score.raw unset", [G("cmi.core.score.raw")], "", "0"),
    case("launch_data", [G("cmi.launch_data")], "chapter=2", "0", LMS_12),
    case("comments_from_lms", [G("cmi.comments_from_lms")], "Well done", "0", LMS_12),
    case("mastery_score", [G("cmi.student_data.mastery_score")], "80", "0", LMS_12),
    case("max_time_allowed", [G("cmi.student_data.max_time_allowed")], "00:30:00", "0", LMS_12),
    case("time_limit_action", [G("cmi.student_data.time_limit_action")], "exit,message", "0",
         LMS_12),
    case("objective id from LMS", [G("cmi.objectives.1.id")], "obj-b", "0", LMS_12),
    case("objective status default", [G("cmi.objectives.0.status")], "not attempted", "0",
         LMS_12),
    case("value set is read back", [S("cmi.suspend_data", "A1B2"), G("cmi.suspend_data")],
         "A1B2", "0"),
    case("exit write only", [G("cmi.core.exit")], "", "404"),
    case("session_time write only", [G("cmi.core.session_time")], "", "404"),
    case("interaction id write only", NEW_INTERACTION_12 + [G("cmi.interactions.0.id")], "",
         "404"),
    case("interaction type write only", NEW_INTERACTION_12 + [G("cmi.interactions.0.type")], "",
         "404"),
    case("interaction pattern write only",
         [G("cmi.interactions.0.correct_responses.0.pattern")], "", "404"),
    case("_children of a leaf", [G("cmi.core.student_id._children")], "", "202"),
    case("_children of a collection without it", [G("cmi.interactions.0.objectives._children")],
         "", "202"),
    case("_count of a leaf", [G("cmi.core.lesson_status._count")], "", "203"),
    case("_count of a group", [G("cmi.core.score._count")], "", "203"),
    case("unknown element", [G("cmi.core.grade")], "", "201"),
    case("2004 element", [G("cmi.completion_status")], "", "201"),
    case("unknown _children", [G("cmi.core.grade._children")], "", "201"),
    case("empty name", [G("")], "", "201"),
    case("a group is not an element", [G("cmi.core")], "", "201"),
    case("index past the count", [G("cmi.objectives.0.id")], "", "201"),
    case("index past the count from LMS", [G("cmi.objectives.2.id")], "", "201", LMS_12),
    case("index with a leading zero", [G("cmi.objectives.00.id")], "", "201", LMS_12),
]

SETS_12 = [
    case("lesson_location 255", [S("cmi.core.lesson_location", X * 255)], "true", "0"),
    case("lesson_location 256", [S("cmi.core.lesson_location", X * 256)], "false", "405"),
    case("suspend_data 4096", [S("cmi.suspend_data", X * 4096)], "true", "0"),
    case("suspend_data 4097", [S("cmi.suspend_data", X * 4097)], "false", "405"),
    case("suspend_data counts characters", [S("cmi.suspend_data", "\U0001F600" * 4096)],
         "true", "0"),
    case("comments 4096", [S("cmi.comments", X * 4096)], "true", "0"),
    case("comments 4097", [S("cmi.comments", X * 4097)], "false", "405"),
    *[case(f"lesson_status {status}", [S("cmi.core.lesson_status", status)], "true", "0")
      for status in ("passed", "completed", "failed", "incomplete", "browsed")],
    case("lesson_status not attempted", [S("cmi.core.lesson_status", "not attempted")],
         "false", "405"),
    case("lesson_status complete", [S("cmi.core.lesson_status", "complete")], "false", "405"),
    case("lesson_status upper case", [S("cmi.core.lesson_status", "Completed")], "false", "405"),
    *[case(f"exit {word or 'blank'}", [S("cmi.core.exit", word)], "true", "0")
      for word in ("time-out", "suspend", "logout", "")],
    case("exit normal (2004 only)", [S("cmi.core.exit", "normal")], "false", "405"),
    case("session_time", [S("cmi.core.session_time", "0000:01:30.5")], "true", "0"),
    case("session_time 2-digit hours", [S("cmi.core.session_time", "01:30:00")], "true", "0"),
    case("session_time 1-digit hours", [S("cmi.core.session_time", "1:30:00")], "false", "405"),
    case("session_time 5-digit hours", [S("cmi.core.session_time", "10000:00:00")], "false",
         "405"),
    case("session_time 3 decimals", [S("cmi.core.session_time", "00:00:01.123")], "false",
         "405"),
    case("session_time ISO 8601", [S("cmi.core.session_time", "PT1M")], "false", "405"),
    case("score.raw", [S("cmi.core.score.raw", "85.5")], "true", "0"),
    case("score.raw 0", [S("cmi.core.score.raw", "0")], "true", "0"),
    case("score.raw 100", [S("cmi.core.score.raw", "100")], "true", "0"),
    case("score.raw blank", [S("cmi.core.score.raw", "")], "true", "0"),
    case("score.raw 101", [S("cmi.core.score.raw", "101")], "false", "405"),
    case("score.raw -1", [S("cmi.core.score.raw", "-1")], "false", "405"),
    case("score.raw text", [S("cmi.core.score.raw", "ninety")], "false", "405"),
    case("score.min", [S("cmi.core.score.min", "0")], "true", "0"),
    case("score.max 100.5", [S("cmi.core.score.max", "100.5")], "false", "405"),
    case("score set as a number", [("set", "cmi.core.score.raw", 42)], "true", "0"),
    *[case(f"read only {name}", [S(name, "x")], "false", "403")
      for name in ("cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit",
                   "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode",
                   "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score",
                   "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action")],
    case("keyword core._children", [S("cmi.core._children", "x")], "false", "402"),
    case("keyword objectives._count", [S("cmi.objectives._count", "3")], "false", "402"),
    case("keyword _version", [S("cmi._version", "3.4")], "false", "402"),
    case("unknown element", [S("cmi.core.grade", "A")], "false", "201"),
    case("2004 element", [S("cmi.location", "p1")], "false", "201"),
    case("empty name", [S("", "x")], "false", "201"),
    case("audio -1", [S("cmi.student_preference.audio", "-1")], "true", "0"),
    case("audio 100", [S("cmi.student_preference.audio", "100")], "true", "0"),
    case("audio 101", [S("cmi.student_preference.audio", "101")], "false", "405"),
    case("audio decimal", [S("cmi.student_preference.audio", "1.5")], "false", "405"),
    case("speed -100", [S("cmi.student_preference.speed", "-100")], "true", "0"),
    case("speed -101", [S("cmi.student_preference.speed", "-101")], "false", "405"),
    case("text 1", [S("cmi.student_preference.text", "1")], "true", "0"),
    case("text 2", [S("cmi.student_preference.text", "2")], "false", "405"),
    case("language 255", [S("cmi.student_preference.language", X * 255)], "true", "0"),
    case("language 256", [S("cmi.student_preference.language", X * 256)], "false", "405"),
    case("objective 0 id", [S("cmi.objectives.0.id", "obj-1")], "true", "0"),
    case("objective id with a space", [S("cmi.objectives.0.id", "obj 1")], "false", "405"),
    case("objective id 255", [S("cmi.objectives.0.id", X * 255)], "true", "0"),
    case("objective id 256", [S("cmi.objectives.0.id", X * 256)], "false", "405"),
    case("objective id empty", [S("cmi.objectives.0.id", "")], "false", "405"),
    case("objective created by its score", [S("cmi.objectives.0.score.raw", "50")], "true", "0"),
    case("objective skips an index", [S("cmi.objectives.1.id", "obj-2")], "false", "201"),
    case("objective after those from LMS", [S("cmi.objectives.2.id", "obj-c")], "true", "0",
         LMS_12),
    case("objective status not attempted", [S("cmi.objectives.0.status", "not attempted")],
         "true", "0"),
    case("objective status bogus", [S("cmi.objectives.0.status", "done")], "false", "405"),
    case("objective score 101", [S("cmi.objectives.0.score.raw", "101")], "false", "405"),
    case("interaction id", [S("cmi.interactions.0.id", "q1")], "true", "0"),
    case("interaction skips an index", [S("cmi.interactions.1.id", "q2")], "false", "201"),
    *[case(f"interaction type {kind}", NEW_INTERACTION_12 + [S("cmi.interactions.0.type", kind)],
           "true", "0")
      for kind in ("true-false", "choice", "fill-in", "matching", "performance", "sequencing",
                   "likert", "numeric")],
    case("interaction type long-fill-in", [S("cmi.interactions.0.type", "long-fill-in")],
         "false", "405"),
    case("interaction time", [S("cmi.interactions.0.time", "23:59:59.5")], "true", "0"),
    case("interaction time 24:00", [S("cmi.interactions.0.time", "24:00:00")], "false", "405"),
    case("interaction time date", [S("cmi.interactions.0.time", "2024-01-01T10:00:00")],
         "false", "405"),
    case("interaction weighting", [S("cmi.interactions.0.weighting", "-2.5")], "true", "0"),
    case("interaction weighting text", [S("cmi.interactions.0.weighting", "heavy")], "false",
         "405"),
    *[case(f"interaction result {word}", [S("cmi.interactions.0.result", word)], "true", "0")
      for word in ("correct", "wrong", "unanticipated", "neutral", "0.5")],
    case("interaction result incorrect", [S("cmi.interactions.0.result", "incorrect")], "false",
         "405"),
    case("interaction latency", [S("cmi.interactions.0.latency", "0000:00:05.25")], "true", "0"),
    case("interaction latency ISO", [S("cmi.interactions.0.latency", "PT5S")], "false", "405"),
    case("student_response 255", [S("cmi.interactions.0.student_response", X * 255)], "true",
         "0"),
    case("student_response 256", [S("cmi.interactions.0.student_response", X * 256)], "false",
         "405"),
    case("pattern", [S("cmi.interactions.0.correct_responses.0.pattern", "a,b")], "true", "0"),
    case("pattern skips an index", [S("cmi.interactions.0.correct_responses.1.pattern", "a")],
         "false", "201"),
    case("interaction objective", [S("cmi.interactions.0.objectives.0.id", "obj-1")], "true",
         "0"),
]

STATE_12 = [
    pytest.param([("get", "cmi.core.lesson_status")], ("", "301"), id="get before"),
    pytest.param([("set", "cmi.core.lesson_status", "completed")], ("false", "301"),
                 id="set before"),
    pytest.param([("commit", "")], ("false", "301"), id="commit before"),
    pytest.param([("finish", "")], ("false", "301"), id="finish before"),
    pytest.param([("init", "x")], ("false", "201"), id="initialize with an argument"),
    pytest.param([("init", ""), ("init", "")], ("false", "101"), id="initialize twice"),
    pytest.param([("init", ""), ("commit", "x")], ("false", "201"), id="commit with an argument"),
    pytest.param([("init", ""), ("finish", "x")], ("false", "201"), id="finish with an argument"),
    pytest.param([("init", ""), ("finish", ""), ("get", "cmi.core.lesson_status")], ("", "301"),
                 id="get after finish"),
    pytest.param([("init", ""), ("finish", ""), ("set", "cmi.suspend_data", "x")],
                 ("false", "301"), id="set after finish"),
    pytest.param([("init", ""), ("finish", ""), ("commit", "")], ("false", "301"),
                 id="commit after finish"),
    pytest.param([("init", ""), ("finish", ""), ("finish", "")], ("false", "301"),
                 id="finish twice"),
    pytest.param([("init", ""), ("finish", ""), ("init", "")], ("false", "101"),
                 id="initialize after finish"),
    pytest.param([("init",), ("commit",), ("finish",)], ("true", "0"),
                 id="calls without an argument"),
    pytest.param([("init", ""), ("set", "cmi.core.grade", "A"), ("get", "cmi.core.entry")],
                 ("ab-initio", "0"), id="a good call clears the error"),
]


@pytest.mark.parametrize(("calls", "result", "code", "initial"), GETS_12 + SETS_12)
def test_scorm12_data_model(page, calls, result, code, initial):
    assert last(page, "1.2", calls, initial) == (result, code)


@pytest.mark.parametrize(("calls", "expected"), STATE_12)
def test_scorm12_session_states(page, calls, expected):
    assert run(page, "1.2", calls, initialize=False)[-1] == expected


ERROR_STRINGS_12 = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "202": "Element cannot have children", "203": "Element not an array - cannot have count",
    "301": "Not initialized", "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword", "403": "Element is read only",
    "404": "Element is write only", "405": "Incorrect data type",
}


@pytest.mark.parametrize(("code", "text"), list(ERROR_STRINGS_12.items()) + [("999", "")])
def test_scorm12_error_strings(page, code, text):
    assert last(page, "1.2", [("string", code)])[0] == text
    assert last(page, "1.2", [("diag", code)])[0] == text


def test_scorm12_diagnostic_names_the_element_and_the_limit(page):
    results = run(page, "1.2", [S("cmi.core.lesson_location", X * 256), ("diag", ""),
                                ("diag", "405"), ("diag", "403"), ("error",)])
    assert results[0] == ("false", "405")
    assert "cmi.core.lesson_location" in results[1][0] and "255" in results[1][0]
    assert results[2][0] == results[1][0]        # the last error's own diagnostic
    assert results[3][0] == "Element is read only"  # another code: its standard text
    assert results[4][0] == "405"                # the error functions change no error
    assert len(results[1][0]) <= 255


# ---- SCORM 2004 -----------------------------------------------------------------------------

INTERACTIONS_CHILDREN = ("id,type,objectives,timestamp,correct_responses,weighting,"
                         "learner_response,result,latency,description")
LMS_2004 = {"cmi.learner_id": "u-42", "cmi.learner_name": "Reader, Rowan",
            "cmi.location": "slide-4", "cmi.suspend_data": "abc", "cmi.entry": "resume",
            "cmi.launch_data": "chapter=2", "cmi.mode": "review", "cmi.credit": "no-credit",
            "cmi.total_time": "PT1H5M", "cmi.max_time_allowed": "PT2H",
            "cmi.time_limit_action": "exit,message",
            "cmi.comments_from_lms.0.comment": "{lang=en}Mind the time",
            "cmi.comments_from_lms.0.location": "slide-1",
            "cmi.comments_from_lms.0.timestamp": "2026-01-05T09:00:00",
            "cmi.objectives.0.id": "urn:pathway:obj-a",
            "cmi.objectives.0.success_status": "passed",
            "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice",
            "cmi.learner_preference.language": "en-GB"}
INTERACTION = [S("cmi.interactions.0.id", "q1")]
OBJECTIVE = [S("cmi.objectives.0.id", "obj-1")]


def typed(kind):
    return [*INTERACTION, S("cmi.interactions.0.type", kind)]


GETS_2004 = [
    case("_version", [G("cmi._version")], "1.0", "0"),
    case("comments_from_learner._children", [G("cmi.comments_from_learner._children")],
         "comment,location,timestamp", "0"),
    case("comments_from_lms._children", [G("cmi.comments_from_lms._children")],
         "comment,location,timestamp", "0"),
    case("interactions._children", [G("cmi.interactions._children")], INTERACTIONS_CHILDREN,
         "0"),
    case("learner_preference._children", [G("cmi.learner_preference._children")],
         "audio_level,language,delivery_speed,audio_captioning", "0"),
    case("objectives._children", [G("cmi.objectives._children")],
         "id,score,success_status,completion_status,progress_measure,description", "0"),
    case("score._children", [G("cmi.score._children")], "scaled,raw,min,max", "0"),
    case("objective score._children", [G("cmi.objectives.0.score._children")],
         "scaled,raw,min,max", "0"),
    *[case(f"{name}._count empty", [G(f"{name}._count")], "0", "0")
      for name in ("cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions",
                   "cmi.objectives")],
    case("comments_from_lms._count", [G("cmi.comments_from_lms._count")], "1", "0", LMS_2004),
    case("interaction objectives._count", INTERACTION + [G("cmi.interactions.0.objectives._count")],
         "0", "0"),
    case("correct_responses._count", INTERACTION + [
        G("cmi.interactions.0.correct_responses._count")], "0", "0"),
    case("_count of a missing interaction", [G("cmi.interactions.3.objectives._count")], "",
         "301"),
    *[case(name, [G(name)], LMS_2004[name], "0", LMS_2004)
      for name in ("cmi.learner_id", "cmi.learner_name", "cmi.location", "cmi.suspend_data",
                   "cmi.entry", "cmi.launch_data", "cmi.mode", "cmi.credit", "cmi.total_time",
                   "cmi.max_time_allowed", "cmi.time_limit_action",
                   "cmi.comments_from_lms.0.comment", "cmi.comments_from_lms.0.timestamp",
                   "cmi.objectives.0.id", "cmi.objectives.0.success_status",
                   "cmi.interactions.0.type", "cmi.learner_preference.language")],
    *[case(f"{name} not initialized", [G(name)], "", "403")
      for name in ("cmi.location", "cmi.suspend_data", "cmi.launch_data",
                   "cmi.completion_threshold", "cmi.scaled_passing_score",
                   "cmi.max_time_allowed", "cmi.progress_measure", "cmi.score.scaled",
                   "cmi.score.raw", "cmi.score.min", "cmi.score.max")],
    case("interaction type not initialized", INTERACTION + [G("cmi.interactions.0.type")], "",
         "403"),
    case("interaction result not initialized", INTERACTION + [G("cmi.interactions.0.result")],
         "", "403"),
    case("objective score not initialized", OBJECTIVE + [G("cmi.objectives.0.score.raw")], "",
         "403"),
    case("comment location not initialized", [S("cmi.comments_from_learner.0.comment", "Hi"),
                                              G("cmi.comments_from_learner.0.location")], "",
         "403"),
    *[case(f"{name} default", [G(name)], value, "0")
      for name, value in (("cmi.completion_status", "unknown"), ("cmi.success_status", "unknown"),
                          ("cmi.credit", "credit"), ("cmi.entry", "ab-initio"),
                          ("cmi.mode", "normal"), ("cmi.time_limit_action", "continue,no message"),
                          ("cmi.total_time", "PT0H0M0S"),
                          ("cmi.learner_preference.audio_level", "1"),
                          ("cmi.learner_preference.language", ""),
                          ("cmi.learner_preference.delivery_speed", "1"),
                          ("cmi.learner_preference.audio_captioning", "0"),
                          ("cmi.learner_id", ""), ("adl.nav.request", "_none_"),
                          ("adl.nav.request_valid.continue", "unknown"),
                          ("adl.nav.request_valid.previous", "unknown"),
                          ("adl.nav.request_valid.choice.{target=sco-2}", "unknown"),
                          ("adl.nav.request_valid.jump.{target=intro.page}", "unknown"))],
    case("objective statuses default", OBJECTIVE + [G("cmi.objectives.0.completion_status")],
         "unknown", "0"),
    case("interaction read back", typed("numeric") + [G("cmi.interactions.0.type")], "numeric",
         "0"),
    case("exit write only", [G("cmi.exit")], "", "405"),
    case("session_time write only", [G("cmi.session_time")], "", "405"),
    case("_children of a leaf", [G("cmi.location._children")], "", "301"),
    case("_children of a collection without it", [G("cmi.interactions.0.objectives._children")],
         "", "301"),
    case("_count of a leaf", [G("cmi.location._count")], "", "301"),
    case("_count of a group", [G("cmi.score._count")], "", "301"),
    case("_version of an element", [G("cmi.score._version")], "", "301"),
    case("unknown element", [G("cmi.grade")], "", "401"),
    case("1.2 element", [G("cmi.core.lesson_status")], "", "401"),
    case("unknown _children", [G("cmi.grade._children")], "", "401"),
    case("request_valid without a target", [G("adl.nav.request_valid.choice")], "", "401"),
    case("empty name", [G("")], "", "301"),
    case("missing interaction", [G("cmi.interactions.0.id")], "", "301"),
    case("missing comment from LMS", [G("cmi.comments_from_lms.0.comment")], "", "301"),
    case("interaction past those from LMS", [G("cmi.interactions.1.id")], "", "301", LMS_2004),
]

RESPONSES = [
    ("true-false", "true", True), ("true-false", "false", True), ("true-false", "t", False),
    ("choice", "a[,]b", True), ("choice", "", True), ("choice", "a[,]a", False),
    ("choice", "choice one", False), ("choice", "a[.]b", False),
    ("fill-in", "{lang=en}colour[,]flavour", True), ("fill-in", X * 250, True),
    ("fill-in", X * 251, False), ("fill-in", "{lang=en}" + X * 250, True),
    ("fill-in", "{lang=english}colour", False),
    ("long-fill-in", X * 4000, True), ("long-fill-in", X * 4001, False),
    ("long-fill-in", "{lang=fr}" + X * 4000, True),
    ("likert", "strongly_agree", True), ("likert", "a[,]b", False),
    ("matching", "1[.]a[,]2[.]b", True), ("matching", "1[.]a[.]b", False),
    ("matching", "1", False),
    ("performance", "step1[.]answer one[,]step2[.]42", True), ("performance", "[.]ok", True),
    ("performance", "[.]", False), ("performance", "step1", False),
    ("sequencing", "a[,]b[,]a", True), ("sequencing", "", False),
    ("numeric", "3.5", True), ("numeric", "-0.25", True), ("numeric", "three", False),
    ("numeric", "1e3", False),
    ("other", X * 4000, True), ("other", X * 4001, False),
]

PATTERNS = [
    ("true-false", "false", True), ("true-false", "no", False),
    ("choice", "a[,]c", True), ("choice", "", True), ("choice", "a[,]a", False),
    ("fill-in", "{case_matters=true}{order_matters=false}Colour[,]Flavour", True),
    ("fill-in", "{order_matters=true}{case_matters=false}Colour", True),
    ("fill-in", "{case_matters=maybe}Colour", False),
    ("fill-in", "{case_matters=true}{case_matters=true}Colour", False),
    ("long-fill-in", "{case_matters=false}" + X * 4000, True),
    ("long-fill-in", "{order_matters=true}essay", False),
    ("likert", "agree", True),
    ("matching", "1[.]a[,]2[.]b", True), ("matching", "1[.]", False),
    ("performance", "{order_matters=false}step1[.]1[:]5[,]step2[.]yes", True),
    ("performance", "step1[.][:]5", True), ("performance", "step1[.]5[:]1", False),
    ("performance", "{case_matters=true}step1[.]x", False),
    ("sequencing", "c[,]b[,]a", True),
    ("numeric", "1[:]5", True), ("numeric", "[:]5", True), ("numeric", "1[:]", True),
    ("numeric", "7", True), ("numeric", "5[:]1", False), ("numeric", "a[:]b", False),
    ("other", "anything at all", True),
]

SETS_2004 = [
    case("location 1000", [S("cmi.location", X * 1000)], "true", "0"),
    case("location 1001", [S("cmi.location", X * 1001)], "false", "406"),
    case("suspend_data 64000", [S("cmi.suspend_data", X * 64000)], "true", "0"),
    case("suspend_data 64001", [S("cmi.suspend_data", X * 64001)], "false", "406"),
    case("suspend_data counts characters", [S("cmi.suspend_data", "\u00e9\U0001F600" * 32000)],
         "true", "0"),
    case("comment 4000", [S("cmi.comments_from_learner.0.comment", X * 4000)], "true", "0"),
    case("comment 4001", [S("cmi.comments_from_learner.0.comment", X * 4001)], "false", "406"),
    case("comment with its language", [S("cmi.comments_from_learner.0.comment",
                                         "{lang=en-GB}" + X * 4000)], "true", "0"),
    case("comment language not closed", [S("cmi.comments_from_learner.0.comment",
                                           "{lang=en Hello")], "false", "406"),
    case("comment empty language", [S("cmi.comments_from_learner.0.comment", "{lang=}Hi")],
         "false", "406"),
    case("comment location 250", [S("cmi.comments_from_learner.0.location", X * 250)], "true",
         "0"),
    case("comment location 251", [S("cmi.comments_from_learner.0.location", X * 251)], "false",
         "406"),
    case("comment skips an index", [S("cmi.comments_from_learner.1.comment", "Hi")], "false",
         "351"),
    *[case(f"timestamp {value}", [S("cmi.comments_from_learner.0.timestamp", value)], "true", "0")
      for value in ("2026", "2026-03", "2026-03-01", "2026-03-01T10", "2026-03-01T10:20",
                    "2026-03-01T10:20:30", "2026-03-01T10:20:30.5",
                    "2026-03-01T10:20:30.25Z", "2026-03-01T10:20:30.5+01:00",
                    "2026-03-01T10:20:30-05", "2026-03-01T10:20:30.123Z", "2038-12-31",
                    "1970-01-01", "2024-02-29")],
    *[case(f"bad timestamp {value}", [S("cmi.comments_from_learner.0.timestamp", value)],
           "false", "406")
      for value in ("2026-02-30", "2025-02-29", "2039-01-01", "1969-12-31", "2026-3-1",
                    "2026-03-01 10:20:30", "2026-03-01T24:00:00", "01/03/2026", "")],
    *[case(f"completion_status {word}", [S("cmi.completion_status", word)], "true", "0")
      for word in ("completed", "incomplete", "not attempted", "unknown")],
    case("completion_status passed", [S("cmi.completion_status", "passed")], "false", "406"),
    *[case(f"success_status {word}", [S("cmi.success_status", word)], "true", "0")
      for word in ("passed", "failed", "unknown")],
    case("success_status completed", [S("cmi.success_status", "completed")], "false", "406"),
    *[case(f"exit {word or 'blank'}", [S("cmi.exit", word)], "true", "0")
      for word in ("time-out", "suspend", "logout", "normal", "")],
    case("exit quit", [S("cmi.exit", "quit")], "false", "406"),
    *[case(f"session_time {value}", [S("cmi.session_time", value)], "true", "0")
      for value in ("PT1H2M3.5S", "P1DT2H", "PT0S", "P1Y2M3DT4H5M6.07S", "PT90M", "P0D")],
    *[case(f"bad session_time {value}", [S("cmi.session_time", value)], "false", "406")
      for value in ("PT", "P", "P1DT", "PT1.5M", "00:01:00", "P1W", "pt1s", "PT-1S", "")],
    case("score.scaled -1", [S("cmi.score.scaled", "-1")], "true", "0"),
    case("score.scaled 1", [S("cmi.score.scaled", "1")], "true", "0"),
    case("score.scaled 0.8500000000000001", [S("cmi.score.scaled", "0.8500000000000001")],
         "true", "0"),
    case("score.scaled 1.0000001", [S("cmi.score.scaled", "1.0000001")], "false", "407"),
    case("score.scaled -1.5", [S("cmi.score.scaled", "-1.5")], "false", "407"),
    case("score.scaled text", [S("cmi.score.scaled", "high")], "false", "406"),
    case("score.scaled exponent", [S("cmi.score.scaled", "1e-1")], "false", "406"),
    case("score.raw any real", [S("cmi.score.raw", "-500.25")], "true", "0"),
    case("score.max", [S("cmi.score.max", "250")], "true", "0"),
    case("score.min blank", [S("cmi.score.min", "")], "false", "406"),
    case("progress_measure 0", [S("cmi.progress_measure", "0")], "true", "0"),
    case("progress_measure 1", [S("cmi.progress_measure", "1")], "true", "0"),
    case("progress_measure 1.01", [S("cmi.progress_measure", "1.01")], "false", "407"),
    case("progress_measure -0.1", [S("cmi.progress_measure", "-0.1")], "false", "407"),
    case("audio_level 2.5", [S("cmi.learner_preference.audio_level", "2.5")], "true", "0"),
    case("audio_level -0.5", [S("cmi.learner_preference.audio_level", "-0.5")], "false", "407"),
    case("delivery_speed -1", [S("cmi.learner_preference.delivery_speed", "-1")], "false",
         "407"),
    case("audio_captioning -1", [S("cmi.learner_preference.audio_captioning", "-1")], "true",
         "0"),
    case("audio_captioning 2", [S("cmi.learner_preference.audio_captioning", "2")], "false",
         "406"),
    *[case(f"language {code or 'blank'}", [S("cmi.learner_preference.language", code)], "true",
           "0") for code in ("en", "en-GB", "fra", "x-klingon", "zh-Hant-TW", "")],
    *[case(f"bad language {code}", [S("cmi.learner_preference.language", code)], "false", "406")
      for code in ("english", "en_GB", "e", "en-", "en-toolongtag")],
    *[case(f"read only {name}", [S(name, "x")], "false", "404")
      for name in ("cmi.completion_threshold", "cmi.credit", "cmi.entry", "cmi.launch_data",
                   "cmi.learner_id", "cmi.learner_name", "cmi.max_time_allowed", "cmi.mode",
                   "cmi.scaled_passing_score", "cmi.time_limit_action", "cmi.total_time",
                   "adl.nav.request_valid.continue", "adl.nav.request_valid.previous",
                   "adl.nav.request_valid.choice.{target=sco-2}")],
    case("read only comment from LMS", [S("cmi.comments_from_lms.0.comment", "x")], "false",
         "404", LMS_2004),
    *[case(f"keyword {name}", [S(name, "1")], "false", "404")
      for name in ("cmi._version", "cmi.interactions._count", "cmi.score._children",
                   "cmi.objectives._children", "cmi.comments_from_learner._count")],
    case("keyword that does not exist", [S("cmi.location._children", "x")], "false", "401"),
    case("unknown element", [S("cmi.grade", "A")], "false", "401"),
    case("1.2 element", [S("cmi.core.lesson_status", "passed")], "false", "401"),
    case("empty name", [S("", "x")], "false", "351"),
    *[case(f"nav request {word}", [S("adl.nav.request", word)], "true", "0")
      for word in ("continue", "previous", "exit", "exitAll", "abandon", "abandonAll",
                   "suspendAll", "_none_", "{target=sco-2}choice", "{target=intro}jump")],
    *[case(f"bad nav request {word}", [S("adl.nav.request", word)], "false", "406")
      for word in ("start", "choice", "{target=}choice", "{target=a b}choice", "Continue")],
    case("nav request read back", [S("adl.nav.request", "{target=sco-2}choice"),
                                   G("adl.nav.request")], "{target=sco-2}choice", "0"),
    # Interactions: id first (408), in order (351), ids and types.
    case("interaction id", INTERACTION, "true", "0"),
    case("interaction id urn", [S("cmi.interactions.0.id", "urn:pathway:q-1")], "true", "0"),
    case("interaction id 4000", [S("cmi.interactions.0.id", X * 4000)], "true", "0"),
    case("interaction id 4001", [S("cmi.interactions.0.id", X * 4001)], "false", "406"),
    case("interaction id empty", [S("cmi.interactions.0.id", "")], "false", "406"),
    case("interaction id with a space", [S("cmi.interactions.0.id", "question 1")], "false",
         "406"),
    case("interaction id bad urn", [S("cmi.interactions.0.id", "urn:nonamespace")], "false",
         "406"),
    case("interaction skips an index", [S("cmi.interactions.1.id", "q2")], "false", "351"),
    case("interaction type before its id", [S("cmi.interactions.0.type", "choice")], "false",
         "408"),
    case("interaction skips an index before its id", [S("cmi.interactions.1.type", "choice")],
         "false", "351"),
    case("interaction from LMS without an id", [S("cmi.interactions.0.result", "correct")],
         "false", "408", {"cmi.interactions.0.type": "choice"}),
    case("second interaction", [*INTERACTION, S("cmi.interactions.1.id", "q2")], "true", "0"),
    case("interaction after those from LMS", [S("cmi.interactions.1.id", "q2")], "true", "0",
         LMS_2004),
    *[case(f"interaction type {kind}", typed(kind), "true", "0")
      for kind in ("true-false", "choice", "fill-in", "long-fill-in", "likert", "matching",
                   "performance", "sequencing", "numeric", "other")],
    case("interaction type multiple-choice", typed("multiple-choice"), "false", "406"),
    case("interaction type 1.2 spelling", typed("true_false"), "false", "406"),
    case("interaction timestamp", [*INTERACTION, S("cmi.interactions.0.timestamp",
                                                   "2026-03-01T10:20:30")], "true", "0"),
    case("interaction timestamp 1.2 time", [*INTERACTION, S("cmi.interactions.0.timestamp",
                                                            "10:20:30")], "false", "406"),
    case("interaction weighting", [*INTERACTION, S("cmi.interactions.0.weighting", "0.5")],
         "true", "0"),
    case("interaction weighting text", [*INTERACTION, S("cmi.interactions.0.weighting", "x")],
         "false", "406"),
    *[case(f"interaction result {word}", [*INTERACTION, S("cmi.interactions.0.result", word)],
           "true", "0")
      for word in ("correct", "incorrect", "unanticipated", "neutral", "-3.5")],
    case("interaction result wrong", [*INTERACTION, S("cmi.interactions.0.result", "wrong")],
         "false", "406"),
    case("interaction latency", [*INTERACTION, S("cmi.interactions.0.latency", "PT5.25S")],
         "true", "0"),
    case("interaction latency 1.2", [*INTERACTION, S("cmi.interactions.0.latency",
                                                     "0000:00:05")], "false", "406"),
    case("interaction description", [*INTERACTION, S("cmi.interactions.0.description",
                                                     "{lang=fr}" + X * 250)], "true", "0"),
    case("interaction description 251", [*INTERACTION, S("cmi.interactions.0.description",
                                                         X * 251)], "false", "406"),
    case("interaction objective", [*INTERACTION, S("cmi.interactions.0.objectives.0.id", "o1")],
         "true", "0"),
    case("interaction objective before the id",
         [S("cmi.interactions.0.objectives.0.id", "o1")], "false", "408"),
    case("interaction objective twice", [*INTERACTION,
                                         S("cmi.interactions.0.objectives.0.id", "o1"),
                                         S("cmi.interactions.0.objectives.1.id", "o1")],
         "false", "351"),
    case("interaction objective set again", [*INTERACTION,
                                             S("cmi.interactions.0.objectives.0.id", "o1"),
                                             S("cmi.interactions.0.objectives.0.id", "o1")],
         "true", "0"),
    case("interaction objective skips an index",
         [*INTERACTION, S("cmi.interactions.0.objectives.1.id", "o2")], "false", "351"),
    case("learner_response before the type",
         [*INTERACTION, S("cmi.interactions.0.learner_response", "true")], "false", "408"),
    case("pattern before the type",
         [*INTERACTION, S("cmi.interactions.0.correct_responses.0.pattern", "true")], "false",
         "408"),
    case("pattern skips an index", [*typed("choice"),
                                    S("cmi.interactions.0.correct_responses.1.pattern", "a")],
         "false", "351"),
    case("second choice pattern", [*typed("choice"),
                                   S("cmi.interactions.0.correct_responses.0.pattern", "a"),
                                   S("cmi.interactions.0.correct_responses.1.pattern", "b")],
         "true", "0"),
    case("same pattern twice", [*typed("choice"),
                                S("cmi.interactions.0.correct_responses.0.pattern", "a"),
                                S("cmi.interactions.0.correct_responses.1.pattern", "a")],
         "false", "351"),
    *[case(f"second {kind} pattern", [*typed(kind),
                                      S("cmi.interactions.0.correct_responses.0.pattern", one),
                                      S("cmi.interactions.0.correct_responses.1.pattern", two)],
           "false", "351")
      for kind, one, two in (("true-false", "true", "false"), ("likert", "a", "b"),
                             ("numeric", "1", "2"), ("other", "a", "b"))],
    *[case(f"{kind} learner_response {value[:30]!r}",
           [*typed(kind), S("cmi.interactions.0.learner_response", value)],
           "true" if good else "false", "0" if good else "406")
      for kind, value, good in RESPONSES],
    *[case(f"{kind} pattern {value[:40]!r}",
           [*typed(kind), S("cmi.interactions.0.correct_responses.0.pattern", value)],
           "true" if good else "false", "0" if good else "406")
      for kind, value, good in PATTERNS],
    # Objectives: id first, unique, never changed.
    case("objective id", OBJECTIVE, "true", "0"),
    case("objective score before the id", [S("cmi.objectives.0.score.scaled", "0.5")], "false",
         "408"),
    case("objective skips an index", [S("cmi.objectives.1.id", "obj-2")], "false", "351"),
    case("objective id changed", [*OBJECTIVE, S("cmi.objectives.0.id", "obj-9")], "false",
         "351"),
    case("objective id set again", [*OBJECTIVE, S("cmi.objectives.0.id", "obj-1")], "true",
         "0"),
    case("objective id taken", [*OBJECTIVE, S("cmi.objectives.1.id", "obj-1")], "false", "351"),
    case("objective id taken from LMS", [S("cmi.objectives.1.id", "urn:pathway:obj-a")],
         "false", "351", LMS_2004),
    case("objective score.scaled", [*OBJECTIVE, S("cmi.objectives.0.score.scaled", "-0.5")],
         "true", "0"),
    case("objective score.scaled 2", [*OBJECTIVE, S("cmi.objectives.0.score.scaled", "2")],
         "false", "407"),
    case("objective score.raw", [*OBJECTIVE, S("cmi.objectives.0.score.raw", "17")], "true",
         "0"),
    case("objective success_status", [*OBJECTIVE, S("cmi.objectives.0.success_status",
                                                    "passed")], "true", "0"),
    case("objective success_status bad", [*OBJECTIVE, S("cmi.objectives.0.success_status",
                                                        "complete")], "false", "406"),
    case("objective completion_status", [*OBJECTIVE, S("cmi.objectives.0.completion_status",
                                                       "not attempted")], "true", "0"),
    case("objective progress_measure 1.5", [*OBJECTIVE,
                                            S("cmi.objectives.0.progress_measure", "1.5")],
         "false", "407"),
    case("objective description 250", [*OBJECTIVE, S("cmi.objectives.0.description",
                                                     X * 250)], "true", "0"),
    case("objective description 251", [*OBJECTIVE, S("cmi.objectives.0.description",
                                                     X * 251)], "false", "406"),
]

STATE_2004 = [
    pytest.param([("get", "cmi.location")], ("", "122"), id="get before"),
    pytest.param([("set", "cmi.location", "p1")], ("false", "132"), id="set before"),
    pytest.param([("commit", "")], ("false", "142"), id="commit before"),
    pytest.param([("finish", "")], ("false", "112"), id="terminate before"),
    pytest.param([("init", "x")], ("false", "201"), id="initialize with an argument"),
    pytest.param([("init", ""), ("init", "")], ("false", "103"), id="initialize twice"),
    pytest.param([("init", ""), ("commit", "x")], ("false", "201"), id="commit with an argument"),
    pytest.param([("init", ""), ("finish", "x")], ("false", "201"),
                 id="terminate with an argument"),
    pytest.param([("init", ""), ("finish", ""), ("get", "cmi.location")], ("", "123"),
                 id="get after terminate"),
    pytest.param([("init", ""), ("finish", ""), ("set", "cmi.location", "p1")],
                 ("false", "133"), id="set after terminate"),
    pytest.param([("init", ""), ("finish", ""), ("commit", "")], ("false", "143"),
                 id="commit after terminate"),
    pytest.param([("init", ""), ("finish", ""), ("finish", "")], ("false", "113"),
                 id="terminate twice"),
    pytest.param([("init", ""), ("finish", ""), ("init", "")], ("false", "104"),
                 id="initialize after terminate"),
    pytest.param([("init", ""), ("finish", ""), ("error",)], ("0", "0"),
                 id="terminate clears the error"),
    pytest.param([("init", ""), ("set", "cmi.grade", "A"), ("get", "cmi.mode")],
                 ("normal", "0"), id="a good call clears the error"),
]


@pytest.mark.parametrize(("calls", "result", "code", "initial"), GETS_2004 + SETS_2004)
def test_scorm2004_data_model(page, calls, result, code, initial):
    assert last(page, "2004", calls, initial) == (result, code)


@pytest.mark.parametrize(("calls", "expected"), STATE_2004)
def test_scorm2004_session_states(page, calls, expected):
    assert run(page, "2004", calls, initialize=False)[-1] == expected


ERROR_STRINGS_2004 = {
    "0": "No Error", "101": "General Exception", "102": "General Initialization Failure",
    "103": "Already Initialized", "104": "Content Instance Terminated",
    "111": "General Termination Failure", "112": "Termination Before Initialization",
    "113": "Termination After Termination", "122": "Retrieve Data Before Initialization",
    "123": "Retrieve Data After Termination", "132": "Store Data Before Initialization",
    "133": "Store Data After Termination", "142": "Commit Before Initialization",
    "143": "Commit After Termination", "201": "General Argument Error",
    "301": "General Get Failure", "351": "General Set Failure", "391": "General Commit Failure",
    "401": "Undefined Data Model Element", "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized",
    "404": "Data Model Element Is Read Only", "405": "Data Model Element Is Write Only",
    "406": "Data Model Element Type Mismatch", "407": "Data Model Element Value Out Of Range",
    "408": "Data Model Dependency Not Established",
}


@pytest.mark.parametrize(("code", "text"), list(ERROR_STRINGS_2004.items()) + [("1000", "")])
def test_scorm2004_error_strings(page, code, text):
    assert last(page, "2004", [("string", code)])[0] == text
    assert last(page, "2004", [("diag", code)])[0] == text


@pytest.mark.parametrize(("calls", "needle"), [
    ([S("cmi.suspend_data", X * 64001)], "64000"),
    ([S("cmi.interactions.0.type", "choice")], "cmi.interactions.0.id must be set first"),
    ([S("cmi.interactions.2.id", "q3")], "cmi.interactions.0"),
    ([S("cmi.score.scaled", "1.5")], "between -1 and 1"),
    ([G("cmi.location")], "cmi.location"),
])
def test_scorm2004_diagnostic_says_what_is_wrong(page, calls, needle):
    results = run(page, "2004", [*calls, ("diag", ""), ("error",)])
    assert needle in results[-2][0]
    assert len(results[-2][0]) <= 255
    assert results[-1][0] == results[0][1] != "0"


# ---- GetValue evaluation (RTE 4.2.4.1, 4.2.22) ----------------------------------------------

@pytest.mark.parametrize(("initial", "calls", "expected"), [
    ({"cmi.completion_threshold": "0.8"}, [S("cmi.completion_status", "completed")], "unknown"),
    ({"cmi.completion_threshold": "0.8"}, [S("cmi.progress_measure", "0.8")], "completed"),
    ({"cmi.completion_threshold": "0.8"}, [S("cmi.completion_status", "completed"),
                                           S("cmi.progress_measure", "0.79")], "incomplete"),
    ({"cmi.completion_threshold": "0.8", "cmi.progress_measure": "0.9"}, [], "completed"),
    ({"cmi.completion_threshold": "0"}, [S("cmi.progress_measure", "0")], "completed"),
    ({}, [S("cmi.progress_measure", "0.1"), S("cmi.completion_status", "completed")],
     "completed"),
    ({}, [S("cmi.completion_status", "incomplete")], "incomplete"),
    ({"cmi.completion_status": "completed"}, [], "completed"),
    ({}, [], "unknown"),
], ids=["threshold without measure", "measure at threshold", "measure below threshold",
        "measure from LMS", "zero threshold", "no threshold: the SCO's status",
        "no threshold: incomplete", "no threshold: from LMS", "nothing"])
def test_completion_status_evaluation(page, initial, calls, expected):
    assert last(page, "2004", [*calls, G("cmi.completion_status")], initial) == (expected, "0")


@pytest.mark.parametrize(("initial", "calls", "expected"), [
    ({"cmi.scaled_passing_score": "0.6"}, [S("cmi.success_status", "passed")], "unknown"),
    ({"cmi.scaled_passing_score": "0.6"}, [S("cmi.score.scaled", "0.6")], "passed"),
    ({"cmi.scaled_passing_score": "0.6"}, [S("cmi.success_status", "passed"),
                                           S("cmi.score.scaled", "0.59")], "failed"),
    ({"cmi.scaled_passing_score": "-0.5"}, [S("cmi.score.scaled", "-0.25")], "passed"),
    ({}, [S("cmi.score.scaled", "0.1"), S("cmi.success_status", "passed")], "passed"),
    ({}, [S("cmi.success_status", "failed")], "failed"),
    ({"cmi.success_status": "passed"}, [], "passed"),
    ({}, [], "unknown"),
], ids=["passing score without score", "score at passing", "score below passing",
        "negative passing score", "no passing score: the SCO's status",
        "no passing score: failed", "no passing score: from LMS", "nothing"])
def test_success_status_evaluation(page, initial, calls, expected):
    assert last(page, "2004", [*calls, G("cmi.success_status")], initial) == (expected, "0")


# ---- What goes to the server ----------------------------------------------------------------

def bodies(requests):
    return [request["body"] for request in requests]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_initialize_is_sent_at_once(page, version):
    run(page, version, [])
    [request] = wait_sent(page, 1)
    assert request["body"] == {"token": "secret", "sequence": 1, "event": "initialize",
                               "values": []}
    assert not request["options"].get("beacon")


def test_commit_sends_each_element_once_in_first_order_with_its_latest_value(page):
    results = run(page, "2004", [
        S("cmi.location", "slide-1"), S("cmi.suspend_data", "A"),
        S("cmi.location", "slide-2"), S("cmi.score.scaled", "7"),   # refused: not sent
        S("cmi.interactions.0.id", "q1"), S("cmi.interactions.0.type", "numeric"),
        S("cmi.interactions.0.id", "q1"), S("cmi.suspend_data", "AB"), ("commit", "")])
    assert results[3] == ("false", "407")
    assert results[-1] == ("true", "0")
    requests = wait_sent(page, 2)
    assert requests[1]["body"] == {
        "token": "secret", "sequence": 2, "event": "commit",
        "values": [["cmi.location", "slide-2"], ["cmi.suspend_data", "AB"],
                   ["cmi.interactions.0.id", "q1"], ["cmi.interactions.0.type", "numeric"]]}


def test_commit_without_changes_sends_nothing_and_read_only_values_are_never_sent(page):
    run(page, "1.2", [G("cmi.core.student_id"), ("commit", "")],
        {"cmi.core.student_id": "u-1"})
    settled(page)
    more(page, [S("cmi.core.student_id", "u-2"), ("commit", "")])
    settled(page)
    assert [body["event"] for body in bodies(sent(page))] == ["initialize"]


def test_changes_are_sent_by_the_timer(page):
    run(page, "1.2", [S("cmi.core.lesson_location", "p2")], commitEveryMs=50)
    requests = wait_sent(page, 2)
    assert requests[1]["body"]["event"] == "commit"
    assert requests[1]["body"]["values"] == [["cmi.core.lesson_location", "p2"]]
    assert requests[1]["body"]["sequence"] == 2


def test_a_commit_while_a_request_is_unanswered_follows_it(page):
    page.evaluate("""() => {
        const rt = harness.make({version: "2004"});
        rt.api.Initialize("");
        rt.api.SetValue("cmi.location", "p1");
        rt.api.Commit("");
        rt.api.SetValue("cmi.location", "p2");
        rt.api.Commit("");
    }""")
    wait_sent(page, 2)
    settled(page)
    assert [(b["sequence"], b["event"], b["values"]) for b in bodies(sent(page))] == [
        (1, "initialize", []), (2, "commit", [["cmi.location", "p2"]])]


@pytest.mark.parametrize("failure", ["network", 500, 503])
def test_a_failed_request_is_sent_again_as_it_was(page, failure):
    run(page, "1.2", [S("cmi.core.lesson_location", "p1"), ("commit", "")],
        answers=[200, failure])
    wait_sent(page, 2)
    settled(page)
    more(page, [S("cmi.suspend_data", "later"), ("commit", "")])
    requests = wait_sent(page, 4)
    settled(page)
    assert [(b["sequence"], b["event"], b["values"]) for b in bodies(requests)] == [
        (1, "initialize", []),
        (2, "commit", [["cmi.core.lesson_location", "p1"]]),
        (2, "commit", [["cmi.core.lesson_location", "p1"]]),   # the same request again
        (3, "commit", [["cmi.suspend_data", "later"]]),
    ]
    assert page.console_errors == []


def test_a_failed_request_is_sent_again_by_the_timer(page):
    run(page, "2004", [S("cmi.location", "p1")], answers=[200, "network"], commitEveryMs=50)
    requests = wait_sent(page, 3)
    assert requests[2]["body"] == requests[1]["body"]
    assert requests[2]["body"]["sequence"] == 2


@pytest.mark.parametrize("status", [400, 403, 409, 422])
def test_values_the_server_refuses_are_dropped_and_reported(page, status):
    run(page, "2004", [S("cmi.location", "p1"), ("commit", "")], answers=[200, status])
    wait_sent(page, 2)
    settled(page)
    more(page, [S("cmi.suspend_data", "x"), ("commit", "")])
    requests = wait_sent(page, 3)
    assert requests[2]["body"]["sequence"] == 3
    assert requests[2]["body"]["values"] == [["cmi.suspend_data", "x"]]
    assert any(f"with {status}" in text for text in page.console_errors), page.console_errors


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_terminate_sends_at_once_with_keepalive_and_tells_the_page(page, version):
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    results = run(page, version, [S(location, "end"), ("finish", "")])
    assert results[-1] == ("true", "0")
    requests = sent(page)  # synchronously: Terminate does not wait for the timer
    assert requests[-1]["body"] == {"token": "secret", "sequence": 2, "event": "terminate",
                                    "values": [[location, "end"]]}
    assert requests[-1]["options"]["keepalive"] is True
    events = page.evaluate("() => harness.events")
    assert ["scorm:terminated", {"version": version,
                                 "navRequest": None if version == "1.2" else "_none_"}] in events
    assert not any(event[0] == "scorm:navrequest" for event in events)


def test_terminate_carries_the_values_of_a_failed_request(page):
    run(page, "2004", [S("cmi.location", "p1"), ("commit", "")], answers=[200, "network"])
    wait_sent(page, 2)
    settled(page)
    more(page, [S("cmi.suspend_data", "s"), S("cmi.location", "p2"), ("finish", "")])
    requests = sent(page)
    assert requests[-1]["body"]["event"] == "terminate"
    assert requests[-1]["body"]["sequence"] == 3
    assert requests[-1]["body"]["values"] == [["cmi.location", "p2"], ["cmi.suspend_data", "s"]]


def test_a_failed_terminate_is_sent_again_by_the_timer(page):
    run(page, "1.2", [S("cmi.core.lesson_status", "completed"), ("finish", "")],
        answers=[200, 503], commitEveryMs=50)
    requests = wait_sent(page, 3)
    assert requests[2]["body"] == requests[1]["body"]
    assert requests[2]["body"]["event"] == "terminate"


def test_a_navigation_request_is_announced_after_terminate(page):
    run(page, "2004", [S("adl.nav.request", "{target=sco-2}choice"), ("finish", "")])
    events = page.evaluate("() => harness.events")
    assert ["scorm:navrequest", {"version": "2004", "request": "{target=sco-2}choice"}] in events
    assert ["scorm:terminated", {"version": "2004", "navRequest": "{target=sco-2}choice"}] \
        in events
    assert page.evaluate("() => harness.navigated") == ["{target=sco-2}choice"]
    assert sent(page)[-1]["body"]["values"] == [["adl.nav.request", "{target=sco-2}choice"]]


def test_server_answers_are_announced(page):
    run(page, "2004", [S("cmi.location", "p"), ("commit", "")])
    wait_sent(page, 2)
    page.wait_for_function("() => harness.events.filter(e => e[0] === 'scorm:committed')"
                           ".length >= 2")
    committed = [event[1] for event in page.evaluate("() => harness.events")
                 if event[0] == "scorm:committed"]
    assert committed[-1]["sequence"] == 2
    assert committed[-1]["answer"]["status"] == {"completion": "incomplete"}


@pytest.mark.parametrize(("version", "pattern"), [
    ("1.2", r"^\d{4}:\d{2}:\d{2}\.\d{2}$"), ("2004", r"^PT\d+H\d+M\d+(\.\d{1,2})?S$")])
def test_pagehide_sends_an_unload_beacon_with_the_measured_session_time(page, version,
                                                                        pattern):
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    session_time = "cmi.core.session_time" if version == "1.2" else "cmi.session_time"
    run(page, version, [S(location, "p9")])
    page.evaluate("() => harness.runtime.pagehide()")
    request = sent(page)[-1]
    assert request["options"]["beacon"] is True
    body = request["body"]
    assert (body["token"], body["sequence"], body["event"]) == ("secret", 2, "unload")
    assert body["values"][0] == [location, "p9"]
    assert body["values"][1][0] == session_time
    assert re.match(pattern, body["values"][1][1]), body["values"][1][1]
    assert len(body["values"]) == 2


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_pagehide_keeps_the_session_time_the_sco_set(page, version):
    session_time, value = (("cmi.core.session_time", "0000:00:42.00") if version == "1.2"
                           else ("cmi.session_time", "PT42S"))
    run(page, version, [S(session_time, value), ("commit", "")])
    wait_sent(page, 2)
    settled(page)
    page.evaluate("() => harness.runtime.pagehide()")
    body = sent(page)[-1]["body"]
    assert body["event"] == "unload"
    assert body["values"] == []  # already sent; the runtime adds no time of its own


def test_pagehide_after_terminate_sends_nothing(page):
    run(page, "2004", [("finish", "")])
    settled(page)
    count = len(sent(page))
    page.evaluate("() => harness.runtime.pagehide()")
    assert len(sent(page)) == count


def test_pagehide_before_initialize_sends_nothing(page):
    run(page, "2004", [], initialize=False)
    page.evaluate("() => harness.runtime.pagehide()")
    assert sent(page) == []


def test_unload_carries_unacknowledged_values(page):
    run(page, "2004", [S("cmi.location", "p1"), ("commit", "")], answers=[200, "network"])
    wait_sent(page, 2)
    settled(page)
    more(page, [S("cmi.suspend_data", "s"), S("cmi.session_time", "PT1M")])
    page.evaluate("() => harness.runtime.pagehide()")
    body = sent(page)[-1]["body"]
    assert (body["event"], body["sequence"]) == ("unload", 3)
    assert body["values"] == [["cmi.location", "p1"], ["cmi.suspend_data", "s"],
                              ["cmi.session_time", "PT1M"]]


def test_finish_delivers_an_unload_and_waits_for_the_answer(page):
    run(page, "2004", [S("cmi.location", "p1")])
    page.evaluate("() => harness.runtime.finish()")
    body = sent(page)[-1]
    assert body["body"]["event"] == "unload"
    assert body["options"].get("beacon") is not True
    assert page.evaluate("() => harness.runtime.unacknowledged.length") == 0
    page.evaluate("() => harness.runtime.pagehide()")  # the page then goes: nothing more
    assert sent(page)[-1] == body


# ---- Installed as the player page installs it -----------------------------------------------

@pytest.fixture
def player(chromium):
    """A fresh page per test, for the runtime installed from its configuration element."""
    context = chromium.new_context()
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == [], problems


def install(page, config: dict) -> None:
    """The player page's configuration element, navigator.sendBeacon recorded, the runtime."""
    page.set_content("<!doctype html><html><head><title>Player</title></head><body>"
                     '<script type="application/json" id="scorm-runtime-config">'
                     + json.dumps(config).replace("</", "<\\/") + "</script></body></html>")
    page.evaluate("""() => {
        window.beacons = [];
        navigator.sendBeacon = (url, data) => {
            window.beacons.push({url, type: data.type, text: data.text()});
            return true;
        };
    }""")
    page.add_script_tag(path=str(RUNTIME))


def beacons(page) -> list[dict]:
    return page.evaluate("""async () => Promise.all(window.beacons.map(async (beacon) =>
        ({url: beacon.url, type: beacon.type, body: JSON.parse(await beacon.text)})))""")


@pytest.mark.parametrize(("version", "name", "other"), [
    ("1.2", "API", "API_1484_11"), ("2004", "API_1484_11", "API")])
def test_installs_the_api_object_of_its_version_on_the_window(player, version, name, other):
    install(player, {"version": version, "commitUrl": "/commit", "token": "t", "initial": {}})
    assert player.evaluate(f"() => typeof window.{name}") == "object"
    assert player.evaluate(f"() => typeof window.{other}") == "undefined"
    assert player.evaluate("() => PathwayScorm.current.version") == version


def test_a_sco_in_a_frame_finds_the_api_by_walking_up(player):
    install(player, {"version": "2004", "commitUrl": "/commit", "token": "t",
                     "initial": {"cmi.learner_name": "Reader, Rowan"}})
    player.evaluate("""() => new Promise((resolve) => {
        const frame = document.createElement("iframe");
        frame.srcdoc = `<script>
            let win = window, api = null;
            while (!api && win) {
                api = win.API_1484_11 || null;
                win = win === win.parent ? null : win.parent;
            }
            api.Initialize("");
            document.title = api.GetValue("cmi.learner_name");
        <\\/script>`;
        frame.onload = resolve;
        document.body.appendChild(frame);
    })""")
    assert player.evaluate("() => document.querySelector('iframe').contentDocument.title") \
        == "Reader, Rowan"


def test_pagehide_sends_navigator_beacon_with_the_json(player):
    install(player, {"version": "1.2", "commitUrl": "/scorm/attempts/3/commit", "token": "tk",
                     "initial": {}, "commitEveryMs": 3600000})
    player.evaluate("() => { window.fetch = () => new Promise(() => {}); }")  # never answers
    player.evaluate("""() => {
        API.LMSInitialize("");
        API.LMSSetValue("cmi.core.lesson_status", "incomplete");
        API.LMSSetValue("cmi.suspend_data", "resume-here");
        window.dispatchEvent(new PageTransitionEvent("pagehide", {persisted: false}));
    }""")
    [beacon] = beacons(player)
    assert beacon["url"] == "/scorm/attempts/3/commit"
    assert beacon["type"] == "application/json"
    body = beacon["body"]
    assert (body["token"], body["sequence"], body["event"]) == ("tk", 2, "unload")
    assert body["values"][:2] == [["cmi.core.lesson_status", "incomplete"],
                                  ["cmi.suspend_data", "resume-here"]]
    assert body["values"][2][0] == "cmi.core.session_time"


@pytest.fixture
def routed(chromium):
    """A page on http://pathway.test/ whose requests the test answers as the server would:
    /player (the player page with the runtime's configuration), /runtime.js, /next (another
    page) and POSTs to the commit address, recorded as (body, headers)."""
    context = chromium.new_context()
    page = context.new_page()
    page.posted = []
    script = RUNTIME.read_text()
    config = {"version": "2004", "commitUrl": "/scorm/attempts/5/commit", "token": "tok",
              "initial": {}, "commitEveryMs": 3600000}

    def answer(route, request):
        path = request.url.removeprefix("http://pathway.test")
        if path == "/player":
            route.fulfill(content_type="text/html", body=(
                '<!doctype html><html><head><meta name="csrf-token" content="csrf-1">'
                "<title>Player</title></head><body>"
                '<script type="application/json" id="scorm-runtime-config">'
                + json.dumps(config) + '</script><script src="/runtime.js"></script>'
                "</body></html>"))
        elif path == "/runtime.js":
            route.fulfill(content_type="text/javascript", body=script)
        elif path == "/player-with-sco":  # the player page with a SCO in its frame
            route.fulfill(content_type="text/html", body=(
                "<!doctype html><html><head><title>Player</title></head><body>"
                '<script type="application/json" id="scorm-runtime-config">'
                + json.dumps(config) + '</script><script src="/runtime.js"></script>'
                '<iframe data-scorm-sco src="/sco" title="SCO"></iframe></body></html>'))
        elif path == "/sco":  # saves and terminates in its unload handler, as pipwerks does
            route.fulfill(content_type="text/html", body=(
                "<!doctype html><title>SCO</title><script>"
                "var api = parent.API_1484_11; api.Initialize('');"
                "window.onunload = function () {"
                "  api.SetValue('cmi.suspend_data', 'saved-at-unload');"
                "  api.SetValue('cmi.exit', 'suspend'); api.Commit(''); api.Terminate('');"
                "};</script>"))
        elif path == "/next":
            route.fulfill(content_type="text/html", body="<!doctype html><title>Next</title>")
        elif path == config["commitUrl"] and request.method == "POST":
            body = json.loads(request.post_data)
            page.posted.append((body, request.headers))
            route.fulfill(status=200, content_type="application/json",
                          body=json.dumps({"sequence": body["sequence"], "duplicate": False,
                                           "status": {}}))
        else:
            route.fulfill(status=404, body="")

    context.route("http://pathway.test/**", answer)
    page.goto("http://pathway.test/player")
    yield page
    context.close()


def test_the_default_transport_posts_json_and_beacons(routed):
    """fetch for initialize and commit, with the page's CSRF token; navigator.sendBeacon
    with a JSON blob at pagehide, through the browser's network stack."""
    routed.evaluate("""() => {
        API_1484_11.Initialize("");
        API_1484_11.SetValue("cmi.location", "slide-2");
        API_1484_11.Commit("");
    }""")
    routed.wait_for_function("() => PathwayScorm.current.unacknowledged.length === 0 && "
                             "PathwayScorm.current.sequence === 2")
    with routed.expect_request_finished(lambda request: request.resource_type == "ping"):
        routed.evaluate("""() => {
            API_1484_11.SetValue("cmi.suspend_data", "left");
            window.dispatchEvent(new PageTransitionEvent("pagehide", {persisted: false}));
        }""")
    posted = routed.posted
    assert [(body["sequence"], body["event"]) for body, _ in posted] == [
        (1, "initialize"), (2, "commit"), (3, "unload")]
    assert posted[1][0] == {"token": "tok", "sequence": 2, "event": "commit",
                            "values": [["cmi.location", "slide-2"]]}
    assert posted[1][1]["content-type"] == "application/json"
    assert posted[1][1]["x-csrftoken"] == "csrf-1"
    assert posted[2][0]["values"][0] == ["cmi.suspend_data", "left"]
    assert posted[2][0]["values"][1][0] == "cmi.session_time"
    assert posted[2][1]["content-type"] == "application/json"


def test_leaving_the_page_without_terminate_calls_send_beacon(routed):
    """A real navigation away: the runtime's pagehide handler hands the unload request to
    navigator.sendBeacon (recorded in localStorage, which the next page of the same origin
    reads; the request itself leaves after the page is gone, where the test cannot see it)."""
    routed.evaluate("""() => {
        // A Blob cannot be read synchronously while the page goes: keep what it was made of.
        const NativeBlob = window.Blob;
        window.Blob = function (parts, options) {
            window.blobText = parts.join("");
            return new NativeBlob(parts, options);
        };
        const send = navigator.sendBeacon.bind(navigator);
        navigator.sendBeacon = (url, data) => {
            localStorage.setItem("beacon", JSON.stringify({url, type: data.type,
                                                           body: JSON.parse(window.blobText)}));
            return send(url, data);
        };
        API_1484_11.Initialize("");
        API_1484_11.SetValue("cmi.progress_measure", "0.5");
    }""")
    routed.goto("http://pathway.test/next")
    beacon = json.loads(routed.evaluate("() => localStorage.getItem('beacon')"))
    assert (beacon["url"], beacon["type"]) == ("/scorm/attempts/5/commit", "application/json")
    body = beacon["body"]
    assert (body["token"], body["sequence"], body["event"]) == ("tok", 2, "unload")
    assert body["values"][0] == ["cmi.progress_measure", "0.5"]
    assert body["values"][1][0] == "cmi.session_time"


def test_a_sco_saving_in_its_unload_handler_is_heard_when_the_player_page_goes(routed):
    """The learner closes the player page: the SCO's own unload handler (SetValue, Commit,
    Terminate) runs before the runtime's page-exit beacon, so its data goes as `terminate`
    (recorded from fetch into localStorage, which the next page of the origin reads)."""
    routed.goto("http://pathway.test/player-with-sco")
    routed.wait_for_function("() => PathwayScorm.current.state !== 'new' && "
                             "PathwayScorm.current.unacknowledged.length === 0")
    routed.evaluate("""() => {
        const send = window.fetch.bind(window);
        window.fetch = (url, options) => {
            const sent = JSON.parse(localStorage.getItem("sent") || "[]");
            sent.push(JSON.parse(options.body));
            localStorage.setItem("sent", JSON.stringify(sent));
            return send(url, options);
        };
        const beacon = navigator.sendBeacon.bind(navigator);
        navigator.sendBeacon = (url, data) => {
            localStorage.setItem("beacon", "sent");
            return beacon(url, data);
        };
    }""")
    routed.goto("http://pathway.test/next")
    sent = json.loads(routed.evaluate("() => localStorage.getItem('sent')") or "[]")
    # Commit's own request may not outlive the page; Terminate's (keepalive) carries its
    # values again
    assert [body["event"] for body in sent][-1] == "terminate"
    assert ["cmi.suspend_data", "saved-at-unload"] in sent[-1]["values"]
    assert ["cmi.exit", "suspend"] in sent[-1]["values"]
    assert routed.evaluate("() => localStorage.getItem('beacon')") is None  # nothing after
