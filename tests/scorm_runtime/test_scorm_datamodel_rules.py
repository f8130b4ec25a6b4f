"""The server's SCORM data model rules (`activities.scorm.datamodel`): each element's access,
type, vocabulary, range and size, the collections' order, and the times."""

import pytest

from activities.scorm import datamodel
from activities.scorm.datamodel import check

OK = None


@pytest.mark.parametrize(("name", "value", "problem"), [
    # writable elements and their limits
    ("cmi.core.lesson_location", "x" * 255, OK),
    ("cmi.core.lesson_location", "x" * 256, "256 characters long; at most 255"),
    ("cmi.suspend_data", "x" * 4096, OK),
    ("cmi.suspend_data", "x" * 4097, "4097 characters long; at most 4096"),
    ("cmi.comments", "x" * 4097, "at most 4096"),
    # vocabularies
    ("cmi.core.lesson_status", "passed", OK),
    ("cmi.core.lesson_status", "browsed", OK),
    ("cmi.core.lesson_status", "not attempted", "must be one of"),
    ("cmi.core.lesson_status", "complete", "must be one of"),
    ("cmi.core.exit", "suspend", OK),
    ("cmi.core.exit", "", OK),
    ("cmi.core.exit", "normal", "must be one of"),  # a SCORM 2004 word
    ("cmi.objectives.0.status", "not attempted", OK),
    ("cmi.interactions.0.type", "likert", OK),
    ("cmi.interactions.0.type", "long-fill-in", "must be one of"),  # 2004 only
    # numbers and ranges
    ("cmi.core.score.raw", "85.5", OK),
    ("cmi.core.score.raw", "", OK),  # CMIBlank
    ("cmi.core.score.raw", "101", "between 0 and 100"),
    ("cmi.core.score.raw", "-1", "between 0 and 100"),
    ("cmi.core.score.raw", "eighty", "must be a decimal number"),
    ("cmi.core.score.raw", "1e2", "must be a decimal number"),
    ("cmi.student_preference.audio", "-1", OK),
    ("cmi.student_preference.audio", "101", "between -1 and 100"),
    ("cmi.student_preference.text", "0.5", "must be a whole number"),
    ("cmi.interactions.0.weighting", "-2.5", OK),
    ("cmi.interactions.0.result", "wrong", OK),
    ("cmi.interactions.0.result", "0.75", OK),
    ("cmi.interactions.0.result", "incorrect", "must be one of 'correct', 'wrong'"),
    # times
    ("cmi.core.session_time", "0000:01:30.50", OK),
    ("cmi.core.session_time", "12:00:00", OK),
    ("cmi.core.session_time", "PT1M30S", "must be a time span HHHH:MM:SS.SS"),
    ("cmi.core.session_time", "1:00:00", "must be a time span"),
    ("cmi.interactions.0.time", "23:59:59", OK),
    ("cmi.interactions.0.time", "24:00:00", "must be a time of day"),
    ("cmi.interactions.0.latency", "0000:00:05", OK),
    # identifiers
    ("cmi.objectives.0.id", "obj-1", OK),
    ("cmi.objectives.0.id", "a\x01b", "control characters"),
    ("cmi.interactions.0.student_response", "x" * 256, "at most 255"),
    # access
    ("cmi.core.student_id", "me", "is read-only"),
    ("cmi.core.total_time", "0000:00:00", "is read-only"),
    ("cmi.core.credit", "no-credit", "is read-only"),
    ("cmi.student_data.mastery_score", "0", "is read-only"),
    ("cmi.interactions._count", "3", "is read-only"),
    ("cmi.core._children", "x", "is read-only"),
    ("cmi.location", "x", "is not an element of the SCORM 1.2 data model"),
    ("cmi.core.nonsense", "x", "is not an element of the SCORM 1.2 data model"),
])
def test_scorm_12_elements(name, value, problem):
    found = check("1.2", name, value, {})
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("cmi.location", "x" * 1000, OK),
    ("cmi.location", "x" * 1001, "1001 characters long; at most 1000"),
    ("cmi.suspend_data", "x" * 64000, OK),
    ("cmi.suspend_data", "x" * 64001, "64001 characters long; at most 64000"),
    ("cmi.completion_status", "completed", OK),
    ("cmi.completion_status", "passed", "must be one of"),
    ("cmi.success_status", "failed", OK),
    ("cmi.exit", "normal", OK),
    ("cmi.exit", "logout", OK),
    ("cmi.exit", "quit", "must be one of"),
    ("cmi.score.scaled", "-1", OK),
    ("cmi.score.scaled", "1.0001", "between -1 and 1"),
    ("cmi.score.raw", "250", OK),  # any real
    ("cmi.progress_measure", "0.5", OK),
    ("cmi.progress_measure", "1.5", "between 0 and 1"),
    ("cmi.learner_preference.audio_level", "2.5", OK),
    ("cmi.learner_preference.audio_level", "-0.1", "at least 0"),
    ("cmi.learner_preference.audio_captioning", "1", OK),
    ("cmi.learner_preference.audio_captioning", "2", "must be one of"),
    ("cmi.learner_preference.language", "en-GB", OK),
    ("cmi.learner_preference.language", "", OK),
    ("cmi.learner_preference.language", "english please", "language code"),
    ("cmi.session_time", "PT1H2M3.45S", OK),
    ("cmi.session_time", "P1DT2H", OK),
    ("cmi.session_time", "PT", "ISO 8601 duration"),
    ("cmi.session_time", "0000:01:00", "ISO 8601 duration"),
    ("cmi.interactions.0.timestamp", "2026-11-26T14:30:00.123Z", OK),
    ("cmi.interactions.0.timestamp", "2026-13-01", "ISO 8601 time"),
    ("cmi.interactions.0.latency", "PT5S", OK),
    ("cmi.interactions.0.result", "incorrect", OK),
    ("cmi.interactions.0.result", "wrong", "must be one of 'correct', 'incorrect'"),
    ("cmi.interactions.0.description", "{lang=en}" + "x" * 250, OK),  # the tag is not counted
    ("cmi.interactions.0.description", "x" * 251, "at most 250"),
    ("cmi.interactions.0.learner_response", "a[,]b", OK),
    ("cmi.interactions.0.id", "", "must not be empty"),
    ("cmi.comments_from_learner.0.comment", "x" * 4000, OK),
    ("cmi.comments_from_learner.0.comment", "x" * 4001, "at most 4000"),
    ("adl.nav.request", "continue", OK),
    ("adl.nav.request", "{target=item_check}choice", OK),
    ("adl.nav.request", "jump somewhere", "navigation request"),
    ("cmi.completion_threshold", "0.5", "is read-only"),
    ("cmi.scaled_passing_score", "0.5", "is read-only"),
    ("cmi.entry", "resume", "is read-only"),
    ("cmi.mode", "normal", "is read-only"),
    ("cmi.learner_name", "x", "is read-only"),
    ("cmi.comments_from_lms.0.comment", "x", "is read-only"),
    ("cmi._version", "1.0", "is read-only"),
    ("cmi.core.lesson_status", "passed", "is not an element of the SCORM 2004 data model"),
])
def test_scorm_2004_elements(name, value, problem):
    found = check("2004", name, value, {"cmi.interactions.0.id": "q1"})
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_values_must_be_strings_and_names_non_empty():
    assert "must be a string" in check("1.2", "cmi.suspend_data", 5, {})
    assert "must be a string" in check("2004", "cmi.score.scaled", None, {})
    assert "non-empty string" in check("2004", "", "x", {})
    assert "NUL" in check("2004", "cmi.suspend_data", "a\x00b", {})


