"""Whole Statements (xAPI Data 2.2 to 2.4, 2.6): the object of a Statement chosen by its
objectType (a SubStatement being checked as a Statement), authority, version and
Attachments, and the entry points :func:`validate_statement` and
:func:`validate_statements` that the Statement resource calls.
"""

from __future__ import annotations

import re

from xapi.validation._common import (
    SIGNATURE_USAGE_TYPE,
    VOIDED_VERB,
    StatementError,
    _is_v2,
    _join,
    _type_error,
    _unknown_key,
)
from xapi.validation.agents import _IFI_KEYS, _validate_actor, validate_agent, validate_group
from xapi.validation.context import _check_context, validate_result
from xapi.validation.formats import (
    _check_iri,
    _check_iri_cached,
    _check_language_map,
    _check_timestamp,
)
from xapi.validation.objects import (
    _check_statement_ref,
    _check_uuid,
    validate_activity,
    validate_verb,
)

# --------------------------------------------------------------------------------------------
# Object: the choice among Activity, Agent, Group, StatementRef and SubStatement (Data 2.4.4)
# --------------------------------------------------------------------------------------------

_OBJECT_TYPES = "Activity, Agent, Group, StatementRef or SubStatement"


def _check_object(value, path: str, v2: bool, in_substatement: bool) -> None:
    if not isinstance(value, dict):
        raise _type_error(
            path, value, "an object (Activity, Agent, Group, StatementRef or SubStatement)"
        )
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        validate_activity(value, path)
    elif object_type == "Agent":
        validate_agent(value, path)
    elif object_type == "Group":
        validate_group(value, path)
    elif object_type == "StatementRef":
        _check_statement_ref(value, path)
    elif object_type == "SubStatement":
        if in_substatement:
            raise StatementError(
                _join(path, "objectType"), "a SubStatement must not contain a SubStatement"
            )
        _check_statement(value, path, v2, True)
    elif isinstance(object_type, str):
        raise StatementError(_join(path, "objectType"), f"must be one of {_OBJECT_TYPES}")
    else:
        raise _type_error(_join(path, "objectType"), object_type, "a string")


# --------------------------------------------------------------------------------------------
# Authority, version, attachments (Data 2.4.9 to 2.4.11, 2.6)
# --------------------------------------------------------------------------------------------


def _check_authority(value, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        validate_group(value, path)
        if any(key in value for key in _IFI_KEYS):
            raise StatementError(
                path,
                "an authority Group must be anonymous: two Agents, the OAuth consumer and the user",
            )
        if len(value["member"]) != 2:
            raise StatementError(
                _join(path, "member"),
                "an authority Group must have exactly two Agents (OAuth consumer and user)",
            )
    else:
        validate_agent(value, path)


_VERSION_1_RE = re.compile(r"1\.0(?:\.[0-9]+(?:-[0-9A-Za-z.\-]+)?)?\Z")
_VERSION_2_RE = re.compile(r"[12]\.0(?:\.[0-9]+(?:-[0-9A-Za-z.\-]+)?)?\Z")


def _check_version(value, path: str, v2: bool) -> None:
    if not isinstance(value, str):
        raise _type_error(path, value, "a version string")
    if v2:
        if _VERSION_2_RE.match(value) is None:
            raise StatementError(path, "must be a 1.0.x or 2.0.x version")
    elif _VERSION_1_RE.match(value) is None:
        raise StatementError(path, "must be a 1.0.x version (starting with '1.0.')")


_ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
_ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")
_MEDIA_TYPE_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*"
    r"(?:[ \t]*;[^\x00-\x08\x0a-\x1f\x7f]*)?\Z"
)
_SHA2_RE = re.compile(r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})\Z")


