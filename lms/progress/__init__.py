"""Progress: learning recorded as xAPI statements in the LRS (the source of truth), and the
projection made from them (activity status, hours, unit achievement, credits, pace), kept up
to date from the LRS's `statement_stored` signal and rebuildable with `lms progress rebuild`."""


def init_app(app):
    """Register the models (the projection's receiver and API land with their modules)."""
    from lms.progress import models  # noqa: F401
