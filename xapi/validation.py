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
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

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


# --------------------------------------------------------------------------------------------
# Special data types (Data section 4)
# --------------------------------------------------------------------------------------------

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)


def is_uuid(s) -> bool:
    """A UUID in standard string form (8-4-4-4-12 hex digits, any version, either case)."""
    return isinstance(s, str) and _UUID_RE.match(s) is not None


# Absolute IRI, best effort (RFC 3987): a scheme, then at least one character, none of which is
# a space, a control character, a lone surrogate or an ASCII character IRIs never contain.
_IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff]+\Z")
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def is_iri(s) -> bool:
    """An absolute IRI (scheme required); best-effort syntax check as the spec allows."""
    if not isinstance(s, str) or _IRI_RE.match(s) is None:
        return False
    if "%" in s and _BAD_PERCENT_RE.search(s):
        return False
    return s.count("#") <= 1


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:.")


def _check_iri(value, path: str, what: str = "an IRI") -> None:
    if not isinstance(value, str):
        raise _type_error(path, value, f"{what} string")
    if not is_iri(value):
        if _SCHEME_RE.match(value) is None:
            raise StatementError(path, f"must be {what} (absolute, with a scheme such as http:)")
        raise StatementError(
            path,
            f"must be {what} (no spaces, control characters, bad % escapes, second '#' or "
            'characters such as < > " { } | \\ ^ `)',
        )


_IRI_CACHE: set[str] = set()
# Valid identifiers recur (verb ids, activity types, language tags); remembering them skips the
# regular expressions. Bounded in entries and entry length, so a client cannot bloat them.
_CACHE_LIMIT = 20000
_CACHEABLE_LENGTH = 512


def _check_iri_cached(value, path: str, what: str = "an IRI") -> None:
    """Like _check_iri, for identifiers that recur often (verb ids, activity types, keys)."""
    if isinstance(value, str) and value in _IRI_CACHE:
        return
    _check_iri(value, path, what)
    if len(_IRI_CACHE) < _CACHE_LIMIT and len(value) <= _CACHEABLE_LENGTH:
        _IRI_CACHE.add(value)


# RFC 5646 language tags.
_LANGTAG_RE = re.compile(
    r"""
    (?:
      (?P<langtag>
        (?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})      # language, extlang
        (?:-[A-Za-z]{4})?                                         # script
        (?:-(?:[A-Za-z]{2}|[0-9]{3}))?                            # region
        (?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*            # variants
        (?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*             # extensions
        (?:-[xX](?:-[A-Za-z0-9]{1,8})+)?                          # private use
      )
      |[xX](?:-[A-Za-z0-9]{1,8})+                                 # private use only
    )\Z
    """,
    re.VERBOSE,
)
_IRREGULAR_TAGS = frozenset(
    tag.lower()
    for tag in [
        "en-GB-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-BE-FR",
        "sgn-BE-NL",
        "sgn-CH-DE",
    ]
)
_VARIANT_RE = re.compile(r"(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3})\Z")
_LANG_CACHE: set[str] = set()


def _langtag_ok(tag: str) -> bool:
    match = _LANGTAG_RE.match(tag)
    if match is None:
        return tag.lower() in _IRREGULAR_TAGS
    if match.group("langtag") is None or tag.count("-") < 2:
        return True
    # RFC 5646 2.2.5/2.2.6: a variant or an extension singleton must not repeat.
    seen_variants: set[str] = set()
    seen_singletons: set[str] = set()
    in_extensions = False
    for subtag in tag.lower().split("-")[1:]:
        if len(subtag) == 1:
            if subtag == "x":
                break
            if subtag in seen_singletons:
                return False
            seen_singletons.add(subtag)
            in_extensions = True
        elif not in_extensions and _VARIANT_RE.match(subtag):
            if subtag in seen_variants:
                return False
            seen_variants.add(subtag)
    return True


