"""Reading: an HTML, Markdown or PDF page served by Pathway, read at the learner's pace."""

import marshmallow as ma

from activities.base import ActivityType


class ReadingConfig(ma.Schema):
    min_minutes = ma.fields.Integer(
        load_default=0, validate=ma.validate.Range(min=0, max=600),
        metadata={"description": "Least time on the page before it can count as complete."},
    )
    source = ma.fields.String(
        load_default=None, metadata={"description": "The file of the reading, in the content "
                                     "folder (HTML, Markdown or PDF)."})


class Reading(ActivityType):
    name = "reading"
    title = "Reading"
    learning = "self-study"
    config_schema = ReadingConfig
    xapi_type = "http://id.tincanapi.com/activitytype/document"
