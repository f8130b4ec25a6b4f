"""Schemas of the enrolment changes API."""

import marshmallow as ma

from lms.api import page_schema


def _reason():
    return ma.fields.String(required=True, validate=ma.validate.Length(max=1000),
                            metadata={"description": "Why (kept in the history)."})


class WithdrawalSchema(ma.Schema):
    """A change that needs only a reason (a withdrawal)."""

    reason = _reason()

    @ma.validates("reason")
    def _not_blank(self, value, **_kwargs):
        if not value.strip():
            raise ma.ValidationError("must say why")

    @ma.post_load
    def _strip(self, data, **_kwargs):
        data["reason"] = data["reason"].strip()
        return data


class DeferralSchema(WithdrawalSchema):
    """A deferral to a later intake of the same qualification."""

    intake = ma.fields.Integer(required=True, strict=True,
                               validate=ma.validate.Range(min=1, max=2**31 - 1),
                               metadata={"description": "The id of the later intake."})


class TransferSchema(WithdrawalSchema):
    """A transfer of a cohort seat to another learner of the same organisation."""

    learner = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=36),
                               metadata={"description": "The new learner's public id."})


class ChangeAuthorSchema(ma.Schema):
    """Who made a change."""

    id = ma.fields.String(attribute="public_id")
    name = ma.fields.String()


class EnrolmentChangeSchema(ma.Schema):
    """One entry of an enrolment's history."""

    id = ma.fields.Integer()
    enrolment = ma.fields.Integer(attribute="enrolment_id")
    kind = ma.fields.String(metadata={"description": "created, activated, withdrawn, deferred, "
                                                     "extended, transferred or completed."})
    reason = ma.fields.String()
    details = ma.fields.Dict(metadata={"description": "What changed: `from` and `to`."})
    made_by = ma.fields.Nested(ChangeAuthorSchema, allow_none=True,
                               metadata={"description": "Null for the scheduler."})
    made_at = ma.fields.AwareDateTime()


class TransferredEnrolmentSchema(ma.Schema):
    """An enrolment after a change."""

    id = ma.fields.Integer()
    registration = ma.fields.String()
    learner = ma.fields.Nested(ChangeAuthorSchema)
    intake = ma.fields.Integer(attribute="intake_id")
    cohort = ma.fields.Integer(attribute="cohort_id", allow_none=True)
    status = ma.fields.String()
    start_date = ma.fields.Date()
    window_ends = ma.fields.Date()


ChangePage = page_schema(EnrolmentChangeSchema, "EnrolmentChangePage")
