"""Marshmallow schemas of the invoices API. Amounts are strings of exact decimals
("2100.00"), never floats."""

import marshmallow as ma
from marshmallow import validate

from lms.api import PageArgs, page_schema

STATUSES = ("unpaid", "part-paid", "paid")


def Money(**kwargs):  # noqa: N802 (a field factory, read like a field class)
    return ma.fields.Decimal(as_string=True, places=2, **kwargs)


class InvoiceArgs(PageArgs):
    status = ma.fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    overdue = ma.fields.Boolean(load_default=None, metadata={
        "description": "Only invoices not fully paid whose due date has passed (true), or "
                       "the others (false)."})


class InvoiceCsvArgs(ma.Schema):
    status = ma.fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    overdue = ma.fields.Boolean(load_default=None)


class InvoicePayerSchema(ma.Schema):
    name = ma.fields.String()
    organisation = ma.fields.Integer(allow_none=True,
                                     metadata={"description": "The paying organisation's id."})
    user = ma.fields.Integer(allow_none=True,
                             metadata={"description": "The paying individual's id."})


class InvoiceLineSchema(ma.Schema):
    description = ma.fields.String()
    quantity = ma.fields.Integer()
    unit_net = Money()
    net = Money()


class InvoiceSchema(ma.Schema):
    number = ma.fields.Integer()
    reference = ma.fields.String(metadata={"description": "The number as printed: PW-000042."})
    application = ma.fields.Integer(metadata={"description": "The application's id."})
    payer = ma.fields.Nested(InvoicePayerSchema)
    issued_on = ma.fields.Date()
    due_on = ma.fields.Date()
    lines = ma.fields.List(ma.fields.Nested(InvoiceLineSchema))
    currency = ma.fields.String()
    net_amount = Money()
    vat_rate = ma.fields.Decimal(as_string=True)
    vat_amount = Money()
    gross_amount = Money()
    amount_paid = Money()
    amount_due = Money()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    overdue = ma.fields.Boolean()
    links = ma.fields.Dict(metadata={"description": "The invoice's page (html) and PDF."})


InvoicePage = page_schema(InvoiceSchema, "InvoicePage")


class PaymentSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    # Not quantized on the way in: an amount with fractions of a penny is refused, not rounded.
    amount = ma.fields.Decimal(as_string=True, required=True,
                               validate=validate.Range(min=0, min_inclusive=False),
                               metadata={"example": "1000.00"})
    received_on = ma.fields.Date(required=True)
    reference = ma.fields.String(load_default="", validate=validate.Length(max=100))
    recorded_by = ma.fields.Function(
        lambda payment: payment.recorded_by.name if payment.recorded_by else None,
        dump_only=True)
    recorded_at = ma.fields.DateTime(dump_only=True)


class PaymentResultSchema(ma.Schema):
    payment = ma.fields.Nested(PaymentSchema)
    invoice = ma.fields.Nested(InvoiceSchema)
