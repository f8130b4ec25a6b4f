"""The SCORM run-time data models (1.2 and 2004 4th edition) as the server checks them.

The JavaScript runtime applies every rule of the data model as the SCO calls `SetValue` (with
the standard error codes); the server checks again what matters for what it stores: that each
element is one the version defines, that the SCO may write it, and that its value has the
element's type, vocabulary, range and size. Collections (`cmi.interactions.n...`) must grow
one entry at a time (index n = the current count), and in SCORM 2004 a new entry starts with
its `id`. Pathway stores at most `COLLECTION_LIMIT` entries in a collection (the
specification's smallest permitted maximums are lower: 250 interactions, 100 objectives).

The element table: each `Element` is a dot-notation pattern (`n` for an index), its access
(`r`, `w` or `rw`), its type (`kind`) and, by kind, its size limit, range or vocabulary.
`session` elements (exit, session_time, adl.nav.request) belong to one session and are never
kept in the attempt's stored data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

VERSIONS = ("1.2", "2004")
COLLECTION_LIMIT = 1000   # entries of one collection Pathway keeps (>= every SPM)
PATTERN_LIMIT = 64000     # learner responses and correct-response patterns (any type)


@dataclass(frozen=True)
class Element:
    """One element (or family of indexed elements) of a data model."""

    pattern: str
    access: str                      # "r", "w" or "rw"
    kind: str = "string"             # see CHECKS
    limit: int | None = None         # most characters (strings)
    vocabulary: tuple[str, ...] = ()
    minimum: float | None = None     # range of numbers
    maximum: float | None = None
    session: bool = False            # belongs to one session: not kept in the stored data

    @property
    def writable(self) -> bool:
        return "w" in self.access


def _vocab(pattern, access, *words, session=False) -> Element:
    return Element(pattern, access, "vocabulary", vocabulary=words, session=session)


STATUS_12 = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
INTERACTION_TYPES_12 = ("true-false", "choice", "fill-in", "matching", "performance",
                        "sequencing", "likert", "numeric")
INTERACTION_TYPES_2004 = ("true-false", "choice", "fill-in", "long-fill-in", "likert",
                          "matching", "performance", "sequencing", "numeric", "other")

ELEMENTS_12: tuple[Element, ...] = (
    Element("cmi._version", "r"),
    Element("cmi.core._children", "r"),
    Element("cmi.core.student_id", "r"),
    Element("cmi.core.student_name", "r"),
    Element("cmi.core.lesson_location", "rw", limit=255),
    Element("cmi.core.credit", "r"),
    # The SCO may set every status but "not attempted" (that one only the LMS gives).
    _vocab("cmi.core.lesson_status", "rw", *STATUS_12[:-1]),
    Element("cmi.core.entry", "r"),
    Element("cmi.core.score._children", "r"),
    Element("cmi.core.score.raw", "rw", "score12", minimum=0, maximum=100),
    Element("cmi.core.score.min", "rw", "score12", minimum=0, maximum=100),
    Element("cmi.core.score.max", "rw", "score12", minimum=0, maximum=100),
    Element("cmi.core.total_time", "r"),
    Element("cmi.core.lesson_mode", "r"),
    _vocab("cmi.core.exit", "w", "time-out", "suspend", "logout", "", session=True),
    Element("cmi.core.session_time", "w", "timespan12", session=True),
    Element("cmi.suspend_data", "rw", limit=4096),
    Element("cmi.launch_data", "r"),
    Element("cmi.comments", "rw", limit=4096),
    Element("cmi.comments_from_lms", "r"),
    Element("cmi.objectives._children", "r"),
    Element("cmi.objectives._count", "r"),
    Element("cmi.objectives.n.id", "rw", "identifier12", limit=255),
    Element("cmi.objectives.n.score._children", "r"),
    Element("cmi.objectives.n.score.raw", "rw", "score12", minimum=0, maximum=100),
    Element("cmi.objectives.n.score.min", "rw", "score12", minimum=0, maximum=100),
    Element("cmi.objectives.n.score.max", "rw", "score12", minimum=0, maximum=100),
    _vocab("cmi.objectives.n.status", "rw", *STATUS_12),
    Element("cmi.student_data._children", "r"),
    Element("cmi.student_data.mastery_score", "r"),
    Element("cmi.student_data.max_time_allowed", "r"),
    Element("cmi.student_data.time_limit_action", "r"),
    Element("cmi.student_preference._children", "r"),
    Element("cmi.student_preference.audio", "rw", "integer", minimum=-1, maximum=100),
    Element("cmi.student_preference.language", "rw", limit=255),
    Element("cmi.student_preference.speed", "rw", "integer", minimum=-100, maximum=100),
    Element("cmi.student_preference.text", "rw", "integer", minimum=-1, maximum=1),
    Element("cmi.interactions._children", "r"),
    Element("cmi.interactions._count", "r"),
    Element("cmi.interactions.n.id", "w", "identifier12", limit=255),
    Element("cmi.interactions.n.objectives._count", "r"),
    Element("cmi.interactions.n.objectives.n.id", "w", "identifier12", limit=255),
    Element("cmi.interactions.n.time", "w", "time12"),
    _vocab("cmi.interactions.n.type", "w", *INTERACTION_TYPES_12),
    Element("cmi.interactions.n.correct_responses._count", "r"),
    Element("cmi.interactions.n.correct_responses.n.pattern", "w", limit=255),
    Element("cmi.interactions.n.weighting", "w", "decimal"),
    Element("cmi.interactions.n.student_response", "w", limit=255),
    Element("cmi.interactions.n.result", "w", "result12"),
    Element("cmi.interactions.n.latency", "w", "timespan12"),
)

ELEMENTS_2004: tuple[Element, ...] = (
    Element("cmi._version", "r"),
    Element("cmi.comments_from_learner._children", "r"),
    Element("cmi.comments_from_learner._count", "r"),
    Element("cmi.comments_from_learner.n.comment", "rw", "localized", limit=4000),
    Element("cmi.comments_from_learner.n.location", "rw", limit=250),
    Element("cmi.comments_from_learner.n.timestamp", "rw", "timestamp"),
    Element("cmi.comments_from_lms._children", "r"),
    Element("cmi.comments_from_lms._count", "r"),
    Element("cmi.comments_from_lms.n.comment", "r"),
    Element("cmi.comments_from_lms.n.location", "r"),
    Element("cmi.comments_from_lms.n.timestamp", "r"),
    _vocab("cmi.completion_status", "rw", "completed", "incomplete", "not attempted",
           "unknown"),
    Element("cmi.completion_threshold", "r"),
    Element("cmi.credit", "r"),
    Element("cmi.entry", "r"),
    _vocab("cmi.exit", "w", "time-out", "suspend", "logout", "normal", "", session=True),
    Element("cmi.interactions._children", "r"),
    Element("cmi.interactions._count", "r"),
    Element("cmi.interactions.n.id", "rw", "long_identifier", limit=4000),
    _vocab("cmi.interactions.n.type", "rw", *INTERACTION_TYPES_2004),
    Element("cmi.interactions.n.objectives._count", "r"),
    Element("cmi.interactions.n.objectives.n.id", "rw", "long_identifier", limit=4000),
    Element("cmi.interactions.n.timestamp", "rw", "timestamp"),
    Element("cmi.interactions.n.correct_responses._count", "r"),
    Element("cmi.interactions.n.correct_responses.n.pattern", "rw", limit=PATTERN_LIMIT),
    Element("cmi.interactions.n.weighting", "rw", "real"),
    Element("cmi.interactions.n.learner_response", "rw", limit=PATTERN_LIMIT),
    Element("cmi.interactions.n.result", "rw", "result2004"),
    Element("cmi.interactions.n.latency", "rw", "interval"),
    Element("cmi.interactions.n.description", "rw", "localized", limit=250),
    Element("cmi.launch_data", "r"),
    Element("cmi.learner_id", "r"),
    Element("cmi.learner_name", "r"),
    Element("cmi.learner_preference._children", "r"),
    Element("cmi.learner_preference.audio_level", "rw", "real", minimum=0),
    Element("cmi.learner_preference.language", "rw", "language"),
    Element("cmi.learner_preference.delivery_speed", "rw", "real", minimum=0),
    _vocab("cmi.learner_preference.audio_captioning", "rw", "-1", "0", "1"),
    Element("cmi.location", "rw", limit=1000),
    Element("cmi.max_time_allowed", "r"),
    Element("cmi.mode", "r"),
    Element("cmi.objectives._children", "r"),
    Element("cmi.objectives._count", "r"),
    Element("cmi.objectives.n.id", "rw", "long_identifier", limit=4000),
    Element("cmi.objectives.n.score._children", "r"),
    Element("cmi.objectives.n.score.scaled", "rw", "real", minimum=-1, maximum=1),
    Element("cmi.objectives.n.score.raw", "rw", "real"),
    Element("cmi.objectives.n.score.min", "rw", "real"),
    Element("cmi.objectives.n.score.max", "rw", "real"),
    _vocab("cmi.objectives.n.success_status", "rw", "passed", "failed", "unknown"),
    _vocab("cmi.objectives.n.completion_status", "rw", "completed", "incomplete",
           "not attempted", "unknown"),
    Element("cmi.objectives.n.progress_measure", "rw", "real", minimum=0, maximum=1),
    Element("cmi.objectives.n.description", "rw", "localized", limit=250),
    Element("cmi.progress_measure", "rw", "real", minimum=0, maximum=1),
    Element("cmi.scaled_passing_score", "r"),
    Element("cmi.score._children", "r"),
    Element("cmi.score.scaled", "rw", "real", minimum=-1, maximum=1),
    Element("cmi.score.raw", "rw", "real"),
    Element("cmi.score.min", "rw", "real"),
    Element("cmi.score.max", "rw", "real"),
    Element("cmi.session_time", "w", "interval", session=True),
    _vocab("cmi.success_status", "rw", "passed", "failed", "unknown"),
    Element("cmi.suspend_data", "rw", limit=64000),
    Element("cmi.time_limit_action", "r"),
    Element("cmi.total_time", "r"),
    Element("adl.nav.request", "rw", "nav_request", session=True),
    Element("adl.nav.request_valid.continue", "r"),
    Element("adl.nav.request_valid.previous", "r"),
    Element("adl.nav.request_valid.choice", "r"),
    Element("adl.nav.request_valid.jump", "r"),
    Element("adl.data._children", "r"),
    Element("adl.data._count", "r"),
    Element("adl.data.n.id", "r"),
    Element("adl.data.n.store", "rw", limit=64000),
)

TABLES = {"1.2": {e.pattern: e for e in ELEMENTS_12},
          "2004": {e.pattern: e for e in ELEMENTS_2004}}

# Collections: the pattern of the collection (without its index) and the child that must be
# set first in a new entry (SCORM 2004 error 408; SCORM 1.2 has no such rule).
COLLECTIONS_FIRST_2004 = {
    "cmi.interactions": "id",
    "cmi.objectives": "id",
    "cmi.interactions.n.objectives": "id",
    "cmi.interactions.n.correct_responses": "pattern",
}

# -- value types ------------------------------------------------------------------------------

DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
INTEGER = re.compile(r"^-?\d+$")
TIMESPAN_12 = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
INTERVAL = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                      r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
TIMESTAMP = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
                       r"(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d+)?)?)?"
                       r"(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?$")
LANGUAGE = re.compile(r"^$|^([A-Za-z]{1,8}|i|x)(-[A-Za-z0-9]{1,8})*$")
LOCALIZED = re.compile(r"^\{lang=([A-Za-z]{1,8}|i|x)(-[A-Za-z0-9]{1,8})*\}")
NAV_REQUEST = re.compile(r"^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|"
                         r"_none_|\{target=[^{}\s]+\}(choice|jump))$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RESULT_12 = ("correct", "wrong", "unanticipated", "neutral")
RESULT_2004 = ("correct", "incorrect", "unanticipated", "neutral")


def _number(value: str, element: Element, pattern=DECIMAL, what="a decimal number"):
    if not pattern.match(value):
        return f"must be {what}, not {value[:40]!r}"
    number = float(value)
    if not math.isfinite(number):
        return f"must be {what}"
    if element.minimum is not None and number < element.minimum:
        return _range(element)
    if element.maximum is not None and number > element.maximum:
        return _range(element)
    return None


def _range(element: Element) -> str:
    if element.maximum is None:
        return f"must be at least {element.minimum:g}"
    return f"must be between {element.minimum:g} and {element.maximum:g}"


def _check_value(element: Element, value: str) -> str | None:
    """What is wrong with `value` for `element` (None when it fits)."""
    kind = element.kind
    text = LOCALIZED.sub("", value, count=1) if kind == "localized" else value
    if element.limit is not None and len(text) > element.limit:
        return f"is {len(text)} characters long; at most {element.limit} are kept"
    if kind == "string":
        return None
    if kind == "vocabulary":
        if value not in element.vocabulary:
            shown = ", ".join(repr(word) for word in element.vocabulary)
            return f"must be one of {shown}, not {value[:40]!r}"
        return None
    if kind in ("real", "decimal"):
        return _number(value, element)
    if kind == "score12":  # a decimal from 0 to 100, or blank (CMIDecimal or CMIBlank)
        return None if value == "" else _number(value, element)
    if kind == "integer":
        return _number(value, element, INTEGER, "a whole number")
    if kind == "timespan12":
        return None if TIMESPAN_12.match(value) else \
            f"must be a time span HHHH:MM:SS.SS, not {value[:40]!r}"
    if kind == "time12":
        return None if TIME_12.match(value) else \
            f"must be a time of day HH:MM:SS, not {value[:40]!r}"
    if kind == "interval":
        return None if interval_seconds(value) is not None else \
            f"must be an ISO 8601 duration such as PT1H30M5S, of at most a century, " \
            f"not {value[:40]!r}"
    if kind == "timestamp":
        return None if TIMESTAMP.match(value) else \
            f"must be an ISO 8601 time such as 2026-01-31T09:30:00Z, not {value[:40]!r}"
    if kind == "language":
        return None if LANGUAGE.match(value) else \
            f"must be a language code such as en-GB, not {value[:40]!r}"
    if kind == "localized":
        return None
    if kind == "identifier12":
        return "must not contain control characters" if CONTROL.search(value) else None
    if kind == "long_identifier":
        if not value.strip():
            return "must not be empty"
        return "must not contain control characters" if CONTROL.search(value) else None
    if kind == "result12":
        return None if value in RESULT_12 or DECIMAL.match(value) else \
            f"must be one of 'correct', 'wrong', 'unanticipated', 'neutral' or a number, " \
            f"not {value[:40]!r}"
    if kind == "result2004":
        return None if value in RESULT_2004 or DECIMAL.match(value) else \
            f"must be one of 'correct', 'incorrect', 'unanticipated', 'neutral' or a " \
            f"number, not {value[:40]!r}"
    if kind == "nav_request":
        return None if NAV_REQUEST.match(value) else \
            f"must be a navigation request such as 'continue', not {value[:40]!r}"
    raise AssertionError(f"unknown element kind {kind}")  # pragma: no cover


# -- names ------------------------------------------------------------------------------------

SEGMENT = re.compile(r"^(0|[1-9]\d{0,5})$")


def pattern_of(name: str) -> tuple[str, list[int]]:
    """The element pattern of `name` ("cmi.interactions.3.id" -> "cmi.interactions.n.id")
    and its indexes ([3])."""
    parts, indexes = [], []
    for part in name.split("."):
        if SEGMENT.match(part):
            parts.append("n")
            indexes.append(int(part))
        else:
            parts.append(part)
    return ".".join(parts), indexes


def element_of(version: str, name: str) -> Element | None:
    """The element `name` is in `version`'s data model, or None."""
    pattern, _ = pattern_of(name)
    return TABLES[version].get(pattern)