def is_language_tag(s) -> bool:
    """An RFC 5646 language tag ("en", "en-US", "zh-Hant-TW", "und", "x-private", ...)."""
    if not isinstance(s, str):
        return False
    if s in _LANG_CACHE:
        return True
    if not _langtag_ok(s):
        return False
    if len(_LANG_CACHE) < _CACHE_LIMIT and len(s) <= _CACHEABLE_LENGTH:
        _LANG_CACHE.add(s)
    return True


_N = r"[0-9]+(?:[.,][0-9]+)?"
_DURATION_RE = re.compile(
    rf"P(?:{_N}W|(?=[0-9T])(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?"
    rf"(?:T(?=[0-9])(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?)\Z"
)
_FRACTION_TAIL_RE = re.compile(r"[.,][0-9]+[A-Z]\Z")


def is_iso8601_duration(s) -> bool:
    """An ISO 8601:2004 4.4.3.2 duration ("PT1H30M", "P3Y1M29DT4H35M59.14S", "P4W").

    Only the last (lowest order) component may carry a decimal fraction; weeks cannot be
    combined with other components; the alternative format (4.4.3.3) is refused.
    """
    if not isinstance(s, str) or _DURATION_RE.match(s) is None:
        return False
    if "." in s or "," in s:
        tail = _FRACTION_TAIL_RE.search(s)
        if tail is None or s.count(".") + s.count(",") != 1:
            return False
    return True


_TS_EXTENDED_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})"
    r"(?:[.,]([0-9]+))?)?)?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?\Z"
)
_TS_BASIC_RE = re.compile(
    r"([0-9]{4})([0-9]{2})([0-9]{2})[Tt]([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})"
    r"(?:[.,]([0-9]+))?)?)?(?:([Zz])|([+-])([0-9]{2})(?:([0-9]{2}))?)?\Z"
)
_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)


def parse_timestamp(s, version: str = "1.0.3", path: str = "timestamp") -> datetime:
    """Parse an ISO 8601 date-time into an aware UTC datetime, or raise StatementError.

    Accepted: the ISO 8601 extended or basic combined date-time format, with seconds, minutes
    or a decimal fraction of a second optional, ``T`` separator, and a time zone designator
    (``Z``, ``+hh:mm``, ``+hhmm`` or ``+hh``). The "unknown local offset" ``-00:00``
    (``-0000``, ``-00``) is refused. Under xAPI 1.0.x a missing time zone means UTC; under
    2.0.0 the time zone is required.
    """
    if not isinstance(s, str):
        raise _type_error(path, s, "an ISO 8601 timestamp string")
    match = _TS_EXTENDED_RE.match(s) or _TS_BASIC_RE.match(s)
    if match is None:
        raise StatementError(path, "must be an ISO 8601 date and time (e.g. 2024-05-04T17:00:00Z)")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if zulu is None and sign is None and _is_v2(version):
        raise StatementError(path, "must include a time zone offset (Z or +hh:mm) in xAPI 2.0")
    hour = int(hour)
    minute = int(minute) if minute else 0
    second = int(second) if second else 0
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    extra = None
    if hour == 24 and minute == 0 and second == 0 and micro == 0:
        hour, extra = 0, _ONE_DAY
    elif second == 60:
        second, extra = 59, _ONE_SECOND
    to_utc = None
    if sign is not None:
        off_hours = int(off_h)
        off_minutes = int(off_m) if off_m else 0
        if off_hours > 23 or off_minutes > 59:
            raise StatementError(path, "has an invalid time zone offset")
        if sign == "-" and off_hours == 0 and off_minutes == 0:
            raise StatementError(path, "must not use the unknown local offset -00:00")
        to_utc = timedelta(hours=off_hours, minutes=off_minutes)
        if sign == "+":
            to_utc = -to_utc
    try:
        result = datetime(int(year), int(month), int(day), hour, minute, second, micro, tzinfo=UTC)
        if extra is not None:
            result += extra
        if to_utc is not None:
            result += to_utc
    except (ValueError, OverflowError):
        raise StatementError(path, "must be a valid date and time (out of range)") from None
    return result


def _check_timestamp(value, path: str, v2: bool) -> None:
    parse_timestamp(value, "2.0.0" if v2 else "1.0.3", path)


