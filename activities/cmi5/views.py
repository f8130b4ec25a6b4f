"""cmi5 routes.

Pages: `POST /cmi5/<enrolment>/<slug>/aus/<index>/launch` (a button of the course page, with
the CSRF token and a `mode` field: launches the AU and opens it), `GET /cmi5/<enrolment>/
<slug>/waive` and `POST /cmi5/<enrolment>/<slug>/aus/<index>/waive` (the learner's tutor or
an administrator waives an AU). The fetch URL: `POST /cmi5/fetch/<token>` (called by the AU,
not a form: no CSRF, answers any origin). API: `POST /api/v1/enrolments/<id>/activities/
<slug>/aus/<index>/launch` and `.../waive`.
"""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf import FlaskForm

from activities.cmi5 import vocab
from activities.cmi5.fetching import fetch_token
from activities.cmi5.launching import course_package, launch_au
from activities.cmi5.waiving import waive_au
from lms.access import allow
from lms.errors import PathwayError

bp = PageBlueprint("cmi5", __name__)
api_blp = Blueprint("cmi5_api", __name__, url_prefix="/api/v1",
                    description="cmi5 courses: launching an AU, waiving an AU.")


def _enrolment_activity(enrolment_id: int, slug: str):
    from lms.delivery.operations import activity_of_enrolment
    from lms.enrolment.operations import enrolment_for

    enrolment = enrolment_for(current_user, enrolment_id)
    activity = activity_of_enrolment(enrolment, slug)
    if activity.type != "cmi5":
        abort(404)
    return enrolment, activity


# -- the fetch URL -------------------------------------------------------------------------

@bp.post("/cmi5/fetch/<token>")
@allow("anyone")
def fetch(token):
    """The AU's one-use fetch URL: its authorization token the first time, a cmi5 error
    (status 200, as the specification asks) after that."""
    return jsonify(fetch_token(token))


@bp.after_request
def _cross_origin(response):
    """An AU served from another site POSTs to the fetch URL too: let it read the answer
    (the token in the address is the only credential; no cookies are used)."""
    if request.endpoint == "cmi5.fetch":
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Cache-Control"] = "no-store"
    return response


# -- launching an AU -------------------------------------------------------------------------

class LaunchForm(FlaskForm):
    """An AU's launch button (a POST with the CSRF token and the launch mode)."""


@bp.post("/cmi5/<int:enrolment_id>/<slug>/aus/<int:index>/launch")
@allow("learner")
def launch_page(enrolment_id, slug, index):
    """Launch an AU from the course page, then open it."""
    if not LaunchForm().validate_on_submit():
        abort(400, "The form has expired; reload the page and try again.")
    enrolment, activity = _enrolment_activity(enrolment_id, slug)
    launched = launch_au(current_user, enrolment, activity, index, request.form.get("mode"))
    return redirect(launched.local_url)


class LaunchArgs(ma.Schema):
    mode = ma.fields.String(load_default="Normal", metadata={
        "enum": list(vocab.LAUNCH_MODES),
        "description": "Normal (tracked), Browse (look around) or Review (revisit)."})


class AuLaunchSchema(ma.Schema):
    url = ma.fields.String(metadata={"description": "The AU's address with the cmi5 launch "
                                     "parameters (endpoint, fetch, actor, registration, "
                                     "activityId)."})
    session_id = ma.fields.String()
    mode = ma.fields.String()
    au = ma.fields.Dict(metadata={"description": "The AU, as the course structure has it."})
    registration = ma.fields.String()


@api_blp.route("/enrolments/<int:enrolment_id>/activities/<slug>/aus/<int:index>/launch")
class LaunchAu(MethodView):
    @allow("learner")
    @api_blp.arguments(LaunchArgs, required=False)
    @api_blp.response(201, AuLaunchSchema)
    def post(self, args, enrolment_id, slug, index):
        """Launch AU `index` (from 0, in cmi5.xml's order) of a cmi5 course: a new session,
        its `LMS.LaunchData` and `launched`; returns the URL to open (its fetch URL gives
        the AU its token once). An earlier session of the AU still open is abandoned. Only
        the enrolled learner may launch."""
        enrolment, activity = _enrolment_activity(enrolment_id, slug)
        launched = launch_au(current_user, enrolment, activity, index, args.get("mode"))
        return {"url": launched.url, "session_id": launched.session_id,
                "mode": launched.mode, "au": launched.au,
                "registration": enrolment.registration}


# -- waiving an AU ---------------------------------------------------------------------------

class WaiveArgs(ma.Schema):
    reason = ma.fields.String(required=True, metadata={"enum": list(vocab.WAIVE_REASONS)})
    note = ma.fields.String(required=True, metadata={
        "description": "Why the AU is waived: what the learner did instead."})


class WaiverSchema(ma.Schema):
    session_id = ma.fields.String(metadata={"description": "The waiver's own session id."})
    statement_id = ma.fields.String(metadata={"description": "The `waived` statement."})
    satisfied = ma.fields.List(ma.fields.String(), metadata={
        "description": "The `satisfied` statements it led to (blocks, the course)."})


@api_blp.route("/enrolments/<int:enrolment_id>/activities/<slug>/aus/<int:index>/waive")
class WaiveAu(MethodView):
    @allow("tutor", "admin")
    @api_blp.arguments(WaiveArgs)
    @api_blp.response(201, WaiverSchema)
    def post(self, args, enrolment_id, slug, index):
        """Waive AU `index` for the learner with a cmi5 reason and a note: records `waived`,
        then any `satisfied` it leads to. The learner's tutor or an administrator only; 409
        when the AU is already satisfied."""
        enrolment, activity = _enrolment_activity(enrolment_id, slug)
        return waive_au(current_user, enrolment, activity, index, args["reason"],
                        args["note"])


class WaiveForm(FlaskForm):
    """A waiver (reason and note) for one AU."""


@bp.get("/cmi5/<int:enrolment_id>/<slug>/waive")
@allow("tutor", "admin")
def waive_page(enrolment_id, slug):
    """The learner's AUs, with a waiver form for each AU not yet satisfied."""
    from activities.cmi5.course_page import course_view
    from lms.progress.operations import check_tutor_of

    enrolment, activity = _enrolment_activity(enrolment_id, slug)
    check_tutor_of(enrolment, current_user)
    course_package(activity)
    return render_template("cmi5/waive.html", enrolment=enrolment, activity=activity,
                           course=course_view(enrolment, activity),
                           reasons=vocab.WAIVE_REASONS)


@bp.post("/cmi5/<int:enrolment_id>/<slug>/aus/<int:index>/waive")
@allow("tutor", "admin")
def waive_form(enrolment_id, slug, index):
    """Waive an AU from the waiver page; back to it with what happened."""
    if not WaiveForm().validate_on_submit():
        abort(400, "The form has expired; reload the page and try again.")
    enrolment, activity = _enrolment_activity(enrolment_id, slug)
    try:
        waive_au(current_user, enrolment, activity, index, request.form.get("reason"),
                 request.form.get("note"))
    except PathwayError as error:
        if error.status == 403:
            raise
        flash(error.detail, "error")
    else:
        flash("The AU is waived.", "success")
    return redirect(url_for("cmi5.waive_page", enrolment_id=enrolment_id, slug=slug))
