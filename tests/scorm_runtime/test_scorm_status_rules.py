"""How the server derives a SCO's statuses (SCORM 1.2 lesson_status with the mastery score
and LMSFinish; SCORM 2004 completion and success from thresholds), keeps what the learner
achieved within an attempt, and rolls the SCOs up into the package's standing."""

import pytest

from activities.scorm.runtime import (
    Status,
    derive,
    derive_12,
    derive_2004,
    keep_done,
    lesson_status_12,
    package_rollup,
)


@pytest.mark.parametrize(("set_status", "raw", "mastery", "finishing", "expected"), [
    # the SCO's own status when there is no mastery score
    (None, None, None, False, "not attempted"),
    ("incomplete", None, None, False, "incomplete"),
    ("passed", None, None, False, "passed"),
    ("browsed", "50", None, False, "browsed"),
    # LMSFinish with nothing set: the LMS says completed (RTE 3.4.4)
    (None, None, None, True, "completed"),
    (None, "40", None, True, "completed"),
    ("incomplete", None, None, True, "incomplete"),
    # a mastery score and a raw score: the LMS decides passed/failed, whatever the SCO said
    ("completed", "80", 80, False, "passed"),
    ("completed", "79.5", 80, False, "failed"),
    ("passed", "10", 80, False, "failed"),
    ("incomplete", "95", 80, True, "passed"),
    (None, "95", 80, False, "passed"),
    # a mastery score without a raw score: the SCO's status
    ("completed", None, 80, False, "completed"),
    ("completed", "", 80, False, "completed"),
    (None, None, 80, True, "completed"),
])
def test_scorm_12_lesson_status(set_status, raw, mastery, finishing, expected):
    cmi = {}
    if set_status:
        cmi["cmi.core.lesson_status"] = set_status
    if raw is not None:
        cmi["cmi.core.score.raw"] = raw
    data = {} if mastery is None else {"mastery_score": mastery}
    assert derive_12(cmi, data, finishing) == expected


def test_scorm_12_no_credit_keeps_the_scos_status():
    cmi = {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "10"}
    assert derive_12(cmi, {"mastery_score": 80}, False, credit=False) == "completed"


@pytest.mark.parametrize(("values", "data", "expected"), [
    # no thresholds: what the SCO said, "unknown" when it said nothing
    ({}, {}, ("unknown", "unknown")),
    ({"cmi.completion_status": "completed", "cmi.success_status": "passed"}, {},
     ("completed", "passed")),
    ({"cmi.completion_status": "incomplete", "cmi.progress_measure": "1"}, {},
     ("incomplete", "unknown")),
    # a completion threshold: progress_measure decides
    ({"cmi.progress_measure": "0.8"}, {"completion_threshold": 0.8}, ("completed", "unknown")),
    ({"cmi.progress_measure": "0.79", "cmi.completion_status": "completed"},
     {"completion_threshold": 0.8}, ("incomplete", "unknown")),
    # ... and without a measure the status is unknown, whatever the SCO said (RTE 4.2.4.1)
    ({"cmi.completion_status": "completed"}, {"completion_threshold": 0.8},
     ("unknown", "unknown")),
    # completedByMeasure="false": the threshold does not decide
    ({"cmi.completion_status": "completed", "cmi.progress_measure": "0.1"},
     {"completion_threshold": 0.8, "completed_by_measure": False}, ("completed", "unknown")),
    # 4th edition: minProgressMeasure alone (completedByMeasure defaults to false) decides
    # nothing either; with completedByMeasure="true" it does
    ({"cmi.completion_status": "completed"},
     {"completion_threshold": 0.8, "min_progress_measure": 0.8}, ("completed", "unknown")),
    ({"cmi.completion_status": "completed", "cmi.progress_measure": "0.5"},
     {"completion_threshold": 0.8, "min_progress_measure": 0.8, "completed_by_measure": True},
     ("incomplete", "unknown")),
    # a scaled passing score: score.scaled decides
    ({"cmi.score.scaled": "0.7"}, {"scaled_passing_score": 0.7}, ("unknown", "passed")),
    ({"cmi.score.scaled": "0.69", "cmi.success_status": "passed"},
     {"scaled_passing_score": 0.7}, ("unknown", "failed")),
    ({"cmi.success_status": "passed"}, {"scaled_passing_score": 0.7}, ("unknown", "unknown")),
    ({"cmi.score.scaled": "-0.5"}, {"scaled_passing_score": -0.6}, ("unknown", "passed")),
])
def test_scorm_2004_statuses(values, data, expected):
    assert derive_2004(values, data) == expected


