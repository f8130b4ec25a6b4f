"""Notifications: a durable outbox of messages to people, sent by e-mail when SMTP is
configured and readable through the API."""


def init_app(app):
    """Register the models."""
    from lms.notifications import models  # noqa: F401