def test_collections_grow_one_entry_at_a_time():
    cmi = {"cmi.interactions.0.id": "q1"}
    assert check("1.2", "cmi.interactions.1.id", "q2", cmi) is None
    assert check("1.2", "cmi.interactions.0.result", "correct", cmi) is None
    problem = check("1.2", "cmi.interactions.2.id", "q3", cmi)
    assert "index 2 skips entries" in problem and "cmi.interactions.1" in problem
    problem = check("1.2", "cmi.interactions.0.objectives.1.id", "o", cmi)
    assert "cmi.interactions.0.objectives has 0" in problem


def test_a_new_scorm_2004_entry_starts_with_its_id():
    cmi = {"cmi.objectives.0.id": "obj"}
    problem = check("2004", "cmi.objectives.1.score.scaled", "0.5", cmi)
    assert "set cmi.objectives.1.id before its other elements" in problem
    assert check("2004", "cmi.objectives.0.score.scaled", "0.5", cmi) is None
    assert check("2004", "cmi.objectives.1.id", "obj2", cmi) is None
    # SCORM 1.2 has no such rule
    assert check("1.2", "cmi.objectives.0.status", "passed", {}) is None


def test_leading_zeros_are_not_indexes():
    assert "is not an element" in check("2004", "cmi.interactions.01.id", "q", {})


def test_collections_are_capped(monkeypatch):
    monkeypatch.setattr(datamodel, "COLLECTION_LIMIT", 2)
    cmi = {"cmi.interactions.0.id": "a", "cmi.interactions.1.id": "b"}
    assert "already holds 2 entries" in check("2004", "cmi.interactions.2.id", "c", cmi)


@pytest.mark.parametrize(("value", "seconds"), [
    ("0000:00:00", 0), ("00:01:30.5", 90.5), ("0001:00:00.25", 3600.25), ("9999:59:59.99", None),
    ("1:00:00", None), ("", None)])
def test_scorm_12_time_spans(value, seconds):
    found = datamodel.timespan_seconds(value)
    if value == "9999:59:59.99":
        assert found == pytest.approx(9999 * 3600 + 59 * 60 + 59.99)
    else:
        assert found == (None if seconds is None else pytest.approx(seconds))


@pytest.mark.parametrize(("value", "seconds"), [
    ("PT0S", 0), ("PT1H2M3.5S", 3723.5), ("P1D", 86400), ("P1DT1S", 86401),
    ("P1Y", 365 * 86400), ("P1M", 30 * 86400), ("PT", None), ("P", None), ("PT1H2", None),
    ("1H", None)])
def test_scorm_2004_intervals(value, seconds):
    assert datamodel.interval_seconds(value) == (None if seconds is None
                                                 else pytest.approx(seconds))


@pytest.mark.parametrize(("seconds", "timespan", "interval"), [
    (0, "0000:00:00.00", "PT0S"),
    (90.5, "0000:01:30.50", "PT1M30.5S"),
    (3723.25, "0001:02:03.25", "PT1H2M3.25S"),
    (36000000, "9999:59:59.99", "PT10000H"),
])
def test_total_times_are_written_in_each_versions_format(seconds, timespan, interval):
    assert datamodel.format_total_time("1.2", seconds) == timespan
    assert datamodel.format_total_time("2004", seconds) == interval
