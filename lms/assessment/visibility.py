"""Who may see, decide on and verify submissions.

- See: the learner (their own), their tutor, their organisation's manager, administrators;
  and internal verifiers (role `verifier`) once a submission is decided, to verify it. Other
  tutors never see a learner who is not theirs.
- Decide: the enrolment's tutor or an administrator (never on one's own learning).
- Verify: an internal verifier or an administrator who is neither the assessor nor the
  learner.
"""

from sqlalchemy import or_

from lms.assessment.models import Submission
from lms.enrolment.models import Enrolment
from lms.enrolment.operations import visible_enrolments
from lms.errors import Forbidden, NotFound
from lms.extensions import db


def visible_submissions(viewer):
    """A select of the submissions `viewer` may read."""
    statement = db.select(Submission)
    if "admin" in viewer.role_names:
        return statement
    enrolments = visible_enrolments(viewer).with_only_columns(Enrolment.id)
    allowed = [Submission.enrolment_id.in_(enrolments)]
    if "verifier" in viewer.role_names:
        allowed.append(Submission.outcome.is_not(None))
    return statement.where(or_(*allowed))


def submission_for(viewer, submission_id: int) -> Submission:
    """Submission `submission_id` if `viewer` may read it, else 404."""
    found = db.session.execute(visible_submissions(viewer).where(
        Submission.id == submission_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"submission: there is no submission {submission_id} that you can see.")
    return found


def submission_by_id(submission_id: int) -> Submission:
    """Submission `submission_id`, or 404 (for staff actions, checked afterwards)."""
    found = db.session.get(Submission, submission_id)
    if found is None:
        raise NotFound(f"submission: there is no submission {submission_id}.")
    return found


def check_may_decide(user, submission: Submission) -> None:
    """Raise Forbidden unless `user` is the learner's tutor or an administrator."""
    enrolment = submission.enrolment
    if enrolment.learner_id == user.id:
        raise Forbidden("You cannot decide on your own submission.")
    if enrolment.tutor_id != user.id and "admin" not in user.role_names:
        raise Forbidden(
            f"You are not the tutor of {enrolment.learner.name} on this enrolment: only their "
            "tutor or an administrator may decide on their submissions.")


def may_verify(user) -> bool:
    """Whether `user` does internal verification: an internal verifier or an administrator."""
    return bool({"verifier", "admin"} & user.role_names)


def check_may_verify(user, submission: Submission) -> None:
    """Raise Forbidden unless `user` is an internal verifier or an administrator, and neither
    made the decision nor is the learner."""
    if not may_verify(user):
        raise Forbidden("Only an internal verifier or an administrator may verify decisions.")
    if submission.assessor_id == user.id:
        raise Forbidden("You made this decision: internal verification must be done by "
                        "another internal verifier or an administrator.")
    if submission.enrolment.learner_id == user.id:
        raise Forbidden("You cannot verify a decision on your own submission.")


def check_may_export(user, enrolment: Enrolment) -> None:
    """Raise Forbidden unless `user` is the learner, their tutor or an administrator."""
    if user.id in (enrolment.learner_id, enrolment.tutor_id) or "admin" in user.role_names:
        return
    raise Forbidden("Only the learner, their tutor or an administrator may export evidence.")
