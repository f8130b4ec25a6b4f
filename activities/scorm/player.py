"""The SCORM player page: the table of contents with each SCO's status, and the chosen SCO
with an open session of the learner's attempt at it.

Query arguments: `sco` (an item identifier; by default the first SCO not yet completed or
passed, else the first) and `mode=review` (look at the current attempt again: no credit,
nothing stored). "Start again" (a fresh attempt at a SCO that is completed, passed or failed)
is a form posted to `start_again`, never a link: a GET must not throw away a learner's work.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import url_for

from activities.scorm import runtime
from activities.scorm.statements import AttemptStatements
from lms.errors import Conflict, NotFound
from lms.extensions import db

log = logging.getLogger(__name__)

STATUS_LABELS = {
    "not attempted": "Not started",
    "unknown": "In progress",
    "incomplete": "In progress",
    "browsed": "Browsed",
    "completed": "Completed",
}


def status_label(status: runtime.Status, sessions: int = 0) -> str:
    """The learner's words for a SCO's standing."""
    if status.success == "passed":
        return "Passed"
    if status.success == "failed":
        return "Failed"
    if status.completion not in ("completed", "browsed") and not sessions:
        return "Not started"  # never opened (SCORM 2004 says "unknown" for that too)
    if status.completion == "not attempted":
        return "In progress"
    return STATUS_LABELS.get(status.completion, "In progress")


def player_url(enrolment, activity, **query) -> str:
    """The player page's address with `query` (None values left out)."""
    url = url_for("learn.player", enrolment_id=enrolment.id, slug=activity.slug)
    query = {k: v for k, v in query.items() if v is not None}
    return f"{url}?{urlencode(query)}" if query else url


def launch_address(package, item: dict) -> str:
    """The URL of the item's launch file, with the query and fragment of its launch path."""
    from lms.content.operations import file_url

    path = item["launch_path"]
    path, hash_mark, fragment = path.partition("#")
    path, question, query = path.partition("?")
    url = file_url(package, path)
    return url + (question + query if query else "") + (hash_mark + fragment if fragment else "")


def record_after_commit(statements: list[dict]) -> None:
    """Record statements after our rows are committed (the LRS writes on its own
    connection); a failure is logged: the learner's data is already kept."""
    if not statements:
        return
    from lms.progress.record import record_statements

    try:
        record_statements(statements)
    except Exception:
        log.exception("SCORM statements could not be recorded")


def player_page(enrolment, activity, args) -> dict:
    """Open the session the page asks for (committing it) and return the template's
    values: `scorm` with the table of contents, the SCO's address and the runtime's
    configuration."""
    from lms.content.operations import current_package
    from lms.delivery.operations import LAUNCHABLE

    package = current_package(activity)
    if package is None or package.kind not in ("scorm12", "scorm2004"):
        raise Conflict(f"activity: {activity.title} has no SCORM package uploaded yet.")
    scos = runtime.sco_items(package)
    if not scos:
        raise Conflict("activity: the package has no SCO to open.")
    attempts = runtime.current_attempts(enrolment.id, activity.id)

    def standing(identifier: str) -> runtime.Status:
        return runtime.status_of(attempts.get(identifier))

    identifier = args.get("sco") or next(
        (item["identifier"] for item in scos if not standing(item["identifier"]).done),
        scos[0]["identifier"])
    item = runtime.find_item(package, identifier)
    if item is None:
        raise NotFound(f"sco: the package has no item {identifier!r} to open.")
    review = args.get("mode") == "review"
    attempt = attempts.get(identifier)
    statements: list[dict] = []
    config = None
    if item.get("sco"):
        if not review and enrolment.status not in LAUNCHABLE:
            raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: its activities "
                           "can be reviewed but not worked on.")
        if attempt is not None:
            happened = runtime.close_abandoned(attempt)
            if happened is not None:
                statements += AttemptStatements(attempt, item.get("title") or "").of(happened)
        if attempt is None:
            if enrolment.status not in LAUNCHABLE:  # nothing to review: it would be a start
                raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: its "
                               "activities cannot be started.")
            review = False  # nothing to review yet: the first session
            attempt = runtime.new_attempt(enrolment, activity, package, identifier, 1)
        mode = "review" if review else "normal"
        token = runtime.open_session(attempt, mode)
        launch_package = attempt.package if runtime.find_item(
            attempt.package, identifier) else package
        config = {
            "version": runtime.package_version(attempt.package),
            "commitUrl": url_for("scorm_runtime.commit", attempt_id=attempt.id),
            "token": token,
            "initial": runtime.initial_values(attempt, enrolment.learner, mode),
            "commitEveryMs": runtime.COMMIT_EVERY_MS,
            "mode": mode,
            "sco": identifier,
            "attempt": attempt.number,
        }
        attempts[identifier] = attempt
        launch = launch_address(launch_package, runtime.find_item(launch_package, identifier))
    else:  # an asset: shown, not tracked
        launch = launch_address(package, item)
    db.session.commit()
    record_after_commit(statements)
    current = attempts.get(identifier)
    status = runtime.status_of(current)
    return {"scorm": {
        "version": runtime.package_version(package),
        "items": _contents(package, attempts, identifier, enrolment, activity),
        "item": item,
        "launch_url": launch,
        "config": config,
        "review": config is not None and config["mode"] == "review",
        "status": status_label(status, current.sessions if current else 0),
        "attempt_number": current.number if current else None,
        "can_start_again": current is not None and (
            status.done or status.success == "failed"),
        "start_again_url": url_for("scorm_runtime.start_again", enrolment_id=enrolment.id,
                                   slug=activity.slug),
        "review_url": player_url(enrolment, activity, sco=identifier, mode="review"),
        "continue_url": player_url(enrolment, activity, sco=identifier),
        "unsupported": (package.manifest or {}).get("unsupported") or [],
        **_neighbours(package, identifier, enrolment, activity),
    }}


