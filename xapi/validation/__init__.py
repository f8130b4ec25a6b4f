"""Validation of xAPI Statements and their parts.

Implements the rules of the xAPI 1.0.3 specification, Part Two (Data), sections 2.2 to 2.6 and
4, and the xAPI 2.0.0 differences exercised by the ADL LRS conformance suite (``contextAgents``
and ``contextGroups`` in a Context, time zones required in Timestamps, version ``2.0.x``).

Everything works on parsed JSON (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``,
``None``). The first rule broken raises :class:`StatementError`, whose ``path`` names the JSON
path of the offending value (``actor.mbox``, ``context.contextActivities.parent[0].id``,
``[3].verb`` for the fourth Statement of a batch) and whose ``message`` names the rule.

The code is written for speed (about 5,000 Statements per second must be validated alongside
everything else the LRS does): precompiled regular expressions, frozenset look-ups, no schema
engine, paths only built for nested objects or when an error is raised.

The rules live in submodules, by section of the specification: ``_common``
(StatementError, constants, small helpers), ``formats`` (Data 4: UUIDs, IRIs, language
tags, durations, timestamps, language maps, extensions), ``agents`` (Agents, Groups,
IFIs), ``objects`` (Verb, Activity, StatementRef), ``context`` (Result, Context) and
``statements`` (object dispatch, authority, version, Attachments, Statements). Import
from ``xapi.validation`` itself: the names below are its interface.
"""

from __future__ import annotations

from xapi.validation._common import (
    INTERACTION_TYPES,
    SIGNATURE_USAGE_TYPE,
    VOIDED_VERB,
    StatementError,
)
from xapi.validation.agents import (
    inverse_functional_identifier,
    validate_agent,
    validate_agent_parameter,
    validate_group,
)
from xapi.validation.context import validate_context, validate_result
from xapi.validation.formats import (
    is_iri,
    is_iso8601_duration,
    is_language_tag,
    is_uuid,
    parse_timestamp,
)
from xapi.validation.objects import validate_activity, validate_verb
from xapi.validation.statements import (
    validate_attachment,
    validate_statement,
    validate_statements,
)

__all__ = [
    "INTERACTION_TYPES",
    "SIGNATURE_USAGE_TYPE",
    "VOIDED_VERB",
    "StatementError",
    "inverse_functional_identifier",
    "is_iri",
    "is_iso8601_duration",
    "is_language_tag",
    "is_uuid",
    "parse_timestamp",
    "validate_activity",
    "validate_agent",
    "validate_agent_parameter",
    "validate_attachment",
    "validate_context",
    "validate_group",
    "validate_result",
    "validate_statement",
    "validate_statements",
    "validate_verb",
]
