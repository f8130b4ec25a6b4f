"""Waiving an AU: the learner's tutor (or an administrator) records that the AU's
requirements were met another way, with one of the cmi5 reasons and a note.

The waiver is a session of its own (a new session id, no fetch token) with one `waived`
statement (result success and completion true, the reason extension, the tutor as
instructor, the note as a Pathway context extension); moveOn is then evaluated, and the
`satisfied` statements that follow carry the waiver's session id. An AU already satisfied
(met, waived, or NotApplicable) cannot be waived.
"""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.cmi5 import vocab
from activities.cmi5.launching import au_of, course_package
from activities.cmi5.models import Cmi5Satisfied, Cmi5Session
from activities.cmi5.statements import au_object, cmi5_statement
from lms.errors import Conflict, InvalidInput
from lms.extensions import db
from lms.timeutil import utcnow

MAX_NOTE = 2000


def note_extension() -> str:
    """The context extension holding a waiver's note."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/xapi/extensions/waiver-note"


def check_waiver(reason, note) -> tuple[str, str]:
    """The reason (one of the cmi5 reasons) and the note (required), or 422 naming the
    field."""
    if reason not in vocab.WAIVE_REASONS:
        raise InvalidInput.field("reason", "must be one of "
                                 + ", ".join(repr(r) for r in vocab.WAIVE_REASONS))
    note = (note or "").strip() if isinstance(note, str) else ""
    if not note:
        raise InvalidInput.field("note", "say why the AU is waived (what the learner did "
                                 "instead)")
    if len(note) > MAX_NOTE:
        raise InvalidInput.field("note", f"may be at most {MAX_NOTE} characters")
    return reason, note


def waive_au(tutor, enrolment, activity, index: int, reason, note) -> dict:
    """Waive AU `index` of the activity's current course for the enrolment's learner (see
    the module's docstring). Forbidden (403) unless `tutor` is the learner's tutor or an
    administrator; Conflict (409) when the AU is already satisfied or waived. Commits.
    Returns {"session_id", "statement_id", "satisfied": [statement ids]}."""
    from activities.cmi5.tracking import evaluate, lock_registrations
    from lms.progress.operations import check_tutor_of
    from lms.progress.record import learner_agent, record_statements

    check_tutor_of(enrolment, tutor)
    reason, note = check_waiver(reason, note)
    package = course_package(activity)
    au = au_of(package, index)
    registration = enrolment.registration
    actor = learner_agent(enrolment.learner).as_version("1.0.3")
    instructor = learner_agent(tutor).as_version("1.0.3")
    session_id = str(uuid.uuid4())
    moment = utcnow()
    db.session.commit()
    with Session(db.engine) as session:
        lock_registrations(session, [registration])
        if session.execute(select(Cmi5Satisfied.id).where(
                Cmi5Satisfied.registration == registration,
                Cmi5Satisfied.object_iri == au["lms_id"])).first() is not None or \
                session.execute(select(Cmi5Session.id).where(
                    Cmi5Session.registration == registration,
                    Cmi5Session.au_id == au["lms_id"],
                    Cmi5Session.waived_at.is_not(None))).first() is not None:
            raise Conflict(f"index: AU {index} ({au['title']!r}) is already satisfied for "
                           "this learner; there is nothing to waive.")
        session.add(Cmi5Session(
            session_id=session_id, enrolment_id=enrolment.id, activity_id=activity.id,
            package_id=package.id, registration=registration, actor=actor,
            au_id=au["lms_id"], au_index=index, launch_mode="Normal", move_on=au["move_on"],
            mastery_score=au.get("mastery_score"), launched_at=moment, waived_at=moment,
            last_statement_at=moment))
        session.commit()
    statement = cmi5_statement(
        actor=actor, verb=vocab.WAIVED, target=au_object(au), registration=registration,
        session_id=session_id, publisher_id=au["id"],
        result={"success": True, "completion": True,
                "extensions": {vocab.REASON: reason}},
        extensions={note_extension(): note}, instructor=instructor, when=moment)
    statement_id = record_statements([statement])[0]
    satisfied = evaluate(enrolment.id, activity.id, package.id, registration, session_id,
                         {au["lms_id"]: statement_id})
    return {"session_id": session_id, "statement_id": statement_id, "satisfied": satisfied}
