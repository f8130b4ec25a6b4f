"""The SCORM runtime's endpoint, `POST /scorm/attempts/<id>/commit`, and the player's
"Start again" form, `POST /learn/<enrolment_id>/<slug>/scorm/start-again`.

The player page's JavaScript sends the values the SCO set since its last successful commit:
`{"token", "sequence", "event": initialize|commit|terminate|unload, "values": [[name, value],
...]}`. The learner must be signed in (session cookie) and own the attempt (anyone else: 404,
nothing told); `token` must be the runtime token of the attempt's open session (its hash is
stored; compared in constant time; else 403). The token in the body is also what protects the
endpoint from cross-site requests: `navigator.sendBeacon` cannot send a CSRF header, and no
other site can read the token from the player page. Each `sequence` is applied once (a retried
request answers 200 with `"duplicate": true`); a session that has ended answers 409; a value
the data model refuses answers 422 naming it (`values[2] cmi.suspend_data`), and nothing of
the request is stored. Answers are JSON; errors `application/problem+json`.

After the attempt row is committed, the run-time events become statements (ADL's SCORM
profile) and, when the package's standing changes, Pathway's completed/passed/failed about
the catalogue activity.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request
from flask_login import current_user

from activities.scorm import runtime
from activities.scorm.player import record_after_commit
from activities.scorm.statements import AttemptStatements, rollup_statement
from lms.access import allow
from lms.delivery.operations import LAUNCHABLE
from lms.errors import Conflict, answers_json
from lms.extensions import csrf, db

bp = Blueprint("scorm_runtime", __name__)


def _standing(attempt, package, changed: runtime.Status | None = None):
    """The package's standing from every SCO's current attempt (with `changed` as the
    standing of `attempt`'s SCO), and those standings."""
    attempts = runtime.current_attempts(attempt.enrolment_id, attempt.activity_id)
    statuses = []
    for item in runtime.sco_items(package):
        if item["identifier"] == attempt.sco_identifier and changed is not None:
            statuses.append(changed)
        else:
            statuses.append(runtime.status_of(attempts.get(item["identifier"])))
    return runtime.package_rollup(statuses), statuses


@bp.post("/scorm/attempts/<int:attempt_id>/commit")
@csrf.exempt  # the runtime token in the body does the CSRF check (see the module's text)
@answers_json
@allow("learner")
def commit(attempt_id: int):
    """Apply one commit of the SCO's run-time data to the learner's attempt."""
    from lms.content.operations import current_package

    body = request.get_json(force=True, silent=True)
    commit = runtime.read_commit(body)
    attempt = runtime.attempt_for(attempt_id, current_user)
    runtime.check_token(attempt, commit.token)
    if attempt.session_mode == "normal" and attempt.enrolment.status not in LAUNCHABLE:
        raise Conflict(f"Enrolment {attempt.enrolment_id} is {attempt.enrolment.status}: its "
                       "activities cannot be worked on; nothing was stored.")
    package = current_package(attempt.activity) or attempt.package
    before, _ = _standing(attempt, package)
    happened = runtime.apply_commit(attempt, commit)
    status = runtime.status_of(attempt)
    statements: list[dict] = []
    if happened is not None and attempt.session_mode == "normal":
        title = (runtime.find_item(attempt.package, attempt.sco_identifier) or {}).get(
            "title") or attempt.sco_identifier
        statements = AttemptStatements(attempt, title).of(happened)
        after, statuses = _standing(attempt, package, status)
        if after is not None and after != before:
            statements.append(rollup_statement(attempt.enrolment, attempt.activity, after,
                                               statuses, happened.when))
    answer = {"sequence": commit.sequence, "status": status.as_json(),
              "duplicate": happened is None}
    db.session.commit()
    record_after_commit(statements)
    return jsonify(answer)


@bp.post("/learn/<int:enrolment_id>/<slug>/scorm/start-again")
@allow("learner")
def start_again(enrolment_id: int, slug: str):
    """The player's "Start again" button (field `sco`): a fresh attempt at a SCO that is
    done or failed, then back to the player on that SCO. A form with a CSRF token."""
    from flask_wtf import FlaskForm

    from activities.scorm.player import player_url
    from activities.scorm.player import start_again as start
    from lms.delivery.operations import activity_of_enrolment
    from lms.enrolment.operations import enrolment_for
    from lms.errors import Forbidden

    if not FlaskForm().validate_on_submit():
        abort(400, "The form has expired; reload the page and try again.")
    enrolment = enrolment_for(current_user, enrolment_id)
    if enrolment.learner_id != current_user.id:
        raise Forbidden("Only the enrolled learner can start their activities again.")
    activity = activity_of_enrolment(enrolment, slug)
    identifier = request.form.get("sco", "")
    start(enrolment, activity, identifier)
    return redirect(player_url(enrolment, activity, sco=identifier))
