"""Enrolment changes API, and the enrolments CSV for finance.

`POST /api/v1/enrolments/<id>/withdrawal` (an administrator or the learner's organisation's
manager), `POST .../deferral` (an administrator), `POST .../transfer` (an administrator or the
cohort's organisation's manager), `GET .../changes` (the history, for whoever may see the
enrolment), `GET /api/v1/enrolments.csv` (administrators).
(Window extensions: `POST .../extensions` in `lms.progress.views`.)
"""

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from lms.access import allow
from lms.api import PageArgs, next_link, paginate
from lms.enrolment import changes
from lms.enrolment import changes_schemas as schemas
from lms.enrolment.applications import EnrolmentChange
from lms.enrolment.export import enrolments_csv
from lms.enrolment.operations import enrolment_for
from lms.errors import Conflict
from lms.extensions import db

blp = Blueprint("enrolment_changes", __name__, url_prefix="/api/v1",
                description="Withdrawals, deferrals and transfers of enrolments; their history; "
                            "the enrolments as CSV.")


def _me():
    return current_user._get_current_object()


@blp.route("/enrolments/<int:enrolment_id>/withdrawal")
class Withdrawal(MethodView):
    @allow("admin", "org_manager")
    @blp.arguments(schemas.WithdrawalSchema)
    @blp.response(201, schemas.EnrolmentChangeSchema)
    def post(self, data, enrolment_id):
        """Withdraw a learner (an administrator, or their organisation's manager)."""
        enrolment = enrolment_for(current_user, enrolment_id)
        changes.check_manages(current_user, enrolment)
        change = changes.withdraw(enrolment, _me(), data["reason"])
        db.session.commit()
        return change


@blp.route("/enrolments/<int:enrolment_id>/deferral")
class Deferral(MethodView):
    @allow("admin")
    @blp.arguments(schemas.DeferralSchema)
    @blp.response(201, schemas.EnrolmentChangeSchema)
    def post(self, data, enrolment_id):
        """Move an enrolment to a later intake of the same qualification (administrators):
        new start date and window; the learning so far still counts."""
        enrolment = enrolment_for(current_user, enrolment_id)
        change = changes.defer(enrolment, data["intake"], _me(), data["reason"],
                               changes.london_today())
        _commit()
        return change


@blp.route("/enrolments/<int:enrolment_id>/transfer")
class Transfer(MethodView):
    @allow("admin", "org_manager")
    @blp.arguments(schemas.TransferSchema)
    @blp.response(201, schemas.TransferredEnrolmentSchema)
    def post(self, data, enrolment_id):
        """Give a cohort seat to another learner of the same organisation before the intake
        starts; answers the new learner's enrolment."""
        enrolment = enrolment_for(current_user, enrolment_id)
        changes.check_manages(current_user, enrolment,
                              enrolment.cohort.organisation_id if enrolment.cohort else None)
        successor = changes.transfer(enrolment, data["learner"], _me(), data["reason"],
                                     changes.london_today())
        _commit()
        return successor


def _commit() -> None:
    """Commit; a clash with a change made at the same moment is a 409, nothing stored."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("The enrolment changed at the same time; nothing was changed. Look "
                       "again and retry.") from error


@blp.route("/enrolments/<int:enrolment_id>/changes")
class Changes(MethodView):
    @allow("signed-in")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.ChangePage)
    def get(self, args, enrolment_id):
        """An enrolment's history, oldest first (whoever may see the enrolment)."""
        enrolment = enrolment_for(current_user, enrolment_id)
        page = paginate(db, db.select(EnrolmentChange).where(
            EnrolmentChange.enrolment_id == enrolment.id), EnrolmentChange.id, args)
        return page, 200, next_link(page)


@blp.route("/enrolments.csv")
class EnrolmentsCsv(MethodView):
    @allow("admin")
    @blp.doc(responses={"200": {"description": "The enrolments as CSV (one row each).",
                                "content": {"text/csv": {"schema": {"type": "string"}}}}})
    def get(self):
        """Every enrolment as CSV for finance: learner, e-mail, organisation, intake, start,
        window end, status, registration, cohort and invoice number."""
        return Response("".join(enrolments_csv()), mimetype="text/csv", headers={
            "Content-Disposition": 'attachment; filename="enrolments.csv"'})
