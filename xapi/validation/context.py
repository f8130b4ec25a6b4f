"""The Result and the Context of a Statement (xAPI Data 2.4.5 and 2.4.6): scores, success,
durations; registration, instructor, team, contextActivities, revision, platform,
language, the referenced Statement, and the xAPI 2.0.0 contextAgents and contextGroups.
"""

from __future__ import annotations

import math

from xapi.validation._common import (
    StatementError,
    _is_v2,
    _join,
    _need_str,
    _type_error,
    _unknown_key,
    _wrong_value,
)
from xapi.validation.agents import _validate_actor, validate_agent, validate_group
from xapi.validation.formats import (
    _check_extensions,
    _check_iri_cached,
    is_iso8601_duration,
    is_language_tag,
)
from xapi.validation.objects import _check_statement_ref, _check_uuid, validate_activity

# --------------------------------------------------------------------------------------------
# Result (Data 2.4.5)
# --------------------------------------------------------------------------------------------

_RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
_SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})


def _number(score: dict, key: str, path: str):
    if key not in score:
        return None
    number = score[key]
    kind = type(number)
    if kind is not int and kind is not float:
        raise _type_error(_join(path, key), number, "a number")
    if kind is float and not math.isfinite(number):
        raise StatementError(_join(path, key), "must be a finite number")
    return number