def _entries(cmi: dict, prefix: str) -> set[int]:
    """The indexes of the entries the collection `prefix` (e.g. "cmi.interactions.2
    .objectives") holds in `cmi`."""
    found = set()
    start = prefix + "."
    for key in cmi:
        if key.startswith(start):
            head = key[len(start):].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return found


def collection_count(cmi: dict, prefix: str) -> int:
    """How many entries the collection `prefix` has in `cmi` (entries are kept contiguous)."""
    return len(_entries(cmi, prefix))


class Entries:
    """Which collection entries a `cmi` map holds ("cmi.interactions.0",
    "cmi.interactions.0.objectives.1", ...), so each value of a commit is checked in constant
    time instead of by scanning every stored key (quadratic in a large commit). Keep it up to
    date with `add` as values are stored."""

    def __init__(self, cmi: dict):
        self.present: set[str] = set()
        for key in cmi:
            self.add(key)

    def add(self, name: str) -> None:
        parts = name.split(".")
        for position, part in enumerate(parts):
            if SEGMENT.match(part):
                self.present.add(".".join(parts[:position + 1]))

    def count(self, prefix: str) -> int:
        """The entries of `prefix` (kept contiguous from 0)."""
        count = 0
        while f"{prefix}.{count}" in self.present:
            count += 1
        return count


