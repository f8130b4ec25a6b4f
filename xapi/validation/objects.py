"""The Verb and the things a Statement can be about (xAPI Data 2.4.3 and 2.4.4): Activities
with their Definitions and interaction components, and StatementRefs. Choosing among
the kinds of object, which reaches SubStatements, is ``_check_object`` in
``xapi.validation.statements``, next to the Statement rules it recurses into.
"""

from __future__ import annotations

from xapi.validation._common import (
    INTERACTION_TYPES,
    StatementError,
    _join,
    _type_error,
    _unknown_key,
    _wrong_value,
)
from xapi.validation.agents import _IFI_KEYS
from xapi.validation.formats import (
    _UUID_RE,
    _check_extensions,
    _check_iri,
    _check_iri_cached,
    _check_language_map,
)

# --------------------------------------------------------------------------------------------
# Verb (Data 2.4.3)
# --------------------------------------------------------------------------------------------

_VERB_KEYS = frozenset({"id", "display"})


def validate_verb(value, path: str = "verb") -> None:
    """A Verb: id (IRI, required), display (language map, optional)."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "a Verb object")
    if not _VERB_KEYS.issuperset(value):
        raise _unknown_key(path, value, _VERB_KEYS, "a Verb")
    if "id" not in value:
        raise StatementError(_join(path, "id"), "is required in a Verb")
    _check_iri_cached(value["id"], _join(path, "id"))
    if "display" in value:
        _check_language_map(value["display"], _join(path, "display"))


# --------------------------------------------------------------------------------------------
# Object: Activity, StatementRef, SubStatement (Data 2.4.4)
# --------------------------------------------------------------------------------------------
# (The choice among object types, SubStatement included, is _check_object in statements.py.)

_ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
_DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
)
_INTERACTION_KEYS = ("correctResponsesPattern", "choices", "scale", "source", "target", "steps")
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_COMPONENT_LISTS_BY_TYPE = {
    "choice": frozenset({"choices"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
}
_NO_LISTS: frozenset = frozenset()
_COMPONENT_KEYS = frozenset({"id", "description"})
_STATEMENT_REF_KEYS = frozenset({"objectType", "id"})


def validate_activity(value, path: str = "object") -> None:
    """An Activity: objectType "Activity" (optional), id (IRI), definition (optional)."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "an Activity object")
    if "objectType" in value and value["objectType"] != "Activity":
        raise _wrong_value(
            _join(path, "objectType"), value["objectType"], "must be 'Activity' for an Activity"
        )
    if not _ACTIVITY_KEYS.issuperset(value):
        if "objectType" not in value and any(key in value for key in _IFI_KEYS):
            raise StatementError(
                _join(path, "objectType"),
                "is required when the object is an Agent or a Group ('Agent' or 'Group')",
            )
        raise _unknown_key(path, value, _ACTIVITY_KEYS, "an Activity")
    if "id" not in value:
        raise StatementError(_join(path, "id"), "is required in an Activity")
    _check_iri_cached(value["id"], _join(path, "id"))
    if "definition" in value:
        _check_definition(value["definition"], _join(path, "definition"))


def _check_definition(definition, path: str) -> None:
    if not isinstance(definition, dict):
        raise _type_error(path, definition, "an Activity Definition object")
    if not _DEFINITION_KEYS.issuperset(definition):
        raise _unknown_key(path, definition, _DEFINITION_KEYS, "an Activity Definition")
    if "name" in definition:
        _check_language_map(definition["name"], _join(path, "name"))
    if "description" in definition:
        _check_language_map(definition["description"], _join(path, "description"))
    if "type" in definition:
        _check_iri_cached(definition["type"], _join(path, "type"))
    if "moreInfo" in definition:
        _check_iri(definition["moreInfo"], _join(path, "moreInfo"), "an IRL")
    if "extensions" in definition:
        _check_extensions(definition["extensions"], _join(path, "extensions"))
    if "interactionType" in definition:
        interaction_type = definition["interactionType"]
        if not isinstance(interaction_type, str):
            raise _type_error(_join(path, "interactionType"), interaction_type, "a string")
        if interaction_type not in INTERACTION_TYPES:
            raise StatementError(
                _join(path, "interactionType"),
                "must be one of " + ", ".join(sorted(INTERACTION_TYPES)) + " (exact case)",
            )
        allowed_lists = _COMPONENT_LISTS_BY_TYPE.get(interaction_type, _NO_LISTS)
    else:
        for key in _INTERACTION_KEYS:
            if key in definition:
                raise StatementError(
                    _join(path, key), "requires interactionType in the Activity Definition"
                )
        return
    if "correctResponsesPattern" in definition:
        patterns = definition["correctResponsesPattern"]
        patterns_path = _join(path, "correctResponsesPattern")
        if not isinstance(patterns, list):
            raise _type_error(patterns_path, patterns, "an array of strings")
        for index, pattern in enumerate(patterns):
            if not isinstance(pattern, str):
                raise _type_error(f"{patterns_path}[{index}]", pattern, "a string")
    for key in _COMPONENT_LISTS:
        if key in definition:
            if key not in allowed_lists:
                raise StatementError(
                    _join(path, key), f"is not allowed for interactionType '{interaction_type}'"
                )
            _check_components(definition[key], _join(path, key))


def _check_components(components, path: str) -> None:
    if not isinstance(components, list):
        raise _type_error(path, components, "an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(components):
        item_path = f"{path}[{index}]"
        if not isinstance(component, dict):
            raise _type_error(item_path, component, "an interaction component object")
        if not _COMPONENT_KEYS.issuperset(component):
            raise _unknown_key(item_path, component, _COMPONENT_KEYS, "an interaction component")
        if "id" not in component:
            raise StatementError(f"{item_path}.id", "is required in an interaction component")
        component_id = component["id"]
        if not isinstance(component_id, str):
            raise _type_error(f"{item_path}.id", component_id, "a string")
        if component_id in seen:
            raise StatementError(
                f"{item_path}.id", "must be distinct within the interaction component list"
            )
        seen.add(component_id)
        if "description" in component:
            _check_language_map(component["description"], f"{item_path}.description")


def _check_statement_ref(value, path: str) -> None:
    if not isinstance(value, dict):
        raise _type_error(path, value, "a StatementRef object")
    if value.get("objectType") != "StatementRef":
        if "objectType" not in value:
            raise StatementError(_join(path, "objectType"), "is required (must be 'StatementRef')")
        raise _wrong_value(_join(path, "objectType"), value["objectType"], "must be 'StatementRef'")
    if not _STATEMENT_REF_KEYS.issuperset(value):
        raise _unknown_key(path, value, _STATEMENT_REF_KEYS, "a StatementRef")
    if "id" not in value:
        raise StatementError(_join(path, "id"), "is required in a StatementRef")
    _check_uuid(value["id"], _join(path, "id"))


def _check_uuid(value, path: str) -> None:
    if not isinstance(value, str):
        raise _type_error(path, value, "a UUID string")
    if _UUID_RE.match(value) is None:
        raise StatementError(path, "must be a UUID in standard string form (8-4-4-4-12 hex)")
