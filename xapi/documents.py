"""The document resources: activities/state, activities/profile and agents/profile.

Documents are stored byte for byte with their content type; JSON objects can be merged by
POST. ETags (SHA-1 of the content, quoted) give optimistic concurrency: If-Match and
If-None-Match are honoured on every write, and a profile PUT that would overwrite a document
without either header is refused (409), as the specification requires. Under xAPI 2.0 the
state resource follows the same rule.
"""

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update

from xapi.errors import BadRequest, Conflict, NotFound, PreconditionFailed
from xapi.models import documents


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha1(content, usedforsecurity=False).hexdigest() + '"'


def _where(kind, activity_id="", agent_key="", registration=""):
    c = documents.c
    return [c.kind == kind, c.activity_id == activity_id, c.agent_key == agent_key,
            c.registration == registration]


def get_document(connection, kind, document_id, **scope):
    """The row of one document, or NotFound."""
    row = connection.execute(select(documents).where(
        *_where(kind, **scope), documents.c.document_id == document_id)).mappings().first()
    if row is None:
        raise NotFound(f"No document {document_id!r} here.")
    return row


def list_ids(connection, kind, since=None, **scope) -> tuple[list[str], datetime | None]:
    """Ids of the documents in a scope (changed after `since`), and the latest change."""
    statement = select(documents.c.document_id, documents.c.updated).where(*_where(kind, **scope))
    if since is not None:
        statement = statement.where(documents.c.updated > since)
    rows = connection.execute(statement.order_by(documents.c.document_id)).all()
    latest = max((row.updated for row in rows), default=None)
    return [row.document_id for row in rows], latest


def _check_preconditions(existing, if_match, if_none_match, require_header, method,
                         create_needs_header=False):
    if if_match is not None:
        tags = {t.strip() for t in if_match.split(",")}
        if existing is None or ("*" not in tags and existing["etag"] not in tags):
            raise PreconditionFailed("If-Match does not match the document's current ETag.")
    if if_none_match is not None:
        tags = {t.strip() for t in if_none_match.split(",")}
        if existing is not None and ("*" in tags or existing["etag"] in tags):
            raise PreconditionFailed("If-None-Match: the document already exists.")
    blind = if_match is None and if_none_match is None
    if create_needs_header and existing is None and blind:
        raise BadRequest("A PUT to a profile must carry If-Match (the current ETag) or "
                         "If-None-Match: * (to create it).")
    if require_header and existing is not None and blind:
        raise Conflict(f"The document exists: send If-Match (its ETag) or If-None-Match to "
                       f"{method} it.")


def _load_json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest(f"{what} is not valid JSON, so it cannot be merged.") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object, so it cannot be merged.")
    return value


def is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def write_document(connection, kind, document_id, content: bytes, content_type: str, *,
                   merge: bool, if_match=None, if_none_match=None, require_header=False,
                   create_needs_header=False, **scope) -> str:
    """PUT (replace) or POST (merge JSON objects, else store) one document; returns its ETag."""
    existing = connection.execute(select(documents).where(
        *_where(kind, **scope), documents.c.document_id == document_id)).mappings().first()
    _check_preconditions(existing, if_match, if_none_match, require_header,
                         "POST" if merge else "PUT", create_needs_header)
    content_type = content_type or "application/octet-stream"
    if len(content_type) > 255:
        raise BadRequest("The Content-Type header is longer than 255 characters.")
    if merge and (existing is not None or is_json(content_type)):
        if is_json(content_type):
            posted = _load_json_object(content, "The posted document")
        if existing is not None:
            if not (is_json(content_type) and is_json(existing["content_type"])):
                raise BadRequest("POST merges only a JSON object into a JSON object document; "
                                 "use PUT to replace the document.")
            current = _load_json_object(existing["content"], "The stored document")
            content = json.dumps({**current, **posted}, separators=(",", ":")).encode()
            content_type = "application/json"
    now = datetime.now(UTC)
    etag = etag_of(content)
    values = {"content": content, "content_type": content_type, "etag": etag, "updated": now}
    if existing is None:
        connection.execute(insert(documents).values(
            kind=kind, document_id=document_id, **{"activity_id": "", "agent_key": "",
                                                   "registration": "", **scope}, **values))
    else:
        connection.execute(update(documents).where(documents.c.id == existing["id"])
                           .values(**values))
    return etag


def delete_document(connection, kind, document_id, if_match=None, **scope) -> None:
    """Delete one document (204 even if there was none, unless If-Match fails)."""
    existing = connection.execute(select(documents).where(
        *_where(kind, **scope), documents.c.document_id == document_id)).mappings().first()
    if if_match is not None:
        _check_preconditions(existing, if_match, None, False, "DELETE")
    if existing is not None:
        connection.execute(delete(documents).where(documents.c.id == existing["id"]))


def delete_all(connection, kind, **scope) -> None:
    """Delete every document in a scope (state: agent + activity [+ registration])."""
    connection.execute(delete(documents).where(*_where(kind, **scope)))
