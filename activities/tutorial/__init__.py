"""Tutorial: an online group or individual tutorial with a tutor (guided hours).

Launching opens the meeting link when the activity has one, otherwise a page saying that
tutorials are booked through the tutorials pages. Only attendance that Pathway records (a
tutor marking it, `attended` with Pathway's authority) completes a tutorial: nothing a
learner's browser sends can.
"""

from __future__ import annotations

import marshmallow as ma

from activities.base import (
    ATTENDED,
    IN_PROGRESS,
    NOT_STARTED,
    ActivityType,
    Completion,
    Event,
    Launch,
    LaunchContext,
)


class MeetingUrl(ma.fields.Url):
    """An http(s) address of an online meeting."""

    def __init__(self, **kwargs):
        super().__init__(schemes={"https", "http"}, require_tld=False, **kwargs)


class TutorialConfig(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["group", "individual"]))
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=10, max=480))
    meeting_url = MeetingUrl(metadata={"description": "The online meeting's link (optional)."})


def attendance_completion(events: list[Event]) -> Completion:
    """Complete at the first `attended` Pathway recorded itself; anything else, even a
    `completed` or `attended` from the learner's browser, only shows it started."""
    if not events:
        return Completion(NOT_STARTED)
    for event in events:
        if event.kind == ATTENDED and event.trusted:
            return Completion("completed", event.happened_at)
    return Completion(IN_PROGRESS)


class Tutorial(ActivityType):
    name = "tutorial"
    title = "Tutorial"
    learning = "guided"
    config_schema = TutorialConfig
    xapi_type = "http://adlnet.gov/expapi/activities/meeting"
    trusted_completion_only = True
    player_template = "tutorial/player.html"

    def launch(self, context: LaunchContext) -> Launch:
        """The meeting link, or the tutorial's page with a note on booking."""
        config = self.validate_config(context.activity.config)
        if config.get("meeting_url"):
            return Launch(config["meeting_url"], "external",
                          "Your tutor records your attendance.")
        return Launch(context.player_url, "page",
                      "Tutorials are booked through the tutorials pages; your tutor records "
                      "your attendance.")

    def completion(self, config: dict, events: list[Event]) -> Completion:
        return attendance_completion(events)
