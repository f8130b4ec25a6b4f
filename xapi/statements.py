"""Storing statements: ids, stored times, authority, immutability, voiding, the filter index
and canonical activity definitions. This is the LRS's service layer: the HTTP resource and
Pathway's own code both store through `store_statements`."""

import json
import uuid
import weakref
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from xapi.engine import write_lock, writer_in_flight
from xapi.errors import BadRequest, Conflict, Forbidden
from xapi.forwarding import enqueue as enqueue_forwarding
from xapi.models import activities, attachments, filter_keys, statement_index, statements
from xapi.validation import inverse_functional_identifier as ifi

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
MILLISECOND = timedelta(milliseconds=1)


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds: 2024-05-07T09:30:00.000Z."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def consistent_through(connection) -> datetime:
    """The time before which every statement that has or will have that `stored` time is
    readable: now, unless a writer is mid-transaction, whose statements may be stored at
    any time from the latest committed one on; then that latest one."""
    now = _now_ms()
    if not writer_in_flight(connection):
        return now
    last = connection.execute(select(func.max(statements.c.stored))).scalar()
    if last is None:
        return now
    return min(now, last if last.tzinfo else last.replace(tzinfo=UTC))


def _now_ms() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# ---- the filter index -----------------------------------------------------------------------

def _agent_keys(value) -> list[str]:
    """The IFI keys an Agent or Group stands for: its own and, for a Group, its members'."""
    if not isinstance(value, dict):
        return []
    keys = []
    own = ifi(value)
    if own:
        keys.append(own)
    for member in value.get("member") or []:
        key = ifi(member)
        if key:
            keys.append(key)
    return keys


def _context_activity_ids(context) -> list[str]:
    found = []
    for group in (context or {}).get("contextActivities", {}).values():
        for activity in group if isinstance(group, list) else [group]:
            found.append(activity["id"])
    return found


def _context_agents(context) -> list[str]:
    context = context or {}
    keys = _agent_keys(context.get("instructor")) + _agent_keys(context.get("team"))
    for entry in context.get("contextAgents") or []:
        keys += _agent_keys(entry.get("agent"))
    for entry in context.get("contextGroups") or []:
        keys += _agent_keys(entry.get("group"))
    return keys


def index_entries(statement: dict) -> dict[tuple[str, str], bool]:
    """{(kind, key): direct} for one statement: its verb ('v'), registration ('r'), agents
    ('a': direct for the actor and an Agent/Group object) and activities ('c': direct for an
    Activity object); everything else anywhere in it is 'related' (direct False)."""
    entries: dict[tuple[str, str], bool] = {("v", statement["verb"]["id"]): True}

    def add(kind, key, direct):
        entries[(kind, key)] = entries.get((kind, key), False) or direct

    context = statement.get("context") or {}
    if context.get("registration"):
        add("r", context["registration"].lower(), True)
    for key in _agent_keys(statement["actor"]):
        add("a", key, True)
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        for key in _agent_keys(target):
            add("a", key, True)
    elif kind == "Activity":
        add("c", target["id"], True)
    elif kind == "SubStatement":
        for key in _agent_keys(target["actor"]):
            add("a", key, False)
        inner = target["object"]
        inner_kind = inner.get("objectType", "Activity")
        if inner_kind == "Activity":
            add("c", inner["id"], False)
        elif inner_kind in ("Agent", "Group"):
            for key in _agent_keys(inner):
                add("a", key, False)
        for key in _context_agents(target.get("context")):
            add("a", key, False)
        for activity_id in _context_activity_ids(target.get("context")):
            add("c", activity_id, False)
    for key in _context_agents(context) + _agent_keys(statement.get("authority")):
        add("a", key, False)
    for activity_id in _context_activity_ids(context):
        add("c", activity_id, False)
    return entries


# ---- comparing statements (immutability) -----------------------------------------------------

def _strip_definitions(value):
    if isinstance(value, dict):  # extensions are compared whole: their keys are not ours
        return {k: v if k == "extensions" else _strip_definitions(v) for k, v in value.items()
                if k not in ("definition", "display")}
    if isinstance(value, list):
        return [_strip_definitions(v) for v in value]
    return value


