"""Statement comparison for signed statements (xAPI Data 2.3.1 and "Statement Comparison
Requirements"): the statement signed in a JWS must be equivalent to the one received,
ignoring what an LRS may assign or normalise (stored, authority, version, attachments,
Verb displays, Activity definitions, UUID and mbox-domain case, timestamp zones,
duration precision past 0.01 s, Group member order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from xapi.attachments._common import AttachmentError

# --------------------------------------------------------------------------------------
# Signed statements: statement comparison (Data 2.3.1 and "Statement Comparison
# Requirements"): differences that the immutability exceptions could cause are ignored.

# Assigned or replaced by an LRS, or not part of the statement at all: never compared.
_NOT_COMPARED = frozenset({"stored", "authority", "version", "attachments"})
# Registered JWT claims a signing library may add to the payload; never statement fields.
_JWT_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
_SECONDS_RE = re.compile(r"(\d+)(?:[.,](\d*))?S$")


@dataclass(frozen=True)
class _Timestamp:
    """A timestamp compared as the point in time it names, to the millisecond."""

    text: Any
    instant: datetime | None

    @classmethod
    def of(cls, value: Any) -> _Timestamp:
        instant = None
        if isinstance(value, str):
            try:
                instant = datetime.fromisoformat(value)
            except ValueError:
                instant = None
            if instant is not None and instant.tzinfo is None:
                instant = instant.replace(tzinfo=UTC)
        return cls(value, instant)

    def same(self, other: _Timestamp) -> bool:
        if self.instant is not None and other.instant is not None:
            # An LRS may truncate or round timestamps to milliseconds.
            return abs(self.instant - other.instant) < timedelta(milliseconds=1)
        return self.text == other.text


def _lower_uuid(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _comparable_mbox(value: Any) -> Any:
    """mailto IRIs: the scheme and the domain are case-insensitive."""
    if not isinstance(value, str) or value[:7].lower() != "mailto:":
        return value
    local, at, domain = value[7:].rpartition("@")
    return f"mailto:{local}{at}{domain.lower()}" if at else f"mailto:{value[7:]}"


def _comparable_agent(agent: Any) -> Any:
    """An Agent or Group: default objectType, mbox case, and members in no order."""
    if not isinstance(agent, Mapping):
        return agent
    out = dict(agent)
    out.setdefault("objectType", "Agent")
    if "mbox" in out:
        out["mbox"] = _comparable_mbox(out["mbox"])
    if isinstance(out.get("member"), list):
        members = [_comparable_agent(member) for member in out["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True, default=str))
    return out


def _comparable_activity(activity: Any) -> Any:
    """An Activity without its definition (not part of the statement itself)."""
    if not isinstance(activity, Mapping):
        return activity
    out = {key: value for key, value in activity.items() if key != "definition"}
    out.setdefault("objectType", "Activity")
    return out


def _comparable_object(target: Any) -> Any:
    if not isinstance(target, Mapping):
        return target
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return _comparable_activity(target)
    if kind in ("Agent", "Group"):
        return _comparable_agent(target)
    if kind == "SubStatement":
        return _comparable_statement(target, substatement=True)
    if kind == "StatementRef":
        return {**target, "id": _lower_uuid(target.get("id"))}
    return target


def _comparable_duration(duration: Any) -> Any:
    """Durations compare without precision beyond 0.01 s (Data 4.6)."""
    if not isinstance(duration, str) or "T" not in duration:
        return duration
    match = _SECONDS_RE.search(duration)
    if match is None:
        return duration
    fraction = (match[2] or "")[:2].rstrip("0")
    seconds = f"{match[1]}.{fraction}" if fraction else match[1]
    return f"{duration[: match.start()]}{seconds}S"


def _comparable_context(context: Any) -> Any:
    if not isinstance(context, Mapping):
        return context
    out = dict(context)
    if "registration" in out:
        out["registration"] = _lower_uuid(out["registration"])
    for key in ("instructor", "team"):
        if key in out:
            out[key] = _comparable_agent(out[key])
    activities = out.get("contextActivities")
    if isinstance(activities, Mapping):
        # A single Activity is returned by an LRS as an array of one (Data 2.4.6.2).
        out["contextActivities"] = {
            key: [_comparable_activity(a) for a in (value if isinstance(value, list) else [value])]
            for key, value in activities.items()
        }
    reference = out.get("statement")
    if isinstance(reference, Mapping):
        out["statement"] = {**reference, "id": _lower_uuid(reference.get("id"))}
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):  # xAPI 2.0
        if isinstance(out.get(key), list):
            out[key] = [
                {**entry, inner: _comparable_agent(entry[inner])}
                if isinstance(entry, Mapping) and inner in entry
                else entry
                for entry in out[key]
            ]
    return out


def _comparable_statement(statement: Mapping[str, Any], substatement: bool = False) -> dict:
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if key in _NOT_COMPARED:
            continue
        if key == "actor":
            value = _comparable_agent(value)
        elif key == "verb" and isinstance(value, Mapping):
            # The Verb's display is not part of the statement itself (Data 2.3.1).
            value = {k: v for k, v in value.items() if k != "display"}
        elif key == "object":
            value = _comparable_object(value)
        elif key == "context":
            value = _comparable_context(value)
        elif key == "result" and isinstance(value, Mapping) and "duration" in value:
            value = {**value, "duration": _comparable_duration(value["duration"])}
        elif key == "timestamp" and substatement:
            value = _Timestamp.of(value)
        out[key] = value
    return out


def _difference(a: Any, b: Any, path: str) -> str | None:
    """The path of the first difference between two comparable JSON values, or None."""
    here = path or "the statement"
    if isinstance(a, _Timestamp) and isinstance(b, _Timestamp):
        return None if a.same(b) else here
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in sorted(set(a) | set(b)):
            child = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                return f"{child} (present in only one of them)"
            found = _difference(a[key], b[key], child)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{here} (arrays of {len(a)} and {len(b)} items)"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(a, bool) or isinstance(b, bool):
        return None if type(a) is type(b) and a == b else here
    if isinstance(a, int | float) and isinstance(b, int | float):
        return None if a == b else here
    return None if type(a) is type(b) and a == b else here


def _compare_signed_statement(signed: Mapping[str, Any], received: Mapping[str, Any]) -> None:
    signed = {k: v for k, v in signed.items() if k not in _JWT_CLAIMS}
    left = _comparable_statement(signed)
    right = _comparable_statement(received)
    # An LRS assigns "id" and "timestamp" only when they are missing: compare them when
    # both statements have them (the id's case and the timestamp's zone do not count).
    for key, comparable in (("id", _lower_uuid), ("timestamp", _Timestamp.of)):
        if key in signed and key in received:
            left[key], right[key] = comparable(signed[key]), comparable(received[key])
        else:
            left.pop(key, None)
            right.pop(key, None)
    difference = _difference(left, right, "")
    if difference is not None:
        raise AttachmentError(
            "the statement signed in the JWS payload is not the statement received:"
            f" they differ at {difference}"
        )
