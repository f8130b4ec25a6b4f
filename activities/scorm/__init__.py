"""SCORM packages (SCORM 1.2 and SCORM 2004 2nd/3rd/4th edition) as an activity type.

An administrator uploads the package (`imsmanifest.xml` at its root); the manifest decides
the edition. The learner's player page shows the table of contents with each SCO's status and
the chosen SCO in a frame; Pathway's JavaScript runtime (`static/scorm-runtime.js`) is the
SCO's `API` / `API_1484_11` and commits to `POST /scorm/attempts/<id>/commit`
(`activities.scorm.views`), where the data is checked again and stored per attempt
(`activities.scorm.runtime`). Each run-time event becomes a statement of ADL's xAPI SCORM
Profile (`activities.scorm.statements`), recorded by Pathway in the learner's registration.

For progress, a SCO's statements mean the learner started, progressed or left (with the
session's time): a SCO's completion never completes the activity alone. When the package's
standing changes (every SCO completed or passed: completed, or passed when one passed and none
failed; a SCO failed: failed) Pathway records completed, passed or failed about the catalogue
activity itself, and only those statements (Pathway's own) complete the activity: a pass stays;
otherwise the package's latest standing counts, so the same learning gives the same answer
however the SCO's data was sent (a SCORM 1.2 quiz that reports "completed" in one commit and
"failed" in the next is failed, as one that sends both at once).
"""

from __future__ import annotations

from activities.base import (
    ADL,
    COMPLETED,
    DONE,
    FAILED,
    IN_PROGRESS,
    LAUNCHED,
    LEFT,
    NOT_STARTED,
    PASSED,
    PROGRESSED,
    STARTED,
    ActivityType,
    Completion,
    Event,
    Interpretation,
    Launch,
    LaunchContext,
    NotReady,
    duration_seconds,
)

COURSE = "http://adlnet.gov/expapi/activities/course"

SCO_VERB_MEANINGS = {
    ADL + "initialized": STARTED,
    ADL + "resumed": STARTED,
    ADL + "launched": LAUNCHED,
    ADL + "completed": PROGRESSED,
    ADL + "passed": PROGRESSED,
    ADL + "failed": PROGRESSED,
    ADL + "responded": PROGRESSED,
    ADL + "answered": PROGRESSED,
    ADL + "scored": PROGRESSED,
    ADL + "progressed": PROGRESSED,
    ADL + "terminated": LEFT,
    ADL + "suspended": LEFT,
}


class Scorm(ActivityType):
    """A SCORM 1.2 or 2004 package played in Pathway's player with Pathway's runtime."""

    name = "scorm"
    title = "SCORM package"
    learning = "self-study"
    xapi_type = COURSE
    tracks_in_browser = False  # the SCO talks to Pathway's runtime endpoint, not the LRS
    trusted_completion_only = True  # only Pathway's package-level statements complete it
    player_template = "scorm/player.html"
    package_kinds = ("scorm12", "scorm2004")

    def launch(self, context: LaunchContext) -> Launch:
        """The player page; NotReady until a SCORM package is uploaded."""
        package = context.package
        if package is None or package.kind not in self.package_kinds:
            raise NotReady(f"{context.activity.title} has no SCORM package uploaded yet.")
        return Launch(context.player_url, "player")

    def player_page(self, enrolment, activity, config: dict, args, content_url) -> dict:
        """The player's table of contents and the chosen SCO's session (see
        `activities.scorm.player`)."""
        from activities.scorm.player import player_page

        return player_page(enrolment, activity, args)

    def blueprint(self):
        """The runtime's commit endpoint (and the attempt model, so the app knows it)."""
        import activities.scorm.models  # noqa: F401
        from activities.scorm.views import bp

        return bp

    def interpret(self, statement: dict) -> Interpretation | None:
        """Statements about the catalogue activity (type course: `launched`, and the
        package-level completed/passed/failed Pathway records) mean what their verb says;
        statements about a SCO mean started (initialized, resumed), progressed (completed,
        passed, failed, responded...) or left (terminated, suspended, with the session's
        time as `result.duration`)."""
        target = statement.get("object") or {}
        kind = (target.get("definition") or {}).get("type")
        if kind == COURSE:
            return super().interpret(statement)
        meaning = SCO_VERB_MEANINGS.get(statement["verb"]["id"])
        if meaning is None:
            return None
        data = {}
        score = ((statement.get("result") or {}).get("score") or {}).get("scaled")
        if isinstance(score, int | float) and not isinstance(score, bool):
            data["score"] = score
        seconds = duration_seconds(statement) if meaning == LEFT else 0.0
        return Interpretation(meaning, seconds, data)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """Passed for good at the first package-level pass; otherwise the latest
        package-level standing (completed or failed) stands; started once anything
        happened. Only Pathway's own statements count (`trusted_completion_only`)."""
        status, completed_at = NOT_STARTED, None
        for event in events:
            if event.kind in (COMPLETED, PASSED, FAILED) and not event.trusted:
                continue
            if event.kind == PASSED:
                if status != PASSED:
                    status, completed_at = PASSED, event.happened_at
            elif event.kind == COMPLETED:
                if status != PASSED:
                    if status != COMPLETED:
                        completed_at = event.happened_at
                    status = COMPLETED
            elif event.kind == FAILED:
                if status != PASSED:
                    status, completed_at = FAILED, None
            elif status == NOT_STARTED:
                status = IN_PROGRESS
        return Completion(status, completed_at if status in DONE else None)