def _sort_members(value):
    if isinstance(value, dict):
        out = {k: v if k == "extensions" else _sort_members(v) for k, v in value.items()}
        if isinstance(out.get("member"), list):
            out["member"] = sorted(out["member"], key=lambda m: json.dumps(m, sort_keys=True))
        return out
    if isinstance(value, list):
        return [_sort_members(v) for v in value]
    return value


def comparable(statement: dict, with_timestamp: bool = True) -> dict:
    """The statement without what immutability allows to differ: id case, authority, stored,
    version, attachments, verb displays, activity definitions, timestamp serialisation and
    the order of group members."""
    from xapi.validation import parse_timestamp

    body = {k: v for k, v in statement.items()
            if k not in ("id", "authority", "stored", "version", "attachments", "timestamp")}
    if "timestamp" in statement and with_timestamp:
        try:
            body["timestamp"] = parse_timestamp(statement["timestamp"], "1.0.3").isoformat()
        except ValueError:
            body["timestamp"] = statement["timestamp"]
    body = _sort_members(_strip_definitions(body))  # new dicts: safe to normalise in place
    _context_activities_as_lists(body)
    return body


# ---- canonical activity definitions ---------------------------------------------------------

def _definitions(statement: dict) -> list[tuple[str, dict]]:
    found = []

    def visit_activity(activity):
        if isinstance(activity, dict) and activity.get("definition"):
            found.append((activity["id"], activity["definition"]))

    def visit(stmt):
        target = stmt.get("object") or {}
        if target.get("objectType", "Activity") == "Activity":
            visit_activity(target)
        for group in ((stmt.get("context") or {}).get("contextActivities") or {}).values():
            for activity in group if isinstance(group, list) else [group]:
                visit_activity(activity)
        if target.get("objectType") == "SubStatement":
            visit(target)

    visit(statement)
    return found


MERGED_MAPS = ("name", "description", "extensions")


def merge_definition(old: dict, new: dict) -> dict:
    """The canonical definition after `new` is seen: language maps merge per language and
    extensions per key; everything else takes the newest value."""
    merged = dict(old)
    for key, value in new.items():
        if key in MERGED_MAPS and isinstance(old.get(key), dict) and isinstance(value, dict):
            merged[key] = {**old[key], **value}
        else:
            merged[key] = value
    return merged


def _update_definitions(connection, found: list[tuple[str, dict]], now) -> None:
    if not found:
        return
    wanted: dict[str, dict] = {}
    for activity_id, definition in found:
        wanted[activity_id] = merge_definition(wanted.get(activity_id, {}), definition)
    existing = dict(connection.execute(
        select(activities.c.activity_id, activities.c.definition)
        .where(activities.c.activity_id.in_(list(wanted)))).all())
    new_rows = []
    for activity_id, definition in wanted.items():
        if activity_id not in existing:
            new_rows.append({"activity_id": activity_id, "definition": definition,
                             "updated": now})
            continue
        merged = merge_definition(existing[activity_id], definition)
        if merged != existing[activity_id]:
            connection.execute(update(activities).where(activities.c.activity_id == activity_id)
                               .values(definition=merged, updated=now))
    if new_rows:
        connection.execute(insert(activities), new_rows)


# ---- storing ---------------------------------------------------------------------------------

