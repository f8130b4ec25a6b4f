"""Tutorial: an online group or individual tutorial with a tutor (guided hours)."""

import marshmallow as ma

from activities.base import ActivityType


class TutorialConfig(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["group", "individual"]))
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=10, max=480))


class Tutorial(ActivityType):
    name = "tutorial"
    title = "Tutorial"
    learning = "guided"
    config_schema = TutorialConfig
    xapi_type = "http://adlnet.gov/expapi/activities/meeting"
