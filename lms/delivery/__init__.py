"""Delivery: launching an activity for a learner (launch credentials, the `launched`
statement, what the browser opens), the player pages of activity types, and the content
files they show.

Each activity type may bring `templates/` and `static/` folders beside its module; they are
registered here as a blueprint named `activity_<type>` (static files under
`/activity-static/<type>/`), and a type's own `blueprint()` is registered too.
"""

import sys
from pathlib import Path

from flask import Blueprint


def init_app(app):
    """Register the launch API, the player and content routes, and every type's files."""
    from lms.delivery import views
    from lms.extensions import api

    api.register_blueprint(views.blp)
    app.register_blueprint(views.bp)
    # The tracking script the players share (static/tracking.js).
    app.register_blueprint(Blueprint("delivery_static", __name__, static_folder="static",
                                     static_url_path="/activity-static/shared"))
    for name, activity_type in sorted(app.extensions["lms.activity_types"].items()):
        folder = Path(sys.modules[type(activity_type).__module__].__file__).parent
        templates, static = folder / "templates", folder / "static"
        if templates.is_dir() or static.is_dir():
            app.register_blueprint(Blueprint(
                f"activity_{name}", type(activity_type).__module__,
                template_folder=str(templates) if templates.is_dir() else None,
                static_folder=str(static) if static.is_dir() else None,
                static_url_path=f"/activity-static/{name}"))
        own = activity_type.blueprint()
        if own is not None:
            app.register_blueprint(own)
