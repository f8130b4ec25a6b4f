"""Progress API: one enrolment's progress, summaries for tutors and managers, window
extensions, and attendance at guided activities.

`GET  /api/v1/enrolments/<id>/progress`
`GET  /api/v1/progress` (the caller's visible enrolments) and `/api/v1/cohorts/<id>/progress`
`GET|POST /api/v1/enrolments/<id>/extensions`
`POST /api/v1/enrolments/<id>/attendance`
"""

from datetime import UTC, date, datetime

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.enrolment.models import Cohort, Enrolment
from lms.enrolment.operations import enrolment_for, visible_enrolments
from lms.errors import NotFound
from lms.extensions import db
from lms.progress import operations, reports, schemas

blp = Blueprint("progress", __name__, url_prefix="/api/v1",
                description="Progress toward hours, units and credits; deadlines and pace.")

SORTS = {
    "name": lambda e: (e["learner"]["name"].lower(), e["enrolment"]["id"]),
    "hours": lambda e: (e["hours"]["total"], e["enrolment"]["id"]),
    "last_learning": lambda e: (e["last_learning_at"] or datetime.min.replace(tzinfo=UTC),
                                e["enrolment"]["id"]),
    "projected_completion": lambda e: (e["forecast"]["projected_completion"] or date.max,
                                       e["enrolment"]["id"]),
}


def _summary(statement, args) -> dict:
    if args.get("cohort") is not None:
        statement = statement.where(Enrolment.cohort_id == args["cohort"])
    if args.get("intake") is not None:
        statement = statement.where(Enrolment.intake_id == args["intake"])
    summary = reports.progress_summary(statement)
    if args.get("at_risk") is not None:
        summary["learners"] = [e for e in summary["learners"]
                               if e["at_risk"] == args["at_risk"]]
    summary["learners"].sort(key=SORTS[args["sort"]])
    return summary


@blp.route("/enrolments/<int:enrolment_id>/progress")
class EnrolmentProgress(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ProgressSchema)
    def get(self, enrolment_id):
        """One enrolment's progress: hours (guided and self-study), credits, each unit and
        activity, the deadline and the pace forecast. The learner, their tutor, their
        organisation's manager and administrators may see it."""
        return reports.enrolment_progress(enrolment_for(current_user, enrolment_id))


@blp.route("/progress")
class ProgressSummary(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.SummaryArgs, location="query")
    @blp.response(200, schemas.SummarySchema)
    def get(self, args):
        """A summary of every learner the caller may see (a tutor: their learners; a manager:
        their organisation's; an administrator: all), with at-risk flags."""
        return _summary(visible_enrolments(current_user), args)


@blp.route("/cohorts/<int:cohort_id>/progress")
class CohortProgress(MethodView):
    @allow("tutor", "org_manager", "admin")
    @blp.arguments(schemas.SummaryArgs, location="query")
    @blp.response(200, schemas.SummarySchema)
    def get(self, args, cohort_id):
        """A cohort's summary (only the learners of it the caller may see)."""
        if db.session.get(Cohort, cohort_id) is None:
            raise NotFound(f"cohort: there is no cohort {cohort_id}.")
        args["cohort"] = cohort_id
        summary = _summary(visible_enrolments(current_user), args)
        if not summary["count"] and "admin" not in current_user.role_names:
            raise NotFound(f"cohort: there is no cohort {cohort_id} that you can see.")
        return summary


@blp.route("/enrolments/<int:enrolment_id>/extensions")
class Extensions(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ExtensionSchema(many=True))
    def get(self, enrolment_id):
        """The extensions of an enrolment's window, oldest first."""
        return operations.extensions_of(enrolment_for(current_user, enrolment_id))

    @allow("tutor", "admin")
    @blp.arguments(schemas.ExtensionSchema)
    @blp.response(201, schemas.ExtensionSchema)
    def post(self, data, enrolment_id):
        """Extend a learner's window (their tutor or an administrator), with a reason."""
        extension = operations.extend_window(
            enrolment_for(current_user, enrolment_id), data["new_end"], data["reason"],
            current_user._get_current_object())
        db.session.commit()
        return extension


@blp.route("/enrolments/<int:enrolment_id>/attendance")
class Attendance(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(schemas.AttendanceSchema)
    @blp.response(201, schemas.AttendanceResultSchema)
    def post(self, data, enrolment_id):
        """Record that the learner attended a guided activity (a live webinar, a tutorial):
        an `attended` statement with the duration, which completes the activity."""
        return operations.record_attendance(
            enrolment_for(current_user, enrolment_id), data["activity"], data["minutes"],
            data["attended_at"], current_user._get_current_object())
