"""Tutorials: tutors' availability, group sessions (with waitlists) and individual
tutorials, bookings with their rules and history, iCalendar invitations and private feeds,
reminders run by the scheduler, and attendance recorded as xAPI statements."""


def init_app(app):
    """Register the models, the API and the calendar feed."""
    from lms.extensions import api
    from lms.tutorials import (
        models,  # noqa: F401
        views,
    )

    api.register_blueprint(views.blp)
    app.register_blueprint(views.feed)
