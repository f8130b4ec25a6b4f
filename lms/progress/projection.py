"""The progress projection: statements in, activity status, unit achievement, hours and credits
out.

Two routes share every rule here, so they give the same answer:

- incremental: `on_statement_stored` receives the LRS's `statement_stored` signal, turns the
  new statements into `LearningEvent` rows (a statement counts once: the row is keyed by the
  statement's id), removes the events of voided statements, and recomputes the activities and
  enrolments they touch;
- rebuild: `rebuild()` empties the projection and replays every statement that is not voided.

What a statement means is each activity type's business (`interpret`), and so is when an
activity is complete (`completion`); this module finds the enrolment (the statement's
registration, with the enrolment's own learner as actor) and the activity (see
`catalogue_index`), stores the events, and adds up with the rules of `rules`.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from activities.base import Event
from lms.enrolment.models import Enrolment, Intake
from lms.extensions import db
from lms.people.models import User
from lms.progress.catalogue_index import CatalogueIndex, current_index, load_index
from lms.progress.models import ActivityProgress, EnrolmentProgress, LearningEvent, UnitProgress
from lms.progress.rules import activity_progress_row, rollup
from xapi.service import (
    iter_statements,
    last_statement_seq,
    statement_time,
    voided_among,
    writes_paused,
)

log = logging.getLogger(__name__)

TRUSTED_ACCOUNTS = ("pathway", "import")  # Pathway's own records, and operators' imports


@dataclass(frozen=True)
class EnrolmentInfo:
    id: int
    learner: str  # the learner's public id (their xAPI account name)
    qualification_id: int


def _enrolments(session: Session, registrations=None) -> dict[str, EnrolmentInfo]:
    """Enrolments by registration (only `registrations`, when given)."""
    statement = (select(Enrolment.id, Enrolment.registration, User.public_id,
                        Intake.qualification_id)
                 .join(User, Enrolment.learner_id == User.id)
                 .join(Intake, Enrolment.intake_id == Intake.id))
    if registrations is not None:
        statement = statement.where(Enrolment.registration.in_(sorted(registrations)))
    return {registration.lower(): EnrolmentInfo(id_, learner, qualification)
            for id_, registration, learner, qualification in session.execute(statement)}


def _registration(statement: dict) -> str | None:
    registration = (statement.get("context") or {}).get("registration")
    return registration.lower() if isinstance(registration, str) else None


def _is_candidate(statement: dict) -> bool:
    """Cheap test before any query: could this statement be about learning in Pathway?"""
    target = statement.get("object") or {}
    return (_registration(statement) is not None
            and target.get("objectType", "Activity") == "Activity"
            and isinstance(target.get("id"), str)
            and "account" in (statement.get("actor") or {}))


def _trusted(statement: dict, base_url: str) -> bool:
    account = (statement.get("authority") or {}).get("account") or {}
    return account.get("homePage") == base_url and account.get("name") in TRUSTED_ACCOUNTS


def events_from(statements, index: CatalogueIndex, enrolments: dict[str, EnrolmentInfo],
                base_url: str) -> list[dict]:
    """The `learning_events` rows of `statements`: those in a known enrolment, by its own
    learner, about a known activity of its qualification, that the activity's type finds a
    meaning in. Anything else leaves progress untouched."""
    rows = []
    for statement in statements:
        enrolment = enrolments.get(_registration(statement) or "")
        if enrolment is None:
            continue
        account = statement["actor"].get("account") or {}
        if account.get("homePage") != base_url or account.get("name") != enrolment.learner:
            continue
        activity_id = index.by_iri.get(statement["object"]["id"])
        info = index.activities.get(activity_id)
        if info is None or info.kind is None or info.qualification_id != \
                enrolment.qualification_id:
            continue
        try:
            meaning = info.kind.interpret(statement)
            seconds = max(float(meaning.seconds), 0.0) if meaning else 0.0
        except Exception:  # one faulty plugin must not stop everyone's progress
            log.exception("activity type %s could not interpret statement %s",
                          info.kind.name, statement.get("id"))
            continue
        if meaning is None or not isinstance(meaning.kind, str):
            continue
        stored = statement_time(statement["stored"])
        trusted = _trusted(statement, base_url)
        # Content in the browser could claim any time: its learning is dated when stored.
        # Pathway's own records (and imports) keep their timestamp, never in the future.
        happened = min(statement_time(statement.get("timestamp") or statement["stored"]),
                       stored) if trusted else stored
        rows.append({"statement_id": statement["id"].lower(), "enrolment_id": enrolment.id,
                     "activity_id": info.id, "kind": meaning.kind[:30],
                     "happened_at": happened, "trusted": trusted, "seconds": seconds,
                     "data": meaning.data or {}})
    return rows


def _as_events(rows) -> list[Event]:
    return [Event(r.statement_id, r.kind, r.happened_at, r.trusted, r.seconds, r.data or {})
            for r in rows]


# PostgreSQL advisory locks of the projection (the scheduler holds "PATH", LRS writers their
# own): "PROG" is shared by incremental updates and exclusive for a rebuild; "PROW" is taken
# by one incremental update at a time.
REBUILD_LOCK = 0x5052_4F47
WRITER_LOCK = 0x5052_4F57


def _lock_for_update(session: Session) -> bool:
    """Serialise incremental updates; False when a rebuild is running (it will project the
    statements itself). SQLite: take the database's write lock now (BEGIN IMMEDIATE), so
    everything read afterwards is current."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        if not connection.exec_driver_sql(
                f"SELECT pg_try_advisory_xact_lock_shared({REBUILD_LOCK})").scalar():
            return False
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
    return True


