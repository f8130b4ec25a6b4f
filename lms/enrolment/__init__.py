"""Enrolment: organisations, intakes, cohorts and learners' enrolments on a qualification.

Each enrolment has a UUID used as the xAPI `registration` of everything learnt under it, and
an 18-month window (the qualification's `months_to_complete`) from the intake's start."""


def init_app(app):
    """Nothing to register yet beyond the models, which the API of `people` reads."""
    from lms.enrolment import applications, models  # noqa: F401  (tables known to the metadata)
