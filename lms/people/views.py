"""People API: `/api/v1/me`, `/api/v1/users`, `/api/v1/tokens`."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import next_link, paginate
from lms.enrolment.models import Organisation
from lms.enrolment.operations import enrolments_of
from lms.errors import InvalidInput
from lms.extensions import db
from lms.people import operations, schemas
from lms.people.models import ApiToken, User, UserRole
from lms.people.visibility import check_can_see, visible_users

blp = Blueprint("people", __name__, url_prefix="/api/v1",
                description="Accounts, roles, enrolments and personal API tokens.")


def _me_payload(user: User) -> User:
    user.enrolments = enrolments_of(user)  # not a column: MeSchema dumps it with the user
    return user


@blp.route("/me")
class Me(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.MeSchema)
    def get(self):
        """The caller's own account, roles and enrolments."""
        return _me_payload(current_user._get_current_object())


def _organisation(slug: str | None) -> int | None:
    if not slug:
        return None
    found = db.session.execute(
        db.select(Organisation.id).where(Organisation.slug == slug)).scalar_one_or_none()
    if found is None:
        raise InvalidInput.field("organisation", f"no organisation with slug {slug!r}")
    return found


@blp.route("/users")
class Users(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.UserArgs, location="query")
    @blp.response(200, schemas.UserPage)
    def get(self, args):
        """The people the caller may see (administrators: everyone)."""
        statement = visible_users(current_user)
        if args.get("role"):
            statement = statement.where(User.id.in_(
                db.select(UserRole.user_id).where(UserRole.role == args["role"])))
        page = paginate(db, statement, User.id, args)
        return page, 200, next_link(page)

    @allow("admin")
    @blp.arguments(schemas.UserCreateSchema)
    @blp.response(201, schemas.UserSchema)
    def post(self, data):
        """Create an account (administrators)."""
        user = operations.create_user(
            data["email"], data["name"], data["roles"], password=data.get("password"),
            organisation_id=_organisation(data.get("organisation")))
        db.session.commit()
        return user


@blp.route("/users/<user_id>")
class UserDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.UserSchema)
    def get(self, user_id):
        """One person, if the caller may see them."""
        user = operations.user_by_public_id(user_id)
        check_can_see(current_user, user)
        return user

    @allow("admin")
    @blp.arguments(schemas.UserUpdateSchema)
    @blp.response(200, schemas.UserSchema)
    def patch(self, data, user_id):
        """Change a person's name, roles, password or whether they may sign in."""
        user = operations.user_by_public_id(user_id)
        if user.id == current_user.id and (data.get("active") is False or (
                "roles" in data and "admin" not in data["roles"])):
            raise InvalidInput.field("roles", "you cannot remove your own admin role or "
                                              "disable yourself")
        if "name" in data:
            user.name = data["name"].strip()
        if "roles" in data:
            operations.set_roles(user, data["roles"])
        if "active" in data:
            user.active = data["active"]
        if "password" in data:
            operations.set_password(user, data["password"])
        db.session.commit()
        return user


@blp.route("/users/<user_id>/enrolments")
class UserEnrolments(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.EnrolmentSchema(many=True))
    def get(self, user_id):
        """A person's enrolments, if the caller may see them."""
        user = operations.user_by_public_id(user_id)
        check_can_see(current_user, user)
        return enrolments_of(user)


@blp.route("/tokens")
class Tokens(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.TokenSchema(many=True))
    def get(self):
        """The caller's personal API tokens (never the tokens themselves)."""
        return db.session.execute(
            db.select(ApiToken).where(ApiToken.user_id == current_user.id)
            .order_by(ApiToken.id)).scalars().all()

    @allow("signed-in")
    @blp.arguments(schemas.TokenCreateSchema)
    @blp.response(201, schemas.NewTokenSchema)
    def post(self, data):
        """Make a personal API token. The response holds the token: it is not shown again."""
        token, secret = operations.create_token(current_user, data["name"], data.get("days"))
        db.session.commit()
        token.secret = secret  # not a column: only this response carries it
        return token


@blp.route("/tokens/<int:token_id>")
class TokenDetail(MethodView):
    @allow("signed-in")
    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of the caller's tokens, at once."""
        operations.revoke_token(operations.token_of(current_user, token_id))
        db.session.commit()
