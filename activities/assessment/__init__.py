"""Practice assessment: evidence from the learner's own service, judged by a tutor against the
unit's assessment criteria.

There is no player: launching gives the address of the learner's submissions for the
activity, where they read what is due and the declaration to sign, and submit evidence (see
`lms.assessment`). Only a decision recorded by Pathway (a trusted `passed` or `failed`) can
pass or fail it, and the latest decision stands; nothing else completes it, not even a
trusted `completed` or `attended`.
"""

import marshmallow as ma
from flask import url_for

from activities.base import (
    ADL,
    COMPLETED,
    FAILED,
    IN_PROGRESS,
    NOT_STARTED,
    PASSED,
    ActivityType,
    Completion,
    Event,
    Interpretation,
    Launch,
    LaunchContext,
)


class AssessmentConfig(ma.Schema):
    criteria = ma.fields.List(
        ma.fields.String(), required=True, validate=ma.validate.Length(min=1),
        metadata={"description": "Codes of the unit's assessment criteria this task covers."},
    )
    evidence = ma.fields.List(
        ma.fields.String(), load_default=list,
        metadata={"description": "What the learner submits (e.g. 'service audit')."},
    )
    due_weeks = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=520),
        metadata={"description": "Weeks after the enrolment's start by which the original "
                                 "submission is due (default: the end of the learner's window)."},
    )


class Assessment(ActivityType):
    name = "assessment"
    title = "Practice assessment"
    learning = "self-study"
    config_schema = AssessmentConfig
    xapi_type = "http://adlnet.gov/expapi/activities/assessment"
    assessed = True
    trusted_completion_only = True

    def launch(self, context: LaunchContext) -> Launch:
        """The learner's submissions for this activity (GET): what is due, the declaration to
        sign, earlier attempts; evidence is POSTed to the same address. There is no
        player."""
        url = url_for("assessment.ActivitySubmissions", enrolment_id=context.enrolment.id,
                      slug=context.activity.slug)
        evidence = ", ".join(context.activity.config.get("evidence") or []) or "your evidence"
        return Launch(url, "page", (
            f"Open this address to see what is due and the authenticity declaration; submit "
            f"{evidence} as files to it (POST, multipart/form-data), with the declaration "
            "signed with your name. Your tutor decides on each assessment criterion."))

    def interpret(self, statement: dict) -> Interpretation | None:
        """As the default, except that only the `passed` and `failed` verbs are decisions: a
        `completed` stays a completion whatever its `result.success` says."""
        found = super().interpret(statement)
        if found is not None and statement["verb"]["id"] == ADL + "completed":
            return Interpretation(COMPLETED, found.seconds, found.data)
        return found

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """Passed or failed by the latest trusted decision (a `passed` or `failed` Pathway
        recorded); otherwise started once there is any event, else not started. Untrusted
        decisions, and any `completed` or `attended`, decide nothing."""
        status, completed_at = NOT_STARTED, None
        for event in events:
            if event.trusted and event.kind in (PASSED, FAILED):
                status = event.kind
                completed_at = event.happened_at if event.kind == PASSED else None
            elif status == NOT_STARTED:
                status = IN_PROGRESS
        return Completion(status, completed_at)
