"""A learner's learning record as sentences people read: the xAPI statements of one
registration, newest first, each turned into what the learner (or their tutor, or a verifier)
did, e.g. "Watched 'Capable environments' film to the end, 42 min".

- `completed` on a film: "Watched 'X' film to the end, 42 min"; on a reading: "Read 'X'";
  on anything else: "Completed 'X'" (with the time it took, when the statement says).
- `attended`: "Attended 'X', 55 min".
- `launched`, `initialized`, `attempted`: "Started 'X'" ('X' film, reading 'X');
  `resumed`: "Came back to 'X'".
- time on an activity (`progressed`, `experienced`, and the Video Profile's `played`,
  `paused`, `seeked`): one line for each run of them on one activity, with the time they
  add up to: "Watched part of 'X' film, 12 min", "Read part of 'X', 8 min, up to 60%".
- `submit`: "Submitted evidence for 'Y'"; `passed` / `failed` with an instructor (the
  tutor's decision): "Tutor judged 'Y': all criteria met" / "... not yet met (2 of 5
  criteria met)"; without one: "Passed 'Y'" / "Did not pass 'Y'".
- `reviewed` (internal verification of a decision): "Internal verifier agreed with the
  decision on 'Y'" / "... asked for action on the decision on 'Y'".
- `voided` statements, and leaving an activity (`terminated`, `suspended`, `exited`), are
  left out: they add nothing a person needs to read. Any other verb: its display ("Answered
  'X'").

Titles come from the catalogue (activities matched by IRI), else from the statement's own
activity definition. The functions that turn statements into sentences are pure; only
`learner_timeline` reads the LRS and the catalogue.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from activities.base import duration_seconds
from lms.web.format import duration_words

ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"
SUBMIT = "http://activitystrea.ms/schema/1.0/submit"
REVIEWED = "http://id.tincanapi.com/verb/reviewed"
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"

STARTED = {ADL + "launched", ADL + "initialized", ADL + "attempted"}
TIME_SPENT = {ADL + "progressed", ADL + "experienced", VIDEO + "played", VIDEO + "paused",
              VIDEO + "seeked"}
SKIPPED = {ADL + "voided", ADL + "terminated", ADL + "suspended", ADL + "exited"}

# Activity types as the statements' definitions name them (when the catalogue does not know
# the activity).
XAPI_TYPES = {
    "https://w3id.org/xapi/video/activity-type/video": "film",
    "http://id.tincanapi.com/activitytype/document": "reading",
    "http://adlnet.gov/expapi/activities/meeting": "tutorial",
    "http://id.tincanapi.com/activitytype/webinar": "webinar",
    "http://adlnet.gov/expapi/activities/assessment": "assessment",
}
# A catalogue title such as "Film: A calmer day" reads "Watched 'A calmer day' film".
TITLE_PREFIXES = {"film": "film:", "reading": "reading:"}
SAME_START = timedelta(minutes=10)  # `launched` then `initialized`: one start, not two


@dataclass(frozen=True)
class Known:
    """What the catalogue says of an activity: its title and type name."""

    title: str
    type: str


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, and what happened in words."""

    when: datetime
    sentence: str
    statement_id: str


def _first(language_map) -> str:
    if not isinstance(language_map, dict) or not language_map:
        return ""
    for tag in ("en-GB", "en", "en-US", "und"):
        if language_map.get(tag):
            return str(language_map[tag])
    return str(next(iter(language_map.values())))


def _target(statement: dict) -> dict:
    """The activity a statement is about: its object, or, for a statement about another
    statement (a verifier's review), the activity named in its context."""
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        return target
    groups = (statement.get("context") or {}).get("contextActivities") or {}
    for activity in groups.get("other") or []:
        return activity
    return {}


def describe_activity(activity: dict, known: dict[str, Known]) -> tuple[str, str]:
    """(title, kind) of an activity object: the catalogue's title and type when it knows the
    IRI, else the statement's own name and type. A "Film: " or "Reading: " prefix goes, since
    the sentence says so."""
    found = known.get(activity.get("id", ""))
    definition = activity.get("definition") or {}
    if found is not None:
        title, kind = found.title, found.type
    else:
        title = _first(definition.get("name")) or activity.get("id", "an activity")
        kind = XAPI_TYPES.get(definition.get("type", ""), "")
    prefix = TITLE_PREFIXES.get(kind)
    if prefix and title.lower().startswith(prefix) and title[len(prefix):].strip():
        title = title[len(prefix):].strip()
    return title, kind


