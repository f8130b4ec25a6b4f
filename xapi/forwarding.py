"""Forwarding statements to upstream LRSs (an organisation's own LRS, an enterprise LRS).

Each target has an endpoint, credentials and an optional filter (`verbs`: a list of verb
ids; `activity_prefix`: only statements whose object activity id starts with it). When
statements are stored, a row per matching target goes into the outbox in the same
transaction. `drain` (run by the scheduler) sends pending rows with `tincan`'s `RemoteLRS`,
oldest first, in batches; a failed batch is retried with exponential back-off (30 s doubling
to at most 1 hour), never dropped. When the upstream refuses a batch as invalid (400, 409,
413, 422), its statements are sent one by one, so that one statement the upstream will never
take does not hold the others back: that one is marked refused (kept, shown by `status`, sent
again by `retry_refused`). `status` says how far each target has got.
"""

import json
import logging
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from xapi.models import forward_targets, outbox, statements

log = logging.getLogger(__name__)

BATCH = 200
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
TARGETS_CACHE_SECONDS = 5.0

_targets_cache: dict[object, tuple[float, list[dict]]] = {}


def add_target(connection, name: str, endpoint: str, username: str = "", password: str = "",
               verbs=(), activity_prefix: str | None = None) -> int:
    """Configure an upstream LRS; statements stored from now on are forwarded to it (by
    every server process within TARGETS_CACHE_SECONDS)."""
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError("endpoint must be an http:// or https:// URL")
    if not endpoint.endswith("/"):
        endpoint += "/"
    flt = {"verbs": sorted(set(verbs))} if verbs else {}
    if activity_prefix:
        flt["activity_prefix"] = activity_prefix
    values = {"endpoint": endpoint, "username": username, "password": password, "filter": flt,
              "active": True}
    existing = connection.execute(select(forward_targets.c.id, forward_targets.c.active).where(
        forward_targets.c.name == name)).first()
    _targets_cache.clear()
    if existing is not None:
        if existing.active:
            raise ValueError(f"a forwarding target named {name} exists; remove it first")
        connection.execute(update(forward_targets).where(forward_targets.c.id == existing.id)
                           .values(**values))  # a removed target, set up again
        return existing.id
    result = connection.execute(insert(forward_targets).values(
        name=name, created_at=datetime.now(UTC), **values))
    return result.inserted_primary_key[0]


def remove_target(connection, name: str) -> bool:
    """Stop forwarding to a target: nothing more is queued or sent to it (its outbox is kept,
    and is sent on if the target is added again)."""
    result = connection.execute(update(forward_targets).where(forward_targets.c.name == name)
                                .values(active=False))
    _targets_cache.clear()
    return result.rowcount > 0


def _active_targets(connection) -> list[dict]:
    cached = _targets_cache.get(connection.engine)
    if cached and time.monotonic() - cached[0] < TARGETS_CACHE_SECONDS:
        return cached[1]
    rows = [dict(r) for r in connection.execute(
        select(forward_targets).where(forward_targets.c.active.is_(True))).mappings()]
    _targets_cache[connection.engine] = (time.monotonic(), rows)
    return rows


def matches(flt: dict, statement: dict) -> bool:
    """Whether a statement passes a target's filter."""
    if flt.get("verbs") and statement["verb"]["id"] not in flt["verbs"]:
        return False
    prefix = flt.get("activity_prefix")
    if prefix:
        target = statement["object"]
        if target.get("objectType", "Activity") != "Activity":
            return False
        if not target["id"].startswith(prefix):
            return False
    return True


def enqueue(connection, stored: list[tuple[int, dict]], now: datetime) -> None:
    """Queue newly stored (seq, statement) pairs for every target whose filter they pass."""
    targets = _active_targets(connection)
    if not targets:
        return
    rows = [{"target_id": t["id"], "seq": seq, "attempts": 0, "next_attempt_at": now}
            for t in targets for seq, statement in stored if matches(t["filter"], statement)]
    if rows:
        connection.execute(insert(outbox), rows)


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


PERMANENT = {400, 409, 413, 422}  # the upstream judged the statements, not its own state


def _send(target: dict, payload: list[dict]) -> tuple[str | None, bool]:
    """POST statements upstream with tincan: (None, False) on success, else (why it failed,
    whether the upstream refused the statements themselves).

    The statements go as stored, not rebuilt through tincan's Statement model (which
    rewrites timestamps and durations and cannot hold xAPI 2.0 properties such as
    contextAgents), each under the version header its own `version` needs: an upstream
    refuses a 2.0.0 statement sent as 1.0.3."""
    from http.client import HTTPException

    from tincan import RemoteLRS
    from tincan.http_request import HTTPRequest

    lrs = RemoteLRS(endpoint=target["endpoint"], version="1.0.3",
                    username=target["username"], password=target["password"])
    by_version: dict[str, list[dict]] = {}
    for statement in payload:
        v2 = str(statement.get("version", "")).startswith("2.")
        by_version.setdefault("2.0.0" if v2 else "1.0.3", []).append(statement)
    for version, batch in by_version.items():
        # ASCII JSON: http.client sends a str body as Latin-1.
        request = HTTPRequest(method="POST", resource="statements", content=json.dumps(batch),
                              headers={"Content-Type": "application/json",
                                       "X-Experience-API-Version": version})
        try:
            response = lrs._send_request(request)
        except (OSError, HTTPException, ValueError) as exc:  # network failures, bad answers
            return f"{type(exc).__name__}: {exc}", False
        if not response.success:
            status = getattr(response.response, "status", None)
            return f"HTTP {status}: {(response.data or '')[:300]}", status in PERMANENT
    return None, False


