"""How progress appears in the JSON API. Times are UTC (ISO 8601); durations ISO 8601."""

import marshmallow as ma

F = ma.fields


class ForecastSchema(ma.Schema):
    status = F.String(metadata={"enum": ["achieved", "not-started", "on-track", "at-risk"]})
    at_risk = F.Boolean()
    hours_per_week = F.Float(metadata={"description": "Recent pace (last 8 weeks)."})
    needed_hours_per_week = F.Float(allow_none=True,
                                    metadata={"description": "Pace needed to finish in time."})
    projected_completion = F.Date(allow_none=True)
    remaining_hours = F.Float()


class EnrolmentRefSchema(ma.Schema):
    id = F.Integer()
    registration = F.String(metadata={"description": "The xAPI registration."})
    status = F.String()
    start_date = F.Date()
    window_ends = F.Date(metadata={"description": "The last day of the window to complete."})
    days_left = F.Integer()
    cohort = F.Integer(allow_none=True)
    intake = F.Integer()


class LearnerRefSchema(ma.Schema):
    id = F.String(metadata={"description": "The learner's public id."})
    name = F.String()


class HoursSchema(ma.Schema):
    guided = F.Float(metadata={"description": "Guided learning hours credited."})
    self_study = F.Float(metadata={"description": "Self-study hours credited."})
    total = F.Float()
    target = F.Float(metadata={"description": "The qualification's hours."})


class ActivityProgressSchema(ma.Schema):
    slug = F.String()
    title = F.String()
    type = F.String()
    learning = F.String()
    required = F.Boolean()
    hours = F.Float(metadata={"description": "Nominal hours, credited once complete."})
    status = F.String(metadata={"enum": ["not-started", "started", "completed", "passed",
                                         "failed"]})
    complete = F.Boolean()
    credited_hours = F.Float()
    time_spent = F.String(metadata={"description": "Time actually spent (ISO 8601)."})
    time_spent_seconds = F.Integer()
    completed_at = F.DateTime(allow_none=True)
    last_at = F.DateTime(allow_none=True)
    detail = F.Dict(metadata={"description": "Type-specific, e.g. {'watched': 0.93}."})


class UnitProgressSchema(ma.Schema):
    slug = F.String()
    number = F.Integer()
    title = F.String()
    credits = F.Integer()
    hours = F.Float()
    status = F.String(metadata={"enum": ["not-started", "in-progress", "achieved"]})
    achieved_at = F.DateTime(allow_none=True)
    credits_awarded = F.Integer()
    guided_hours = F.Float()
    self_study_hours = F.Float()
    activities_complete = F.Integer()
    activities = F.List(F.Nested(ActivityProgressSchema))


class QualificationRefSchema(ma.Schema):
    slug = F.String()
    title = F.String()
    credits = F.Integer()
    hours = F.Float()


class NextUpSchema(ma.Schema):
    unit = F.String()
    slug = F.String()
    title = F.String()
    type = F.String()


class ProgressSchema(ma.Schema):
    enrolment = F.Nested(EnrolmentRefSchema)
    learner = F.Nested(LearnerRefSchema)
    qualification = F.Nested(QualificationRefSchema)
    hours = F.Nested(HoursSchema)
    credits = F.Dict(metadata={"description": "{'awarded': n, 'target': n}"})
    units_achieved = F.Integer()
    activities_complete = F.Integer()
    time_spent = F.String()
    time_spent_seconds = F.Integer()
    last_learning_at = F.DateTime(allow_none=True)
    achieved = F.Boolean(metadata={"description": "Every unit achieved inside the window."})
    all_units_achieved_at = F.DateTime(allow_none=True)
    forecast = F.Nested(ForecastSchema)
    next_up = F.Nested(NextUpSchema, allow_none=True)
    units = F.List(F.Nested(UnitProgressSchema))


class LearnerSummarySchema(ma.Schema):
    enrolment = F.Nested(EnrolmentRefSchema)
    learner = F.Nested(LearnerRefSchema)
    hours = F.Nested(HoursSchema)
    credits = F.Integer()
    units_achieved = F.Integer()
    last_learning_at = F.DateTime(allow_none=True)
    achieved = F.Boolean()
    forecast = F.Nested(ForecastSchema)
    at_risk = F.Boolean()


class SummarySchema(ma.Schema):
    count = F.Integer()
    at_risk = F.Integer()
    by_forecast = F.Dict(keys=F.String(), values=F.Integer())
    average_hours = F.Float()
    learners = F.List(F.Nested(LearnerSummarySchema))


class SummaryArgs(ma.Schema):
    cohort = F.Integer(metadata={"description": "Only this cohort."})
    intake = F.Integer(metadata={"description": "Only this intake."})
    at_risk = F.Boolean(metadata={"description": "Only learners at risk (true) or not."})
    sort = F.String(load_default="name", validate=ma.validate.OneOf(
        ["name", "hours", "last_learning", "projected_completion"]))


class ExtensionSchema(ma.Schema):
    id = F.Integer(dump_only=True)
    # The extension's `new_end`, named as the enrolment names its last day.
    window_ends = F.Date(required=True, attribute="new_end",
                         metadata={"description": "The new last day."})
    reason = F.String(required=True, validate=ma.validate.Length(min=3, max=1000))
    previous_end = F.Date(dump_only=True)
    approved_by = F.Function(lambda e: e.approved_by.name if e.approved_by else None,
                             dump_only=True)
    created_at = F.DateTime(dump_only=True)


class AttendanceSchema(ma.Schema):
    activity = F.String(required=True, metadata={"description": "The activity's slug."})
    minutes = F.Integer(required=True, validate=ma.validate.Range(min=1, max=600))
    attended_at = F.AwareDateTime(load_default=None, metadata={
        "description": "When the session started (default: now)."})


class AttendanceResultSchema(ma.Schema):
    statement = F.String(metadata={"description": "The id of the `attended` statement."})
    activity = F.String()
