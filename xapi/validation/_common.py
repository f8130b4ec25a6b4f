"""What every part of xapi.validation shares: :class:`StatementError`, the constants of the
specification the validators and the rest of the LRS refer to (the voided Verb, the
signature usageType, the interaction types), and the small helpers that build JSON paths
and error messages and tell xAPI 1.0.x from 2.0.0.
"""

from __future__ import annotations

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE_TYPE = "http://adlnet.gov/expapi/attachments/signature"

INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)


class StatementError(ValueError):
    """A statement breaks a rule.

    ``path`` is the JSON path of the offending value (e.g. ``actor.mbox``,
    ``context.contextActivities.parent[0].id``, or ``[3].verb`` for the 4th statement of a
    batch; empty for the whole body) and ``message`` the rule broken.
    ``str(error) == f"{path}: {message}"``.
    """

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __reduce__(self):
        return (type(self), (self.path, self.message))


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _kind(value) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _wrong_value(path: str, value, message: str) -> StatementError:
    if value is None:
        return StatementError(path, f"must not be null ({message})")
    return StatementError(path, message)


def _type_error(path: str, value, expected: str) -> StatementError:
    if value is None:
        return StatementError(path, f"must not be null (expected {expected})")
    return StatementError(path, f"must be {expected}, not {_kind(value)}")


def _unknown_key(path: str, obj: dict, allowed: frozenset, what: str) -> StatementError:
    for key in obj:
        if key not in allowed:
            return StatementError(_join(path, key), f"is not an allowed property of {what}")
    raise AssertionError("no unknown key")  # pragma: no cover


def _need_str(value, path: str) -> None:
    if not isinstance(value, str):
        raise _type_error(path, value, "a string")


def _is_v2(version: str) -> bool:
    if isinstance(version, str):
        if version.startswith("2.0"):
            return True
        if version.startswith("1.0"):
            return False
    raise ValueError(f"unsupported xAPI version {version!r} (expected 1.0.x or 2.0.0)")
