"""The LRS's service layer for code running beside it (no HTTP): record statements and read
them back with the same rules as the statements resource."""

from contextlib import contextmanager

from flask import current_app

from xapi.engine import write_transaction
from xapi.errors import BadRequest
from xapi.signals import statement_stored
from xapi.statements import store_statements
from xapi.validation import StatementError, validate_statements


def import_authority() -> dict:
    """The authority of imported statements: an account named `import` on BASE_URL."""
    return {"objectType": "Agent", "name": "LRS import",
            "account": {"homePage": current_app.config.get("BASE_URL", "http://localhost"),
                        "name": "import"}}


def record(statements, authority: dict, version: str = "1.0.3",
           authority_key: str | None = "pathway") -> list[str]:
    """Validate and store statements (one transaction), then send `statement_stored`.

    `authority` is the Agent recorded as the statements' authority. Raises BadRequest (with
    the JSON path at fault) for an invalid statement; nothing is stored then.
    """
    try:
        batch = validate_statements(statements, version)
    except StatementError as exc:
        raise BadRequest(str(exc)) from exc
    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        ids, fresh, voided = store_statements(connection, batch, authority, version,
                                              authority_key=authority_key)
    if fresh:
        statement_stored.send(current_app._get_current_object(), statements=fresh,
                              voided_ids=voided)
    return ids


def registration_has_statements(registration: str) -> bool:
    """Whether any (unvoided or voided) statement was stored under this registration."""
    from sqlalchemy import select

    from xapi.models import filter_keys

    engine = current_app.extensions["xapi"].engine
    with engine.connect() as connection:
        return connection.execute(select(filter_keys.c.id).where(
            filter_keys.c.kind == "r", filter_keys.c.key == registration.lower())).first() \
            is not None


def launch_credentials(actor: dict, registration: str, minutes: int = 240) -> str:
    """New short-lived launch credentials for content in one learner's browser (see
    `xapi.auth.create_launch_credentials`); returns the `Authorization` header value."""
    from xapi.auth import basic_header, create_launch_credentials

    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        key, secret = create_launch_credentials(
            connection, actor, registration, current_app.config.get("BASE_URL", ""), minutes)
    return basic_header(key, secret)


def put_state(activity_id: str, agent: dict, registration: str | None, state_id: str,
              document: dict) -> str:
    """Create or replace the JSON state document `state_id` of `agent` on `activity_id` (in
    `registration`, when given), as a PUT to activities/state would; returns its ETag. For
    documents the LMS writes for content to read (such as cmi5's `LMS.LaunchData`)."""
    import json

    from xapi.documents import write_document
    from xapi.validation import inverse_functional_identifier

    agent_key = inverse_functional_identifier(agent)
    if agent_key is None:
        raise BadRequest("The agent of a state document needs an inverse functional "
                         "identifier.")
    content = json.dumps(document, separators=(",", ":")).encode()
    scope = {"activity_id": activity_id, "agent_key": agent_key}
    if registration:
        scope["registration"] = registration.lower()
    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        return write_document(connection, "state", state_id, content, "application/json",
                              merge=False, **scope)


def endpoint_url() -> str:
    """The LRS's public endpoint (BASE_URL and the xAPI prefix), ending in a slash."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return f"{base}{current_app.config['XAPI_URL_PREFIX'].rstrip('/')}/"


def last_statement_seq() -> int:
    """The storing-order number of the newest statement (0 when there is none)."""
    from sqlalchemy import func, select

    from xapi.models import statements

    with current_app.extensions["xapi"].engine.connect() as connection:
        return connection.execute(select(func.max(statements.c.seq))).scalar() or 0


def iter_statements(chunk: int = 5000, up_to: int | None = None):
    """Every statement that is not voided, oldest stored first, as dicts (read in chunks);
    only those stored up to storing-order number `up_to`, when given."""
    import json

    from sqlalchemy import select

    from xapi.models import statements

    engine = current_app.extensions["xapi"].engine
    after = 0
    while True:
        condition = [statements.c.seq > after, statements.c.voided.is_(False)]
        if up_to is not None:
            condition.append(statements.c.seq <= up_to)
        with engine.connect() as connection:
            rows = connection.execute(
                select(statements.c.seq, statements.c.statement).where(*condition)
                .order_by(statements.c.seq).limit(chunk)).all()
        if not rows:
            return
        for _, text in rows:
            yield json.loads(text)
        after = rows[-1][0]


def statement_time(value: str):
    """An xAPI timestamp string as an aware UTC datetime (the LRS's own parser, after a fast
    path for the usual `2024-05-07T09:30:00.000Z` form)."""
    from datetime import UTC, datetime

    from xapi.validation.formats import parse_timestamp

    if len(value) >= 20 and value[10] == "T" and value[-1] == "Z":
        try:
            return datetime.fromisoformat(value).astimezone(UTC)
        except ValueError:
            pass
    return parse_timestamp(value)


def voided_among(statement_ids) -> set[str]:
    """Which of these statement ids (lower-case) are voided now."""
    from sqlalchemy import select

    from xapi.models import statements

    ids = sorted({i.lower() for i in statement_ids})
    if not ids:
        return set()
    with current_app.extensions["xapi"].engine.connect() as connection:
        return set(connection.execute(select(statements.c.id).where(
            statements.c.id.in_(ids), statements.c.voided.is_(True))).scalars())


@contextmanager
def writes_paused():
    """Hold the LRS's write lock (no statement is stored meanwhile); yields a function that
    returns, for statements stored after a storing-order number, (statements not voided,
    ids voided by them or since). For a projection catching up after a long rebuild."""
    import json

    from sqlalchemy import select

    from xapi.models import statements

    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        def stored_after(seq: int) -> tuple[list[dict], list[str]]:
            rows = connection.execute(
                select(statements.c.statement, statements.c.voided,
                       statements.c.voiding_target)
                .where(statements.c.seq > seq).order_by(statements.c.seq)).all()
            fresh = [json.loads(text) for text, voided, _ in rows if not voided]
            return fresh, [target for _, _, target in rows if target]

        yield stored_after


def revoke_launch_credentials(authorization: str) -> bool:
    """Revoke the launch credentials of an `Authorization` header made by
    `launch_credentials` (when the launch they were made for did not happen)."""
    from xapi.auth import basic_key, revoke_client

    key = basic_key(authorization)
    if key is None:
        return False
    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        return revoke_client(connection, key)


def purge_expired_launch_credentials(older_than) -> int:
    """Delete the launch credentials that expired more than `older_than` (a timedelta) ago:
    one is made per launch, and expired ones only fill the clients table. Returns how many
    were deleted."""
    from datetime import UTC, datetime

    from xapi.auth import delete_expired_launch_clients

    with write_transaction(current_app.extensions["xapi"].engine) as connection:
        return delete_expired_launch_clients(connection, datetime.now(UTC) - older_than)
