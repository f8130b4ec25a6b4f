"""Invoicing: prices with VAT, invoices numbered without gaps (HTML and PDF), payments, and
overdue invoices flagged by the scheduler."""


def init_app(app):
    """Register the models, the invoices API and the invoice pages."""
    from lms.extensions import api
    from lms.invoicing import models, views  # noqa: F401

    api.register_blueprint(views.blp)
    app.register_blueprint(views.bp)
