"""The xAPI statements of practice assessment, and recording a step all or nothing.

- a submission: the learner `submitted` the activity, with the evidence files (name, size,
  sha256) and the attempt in result extensions;
- a decision: the learner `passed` (every criterion met) or `failed` (not yet met) the
  activity, the assessor as `context.instructor`, the decision per criterion in a result
  extension and a StatementRef to the submission as `context.statement`;
- a verification: the verifier `reviewed` the decision statement (a StatementRef),
  `result.success` true when they agreed.

All are recorded with Pathway as authority (trusted), in the learner's registration, with the
unit as parent and the qualification as grouping. Extension IRIs hang from the site's
BASE_URL: `{BASE_URL}/xapi/extensions/attempt`, `.../evidence`, `.../criteria`.
"""

import logging
import uuid
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select
from tincan import (
    Activity,
    Context,
    ContextActivities,
    LanguageMap,
    Result,
    Statement,
    StatementRef,
    Verb,
)

from lms.catalogue.iris import activity_iri, qualification_iri, unit_iri
from lms.extensions import db
from lms.progress.record import (
    FAILED,
    PASSED,
    activity_statement,
    learner_agent,
    record_statements,
)

log = logging.getLogger(__name__)

SUBMITTED = Verb(id="http://activitystrea.ms/schema/1.0/submit",
                 display=LanguageMap({"en-GB": "submitted"}))
REVIEWED = Verb(id="http://id.tincanapi.com/verb/reviewed",
                display=LanguageMap({"en-GB": "reviewed"}))


def extension(name: str) -> str:
    """The IRI of one of Pathway's xAPI extensions."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/xapi/extensions/{name}"


def submitted_statement(submission) -> dict:
    """The learner submitted evidence for the activity (attempt, files and their sha256)."""
    files = [{"name": f.filename, "size": f.size, "sha256": f.sha256} for f in submission.files]
    result = Result(extensions={extension("attempt"): submission.attempt,
                                extension("evidence"): files})
    statement = activity_statement(submission.enrolment, submission.activity, SUBMITTED,
                                   submission.submitted_at, result)
    statement["id"] = str(uuid.uuid4())
    return statement


def decision_statement(submission, decisions: list[dict]) -> dict:
    """The assessor's decision: `passed` when every criterion is met, else `failed`."""
    met = submission.outcome == "met"
    result = Result(success=met, completion=True if met else None,
                    extensions={extension("attempt"): submission.attempt,
                                extension("criteria"): decisions})
    statement = activity_statement(submission.enrolment, submission.activity,
                                   PASSED if met else FAILED, submission.assessed_at, result,
                                   instructor=submission.assessor)
    if submission.statement_id:
        statement["context"]["statement"] = {"objectType": "StatementRef",
                                             "id": submission.statement_id}
    statement["id"] = str(uuid.uuid4())
    return statement


def verification_statement(verification) -> dict:
    """The internal verifier reviewed the decision statement; success when they agreed."""
    submission = verification.submission
    activity = submission.activity
    unit = activity.unit
    statement = Statement(
        id=str(uuid.uuid4()), actor=learner_agent(verification.verifier), verb=REVIEWED,
        object=StatementRef(id=submission.decision_statement_id),
        result=Result(success=verification.outcome == "agreed"),
        context=Context(
            registration=submission.enrolment.registration,
            context_activities=ContextActivities(
                parent=[Activity(id=unit_iri(unit))],
                grouping=[Activity(id=qualification_iri(unit.qualification))],
                other=[Activity(id=activity_iri(activity))])),
        timestamp=verification.created_at)
    return statement.as_version("1.0.3")


def _stored(statement_id: str) -> bool:
    from xapi.models import statements

    engine = current_app.extensions["xapi"].engine
    with engine.connect() as connection:
        return connection.execute(select(statements.c.id).where(
            statements.c.id == statement_id.lower())).first() is not None


def record_step(statements: list[dict], undo: Callable[[], None]) -> None:
    """Record a step's statements, its rows being committed already (on SQLite the LRS
    writes on its own connection). If the LRS does not store them, `undo` takes the step's
    rows back (committed) and the error is raised: nothing of the step remains. If they were
    stored and only something listening afterwards failed, the step stands and that failure
    is logged (the progress projection can be rebuilt from the statements)."""
    try:
        record_statements(statements)
    except Exception:
        if all(_stored(s["id"]) for s in statements):
            log.exception("statements %s stored, but a receiver failed",
                          [s["id"] for s in statements])
            return
        db.session.rollback()
        undo()
        db.session.commit()
        raise
