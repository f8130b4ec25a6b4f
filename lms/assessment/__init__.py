"""Practice assessment: evidence with an authenticity declaration, decisions per criterion,
one resubmission, internal verification, and evidence export per learner and unit."""


def init_app(app):
    """Register the models and the practice-assessment API; check the evidence settings."""
    from lms.assessment import evidence, models, views  # noqa: F401
    from lms.extensions import api

    evidence.check_settings(app.config)
    api.register_blueprint(views.blp)
