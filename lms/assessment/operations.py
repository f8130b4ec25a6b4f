"""Submitting evidence: the checks, the files, the submission row and its `submitted`
statement, all or nothing.

Unlike most operations this one commits: the LRS writes on its own connection, so the rows
are committed before the statement is recorded, and taken back if it is not (see
`lms.assessment.statements.record_step`).
"""

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lms.assessment import evidence, rules
from lms.assessment.models import EvidenceFile, Submission
from lms.assessment.statements import record_step, submitted_statement
from lms.delivery.operations import activity_type, checked_config
from lms.errors import Conflict, Forbidden, InvalidInput
from lms.extensions import db
from lms.timeutil import utcnow

NOTE_MAX = 5000


def assessment_type(activity):
    """The activity's type, if it is assessed (takes evidence); else 409."""
    kind = activity_type(activity)
    if not kind.assessed:
        raise Conflict(f"Activity {activity.slug!r} is a {kind.title.lower()}: it takes no "
                       "evidence (only practice assessments do).")
    return kind


def submissions_of(enrolment, activity=None) -> list[Submission]:
    """An enrolment's submissions (for one activity, when given), oldest first."""
    statement = db.select(Submission).where(Submission.enrolment_id == enrolment.id)
    if activity is not None:
        statement = statement.where(Submission.activity_id == activity.id)
    return list(db.session.execute(
        statement.order_by(Submission.activity_id, Submission.attempt)).scalars())


def standing(enrolment, activity) -> dict:
    """Where the learner stands on a practice assessment: the criteria and evidence it asks
    for, which attempt they may submit next and when it is due, or why they may not submit
    now; with their submissions so far (oldest first)."""
    config = checked_config(assessment_type(activity), activity)
    previous = submissions_of(enrolment, activity)
    by_code = {c.code: c for c in activity.unit.criteria}
    attempt = due = None
    reason = ""
    if enrolment.status != "active":
        reason = f"Enrolment {enrolment.id} is {enrolment.status}: evidence cannot be submitted."
    else:
        try:
            attempt = rules.next_attempt(previous)
        except Conflict as exc:
            reason = exc.detail
        else:
            due = rules.due_date(enrolment, config) if attempt == 1 else \
                rules.resubmission_due(enrolment, previous[0].assessed_at)
    return {"activity": activity, "enrolment": enrolment,
            "criteria": [by_code[code] for code in config["criteria"] if code in by_code],
            "evidence": config["evidence"], "may_submit": attempt is not None,
            "next_attempt": attempt, "due_date": due, "reason": reason,
            "submissions": previous}


def _check_form(learner, declaration: str | None, signed_name: str | None, note: str | None,
                uploads: list) -> None:
    if not declaration:
        raise InvalidInput.field(
            "declaration", "sign the authenticity declaration: send its text exactly as "
                           "GET /api/v1/assessment/declaration gives it")
    if not rules.declaration_signed(declaration):
        raise InvalidInput.field(
            "declaration", "is not the authenticity declaration: send its text exactly as "
                           "GET /api/v1/assessment/declaration gives it")
    if not signed_name or not signed_name.strip():
        raise InvalidInput.field("signed_name", "sign the declaration with your name")
    if not rules.signed_by(learner, signed_name):
        raise InvalidInput.field("signed_name", f"sign with your name as on your account "
                                                f"({learner.name!r})")
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput.field("note", f"is longer than {NOTE_MAX} characters")
    if not uploads:
        raise InvalidInput.field("files", "send at least one evidence file")
    most = current_app.config["EVIDENCE_MAX_FILES"]
    if len(uploads) > most:
        raise InvalidInput.field("files", f"send at most {most} files in one submission, "
                                          f"not {len(uploads)}")


def submit(learner, enrolment, activity, *, declaration: str | None, signed_name: str | None,
           note: str | None, uploads: list) -> Submission:
    """The learner submits evidence for a practice assessment. Only the enrolled learner,
    while the enrolment is active; one submission awaiting a decision at a time; one
    resubmission (see `rules.next_attempt`). Stores the files and the submission and records
    `submitted`; when anything is refused, nothing is stored."""
    if enrolment.learner_id != learner.id:
        raise Forbidden("Only the enrolled learner can submit evidence for their activities.")
    if enrolment.status != "active":
        raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: evidence cannot be "
                       "submitted.")
    config = checked_config(assessment_type(activity), activity)
    _check_form(learner, declaration, signed_name, note, uploads)
    evidence.check_names(uploads)  # a refused type is refused before anything is written
    previous = submissions_of(enrolment, activity)
    attempt = rules.next_attempt(previous)
    due = rules.due_date(enrolment, config) if attempt == 1 else \
        rules.resubmission_due(enrolment, previous[0].assessed_at)
    submitted_at = utcnow()

    stored = evidence.store_uploads(uploads)
    paths = [evidence.path_of(upload.stored_name) for upload in stored]
    try:
        submission = Submission(
            enrolment=enrolment, activity=activity, attempt=attempt,
            declaration=rules.DECLARATION, signed_name=signed_name.strip(),
            note=(note or "").strip(), submitted_at=submitted_at, due_date=due,
            on_time=rules.on_time(submitted_at, due),
            files=[EvidenceFile(filename=u.filename, stored_name=u.stored_name,
                                content_type=u.content_type, size=u.size, sha256=u.sha256)
                   for u in stored])
        db.session.add(submission)
        statement = submitted_statement(submission)
        submission.statement_id = statement["id"]
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        evidence.remove_files(paths)
        raise Conflict("Another submission for this activity was made at the same moment; "
                       "reload and check your submissions.") from exc
    except BaseException:
        db.session.rollback()
        evidence.remove_files(paths)
        raise

    submission_id = submission.id

    def undo():
        db.session.execute(delete(EvidenceFile).where(
            EvidenceFile.submission_id == submission_id))
        db.session.execute(delete(Submission).where(Submission.id == submission_id))
        evidence.remove_files(paths)

    record_step([statement], undo)
    return submission
