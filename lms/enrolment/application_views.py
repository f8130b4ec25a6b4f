"""Applications API: apply for an intake, name a cohort's learners, decide, withdraw.

`GET|POST /api/v1/applications`, `GET /api/v1/applications/<id>`
`POST /api/v1/applications/<id>/learners`, `DELETE /api/v1/applications/<id>/learners/<pid>`
`POST /api/v1/applications/<id>/decision` (administrators), `.../withdrawal` (the applicant)
"""

from contextlib import contextmanager

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from lms.access import allow
from lms.api import next_link, paginate
from lms.enrolment import applying, schemas
from lms.enrolment.applications import Application
from lms.enrolment.intakes import intake_by_id, london_today
from lms.enrolment.models import Enrolment
from lms.enrolment.operations import visible_enrolments
from lms.errors import Conflict, InvalidInput, NotFound
from lms.extensions import db

blp = Blueprint("applications", __name__, url_prefix="/api/v1",
                description="Applications for intakes: individuals and cohorts of six.")


def _shown(application: Application) -> Application:
    """Give each seat the enrolment the caller may see (not a column: dumped with it)."""
    ids = {seat.enrolment_id for seat in application.seats if seat.enrolment_id}
    visible = set(db.session.execute(visible_enrolments(current_user).with_only_columns(
        Enrolment.id).where(Enrolment.id.in_(ids))).scalars()) if ids else set()
    for seat in application.seats:
        seat.shown_enrolment = seat.enrolment if seat.enrolment_id in visible else None
    return application


@contextmanager
def committed(what: str):
    """Run the operation and commit once; a clash with what another request stored meanwhile
    (a seat number or learner taken twice, which the database refuses) is a 409."""
    try:
        yield
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(f"{what}: another change to this application was made at the same "
                       "time; reload it and try again.") from error


@blp.route("/applications")
class Applications(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.ApplicationArgs, location="query")
    @blp.response(200, schemas.ApplicationPage)
    def get(self, args):
        """The applications the caller may see: all (administrators), their organisation's
        (a manager), or their own; filter by `status` and `intake`."""
        statement = applying.visible_applications(current_user)
        if args.get("status"):
            statement = statement.where(Application.status == args["status"])
        if args.get("intake"):
            statement = statement.where(Application.intake_id == args["intake"])
        page = paginate(db, statement, Application.id, args)
        page["items"] = [_shown(a) for a in page["items"]]
        return page, 200, next_link(page)

    @allow("signed-in")
    @blp.arguments(schemas.ApplicationCreateSchema)
    @blp.response(201, schemas.ApplicationSchema)
    def post(self, data):
        """Apply for an intake: `individual` for yourself, or (an organisation manager)
        `cohort` with up to six learners of your organisation, priced today."""
        try:
            intake = intake_by_id(data["intake"])
        except NotFound as error:
            raise InvalidInput.field("intake", f"there is no intake {data['intake']}") \
                from error
        with committed("application"):
            application = applying.apply(current_user._get_current_object(), intake,
                                         data["kind"], data["learners"], london_today())
        return _shown(application)


@blp.route("/applications/<int:application_id>")
class ApplicationDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ApplicationSchema)
    def get(self, application_id):
        """One application, its seats and (once accepted) its learners' enrolments and
        invoice."""
        return _shown(applying.application_for(current_user, application_id))


@blp.route("/applications/<int:application_id>/learners")
class ApplicationLearners(MethodView):
    @allow("org_manager", "admin")
    @blp.arguments(schemas.LearnersSchema)
    @blp.response(200, schemas.ApplicationSchema)
    def post(self, data, application_id):
        """Name more learners of a cohort (six in all, never more); once the application is
        accepted each is enrolled as they are named."""
        application = applying.application_for(current_user, application_id)
        with committed("learners"):
            applying.add_learners(application, current_user._get_current_object(),
                                  data["learners"], london_today())
        return _shown(application)


@blp.route("/applications/<int:application_id>/learners/<public_id>")
class ApplicationLearner(MethodView):
    @allow("org_manager", "admin")
    @blp.response(204)
    def delete(self, application_id, public_id):
        """Take a learner off a cohort application before it is decided."""
        application = applying.application_for(current_user, application_id)
        applying.remove_learner(application, public_id)
        db.session.commit()


@blp.route("/applications/<int:application_id>/decision")
class Decision(MethodView):
    @allow("admin")
    @blp.arguments(schemas.DecisionSchema)
    @blp.response(200, schemas.ApplicationSchema)
    def post(self, data, application_id):
        """Accept (each named learner enrolled, the invoice issued) or decline an application
        (administrators); once only."""
        application = applying.application_for(current_user, application_id)
        with committed("decision"):
            applying.decide(application, data["decision"], data["note"],
                            current_user._get_current_object(), london_today())
        return _shown(application)


@blp.route("/applications/<int:application_id>/withdrawal")
class Withdrawal(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ApplicationSchema)
    def post(self, application_id):
        """Withdraw your own application before it is decided."""
        application = applying.application_for(current_user, application_id)
        applying.withdraw(application, current_user._get_current_object())
        db.session.commit()
        return _shown(application)