def validate_result(value, path: str = "result") -> None:
    """A Result: score, success, completion, response, duration, extensions."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "a Result object")
    if not _RESULT_KEYS.issuperset(value):
        raise _unknown_key(path, value, _RESULT_KEYS, "a Result")
    if "score" in value:
        score = value["score"]
        score_path = _join(path, "score")
        if not isinstance(score, dict):
            raise _type_error(score_path, score, "a Score object")
        if not _SCORE_KEYS.issuperset(score):
            raise _unknown_key(score_path, score, _SCORE_KEYS, "a Score")
        scaled = _number(score, "scaled", score_path)
        raw = _number(score, "raw", score_path)
        low = _number(score, "min", score_path)
        high = _number(score, "max", score_path)
        if scaled is not None and not -1 <= scaled <= 1:
            raise StatementError(f"{score_path}.scaled", "must be between -1 and 1 inclusive")
        if low is not None and high is not None and low > high:
            raise StatementError(f"{score_path}.min", "must not be greater than max")
        if raw is not None:
            if low is not None and raw < low:
                raise StatementError(f"{score_path}.raw", "must not be less than min")
            if high is not None and raw > high:
                raise StatementError(f"{score_path}.raw", "must not be greater than max")
    for key in ("success", "completion"):
        if key in value and value[key] is not True and value[key] is not False:
            raise _type_error(_join(path, key), value[key], "a boolean")
    if "response" in value and not isinstance(value["response"], str):
        raise _type_error(_join(path, "response"), value["response"], "a string")
    if "duration" in value:
        duration = value["duration"]
        if not isinstance(duration, str):
            raise _type_error(_join(path, "duration"), duration, "an ISO 8601 duration string")
        if not is_iso8601_duration(duration):
            raise StatementError(
                _join(path, "duration"), "must be an ISO 8601 duration (e.g. PT1H30M, P4W)"
            )
    if "extensions" in value:
        _check_extensions(value["extensions"], _join(path, "extensions"))


# --------------------------------------------------------------------------------------------
# Context (Data 2.4.6; xAPI 2.0.0 contextAgents, contextGroups)
# --------------------------------------------------------------------------------------------

_CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
_CONTEXT_KEYS_V2 = _CONTEXT_KEYS | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITIES_KEYS = frozenset({"parent", "grouping", "category", "other"})
_CONTEXT_AGENT_KEYS = frozenset({"objectType", "agent", "relevantTypes"})
_CONTEXT_GROUP_KEYS = frozenset({"objectType", "group", "relevantTypes"})


def validate_context(
    value, path: str = "context", version: str = "1.0.3", object_is_activity: bool = True
) -> None:
    """A Context. ``object_is_activity`` tells whether the Statement's object is an Activity
    (revision and platform are only allowed then)."""
    _check_context(value, path, _is_v2(version), object_is_activity)


def _check_context(value, path: str, v2: bool, object_is_activity: bool) -> None:
    if not isinstance(value, dict):
        raise _type_error(path, value, "a Context object")
    allowed = _CONTEXT_KEYS_V2 if v2 else _CONTEXT_KEYS
    if not allowed.issuperset(value):
        for key in value:
            if key not in allowed:
                if key in _CONTEXT_KEYS_V2:
                    raise StatementError(_join(path, key), "is only allowed in xAPI 2.0")
                raise StatementError(_join(path, key), "is not an allowed property of a Context")
    if "registration" in value:
        _check_uuid(value["registration"], _join(path, "registration"))
    if "instructor" in value:
        _validate_actor(value["instructor"], _join(path, "instructor"))
    if "team" in value:
        team = value["team"]
        if isinstance(team, dict) and team.get("objectType", "Group") != "Group":
            raise _wrong_value(
                _join(path, "team.objectType"),
                team["objectType"],
                "must be 'Group' (team is a Group)",
            )
        validate_group(team, _join(path, "team"))
    if "contextActivities" in value:
        _check_context_activities(value["contextActivities"], _join(path, "contextActivities"))
    for key in ("revision", "platform"):
        if key in value:
            _need_str(value[key], _join(path, key))
    if "language" in value:
        language = value["language"]
        if not isinstance(language, str):
            raise _type_error(_join(path, "language"), language, "a language tag string")
        if not is_language_tag(language):
            raise StatementError(_join(path, "language"), "must be an RFC 5646 language tag")
    if "statement" in value:
        _check_statement_ref(value["statement"], _join(path, "statement"))
    if "extensions" in value:
        _check_extensions(value["extensions"], _join(path, "extensions"))
    if v2:
        if "contextAgents" in value:
            _check_context_members(
                value["contextAgents"], _join(path, "contextAgents"), "contextAgent", "agent"
            )
        if "contextGroups" in value:
            _check_context_members(
                value["contextGroups"], _join(path, "contextGroups"), "contextGroup", "group"
            )
    if not object_is_activity:
        for key in ("revision", "platform"):
            if key in value:
                raise StatementError(
                    _join(path, key), "is only allowed when the Statement's object is an Activity"
                )


def _check_context_activities(value, path: str) -> None:
    if not isinstance(value, dict):
        raise _type_error(path, value, "a contextActivities object")
    if not _CONTEXT_ACTIVITIES_KEYS.issuperset(value):
        for key in value:
            if key not in _CONTEXT_ACTIVITIES_KEYS:
                raise StatementError(
                    _join(path, key), "must be one of parent, grouping, category, other"
                )
    for key, activities in value.items():
        key_path = f"{path}.{key}"
        if isinstance(activities, list):
            for index, activity in enumerate(activities):
                validate_activity(activity, f"{key_path}[{index}]")
        elif isinstance(activities, dict):
            validate_activity(activities, key_path)
        else:
            raise _type_error(key_path, activities, "an Activity or an array of Activities")


def _check_context_members(value, path: str, object_type: str, member_key: str) -> None:
    keys = _CONTEXT_AGENT_KEYS if member_key == "agent" else _CONTEXT_GROUP_KEYS
    if not isinstance(value, list):
        raise _type_error(path, value, f"an array of {object_type} objects")
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            raise _type_error(item_path, item, f"a {object_type} object")
        if not keys.issuperset(item):
            raise _unknown_key(item_path, item, keys, f"a {object_type}")
        if item.get("objectType") != object_type:
            if "objectType" not in item:
                raise StatementError(f"{item_path}.objectType", f"is required ('{object_type}')")
            raise _wrong_value(
                f"{item_path}.objectType", item["objectType"], f"must be '{object_type}'"
            )
        if member_key not in item:
            raise StatementError(f"{item_path}.{member_key}", f"is required in a {object_type}")
        if member_key == "agent":
            validate_agent(item["agent"], f"{item_path}.agent")
        else:
            validate_group(item["group"], f"{item_path}.group")
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            types_path = f"{item_path}.relevantTypes"
            if not isinstance(types, list):
                raise _type_error(types_path, types, "an array of IRIs")
            if not types:
                raise StatementError(types_path, "must not be empty when present")
            for type_index, iri in enumerate(types):
                _check_iri_cached(iri, f"{types_path}[{type_index}]")