# --------------------------------------------------------------------------------------------
# Language maps, extensions
# --------------------------------------------------------------------------------------------


def _check_language_map(value, path: str) -> None:
    if not isinstance(value, dict):
        raise _type_error(path, value, "a language map (an object of language tag: string)")
    for tag, text in value.items():
        if tag not in _LANG_CACHE and not is_language_tag(tag):
            raise StatementError(f'{path}["{tag}"]', "key must be an RFC 5646 language tag")
        if not isinstance(text, str):
            raise _type_error(f'{path}["{tag}"]', text, "a string")


def _check_extensions(value, path: str) -> None:
    if not isinstance(value, dict):
        raise _type_error(path, value, "an object of IRI: any JSON value")
    for key in value:
        if key not in _IRI_CACHE:
            _check_iri_cached(key, f'{path}["{key}"]', "an IRI (extension keys are IRIs)")


# --------------------------------------------------------------------------------------------
# Actors: Agents, Groups, inverse functional identifiers (Data 2.4.2)
# --------------------------------------------------------------------------------------------

_AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS = frozenset({"homePage", "name"})
_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_MBOX_RE = re.compile(
    r"mailto:[^\x00-\x20\x7f@<>()\[\],;:\\\"?#]+@"
    r"(?:[^\x00-\x20\x7f@<>()\[\],;:\\\"?#/.]+(?:\.[^\x00-\x20\x7f@<>()\[\],;:\\\"?#/.]+)*"
    r"|\[[^\x00-\x20\[\]\\]+\])\Z"
)
_SHA1_RE = re.compile(r"[0-9a-fA-F]{40}\Z")


def _check_ifis(value: dict, path: str, what: str) -> int:
    """Count the inverse functional identifiers (more than one is an error) and validate the one
    present; return the count (0 or 1)."""
    count = (
        ("mbox" in value) + ("mbox_sha1sum" in value) + ("openid" in value) + ("account" in value)
    )
    if count > 1:
        found = ", ".join(key for key in _IFI_KEYS if key in value)
        raise StatementError(
            path,
            f"{what} must have exactly one inverse functional identifier, found {count} ({found})",
        )
    if "mbox" in value:
        mbox = value["mbox"]
        if not isinstance(mbox, str):
            raise _type_error(_join(path, "mbox"), mbox, "a mailto: IRI string")
        if _MBOX_RE.match(mbox) is None:
            raise StatementError(
                _join(path, "mbox"), "must be a mailto: IRI with a valid e-mail address"
            )
    elif "mbox_sha1sum" in value:
        sha1 = value["mbox_sha1sum"]
        if not isinstance(sha1, str):
            raise _type_error(_join(path, "mbox_sha1sum"), sha1, "a string")
        if _SHA1_RE.match(sha1) is None:
            raise StatementError(
                _join(path, "mbox_sha1sum"), "must be a SHA-1 hash in hex (40 hex digits)"
            )
    elif "openid" in value:
        openid = value["openid"]
        _check_iri(openid, _join(path, "openid"), "an absolute URI")
        if not openid.isascii():
            raise StatementError(_join(path, "openid"), "must be a URI (ASCII characters only)")
    elif "account" in value:
        _check_account(value["account"], _join(path, "account"))
    return count


def _check_account(account, path: str) -> None:
    if not isinstance(account, dict):
        raise _type_error(path, account, "an account object")
    if not _ACCOUNT_KEYS.issuperset(account):
        raise _unknown_key(path, account, _ACCOUNT_KEYS, "an account")
    if "homePage" not in account:
        raise StatementError(_join(path, "homePage"), "is required in an account")
    if "name" not in account:
        raise StatementError(_join(path, "name"), "is required in an account")
    _check_iri_cached(account["homePage"], _join(path, "homePage"), "an IRL")
    _need_str(account["name"], _join(path, "name"))
    if "\x00" in account["name"]:  # it is part of the agent's key, which PostgreSQL must hold
        raise StatementError(_join(path, "name"), "must not contain a NUL character")


