"""Webinar: live (tied to a group tutorial, guided hours) or recorded (watched like a film)."""

import marshmallow as ma

from activities.base import ActivityType


class WebinarConfig(ma.Schema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(["live", "recorded"]))
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=600))
    source = ma.fields.String(load_default=None,
                              metadata={"description": "The recording, for recorded webinars."})


class Webinar(ActivityType):
    name = "webinar"
    title = "Webinar"
    learning = "guided"
    config_schema = WebinarConfig
    xapi_type = "http://id.tincanapi.com/activitytype/webinar"
