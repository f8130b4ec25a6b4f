"""Tutorials: tutors' availability, group sessions (with waitlists) and individual
tutorials, bookings with their rules and history, iCalendar invitations and private feeds,
reminders run by the scheduler, and attendance recorded as xAPI statements."""


def init_app(app):
    """Register the models, the API and the calendar feed; free a learner's tutorials when
    their enrolment is withdrawn, deferred or transferred."""
    from lms.extensions import api
    from lms.signals import enrolment_left
    from lms.tutorials import bookings, models, views  # noqa: F401

    api.register_blueprint(views.blp)
    app.register_blueprint(views.feed)
    enrolment_left.connect(bookings.on_enrolment_left)
