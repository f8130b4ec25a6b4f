"""lms.web.timeline: each kind of statement as the sentence a tutor reads, runs of time on an
activity summed up, starts recorded twice shown once, voided and leaving statements left
out; and 'days ago' words for the list of learners."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.web.learner_records import days_ago
from lms.web.timeline import Known, sentence, timeline

BASE = "http://pathway.test"
ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"
FILM = f"{BASE}/activities/u2-film-capable"
READING = f"{BASE}/activities/u1-reading-rights"
TUTORIAL = f"{BASE}/activities/u1-group-tutorial"
TASK = f"{BASE}/activities/u1-assessment-case-study"
QUIZ = f"{BASE}/activities/u1-interactive"
KNOWN = {
    FILM: Known("Film: Capable environments", "film"),
    READING: Known("Reading: Human rights and restriction", "reading"),
    TUTORIAL: Known("Group tutorial: Restrictions we see", "tutorial"),
    TASK: Known("Practice assessment: Case study", "assessment"),
    QUIZ: Known("Interactive: Recognising restrictions", "interactive"),
}
START = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def make(verb, target=FILM, minutes=None, at=0, result=None, context=None, definition=None,
         **extra):
    """A statement about `target`, `at` minutes after START."""
    body = {"id": f"id-{verb}-{at}", "actor": {"account": {"homePage": BASE, "name": "x"}},
            "verb": {"id": verb if verb.startswith("http") else ADL + verb},
            "object": {"objectType": "Activity", "id": target},
            "timestamp": (START + timedelta(minutes=at)).isoformat().replace("+00:00", "Z")}
    if definition:
        body["object"]["definition"] = definition
    result = dict(result or {})
    if minutes is not None:
        result["duration"] = f"PT{minutes}M"
    if result:
        body["result"] = result
    if context:
        body["context"] = context
    body.update(extra)
    return body


def said(statement) -> str | None:
    return sentence(statement, KNOWN)


INSTRUCTOR = {"instructor": {"account": {"homePage": BASE, "name": "tutor"}}}


@pytest.mark.parametrize(("statement", "expected"), [
    (make("completed", FILM, 42), "Watched 'Capable environments' film to the end, 42 min"),
    (make("completed", READING), "Read 'Human rights and restriction'"),
    (make("completed", READING, 75), "Read 'Human rights and restriction', 1 h 15 min"),
    (make("completed", QUIZ, 20), "Completed 'Interactive: Recognising restrictions', 20 min"),
    (make("https://w3id.org/xapi/adl/verbs/satisfied", QUIZ),
     "Completed 'Interactive: Recognising restrictions'"),
    (make("attended", TUTORIAL, 55), "Attended 'Group tutorial: Restrictions we see', 55 min"),
    (make("launched", QUIZ), "Started 'Interactive: Recognising restrictions'"),
    (make("initialized", FILM), "Started 'Capable environments' film"),
    (make("initialized", READING), "Started reading 'Human rights and restriction'"),
    (make("attempted", QUIZ), "Started 'Interactive: Recognising restrictions'"),
    (make("resumed", READING), "Came back to 'Human rights and restriction'"),
])
def test_learning_in_sentences(statement, expected):
    assert said(statement) == expected


def test_a_few_seconds_are_not_worth_saying():
    assert said(make("completed", FILM, result={"duration": "PT10S"})) == \
        "Watched 'Capable environments' film to the end"


def test_submitting_evidence():
    assert said(make("http://activitystrea.ms/schema/1.0/submit", TASK)) == \
        "Submitted evidence for 'Practice assessment: Case study'"
    again = make("http://activitystrea.ms/schema/1.0/submit", TASK,
                 result={"extensions": {f"{BASE}/xapi/extensions/attempt": 2}})
    assert said(again) == "Submitted evidence for 'Practice assessment: Case study' (attempt 2)"


def test_the_tutors_judgement():
    criteria = {f"{BASE}/xapi/extensions/criteria": [
        {"code": "1.1", "decision": "met"}, {"code": "1.2", "decision": "not-yet-met"},
        {"code": "1.3", "decision": "met"}]}
    assert said(make("passed", TASK, context=INSTRUCTOR, result={"success": True})) == \
        "Tutor judged 'Practice assessment: Case study': all criteria met"
    assert said(make("failed", TASK, context=INSTRUCTOR,
                     result={"success": False, "extensions": criteria})) == \
        "Tutor judged 'Practice assessment: Case study': not yet met (2 of 3 criteria met)"
    assert said(make("failed", TASK, context=INSTRUCTOR)) == \
        "Tutor judged 'Practice assessment: Case study': not yet met"


def test_passing_or_failing_without_a_tutor_is_the_contents_own_result():
    assert said(make("passed", QUIZ, result={"score": {"scaled": 0.85}})) == \
        "Passed 'Interactive: Recognising restrictions', scoring 85%"
    assert said(make("failed", QUIZ)) == "Did not pass 'Interactive: Recognising restrictions'"


def test_internal_verification_names_the_activity_of_the_decision():
    review = make("http://id.tincanapi.com/verb/reviewed", result={"success": True},
                  context={"contextActivities": {"other": [{"id": TASK}]}})
    review["object"] = {"objectType": "StatementRef", "id": "decision-id"}
    assert said(review) == ("Internal verifier agreed with the decision on "
                            "'Practice assessment: Case study'")
    review["result"]["success"] = False
    assert said(review) == ("Internal verifier asked for action on the decision on "
                            "'Practice assessment: Case study'")


@pytest.mark.parametrize("verb", ["voided", "terminated", "suspended", "exited"])
def test_voiding_and_leaving_are_left_out(verb):
    assert said(make(verb)) is None
    assert timeline([make(verb)], KNOWN) == []


def test_other_verbs_use_their_display():
    answered = make("http://adlnet.gov/expapi/verbs/answered", QUIZ)
    answered["verb"]["display"] = {"en-US": "answered"}
    assert said(answered) == "Answered 'Interactive: Recognising restrictions'"
    assert said(make("http://example.com/verbs/bookmarked", QUIZ)) == \
        "Bookmarked 'Interactive: Recognising restrictions'"


def test_an_activity_the_catalogue_does_not_know_is_named_by_its_statement():
    film = make("completed", "http://elsewhere.example/video/7", 12, definition={
        "name": {"fr": "Un film", "en-GB": "Film: Outside film"},
        "type": "https://w3id.org/xapi/video/activity-type/video"})
    assert said(film) == "Watched 'Outside film' film to the end, 12 min"
    bare = make("completed", "http://elsewhere.example/thing")
    assert said(bare) == "Completed 'http://elsewhere.example/thing'"


def test_time_on_an_activity_is_summed_into_one_line_per_run():
    statements = [
        make("initialized", FILM, at=0),
        make(VIDEO + "played", FILM, at=1),
        make(VIDEO + "paused", FILM, 5, at=6),
        make(VIDEO + "seeked", FILM, at=7),
        make(VIDEO + "paused", FILM, 7, at=14),
        make("terminated", FILM, at=15),
        make("initialized", READING, at=20),
        make("progressed", READING, 1, at=21,
             result={"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 30}}),
        make("progressed", READING, 1, at=22,
             result={"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 60}}),
        make("experienced", QUIZ, 10, at=30),
        make("progressed", QUIZ, at=31, result={"duration": "PT5S"}),
        make("progressed", TASK, at=40, result={"duration": "PT5S"}),
    ]
    lines = [entry.sentence for entry in timeline(statements, KNOWN)]
    assert lines == [
        "Worked on 'Practice assessment: Case study'",
        "Spent 10 min on 'Interactive: Recognising restrictions'",
        "Read part of 'Human rights and restriction', 2 min, up to 60%",
        "Started reading 'Human rights and restriction'",
        "Watched part of 'Capable environments' film, 12 min",
        "Started 'Capable environments' film",
    ]


def test_newest_first_whatever_order_they_came_in():
    entries = timeline([make("completed", READING, at=5), make("attended", TUTORIAL, at=50),
                        make("initialized", READING, at=1)], KNOWN)
    assert [e.sentence.split(" ")[0] for e in entries] == ["Attended", "Read", "Started"]
    assert entries[0].when == START + timedelta(minutes=50)
    assert entries[0].statement_id == "id-attended-50"


def test_a_start_recorded_twice_is_shown_once():
    twice = [make("launched", QUIZ, at=0), make("initialized", QUIZ, at=1)]
    assert [e.sentence for e in timeline(twice, KNOWN)] == [
        "Started 'Interactive: Recognising restrictions'"]
    days_apart = [make("launched", QUIZ, at=0), make("launched", QUIZ, at=60 * 24)]
    assert len(timeline(days_apart, KNOWN)) == 2


def test_the_limit_keeps_the_newest():
    many = [make("completed", READING, at=n) for n in range(10)]
    entries = timeline(many, KNOWN, limit=3)
    assert [e.when for e in entries] == [START + timedelta(minutes=n) for n in (9, 8, 7)]


@pytest.mark.parametrize(("moment", "today", "expected"), [
    (None, date(2026, 3, 16), "No learning yet"),
    (datetime(2026, 3, 16, 9, 0, tzinfo=UTC), date(2026, 3, 16), "Today"),
    (datetime(2026, 3, 15, 23, 30, tzinfo=UTC), date(2026, 3, 16), "Yesterday"),
    (datetime(2026, 3, 4, 12, 0, tzinfo=UTC), date(2026, 3, 16), "12 days ago"),
    # 23:30 UTC on 10 June is 00:30 on 11 June in London (summer time)
    (datetime(2026, 6, 10, 23, 30, tzinfo=UTC), date(2026, 6, 11), "Today"),
    (datetime(2026, 6, 10, 22, 30, tzinfo=UTC), date(2026, 6, 11), "Yesterday"),
])
def test_days_ago_in_london(moment, today, expected):
    assert days_ago(moment, today) == expected
