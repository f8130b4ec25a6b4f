"""Who may see whom: the object-level rule behind every people and enrolment read."""

from sqlalchemy import or_

from lms.enrolment.models import Enrolment
from lms.errors import Forbidden
from lms.extensions import db
from lms.people.models import User


def visible_users(viewer: User):
    """A select of the users `viewer` may see: everyone for an administrator; themselves and
    their learners for a tutor; their organisation's people for an organisation manager;
    only themselves for a learner."""
    statement = db.select(User)
    roles = viewer.role_names
    if "admin" in roles:
        return statement
    allowed = [User.id == viewer.id]
    if "tutor" in roles:
        allowed.append(User.id.in_(
            db.select(Enrolment.learner_id).where(Enrolment.tutor_id == viewer.id)))
    if "org_manager" in roles and viewer.organisation_id is not None:
        allowed.append(User.organisation_id == viewer.organisation_id)
    return statement.where(or_(*allowed))


def check_can_see(viewer: User, user: User) -> None:
    """Raise Forbidden unless `viewer` may see `user`'s records."""
    if viewer.id == user.id:
        return
    visible = db.session.execute(
        visible_users(viewer).where(User.id == user.id).with_only_columns(User.id)
    ).first()
    if visible is None:
        raise Forbidden("You may not see this person's records.")
