"""A tutor's decision on a submission (per criterion, final for the attempt) and an internal
verifier's check of a decision, each recorded as an xAPI statement, all or nothing.

Like submitting, these commit (the LRS writes on its own connection): the rows first, the
statement next, the rows taken back if the statement is not stored.
"""

from sqlalchemy import delete, update

from lms.assessment.models import CriterionDecision, Submission, Verification
from lms.assessment.operations import assessment_type
from lms.assessment.rules import london_day
from lms.assessment.statements import decision_statement, record_step, verification_statement
from lms.assessment.visibility import check_may_decide, check_may_verify
from lms.catalogue.models import Criterion
from lms.delivery.operations import checked_config
from lms.errors import Conflict, InvalidInput
from lms.extensions import db
from lms.timeutil import utcnow


def _criteria_problems(expected: list[str], given: list[dict]) -> list[dict]:
    """What is wrong with the criteria of a decision: codes repeated, unknown or missing, and
    "not yet met" without feedback; as problem+json `errors`."""
    problems = []
    codes = [item["code"] for item in given]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        problems.append({"field": "criteria", "detail": f"each criterion once: {repeated} "
                                                         "appear more than once"})
    unknown = [code for code in dict.fromkeys(codes) if code not in expected]
    if unknown:
        problems.append({"field": "criteria", "detail": f"{unknown} are not criteria of this "
                                                         f"assessment (its criteria: {expected})"})
    missing = [code for code in expected if code not in codes]
    if missing:
        problems.append({"field": "criteria", "detail": f"no decision given for {missing}; "
                                                         "decide on every criterion"})
    for position, item in enumerate(given):
        if item["decision"] == "not-yet-met" and not item.get("feedback", "").strip():
            problems.append({"field": f"criteria[{position}].feedback",
                             "detail": f"say what is still needed for criterion {item['code']}"})
    return problems


def decide(assessor, submission: Submission, criteria: list[dict], feedback: str) -> Submission:
    """Record the assessor's decision on every criterion of the submission's activity. The
    outcome is "met" only when every criterion is met. Only the learner's tutor or an
    administrator; once made, final for the attempt."""
    check_may_decide(assessor, submission)
    if submission.outcome is not None:
        raise Conflict(f"Attempt {submission.attempt} was already decided "
                       f"({submission.outcome}) on {london_day(submission.assessed_at)}: a "
                       "decision is final.")
    activity = submission.activity
    expected = list(checked_config(assessment_type(activity), activity)["criteria"])
    problems = _criteria_problems(expected, criteria)
    if problems:
        raise InvalidInput("; ".join(f"{p['field']}: {p['detail']}" for p in problems),
                           errors=problems)
    rows = {c.code: c for c in db.session.execute(db.select(Criterion).where(
        Criterion.unit_id == activity.unit_id, Criterion.code.in_(expected))).scalars()}
    if set(rows) != set(expected):
        raise Conflict(f"The catalogue lists criteria {sorted(set(expected) - set(rows))} for "
                       f"activity {activity.slug!r} that its unit does not have.")

    by_code = {item["code"]: item for item in criteria}
    outcome = "met" if all(item["decision"] == "met" for item in criteria) else "not-yet-met"
    submission_id, assessed_at = submission.id, utcnow()
    # Claim the decision in one conditional update, so two tutors deciding at once cannot
    # both succeed.
    claimed = db.session.execute(
        update(Submission).where(Submission.id == submission_id, Submission.outcome.is_(None))
        .values(outcome=outcome, feedback=(feedback or "").strip(), assessor_id=assessor.id,
                assessed_at=assessed_at).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict("This submission was decided a moment ago by someone else: a decision "
                       "is final.")
    db.session.add_all(CriterionDecision(
        submission_id=submission_id, criterion_id=rows[code].id,
        decision=by_code[code]["decision"], feedback=by_code[code].get("feedback", "").strip())
        for code in expected)
    db.session.flush()
    db.session.refresh(submission)
    statement = decision_statement(submission, [
        {"code": code, "decision": by_code[code]["decision"]} for code in expected])
    submission.decision_statement_id = statement["id"]
    db.session.commit()

    def undo():
        db.session.execute(delete(CriterionDecision).where(
            CriterionDecision.submission_id == submission_id))
        db.session.execute(update(Submission).where(Submission.id == submission_id).values(
            outcome=None, feedback="", assessor_id=None, assessed_at=None,
            decision_statement_id=None))

    record_step([statement], undo)
    return submission


def verify(verifier, submission: Submission, outcome: str, comment: str) -> Verification:
    """Record an internal verifier's check of a decision: "agreed" or "action-required" (with
    a comment saying what). Not by the assessor, nor on one's own submission."""
    if submission.outcome is None:
        raise Conflict(f"Submission {submission.id} is awaiting a decision: there is nothing "
                       "to verify yet.")
    if submission.decision_statement_id is None:
        raise Conflict(f"Submission {submission.id}'s decision is not in the learning record, "
                       "so it cannot be verified here.")
    check_may_verify(verifier, submission)
    comment = (comment or "").strip()
    if outcome == "action-required" and not comment:
        raise InvalidInput.field("comment", "say what action is required")
    verification = Verification(submission=submission, verifier=verifier, outcome=outcome,
                                comment=comment, created_at=utcnow())
    db.session.add(verification)
    db.session.flush()
    statement = verification_statement(verification)
    verification.statement_id = statement["id"]
    db.session.commit()
    verification_id = verification.id

    def undo():
        db.session.execute(delete(Verification).where(Verification.id == verification_id))

    record_step([statement], undo)
    return verification
