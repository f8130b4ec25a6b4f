"""The statements Pathway (the LMS) records for a cmi5 course: `launched`, `abandoned` and
`waived` about an AU, `satisfied` about a block or the course. Each carries the cmi5 context
the specification asks for: the registration, the cmi5 category (and the moveon category
when the result has success or completion), the publisher's id of the object in
`contextActivities.grouping`, and the session id extension."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from activities.cmi5 import vocab


def _timestamp(when: datetime | None) -> str:
    moment = (when or datetime.now(UTC)).astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def au_object(au: dict) -> dict:
    """An AU as a statement's object: its LMS activity id, with its title (and activity type
    when cmi5.xml gives one)."""
    definition = {"name": {"en-GB": au["title"]}}
    if au.get("description"):
        definition["description"] = {"en-GB": au["description"]}
    if au.get("activity_type"):
        definition["type"] = au["activity_type"]
    return {"objectType": "Activity", "id": au["lms_id"], "definition": definition}


def block_object(block: dict) -> dict:
    """A block as the object of a `satisfied` statement (definition type cmi5 block)."""
    return {"objectType": "Activity", "id": block["lms_id"],
            "definition": {"name": {"en-GB": block["title"]}, "type": vocab.BLOCK_TYPE}}


def course_object(course: dict) -> dict:
    """The course as the object of a `satisfied` statement (definition type cmi5 course)."""
    return {"objectType": "Activity", "id": course["lms_id"],
            "definition": {"name": {"en-GB": course["title"]}, "type": vocab.COURSE_TYPE}}


def context_template(registration: str, session_id: str, publisher_id: str) -> dict:
    """The context every cmi5 statement of a session starts from (the `contextTemplate` of
    `LMS.LaunchData`): the session id and the AU's publisher id as grouping."""
    return {"registration": registration,
            "contextActivities": {"grouping": [{"objectType": "Activity",
                                                "id": publisher_id}]},
            "extensions": {vocab.SESSION_ID: session_id}}


def cmi5_statement(*, actor: dict, verb: str, target: dict, registration: str,
                   session_id: str, publisher_id: str, result: dict | None = None,
                   extensions: dict | None = None, instructor: dict | None = None,
                   when: datetime | None = None) -> dict:
    """A cmi5 defined statement recorded by the LMS (a new statement id)."""
    context = context_template(registration, session_id, publisher_id)
    categories = [{"objectType": "Activity", "id": vocab.CATEGORY_CMI5}]
    if result and ("success" in result or "completion" in result):
        categories.append({"objectType": "Activity", "id": vocab.CATEGORY_MOVEON})
    context["contextActivities"]["category"] = categories
    if extensions:
        context["extensions"].update(extensions)
    if instructor is not None:
        context["instructor"] = instructor
    statement = {"id": str(uuid.uuid4()), "actor": actor,
                 "verb": {"id": verb, "display": {"en-US": vocab.VERB_NAMES[verb]}},
                 "object": target, "context": context, "timestamp": _timestamp(when)}
    if result:
        statement["result"] = result
    return statement


def iso_duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration (PT1H2M3.45S), to the hundredth of a second."""
    hundredths = max(0, round(seconds * 100))
    hours, rest = divmod(hundredths, 360000)
    minutes, rest = divmod(rest, 6000)
    secs = rest / 100
    text = f"{secs:.2f}".rstrip("0").rstrip(".")
    return f"PT{hours}H{minutes}M{text}S"
