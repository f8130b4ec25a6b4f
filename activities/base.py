"""`ActivityType`: the class every activity type (built-in or plugin) derives from.

A type is a class with fixed hooks. The catalogue stores each activity's `type` name and a
`config` dict that the type's `config_schema` validates; the rest of Pathway asks the type
what the activity means. Types are discovered from the `lms.activities` entry-point group
(see `activities.discover_activity_types`), so a package can add one by installing itself.

The hooks, in the order Pathway calls them:

1. `validate_config(config)`: when a catalogue file is checked or loaded.
2. `launch(context)`: when a learner starts the activity. Pathway has already checked the
   enrolment and (when `needs_credentials(config)`) made short-lived launch credentials; the
   hook returns the `Launch` the browser opens, and Pathway then records `launched`.
3. `interpret(statement)`: for every statement stored about the activity (in the learner's
   registration): what it means for progress, as an `Interpretation`, or None.
4. `completion(config, events)`: from every interpreted event of one learner on one activity,
   the activity's `Completion` (status, when it was completed, type-specific detail). This is
   the type's completion rule; hours are credited from it (the activity's nominal hours,
   never more, once the status is `completed` or `passed`).

Hooks are pure: they read their arguments and return values; Pathway stores the results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import aniso8601
import marshmallow as ma

ADL = "http://adlnet.gov/expapi/verbs/"

# What a statement can mean for progress. Types may use others; these are the ones the
# built-in rules read.
LAUNCHED = "launched"
STARTED = "started"        # initialized / played / resumed: the learner is working on it
PROGRESSED = "progressed"  # time on the activity, a share reached, a segment watched
COMPLETED = "completed"
PASSED = "passed"
FAILED = "failed"
ATTENDED = "attended"
LEFT = "left"              # terminated / suspended / exited

# Statuses of one learner's activity.
NOT_STARTED = "not-started"
IN_PROGRESS = "started"
DONE = frozenset({COMPLETED, PASSED})
STATUSES = ("not-started", "started", "completed", "passed", "failed")

# Generic verbs (ADL, cmi5, the video profile, ActivityStreams) and what they mean.
VERB_MEANINGS: dict[str, str] = {
    ADL + "launched": LAUNCHED,
    ADL + "initialized": STARTED,
    ADL + "resumed": STARTED,
    ADL + "attempted": STARTED,
    ADL + "experienced": PROGRESSED,
    ADL + "progressed": PROGRESSED,
    ADL + "completed": COMPLETED,
    ADL + "passed": PASSED,
    ADL + "failed": FAILED,
    ADL + "attended": ATTENDED,
    ADL + "terminated": LEFT,
    ADL + "suspended": LEFT,
    ADL + "exited": LEFT,
    "https://w3id.org/xapi/video/verbs/played": STARTED,
    "https://w3id.org/xapi/video/verbs/paused": PROGRESSED,
    "https://w3id.org/xapi/video/verbs/seeked": PROGRESSED,
    "https://w3id.org/xapi/adl/verbs/satisfied": COMPLETED,
    "http://activitystrea.ms/schema/1.0/submit": PROGRESSED,
}


class NotReady(Exception):
    """Raised by `launch` when the activity cannot be opened yet (no content uploaded, no
    meeting link set); the message tells the learner why. Pathway answers 409."""


class NoConfig(ma.Schema):
    """The configuration of a type that takes none: an empty mapping."""


@dataclass(frozen=True)
class LaunchContext:
    """What a type's `launch` hook is given.

    `activity` and `enrolment` are the catalogue activity and the learner's enrolment (read
    them, do not change them). `activity_id` is the activity's IRI, `actor` the learner's
    xAPI agent, `registration` the enrolment's registration. `endpoint` and `auth` are the
    LRS's URL and the launch credentials' `Authorization` header (None for types that do not
    track in the browser). `player_url` is Pathway's own player page for this activity and
    `content_url(path)` the URL of a file of the content folder. `package` is the activity's
    current uploaded content package, if any.
    """

    activity: Any
    enrolment: Any
    activity_id: str
    actor: dict
    registration: str
    endpoint: str | None
    auth: str | None
    player_url: str
    content_url: Any
    package: Any = None

    def launch_parameters(self) -> dict[str, str]:
        """The usual xAPI launch query parameters (endpoint, auth, actor, registration,
        activity_id), as the Tin Can launch convention defines them."""
        import json

        parameters = {"endpoint": self.endpoint or "", "auth": self.auth or "",
                      "actor": json.dumps(self.actor, separators=(",", ":")),
                      "registration": self.registration, "activity_id": self.activity_id}
        return {k: v for k, v in parameters.items() if v}

    def with_launch_parameters(self, url: str) -> str:
        """`url` with the launch parameters added to its query."""
        joiner = "&" if "?" in url else "?"
        return url + joiner + urlencode(self.launch_parameters())


@dataclass(frozen=True)
class Launch:
    """What the learner's browser opens: `url`, and `mode`: `player` (a Pathway page that
    tracks in the browser), `content` (uploaded content on Pathway's origin), `external` (a
    meeting link, say) or `page` (a Pathway page such as the evidence submission). `note`
    says anything the learner should know ("The webinar opens 10 minutes before the start").
    """

    url: str
    mode: str = "player"
    note: str = ""


@dataclass(frozen=True)
class Interpretation:
    """What one statement means for progress: `kind` (one of LAUNCHED ... LEFT or a type's
    own), the time it adds (`seconds`), and type-specific `data` (JSON-serialisable), such
    as the film segments watched."""

    kind: str
    seconds: float = 0.0
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One interpreted statement, as `completion` sees it: `trusted` is True when Pathway
    itself recorded the statement (a tutor's decision, attendance, an import), False when
    it came from content in the learner's browser."""

    statement_id: str
    kind: str
    happened_at: datetime
    trusted: bool
    seconds: float = 0.0
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Completion:
    """One learner's standing on one activity: `status` (one of STATUSES), when it became
    complete (`completed_at`, for `completed` and `passed`), and type-specific `detail`
    shown to the learner (e.g. {"watched": 0.93})."""

    status: str
    completed_at: datetime | None = None
    detail: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.status in DONE


