"""Notifications: a durable outbox of messages to people, sent by e-mail when SMTP is
configured and readable through the API."""


def init_app(app):
    """Register the models and the API."""
    from lms.extensions import api
    from lms.notifications import models, views  # noqa: F401

    api.register_blueprint(views.blp)
