"""What people pay: RRN memberships (recorded by a person for themself, a manager for their
organisation, an administrator for anyone; confirmed by an administrator, they give the
member price), and invoices with their payments (payers see their own, administrators every
one and record payments received).

The same operations and checks as `/api/v1/memberships` and `/api/v1/invoices`
(`lms.enrolment.memberships`, `lms.invoicing`); a refusal is a message next to its field, never
an error page. URL rules: `lms.web.enrolment_pages`."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.enrolment import memberships as membership_operations
from lms.enrolment.applications import Membership
from lms.enrolment.intakes import london_today
from lms.enrolment.models import Organisation
from lms.errors import InvalidInput, PathwayError
from lms.extensions import db
from lms.invoicing.documents import STATUS_WORDS as INVOICE_STATUS_WORDS
from lms.invoicing.documents import invoice_document
from lms.invoicing.models import Invoice, Payment
from lms.invoicing.operations import (
    invoice_for,
    invoice_reference,
    is_overdue,
    today_in_london,
    visible_invoices,
)
from lms.invoicing.payments import record_payment
from lms.invoicing.prices import gbp
from lms.people.operations import user_by_email
from lms.web import enrolment_forms as forms
from lms.web.admin_forms import choices, show_refusal
from lms.web.forms import ActionForm

SHOWN = 200


def _me():
    return current_user._get_current_object()


# ---- memberships ---------------------------------------------------------------------------

def _holder_choices(me) -> list:
    pairs = [("me", f"Yours ({me.name})")]
    if "admin" in me.role_names:
        pairs += [(f"organisation:{slug}", name) for slug, name in db.session.execute(
            db.select(Organisation.slug, Organisation.name).order_by(Organisation.name))]
    elif "org_manager" in me.role_names and me.organisation is not None:
        pairs.append((f"organisation:{me.organisation.slug}",
                      f"Your organisation's ({me.organisation.name})"))
    return choices(pairs)


def _memberships_page(form=None, status=200):
    me = _me()
    form = form or forms.MembershipForm()
    form.holder.choices = _holder_choices(me)
    found = db.session.execute(
        membership_operations.visible_memberships(me)
        .options(joinedload(Membership.organisation), joinedload(Membership.user),
                 joinedload(Membership.confirmed_by))
        .order_by(Membership.created_at.desc(), Membership.id.desc()).limit(SHOWN)
    ).scalars().all()
    return render_template("enrolment/memberships.html", memberships=found, form=form,
                           today=london_today(), admin="admin" in me.role_names,
                           action_form=ActionForm()), status


@allow("signed-in")
def memberships():
    """The RRN memberships the caller may see, and the form to record one."""
    return _memberships_page()


def _membership_values(form) -> dict:
    """The API's fields from the form: the holder chosen, or a person named by e-mail."""
    values = {"number": form.number.data, "expires_on": form.expires_on.data}
    if form.holder.data.startswith("organisation:"):
        values["organisation"] = form.holder.data.partition(":")[2]
    email = (form.email.data or "").strip()
    if email:
        person = user_by_email(email)
        if person is None:
            raise InvalidInput.field("user", f"no one has the e-mail address {email}")
        values["user"] = person.public_id
    return values


def _place_refusal(form, error) -> None:
    """The operation names `organisation` and `user`; the form asks them as holder and
    e-mail address."""
    aliases = {"organisation": "holder", "user": "email"}
    for item in error.errors or []:
        item["field"] = aliases.get(item.get("field"), item.get("field"))
    show_refusal(form, error)


