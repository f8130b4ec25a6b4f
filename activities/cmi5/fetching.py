"""The fetch URL of a cmi5 launch: the AU POSTs to it once for its authorization token.

The first POST answers `{"auth-token": "<base64 of key:secret>"}`: new launch credentials
that may record and read only the session's learner's statements in the session's
registration (and use only that learner's state), kept on the session (`client_key`) so
that the LRS's cmi5 rules know which session a statement belongs to. Every later POST, and
a POST for a session that has ended, answers error code 1; an unknown token error code 2; a
failure of Pathway's own error code 3. As the specification asks, errors are answered with
status 200 and a JSON body `{"error-code": "...", "error-text": "..."}`.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select, update

from activities.cmi5.launching import token_hash
from activities.cmi5.models import Cmi5Session
from lms.extensions import db
from lms.timeutil import utcnow

log = logging.getLogger(__name__)

ALREADY_USED = "1"
SECURITY = "2"
APPLICATION = "3"


def error(code: str, text: str) -> dict:
    """A fetch error body."""
    return {"error-code": code, "error-text": text}


def fetch_token(token: str) -> dict:
    """What the fetch URL answers for `token` (see the module's docstring). Commits."""
    from xapi.auth import basic_key
    from xapi.service import launch_credentials

    row = db.session.execute(select(Cmi5Session).where(
        Cmi5Session.fetch_token_hash == token_hash(token))).scalar_one_or_none()
    if row is None:
        return error(SECURITY, "This fetch URL is not one Pathway made.")
    if row.abandoned_at is not None or row.terminated_at is not None:
        return error(ALREADY_USED, "The AU session of this fetch URL has ended.")
    # Claimed in one statement, so two POSTs at once cannot both have a token.
    claimed = db.session.execute(
        update(Cmi5Session).where(Cmi5Session.id == row.id,
                                  Cmi5Session.fetch_used_at.is_(None))
        .values(fetch_used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.commit()  # before the LRS writes the credentials (SQLite's write lock)
    if not claimed:
        return error(ALREADY_USED, "The authorization token has already been returned.")
    try:
        header = launch_credentials(row.actor, row.registration,
                                    current_app.config["LAUNCH_CREDENTIALS_MINUTES"])
    except Exception:
        log.exception("cmi5: launch credentials for session %s could not be made",
                      row.session_id)
        return error(APPLICATION, "Pathway could not make the authorization token; launch "
                     "the AU again.")
    db.session.refresh(row)
    row.client_key = basic_key(header)
    db.session.commit()
    return {"auth-token": header.partition(" ")[2]}
