"""The pages of applying and paying, and of changing enrolments: every URL rule of the area in
one place. The views are in `application_pages` (applying, applications, decisions),
`invoice_pages` (RRN memberships, invoices, payments) and `enrolment_change_pages`
(enrolments, their history, withdrawal, deferral, transfer)."""

from flask import Blueprint

from lms.web import application_pages as applications
from lms.web import enrolment_change_pages as enrolments
from lms.web import invoice_pages as invoices

bp = Blueprint("enrolment_pages", __name__, template_folder="templates")

RULES = [
    # (URL, endpoint, view, methods)
    ("/apply", "apply", applications.apply, ["GET"]),
    ("/apply", "apply_post", applications.apply_post, ["POST"]),
    ("/applications", "applications", applications.applications, ["GET"]),
    ("/applications/<int:application_id>", "application", applications.application, ["GET"]),
    ("/applications/<int:application_id>/decision", "application_decision",
     applications.decide, ["POST"]),
    ("/applications/<int:application_id>/learners", "application_learners_add",
     applications.add_learners, ["POST"]),
    ("/applications/<int:application_id>/learners/<public_id>/remove",
     "application_learner_remove", applications.remove_learner, ["POST"]),
    ("/applications/<int:application_id>/withdrawal", "application_withdrawal",
     applications.withdraw, ["POST"]),
    ("/memberships", "memberships", invoices.memberships, ["GET"]),
    ("/memberships", "membership_add", invoices.membership_add, ["POST"]),
    ("/memberships/<int:membership_id>/confirm", "membership_confirm",
     invoices.membership_confirm, ["POST"]),
    ("/invoices", "invoices", invoices.invoices, ["GET"]),
    ("/invoices/<int:number>/payments", "invoice", invoices.invoice, ["GET"]),
    ("/invoices/<int:number>/payments", "payment_add", invoices.payment_add, ["POST"]),
    ("/enrolments", "enrolments", enrolments.enrolments, ["GET"]),
    ("/enrolments/<int:enrolment_id>", "enrolment", enrolments.enrolment, ["GET"]),
    ("/enrolments/<int:enrolment_id>/withdrawal", "enrolment_withdrawal",
     enrolments.withdraw, ["POST"]),
    ("/enrolments/<int:enrolment_id>/deferral", "enrolment_deferral", enrolments.defer,
     ["POST"]),
    ("/enrolments/<int:enrolment_id>/transfer", "enrolment_transfer", enrolments.transfer,
     ["POST"]),
]

for url, endpoint, view, methods in RULES:
    bp.add_url_rule(url, endpoint, view_func=view, methods=methods)
