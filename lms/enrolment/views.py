"""Intakes and RRN memberships API.

`GET|POST /api/v1/intakes`, `GET|PATCH /api/v1/intakes/<id>`
`GET|POST /api/v1/memberships`, `GET /api/v1/memberships/<id>`,
`POST /api/v1/memberships/<id>/confirm`
"""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import next_link, paginate
from lms.enrolment import intakes, memberships, schemas
from lms.enrolment.applications import Membership
from lms.enrolment.models import Intake
from lms.extensions import db

blp = Blueprint("intakes", __name__, url_prefix="/api/v1",
                description="Intakes (dates, capacity, places taken) and RRN memberships.")


def _with_seats(intake: Intake) -> Intake:
    intake.seats_taken = intakes.seats_taken(intake)  # not a column: dumped with the intake
    return intake


@blp.route("/intakes")
class Intakes(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.IntakeArgs, location="query")
    @blp.response(200, schemas.IntakePage)
    def get(self, args):
        """The intakes taking applications today (Europe/London), or every intake with
        `?all=true`: dates, capacity and places taken."""
        statement = db.select(Intake) if args["all"] else intakes.open_intakes(
            intakes.london_today())
        page = paginate(db, statement, Intake.id, args)
        page["items"] = [_with_seats(intake) for intake in page["items"]]
        return page, 200, next_link(page)

    @allow("admin")
    @blp.arguments(schemas.IntakeSchema)
    @blp.response(201, schemas.IntakeSchema)
    def post(self, data):
        """Add an intake (administrators): applications close, and the final payment falls
        due, on or before the start date."""
        intake = intakes.create_intake(data)
        db.session.commit()
        return _with_seats(intake)


@blp.route("/intakes/<int:intake_id>")
class IntakeDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.IntakeSchema)
    def get(self, intake_id):
        """One intake."""
        return _with_seats(intakes.intake_by_id(intake_id))

    @allow("admin")
    @blp.arguments(schemas.IntakeUpdateSchema)
    @blp.response(200, schemas.IntakeSchema)
    def patch(self, data, intake_id):
        """Change an intake's name, dates or capacity (administrators)."""
        intake = intakes.update_intake(intakes.intake_by_id(intake_id), data)
        db.session.commit()
        return _with_seats(intake)


@blp.route("/memberships")
class Memberships(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.PageArgs, location="query")
    @blp.response(200, schemas.MembershipPage)
    def get(self, args):
        """The RRN memberships the caller may see: their own, their organisation's (a
        manager), or all (administrators)."""
        page = paginate(db, memberships.visible_memberships(current_user), Membership.id, args)
        return page, 200, next_link(page)

    @allow("signed-in")
    @blp.arguments(schemas.MembershipSchema)
    @blp.response(201, schemas.MembershipSchema)
    def post(self, data):
        """Record an RRN membership: a person's own, a manager's organisation's, or (an
        administrator) anyone's. It gives the member price once an administrator confirms
        it."""
        membership = memberships.record_membership(current_user, data, intakes.london_today())
        db.session.commit()
        return membership


@blp.route("/memberships/<int:membership_id>")
class MembershipDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.MembershipSchema)
    def get(self, membership_id):
        """One membership, if the caller may see it."""
        return memberships.membership_for(current_user, membership_id)


@blp.route("/memberships/<int:membership_id>/confirm")
class ConfirmMembership(MethodView):
    @allow("admin")
    @blp.response(200, schemas.MembershipSchema)
    def post(self, membership_id):
        """Confirm a membership (administrators, having checked it with the RRN)."""
        membership = memberships.confirm_membership(
            memberships.membership_for(current_user, membership_id),
            current_user._get_current_object())
        db.session.commit()
        return membership
