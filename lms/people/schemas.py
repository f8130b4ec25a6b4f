"""How people, enrolments and tokens appear in the JSON API."""

import marshmallow as ma

from lms.access import ROLES
from lms.api import PageArgs, page_schema


class EnrolmentSchema(ma.Schema):
    id = ma.fields.Integer(metadata={"description": "The enrolment's id, as in "
                                     "/api/v1/enrolments/{id}/progress."})
    registration = ma.fields.String(metadata={"description": "xAPI registration (UUID)."})
    qualification = ma.fields.Function(lambda e: e.intake.qualification.slug)
    intake = ma.fields.Function(lambda e: e.intake.name)
    cohort = ma.fields.Function(lambda e: e.cohort.name if e.cohort else None)
    tutor = ma.fields.Function(
        lambda e: {"id": e.tutor.public_id, "name": e.tutor.name} if e.tutor else None)
    status = ma.fields.String()
    start_date = ma.fields.Date()
    window_ends = ma.fields.Date(metadata={"description": "Last day to complete."})
    progress = ma.fields.Function(lambda e: f"/api/v1/enrolments/{e.id}/progress",
                           metadata={"description": "Where this enrolment's progress is."})


class UserSchema(ma.Schema):
    id = ma.fields.String(attribute="public_id", metadata={"description": "Stable user id."})
    email = ma.fields.Email()
    name = ma.fields.String()
    roles = ma.fields.Function(lambda u: sorted(u.role_names))
    active = ma.fields.Boolean()
    organisation = ma.fields.Function(
        lambda u: u.organisation.slug if u.organisation else None)
    created_at = ma.fields.AwareDateTime()
    last_login_at = ma.fields.AwareDateTime(allow_none=True)


class MeSchema(UserSchema):
    enrolments = ma.fields.List(ma.fields.Nested(EnrolmentSchema))


_roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(ROLES)),
                        validate=ma.validate.Length(min=1))


class UserCreateSchema(ma.Schema):
    email = ma.fields.Email(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(ROLES)), required=True,
                           validate=ma.validate.Length(min=1))
    password = ma.fields.String(load_only=True, metadata={"description": "At least 10 chars."})
    organisation = ma.fields.String(metadata={"description": "Organisation slug."})


class UserUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    roles = _roles
    active = ma.fields.Boolean()
    password = ma.fields.String(load_only=True)


class UserArgs(PageArgs):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))


UserPage = page_schema(UserSchema, "UserPage")


class TokenSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The token's first characters."})
    state = ma.fields.Function(lambda t: t.state(), metadata={
        "enum": ["active", "expired", "revoked"]})
    created_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime()
    last_used_at = ma.fields.AwareDateTime(allow_none=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = ma.fields.String(attribute="secret",
                             metadata={"description": "The token itself; shown only once."})


class TokenCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    days = ma.fields.Integer(metadata={"description": "Days until it expires (default 90)."})
