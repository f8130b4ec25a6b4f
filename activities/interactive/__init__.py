"""Interactive: an uploaded xAPI (Tin Can) package, launched with launch credentials."""

import marshmallow as ma

from activities.base import ActivityType


class InteractiveConfig(ma.Schema):
    package = ma.fields.String(load_default=None,
                               metadata={"description": "The zip with tincan.xml, once uploaded."})


class Interactive(ActivityType):
    name = "interactive"
    title = "Interactive activity"
    learning = "self-study"
    config_schema = InteractiveConfig
    xapi_type = "http://adlnet.gov/expapi/activities/module"