def _lock_for_rebuild(session: Session) -> None:
    """Wait for incremental updates in flight, then keep new ones out until committed."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({REBUILD_LOCK})")


def _recompute(session: Session, index: CatalogueIndex, pairs: set[tuple[int, int]],
               qualification_of: dict[int, int]) -> None:
    """Recompute the given (enrolment, activity) pairs, then their enrolments' rollups (a few
    statements for the whole set, whatever its size)."""
    enrolment_ids = sorted({e for e, _ in pairs})
    activity_ids = sorted({a for _, a in pairs})
    events: dict[tuple[int, int], list] = defaultdict(list)
    for row in session.execute(
            select(*LearningEvent.__table__.columns)
            .where(LearningEvent.enrolment_id.in_(enrolment_ids),
                   LearningEvent.activity_id.in_(activity_ids))
            .order_by(LearningEvent.happened_at, LearningEvent.statement_id)):
        if (row.enrolment_id, row.activity_id) in pairs:
            events[(row.enrolment_id, row.activity_id)].append(row)
    for enrolment_id in enrolment_ids:
        session.execute(delete(ActivityProgress).where(
            ActivityProgress.enrolment_id == enrolment_id,
            ActivityProgress.activity_id.in_(sorted(a for e, a in pairs if e == enrolment_id))))
    fresh = [activity_progress_row(index.activities[a], e, _as_events(found))
             for (e, a), found in sorted(events.items())]
    if fresh:
        session.execute(insert(ActivityProgress.__table__), fresh)
    rows: dict[int, list[dict]] = defaultdict(list)
    for row in session.execute(select(*ActivityProgress.__table__.columns)
                               .where(ActivityProgress.enrolment_id.in_(enrolment_ids))):
        rows[row.enrolment_id].append(dict(row._mapping))
    session.execute(delete(UnitProgress).where(UnitProgress.enrolment_id.in_(enrolment_ids)))
    session.execute(delete(EnrolmentProgress).where(
        EnrolmentProgress.enrolment_id.in_(enrolment_ids)))
    units, totals = [], []
    for enrolment_id in enrolment_ids:
        unit_rows, total = rollup(index, enrolment_id, qualification_of[enrolment_id],
                                  rows[enrolment_id])
        units.extend(unit_rows)
        if total:
            totals.append(total)
    if units:
        session.execute(insert(UnitProgress.__table__), units)
    if totals:
        session.execute(insert(EnrolmentProgress.__table__), totals)


def apply_statements(statements: list[dict], voided_ids: list[str]) -> int:
    """The incremental route: project newly stored statements and take back the voided ones.
    Returns how many events were added or removed. Commits its own session."""
    candidates = [s for s in statements if _is_candidate(s)]
    voided = sorted({v.lower() for v in voided_ids})
    if not candidates and not voided:
        return 0
    with Session(db.engine) as session:
        if not _lock_for_update(session):
            log.info("progress: a rebuild is running; it projects these %d statement(s)",
                     len(candidates))
            return 0
        changed = _apply(session, candidates, voided)
        session.commit()
        return changed


def _apply(session: Session, candidates: list[dict], voided: list[str]) -> int:
    """Add the events of `candidates` and remove those of the `voided` statement ids, then
    recompute what they touch. Runs under the projection's lock, so everything read here is
    current: a statement voided by the time we look never counts, whichever of the two
    arrived first."""
    base_url = current_app.config["BASE_URL"]
    index = current_index(session)
    enrolments = _enrolments(session, {_registration(s) for s in candidates}) \
        if candidates else {}
    rows = events_from(candidates, index, enrolments, base_url)
    if rows:
        known = set(session.execute(select(LearningEvent.statement_id).where(
            LearningEvent.statement_id.in_([r["statement_id"] for r in rows]))).scalars())
        late_voided = voided_among([r["statement_id"] for r in rows])
        rows = [r for r in rows if r["statement_id"] not in known | late_voided]
    gone = session.execute(select(LearningEvent.statement_id, LearningEvent.enrolment_id,
                                  LearningEvent.activity_id)
                           .where(LearningEvent.statement_id.in_(voided))).all() \
        if voided else []
    if not rows and not gone:
        return 0
    if rows:
        session.execute(insert(LearningEvent.__table__), rows)
    if gone:
        session.execute(delete(LearningEvent).where(
            LearningEvent.statement_id.in_(sorted(g.statement_id for g in gone))))
    pairs = {(r["enrolment_id"], r["activity_id"]) for r in rows} | \
        {(g.enrolment_id, g.activity_id) for g in gone}
    touched = sorted({e for e, _ in pairs})
    qualification_of = dict(session.execute(
        select(Enrolment.id, Intake.qualification_id)
        .join(Intake, Enrolment.intake_id == Intake.id)
        .where(Enrolment.id.in_(touched))).all())
    _recompute(session, index, pairs, qualification_of)
    return len(rows) + len(gone)


def on_statement_stored(sender, statements=(), voided_ids=(), **kwargs) -> None:
    """`statement_stored` receiver. A failure here never undoes what the LRS stored (the
    standard requires it be kept); it is logged, and `lms progress rebuild` repairs it."""
    try:
        apply_statements(list(statements), list(voided_ids))
    except Exception:
        log.exception("progress projection failed for %d statement(s); run `lms progress "
                      "rebuild`", len(statements))


def rebuild(chunk: int = 5000) -> dict:
    """Empty the projection and replay every statement that is not voided, in stored order.
    One transaction: readers see the old projection until the new one is complete. On
    PostgreSQL the LRS keeps storing meanwhile (incremental updates stand aside) and the
    rebuild takes what was stored during it before it commits; on SQLite the LRS's writers
    wait for it, up to the busy timeout, so rebuild at a quiet time."""
    base_url = current_app.config["BASE_URL"]
    counts = {"statements": 0, "events": 0, "activities": 0, "enrolments": 0}
    with Session(db.engine) as session:
        _lock_for_rebuild(session)
        high = last_statement_seq()
        index = load_index(session)
        enrolments = _enrolments(session)
        qualification_of = {e.id: e.qualification_id for e in enrolments.values()}
        for table in (LearningEvent, ActivityProgress, UnitProgress, EnrolmentProgress):
            session.execute(delete(table))
        batch: list[dict] = []
        for statement in iter_statements(chunk, up_to=high):
            counts["statements"] += 1
            if _is_candidate(statement):
                batch.append(statement)
            if len(batch) >= chunk:
                counts["events"] += _insert_events(session, batch, index, enrolments, base_url)
                batch = []
        counts["events"] += _insert_events(session, batch, index, enrolments, base_url)
        per_enrolment: dict[int, list[dict]] = defaultdict(list)
        pending: list[dict] = []
        for (enrolment_id, activity_id), events in _grouped_events(session):
            row = activity_progress_row(index.activities[activity_id], enrolment_id, events)
            per_enrolment[enrolment_id].append(row)
            pending.append(row)
            if len(pending) >= chunk:
                session.execute(insert(ActivityProgress.__table__), pending)
                pending = []
        if pending:
            session.execute(insert(ActivityProgress.__table__), pending)
        units, totals = [], []
        for enrolment_id, rows in per_enrolment.items():
            unit_rows, total = rollup(index, enrolment_id, qualification_of[enrolment_id], rows)
            units.extend(unit_rows)
            totals.append(total)
        for start in range(0, len(units), chunk):
            session.execute(insert(UnitProgress.__table__), units[start:start + chunk])
        for start in range(0, len(totals), chunk):
            session.execute(insert(EnrolmentProgress.__table__), totals[start:start + chunk])
        if session.connection().dialect.name == "sqlite":
            session.commit()  # nothing could be stored meanwhile: we held the write lock
        else:
            # Statements stored while we replayed: take them (and voidings) with the LRS's
            # writers paused, and commit before they resume.
            with writes_paused() as stored_after:
                fresh, voided = stored_after(high)
                counts["statements"] += len(fresh)
                counts["events"] += _apply(session, [s for s in fresh if _is_candidate(s)],
                                           sorted({v.lower() for v in voided}))
                session.commit()
    counts["activities"] = sum(len(rows) for rows in per_enrolment.values())
    counts["enrolments"] = len(per_enrolment)
    return counts


def _insert_events(session, statements, index, enrolments, base_url) -> int:
    rows = events_from(statements, index, enrolments, base_url)
    if rows:
        session.execute(insert(LearningEvent.__table__), rows)
    return len(rows)


def _grouped_events(session):
    """Every event, grouped by (enrolment, activity), each group oldest first."""
    result = session.execute(
        select(LearningEvent.statement_id, LearningEvent.enrolment_id,
               LearningEvent.activity_id, LearningEvent.kind, LearningEvent.happened_at,
               LearningEvent.trusted, LearningEvent.seconds, LearningEvent.data)
        .order_by(LearningEvent.enrolment_id, LearningEvent.activity_id,
                  LearningEvent.happened_at, LearningEvent.statement_id)
        .execution_options(yield_per=10_000))
    key, events = None, []
    for row in result:
        pair = (row.enrolment_id, row.activity_id)
        if pair != key and events:
            yield key, events
            events = []
        key = pair
        events.append(Event(row.statement_id, row.kind, row.happened_at, row.trusted,
                            row.seconds, row.data or {}))
    if events:
        yield key, events


