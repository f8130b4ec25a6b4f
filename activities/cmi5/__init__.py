"""cmi5: a course (`cmi5.xml`, alone or zipped with its AUs) launched as the cmi5
specification (Quartz) requires.

An administrator uploads the course like any package (`PUT /api/v1/activities/<slug>/package`
or `lms content import`); `lms.content.cmi5_course` reads it. Launching the activity opens the
course structure page (`templates/cmi5/course.html`): its blocks and AUs, each AU's status and
buttons to launch it (Normal, and Browse before it is satisfied or Review after). Launching an
AU (`launching`) writes `LMS.LaunchData`, records `launched` and opens the AU with the launch
parameters; the AU fetches its token once (`fetching`) and sends its statements to the LRS,
which enforces the cmi5 rules on them (`enforcement`). Pathway follows each session from
those statements (`tracking`), evaluates moveOn and records `satisfied` for blocks and the
course; a tutor may waive an AU (`waiving`); the scheduler abandons sessions left open
(`abandoning`).

Progress: the AU statements mean started / progressed / left, with the time of each session
(`terminated` and `abandoned` carry it); the course is complete once Pathway records
`satisfied` about the course (nothing from the browser can complete it).
"""

from __future__ import annotations

from activities.base import (
    COMPLETED,
    IN_PROGRESS,
    LAUNCHED,
    LEFT,
    NOT_STARTED,
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
from activities.cmi5 import (
    models,  # noqa: F401  (the tables must be known at start-up)
    vocab,
)

MEANINGS = {
    vocab.LAUNCHED: LAUNCHED,
    vocab.INITIALIZED: STARTED,
    vocab.TERMINATED: LEFT,
    vocab.ABANDONED: LEFT,
}
TIMED = frozenset({vocab.TERMINATED, vocab.ABANDONED})  # the session's time, once


def interpret_cmi5(statement: dict) -> Interpretation | None:
    """What a statement about the course, a block or an AU means: `satisfied` about the
    course is COMPLETED (it counts only when Pathway recorded it); launched, initialized,
    terminated and abandoned are LAUNCHED, STARTED, LEFT and LEFT, the last two with the
    session's time (`result.duration`); anything else (completed, passed, failed, waived, a
    block satisfied, the AU's own verbs) is PROGRESSED, without time, so no session's time
    counts twice."""
    verb = statement["verb"]["id"]
    definition = (statement.get("object") or {}).get("definition") or {}
    if verb == vocab.SATISFIED and definition.get("type") == vocab.COURSE_TYPE:
        return Interpretation(COMPLETED)
    seconds = duration_seconds(statement) if verb in TIMED else 0.0
    data = {"verb": verb.rsplit("/", 1)[-1]} if verb in vocab.VERB_NAMES else {}
    return Interpretation(MEANINGS.get(verb, PROGRESSED), seconds, data)


def course_completion(events: list[Event]) -> Completion:
    """Completed at the first `satisfied` about the course that Pathway recorded; else
    started once anything happened."""
    for event in events:
        if event.kind == COMPLETED and event.trusted:
            return Completion(COMPLETED, event.happened_at)
    return Completion(IN_PROGRESS if events else NOT_STARTED)


class Cmi5(ActivityType):
    """A cmi5 course: its course structure page launches each AU."""

    name = "cmi5"
    title = "cmi5 course"
    learning = "self-study"
    xapi_type = vocab.COURSE_TYPE
    trusted_completion_only = True
    player_template = "cmi5/course.html"
    package_kinds = ("cmi5",)

    def launch(self, context: LaunchContext) -> Launch:
        """The course structure page; NotReady until a course is uploaded. Opening the
        course is the learner's cmi5 "registration": NotApplicable AUs (and the blocks and
        course made only of them) are satisfied now, as the specification asks."""
        from activities.cmi5.launching import evaluate_on_registration

        package = context.package
        if package is None or package.kind not in self.package_kinds:
            raise NotReady(f"{context.activity.title!r} has no cmi5 course uploaded yet.")
        evaluate_on_registration(context.enrolment, context.activity, package)
        return Launch(context.player_url, "player")

    def player_context(self, activity, config: dict, content_url) -> dict:
        """The course page reads the learner's standing in the course through
        `cmi5_course(enrolment)`."""
        from activities.cmi5.course_page import course_view

        return {"cmi5_course": lambda enrolment: course_view(enrolment, activity)}

    def blueprint(self):
        """The AU launch, fetch and waiver routes (and their API); connects the
        `statement_stored` receiver that follows cmi5 sessions and the
        `statements_receiving` one that enforces the cmi5 rules on them."""
        from activities.cmi5 import enforcement, tracking, views
        from lms.extensions import api, csrf
        from xapi.signals import statement_stored

        statement_stored.connect(tracking.on_statement_stored)  # a module function: once
        enforcement.connect()
        csrf.exempt(views.fetch)  # the AU calls it, with the token in its address
        api.register_blueprint(views.api_blp)
        return views.bp

    def interpret(self, statement: dict) -> Interpretation | None:
        return interpret_cmi5(statement)

    def completion(self, config: dict, events: list[Event]) -> Completion:
        return course_completion(events)

    def abandon_stale_sessions(self, timeout_minutes: int) -> int:
        """Abandon the AU sessions left open longer than `timeout_minutes` (the scheduler's
        `cmi5-abandoned` job); returns how many."""
        from activities.cmi5.abandoning import abandon_stale_sessions

        return abandon_stale_sessions(timeout_minutes)