@pytest.mark.parametrize(("previous", "new", "kept"), [
    (("completed", "unknown"), ("incomplete", "unknown"), ("completed", "unknown")),
    (("completed", "passed"), ("unknown", "failed"), ("completed", "passed")),
    (("incomplete", "failed"), ("incomplete", "unknown"), ("incomplete", "failed")),
    (("incomplete", "failed"), ("completed", "passed"), ("completed", "passed")),
    (("incomplete", "unknown"), ("not attempted", "unknown"), ("not attempted", "unknown")),
])
def test_what_the_learner_achieved_stays_within_the_attempt(previous, new, kept):
    assert keep_done(Status(*previous), *new) == kept


def test_a_relaunched_scorm_12_sco_reporting_incomplete_stays_passed():
    previous = Status("completed", "passed", 0.9, 90)
    status, lms_set = derive("1.2", {"cmi.core.lesson_status": "incomplete"}, {}, previous,
                             finishing=False)
    assert (status.completion, status.success) == ("completed", "passed")
    assert lesson_status_12(status) == "passed"
    assert lms_set == {}


def test_the_lms_writes_the_status_it_decides_into_the_data():
    status, lms_set = derive("1.2", {"cmi.core.score.raw": "85"}, {"mastery_score": 80},
                             Status(), finishing=False)
    assert lms_set == {"cmi.core.lesson_status": "passed"}
    assert (status.score_raw, status.score_scaled) == (85, 0.85)
    _, lms_set = derive("1.2", {}, {}, Status(), finishing=True)
    assert lms_set == {"cmi.core.lesson_status": "completed"}


@pytest.mark.parametrize(("status", "lesson_status"), [
    (Status("not attempted", "unknown"), "not attempted"),
    (Status("incomplete", "unknown"), "incomplete"),
    (Status("completed", "unknown"), "completed"),
    (Status("completed", "passed"), "passed"),
    (Status("completed", "failed"), "failed"),
    (Status("browsed", "unknown"), "browsed"),
    (Status("unknown", "unknown"), "incomplete"),
])
def test_scorm_12_lesson_status_of_a_standing(status, lesson_status):
    assert lesson_status_12(status) == lesson_status


DONE = Status("completed", "unknown")
PASSED = Status("completed", "passed")
FAILED = Status("completed", "failed")
BUSY = Status("incomplete", "unknown")
UNTOUCHED = Status()


@pytest.mark.parametrize(("statuses", "standing"), [
    ([], None),
    ([UNTOUCHED], None),
    ([BUSY], None),
    ([DONE], "completed"),
    ([PASSED], "passed"),
    ([FAILED], "failed"),
    ([DONE, BUSY], None),
    ([DONE, DONE], "completed"),
    ([DONE, PASSED], "passed"),
    ([PASSED, FAILED], "failed"),
    ([BUSY, FAILED], "failed"),
    ([Status("incomplete", "passed"), DONE], "passed"),  # passed counts as done
])
def test_the_package_rolls_up_from_its_scos(statuses, standing):
    assert package_rollup(statuses) == standing


@pytest.mark.parametrize(("raw", "low", "high", "scaled"), [
    (85, None, None, 0.85),    # SCORM 1.2's 0..100 by default
    (8, 0, 10, 0.8),           # within the SCO's own range
    (15, 10, 20, 0.5),
    (85, 0, None, 0.85),       # one bound only: a percentage
    (5, 10, 10, 0.05),         # an empty range: a percentage
])
def test_a_scorm_12_raw_score_as_a_scaled_score(raw, low, high, scaled):
    from activities.scorm.runtime import scaled_12

    assert scaled_12(raw, low, high) == pytest.approx(scaled)
