"""Launching an AU of a cmi5 course, as the specification's launch sequence asks.

`launch_au` abandons the learner's still-open session of the same AU (an `abandoned`
statement), opens a new `Cmi5Session` (a new session id and a one-use fetch token), writes the
`LMS.LaunchData` state document, records `launched`, and returns the AU's URL with the launch
parameters `endpoint`, `fetch`, `actor`, `registration` and `activityId`. The AU then POSTs to
the fetch URL once (see `fetching`) for its own launch credentials.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from flask import current_app, url_for
from sqlalchemy import select, update

from activities.cmi5 import vocab
from activities.cmi5.models import Cmi5Session
from activities.cmi5.statements import au_object, cmi5_statement, iso_duration
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound
from lms.extensions import db
from lms.timeutil import utcnow


@dataclass(frozen=True)
class AuLaunch:
    """A launched AU: the `url` to open (absolute), the part of it on Pathway's origin as a
    path when the AU is a file of the package (`local_url`, else the absolute URL), the new
    session's id, the AU (from the manifest) and the launch mode."""

    url: str
    local_url: str
    session_id: str
    au: dict
    mode: str


def token_hash(token: str) -> str:
    """How a fetch token is stored (SHA-256: the token is random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _absolute(path: str) -> str:
    return urljoin(current_app.config["BASE_URL"].rstrip("/") + "/", path)


def course_package(activity):
    """The activity's current cmi5 course (its `ContentPackage`), or 409 when none is
    uploaded."""
    from lms.content.operations import current_package

    package = current_package(activity)
    if package is None or package.kind != "cmi5":
        raise Conflict(f"activity: {activity.title!r} has no cmi5 course uploaded yet.")
    return package


def au_of(package, index: int) -> dict:
    """AU number `index` (from 0, in cmi5.xml's order) of a course, or 404."""
    aus = package.manifest["aus"]
    if not 0 <= index < len(aus):
        raise NotFound(f"index: the course has {len(aus)} AU(s), numbered from 0; there is "
                       f"no AU {index}.")
    return aus[index]


def check_mode(mode: str | None) -> str:
    """A launch mode (Normal by default), or 422 naming the field."""
    mode = mode or "Normal"
    if mode not in vocab.LAUNCH_MODES:
        raise InvalidInput.field("mode", f"must be one of {', '.join(vocab.LAUNCH_MODES)}, "
                                 f"not {mode!r}")
    return mode


def check_learner(learner, enrolment) -> None:
    """Only the enrolled learner launches, only while the enrolment is active."""
    from lms.delivery.operations import LAUNCHABLE

    if enrolment.learner_id != learner.id:
        raise Forbidden("Only the enrolled learner can launch their activities.")
    if enrolment.status not in LAUNCHABLE:
        raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: its activities cannot "
                       "be launched.")


def au_url(package, au: dict) -> tuple[str, str]:
    """(absolute URL, URL to redirect a browser to) of an AU, without launch parameters."""
    from lms.content.operations import file_url

    if urlsplit(au["url"]).scheme:
        return au["url"], au["url"]
    path, _, query = au["url"].partition("?")
    local = file_url(package, path) + (f"?{query}" if query else "")
    return _absolute(local), local


