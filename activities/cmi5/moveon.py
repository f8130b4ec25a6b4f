"""moveOn: when an AU, a block and the course are satisfied (pure rules, no database).

An AU is satisfied when its moveOn criterion is met by the cmi5 defined statements of
Normal launches in the registration (a `completed` in one session and a `passed` in another
meet CompletedAndPassed), when it was waived, or at once when its moveOn is NotApplicable.
A block is satisfied when every AU in it (nested blocks included) is; the course when every
AU is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuFacts:
    """What the registration's sessions of one AU have recorded."""

    completed: bool = False
    passed: bool = False
    waived: bool = False


def au_satisfied(move_on: str, facts: AuFacts) -> bool:
    """Whether an AU with criterion `move_on` is satisfied by `facts`."""
    if facts.waived or move_on == "NotApplicable":
        return True
    if move_on == "Passed":
        return facts.passed
    if move_on == "Completed":
        return facts.completed
    if move_on == "CompletedAndPassed":
        return facts.completed and facts.passed
    if move_on == "CompletedOrPassed":
        return facts.completed or facts.passed
    return False


@dataclass(frozen=True)
class Satisfaction:
    """What is satisfied now: AU indexes, block indexes (innermost blocks first) and
    whether the course is."""

    aus: frozenset[int]
    blocks: tuple[int, ...]
    course: bool


def satisfied_now(manifest: dict, facts: dict[str, AuFacts]) -> Satisfaction:
    """Everything satisfied under a course structure (`ContentPackage.manifest` of a cmi5
    course), given the facts of each AU by its LMS id (absent: nothing recorded)."""
    aus = frozenset(au["index"] for au in manifest["aus"]
                    if au_satisfied(au["move_on"], facts.get(au["lms_id"], AuFacts())))
    # Blocks are listed outermost first; reversed, a nested block comes before its parent.
    blocks = tuple(block["index"] for block in reversed(manifest["blocks"])
                   if block["aus"] and set(block["aus"]) <= aus)
    return Satisfaction(aus, blocks, len(aus) == len(manifest["aus"]))