def validate_attachment(value, path: str = "attachments[0]") -> None:
    """An Attachment: usageType (IRI), display (language map), description (language map,
    optional), contentType (media type), length (integer >= 0), sha2 (SHA-2 hex), fileUrl
    (IRL, optional). A signature Attachment must have contentType application/octet-stream."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "an Attachment object")
    if not _ATTACHMENT_KEYS.issuperset(value):
        raise _unknown_key(path, value, _ATTACHMENT_KEYS, "an Attachment")
    for key in _ATTACHMENT_REQUIRED:
        if key not in value:
            raise StatementError(_join(path, key), "is required in an Attachment")
    usage_type = value["usageType"]
    _check_iri_cached(usage_type, _join(path, "usageType"))
    _check_language_map(value["display"], _join(path, "display"))
    if "description" in value:
        _check_language_map(value["description"], _join(path, "description"))
    content_type = value["contentType"]
    if not isinstance(content_type, str):
        raise _type_error(_join(path, "contentType"), content_type, "an Internet media type string")
    if _MEDIA_TYPE_RE.match(content_type) is None:
        raise StatementError(
            _join(path, "contentType"), "must be an Internet media type (e.g. text/plain)"
        )
    length = value["length"]
    if type(length) is not int:
        raise _type_error(_join(path, "length"), length, "an integer")
    if length < 0:
        raise StatementError(_join(path, "length"), "must not be negative")
    sha2 = value["sha2"]
    if not isinstance(sha2, str):
        raise _type_error(_join(path, "sha2"), sha2, "a string")
    if _SHA2_RE.match(sha2) is None:
        raise StatementError(_join(path, "sha2"), "must be a SHA-2 hash in hex")
    if "fileUrl" in value:
        _check_iri(value["fileUrl"], _join(path, "fileUrl"), "an IRL")
    if (
        usage_type == SIGNATURE_USAGE_TYPE
        and content_type.split(";", 1)[0].strip().lower() != "application/octet-stream"
    ):
        raise StatementError(
            _join(path, "contentType"),
            "must be application/octet-stream for a signature Attachment",
        )


def _check_attachments(value, path: str) -> None:
    if not isinstance(value, list):
        raise _type_error(path, value, "an array of Attachments")
    for index, attachment in enumerate(value):
        validate_attachment(attachment, f"{path}[{index}]")


# --------------------------------------------------------------------------------------------
# Statements (Data 2.2 to 2.4)
# --------------------------------------------------------------------------------------------

_STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
_SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
_SUBSTATEMENT_FORBIDDEN = frozenset({"id", "stored", "version", "authority"})


def _check_statement(statement, path: str, v2: bool, substatement: bool) -> None:
    if not isinstance(statement, dict):
        raise _type_error(path, statement, "a Statement object")
    allowed = _SUBSTATEMENT_KEYS if substatement else _STATEMENT_KEYS
    if not allowed.issuperset(statement):
        for key in statement:
            if key not in allowed:
                if substatement and key in _SUBSTATEMENT_FORBIDDEN:
                    raise StatementError(_join(path, key), "is not allowed in a SubStatement")
                what = "a SubStatement" if substatement else "a Statement"
                raise StatementError(_join(path, key), f"is not an allowed property of {what}")
    prefix = f"{path}." if path else ""
    for key in ("actor", "verb", "object"):
        if key not in statement:
            raise StatementError(prefix + key, "is required")
    if not substatement and "id" in statement:
        _check_uuid(statement["id"], prefix + "id")
    _validate_actor(statement["actor"], prefix + "actor")
    verb = statement["verb"]
    validate_verb(verb, prefix + "verb")
    target = statement["object"]
    _check_object(target, prefix + "object", v2, substatement)
    object_type = target.get("objectType", "Activity")
    if verb["id"] == VOIDED_VERB and object_type != "StatementRef":
        raise StatementError(
            prefix + "object.objectType",
            "must be 'StatementRef' when the verb is http://adlnet.gov/expapi/verbs/voided",
        )
    if "result" in statement:
        validate_result(statement["result"], prefix + "result")
    if "context" in statement:
        _check_context(statement["context"], prefix + "context", v2, object_type == "Activity")
    if "timestamp" in statement:
        _check_timestamp(statement["timestamp"], prefix + "timestamp", v2)
    if "attachments" in statement:
        _check_attachments(statement["attachments"], prefix + "attachments")
    if substatement:
        return
    if "stored" in statement:
        _check_timestamp(statement["stored"], prefix + "stored", v2)
    if "authority" in statement:
        _check_authority(statement["authority"], prefix + "authority")
    if "version" in statement:
        _check_version(statement["version"], prefix + "version", v2)


def validate_statement(statement, version: str = "1.0.3", path: str = "") -> None:
    """Validate one Statement under xAPI ``version`` ("1.0.0".."1.0.3" or "2.0.0").

    Raises StatementError for the first problem found; returns None when the Statement is valid.
    """
    _check_statement(statement, path, _is_v2(version), False)


def validate_statements(body, version: str = "1.0.3") -> list[dict]:
    """Validate the body of a Statement POST: one Statement or a non-empty array of them.

    Returns the Statements as a list (the same objects). Errors in an array name the
    Statement's index (``[2].actor.mbox``); two Statements of one batch must not share an id.
    """
    v2 = _is_v2(version)
    if isinstance(body, dict):
        _check_statement(body, "", v2, False)
        return [body]
    if not isinstance(body, list):
        raise _type_error("", body, "a Statement object or an array of Statements")
    if not body:
        raise StatementError("", "must contain at least one Statement")
    seen: dict[str, int] = {}
    for index, statement in enumerate(body):
        path = f"[{index}]"
        _check_statement(statement, path, v2, False)
        statement_id = statement.get("id")
        if statement_id is not None:
            key = statement_id.lower()
            if key in seen:
                raise StatementError(
                    f"{path}.id", f"duplicates the id of Statement [{seen[key]}] in this batch"
                )
            seen[key] = index
    return body
