"""What can be done to people and tokens. Operations flush; the request or command commits."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from lms.access import ROLES
from lms.errors import Conflict, InvalidInput, NotFound
from lms.extensions import db
from lms.people.models import ApiToken, User, UserRole
from lms.people.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.timeutil import utcnow

TOKEN_PREFIX = "pw_"  # noqa: S105 (a prefix, not a secret)


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return db.session.execute(
        db.select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def user_by_public_id(public_id: str) -> User:
    """The user with this public id, or NotFound."""
    user = db.session.execute(
        db.select(User).where(User.public_id == public_id)
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"No user with id {public_id!r}.")
    return user


def _check_roles(roles) -> list[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InvalidInput.field("roles", f"unknown role(s) {unknown}; expected some of {ROLES}")
    return sorted(set(roles))


def create_user(email: str, name: str, roles, password: str | None = None,
                organisation_id: int | None = None) -> User:
    """A new user. The e-mail address must be free; the password, if given, long enough."""
    email = normalise_email(email)
    if user_by_email(email) is not None:
        raise Conflict(f"A user with e-mail {email} already exists.",
                       errors=[{"field": "email", "detail": "is already taken"}])
    user = User(email=email, name=name.strip(), organisation_id=organisation_id)
    user.roles = [UserRole(role=role) for role in _check_roles(roles)]
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_roles(user: User, roles) -> None:
    """Replace the user's roles."""
    wanted = set(_check_roles(roles))
    user.roles = [r for r in user.roles if r.role in wanted] + [
        UserRole(role=role) for role in sorted(wanted - user.role_names)
    ]


def set_password(user: User, password: str) -> None:
    """Give the user a new password (hashed with argon2id)."""
    problem = password_problem(password)
    if problem:
        raise InvalidInput.field("password", problem)
    user.password_hash = hash_password(password)


_dummy_hash: dict[str, str] = {}


def _dummy_check(password: str) -> None:
    """One verification against a hash nobody has, costing what a real check costs, so the
    time taken does not tell which e-mail addresses have accounts."""
    if "hash" not in _dummy_hash:
        _dummy_hash["hash"] = hash_password(secrets.token_urlsafe(16))
    verify_password(_dummy_hash["hash"], password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes."""
    user = user_by_email(email)
    if user is None or not user.active or not user.password_hash:
        _dummy_check(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal API token for `user`; returns the row and the token (shown once)."""
    if days is None:  # not `or`: 0 days is out of range, not "the default"
        days = current_app.config["API_TOKEN_DEFAULT_DAYS"]
    max_days = current_app.config["API_TOKEN_MAX_DAYS"]
    if not 1 <= days <= max_days:
        raise InvalidInput.field("days", f"must be between 1 and {max_days}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:10], token_hash=_digest(secret),
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    return token, secret


def user_for_token(secret: str) -> tuple[User | None, str | None]:
    """The user a bearer token belongs to, or (None, why it was refused)."""
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == _digest(secret))
    ).scalar_one_or_none()
    if token is None:
        return None, "The API token is not valid."
    state = token.state()
    if state == "revoked":
        return None, "The API token has been revoked."
    if state == "expired":
        return None, "The API token has expired."
    if not token.user.active:
        return None, "The account this API token belongs to is disabled."
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now  # coarse, so reads do not write on every request
        db.session.commit()
    return token.user, None


def revoke_token(token: ApiToken) -> None:
    """Revoke a token at once; a revoked token is never valid again."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def token_of(user: User, token_id: int) -> ApiToken:
    """`user`'s token with this id, or NotFound (another user's token is not found either)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"You have no API token with id {token_id}.")
    return token
