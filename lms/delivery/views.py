"""Launching activities (API and pages), the player pages of activity types, and content files.

API: `POST /api/v1/enrolments/<id>/activities/<slug>/launch`.
Pages: `POST /learn/<id>/<slug>/launch` (a form button: launches, then opens the activity),
`GET /learn/<id>/<slug>/player` (the type's player), `GET /content/<path>` (content files,
with range requests for films).
"""

from pathlib import Path
from urllib.parse import urljoin

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import abort, current_app, redirect, render_template, request, send_from_directory
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf import FlaskForm
from werkzeug.security import safe_join

from lms.access import allow
from lms.catalogue.iris import activity_iri
from lms.delivery import operations
from lms.enrolment.operations import enrolment_for
from lms.errors import Forbidden

blp = Blueprint("delivery", __name__, url_prefix="/api/v1",
                description="Launching activities.")
bp = PageBlueprint("learn", __name__)


class LaunchSchema(ma.Schema):
    url = ma.fields.String(metadata={"description": "What the learner's browser opens."})
    mode = ma.fields.String(metadata={"enum": ["player", "content", "external", "page"]})
    note = ma.fields.String()
    activity = ma.fields.String(metadata={"description": "The activity's slug."})
    activity_iri = ma.fields.String()
    registration = ma.fields.String()


def _launch(enrolment_id: int, slug: str):
    enrolment = enrolment_for(current_user, enrolment_id)
    activity = operations.activity_of_enrolment(enrolment, slug)
    launch = operations.launch_activity(current_user, enrolment, activity)
    return launch, enrolment, activity


@blp.route("/enrolments/<int:enrolment_id>/activities/<slug>/launch")
class LaunchActivity(MethodView):
    @allow("learner")
    @blp.response(201, LaunchSchema)
    def post(self, enrolment_id, slug):
        """Launch an activity: records `launched` in the learner's registration and returns
        what to open (with short-lived launch credentials for content that tracks itself).
        Only the enrolled learner may launch."""
        launch, enrolment, activity = _launch(enrolment_id, slug)
        # Absolute for API clients (the pages redirect to the relative form, which keeps the
        # browser on the host it signed in at).
        url = urljoin(current_app.config["BASE_URL"].rstrip("/") + "/", launch.url)
        return {"url": url, "mode": launch.mode, "note": launch.note,
                "activity": activity.slug, "activity_iri": activity_iri(activity),
                "registration": enrolment.registration}


class LaunchForm(FlaskForm):
    """The "Start" button of an activity (a POST with a CSRF token)."""


@bp.post("/learn/<int:enrolment_id>/<slug>/launch")
@allow("learner")
def launch(enrolment_id, slug):
    """Launch an activity from a page, then open it."""
    if not LaunchForm().validate_on_submit():
        abort(400, "The form has expired; reload the page and try again.")
    found, _, _ = _launch(enrolment_id, slug)
    return redirect(found.url)


@bp.get("/learn/<int:enrolment_id>/<slug>/player")
@allow("learner")
def player(enrolment_id, slug):
    """The activity type's player page, for the enrolled learner. Tracking content reads its
    launch parameters from the query string."""
    enrolment = enrolment_for(current_user, enrolment_id)
    if enrolment.learner_id != current_user.id:
        raise Forbidden("Only the enrolled learner can open their activities.")
    activity = operations.activity_of_enrolment(enrolment, slug)
    kind = operations.activity_type(activity)
    if kind.player_template is None:
        abort(404)
    config = operations.checked_config(kind, activity)
    response = current_app.make_response(render_template(
        kind.player_template, activity=activity, enrolment=enrolment, config=config,
        activity_type=kind, activity_iri=activity_iri(activity),
        **kind.player_page(enrolment, activity, config, request.args, operations.content_url)))
    # The launch credentials are in this page's address: never send it to other sites.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def content_folders() -> list[Path]:
    """Where content files are looked for: the instance's `content/files/` first, then the
    content shipped with Pathway's default catalogue."""
    from lms.catalogue import DEFAULT_CONTENT

    return [Path(current_app.instance_path) / "content" / "files", DEFAULT_CONTENT]


@bp.get("/content/<path:path>")
@allow("signed-in")
def content_file(path):
    """A content file (a reading, a film...), with range requests and conditional GETs."""
    for folder in content_folders():
        found = safe_join(str(folder), path)  # None for a path that leaves the folder
        try:
            is_file = found is not None and Path(found).is_file()
        except (OSError, ValueError):  # a name too long for the file system, say: no file
            is_file = False
        if is_file:
            return send_from_directory(folder, path, conditional=True, max_age=3600)
    abort(404)
