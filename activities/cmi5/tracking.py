"""Following cmi5 sessions from the statements the LRS stores, and recording `satisfied`.

`on_statement_stored` (a receiver of the LRS's `statement_stored` signal) takes the statements
that carry a cmi5 session id of a `Cmi5Session`, in its registration, by its learner, and
notes what happened in the session (initialized, completed, passed, failed, terminated with
its duration, the last statement). When an AU's completion or pass is new, moveOn is
evaluated (`moveon`): the AU, then its blocks, then the course may become satisfied, and
Pathway records one `satisfied` statement per block and for the course, once per
registration (`Cmi5Satisfied` rows, unique), with the triggering session's id.

Statements only the LMS makes (launched, abandoned, waived, satisfied) are never followed here,
so Pathway's own `satisfied` statements, which come back through the signal, end the
recursion. The receiver works in a session of its own under a lock per registration
(SQLite: the database's write lock; PostgreSQL: an advisory lock), commits, and only then
records statements, so it never holds a lock the LRS needs.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.base import duration_seconds
from activities.cmi5 import vocab
from activities.cmi5.models import Cmi5Satisfied, Cmi5Session
from activities.cmi5.moveon import AuFacts, satisfied_now
from activities.cmi5.statements import block_object, cmi5_statement, course_object
from lms.extensions import db
from lms.timeutil import utcnow

log = logging.getLogger(__name__)

LOCK = 0x434D_4935  # "CMI5": with the registration's hash, an advisory lock per registration
SATISFACTION_VERBS = frozenset({vocab.COMPLETED, vocab.PASSED, vocab.FAILED})


def session_id_of(statement: dict) -> str | None:
    """The cmi5 session id extension of a statement's context, or None."""
    extensions = (statement.get("context") or {}).get("extensions") or {}
    value = extensions.get(vocab.SESSION_ID) if isinstance(extensions, dict) else None
    return value if isinstance(value, str) and value else None


def _activities(value) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    return [a for a in value or [] if isinstance(a, dict)]


def is_cmi5_defined(statement: dict) -> bool:
    """Whether the statement has the cmi5 category (a "cmi5 defined" statement)."""
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    return any(a.get("id") == vocab.CATEGORY_CMI5
               for a in _activities(context_activities.get("category")))


def _belongs(statement: dict, row: Cmi5Session) -> bool:
    """The statement is in the session's registration, by its learner."""
    from xapi.validation import inverse_functional_identifier

    registration = (statement.get("context") or {}).get("registration") or ""
    return (registration.lower() == row.registration.lower()
            and inverse_functional_identifier(statement.get("actor") or {})
            == inverse_functional_identifier(row.actor))


