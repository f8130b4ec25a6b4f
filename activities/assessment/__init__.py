"""Practice assessment: evidence from the learner's own service, judged by a tutor against the
unit's assessment criteria.

There is no player: launching gives the address the learner submits evidence to (see
`lms.assessment`). Only Pathway's own statements (a tutor's decision) can pass or fail it, and
the latest decision stands.
"""

import marshmallow as ma
from flask import url_for

from activities.base import ActivityType, Launch, LaunchContext


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
        """The address to submit evidence to (multipart/form-data, with the signed
        declaration); there is no player."""
        url = url_for("assessment.ActivitySubmissions", enrolment_id=context.enrolment.id,
                      slug=context.activity.slug)
        evidence = ", ".join(context.activity.config.get("evidence") or []) or "your evidence"
        return Launch(url, "page", (
            f"Submit {evidence} as files to this address (POST, multipart/form-data), with the "
            "authenticity declaration from /api/v1/assessment/declaration signed with your "
            "name. Your tutor decides on each assessment criterion."))
