"""RRN memberships: recorded by an organisation manager for their organisation, by a person
for themself, or by an administrator for either; they give the member price only once an
administrator has confirmed them, and until they expire. Operations flush; the caller
commits."""

from datetime import date

from sqlalchemy import or_

from lms.enrolment.applications import Membership
from lms.enrolment.models import Organisation
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound
from lms.extensions import db
from lms.people.models import User
from lms.timeutil import utcnow


def visible_memberships(viewer):
    """A select of the memberships `viewer` may see: all for an administrator; their
    organisation's and their own for an organisation manager; their own for anyone else."""
    statement = db.select(Membership)
    if "admin" in viewer.role_names:
        return statement
    allowed = [Membership.user_id == viewer.id]
    if "org_manager" in viewer.role_names and viewer.organisation_id is not None:
        allowed.append(Membership.organisation_id == viewer.organisation_id)
    return statement.where(or_(*allowed))


def membership_for(viewer, membership_id: int) -> Membership:
    """Membership `membership_id` if `viewer` may see it, else 404."""
    found = db.session.execute(visible_memberships(viewer).where(
        Membership.id == membership_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"membership: there is no membership {membership_id} that you can see.")
    return found


def _holder(by: User, values: dict) -> dict:
    """Whose membership it is: `{"organisation": ...}` or `{"user": ...}`, checked for `by`."""
    slug, public_id = values.get("organisation"), values.get("user")
    if slug and public_id:
        raise InvalidInput.field("organisation", "name an organisation or a person, not both")
    admin = "admin" in by.role_names
    if slug:
        organisation = db.session.execute(db.select(Organisation).where(
            Organisation.slug == slug)).scalar_one_or_none()
        if organisation is None:
            raise InvalidInput.field("organisation", f"no organisation with slug {slug!r}")
        if not admin and not ("org_manager" in by.role_names
                              and by.organisation_id == organisation.id):
            raise Forbidden("Only the organisation's manager or an administrator records its "
                            "membership.")
        return {"organisation": organisation}
    if public_id and public_id != by.public_id:
        if not admin:
            raise Forbidden("You record a membership for yourself or your organisation only.")
        person = db.session.execute(
            db.select(User).where(User.public_id == public_id)).scalar_one_or_none()
        if person is None:
            raise InvalidInput.field("user", f"no person with id {public_id!r}")
        return {"user": person}
    return {"user": by}


def record_membership(by: User, values: dict, today: date) -> Membership:
    """Record an RRN membership (number and expiry), unconfirmed until an administrator
    confirms it."""
    if values["expires_on"] < today:
        raise InvalidInput.field("expires_on", f"has passed ({values['expires_on'].isoformat()}"
                                 f"); record a current membership")
    membership = Membership(number=values["number"].strip(), expires_on=values["expires_on"],
                            **_holder(by, values))
    db.session.add(membership)
    db.session.flush()
    return membership


def confirm_membership(membership: Membership, by: User) -> Membership:
    """An administrator confirms a membership (having checked it with the RRN)."""
    if membership.confirmed_at is not None:
        raise Conflict(f"membership: {membership.id} was confirmed already, on "
                       f"{membership.confirmed_at.date().isoformat()}.")
    membership.confirmed_by, membership.confirmed_at = by, utcnow()
    db.session.flush()
    return membership
