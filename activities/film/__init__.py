"""Film: an HTML5 video served by Pathway, tracked with the xAPI Video Profile."""

import marshmallow as ma

from activities.base import ActivityType


class FilmConfig(ma.Schema):
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=600),
                                metadata={"description": "Running time."})
    completion_threshold = ma.fields.Float(
        load_default=0.9, validate=ma.validate.Range(min=0.1, max=1.0),
        metadata={"description": "Share of the film actually watched for it to count."},
    )
    source = ma.fields.String(load_default=None,
                              metadata={"description": "The video file in the content folder."})


class Film(ActivityType):
    name = "film"
    title = "Film"
    learning = "self-study"
    config_schema = FilmConfig
    xapi_type = "http://activitystrea.ms/schema/1.0/video"