def store_statements(connection, batch: list[dict], authority: dict, version: str,
                     parts: dict | None = None, define: bool = True,
                     authority_key: str | None = None, void_own_only: bool = False,
                     ) -> tuple[list[str], list[dict], list[str]]:
    """Store validated statements in one transaction that the caller commits.

    Returns (ids in the order given, the statements newly stored, ids they voided). A
    statement already stored with the same id and equivalent content is accepted and not
    stored again; different content is a 409. With `void_own_only` (launch credentials),
    only statements stored under the same `authority_key` may be voided. Nothing is stored
    if anything is refused.
    """
    ids = []
    for statement in batch:
        if "id" not in statement:
            statement["id"] = str(uuid.uuid4())
        ids.append(statement["id"].lower())
    if len(set(ids)) != len(ids):
        raise BadRequest("The batch holds the same statement id more than once.")

    write_lock(connection)
    known = {row.id: row.statement for row in connection.execute(
        select(statements.c.id, statements.c.statement).where(statements.c.id.in_(ids)))}
    fresh = []
    for statement, sid in zip(batch, ids, strict=True):
        if sid in known:
            stamped = "timestamp" in statement  # else the LRS assigned the stored one
            if comparable(json.loads(known[sid]), stamped) != comparable(statement, stamped):
                raise Conflict(f"Statement {sid} is already stored with different content.")
        else:
            fresh.append(statement)
    if not fresh:
        return ids, [], []

    voids, refs = {}, set()
    for statement in fresh:
        target = statement["object"]
        if target.get("objectType") == "StatementRef":
            refs.add(target["id"].lower())
            if statement["verb"]["id"] == VOIDED:
                voids[statement["id"].lower()] = target["id"].lower()
    targets = {}
    if refs:
        targets = {row.id: row for row in connection.execute(
            select(statements.c.id, statements.c.voiding_target, statements.c.statement,
                   statements.c.authority_key)
            .where(statements.c.id.in_(list(refs))))}
    if void_own_only:
        for sid, target in voids.items():
            row = targets.get(target)
            if row is None or row.authority_key != authority_key:
                raise Forbidden(f"Statement {sid}: these credentials may only void "
                                "statements they stored themselves.")
    batch_voiding = set(voids)
    for sid, target in voids.items():
        if (target in targets and targets[target].voiding_target) or target in batch_voiding:
            raise BadRequest(f"Statement {sid} voids {target}, which is itself a voiding "
                             "statement; voiding statements cannot be voided.")
    # Targets stored in this same batch count too (for voiding and StatementRef filters).
    pending = {s["id"].lower(): {**s, "authority": authority} for s in fresh}
    inherited = _inherited_entries(connection, {
        **{t: json.loads(row.statement) for t, row in targets.items()},
        **{t: pending[t] for t in refs if t in pending}}, pending)

    last = connection.execute(select(func.max(statements.c.stored))).scalar()
    stored = _now_ms()
    if last is not None:
        last = last if last.tzinfo else last.replace(tzinfo=UTC)
        stored = max(stored, last)
    stored_text = format_time(stored)
    default_version = "2.0.0" if version.startswith("2") else "1.0.0"
    rows, entries_per_statement, definitions = [], [], []
    for statement in fresh:
        _context_activities_as_lists(statement)
        statement["stored"] = stored_text
        statement.setdefault("timestamp", stored_text)
        statement["authority"] = authority
        statement.setdefault("version", default_version)
        sid = statement["id"].lower()
        entries = index_entries(statement)
        target = statement["object"]
        if target.get("objectType") == "StatementRef":
            for (kind, key), direct in inherited.get(target["id"].lower(), {}).items():
                entries[(kind, key)] = entries.get((kind, key), False) or direct
        entries_per_statement.append(entries)
        rows.append({"id": sid, "stored": stored, "voided": False,
                     "voiding_target": voids.get(sid), "authority_key": authority_key,
                     "has_attachments": bool(statement.get("attachments")),
                     "statement": json.dumps(statement, separators=(",", ":"),
                                             ensure_ascii=False)})
        if define:
            definitions.extend(_definitions(statement))

    result = connection.execute(
        insert(statements).returning(statements.c.seq, sort_by_parameter_order=True), rows)
    seqs = [row[0] for row in result]
    key_ids = filter_key_ids(connection, {pair for e in entries_per_statement for pair in e},
                             create=True)
    connection.execute(insert(statement_index), [
        {"key_id": key_ids[pair], "seq": seq, "direct": direct}
        for seq, entries in zip(seqs, entries_per_statement, strict=True)
        for pair, direct in entries.items()])
    voided_ids = [t for t in voids.values() if t in targets or t in pending]
    # A statement that arrives after a voiding statement targeting it is voided at once
    # (unless it is itself a voiding statement, which cannot be voided).
    late = [row["id"] for row in rows if row["id"] not in voids]
    if late:
        voided_ids += connection.execute(select(statements.c.voiding_target).where(
            statements.c.voiding_target.in_(late),
            statements.c.seq.not_in(seqs))).scalars().all()
    if voided_ids:
        connection.execute(update(statements).where(statements.c.id.in_(voided_ids))
                           .values(voided=True))
    enqueue_forwarding(connection, list(zip(seqs, fresh, strict=True)), stored)
    _update_definitions(connection, definitions, stored)
    if parts:
        _store_attachments(connection, parts)
    return ids, fresh, voided_ids


