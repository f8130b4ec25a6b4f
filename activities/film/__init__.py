"""Film: an HTML5 video served by Pathway, tracked with the xAPI Video Profile.

The player (`templates/film/player.html`, `static/film.js`) sends the profile's statements
(initialized, played, paused, seeked, completed, terminated) with the segments actually
played; the film is complete once the union of the segments of every viewing covers the
configured share of it (90% by default). Skipping ahead leaves a gap, so it never counts.
"""

from __future__ import annotations

import math

import marshmallow as ma

from activities.base import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    VERB_MEANINGS,
    ActivityType,
    Completion,
    Event,
    Interpretation,
    Launch,
    LaunchContext,
    NotReady,
    duration_seconds,
)
from activities.film.segments import covered, parse_segments, union

VIDEO = "https://w3id.org/xapi/video"
VIDEO_TYPE = VIDEO + "/activity-type/video"
EXTENSIONS = VIDEO + "/extensions/"
PLAYED_SEGMENTS = EXTENSIONS + "played-segments"
LENGTH = EXTENSIONS + "length"


class FilmConfig(ma.Schema):
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=600),
                                metadata={"description": "Running time (used when the player "
                                          "cannot tell the film's length)."})
    completion_threshold = ma.fields.Float(
        load_default=0.9, validate=ma.validate.Range(min=0.1, max=1.0),
        metadata={"description": "Share of the film actually watched for it to count."},
    )
    source = ma.fields.String(load_default=None,
                              metadata={"description": "The video file in the content folder."})
    captions = ma.fields.String(metadata={"description": "A WebVTT captions file in the "
                                          "content folder (optional)."})


def interpret_viewing(statement: dict) -> Interpretation | None:
    """What a Video Profile statement means: its kind (the verbs of `VERB_MEANINGS`: the
    profile's played, paused and seeked among them), the time it reports
    (`result.duration`) and, as data, the segments played (`segments`) and the film's length
    in seconds (`length`) when it gives them."""
    kind = VERB_MEANINGS.get(statement["verb"]["id"])
    if kind is None:
        return None
    result_extensions = (statement.get("result") or {}).get("extensions") or {}
    context_extensions = (statement.get("context") or {}).get("extensions") or {}
    data = {}
    segments = parse_segments(result_extensions.get(PLAYED_SEGMENTS))
    if segments:
        data["segments"] = union(segments)
    length = context_extensions.get(LENGTH)
    if isinstance(length, int | float) and not isinstance(length, bool) and \
            math.isfinite(length) and length > 0:
        data["length"] = float(length)
    return Interpretation(kind, duration_seconds(statement), data)


def viewing_completion(config: dict, events: list[Event]) -> Completion:
    """The film rule: complete at the first event after which the union of all segments
    played (across every viewing) covers `completion_threshold` of the film, or at a
    `completed` that Pathway recorded itself (an import, the demo). A `completed` from the
    browser counts only through its segments. The length is the latest the statements gave,
    else the configured `minutes`."""
    if not events:
        return Completion(NOT_STARTED, detail={"watched": 0.0})
    threshold = config.get("completion_threshold") or 0.9
    length = config["minutes"] * 60
    played: list[list[float]] = []
    completed_at = None
    for event in events:
        length = event.data.get("length") or length
        if event.data.get("segments"):
            played = union(played + event.data["segments"])
        trusted_completion = event.kind == COMPLETED and event.trusted
        if completed_at is None and (trusted_completion or covered(played, length) >= threshold):
            completed_at = event.happened_at
    watched = round(covered(played, length), 3)
    if completed_at is not None:
        return Completion(COMPLETED, completed_at, {"watched": watched})
    return Completion(IN_PROGRESS, detail={"watched": watched})


def film_player_context(activity, config: dict, content_url, xapi_type: str) -> dict:
    """What the film player shows and sends: the video's and captions' URLs, and the
    `tracking` settings of its statements (the activity's name and type, its unit as parent
    and qualification as grouping, the Video Profile as category, the completion threshold
    and the length to assume when the video does not tell)."""
    from lms.catalogue.iris import qualification_iri, unit_iri

    threshold = config.get("completion_threshold") or 0.9
    return {
        "video_url": content_url(config["source"]) if config.get("source") else None,
        "captions_url": content_url(config["captions"]) if config.get("captions") else None,
        "completion_threshold": threshold,
        "tracking": {
            "name": activity.title, "activityType": xapi_type,
            "parent": unit_iri(activity.unit),
            "grouping": qualification_iri(activity.unit.qualification),
            "category": [VIDEO], "completionThreshold": threshold,
            "fallbackLength": config["minutes"] * 60,
        },
    }


def film_launch(context: LaunchContext, config: dict) -> Launch:
    """The player with the launch parameters, once the film has a video file."""
    if not config.get("source"):
        raise NotReady(f"The video of {context.activity.title!r} has not been added yet.")
    return Launch(context.with_launch_parameters(context.player_url), "player")


class Film(ActivityType):
    name = "film"
    title = "Film"
    learning = "self-study"
    config_schema = FilmConfig
    xapi_type = VIDEO_TYPE
    tracks_in_browser = True
    player_template = "film/player.html"

    def launch(self, context: LaunchContext) -> Launch:
        return film_launch(context, self.validate_config(context.activity.config))

    def player_context(self, activity, config: dict, content_url) -> dict:
        return film_player_context(activity, config, content_url, self.xapi_type)

    def interpret(self, statement: dict) -> Interpretation | None:
        return interpret_viewing(statement)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        return viewing_completion(config, events)