def _with_time(text: str, seconds: float) -> str:
    return f"{text}, {duration_words(seconds)}" if seconds >= 30 else text


def _extension(result: dict, name: str):
    """A result extension of Pathway's, whatever the site's base URL."""
    for key, value in ((result.get("extensions") or {}).items()):
        if key.endswith(f"/xapi/extensions/{name}"):
            return value
    return None


def _verb_words(verb: dict) -> str:
    words = _first(verb.get("display")) or verb.get("id", "").rstrip("/").rsplit("/", 1)[-1]
    return words[:1].upper() + words[1:] if words else "Did"


def _judged(title: str, statement: dict, met: bool) -> str:
    if met:
        return f"Tutor judged '{title}': all criteria met"
    criteria = _extension(statement.get("result") or {}, "criteria")
    if isinstance(criteria, list) and criteria:
        count = sum(1 for item in criteria
                    if isinstance(item, dict) and item.get("decision") == "met")
        return (f"Tutor judged '{title}': not yet met ({count} of {len(criteria)} criteria "
                "met)")
    return f"Tutor judged '{title}': not yet met"


def _score(result: dict) -> str:
    scaled = (result.get("score") or {}).get("scaled")
    if isinstance(scaled, int | float) and not isinstance(scaled, bool):
        return f", scoring {round(scaled * 100)}%"
    return ""


def sentence(statement: dict, known: dict[str, Known]) -> str | None:
    """One statement in words, or None for one that is left out (voided, leaving, or time
    on an activity, which `timeline` sums up instead)."""
    verb = (statement.get("verb") or {}).get("id", "")
    if verb in SKIPPED or verb in TIME_SPENT:
        return None
    title, kind = describe_activity(_target(statement), known)
    result = statement.get("result") or {}
    seconds = duration_seconds(statement)
    instructed = bool((statement.get("context") or {}).get("instructor"))
    if verb in (ADL + "completed", "https://w3id.org/xapi/adl/verbs/satisfied"):
        if kind == "film":
            return _with_time(f"Watched '{title}' film to the end", seconds)
        if kind == "reading":
            return _with_time(f"Read '{title}'", seconds)
        return _with_time(f"Completed '{title}'", seconds)
    if verb == ADL + "attended":
        return _with_time(f"Attended '{title}'", seconds)
    if verb in STARTED:
        if kind == "film":
            return f"Started '{title}' film"
        if kind == "reading":
            return f"Started reading '{title}'"
        return f"Started '{title}'"
    if verb == ADL + "resumed":
        return f"Came back to '{title}'"
    if verb == SUBMIT:
        attempt = _extension(result, "attempt")
        again = f" (attempt {attempt})" if isinstance(attempt, int) and attempt > 1 else ""
        return f"Submitted evidence for '{title}'{again}"
    if verb == ADL + "passed":
        return _judged(title, statement, True) if instructed else \
            f"Passed '{title}'{_score(result)}"
    if verb == ADL + "failed":
        return _judged(title, statement, False) if instructed else \
            f"Did not pass '{title}'{_score(result)}"
    if verb == REVIEWED:
        if result.get("success") is False:
            return f"Internal verifier asked for action on the decision on '{title}'"
        return f"Internal verifier agreed with the decision on '{title}'"
    return f"{_verb_words(statement.get('verb') or {})} '{title}'"


def _time_spent(run: list[dict], known: dict[str, Known]) -> str:
    """A run of time-on-activity statements (one activity) in one sentence."""
    title, kind = describe_activity(_target(run[0]), known)
    seconds = sum(duration_seconds(s) for s in run)
    reached = [value for s in run
               if isinstance(value := ((s.get("result") or {}).get("extensions") or {})
                             .get(PROGRESS_EXTENSION), int | float)
               and not isinstance(value, bool)]
    if kind == "film":
        text = _with_time(f"Watched part of '{title}' film", seconds)
    elif kind == "reading":
        text = _with_time(f"Read part of '{title}'", seconds)
        if reached:
            text += f", up to {round(max(0, min(100, max(reached))))}%"
    else:
        text = f"Spent {duration_words(seconds)} on '{title}'" if seconds >= 30 \
            else f"Worked on '{title}'"
    return text