MAX_REF_DEPTH = 10

# Filter keys are never renumbered or deleted, so their ids can be remembered (per engine, so
# per database); ids a transaction creates are remembered only by later transactions.
_key_caches: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_KEY_CACHE_MAX = 200_000


def filter_key_ids(connection, pairs, create: bool = False) -> dict[tuple[str, str], int]:
    """{(kind, key): id} for filter keys; with `create`, missing keys are added (the
    caller's transaction holds the write lock)."""
    _key_cache = _key_caches.setdefault(connection.engine, {})
    found = {pair: _key_cache[pair] for pair in pairs if pair in _key_cache}
    missing = [pair for pair in pairs if pair not in found]
    if not missing:
        return found
    by_kind: dict[str, list[str]] = {}
    for kind, key in missing:
        by_kind.setdefault(kind, []).append(key)
    known = {}
    for kind, keys in by_kind.items():
        for start in range(0, len(keys), 500):
            for row in connection.execute(select(filter_keys.c.id, filter_keys.c.key).where(
                    filter_keys.c.kind == kind, filter_keys.c.key.in_(keys[start:start + 500]))):
                known[(kind, row.key)] = row.id
    if len(_key_cache) < _KEY_CACHE_MAX:
        _key_cache.update(known)  # committed rows: safe to remember
    found.update(known)
    new = [pair for pair in missing if pair not in known]
    if new and create:
        result = connection.execute(
            insert(filter_keys).returning(filter_keys.c.id, sort_by_parameter_order=True),
            [{"kind": kind, "key": key} for kind, key in new])
        found.update(zip(new, (row[0] for row in result), strict=True))
    return found


def _context_activities_as_lists(statement: dict) -> None:
    """Context activities are returned as arrays, even when one was sent as an object."""
    for stmt in (statement, statement.get("object") or {}):
        groups = (stmt.get("context") or {}).get("contextActivities")
        if isinstance(groups, dict):
            for key, value in groups.items():
                if isinstance(value, dict):
                    groups[key] = [value]


def _inherited_entries(connection, targets: dict[str, dict],
                       pending: dict[str, dict] | None = None) -> dict[str, dict]:
    """For each targeted statement, the index entries a statement targeting it inherits: its
    own, and (recursively) those of the statement it targets in turn (looked up among
    `pending`, the statements being stored with it, then among those stored)."""
    result = {}
    for target_id, target in targets.items():
        entries: dict = {}
        current, depth = target, 0
        while current is not None and depth < MAX_REF_DEPTH:
            for pair, direct in index_entries(current).items():
                entries[pair] = entries.get(pair, False) or direct
            ref = current["object"]
            if ref.get("objectType") != "StatementRef":
                break
            current = (pending or {}).get(ref["id"].lower())
            if current is None:
                text = connection.execute(select(statements.c.statement).where(
                    statements.c.id == ref["id"].lower())).scalar()
                current = json.loads(text) if text else None
            depth += 1
        result[target_id] = entries
    return result


def _store_attachments(connection, parts: dict) -> None:
    have = set(connection.execute(select(attachments.c.sha2)
                                  .where(attachments.c.sha2.in_(list(parts)))).scalars())
    new = [{"sha2": sha2, "content_type": part.content_type, "length": len(part.content),
            "content": part.content} for sha2, part in parts.items() if sha2 not in have]
    if new:
        connection.execute(insert(attachments), new)
