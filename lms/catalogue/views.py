"""Catalogue API: `/api/v1/qualifications`, `/api/v1/units/<slug>`, `/api/v1/activities`.

The catalogue describes the course and is public, like a prospectus."""

from flask.views import MethodView
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import PageArgs, next_link, paginate
from lms.catalogue import operations, schemas
from lms.catalogue.models import Activity, Qualification
from lms.extensions import db

blp = Blueprint("catalogue", __name__, url_prefix="/api/v1",
                description="Qualifications, units and activities.")


@blp.route("/qualifications")
class Qualifications(MethodView):
    @allow("anyone")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.QualificationPage)
    def get(self, args):
        """List qualifications, with their credits and hours."""
        page = paginate(db, db.select(Qualification), Qualification.id, args)
        return page, 200, next_link(page)


@blp.route("/qualifications/<slug>")
class QualificationDetail(MethodView):
    @allow("anyone")
    @blp.response(200, schemas.QualificationSchema)
    def get(self, slug):
        """One qualification with its units."""
        return operations.qualification_by_slug(slug)


@blp.route("/units/<slug>")
class UnitDetail(MethodView):
    @allow("anyone")
    @blp.response(200, schemas.UnitSchema)
    def get(self, slug):
        """One unit with its assessment criteria and activities."""
        return operations.unit_by_slug(slug)


@blp.route("/activities")
class Activities(MethodView):
    @allow("anyone")
    @blp.arguments(schemas.ActivityArgs, location="query")
    @blp.response(200, schemas.ActivityPage)
    def get(self, args):
        """List current activities, optionally of one unit or one type."""
        statement = db.select(Activity).where(Activity.retired.is_(False))
        if args.get("unit"):
            statement = statement.where(
                Activity.unit_id == operations.unit_by_slug(args["unit"]).id)
        if args.get("type"):
            statement = statement.where(Activity.type == args["type"])
        page = paginate(db, statement, Activity.id, args)
        return page, 200, next_link(page)


@blp.route("/activities/<slug>")
class ActivityDetail(MethodView):
    @allow("anyone")
    @blp.response(200, schemas.ActivitySchema)
    def get(self, slug):
        """One activity."""
        return operations.activity_by_slug(slug)
