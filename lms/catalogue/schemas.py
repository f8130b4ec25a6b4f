"""How the catalogue appears in the JSON API."""

import marshmallow as ma

from lms.api import PageArgs, page_schema
from lms.catalogue.iris import activity_iri
from lms.catalogue.operations import hours_split

HOURS = {"description": "Learning hours (guided + self-study)."}


class CriterionSchema(ma.Schema):
    code = ma.fields.String()
    text = ma.fields.String()


class ActivitySchema(ma.Schema):
    slug = ma.fields.String()
    type = ma.fields.String(metadata={"description": "The activity type's name."})
    title = ma.fields.String()
    summary = ma.fields.String()
    hours = ma.fields.Float(metadata=HOURS)
    learning = ma.fields.String(metadata={"enum": ["guided", "self-study"]})
    required = ma.fields.Boolean()
    config = ma.fields.Dict(metadata={"description": "Owned by the activity type."})
    unit = ma.fields.Function(lambda a: a.unit.slug)
    iri = ma.fields.Function(activity_iri, metadata={"description": "xAPI activity id."})


class _Hours(ma.Schema):
    guided_hours = ma.fields.Function(lambda o: float(hours_split(o.activities)["guided_hours"]))
    self_study_hours = ma.fields.Function(
        lambda o: float(hours_split(o.activities)["self_study_hours"]))


class UnitSummarySchema(_Hours):
    slug = ma.fields.String()
    number = ma.fields.Integer()
    title = ma.fields.String()
    credits = ma.fields.Integer()
    hours = ma.fields.Float(metadata=HOURS)
    grading = ma.fields.String()
    summary = ma.fields.String()
    activity_count = ma.fields.Function(lambda u: len(u.activities))


class UnitSchema(UnitSummarySchema):
    qualification = ma.fields.Function(lambda u: u.qualification.slug)
    criteria = ma.fields.List(ma.fields.Nested(CriterionSchema))
    activities = ma.fields.List(ma.fields.Nested(ActivitySchema))


class _QualificationHours(ma.Schema):
    guided_hours = ma.fields.Function(
        lambda q: float(sum(hours_split(u.activities)["guided_hours"] for u in q.units)))
    self_study_hours = ma.fields.Function(
        lambda q: float(sum(hours_split(u.activities)["self_study_hours"] for u in q.units)))


class QualificationSummarySchema(_QualificationHours):
    slug = ma.fields.String()
    title = ma.fields.String()
    awarding_body = ma.fields.String()
    level = ma.fields.Integer(allow_none=True)
    credits = ma.fields.Integer()
    hours = ma.fields.Float(metadata=HOURS)
    months_to_complete = ma.fields.Integer()
    summary = ma.fields.String()
    notice = ma.fields.String(metadata={"description": "What the qualification is not."})
    unit_count = ma.fields.Function(lambda q: len(q.units))
    updated_at = ma.fields.AwareDateTime()


class QualificationSchema(QualificationSummarySchema):
    units = ma.fields.List(ma.fields.Nested(UnitSummarySchema))


QualificationPage = page_schema(QualificationSummarySchema, "QualificationPage")
ActivityPage = page_schema(ActivitySchema, "ActivityPage")


class ActivityArgs(PageArgs):
    unit = ma.fields.String(metadata={"description": "Only this unit's activities (slug)."})
    type = ma.fields.String(metadata={"description": "Only activities of this type."})
