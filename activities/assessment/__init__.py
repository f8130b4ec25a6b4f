"""Practice assessment: evidence from the learner's own service, judged by a tutor against the
unit's assessment criteria."""

import marshmallow as ma

from activities.base import ActivityType


class AssessmentConfig(ma.Schema):
    criteria = ma.fields.List(
        ma.fields.String(), required=True, validate=ma.validate.Length(min=1),
        metadata={"description": "Codes of the unit's assessment criteria this task covers."},
    )
    evidence = ma.fields.List(
        ma.fields.String(), load_default=list,
        metadata={"description": "What the learner submits (e.g. 'service audit')."},
    )


class Assessment(ActivityType):
    name = "assessment"
    title = "Practice assessment"
    learning = "self-study"
    config_schema = AssessmentConfig
    xapi_type = "http://adlnet.gov/expapi/activities/assessment"
    assessed = True
