"""What each xAPI resource does with a request (`XRequest` in, Flask `Response` out)."""

import json
from datetime import UTC, datetime

from flask import Response, current_app
from sqlalchemy import select

from xapi import attachments as att
from xapi import documents as docs
from xapi import query as q
from xapi.auth import authenticate, check_launch_limits
from xapi.engine import write_transaction
from xapi.errors import BadRequest, Forbidden, NotFound, XAPIError
from xapi.models import activities, attachments
from xapi.protocol import XRequest, bool_param, check_params, loads
from xapi.signals import document_changing, statement_stored, statements_receiving
from xapi.statements import consistent_through, format_time, store_statements
from xapi.validation import (
    StatementError,
    inverse_functional_identifier,
    is_iri,
    is_uuid,
    parse_timestamp,
    validate_agent_parameter,
    validate_statements,
)

CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"


def _lrs():
    return current_app.extensions["xapi"]


def _client(xreq: XRequest, access: str):
    client = authenticate(_lrs().engine, xreq.headers.get("Authorization"))
    client.require(access)
    xreq.client = client
    return client


def _json(value, status=200, headers=None) -> Response:
    return Response(json.dumps(value, separators=(",", ":"), ensure_ascii=False),
                    status=status, mimetype="application/json", headers=headers or {})