def statement_time(statement: dict) -> datetime | None:
    """The statement's timestamp (else when it was stored) as an aware datetime."""
    from xapi.service import statement_time as parse

    for key in ("timestamp", "stored"):
        value = statement.get(key)
        if not isinstance(value, str):
            continue
        try:  # the usual forms at once; anything else through the LRS's own parser
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                return moment.astimezone(UTC)
        except ValueError:
            pass
        try:
            return parse(value)
        except ValueError:  # the LRS stores valid ones; a bad one hides one line
            pass
    return None


def timeline(statements: list[dict], known: dict[str, Known],
             limit: int | None = None) -> list[Entry]:
    """The statements as timeline entries, newest first: sentences, with each run of
    time-on-activity statements on one activity summed into one line, and a start recorded
    twice in a row (Pathway's `launched`, the content's `initialized`) shown once."""
    dated = [(when, s) for s in statements if (when := statement_time(s)) is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    entries: list[Entry] = []
    run: list[tuple[datetime, dict]] = []

    def close_run():
        if run:
            entries.append(Entry(run[0][0], _time_spent([s for _, s in run], known),
                                 run[0][1].get("id", "")))
            run.clear()

    for when, statement in dated:
        verb = (statement.get("verb") or {}).get("id", "")
        if verb in TIME_SPENT:
            if run and _target(run[0][1]).get("id") != _target(statement).get("id"):
                close_run()
            run.append((when, statement))
            continue
        if verb in SKIPPED:
            continue  # leaving does not break a run of time on the same activity
        close_run()
        text = sentence(statement, known)
        if text is None:
            continue
        if entries and verb in STARTED and entries[-1].sentence == text and \
                entries[-1].when - when <= SAME_START:
            continue
        entries.append(Entry(when, text, statement.get("id", "")))
        if limit is not None and len(entries) >= limit:
            return entries
    close_run()
    return entries if limit is None else entries[:limit]


# ---- reading the learning record -------------------------------------------------------------

PAGE = 200
MOST_STATEMENTS = 800  # read at most this many statements for one timeline (page speed)


def registration_pages(registration: str, page: int = PAGE):
    """The statements (not voided) of a registration, newest stored first, a page at a time,
    through the LRS's own query (in-process, as the statements resource reads them)."""
    import json

    from flask import current_app

    from xapi.query import Query, run_query
    from xapi.validation import parse_timestamp

    query = Query(registration=registration)
    engine = current_app.extensions["xapi"].engine
    while True:
        with engine.connect() as connection:
            rows, after = run_query(connection, query, page,
                                    lambda value: parse_timestamp(value, "1.0.3"))
        yield [json.loads(text) for _, text, _ in rows]
        if after is None:
            return
        query.after = after


def catalogue_activities(statements: list[dict]) -> dict[str, Known]:
    """The catalogue's title and type of every activity the statements name, by IRI (one
    query)."""
    from lms.catalogue.iris import activity_iri
    from lms.catalogue.models import Activity
    from lms.extensions import db

    iris = {_target(s).get("id") for s in statements} - {None}
    slugs = {iri.rstrip("/").rsplit("/", 1)[-1] for iri in iris if "/activities/" in iri}
    if not slugs:
        return {}
    rows = db.session.execute(db.select(Activity).where(Activity.slug.in_(slugs))).scalars()
    return {activity_iri(a): Known(a.title, a.type) for a in rows if activity_iri(a) in iris}


def rough_lines(statements: list[dict]) -> int:
    """About how many lines these statements (in stored order) make, without reading their
    times or durations: never fewer than half the lines `timeline` makes of them (a start
    recorded twice counts twice)."""
    lines, run = 0, None
    for statement in statements:
        verb = (statement.get("verb") or {}).get("id", "")
        if verb in SKIPPED:
            continue
        if verb in TIME_SPENT:
            target = _target(statement).get("id")
            if target != run:
                lines, run = lines + 1, target
            continue
        lines, run = lines + 1, None
    return lines


def learner_timeline(enrolment, limit: int = 100) -> list[Entry]:
    """The newest `limit` lines of the timeline of an enrolment's registration (reading
    statements until they surely make more lines than that, or MOST_STATEMENTS were
    read)."""
    statements: list[dict] = []
    lines = 0
    for page in registration_pages(enrolment.registration):
        statements.extend(page)
        lines += rough_lines(page)
        # More than twice the lines: the oldest line shown may be a run that continues.
        if lines > 2 * limit + 2 or len(statements) >= MOST_STATEMENTS:
            break
    return timeline(statements, catalogue_activities(statements), limit)
