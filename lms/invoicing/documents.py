"""An invoice as a document people read: the same content for the HTML page and the PDF
(seller, payer, number as printed, dates in words, lines, net, VAT, gross, paid, due, status).

The PDF is drawn with fpdf2 (pure Python, no system libraries) in its built-in Helvetica,
which has Latin-1 characters only: other characters lose their accents, or become "?"."""

import unicodedata
from datetime import date

from flask import current_app
from fpdf import FPDF

from lms.invoicing.models import Invoice
from lms.invoicing.operations import invoice_reference, is_overdue
from lms.invoicing.prices import gbp

STATUS_WORDS = {"unpaid": "Unpaid", "part-paid": "Part paid", "paid": "Paid"}


def day_in_words(day: date) -> str:
    """'Friday 29 March 2024' (dates of invoices are Europe/London dates)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def invoice_document(invoice: Invoice, today: date) -> dict:
    """What an invoice shows, as text ready to print."""
    seller = current_app.config["INVOICE_SELLER"]
    overdue = is_overdue(invoice, today)
    status = STATUS_WORDS[invoice.status] + (", overdue" if overdue else "")
    return {
        "reference": invoice_reference(invoice),
        "number": invoice.number,
        "seller": {"name": seller.get("name", ""), "address": list(seller.get("address", [])),
                   "vat_number": seller.get("vat_number", ""),
                   "email": seller.get("email", "")},
        "payer": invoice.payer_name,
        "issued": day_in_words(invoice.issued_on),
        "due": day_in_words(invoice.due_on),
        "lines": [{"description": line["description"], "quantity": line.get("quantity", 1),
                   "unit_net": gbp(line["unit_net"]), "net": gbp(line["net"])}
                  for line in invoice.lines],
        "net": gbp(invoice.net_amount),
        "vat_rate": f"{invoice.vat_rate * 100:.0f}%",
        "vat": gbp(invoice.vat_amount),
        "gross": gbp(invoice.gross_amount),
        "paid": gbp(invoice.amount_paid),
        "amount_due": gbp(invoice.gross_amount - invoice.amount_paid),
        "status": status,
        "overdue": overdue,
    }


def _latin1(text: str) -> str:
    """Text the PDF's built-in font can draw: accents dropped where that is not enough."""
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                        if not unicodedata.combining(c))
        return plain.encode("latin-1", "replace").decode("latin-1")


def invoice_pdf(document: dict) -> bytes:
    """The invoice as an A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Invoice {document['reference']}"))
    pdf.set_author(_latin1(document["seller"]["name"]))
    pdf.add_page()
    width = pdf.epw

    def text(value, size=10, style="", align="L", height=5.5):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, _latin1(str(value)), align=align,
                       new_x="LMARGIN", new_y="NEXT")

    seller = document["seller"]
    text(seller["name"], size=16, style="B")
    for line in seller["address"]:
        text(line)
    if seller["vat_number"]:
        text(f"VAT number: {seller['vat_number']}")
    pdf.ln(6)
    text(f"Invoice {document['reference']}", size=14, style="B")
    text(f"Issued: {document['issued']}")
    text(f"Due: {document['due']}")
    text(f"Status: {document['status']}", style="B")
    pdf.ln(4)
    text("Bill to", style="B")
    text(document["payer"])
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=(110, 20, 30, 30), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   first_row_as_headings=True) as table:
        table.row(["Description", "Quantity", "Unit price (net)", "Net"])
        for line in document["lines"]:
            table.row([_latin1(line["description"]), str(line["quantity"]),
                       _latin1(line["unit_net"]), _latin1(line["net"])])
    pdf.ln(4)
    for label, key in (("Net", "net"), (f"VAT at {document['vat_rate']}", "vat"),
                       ("Total (gross)", "gross"), ("Paid", "paid"),
                       ("Amount due", "amount_due")):
        text(f"{label}: {document[key]}", style="B" if key in ("gross", "amount_due") else "",
             align="R")
    pdf.ln(6)
    text(f"Please quote {document['reference']} with your payment."
         + (f" Questions: {seller['email']}." if seller["email"] else ""), size=9)
    return bytes(pdf.output())