def _check_collections(version: str, name: str, cmi: dict,
                       entries: Entries | None = None) -> str | None:
    """The collection rules for `name`: each index at most the collection's current count,
    and (2004) a new entry begins with its id."""
    parts = name.split(".")
    for position, part in enumerate(parts):
        if not SEGMENT.match(part):
            continue
        prefix = ".".join(parts[:position])
        index = int(part)
        if entries is not None:  # present up to index - 1 is all the rules need to know
            count = index + 1 if f"{prefix}.{index}" in entries.present else (
                index if index == 0 or f"{prefix}.{index - 1}" in entries.present
                else entries.count(prefix))
        else:
            count = collection_count(cmi, prefix)
        if index > count:
            return (f"index {index} skips entries: {prefix} has {count}, so the next new "
                    f"entry is {prefix}.{count}")
        if index == count:
            if count >= COLLECTION_LIMIT:
                return f"{prefix} already holds {count} entries, the most Pathway keeps"
            child = ".".join(parts[position + 1:])
            first = COLLECTIONS_FIRST_2004.get(pattern_of(prefix)[0])
            if version == "2004" and first is not None and child != first:
                return (f"{prefix}.{index} is a new entry: set {prefix}.{index}.{first} "
                        "before its other elements")
    return None


def check(version: str, name: str, value, cmi: dict,
          entries: Entries | None = None) -> str | None:
    """What is wrong with the SCO setting `name` to `value`, given the data stored so far
    (`cmi`), or None when the server may store it."""
    if not isinstance(name, str) or not name:
        return "the element name must be a non-empty string"
    if not isinstance(value, str):
        return "the value must be a string (SCORM values are strings)"
    element = element_of(version, name)
    if element is None:
        if name.endswith("._count") or name.endswith("._children") or \
                name.endswith("._version"):
            return "is read-only"
        return f"is not an element of the SCORM {version} data model"
    if not element.writable:
        return "is read-only"
    if "\x00" in value:
        return "must not contain NUL characters"
    return _check_value(element, value) or _check_collections(version, name, cmi, entries)


