"""Invoices: the API, the invoice page and its PDF, payments and the finance CSV.

`GET  /api/v1/invoices` (filters `status`, `overdue`), `GET /api/v1/invoices/<number>`
`GET|POST /api/v1/invoices/<number>/payments` (recording a payment: administrators)
`GET  /api/v1/invoices.csv` (administrators)
`GET  /invoices/<number>` (the page) and `/invoices/<number>.pdf`

Administrators see every invoice; an organisation's managers their organisation's; an
individual the ones they pay; nobody else any (404, as for an invoice that does not exist).
"""

from flask import Blueprint as PageBlueprint
from flask import Response, render_template, url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import next_link, paginate
from lms.extensions import db
from lms.invoicing import schemas
from lms.invoicing.documents import invoice_document, invoice_pdf
from lms.invoicing.export import invoices_csv
from lms.invoicing.models import Invoice, Payment
from lms.invoicing.operations import (
    invoice_for,
    invoice_reference,
    is_overdue,
    today_in_london,
    visible_invoices,
)
from lms.invoicing.payments import record_payment

blp = Blueprint("invoices", __name__, url_prefix="/api/v1",
                description="Invoices, their payments, and the CSV export for finance.")
bp = PageBlueprint("invoicing", __name__, template_folder="templates")


def invoice_payload(invoice: Invoice, today) -> dict:
    """An invoice as the API shows it."""
    return {
        "number": invoice.number, "reference": invoice_reference(invoice),
        "application": invoice.application_id,
        "payer": {"name": invoice.payer_name, "organisation": invoice.payer_organisation_id,
                  "user": invoice.payer_user_id},
        "issued_on": invoice.issued_on, "due_on": invoice.due_on, "lines": invoice.lines,
        "currency": invoice.currency, "net_amount": invoice.net_amount,
        "vat_rate": invoice.vat_rate, "vat_amount": invoice.vat_amount,
        "gross_amount": invoice.gross_amount, "amount_paid": invoice.amount_paid,
        "amount_due": invoice.gross_amount - invoice.amount_paid, "status": invoice.status,
        "overdue": is_overdue(invoice, today),
        "links": {"html": url_for("invoicing.invoice_page", number=invoice.number,
                                  _external=True),
                  "pdf": url_for("invoicing.invoice_pdf_file", number=invoice.number,
                                 _external=True)},
    }


def _filtered(statement, args, today):
    if args.get("status"):
        statement = statement.where(Invoice.status == args["status"])
    if args.get("overdue") is not None:
        late = (Invoice.status != "paid") & (Invoice.due_on < today)
        statement = statement.where(late if args["overdue"] else ~late)
    return statement


@blp.route("/invoices")
class Invoices(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.InvoiceArgs, location="query")
    @blp.response(200, schemas.InvoicePage)
    def get(self, args):
        """The invoices the caller may see, by number."""
        today = today_in_london()
        page = paginate(db, _filtered(visible_invoices(current_user), args, today),
                        Invoice.number, args)
        headers = next_link(page)
        page["items"] = [invoice_payload(invoice, today) for invoice in page["items"]]
        return page, 200, headers


@blp.route("/invoices.csv")
class InvoicesCsv(MethodView):
    @allow("admin")
    @blp.arguments(schemas.InvoiceCsvArgs, location="query")
    @blp.response(200, description="Every invoice as CSV (text/csv), for finance.")
    def get(self, args):
        """Every invoice as CSV: number, issued, due, payer, net, vat, gross, paid, status,
        overdue (administrators)."""
        today = today_in_london()
        invoices = db.session.execute(_filtered(db.select(Invoice), args, today)
                                      .order_by(Invoice.number)).scalars()
        return Response(invoices_csv(invoices, today), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="invoices-{today.isoformat()}.csv"',
            "Cache-Control": "private, no-store"})


@blp.route("/invoices/<int:number>")
class InvoiceDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.InvoiceSchema)
    def get(self, number):
        """One invoice: payer, dates, lines, net, VAT, gross, paid, due and status."""
        return invoice_payload(invoice_for(current_user, number), today_in_london())


@blp.route("/invoices/<int:number>/payments")
class Payments(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.PaymentSchema(many=True))
    def get(self, number):
        """The payments recorded against an invoice, oldest first."""
        invoice = invoice_for(current_user, number)
        return db.session.execute(db.select(Payment).where(Payment.invoice_id == invoice.id)
                                  .order_by(Payment.id)).scalars().all()

    @allow("admin")
    @blp.arguments(schemas.PaymentSchema)
    @blp.response(201, schemas.PaymentResultSchema)
    def post(self, data, number):
        """Record a payment received (administrators). The invoice becomes part paid or
        paid; payments never add up to more than the gross (422)."""
        invoice = invoice_for(current_user, number)
        payment = record_payment(invoice, data["amount"], data["received_on"],
                                 data["reference"], current_user._get_current_object())
        db.session.commit()
        return {"payment": payment, "invoice": invoice_payload(invoice, today_in_london())}


@bp.get("/invoices/<int:number>")
@allow("signed-in")
def invoice_page(number):
    """The invoice for the browser (and for printing)."""
    invoice = invoice_for(current_user, number)
    document = invoice_document(invoice, today_in_london())
    return render_template("invoicing/invoice.html", invoice=document,
                           pdf_url=url_for(".invoice_pdf_file", number=number))


@bp.get("/invoices/<int:number>.pdf")
@allow("signed-in")
def invoice_pdf_file(number):
    """The invoice as a PDF."""
    invoice = invoice_for(current_user, number)
    pdf = invoice_pdf(invoice_document(invoice, today_in_london()))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{invoice_reference(invoice)}.pdf"',
        "Cache-Control": "private, no-store"})
