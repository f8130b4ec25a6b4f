"""moveOn, as a table: when an AU is satisfied, and which blocks and whether the course are
(pure rules)."""

from __future__ import annotations

import pytest

from activities.cmi5.moveon import AuFacts, au_satisfied, satisfied_now

NOTHING = AuFacts()
COMPLETED = AuFacts(completed=True)
PASSED = AuFacts(passed=True)
BOTH = AuFacts(completed=True, passed=True)
WAIVED = AuFacts(waived=True)


@pytest.mark.parametrize(("move_on", "facts", "satisfied"), [
    ("NotApplicable", NOTHING, True),
    ("Passed", NOTHING, False),
    ("Passed", COMPLETED, False),
    ("Passed", PASSED, True),
    ("Completed", NOTHING, False),
    ("Completed", PASSED, False),
    ("Completed", COMPLETED, True),
    ("CompletedAndPassed", COMPLETED, False),
    ("CompletedAndPassed", PASSED, False),
    ("CompletedAndPassed", BOTH, True),
    ("CompletedOrPassed", NOTHING, False),
    ("CompletedOrPassed", COMPLETED, True),
    ("CompletedOrPassed", PASSED, True),
    ("Passed", WAIVED, True),
    ("CompletedAndPassed", WAIVED, True),
    ("Something else", BOTH, False),
])
def test_when_an_au_is_satisfied(move_on, facts, satisfied):
    assert au_satisfied(move_on, facts) is satisfied


def manifest():
    """A course: AU 0 (Completed) outside blocks; block 0 holds AU 1 (Passed) and block 1,
    which holds AU 2 (NotApplicable) and AU 3 (CompletedAndPassed)."""
    aus = [{"index": i, "lms_id": f"au{i}", "move_on": move_on} for i, move_on in
           enumerate(["Completed", "Passed", "NotApplicable", "CompletedAndPassed"])]
    blocks = [{"index": 0, "lms_id": "b0", "aus": [1, 2, 3]},
              {"index": 1, "lms_id": "b1", "aus": [2, 3]}]
    return {"aus": aus, "blocks": blocks}


@pytest.mark.parametrize(("facts", "aus", "blocks", "course"), [
    ({}, {2}, (), False),
    ({"au3": BOTH}, {2, 3}, (1,), False),
    ({"au3": BOTH, "au1": PASSED}, {1, 2, 3}, (1, 0), False),
    ({"au3": BOTH, "au1": PASSED, "au0": COMPLETED}, {0, 1, 2, 3}, (1, 0), True),
    ({"au0": COMPLETED, "au1": WAIVED, "au3": COMPLETED}, {0, 1, 2}, (), False),
    ({"au0": WAIVED, "au1": WAIVED, "au3": WAIVED}, {0, 1, 2, 3}, (1, 0), True),
])
def test_blocks_and_the_course(facts, aus, blocks, course):
    found = satisfied_now(manifest(), facts)
    assert found.aus == frozenset(aus)
    assert found.blocks == blocks  # nested blocks before the blocks holding them
    assert found.course is course
