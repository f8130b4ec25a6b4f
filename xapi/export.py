"""Bulk export of statements for analytics: streamed NDJSON (one statement per line, exactly
as stored) or CSV (one flat row per statement), with the statement resource's filters,
oldest first. Voided statements are left out, as in queries."""

import csv
import io
import json

from xapi import query as q

CHUNK = 1000
CSV_COLUMNS = [
    "id", "stored", "timestamp", "actor", "actor_name", "verb", "verb_display", "object_type",
    "object_id", "object_name", "registration", "parent", "grouping", "success", "completion",
    "score_scaled", "score_raw", "duration", "response", "authority",
]


def _first_value(language_map) -> str:
    return next(iter(language_map.values()), "") if isinstance(language_map, dict) else ""


def _ids(activities) -> str:
    if isinstance(activities, dict):
        activities = [activities]
    return " ".join(a.get("id", "") for a in activities or [])


def _agent(agent: dict) -> str:
    from xapi.validation import inverse_functional_identifier

    return inverse_functional_identifier(agent) or ("group:" + " ".join(
        inverse_functional_identifier(m) or "" for m in agent.get("member", [])))


def spreadsheet_safe(value):
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV injection advice);
    Pathway's own CSV exports use it too."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_row(statement: dict) -> list:
    """One statement as a flat row (CSV_COLUMNS); text that looks like a formula is quoted."""
    return [spreadsheet_safe(value) for value in _row(statement)]


def _row(statement: dict) -> list:
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    context = statement.get("context") or {}
    groups = context.get("contextActivities") or {}
    result = statement.get("result") or {}
    score = result.get("score") or {}
    return [
        statement["id"], statement.get("stored", ""), statement.get("timestamp", ""),
        _agent(statement["actor"]), statement["actor"].get("name", ""),
        statement["verb"]["id"], _first_value(statement["verb"].get("display")), kind,
        target.get("id") if kind in ("Activity", "StatementRef") else
        (_agent(target) if kind in ("Agent", "Group") else ""),
        _first_value((target.get("definition") or {}).get("name")),
        context.get("registration", ""), _ids(groups.get("parent")), _ids(groups.get("grouping")),
        result.get("success", ""), result.get("completion", ""), score.get("scaled", ""),
        score.get("raw", ""), result.get("duration", ""), result.get("response", ""),
        _agent(statement["authority"]) if statement.get("authority") else "",
    ]


def _texts(engine, query: q.Query, parse_time):
    query.ascending = True
    while True:
        with engine.connect() as connection:
            rows, after = q.run_query(connection, query, CHUNK, parse_time)
        for row in rows:
            yield row[1]
        if after is None:
            return
        query.after = after


def ndjson(engine, query: q.Query, parse_time):
    """Yield the export as NDJSON chunks."""
    for text in _texts(engine, query, parse_time):
        yield text + "\n"


def csv_lines(engine, query: q.Query, parse_time):
    """Yield the export as CSV chunks, a header line first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for text in _texts(engine, query, parse_time):
        writer.writerow(csv_row(json.loads(text)))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