def _neighbours(package, chosen: str, enrolment, activity) -> dict:
    """The launchable items before and after the chosen one, in the table of contents'
    order: the player's Previous and Next (packages made for an LMS's flow buttons)."""
    launchable = [item for item in runtime.manifest_items(package)
                  if item.get("launch_path") and
                  (item.get("isvisible") is not False or item.get("sco"))]
    here = next((i for i, item in enumerate(launchable) if item["identifier"] == chosen), None)

    def link(index: int) -> dict | None:
        if here is None or not 0 <= index < len(launchable):
            return None
        item = launchable[index]
        return {"title": item.get("title") or item["identifier"],
                "url": player_url(enrolment, activity, sco=item["identifier"])}

    return {"previous": link(here - 1) if here is not None else None,
            "next": link(here + 1) if here is not None else None}


def _contents(package, attempts: dict, chosen: str, enrolment, activity) -> list[dict]:
    """The table of contents: every visible item (and every SCO) in organization order."""
    entries = []
    for item in runtime.manifest_items(package):
        if item.get("isvisible") is False and not item.get("sco"):
            continue
        attempt = attempts.get(item["identifier"])
        entries.append({
            "identifier": item["identifier"],
            "title": item.get("title") or item["identifier"],
            "depth": int(item.get("depth") or 0),
            "sco": bool(item.get("sco")),
            "launchable": bool(item.get("launch_path")),
            "current": item["identifier"] == chosen,
            "status": status_label(runtime.status_of(attempt), attempt.sessions
                                   if attempt else 0) if item.get("sco") else None,
            "url": player_url(enrolment, activity, sco=item["identifier"])
            if item.get("launch_path") else None,
        })
    return entries


def start_again(enrolment, activity, identifier: str) -> None:
    """A fresh attempt at the SCO `identifier` (the learner's "Start again"), once its current
    attempt is completed, passed or failed; before that nothing changes (the earlier attempt
    goes on). The earlier attempt is kept. Commits."""
    from lms.content.operations import current_package
    from lms.delivery.operations import LAUNCHABLE

    if enrolment.status not in LAUNCHABLE:
        raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: its activities "
                       "cannot be started again.")
    package = current_package(activity)
    if package is None or package.kind not in ("scorm12", "scorm2004"):
        raise Conflict(f"activity: {activity.title} has no SCORM package uploaded yet.")
    item = runtime.find_item(package, identifier)
    if item is None or not item.get("sco"):
        raise NotFound(f"sco: the package has no SCO {identifier!r} to start again.")
    attempt = runtime.current_attempts(enrolment.id, activity.id).get(identifier)
    if attempt is None or not (attempt.done or attempt.success_status == "failed"):
        return
    statements: list[dict] = []
    happened = runtime.close_abandoned(attempt)
    if happened is not None:
        statements += AttemptStatements(attempt, item.get("title") or "").of(happened)
    runtime.new_attempt(enrolment, activity, package, identifier, attempt.number + 1)
    db.session.commit()
    record_after_commit(statements)