def lock_registrations(session: Session, registrations) -> None:
    """Serialise moveOn evaluation per registration (see the module's docstring)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        for registration in sorted({r.lower() for r in registrations}):
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(%(lock)s, hashtext(%(registration)s))",
                {"lock": LOCK, "registration": registration})


def on_statement_stored(sender, statements=(), **kwargs) -> None:
    """`statement_stored` receiver. What the LRS stored stays stored whatever happens here;
    a failure is logged."""
    try:
        follow_statements(list(statements))
    except Exception:
        log.exception("cmi5: following %d statement(s) failed", len(statements))


def follow_statements(statements: list[dict]) -> list[str]:
    """Note what the statements say about their cmi5 sessions and record any `satisfied`
    that follows; returns the ids of the statements recorded."""
    from lms.progress.record import record_statements
    from xapi.service import statement_time

    relevant = [(s, sid) for s in statements
                if (sid := session_id_of(s)) and s["verb"]["id"] not in vocab.LMS_VERBS]
    if not relevant:
        return []
    recorded: list[dict] = []
    with Session(db.engine) as session:
        lock_registrations(session, [(s.get("context") or {}).get("registration") or ""
                                     for s, _ in relevant])
        rows = {row.session_id: row for row in session.execute(
            select(Cmi5Session).where(Cmi5Session.session_id.in_(
                sorted({sid for _, sid in relevant})))).scalars()}
        touched: dict[int, tuple[Cmi5Session, dict[str, str]]] = {}
        for statement, sid in relevant:
            row = rows.get(sid)
            if row is None or not _belongs(statement, row) or \
                    row.abandoned_at is not None or row.waived_at is not None:
                continue  # not ours, or abandoned / a waiver: nothing more counts
            trigger = _note(row, statement, statement_time(statement["stored"]))
            if trigger and row.launch_mode == "Normal":
                touched.setdefault(row.id, (row, {}))[1][row.au_id] = statement["id"]
        for row, triggers in touched.values():
            recorded += satisfy(session, row.enrolment_id, row.activity_id, row.package_id,
                                row.session_id, triggers)
        session.commit()
    return record_statements(recorded) if recorded else []


def _note(row: Cmi5Session, statement: dict, stored) -> bool:
    """Update the session from one of its statements; True when it newly records a
    completion or a pass (moveOn may be met)."""
    verb = statement["verb"]["id"]
    row.last_statement_at = max(row.last_statement_at or stored, stored)
    if not is_cmi5_defined(statement) or (statement.get("object") or {}).get("id") != row.au_id:
        return False  # cmi5 allowed (even with a cmi5 verb): no session event (rules.py)
    if verb == vocab.INITIALIZED and row.initialized_at is None:
        row.initialized_at = stored
    elif verb == vocab.TERMINATED and row.terminated_at is None:
        row.terminated_at = stored
        row.seconds = duration_seconds(statement)
    elif verb in SATISFACTION_VERBS:
        field = {vocab.COMPLETED: "completed_at", vocab.PASSED: "passed_at",
                 vocab.FAILED: "failed_at"}[verb]
        if getattr(row, field) is None:
            setattr(row, field, stored)
            return verb != vocab.FAILED
    return False


def au_facts(session: Session, registration: str) -> dict[str, AuFacts]:
    """What the Normal sessions and waivers of a registration recorded, per AU (LMS id)."""
    facts: dict[str, AuFacts] = {}
    for au_id, completed, passed, waived in session.execute(
            select(Cmi5Session.au_id, Cmi5Session.completed_at, Cmi5Session.passed_at,
                   Cmi5Session.waived_at)
            .where(Cmi5Session.registration == registration,
                   Cmi5Session.launch_mode == "Normal")):
        found = facts.get(au_id, AuFacts())
        facts[au_id] = AuFacts(found.completed or completed is not None,
                               found.passed or passed is not None,
                               found.waived or waived is not None)
    return facts


def satisfy(session: Session, enrolment_id: int, activity_id: int, package_id: int,
            session_id: str | None, triggers: dict[str, str] | None = None) -> list[dict]:
    """Evaluate moveOn for an enrolment's registration under a package's course structure:
    add the `Cmi5Satisfied` rows of what is newly satisfied and return the `satisfied`
    statements to record (blocks, then the course) once the rows are committed. Call it
    under `lock_registrations`. `session_id` is that of the session that triggered it (a new
    one is made when none did)."""
    from lms.content.models import ContentPackage
    from lms.enrolment.models import Enrolment
    from lms.progress.record import learner_agent

    enrolment = session.get(Enrolment, enrolment_id)
    package = session.get(ContentPackage, package_id)
    if enrolment is None or package is None or (package.manifest or {}).get("format") != "cmi5":
        return []
    manifest, registration = package.manifest, enrolment.registration
    now = satisfied_now(manifest, au_facts(session, registration))
    already = set(session.execute(select(Cmi5Satisfied.object_iri).where(
        Cmi5Satisfied.registration == registration)).scalars())
    session_id = session_id or str(uuid.uuid4())
    actor = learner_agent(enrolment.learner).as_version("1.0.3")
    moment = utcnow()

    def add(kind: str, object_iri: str, statement_id: str | None) -> None:
        session.add(Cmi5Satisfied(registration=registration, activity_id=activity_id,
                                  object_iri=object_iri, kind=kind, satisfied_at=moment,
                                  statement_id=statement_id))
        already.add(object_iri)

    statements = []
    for index in sorted(now.aus):
        au = manifest["aus"][index]
        if au["lms_id"] not in already:
            add("au", au["lms_id"], (triggers or {}).get(au["lms_id"]))
    satisfied = [("block", block_object(b), b["id"]) for b in
                 (manifest["blocks"][i] for i in now.blocks)]
    if now.course:
        satisfied.append(("course", course_object(manifest["course"]),
                          manifest["course"]["id"]))
    for kind, target, publisher_id in satisfied:
        if target["id"] in already:
            continue
        statement = cmi5_statement(actor=actor, verb=vocab.SATISFIED, target=target,
                                   registration=registration, session_id=session_id,
                                   publisher_id=publisher_id, when=moment)
        add(kind, target["id"], statement["id"])
        statements.append(statement)
    session.flush()
    return statements


def evaluate(enrolment_id: int, activity_id: int, package_id: int, registration: str,
             session_id: str | None = None, triggers: dict[str, str] | None = None
             ) -> list[str]:
    """Evaluate moveOn now (on opening a course, for its NotApplicable AUs; after a
    waiver), in a session of its own; records the `satisfied` statements that follow and
    returns their ids. Call it with nothing of the caller's uncommitted."""
    from lms.progress.record import record_statements

    with Session(db.engine) as session:
        lock_registrations(session, [registration])
        statements = satisfy(session, enrolment_id, activity_id, package_id, session_id,
                             triggers)
        session.commit()
    return record_statements(statements) if statements else []
