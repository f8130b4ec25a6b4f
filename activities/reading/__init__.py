"""Reading: an HTML, Markdown or PDF page served by Pathway, read at the learner's pace.

The player (`templates/reading/player.html`, `static/reading.js`) sends `initialized` on
opening, a `progressed` statement every 30 seconds while the page is visible (its
`result.duration` is the visible time since the last statement, its cmi5 progress extension
the furthest share of the text reached), one when the end is reached, `completed` once the
end is reached and the minimum time has passed, and `terminated` on leaving.

Pathway decides for itself: the reading is complete when the end has been reached and the
visible time of every statement adds up to the configured minimum. A `completed` from the
browser alone proves nothing; one that Pathway recorded itself (an import, the demo) counts.
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

PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
HEARTBEAT_SECONDS = 30


class ReadingConfig(ma.Schema):
    min_minutes = ma.fields.Float(
        load_default=0, validate=ma.validate.Range(min=0, max=600),
        metadata={"description": "Least visible time on the page, in minutes (fractions "
                  "allowed), before it can count as complete."},
    )
    source = ma.fields.String(
        load_default=None, metadata={"description": "The file of the reading, in the content "
                                     "folder (HTML fragment, Markdown or PDF)."})


def _progress(statement: dict) -> int | None:
    value = ((statement.get("result") or {}).get("extensions") or {}).get(PROGRESS)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(max(0, min(100, value)))


def time_in_words(minutes: float) -> str:
    """"3 hours", "2 hours 30 minutes", "45 minutes", "20 seconds"; "" for none."""
    seconds = round(minutes * 60)
    if seconds <= 0:
        return ""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    hours, rest = divmod(round(seconds / 60), 60)
    words = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest:
        words.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(words)


class Reading(ActivityType):
    name = "reading"
    title = "Reading"
    learning = "self-study"
    config_schema = ReadingConfig
    xapi_type = "http://id.tincanapi.com/activitytype/document"
    tracks_in_browser = True
    player_template = "reading/player.html"

    def launch(self, context: LaunchContext) -> Launch:
        """The reading's player with the launch parameters, once its text is there."""
        from activities.reading.content import reading_text

        text = reading_text(self.validate_config(context.activity.config)["source"])
        if text.problem:
            raise NotReady(text.problem)
        return Launch(context.with_launch_parameters(context.player_url), "player")

    def player_context(self, activity, config: dict, content_url) -> dict:
        """The text (or the PDF's URL), and the `tracking` settings of the statements: name,
        type, the unit as parent and the qualification as grouping, the minimum time."""
        from activities.reading.content import reading_text
        from lms.catalogue.iris import qualification_iri, unit_iri

        text = reading_text(config["source"])
        return {
            "text": text, "min_time": time_in_words(config["min_minutes"]),
            "pdf_url": content_url(config["source"]) if text.kind == "pdf" else None,
            "tracking": {
                "name": activity.title, "activityType": self.xapi_type,
                "parent": unit_iri(activity.unit),
                "grouping": qualification_iri(activity.unit.qualification),
                "minSeconds": config["min_minutes"] * 60,
                "heartbeatSeconds": HEARTBEAT_SECONDS,
            },
        }

    def interpret(self, statement: dict) -> Interpretation | None:
        """The verb's meaning, the visible time (`result.duration`) as seconds, and as data
        the share reached (`progress`, 0-100) and whether that is the end (`end`)."""
        kind = VERB_MEANINGS.get(statement["verb"]["id"])
        if kind is None:
            return None
        progress = _progress(statement)
        data = {} if progress is None else {"progress": progress, "end": progress >= 100}
        return Interpretation(kind, duration_seconds(statement), data)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """Complete at the first event by which the end has been reached and the seconds of
        all events add up to `min_minutes`; or at a `completed` Pathway recorded itself."""
        if not events:
            return Completion(NOT_STARTED, detail={"progress": 0, "end": False, "seconds": 0})
        needed = (config.get("min_minutes") or 0) * 60
        seconds, progress, end, completed_at = 0.0, 0, False, None
        for event in events:
            seconds += event.seconds
            progress = max(progress, event.data.get("progress") or 0)
            end = end or bool(event.data.get("end"))
            if completed_at is None and (
                    (end and seconds >= needed) or (event.kind == COMPLETED and event.trusted)):
                completed_at = event.happened_at
        detail = {"progress": progress, "end": end, "seconds": round(seconds)}
        if completed_at is not None:
            return Completion(COMPLETED, completed_at, detail)
        return Completion(IN_PROGRESS, detail=detail)
