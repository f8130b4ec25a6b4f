"""Server-rendered pages: the shared layout, sign in and out, the account page, messages,
the API reference, and each role's pages (learner, tutorials, assessment, tutor,
organisation manager, administrator), each area in its own module and template folder."""

import importlib
import logging
from pathlib import Path

log = logging.getLogger(__name__)

# Page areas: module name -> its blueprint attribute `bp`. Each registers if present.
AREAS = ["learner_pages", "tutorial_pages", "assessment_pages", "tutor_pages",
         "learner_records", "manager_pages", "admin_pages", "account_pages",
         "records_actions", "package_pages", "enrolment_pages"]


def init_app(app):
    """Register the pages and the login redirect for anonymous visitors."""
    from lms.access import _LoginRedirect, login_redirect
    from lms.web import api_reference, views
    from lms.web.format import FILTERS

    app.register_blueprint(views.bp)
    app.register_blueprint(api_reference.bp)
    here = Path(__file__).parent
    for area in AREAS:
        if (here / f"{area}.py").is_file():
            app.register_blueprint(importlib.import_module(f"lms.web.{area}").bp)
    app.register_error_handler(_LoginRedirect, login_redirect)
    app.jinja_env.filters.update(FILTERS)
