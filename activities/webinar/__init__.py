"""Webinar: live (tied to a group tutorial, guided hours) or recorded (watched like a film).

A live webinar opens its meeting link and is complete only when Pathway records that the
learner attended (a tutor marking attendance). A recorded webinar is a film in every way:
the same player, the same Video Profile statements and the same rule (the share of the
recording actually watched).
"""

from __future__ import annotations

import marshmallow as ma

from activities.base import (
    ActivityType,
    Completion,
    Event,
    Interpretation,
    Launch,
    LaunchContext,
    NotReady,
)
from activities.film import film_launch, film_player_context, interpret_viewing, viewing_completion
from activities.tutorial import MeetingUrl, attendance_completion


class WebinarConfig(ma.Schema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(["live", "recorded"]))
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=600))
    source = ma.fields.String(load_default=None,
                              metadata={"description": "The recording, for recorded webinars."})
    captions = ma.fields.String(metadata={"description": "WebVTT captions of the recording "
                                          "(optional)."})
    meeting_url = MeetingUrl(metadata={"description": "The online meeting's link, for live "
                                       "webinars."})
    completion_threshold = ma.fields.Float(
        validate=ma.validate.Range(min=0.1, max=1.0),
        metadata={"description": "Share of a recording actually watched for it to count "
                  "(0.9 when not given)."})


class Webinar(ActivityType):
    name = "webinar"
    title = "Webinar"
    learning = "guided"
    config_schema = WebinarConfig
    xapi_type = "http://id.tincanapi.com/activitytype/webinar"
    tracks_in_browser = True  # recorded webinars: live ones open a meeting and ignore them
    player_template = "webinar/player.html"

    def needs_credentials(self, config: dict) -> bool:
        return config.get("mode") == "recorded"  # a live webinar opens a meeting instead

    def launch(self, context: LaunchContext) -> Launch:
        """Live: the meeting link (or 409 until there is one). Recorded: the film player."""
        config = self.validate_config(context.activity.config)
        if config["mode"] == "recorded":
            return film_launch(context, config)
        if not config.get("meeting_url"):
            raise NotReady(f"The meeting link of {context.activity.title!r} has not been "
                           "set yet; it is added before the webinar starts.")
        return Launch(config["meeting_url"], "external",
                      "Your attendance is recorded by the tutor who runs the webinar.")

    def player_context(self, activity, config: dict, content_url) -> dict:
        if config["mode"] == "recorded":
            return film_player_context(activity, config, content_url, self.xapi_type)
        return {}

    def interpret(self, statement: dict) -> Interpretation | None:
        return interpret_viewing(statement)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """Live: a trusted `attended`. Recorded: the film's rule."""
        if config.get("mode") == "recorded":
            return viewing_completion(config, events)
        return attendance_completion(events)
