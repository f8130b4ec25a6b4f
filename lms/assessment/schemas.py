"""Schemas of the practice-assessment API: submissions as read, decisions and verifications
as sent, the sample and the declaration."""

import marshmallow as ma
from flask import url_for

from lms.api import page_schema
from lms.assessment import rules
from lms.catalogue.schemas import CriterionSchema


class PersonSchema(ma.Schema):
    id = ma.fields.String(attribute="public_id")
    name = ma.fields.String()


class EvidenceFileSchema(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer(metadata={"description": "Bytes."})
    sha256 = ma.fields.String()
    url = ma.fields.Method("_url", metadata={"description": "Download it here."})

    def _url(self, evidence_file):
        return url_for("assessment.EvidenceFileDownload",
                       submission_id=evidence_file.submission_id, file_id=evidence_file.id)


class CriterionDecisionSchema(ma.Schema):
    code = ma.fields.String(attribute="criterion.code")
    text = ma.fields.String(attribute="criterion.text")
    decision = ma.fields.String(metadata={"enum": ["met", "not-yet-met"]})
    feedback = ma.fields.String()


class VerificationSchema(ma.Schema):
    id = ma.fields.Integer()
    outcome = ma.fields.String(metadata={"enum": ["agreed", "action-required"]})
    comment = ma.fields.String()
    verifier = ma.fields.Nested(PersonSchema, allow_none=True)
    created_at = ma.fields.AwareDateTime()
    statement_id = ma.fields.String(metadata={"description": "The `reviewed` statement."})


class SubmissionSchema(ma.Schema):
    id = ma.fields.Integer()
    enrolment_id = ma.fields.Integer()
    learner = ma.fields.Nested(PersonSchema, attribute="enrolment.learner")
    activity = ma.fields.String(attribute="activity.slug")
    activity_title = ma.fields.String(attribute="activity.title")
    unit = ma.fields.String(attribute="activity.unit.slug")
    attempt = ma.fields.Integer()
    status = ma.fields.Function(
        lambda s: s.outcome or "awaiting-decision",
        metadata={"enum": ["awaiting-decision", "met", "not-yet-met"]})
    submitted_at = ma.fields.AwareDateTime()
    due_date = ma.fields.Date()
    on_time = ma.fields.Boolean()
    declaration = ma.fields.String()
    signed_name = ma.fields.String()
    note = ma.fields.String()
    files = ma.fields.List(ma.fields.Nested(EvidenceFileSchema))
    outcome = ma.fields.String(allow_none=True, metadata={"enum": ["met", "not-yet-met"]})
    feedback = ma.fields.String()
    assessor = ma.fields.Nested(PersonSchema, allow_none=True)
    assessed_at = ma.fields.AwareDateTime(allow_none=True)
    decisions = ma.fields.Method("_decisions")
    verifications = ma.fields.List(ma.fields.Nested(VerificationSchema))
    statement_id = ma.fields.String(metadata={"description": "The `submitted` statement."})
    decision_statement_id = ma.fields.String(
        allow_none=True, metadata={"description": "The `passed` or `failed` statement."})

    def _decisions(self, submission):
        ordered = sorted(submission.decisions, key=lambda d: d.criterion.position)
        return CriterionDecisionSchema(many=True).dump(ordered)


SubmissionPage = page_schema(SubmissionSchema, "SubmissionPage")


class DeclarationSchema(ma.Schema):
    text = ma.fields.Constant(rules.DECLARATION)
    how = ma.fields.Constant(
        "Send this text unchanged as the `declaration` field of a submission, and your name "
        "as on your account as `signed_name`.")


class ActivityStandingSchema(ma.Schema):
    """A learner's practice assessment: what it asks for, what is due, and their attempts."""

    activity = ma.fields.String(attribute="activity.slug")
    title = ma.fields.String(attribute="activity.title")
    unit = ma.fields.String(attribute="activity.unit.slug")
    criteria = ma.fields.List(ma.fields.Nested(CriterionSchema), metadata={
        "description": "The unit's assessment criteria this task is judged against."})
    evidence = ma.fields.List(ma.fields.String(), metadata={
        "description": "What to submit (e.g. 'service audit')."})
    may_submit = ma.fields.Boolean(metadata={
        "description": "Whether the learner may submit now; if not, `reason` says why."})
    next_attempt = ma.fields.Integer(allow_none=True, metadata={"enum": [1, 2, None]})
    due_date = ma.fields.Date(allow_none=True, metadata={
        "description": "When the next attempt is due (Europe/London date)."})
    reason = ma.fields.String(metadata={"description": "Why no submission is possible now."})
    submit_to = ma.fields.Method("_submit_to", metadata={
        "description": "POST evidence here (multipart/form-data)."})
    declaration = ma.fields.Nested(DeclarationSchema, dump_default=dict, metadata={
        "description": "The authenticity declaration to sign with the submission."})
    submissions = ma.fields.List(ma.fields.Nested(SubmissionSchema))

    def _submit_to(self, standing):
        return url_for("assessment.ActivitySubmissions",
                       enrolment_id=standing["enrolment"].id, slug=standing["activity"].slug)


class SubmissionForm(ma.Schema):
    """The multipart/form-data fields of a submission (for the OpenAPI document; the view
    reads them itself so that files are checked one by one)."""

    files = ma.fields.List(ma.fields.Raw(metadata={"type": "string", "format": "binary"}),
                           required=True, metadata={"description": "One or more files."})
    declaration = ma.fields.String(required=True, metadata={
        "description": "The authenticity declaration, exactly as "
                       "GET /api/v1/assessment/declaration gives it."})
    signed_name = ma.fields.String(required=True, metadata={
        "description": "The learner's name as on their account: their signature."})
    note = ma.fields.String(metadata={"description": "A note to the assessor."})


class CriterionDecisionInput(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    decision = ma.fields.String(required=True,
                                validate=ma.validate.OneOf(["met", "not-yet-met"]))
    feedback = ma.fields.String(load_default="", validate=ma.validate.Length(max=20000))


class DecisionInput(ma.Schema):
    criteria = ma.fields.List(ma.fields.Nested(CriterionDecisionInput), required=True,
                              validate=ma.validate.Length(min=1), metadata={
                                  "description": "A decision on every criterion the "
                                                 "assessment covers, each once."})
    feedback = ma.fields.String(load_default="", validate=ma.validate.Length(max=20000),
                                metadata={"description": "Overall feedback to the learner."})


class VerificationInput(ma.Schema):
    outcome = ma.fields.String(required=True,
                               validate=ma.validate.OneOf(["agreed", "action-required"]))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=20000),
                               metadata={"description": "Required when action is required."})


class SampleArgs(ma.Schema):
    size = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=100),
                             metadata={"description": "How many submissions (1 to 100)."})


class SampleSchema(ma.Schema):
    rule = ma.fields.String(metadata={"description": "How the sample was chosen."})
    items = ma.fields.List(ma.fields.Nested(SubmissionSchema))

