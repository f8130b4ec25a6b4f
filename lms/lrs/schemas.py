"""LRS administration in the JSON API."""

import marshmallow as ma

from xapi.auth import SCOPES


class LrsClientSchema(ma.Schema):
    key = ma.fields.String(metadata={"description": "The HTTP Basic user name."})
    name = ma.fields.String()
    scopes = ma.fields.List(ma.fields.String())
    authority = ma.fields.Dict(metadata={"description": "Recorded as statements' authority."})
    created_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime(allow_none=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class NewLrsClientSchema(LrsClientSchema):
    secret = ma.fields.String(metadata={"description": "The HTTP Basic password; shown once."})


class LrsClientCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    scopes = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(SCOPES)), required=True,
                            validate=ma.validate.Length(min=1))


class ForwardingTargetSchema(ma.Schema):
    name = ma.fields.String()
    endpoint = ma.fields.String()
    active = ma.fields.Boolean()
    filter = ma.fields.Dict()
    pending = ma.fields.Integer(metadata={"description": "Statements waiting to be sent."})
    sent = ma.fields.Integer()
    refused = ma.fields.Integer(metadata={"description": "Statements the upstream refused "
                                          "(kept; `lms xapi forwarding retry` sends them again)."})
    attempts = ma.fields.Integer(metadata={"description": "Most attempts of a pending one."})
    oldest_pending_seconds = ma.fields.Integer(allow_none=True)
    next_attempt_at = ma.fields.AwareDateTime(allow_none=True)
    last_sent_at = ma.fields.AwareDateTime(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