@allow("signed-in")
def membership_add():
    """Record a membership as `POST /api/v1/memberships` does (unconfirmed until an
    administrator confirms it)."""
    form = forms.MembershipForm()
    form.holder.choices = _holder_choices(_me())
    if not form.validate_on_submit():
        return _memberships_page(form, 422)
    try:
        membership = membership_operations.record_membership(
            _me(), _membership_values(form), london_today())
    except PathwayError as error:
        db.session.rollback()
        _place_refusal(form, error)
        return _memberships_page(form, error.status)
    db.session.commit()
    holder = membership.organisation.name if membership.organisation else membership.user.name
    flash(f"Membership {membership.number} of {holder} recorded. It gives the member price "
          "once an administrator has confirmed it.", "success")
    return redirect(url_for("enrolment_pages.memberships"))


@allow("admin")
def membership_confirm(membership_id):
    """Confirm a membership (having checked it with the RRN)."""
    membership = membership_operations.membership_for(_me(), membership_id)
    if ActionForm().validate_on_submit():
        try:
            membership_operations.confirm_membership(membership, _me())
        except PathwayError as error:
            db.session.rollback()
            flash(error.detail, "error")
        else:
            db.session.commit()
            flash(f"Membership {membership.number} confirmed.", "success")
    return redirect(url_for("enrolment_pages.memberships"))


# ---- invoices ------------------------------------------------------------------------------

@allow("signed-in")
def invoices():
    """The invoices the caller may see (payers their own, administrators every one), newest
    first; filter by status and overdue."""
    today = today_in_london()
    status = request.args.get("status") or ""
    overdue = request.args.get("overdue") or ""
    statement = visible_invoices(_me()).order_by(Invoice.number.desc())
    if status in INVOICE_STATUS_WORDS:
        statement = statement.where(Invoice.status == status)
    if overdue in ("yes", "no"):
        late = (Invoice.status != "paid") & (Invoice.due_on < today)
        statement = statement.where(late if overdue == "yes" else ~late)
    found = db.session.execute(statement.limit(SHOWN + 1)).scalars().all()
    return render_template(
        "enrolment/invoices.html", invoices=found[:SHOWN], more=len(found) > SHOWN,
        status=status, overdue=overdue, status_words=INVOICE_STATUS_WORDS, today=today,
        is_overdue=is_overdue, reference=invoice_reference, gbp=gbp,
        admin="admin" in _me().role_names)


def _invoice_page(number: int, form=None, status=200):
    me = _me()
    invoice = invoice_for(me, number)
    today = today_in_london()
    payments = db.session.execute(
        db.select(Payment).where(Payment.invoice_id == invoice.id)
        .options(joinedload(Payment.recorded_by)).order_by(Payment.id)).scalars().all()
    if form is None and "admin" in me.role_names and invoice.status != "paid":
        form = forms.PaymentForm(formdata=None, received_on=today)
    return render_template("enrolment/invoice.html", invoice=invoice, payments=payments,
                           document=invoice_document(invoice, today), form=form, gbp=gbp,
                           status_words=INVOICE_STATUS_WORDS,
                           reference=invoice_reference(invoice)), status


@allow("signed-in")
def invoice(number):
    """One invoice: status, due date, net, VAT, gross and paid; its payments; links to the
    printable invoice and its PDF; for administrators, recording a payment."""
    return _invoice_page(number)


@allow("admin")
def payment_add(number):
    """Record a payment received, as `POST /api/v1/invoices/<number>/payments` does."""
    invoice = invoice_for(_me(), number)
    form = forms.PaymentForm()
    if not form.validate_on_submit():
        return _invoice_page(number, form, 422)
    try:
        payment = record_payment(invoice, form.amount.amount, form.received_on.data,
                                 form.reference.data or "", _me())
    except PathwayError as error:
        db.session.rollback()
        show_refusal(form, error)
        return _invoice_page(number, form, error.status)
    db.session.commit()
    flash(f"Payment of {gbp(payment.amount)} recorded against {invoice_reference(invoice)}: "
          f"{INVOICE_STATUS_WORDS[invoice.status].lower()}, "
          f"{gbp(invoice.gross_amount - invoice.amount_paid)} still due.", "success")
    return redirect(url_for("enrolment_pages.invoice", number=number))
