"""Content: files served to learners (readings, films) and uploaded content packages."""


def init_app(app):
    """Register the models."""
    from lms.content import models  # noqa: F401
