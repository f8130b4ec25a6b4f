"""Enrolment: organisations, intakes, cohorts and learners' enrolments on a qualification.

Each enrolment has a UUID used as the xAPI `registration` of everything learnt under it, and
an 18-month window (the qualification's `months_to_complete`) from the intake's start."""


def init_app(app):
    """Register the models (which the API of `people` reads) and the changes API."""
    from lms.enrolment import (  # noqa: F401  (tables known to the metadata)
        applications,
        changes_views,
        models,
    )
    from lms.extensions import api

    api.register_blueprint(changes_views.blp)

    from lms.enrolment import application_views, views  # intakes, memberships, applications

    api.register_blueprint(views.blp)
    api.register_blueprint(application_views.blp)
