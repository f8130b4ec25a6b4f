"""A risk-based sample of assessors' decisions for internal verification.

The rule (`propose_sample`):
1. Candidates: decided submissions that nobody has verified yet, leaving out the caller's own
   decisions and the caller's own learning.
2. They are grouped by (assessor, unit), so the sample spreads across assessors and units.
3. Groups are taken in order of risk: assessors with fewer decisions so far ("newer
   assessors") first; then groups holding a "not yet met" decision; then by unit number.
4. Inside a group: "not yet met" decisions first (they stop a learner), then the oldest
   decision first.
5. Round-robin: the first of every group in that order, then the second of every group, and
   so on, until the sample has `size` submissions.
"""

from collections import defaultdict
from itertools import zip_longest

from sqlalchemy import func, or_

from lms.assessment.models import Submission, Verification
from lms.catalogue.models import Activity, Unit
from lms.enrolment.models import Enrolment
from lms.extensions import db

RULE = ("Decided, not yet verified submissions (never your own decisions), grouped by "
        "(assessor, unit); groups of newer assessors (fewer decisions) first, then groups "
        "with a 'not-yet-met' decision, then by unit; inside a group 'not-yet-met' first, then "
        "the oldest decision; taken round-robin, one from each group in turn.")


def _candidates(caller) -> list[tuple[Submission, Unit]]:
    verified = db.select(Verification.submission_id)
    return list(db.session.execute(
        db.select(Submission, Unit)
        .join(Activity, Submission.activity_id == Activity.id)
        .join(Unit, Activity.unit_id == Unit.id)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .where(Submission.outcome.is_not(None), Submission.id.not_in(verified),
               or_(Submission.assessor_id.is_(None), Submission.assessor_id != caller.id),
               Enrolment.learner_id != caller.id)).all())


def _decisions_made(assessor_ids) -> dict:
    return dict(db.session.execute(
        db.select(Submission.assessor_id, func.count())
        .where(Submission.assessor_id.in_([a for a in assessor_ids if a is not None]))
        .group_by(Submission.assessor_id)).all())


def propose_sample(caller, size: int) -> list[Submission]:
    """Up to `size` submissions to verify, by the rule in this module's docstring."""
    groups: dict[tuple, list[Submission]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for submission, unit in _candidates(caller):
        groups[(submission.assessor_id, unit.id)].append(submission)
        units[unit.id] = unit
    made = _decisions_made({assessor for assessor, _ in groups})

    def not_yet_met_first(submission: Submission):
        return (submission.outcome != "not-yet-met", submission.assessed_at, submission.id)

    def risk(key):
        assessor, unit_id = key
        return (made.get(assessor, 0),
                not any(s.outcome == "not-yet-met" for s in groups[key]),
                units[unit_id].number, assessor or 0)

    ordered = [sorted(groups[key], key=not_yet_met_first) for key in sorted(groups, key=risk)]
    sample = [s for turn in zip_longest(*ordered) for s in turn if s is not None]
    return sample[:size]