def drain(engine, limit_batches: int = 50) -> dict[str, int]:
    """Send what is due, for every target; returns {target name: statements sent}."""
    sent: dict[str, int] = {}
    with engine.connect() as connection:
        targets = [dict(r) for r in connection.execute(
            select(forward_targets).where(forward_targets.c.active.is_(True))).mappings()]
    for target in targets:
        sent[target["name"]] = 0
        for _ in range(limit_batches):
            count = _drain_one_batch(engine, target)
            if not count:
                break
            sent[target["name"]] += count
    return sent


def _drain_one_batch(engine, target) -> int:
    now = datetime.now(UTC)
    with engine.connect() as connection:
        due = connection.execute(
            select(outbox.c.id, outbox.c.attempts, statements.c.statement)
            .join(statements, statements.c.seq == outbox.c.seq)
            .where(outbox.c.target_id == target["id"], _pending(),
                   outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.id).limit(BATCH)).all()
    if not due:
        return 0
    error, permanent = _send(target, [json.loads(row.statement) for row in due])
    if error is None:
        _mark(engine, [row.id for row in due], sent_at=datetime.now(UTC), last_error=None)
        return len(due)
    if permanent and len(due) > 1:
        return sum(_send_alone(engine, target, row, now) for row in due)
    if permanent:
        _mark(engine, [due[0].id], refused_at=now, last_error=error,
              attempts=outbox.c.attempts + 1)
        log.warning("forwarding to %s: statement refused: %s", target["name"], error)
        return 0
    _retry_later(engine, target, due, error, now)
    return 0


def _send_alone(engine, target, row, now) -> int:
    error, permanent = _send(target, [json.loads(row.statement)])
    if error is None:
        _mark(engine, [row.id], sent_at=datetime.now(UTC), last_error=None)
        return 1
    if permanent:
        _mark(engine, [row.id], refused_at=now, last_error=error,
              attempts=outbox.c.attempts + 1)
        log.warning("forwarding to %s: statement refused: %s", target["name"], error)
    else:
        _retry_later(engine, target, [row], error, now)
    return 0


def _retry_later(engine, target, rows, error, now) -> None:
    attempts = max(row.attempts for row in rows) + 1
    _mark(engine, [row.id for row in rows], attempts=outbox.c.attempts + 1, last_error=error,
          next_attempt_at=now + _backoff(attempts))
    log.warning("forwarding to %s failed (attempt %s): %s", target["name"], attempts, error)


def _mark(engine, ids, **values) -> None:
    with engine.begin() as connection:
        connection.execute(update(outbox).where(outbox.c.id.in_(ids)).values(**values))


def _pending():
    return outbox.c.sent_at.is_(None) & outbox.c.refused_at.is_(None)


def retry_refused(connection, name: str) -> int:
    """Queue a target's refused statements again (after the upstream was put right)."""
    target_id = connection.execute(select(forward_targets.c.id).where(
        forward_targets.c.name == name)).scalar()
    if target_id is None:
        raise ValueError(f"no forwarding target {name}")
    result = connection.execute(update(outbox).where(
        outbox.c.target_id == target_id, outbox.c.refused_at.is_not(None),
        outbox.c.sent_at.is_(None)).values(refused_at=None, next_attempt_at=datetime.now(UTC)))
    return result.rowcount


def status(engine) -> list[dict]:
    """Per target: pending and sent counts, the oldest pending statement's age, last error."""
    now = datetime.now(UTC)
    report = []
    with engine.connect() as connection:
        for target in connection.execute(select(forward_targets)
                                         .order_by(forward_targets.c.id)).mappings():
            pending = _pending()
            mine = outbox.c.target_id == target["id"]
            counts = connection.execute(select(
                func.count().filter(pending), func.count().filter(outbox.c.sent_at.is_not(None)),
                func.min(outbox.c.next_attempt_at).filter(pending),
                func.max(outbox.c.sent_at), func.count().filter(outbox.c.refused_at.is_not(None)
                                                                & outbox.c.sent_at.is_(None)),
                func.max(outbox.c.attempts).filter(pending)).where(mine)).one()
            oldest = connection.execute(
                select(statements.c.stored).join(outbox, outbox.c.seq == statements.c.seq)
                .where(mine, pending).order_by(outbox.c.id).limit(1)).scalar()
            error = connection.execute(select(outbox.c.last_error).where(
                mine, outbox.c.sent_at.is_(None), outbox.c.last_error.is_not(None)).order_by(
                outbox.c.id.desc()).limit(1)).scalar()
            report.append({
                "name": target["name"], "endpoint": target["endpoint"],
                "active": target["active"], "filter": target["filter"],
                "pending": counts[0], "sent": counts[1], "refused": counts[4],
                "attempts": counts[5] or 0,
                "next_attempt_at": _aware(counts[2]), "last_sent_at": _aware(counts[3]),
                "oldest_pending_seconds": round((now - _aware(oldest)).total_seconds())
                if oldest else None,
                "last_error": error})
    return report


def _aware(value):
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=UTC)
