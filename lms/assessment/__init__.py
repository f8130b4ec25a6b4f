"""Practice assessment: evidence with an authenticity declaration, decisions per criterion,
one resubmission, internal verification, and evidence export per learner and unit."""


def init_app(app):
    """Register the models."""
    from lms.assessment import models  # noqa: F401
