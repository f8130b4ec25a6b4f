"""Invoices as CSV for finance: one row per invoice, amounts as plain decimals (no £, no
thousands separators) so a spreadsheet reads them as numbers."""

import csv
import io
from datetime import date

from lms.invoicing.models import Invoice
from lms.invoicing.operations import invoice_reference, is_overdue
from xapi.export import spreadsheet_safe

CSV_COLUMNS = ["number", "issued", "due", "payer", "net", "vat", "gross", "paid", "status",
               "overdue"]


def invoice_row(invoice: Invoice, today: date) -> list:
    """One invoice as a CSV row (CSV_COLUMNS)."""
    return [invoice_reference(invoice), invoice.issued_on.isoformat(),
            invoice.due_on.isoformat(), spreadsheet_safe(invoice.payer_name),
            f"{invoice.net_amount:.2f}", f"{invoice.vat_amount:.2f}",
            f"{invoice.gross_amount:.2f}", f"{invoice.amount_paid:.2f}", invoice.status,
            "yes" if is_overdue(invoice, today) else "no"]


def invoices_csv(invoices, today: date) -> str:
    """The CSV text of `invoices`, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for invoice in invoices:
        writer.writerow(invoice_row(invoice, today))
    return out.getvalue()