def with_parameters(url: str, parameters: dict[str, str]) -> str:
    """`url` with `parameters` merged into its query (its own ones of the same names
    dropped: the specification's names must not collide)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k not in parameters]
    return urlunsplit(parts._replace(query=urlencode([*kept, *parameters.items()])))


def course_page_url(enrolment, activity) -> str:
    """The course structure page (the AU's `returnURL`), absolute."""
    return _absolute(url_for("learn.player", enrolment_id=enrolment.id, slug=activity.slug))


def launch_data(au: dict, session_id: str, mode: str, return_url: str) -> dict:
    """The `LMS.LaunchData` state document of a launch."""
    document = {"contextTemplate": {
                    "contextActivities": {"grouping": [{"objectType": "Activity",
                                                        "id": au["id"]}]},
                    "extensions": {vocab.SESSION_ID: session_id}},
                "launchMode": mode, "moveOn": au["move_on"], "returnURL": return_url}
    if au.get("launch_parameters") is not None:
        document["launchParameters"] = au["launch_parameters"]
    if au.get("mastery_score") is not None:
        document["masteryScore"] = au["mastery_score"]
    if au.get("entitlement_key") is not None:
        document["entitlementKey"] = {"courseStructure": au["entitlement_key"]}
    return document


def launch_au(learner, enrolment, activity, index: int, mode: str | None = None) -> AuLaunch:
    """Launch AU `index` of the activity's current course for the learner (see the module's
    docstring). Commits: the LRS writes on its own connection."""
    from lms.progress.record import learner_agent, record_statements
    from xapi.service import endpoint_url, put_state

    check_learner(learner, enrolment)
    mode = check_mode(mode)
    package = course_package(activity)
    au = au_of(package, index)
    actor = learner_agent(learner).as_version("1.0.3")
    registration = enrolment.registration
    evaluate_on_registration(enrolment, activity, package)
    for earlier in db.session.execute(select(Cmi5Session).where(
            Cmi5Session.registration == registration, Cmi5Session.au_id == au["lms_id"],
            Cmi5Session.terminated_at.is_(None), Cmi5Session.abandoned_at.is_(None),
            Cmi5Session.waived_at.is_(None))).scalars().all():
        abandon(earlier)
    token = secrets.token_urlsafe(32)
    session_id = str(uuid.uuid4())
    row = Cmi5Session(
        session_id=session_id, enrolment_id=enrolment.id, activity_id=activity.id,
        package_id=package.id, registration=registration, actor=actor, au_id=au["lms_id"],
        au_index=index, launch_mode=mode, move_on=au["move_on"],
        mastery_score=au.get("mastery_score"), fetch_token_hash=token_hash(token),
        launched_at=utcnow())
    db.session.add(row)
    db.session.commit()  # nothing of ours may hold SQLite's write lock while the LRS writes
    put_state(au["lms_id"], actor, registration, vocab.LAUNCH_DATA,
              launch_data(au, session_id, mode, course_page_url(enrolment, activity)))
    address, local = au_url(package, au)
    extensions = {vocab.LAUNCH_MODE: mode, vocab.LAUNCH_URL: address,
                  vocab.MOVE_ON: au["move_on"]}
    if au.get("launch_parameters") is not None:
        extensions[vocab.LAUNCH_PARAMETERS] = au["launch_parameters"]
    if au.get("mastery_score") is not None:
        extensions[vocab.MASTERY_SCORE] = au["mastery_score"]
    record_statements([cmi5_statement(
        actor=actor, verb=vocab.LAUNCHED, target=au_object(au), registration=registration,
        session_id=session_id, publisher_id=au["id"], extensions=extensions,
        when=row.launched_at)])
    # Without the trailing slash: AU libraries (ADL's cmi5.js) add "/statements" themselves,
    # and TinCanJS and xAPIWrapper add a missing slash.
    parameters = {"endpoint": endpoint_url().rstrip("/"),
                  "fetch": _absolute(url_for("cmi5.fetch", token=token)),
                  "actor": json.dumps(actor, separators=(",", ":")),
                  "registration": registration, "activityId": au["lms_id"]}
    return AuLaunch(with_parameters(address, parameters), with_parameters(local, parameters),
                    session_id, au, mode)


def evaluate_on_registration(enrolment, activity, package) -> list[str]:
    """moveOn at "registration" (the learner's first opening of the course, and each later
    one, in case a new version of it came): NotApplicable AUs are satisfied at once, and so
    are the blocks and the course made only of them. Commits first."""
    from activities.cmi5.tracking import evaluate

    db.session.commit()
    return evaluate(enrolment.id, activity.id, package.id, enrolment.registration)


def abandon(row: Cmi5Session, when: datetime | None = None) -> str | None:
    """End an open session as abandoned: mark it (only if it is still open: a session is
    abandoned once), revoke its launch credentials and record `abandoned` with the session's
    time, from its launch to its last statement. Commits. Returns the statement's id, or
    None when the session had already ended."""
    from lms.content.models import ContentPackage
    from lms.progress.record import record_statements
    from xapi.auth import basic_header
    from xapi.service import revoke_launch_credentials

    moment = when or utcnow()
    claimed = db.session.execute(
        update(Cmi5Session).where(Cmi5Session.id == row.id,
                                  Cmi5Session.terminated_at.is_(None),
                                  Cmi5Session.abandoned_at.is_(None),
                                  Cmi5Session.waived_at.is_(None))
        .values(abandoned_at=moment).execution_options(synchronize_session=False)).rowcount
    last = row.last_statement_at or row.launched_at
    seconds = max(0.0, (last - row.launched_at).total_seconds())
    if claimed:
        row.seconds = seconds
    db.session.commit()
    db.session.refresh(row)
    if not claimed:
        return None
    if row.client_key:  # only the key matters to revocation
        revoke_launch_credentials(basic_header(row.client_key, ""))
    package = db.session.get(ContentPackage, row.package_id)
    au = package.manifest["aus"][row.au_index]
    statement = cmi5_statement(
        actor=row.actor, verb=vocab.ABANDONED, target=au_object(au),
        registration=row.registration, session_id=row.session_id, publisher_id=au["id"],
        result={"duration": iso_duration(seconds)}, when=moment)
    return record_statements([statement])[0]