def validate_agent(value, path: str = "actor") -> None:
    """An Agent: optional objectType "Agent", optional name, exactly one IFI."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "an Agent object")
    if "objectType" in value and value["objectType"] != "Agent":
        raise _wrong_value(
            _join(path, "objectType"), value["objectType"], "must be 'Agent' for an Agent"
        )
    if not _AGENT_KEYS.issuperset(value):
        if "member" in value and "objectType" not in value:
            raise StatementError(
                _join(path, "objectType"), "is required (must be 'Group' for a Group)"
            )
        raise _unknown_key(path, value, _AGENT_KEYS, "an Agent")
    if "name" in value and not isinstance(value["name"], str):
        raise _type_error(_join(path, "name"), value["name"], "a string")
    if _check_ifis(value, path, "an Agent") == 0:
        raise StatementError(
            path,
            "an Agent must have exactly one inverse functional identifier "
            "(mbox, mbox_sha1sum, openid or account), found none",
        )


def validate_group(value, path: str = "actor") -> None:
    """A Group: objectType "Group"; anonymous (member required, no IFI) or identified
    (exactly one IFI, member optional); members are Agents, never Groups."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "a Group object")
    if value.get("objectType") != "Group":
        if "objectType" not in value:
            raise StatementError(_join(path, "objectType"), "is required (must be 'Group')")
        raise _wrong_value(
            _join(path, "objectType"), value["objectType"], "must be 'Group' for a Group"
        )
    if not _GROUP_KEYS.issuperset(value):
        raise _unknown_key(path, value, _GROUP_KEYS, "a Group")
    if "name" in value and not isinstance(value["name"], str):
        raise _type_error(_join(path, "name"), value["name"], "a string")
    identified = _check_ifis(value, path, "a Group")
    if "member" in value:
        members = value["member"]
        member_path = _join(path, "member")
        if not isinstance(members, list):
            raise _type_error(member_path, members, "an array of Agents")
        for index, member in enumerate(members):
            item_path = f"{member_path}[{index}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                raise StatementError(item_path, "a Group's members must be Agents, not Groups")
            validate_agent(member, item_path)
        if not identified and not members:
            raise StatementError(member_path, "an anonymous Group must list at least one member")
    elif not identified:
        raise StatementError(
            _join(path, "member"),
            "is required in an anonymous Group (a Group without an inverse functional identifier)",
        )


def _validate_actor(value, path: str) -> None:
    """An Agent or a Group (chosen by objectType)."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        validate_group(value, path)
    else:
        validate_agent(value, path)


def validate_agent_parameter(value, path: str = "agent") -> None:
    """The ``agent`` parameter of the State, Agent Profile and Agents resources: an Agent, or an
    identified Group (its identifier standing for it); never an anonymous Group."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        if not any(key in value for key in _IFI_KEYS):
            raise StatementError(
                path, "must be an Agent or an identified Group (an anonymous Group is not allowed)"
            )
        validate_group(value, path)
    else:
        validate_agent(value, path)


def inverse_functional_identifier(agent) -> str | None:
    """The canonical key of an Agent's or identified Group's inverse functional identifier.

    ``mbox:mailto:name@domain`` (domain lower-cased, as it is case-insensitive),
    ``mbox_sha1sum:<hex lowercase>``, ``openid:<iri>``, ``account:<homePage>|<name>``;
    None when there is none. Does not validate (call validate_agent first); with several
    identifiers the first of mbox, mbox_sha1sum, openid, account wins.
    """
    if not isinstance(agent, dict):
        return None
    mbox = agent.get("mbox")
    if isinstance(mbox, str):
        local, at, domain = mbox.rpartition("@")
        return f"mbox:{local}@{domain.lower()}" if at else f"mbox:{mbox}"
    sha1 = agent.get("mbox_sha1sum")
    if isinstance(sha1, str):
        return f"mbox_sha1sum:{sha1.lower()}"
    openid = agent.get("openid")
    if isinstance(openid, str):
        return f"openid:{openid}"
    account = agent.get("account")
    if isinstance(account, dict):
        home, name = account.get("homePage"), account.get("name")
        if isinstance(home, str) and isinstance(name, str):
            return f"account:{home}|{name}"
    return None


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
