"""Reading statements: one by id, or a filtered page in stored order with a `more` link, in
the `exact`, `ids` or `canonical` format."""

import base64
import binascii
import json
from dataclasses import dataclass, fields

from sqlalchemy import exists, select

from xapi.errors import BadRequest, NotFound
from xapi.models import activities, statement_index, statements
from xapi.validation import parse_timestamp

FILTER_PARAMS = {"agent", "verb", "activity", "registration", "related_activities",
                 "related_agents", "since", "until", "limit", "format", "attachments",
                 "ascending"}
SINGLE_PARAMS = {"statementId", "voidedStatementId", "format", "attachments"}
FORMATS = ("exact", "ids", "canonical")


@dataclass
class Query:
    """A statement query, as given or as carried by a `more` link."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: str | None = None   # ISO timestamps, as given
    until: str | None = None
    limit: int = 0
    format: str = "exact"
    attachments: bool = False
    ascending: bool = False
    after: int | None = None  # the last seq already served
    only_authority: str | None = None
    only_actor: str | None = None
    only_registration: str | None = None

    def token(self) -> str:
        """This query, continued after `after`, as an opaque `more` token."""
        payload = {k: v for k, v in self.__dict__.items() if v not in (None, False, 0, {})}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> "Query":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            query = cls(**json.loads(raw))
            for item in fields(cls):  # a token is client input: check it as such
                if not isinstance(getattr(query, item.name), item.type):
                    raise TypeError(f"{item.name} has the wrong type")
            for value in (query.since, query.until):
                if value is not None:
                    parse_timestamp(value)
            if query.limit < 0 or query.format not in FORMATS:
                raise ValueError("limit or format out of range")
            return query
        except (ValueError, TypeError, binascii.Error, RecursionError) as exc:
            raise BadRequest("This 'more' link is not one this LRS gave out.") from exc


def _seq_at(connection, stored_at) -> int:
    """The last seq stored at or before `stored_at` (0 if none). `stored` rises with seq."""
    found = connection.execute(
        select(statements.c.seq).where(statements.c.stored <= stored_at)
        .order_by(statements.c.stored.desc(), statements.c.seq.desc()).limit(1)).scalar()
    return found or 0


def run_query(connection, query: Query, page_size: int, parse_time) -> tuple[list, int | None]:
    """One page: ([(seq, statement JSON text, stored datetime)], seq to continue after or None)."""
    s, i = statements, statement_index
    filters = []  # (kind, key, direct only)
    if query.registration:
        filters.append(("r", query.registration.lower(), True))
    if query.only_registration:
        filters.append(("r", query.only_registration, True))
    if query.activity:
        filters.append(("c", query.activity, not query.related_activities))
    if query.agent:
        filters.append(("a", query.agent, not query.related_agents))
    if query.only_actor:
        filters.append(("a", query.only_actor, True))
    if query.verb:
        filters.append(("v", query.verb, True))

    if filters:
        from xapi.statements import filter_key_ids

        key_ids = filter_key_ids(connection, {(kind, key) for kind, key, _ in filters})
        if len(key_ids) < len({(kind, key) for kind, key, _ in filters}):
            return [], None  # a key never stored: nothing can match
        kind, key, direct = filters[0]
        driver = i.alias("driver")
        order = driver.c.seq
        statement = (select(s.c.seq, s.c.statement, s.c.stored)
                     .select_from(driver.join(s, s.c.seq == driver.c.seq))
                     .where(driver.c.key_id == key_ids[(kind, key)]))
        if direct:
            statement = statement.where(driver.c.direct.is_(True))
        for kind, key, direct in filters[1:]:
            other = i.alias()
            condition = exists().where(other.c.seq == s.c.seq,
                                       other.c.key_id == key_ids[(kind, key)])
            if direct:
                condition = condition.where(other.c.direct.is_(True))
            statement = statement.where(condition)
    else:
        order = s.c.seq
        statement = select(s.c.seq, s.c.statement, s.c.stored)

    statement = statement.where(s.c.voided.is_(False))
    if query.only_authority:
        statement = statement.where(s.c.authority_key == query.only_authority)
    if query.since:
        statement = statement.where(order > _seq_at(connection, parse_time(query.since)))
    if query.until:
        statement = statement.where(order <= _seq_at(connection, parse_time(query.until)))
    if query.after is not None:
        statement = statement.where(order > query.after if query.ascending
                                    else order < query.after)
    statement = statement.order_by(order.asc() if query.ascending else order.desc())
    rows = connection.execute(statement.limit(page_size + 1)).all()
    if len(rows) > page_size:
        rows = rows[:page_size]
        return rows, rows[-1][0]
    return rows, None


def one_statement(connection, statement_id: str, voided: bool, only_authority=None):
    """(statement JSON text, stored) of a statement by id; voided ones only by
    voidedStatementId, others only by statementId."""
    c = statements.c
    statement = select(c.statement, c.stored).where(c.id == statement_id.lower(),
                                                    c.voided.is_(voided))
    if only_authority:
        statement = statement.where(statements.c.authority_key == only_authority)
    row = connection.execute(statement).first()
    if row is None:
        what = "voided statement" if voided else "statement"
        raise NotFound(f"No {what} with id {statement_id}.")
    return row


# ---- formats ---------------------------------------------------------------------------------

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _ids_agent(agent: dict) -> dict:
    out = {"objectType": agent.get("objectType", "Agent")}
    for key in IFI_KEYS:
        if key in agent:
            out[key] = agent[key]
    if out["objectType"] == "Group" and not any(k in agent for k in IFI_KEYS):
        out["member"] = [_ids_agent(m) for m in agent.get("member", [])]
    return out


def _ids_activity(activity: dict) -> dict:
    return {"id": activity["id"]}


def _ids_context(context: dict) -> dict:
    context = dict(context)
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _ids_agent(context[key])
    if "contextActivities" in context:
        context["contextActivities"] = {
            k: [_ids_activity(a) for a in (v if isinstance(v, list) else [v])]
            for k, v in context["contextActivities"].items()}
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):
        if key in context:
            context[key] = [{**entry, inner: _ids_agent(entry[inner])}
                            for entry in context[key]]
    return context


def ids_format(statement: dict) -> dict:
    """Only what identifies agents, groups, activities and verbs."""
    out = dict(statement)
    out["actor"] = _ids_agent(statement["actor"])
    out["verb"] = {"id": statement["verb"]["id"]}
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        out["object"] = _ids_activity(target)
    elif kind in ("Agent", "Group"):
        out["object"] = _ids_agent(target)
    elif kind == "SubStatement":
        out["object"] = {**ids_format(target), "objectType": "SubStatement"}
    if "context" in statement:
        out["context"] = _ids_context(statement["context"])
    if "authority" in statement:
        out["authority"] = _ids_agent(statement["authority"])
    return out


def pick_language(language_map: dict, accepted: list[str]) -> dict:
    """One entry of a language map, chosen by Accept-Language (first match, else any)."""
    if not isinstance(language_map, dict) or len(language_map) <= 1:
        return language_map
    lowered = {k.lower(): k for k in language_map}
    for wanted in accepted:
        wanted = wanted.lower()
        if wanted == "*":
            break
        if wanted in lowered:
            return {lowered[wanted]: language_map[lowered[wanted]]}
        for key_lower, key in lowered.items():
            if key_lower.split("-")[0] == wanted.split("-")[0]:
                return {key: language_map[key]}
    key = next(iter(language_map))
    return {key: language_map[key]}


def _canonical_definition(definition: dict, accepted: list[str]) -> dict:
    out = dict(definition)
    for key in ("name", "description"):
        if key in out:
            out[key] = pick_language(out[key], accepted)
    for key in ("choices", "scale", "source", "target", "steps"):
        if key in out and isinstance(out[key], list):
            out[key] = [{**c, "description": pick_language(c.get("description", {}), accepted)}
                        if "description" in c else c for c in out[key]]
    return out


def canonical_format(statements_: list[dict], connection, accepted: list[str]) -> list[dict]:
    """Activities with the LRS's canonical definitions and one language per map."""
    ids = set()

    def collect(stmt):
        target = stmt.get("object", {})
        if target.get("objectType", "Activity") == "Activity":
            ids.add(target["id"])
        for group in (stmt.get("context") or {}).get("contextActivities", {}).values():
            for activity in group if isinstance(group, list) else [group]:
                ids.add(activity["id"])
        if target.get("objectType") == "SubStatement":
            collect(target)

    for stmt in statements_:
        collect(stmt)
    canon = dict(connection.execute(
        select(activities.c.activity_id, activities.c.definition)
        .where(activities.c.activity_id.in_(list(ids)))).all()) if ids else {}

    def activity(value):
        definition = canon.get(value["id"], value.get("definition"))
        out = {"objectType": "Activity", "id": value["id"]}
        if definition:
            out["definition"] = _canonical_definition(definition, accepted)
        return out

    def convert(stmt):
        out = dict(stmt)
        verb = dict(stmt["verb"])
        if "display" in verb:
            verb["display"] = pick_language(verb["display"], accepted)
        out["verb"] = verb
        target = stmt["object"]
        if target.get("objectType", "Activity") == "Activity":
            out["object"] = activity(target)
        elif target.get("objectType") == "SubStatement":
            out["object"] = convert(target)
        context = stmt.get("context")
        if context and "contextActivities" in context:
            out["context"] = {**context, "contextActivities": {
                k: [activity(a) for a in (v if isinstance(v, list) else [v])]
                for k, v in context["contextActivities"].items()}}
        return out

    return [convert(stmt) for stmt in statements_]


def accepted_languages(header: str | None) -> list[str]:
    """Accept-Language tags, best first."""
    if not header:
        return []
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]