def _http_date(value: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(value.astimezone(UTC), usegmt=True)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _timestamp_param(xreq, name):
    value = xreq.params.get(name)
    if value is None:
        return None
    try:
        parse_timestamp(value, xreq.version)
    except (StatementError, ValueError) as exc:
        raise BadRequest(f"Parameter {name!r} must be an ISO 8601 timestamp: {exc}") from exc
    return value


def _parse_time(value):
    return parse_timestamp(value, "1.0.3")


# ---- statements ------------------------------------------------------------------------------

def _statement_body(xreq: XRequest):
    """(parsed statements JSON, attachment parts) of a PUT/POST."""
    mimetype = xreq.mimetype
    if mimetype == "multipart/mixed":
        try:
            body, parts = att.parse_multipart(xreq.body, xreq.headers.get("Content-Type", ""))
        except att.AttachmentError as exc:
            raise BadRequest(str(exc)) from exc
        return body, parts
    if mimetype != "application/json":
        raise BadRequest("Statements must be sent as application/json or multipart/mixed, not "
                         f"{mimetype or 'no content type'}.")
    return xreq.json_body("The statement"), []


def _check_and_store(xreq: XRequest, body, parts) -> tuple[list[str], list[dict]]:
    client = xreq.client
    try:
        batch = validate_statements(body, xreq.version)
    except StatementError as exc:
        raise BadRequest(str(exc)) from exc
    if not batch:
        raise BadRequest("No statements were sent.")
    for number, part in enumerate(parts, start=2):
        if len(part.content_type) > 255:
            raise BadRequest(f"Part {number}: its Content-Type is longer than 255 characters.")
    try:
        by_hash = att.check_attachments(batch, parts)
        for statement in batch:
            att.verify_signatures(statement, by_hash)
    except att.AttachmentError as exc:
        raise BadRequest(str(exc)) from exc
    check_launch_limits(client, batch, inverse_functional_identifier)
    # A receiver (e.g. the cmi5 rules for an AU session's credentials) may refuse the batch
    # by raising an XAPIError: nothing has been stored yet.
    statements_receiving.send(current_app._get_current_object(), client=client,
                              statements=batch, version=xreq.version)
    define = bool(client.scopes & {"define", "all"})
    with write_transaction(_lrs().engine) as connection:
        ids, fresh, voided = store_statements(
            connection, batch, client.authority, xreq.version, parts=by_hash, define=define,
            authority_key=client.key, void_own_only=client.actor is not None)
    if fresh:
        statement_stored.send(current_app._get_current_object(), statements=fresh,
                              voided_ids=voided)
    return ids, fresh


def post_statements(xreq: XRequest) -> Response:
    """Store one statement or a list (all or nothing); answers the ids."""
    _client(xreq, "statements/write")
    if xreq.alternate or xreq.params:
        check_params(xreq, set())
    body, parts = _statement_body(xreq)
    ids, _ = _check_and_store(xreq, body, parts)
    return _json(ids)


def put_statement(xreq: XRequest) -> Response:
    """Store one statement under the id given as `statementId`."""
    _client(xreq, "statements/write")
    check_params(xreq, {"statementId"}, {"statementId"})
    statement_id = xreq.params["statementId"]
    if not is_uuid(statement_id):
        raise BadRequest(f"statementId {statement_id!r} is not a UUID.")
    body, parts = _statement_body(xreq)
    if not isinstance(body, dict):
        raise BadRequest("PUT takes a single statement object.")
    if "id" in body and str(body["id"]).lower() != statement_id.lower():
        raise BadRequest(f"The statement's id {body['id']!r} differs from statementId "
                         f"{statement_id!r}.")
    body.setdefault("id", statement_id)
    _check_and_store(xreq, body, parts)
    return Response(status=204)


def _single(xreq: XRequest, client) -> Response:
    check_params(xreq, q.SINGLE_PARAMS)
    if "statementId" in xreq.params and "voidedStatementId" in xreq.params:
        raise BadRequest("Give statementId or voidedStatementId, not both.")
    voided = "voidedStatementId" in xreq.params
    statement_id = xreq.params["voidedStatementId" if voided else "statementId"]
    if not is_uuid(statement_id):
        raise BadRequest(f"{statement_id!r} is not a UUID.")
    fmt = _format(xreq)
    with _lrs().engine.connect() as connection:
        own_only = client.reads_only_its_own and client.actor is None
        text, stored = q.one_statement(connection, statement_id, voided,
                                       client.key if own_only else None)
        statement = json.loads(text)
        if client.actor is not None and not _about_own_learner(client, statement):
            raise NotFound(f"No statement with id {statement_id} for these credentials.")
        if fmt != "exact":
            statement = _formatted([statement], fmt, xreq, connection)[0]
            text = json.dumps(statement, separators=(",", ":"), ensure_ascii=False)
        headers = {"Last-Modified": _http_date(_aware(stored)),
                   CONSISTENT_THROUGH: format_time(consistent_through(connection))}
        if bool_param(xreq, "attachments"):
            return _multipart(text, [statement], connection, headers)
    return Response(text, status=200, mimetype="application/json", headers=headers)


def _about_own_learner(client, statement) -> bool:
    """Launch credentials see statements about their learner in their registration."""
    registration = ((statement.get("context") or {}).get("registration") or "").lower()
    return (inverse_functional_identifier(statement["actor"])
            == inverse_functional_identifier(client.actor)
            and (client.registration is None or registration == client.registration))


def _format(xreq) -> str:
    fmt = xreq.params.get("format", "exact")
    if fmt not in q.FORMATS:
        raise BadRequest(f"format must be one of {', '.join(q.FORMATS)}, not {fmt!r}.")
    return fmt


def _formatted(statements_, fmt, xreq, connection):
    if fmt == "ids":
        return [q.ids_format(s) for s in statements_]
    if fmt == "canonical":
        return q.canonical_format(statements_, connection,
                                  q.accepted_languages(xreq.headers.get("Accept-Language")))
    return statements_


def _multipart(result_text: str, statements_, connection, headers) -> Response:
    wanted = {a["sha2"] for s in statements_ for a in s.get("attachments") or []
              if "fileUrl" not in a or a.get("sha2")}
    parts = []
    if wanted:
        rows = connection.execute(select(attachments).where(attachments.c.sha2.in_(wanted)))
        parts = [(row.sha2, row.content_type, row.content) for row in rows]
    body, content_type = att.build_multipart(result_text.encode(), parts)
    return Response(body, status=200, headers={**headers, "Content-Type": content_type})


def _build_query(xreq: XRequest, client) -> q.Query:
    check_params(xreq, q.FILTER_PARAMS)
    params = xreq.params
    query = q.Query(format=_format(xreq), attachments=bool_param(xreq, "attachments"),
                    ascending=bool_param(xreq, "ascending"),
                    related_activities=bool_param(xreq, "related_activities"),
                    related_agents=bool_param(xreq, "related_agents"),
                    since=_timestamp_param(xreq, "since"), until=_timestamp_param(xreq, "until"))
    if "agent" in params:
        query.agent = _agent_key(params["agent"], xreq)
    if "verb" in params:
        if not is_iri(params["verb"]):
            raise BadRequest("Parameter 'verb' must be an IRI.")
        query.verb = params["verb"]
    if "activity" in params:
        if not is_iri(params["activity"]):
            raise BadRequest("Parameter 'activity' must be an IRI.")
        query.activity = params["activity"]
    if "registration" in params:
        if not is_uuid(params["registration"]):
            raise BadRequest("Parameter 'registration' must be a UUID.")
        query.registration = params["registration"]
    if "limit" in params:
        try:
            query.limit = int(params["limit"])
        except ValueError:
            query.limit = -1
        if query.limit < 0:
            raise BadRequest("Parameter 'limit' must be a non-negative integer.")
    if client.actor is not None:
        query.only_actor = inverse_functional_identifier(client.actor)
        query.only_registration = client.registration
    elif client.reads_only_its_own:
        query.only_authority = client.key
    return query


def _agent_key(raw: str, xreq: XRequest, name: str = "agent") -> str:
    try:
        agent = loads(raw)
    except ValueError as exc:
        raise BadRequest(f"Parameter {name!r} must be an Agent as JSON.") from exc
    try:
        validate_agent_parameter(agent, name)
    except StatementError as exc:
        raise BadRequest(str(exc)) from exc
    key = inverse_functional_identifier(agent)
    if key is None:
        raise BadRequest(f"Parameter {name!r} must identify an Agent (mbox, mbox_sha1sum, "
                         "openid or account).")
    return key


def _page(xreq: XRequest, query: q.Query) -> Response:
    config = current_app.config
    page_max = config.get("XAPI_STATEMENTS_PAGE_MAX", 200)
    size = min(query.limit or page_max, page_max)
    with _lrs().engine.connect() as connection:
        consistent = format_time(consistent_through(connection))
        rows, after = q.run_query(connection, query, size, _parse_time)
        if xreq.client.actor is not None:  # launch credentials: their learner's own statements
            own = inverse_functional_identifier(xreq.client.actor)
            rows = [row for row in rows
                    if inverse_functional_identifier(json.loads(row[1])["actor"]) == own]
        more = ""
        if after is not None:
            query.after = after
            more = f"{current_app.config.get('XAPI_URL_PREFIX', '/xapi')}/statements/more/" \
                   f"{query.token()}"
        headers = {CONSISTENT_THROUGH: consistent}
        if rows:
            headers["Last-Modified"] = _http_date(_aware(max(row[2] for row in rows)))
        if query.format == "exact" and not query.attachments:
            text = ('{"statements":[' + ",".join(row[1] for row in rows) + '],"more":'
                    + json.dumps(more) + "}")
            return Response(text, status=200, mimetype="application/json", headers=headers)
        parsed = [json.loads(row[1]) for row in rows]
        formatted = _formatted(parsed, query.format, xreq, connection)
        text = json.dumps({"statements": formatted, "more": more}, separators=(",", ":"),
                          ensure_ascii=False)
        if query.attachments:
            return _multipart(text, parsed, connection, headers)
    return Response(text, status=200, mimetype="application/json", headers=headers)


def get_statements(xreq: XRequest) -> Response:
    """One statement by (voided)StatementId, or a page of statements matching filters."""
    client = _client(xreq, "statements/read")
    if "statementId" in xreq.params or "voidedStatementId" in xreq.params:
        return _single(xreq, client)
    return _page(xreq, _build_query(xreq, client))


def more_statements(xreq: XRequest, token: str) -> Response:
    """The next page of an earlier query."""
    client = _client(xreq, "statements/read")
    check_params(xreq, set())
    query = q.Query.from_token(token)
    if client.actor is not None:
        query.only_actor = inverse_functional_identifier(client.actor)
        query.only_registration = client.registration
    elif client.reads_only_its_own:
        query.only_authority = client.key
    return _page(xreq, query)


EXPORT_PARAMS = q.FILTER_PARAMS - {"limit", "format", "attachments", "ascending"}


def export_statements(xreq: XRequest, kind: str) -> Response:
    """Every matching statement, oldest first, streamed as NDJSON or CSV."""
    from flask import stream_with_context

    from xapi import export

    client = _client(xreq, "statements/read")
    check_params(xreq, EXPORT_PARAMS)
    query = _build_query(xreq, client)
    engine = _lrs().engine
    if kind == "statements.csv":
        body, mimetype = export.csv_lines(engine, query, _parse_time), "text/csv"
    elif kind == "statements.ndjson":
        body, mimetype = export.ndjson(engine, query, _parse_time), "application/x-ndjson"
    else:
        raise NotFound("Export as statements.ndjson or statements.csv.")
    return Response(stream_with_context(body), status=200, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{kind}"'})


# ---- documents ---------------------------------------------------------------------------------

def _iri_param(xreq, name):
    value = xreq.params.get(name)
    if value is None:
        raise BadRequest(f"Parameter {name!r} is required.")
    if not is_iri(value):
        raise BadRequest(f"Parameter {name!r} must be an IRI, not {value!r}.")
    return value


def _since(xreq):
    value = _timestamp_param(xreq, "since")
    return _parse_time(value) if value else None


def _document_response(row) -> Response:
    return Response(row["content"], status=200, headers={
        "Content-Type": row["content_type"], "ETag": row["etag"],
        "Last-Modified": _http_date(_aware(row["updated"]))})


def _ids_response(ids, latest) -> Response:
    headers = {"Last-Modified": _http_date(_aware(latest))} if latest else {}
    return _json(ids, headers=headers)


def _announce_change(xreq, kind: str, document_id: str | None, scope: dict) -> None:
    """Send `document_changing`: a receiver may refuse the change (see xapi.signals)."""
    document_changing.send(current_app._get_current_object(), client=xreq.client, kind=kind,
                           document_id=document_id, method=xreq.method, **scope)


def _write(xreq, kind, id_name, scope, merge, require_header):
    content_type = xreq.headers.get("Content-Type", "")
    if merge and docs.is_json(content_type):
        xreq.json_body("The document")
    _announce_change(xreq, kind, xreq.params[id_name], scope)
    with write_transaction(_lrs().engine) as connection:
        etag = docs.write_document(
            connection, kind, xreq.params[id_name], xreq.body, content_type, merge=merge,
            if_match=xreq.headers.get("If-Match"), if_none_match=xreq.headers.get("If-None-Match"),
            require_header=require_header,
            # 1.0.3 makes profile PUTs say what they expect even to create a document
            create_needs_header=require_header and kind != "state" and xreq.method == "PUT",
            **scope)
    return Response(status=204, headers={"ETag": etag})


def _state_scope(xreq, method):
    allowed = {"activityId", "agent", "registration", "stateId"}
    if method == "GET":
        allowed |= {"since"}
    check_params(xreq, allowed, {"activityId", "agent"})
    scope = {"activity_id": _iri_param(xreq, "activityId"),
             "agent_key": _agent_key(xreq.params["agent"], xreq)}
    registration = xreq.params.get("registration")
    if registration is not None:
        if not is_uuid(registration):
            raise BadRequest("Parameter 'registration' must be a UUID.")
        scope["registration"] = registration.lower()
    client = xreq.client
    if client.actor is not None and (
            scope["agent_key"] != inverse_functional_identifier(client.actor)
            or (client.registration and scope.get("registration") != client.registration)):
        raise Forbidden("These launch credentials may only use their own learner's state, "
                        "in their registration.")
    return scope


def get_state(xreq):
    """One state document, or the ids of the state documents in a context."""
    _client(xreq, "state/read")
    scope = _state_scope(xreq, "GET")
    with _lrs().engine.connect() as connection:
        if "stateId" in xreq.params:
            if "since" in xreq.params:
                raise BadRequest("'since' goes only with a list of state ids, not stateId.")
            return _document_response(docs.get_document(connection, "state",
                                                        xreq.params["stateId"], **scope))
        return _ids_response(*docs.list_ids(connection, "state", _since(xreq), **scope))


def put_state(xreq):
    _client(xreq, "state/write")
    scope = _state_scope(xreq, "PUT")
    _require(xreq, "stateId")
    # xAPI 2.0 brings the state resource under the same concurrency rule as profiles.
    return _write(xreq, "state", "stateId", scope, merge=False, require_header=xreq.is_v2)


def post_state(xreq):
    _client(xreq, "state/write")
    scope = _state_scope(xreq, "POST")
    _require(xreq, "stateId")
    return _write(xreq, "state", "stateId", scope, merge=True, require_header=False)


def delete_state(xreq):
    """Delete one state document, or every one in the context."""
    _client(xreq, "state/write")
    scope = _state_scope(xreq, "DELETE")
    _announce_change(xreq, "state", xreq.params.get("stateId"), scope)
    with write_transaction(_lrs().engine) as connection:
        if "stateId" in xreq.params:
            docs.delete_document(connection, "state", xreq.params["stateId"],
                                 if_match=xreq.headers.get("If-Match"), **scope)
        else:
            docs.delete_all(connection, "state", **scope)
    return Response(status=204)


def _require(xreq, name):
    if name not in xreq.params:
        raise BadRequest(f"Parameter {name!r} is required.")


def _activity_scope(xreq, method):
    allowed = {"activityId", "profileId"} | ({"since"} if method == "GET" else set())
    check_params(xreq, allowed, {"activityId"})
    return {"activity_id": _iri_param(xreq, "activityId")}


def _agent_scope(xreq, method):
    allowed = {"agent", "profileId"} | ({"since"} if method == "GET" else set())
    check_params(xreq, allowed, {"agent"})
    return {"agent_key": _agent_key(xreq.params["agent"], xreq)}


def _profile_get(xreq, kind, scope):
    with _lrs().engine.connect() as connection:
        if "profileId" in xreq.params:
            if "since" in xreq.params:
                raise BadRequest("'since' goes only with a list of profile ids.")
            return _document_response(docs.get_document(connection, kind,
                                                        xreq.params["profileId"], **scope))
        return _ids_response(*docs.list_ids(connection, kind, _since(xreq), **scope))


def _profile_delete(xreq, kind, scope):
    _require(xreq, "profileId")
    _announce_change(xreq, kind, xreq.params["profileId"], scope)
    with write_transaction(_lrs().engine) as connection:
        docs.delete_document(connection, kind, xreq.params["profileId"],
                             if_match=xreq.headers.get("If-Match"), **scope)
    return Response(status=204)


class ProfileResource:
    """activities/profile or agents/profile: the same four methods over a different scope."""

    def __init__(self, kind: str, scope):
        self.kind, self.scope = kind, scope

    def get(self, xreq):
        client = authenticate(_lrs().engine, xreq.headers.get("Authorization"))
        xreq.client = client
        if self.kind == "agent_profile" and client.actor is not None:
            # Launch credentials may read their own learner's agent profiles (cmi5 11.0: an
            # AU reads cmi5LearnerPreferences on start-up), nobody else's.
            scope = self.scope(xreq, "GET")
            if scope["agent_key"] != inverse_functional_identifier(client.actor):
                raise Forbidden("These launch credentials may only read their own "
                                "learner's agent profile.")
            return _profile_get(xreq, self.kind, scope)
        client.require("profile/read")
        return _profile_get(xreq, self.kind, self.scope(xreq, "GET"))

    def put(self, xreq):
        return self._write(xreq, merge=False)

    def post(self, xreq):
        return self._write(xreq, merge=True)

    def delete(self, xreq):
        _client(xreq, "profile/write")
        return _profile_delete(xreq, self.kind, self.scope(xreq, "DELETE"))

    def _write(self, xreq, merge: bool):
        _client(xreq, "profile/write")
        scope = self.scope(xreq, xreq.method)
        _require(xreq, "profileId")
        # A PUT must say what it expects to overwrite; a POST may merge without.
        return _write(xreq, self.kind, "profileId", scope, merge=merge, require_header=not merge)


activity_profile = ProfileResource("activity_profile", _activity_scope)
agent_profile = ProfileResource("agent_profile", _agent_scope)


# ---- activities, agents, about -----------------------------------------------------------------

def get_activity(xreq):
    """The canonical Activity object (merged from every definition seen)."""
    _client(xreq, "activities/read")
    check_params(xreq, {"activityId"}, {"activityId"})
    activity_id = _iri_param(xreq, "activityId")
    with _lrs().engine.connect() as connection:
        definition = connection.execute(select(activities.c.definition).where(
            activities.c.activity_id == activity_id)).scalar()
    body = {"objectType": "Activity", "id": activity_id}
    if definition:
        body["definition"] = definition
    return _json(body)


def get_person(xreq):
    """The Person object for an Agent (what the LRS knows: the agent itself)."""
    _client(xreq, "agents/read")
    check_params(xreq, {"agent"}, {"agent"})
    try:
        agent = loads(xreq.params["agent"])
    except ValueError as exc:
        raise BadRequest("Parameter 'agent' must be an Agent as JSON.") from exc
    try:
        validate_agent_parameter(agent, "agent")
    except StatementError as exc:
        raise BadRequest(str(exc)) from exc
    if agent.get("objectType") == "Group":
        raise BadRequest("Parameter 'agent' must be an Agent, not a Group.")
    person = {"objectType": "Person"}
    for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return _json(person)


def about(xreq):
    """The versions this LRS speaks."""
    check_params(xreq, set())
    return _json({"version": ["1.0.3", "2.0.0"],
                  "extensions": {"https://pathway.example/xapi/extensions/lrs": {
                      "name": "Pathway LRS",
                      "statements_page_max": current_app.config.get(
                          "XAPI_STATEMENTS_PAGE_MAX", 200)}}})


__all__ = ["XAPIError"]