# The form nearly every duration takes (PT1H2M3.5S, P1DT2H): read directly, since projecting a
# large learning record parses millions of them; anything else goes to aniso8601.
_COMMON_DURATION = re.compile(
    r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")


def duration_seconds(statement: dict) -> float:
    """The statement's `result.duration` in seconds (0 when absent or unreadable)."""
    value = (statement.get("result") or {}).get("duration")
    if not value or not isinstance(value, str):
        return 0.0
    common = _COMMON_DURATION.fullmatch(value)
    try:
        if common and value not in ("P", "PT") and not value.endswith("T"):
            days, hours, minutes, secs = (float(part or 0) for part in common.groups())
            seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
        else:
            seconds = aniso8601.parse_duration(value).total_seconds()
    except (ValueError, TypeError, AttributeError, ArithmeticError):
        return 0.0
    return max(0.0, min(seconds, 24 * 3600.0))  # one statement never adds more than a day


class ActivityType:
    """Base of every activity type. Subclasses set the class attributes and override the
    hooks they support.

    Class attributes:
        name: the `type` written in catalogue files; unique; lower-case.
        title: what people call this kind of activity ("Film").
        learning: the default kind of hours, "guided" (with a tutor in real time) or
            "self-study".
        config_schema: a marshmallow schema for the activity's `config` mapping.
        xapi_type: the xAPI activity type IRI of activities of this kind (their
            `definition.type` in statements), or None.
        assessed: True when completing the activity needs a tutor's judgement (a practice
            assessment), not only the learner's own work.
        tracks_in_browser: True when the launched page sends statements itself, so it needs
            launch credentials.
        trusted_completion_only: True when only statements Pathway records itself (a tutor's
            decision, attendance) can complete the activity, never content in the browser.
        player_template: the Jinja template of the type's player page (under the type's
            `templates/` folder), or None when the type has no Pathway player.
        package_kinds: the kinds of uploaded content package its activities take ("xapi";
            later "scorm12", "scorm2004", "cmi5"); empty when they take none.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    learning: ClassVar[str] = "self-study"
    config_schema: ClassVar[type[ma.Schema]] = NoConfig
    xapi_type: ClassVar[str | None] = None
    assessed: ClassVar[bool] = False
    tracks_in_browser: ClassVar[bool] = False
    trusted_completion_only: ClassVar[bool] = False
    player_template: ClassVar[str | None] = None
    package_kinds: ClassVar[tuple[str, ...]] = ()

    def validate_config(self, config: dict) -> dict:
        """The activity's configuration, checked and normalised; raises ValidationError."""
        return self.config_schema().load(config or {})

    # -- launch ---------------------------------------------------------------------------

    def launch(self, context: LaunchContext) -> Launch:
        """What the learner's browser opens. The default: the type's player page (with the
        launch parameters when the type tracks in the browser)."""
        if self.player_template is None:
            raise NotReady(f"{self.title} activities have nothing to open.")
        if self.tracks_in_browser:
            return Launch(context.with_launch_parameters(context.player_url), "player")
        return Launch(context.player_url, "player")

    def needs_credentials(self, config: dict) -> bool:
        """Whether launching this activity needs launch credentials (by default, whether the
        type tracks in the browser; a type whose activities differ says so per activity)."""
        return self.tracks_in_browser

    def player_context(self, activity, config: dict, content_url) -> dict:
        """Extra values for the player template (the content's URL, its length...)."""
        return {}

    def player_page(self, enrolment, activity, config: dict, args, content_url) -> dict:
        """Extra values for the player template, for types whose page depends on the learner's
        enrolment or the page's query `args` (a SCORM player opens the learner's attempt at
        the SCO asked for). It may change the type's own rows and commit. The default:
        `player_context`."""
        return self.player_context(activity, config, content_url)

    def blueprint(self):
        """An optional Flask blueprint of the type's own routes, or None."""
        return None

    # -- progress -------------------------------------------------------------------------

    def interpret(self, statement: dict) -> Interpretation | None:
        """What a stored statement about this activity means for progress, or None when it
        means nothing. The default reads the verb (see VERB_MEANINGS), `result.duration`,
        and `result.success` (a `completed` with success false is a failure)."""
        kind = VERB_MEANINGS.get(statement["verb"]["id"])
        if kind is None:
            return None
        result = statement.get("result") or {}
        data = {}
        if kind == COMPLETED and result.get("success") is True:
            kind = PASSED
        elif kind == COMPLETED and result.get("success") is False:
            kind = FAILED
        score = (result.get("score") or {}).get("scaled")
        if score is not None:
            data["score"] = score
        return Interpretation(kind, duration_seconds(statement), data)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """The completion rule: from one learner's events on one activity (oldest first),
        their standing. The default: complete at the first `completed`, `passed` or
        `attended` (only from trusted statements when `trusted_completion_only`); `passed`
        and `failed` decide between passed and failed: for content a pass, once reached,
        stays; for an assessed activity the latest decision stands."""
        status, completed_at = NOT_STARTED, None
        for event in events:
            if self.trusted_completion_only and not event.trusted and \
                    event.kind in (COMPLETED, PASSED, FAILED, ATTENDED):
                continue
            if event.kind in (COMPLETED, ATTENDED):
                if status not in DONE:
                    status, completed_at = COMPLETED, event.happened_at
            elif event.kind == PASSED:
                if status != PASSED:
                    status, completed_at = PASSED, event.happened_at
            elif event.kind == FAILED:
                if self.assessed:
                    status, completed_at = FAILED, None  # the latest decision stands
                elif status not in DONE:
                    status = FAILED  # content: a pass, once reached, stays
            elif status == NOT_STARTED:
                status = IN_PROGRESS
        return Completion(status, completed_at if status in DONE else None)

    def __repr__(self) -> str:
        return f"<ActivityType {self.name}>"
