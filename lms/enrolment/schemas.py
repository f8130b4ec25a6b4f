"""How intakes, applications, seats and memberships appear in the JSON API. Dates are
calendar dates (Europe/London); money is a string of pounds and pence (net of VAT)."""

import marshmallow as ma

from lms.api import PageArgs, page_schema

F = ma.fields


class IntakeSchema(ma.Schema):
    id = F.Integer(dump_only=True)
    qualification = F.Function(lambda i: i.qualification.slug, deserialize=str, required=True,
                               metadata={"description": "The qualification's slug."})
    name = F.String(required=True, validate=ma.validate.Length(min=1, max=200))
    start_date = F.Date(required=True)
    applications_open = F.Date(allow_none=True, load_default=None)
    applications_close = F.Date(allow_none=True, load_default=None,
                                metadata={"description": "Last day; on or before the start."})
    final_payment_date = F.Date(allow_none=True, load_default=None,
                                metadata={"description": "On or before the start."})
    capacity = F.Integer(allow_none=True, load_default=None,
                         validate=ma.validate.Range(min=1),
                         metadata={"description": "Most learners (a cohort takes six)."})
    seats_taken = F.Integer(dump_only=True)


class IntakeUpdateSchema(ma.Schema):
    name = F.String(validate=ma.validate.Length(min=1, max=200))
    start_date = F.Date()
    applications_open = F.Date(allow_none=True)
    applications_close = F.Date(allow_none=True)
    final_payment_date = F.Date(allow_none=True)
    capacity = F.Integer(allow_none=True, validate=ma.validate.Range(min=1))


class IntakeArgs(PageArgs):
    all = F.Boolean(load_default=False,
                    metadata={"description": "Every intake, not only those open now."})


class SeatEnrolmentSchema(ma.Schema):
    id = F.Integer()
    registration = F.String(metadata={"description": "The xAPI registration (UUID)."})
    status = F.String()
    start_date = F.Date()
    window_ends = F.Date()


class SeatSchema(ma.Schema):
    number = F.Integer()
    learner = F.Function(lambda s: {"id": s.learner.public_id, "name": s.learner.name})
    enrolment = F.Nested(SeatEnrolmentSchema, attribute="shown_enrolment", allow_none=True,
                         metadata={"description": "The learner's enrolment, once accepted "
                                   "(when the caller may see it)."})


class ApplicationSchema(ma.Schema):
    id = F.Integer()
    intake = F.Integer(attribute="intake_id")
    kind = F.String()
    status = F.String(metadata={"enum": ["submitted", "accepted", "declined", "withdrawn"]})
    applicant = F.Function(lambda a: {"id": a.applicant.public_id, "name": a.applicant.name})
    organisation = F.Function(lambda a: a.organisation.slug if a.organisation else None)
    member = F.Boolean(metadata={"description": "An RRN member when it was priced."})
    net_amount = F.Decimal(as_string=True, places=2,
                           metadata={"description": "The price, net of VAT (GBP)."})
    currency = F.Function(lambda a: a.price.currency)
    seats = F.List(F.Nested(SeatSchema))
    cohort = F.Integer(attribute="cohort_id", allow_none=True)
    invoice = F.Method("_invoice", allow_none=True)
    submitted_at = F.AwareDateTime()
    decided_at = F.AwareDateTime(allow_none=True)
    decision_note = F.String()

    def _invoice(self, application):
        from lms.extensions import db
        from lms.invoicing.models import Invoice
        from lms.invoicing.operations import invoice_reference

        invoice = db.session.execute(db.select(Invoice).where(
            Invoice.application_id == application.id)).scalar_one_or_none()
        if invoice is None:
            return None
        return {"id": invoice.id, "number": invoice_reference(invoice),
                "net": str(invoice.net_amount), "vat": str(invoice.vat_amount),
                "gross": str(invoice.gross_amount), "due_on": invoice.due_on.isoformat(),
                "status": invoice.status}


ApplicationPage = page_schema(ApplicationSchema, "ApplicationPage")
IntakePage = page_schema(IntakeSchema, "IntakePage")


class ApplicationCreateSchema(ma.Schema):
    intake = F.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    kind = F.String(required=True, validate=ma.validate.OneOf(["individual", "cohort"]))
    learners = F.List(F.String(), load_default=list,
                      metadata={"description": "A cohort's learners' public ids (0 to 6)."})


class ApplicationArgs(PageArgs):
    status = F.String(validate=ma.validate.OneOf(["submitted", "accepted", "declined",
                                                  "withdrawn"]))
    intake = F.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))


class LearnersSchema(ma.Schema):
    learners = F.List(F.String(), required=True, validate=ma.validate.Length(min=1),
                      metadata={"description": "Public ids of the learners to add."})


class DecisionSchema(ma.Schema):
    decision = F.String(required=True, validate=ma.validate.OneOf(["accept", "decline"]))
    note = F.String(load_default="", validate=ma.validate.Length(max=5000))


class MembershipSchema(ma.Schema):
    id = F.Integer(dump_only=True)
    scheme = F.String(dump_only=True)
    number = F.String(required=True, validate=ma.validate.Length(min=1, max=50))
    expires_on = F.Date(required=True)
    organisation = F.Function(lambda m: m.organisation.slug if m.organisation else None,
                              deserialize=str, allow_none=True,
                              metadata={"description": "The organisation's slug (or omit)."})
    user = F.Function(lambda m: m.user.public_id if m.user else None, deserialize=str,
                      allow_none=True, metadata={"description": "A person's public id "
                                                 "(default: yourself)."})
    confirmed = F.Function(lambda m: m.confirmed_at is not None, dump_only=True)
    confirmed_at = F.AwareDateTime(dump_only=True, allow_none=True)
    confirmed_by = F.Function(lambda m: m.confirmed_by.name if m.confirmed_by else None,
                              dump_only=True)


MembershipPage = page_schema(MembershipSchema, "MembershipPage")