# -- times ------------------------------------------------------------------------------------

def timespan_seconds(value: str) -> float | None:
    """Seconds of a SCORM 1.2 CMITimespan (HHHH:MM:SS.SS), or None."""
    found = TIMESPAN_12.match(value or "")
    if not found:
        return None
    hours, minutes, seconds, fraction = found.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + float(fraction or 0)


MAX_INTERVAL_SECONDS = 100 * 365 * 24 * 3600


def interval_seconds(value: str) -> float | None:
    """Seconds of a SCORM 2004 timeinterval (ISO 8601 duration, e.g. PT1H2M3.5S), or None.
    Years and months count as 365 and 30 days, as SCORM's own conformance tools do."""
    found = INTERVAL.match(value or "")
    if not found or value in ("P", "PT") or value.endswith("T"):
        return None
    years, months, days, hours, minutes, seconds = (float(g or 0) for g in found.groups())
    total = ((((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60
             + seconds)
    # A duration of more than a century is no one's time on a SCO (and one of 400 digits
    # would not fit a number): refused as a wrong value, never a failure of the server.
    return total if math.isfinite(total) and total <= MAX_INTERVAL_SECONDS else None


def session_seconds(version: str, value: str) -> float | None:
    """Seconds of a session_time value of `version`."""
    return timespan_seconds(value) if version == "1.2" else interval_seconds(value)


def format_timespan(seconds: float) -> str:
    """SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours capped at 9999)."""
    centiseconds = round(max(seconds, 0.0) * 100)
    hours, rest = divmod(centiseconds, 360000)
    minutes, rest = divmod(rest, 6000)
    whole, hundredths = divmod(rest, 100)
    if hours > 9999:
        return "9999:59:59.99"
    return f"{hours:04d}:{minutes:02d}:{whole:02d}.{hundredths:02d}"


def format_interval(seconds: float) -> str:
    """An ISO 8601 duration with hours, minutes and seconds (PT1H2M3.5S; PT0S for none)."""
    centiseconds = round(max(seconds, 0.0) * 100)
    hours, rest = divmod(centiseconds, 360000)
    minutes, rest = divmod(rest, 6000)
    whole, hundredths = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if hundredths:
        text += f"{whole}.{hundredths:02d}".rstrip("0") + "S"
    elif whole or text == "PT":
        text += f"{whole}S"
    return text


def format_total_time(version: str, seconds: float) -> str:
    """cmi.core.total_time (1.2) or cmi.total_time (2004) for `seconds`."""
    return format_timespan(seconds) if version == "1.2" else format_interval(seconds)
