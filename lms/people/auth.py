"""How a request is tied to a user: the login session (pages) or a bearer token (API)."""

from flask import g

from lms.extensions import db, login_manager
from lms.people.models import User


def init_app(app):
    """Install the Flask-Login loaders."""
    login_manager.login_view = "web.login"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_session_user(public_id: str) -> User | None:
    """The user whose public id the login session holds (None if gone or disabled)."""
    user = db.session.execute(
        db.select(User).where(User.public_id == public_id)
    ).scalar_one_or_none()
    if user is not None and user.active:
        g.auth_method = "session"
        return user
    return None


@login_manager.request_loader
def load_token_user(request) -> User | None:
    """The user of an `Authorization: Bearer <token>` header, if valid."""
    from lms.people.operations import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    user, why = user_for_token(secret.strip())
    if user is None:
        g.auth_error = why
        return None
    g.auth_method = "token"
    return user
