"""The LRS enforces the cmi5 rules on the statements of AU sessions.

`on_statements_receiving` receives the LRS's `statements_receiving` signal (sent before a
statements PUT or POST is stored). When the credentials are those an AU fetched for a cmi5
session (`Cmi5Session.client_key`), it checks the request's statements against the
session's state with `activities.cmi5.rules` and refuses the whole request with 403 Forbidden
naming the statement, the field and the cmi5 requirement broken; nothing is stored then.
Statements of any other client (other launch credentials, Pathway's clients, LRS clients) pass
untouched, so the LRS is a plain xAPI LRS for them. `on_document_changing` (the LRS's
`document_changing` signal) keeps the AU from writing or deleting its `LMS.LaunchData`.

The session's state is read fresh for each request from the rows that `tracking` updates
once statements are stored: the session's own (initialized, completed, passed, failed,
terminated, abandoned) and, for the rules per registration, the other sessions of the same AU
in the registration. A statement whose id is already stored is a retry: the LRS stores it no
second time (or answers 409 when it differs), so the rules skip it. Two requests of one
session sent at the same moment are each checked against the state before both; an AU sends
its statements one request after another, as the order rules require anyway.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.cmi5 import vocab
from activities.cmi5.models import Cmi5Session
from activities.cmi5.rules import Cmi5RuleBroken, SessionState, check_batch
from activities.cmi5.statements import context_template
from lms.extensions import db

log = logging.getLogger(__name__)


def connect() -> None:
    """Connect the receivers to the LRS's `statements_receiving` and `document_changing`
    signals (once per process: a module function connected again is the same receiver)."""
    from xapi.signals import document_changing, statements_receiving

    statements_receiving.connect(on_statements_receiving)
    document_changing.connect(on_document_changing)


def on_statements_receiving(sender, client=None, statements=(), **kwargs) -> None:
    """`statements_receiving` receiver: raises `xapi.errors.Forbidden` when statements sent
    with a cmi5 session's credentials break a cmi5 rule."""
    from xapi.errors import Forbidden

    # Only launch credentials can be a session's, and only a Pathway app has the sessions.
    if client is None or client.actor is None or "sqlalchemy" not in sender.extensions:
        return
    state = session_state(client.key)
    if state is None:
        return
    batch = list(statements)
    fresh = _not_yet_stored(batch)
    try:
        check_batch(state, fresh)
    except Cmi5RuleBroken as broken:
        if fresh is not batch:
            broken = _renumbered(broken, batch, fresh)
        log.info("cmi5 session %s: statements refused: %s", state.session_id, broken)
        raise Forbidden(f"cmi5 session {state.session_id}: {broken}") from None


def on_document_changing(sender, client=None, kind=None, document_id=None, activity_id=None,
                         **kwargs) -> None:
    """`document_changing` receiver: an AU may read its `LMS.LaunchData` state document but
    not write or delete it (cmi5 10.2.1.0-5); raises `xapi.errors.Forbidden` then."""
    from xapi.errors import Forbidden

    if client is None or client.actor is None or kind != "state" or \
            document_id not in (None, vocab.LAUNCH_DATA) or "sqlalchemy" not in sender.extensions:
        return
    with Session(db.engine) as session:
        au_id = session.execute(select(Cmi5Session.au_id).where(
            Cmi5Session.client_key == client.key)).scalar()
    if au_id is not None and au_id == activity_id:
        what = "delete the state documents holding" if document_id is None else "change"
        raise Forbidden(f"stateId: an AU must not {what} {vocab.LAUNCH_DATA}, which the LMS "
                        "writes at launch (cmi5 10.2.1.0-5).")


def session_state(client_key: str) -> SessionState | None:
    """The state of the cmi5 session whose AU holds the credentials `client_key`, read
    now, or None when they are no session's. Reads in a session of its own and ends its
    transaction at once (the LRS writes on its own connection next: on SQLite no read
    transaction of ours may stay open)."""
    from lms.content.models import ContentPackage

    with Session(db.engine) as session:
        row = session.execute(select(Cmi5Session).where(
            Cmi5Session.client_key == client_key)).scalar_one_or_none()
        if row is None:
            return None
        done = session.execute(select(Cmi5Session.completed_at, Cmi5Session.passed_at).where(
            Cmi5Session.registration == row.registration, Cmi5Session.au_id == row.au_id,
            Cmi5Session.launch_mode == "Normal")).all()
        manifest = session.execute(select(ContentPackage.manifest).where(
            ContentPackage.id == row.package_id)).scalar() or {}
        aus = manifest.get("aus") or []
        publisher_id = aus[row.au_index]["id"] if row.au_index < len(aus) else None
        template = None
        if publisher_id is not None:
            template = context_template(row.registration, row.session_id, publisher_id)
            del template["registration"]  # checked on its own, case aside
        return SessionState(
            session_id=row.session_id, au_id=row.au_id, registration=row.registration,
            actor=row.actor, launch_mode=row.launch_mode, mastery_score=row.mastery_score,
            context_template=template,
            structure_ids=frozenset(manifest.get("activity_ids") or ()),
            initialized=row.initialized_at is not None, completed=row.completed_at is not None,
            passed=row.passed_at is not None, failed=row.failed_at is not None,
            terminated=row.terminated_at is not None, abandoned=row.abandoned_at is not None,
            waived=row.waived_at is not None,
            completed_in_registration=any(completed for completed, _ in done),
            passed_in_registration=any(passed for _, passed in done))


def _not_yet_stored(statements: list[dict]) -> list[dict]:
    """The statements whose id the LRS does not hold yet (all of them, the same list, when
    none is a retry)."""
    from xapi.models import statements as stored_statements

    ids = [s["id"].lower() for s in statements if isinstance(s.get("id"), str)]
    if not ids:
        return statements
    with current_app.extensions["xapi"].engine.connect() as connection:
        known = set(connection.execute(select(stored_statements.c.id).where(
            stored_statements.c.id.in_(ids))).scalars())
    if not known:
        return statements
    return [s for s in statements if str(s.get("id", "")).lower() not in known]


def _renumbered(broken: Cmi5RuleBroken, statements: list[dict],
                checked: list[dict]) -> Cmi5RuleBroken:
    """The refusal with the statement's index in the request (retries were left out)."""
    index = next(i for i, s in enumerate(statements) if s is checked[broken.index])
    return Cmi5RuleBroken(index, broken.field, broken.rule, broken.detail)
