"""The special data types of xAPI Data section 4 and the value formats built on them: UUIDs,
IRIs (with a bounded cache of identifiers already seen valid), RFC 5646 language tags
(cached the same way), ISO 8601 durations and timestamps, language maps and extensions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from xapi.validation._common import StatementError, _is_v2, _type_error

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
