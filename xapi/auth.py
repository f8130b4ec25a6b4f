"""LRS credentials: clients with HTTP Basic key and secret, their scopes, the authority their
statements get, and short-lived launch credentials limited to one actor and registration.

Secrets are random 32-byte values, so a SHA-256 of each is stored (a slow password hash adds
nothing for a random secret and would cost tens of milliseconds on every request). Verified
clients are cached in-process for `CACHE_SECONDS`; revocation takes effect within that time.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from xapi.errors import Forbidden, Unauthorized
from xapi.models import clients

SCOPES = ("statements/write", "statements/read", "statements/read/mine", "state", "define",
          "profile", "all/read", "all")
CACHE_SECONDS = 5.0
CACHE_MAX = 10_000

# What each kind of access needs (any one of the scopes).
NEEDS = {
    "statements/write": {"statements/write", "all"},
    "statements/read": {"statements/read", "statements/read/mine", "all/read", "all"},
    "state/write": {"state", "all"},
    "state/read": {"state", "all/read", "all"},
    "profile/write": {"profile", "all"},
    "profile/read": {"profile", "all/read", "all"},
    "activities/read": {"all/read", "all", "statements/read", "define", "profile", "state"},
    "agents/read": {"all/read", "all", "statements/read", "profile", "state"},
}


@dataclass(frozen=True)
class Client:
    """An authenticated LRS client."""

    key: str
    name: str
    scopes: frozenset
    authority: dict
    actor: dict | None = None
    registration: str | None = None

    @property
    def reads_only_its_own(self) -> bool:
        """Limited to statements it stored (scope statements/read/mine, or launch credentials)."""
        wide = {"statements/read", "all/read", "all"}
        return self.actor is not None or not (self.scopes & wide)

    def require(self, access: str) -> None:
        """403 unless the client's scopes grant `access` (a key of NEEDS)."""
        if not self.scopes & NEEDS[access]:
            raise Forbidden(f"These credentials lack a scope for {access} "
                            f"(need one of {', '.join(sorted(NEEDS[access]))}).")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes) -> list[str]:
    """The scopes, checked against the known ones."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"unknown scope(s) {unknown}; expected some of {', '.join(SCOPES)}")
    return sorted(set(scopes))


def create_client(connection, name: str, scopes, base_url: str, authority: dict | None = None,
                  actor: dict | None = None, registration: str | None = None,
                  lifetime: timedelta | None = None) -> tuple[str, str]:
    """Store a new client; returns (key, secret). The secret is not kept."""
    key = secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    authority = authority or {"objectType": "Agent", "name": name,
                              "account": {"homePage": base_url, "name": key}}
    connection.execute(insert(clients).values(
        key=key, secret_hash=_digest(secret), name=name, scopes=check_scopes(scopes),
        authority=authority, actor=actor, created_at=now,
        registration=registration.lower() if registration else None,  # compared lower-case
        expires_at=now + lifetime if lifetime else None))
    return key, secret


LAUNCH_SCOPES = ("statements/write", "statements/read/mine", "state")


def create_launch_credentials(connection, actor: dict, registration: str, base_url: str,
                              minutes: int = 240) -> tuple[str, str]:
    """Short-lived credentials for content running in one learner's browser: they may write
    and read only that learner's statements in that registration, and use only that
    learner's state documents, until they expire."""
    return create_client(connection, f"launch {registration}", LAUNCH_SCOPES, base_url,
                         actor=actor, registration=registration,
                         lifetime=timedelta(minutes=minutes))


def revoke_client(connection, key: str) -> bool:
    """Revoke a client at once (cached verifications expire within CACHE_SECONDS)."""
    result = connection.execute(update(clients).where(clients.c.key == key,
                                                      clients.c.revoked_at.is_(None))
                                .values(revoked_at=datetime.now(UTC)))
    _cache.pop(key, None)
    return result.rowcount > 0


def list_clients(connection) -> list[dict]:
    """Every client, newest first, without secrets."""
    rows = connection.execute(select(clients).order_by(clients.c.id.desc())).mappings()
    return [{k: v for k, v in row.items() if k != "secret_hash"} for row in rows]


_cache: dict[str, tuple[float, str, Client, datetime | None]] = {}


def authenticate(engine, header: str | None) -> Client:
    """The client of an `Authorization: Basic ...` header, or 401."""
    if not header:
        raise Unauthorized()
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        raise Unauthorized("Only HTTP Basic credentials are accepted.", challenge=False)
    try:
        key, _, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("The Basic credentials are not valid base64.", challenge=False) from exc
    if not key:
        raise Unauthorized("Anonymous access is not allowed; send a client key and secret.",
                           challenge=False)
    digest = _digest(secret)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[0] < CACHE_SECONDS and hmac.compare_digest(cached[1], digest):
        client, expires = cached[2], cached[3]
    else:
        with engine.connect() as connection:
            row = connection.execute(select(clients).where(clients.c.key == key)).mappings().first()
        if row is None or not hmac.compare_digest(row["secret_hash"], digest):
            raise Unauthorized("The client key or secret is wrong.", challenge=False)
        if row["revoked_at"] is not None:
            raise Unauthorized("These credentials have been revoked.", challenge=False)
        client = Client(key=row["key"], name=row["name"], scopes=frozenset(row["scopes"]),
                        authority=row["authority"], actor=row["actor"],
                        registration=row["registration"])
        expires = row["expires_at"]
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if len(_cache) >= CACHE_MAX:  # launch credentials come and go: keep it bounded
            _cache.clear()
        _cache[key] = (now, digest, client, expires)
    if expires is not None and expires <= datetime.now(UTC):
        raise Unauthorized("These launch credentials have expired.", challenge=False)
    return client


def check_launch_limits(client: Client, statements: list[dict], ifi) -> None:
    """Launch credentials may write only their own actor's statements in their registration."""
    if client.actor is None:
        return
    own = ifi(client.actor)
    for index, statement in enumerate(statements):
        if ifi(statement.get("actor") or {}) != own:
            raise Forbidden(f"[{index}].actor: these launch credentials may only record "
                            "statements about their own learner.")
        registration = (statement.get("context") or {}).get("registration")
        if client.registration and (registration or "").lower() != client.registration:
            raise Forbidden(f"[{index}].context.registration: these launch credentials may "
                            f"only record statements in registration {client.registration}.")


def basic_header(key: str, secret: str) -> str:
    """The `Authorization` header value for a client key and secret."""
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def basic_key(header: str | None) -> str | None:
    """The client key of an `Authorization: Basic ...` header, or None when it has none."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        key = base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
    return key or None


def delete_expired_launch_clients(connection, expired_before: datetime) -> int:
    """Delete the launch credentials (see `create_launch_credentials`) that expired before
    `expired_before`; returns how many. Other clients, even expired ones, are kept."""
    result = connection.execute(delete(clients).where(
        clients.c.name.startswith("launch ", autoescape=True), clients.c.actor.is_not(None),
        clients.c.expires_at.is_not(None), clients.c.expires_at < expired_before))
    return result.rowcount
