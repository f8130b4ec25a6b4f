"""Invoicing: prices with VAT, invoices numbered without gaps (HTML and PDF), payments, and
overdue invoices flagged by the scheduler."""


def init_app(app):
    """Register the models."""
    from lms.invoicing import models  # noqa: F401
