"""The xAPI statements of SCORM run-time events, following ADL's xAPI SCORM Profile
(https://w3id.org/xapi/scorm; github.com/adlnet/xAPI-SCORM-Profile).

As the profile says: the object of a SCO's statements is the SCO (activity type
`http://adlnet.gov/expapi/activities/lesson`, its IRI `<activity IRI>/scos/<identifier>`);
`context.contextActivities.grouping` holds the course (the catalogue activity, type
`.../course`) and the attempt (type `.../attempt`, IRI `<SCO IRI>?attemptId=<uuid>`), and
`category` the profile's own activity (type `.../profile`). The verbs are ADL's:
initialized (a session of a new attempt, or one continuing it without a suspend), resumed
(`entry` = resume), completed, passed/failed (with the score), suspended (the session ended
with exit = suspend) or terminated (any other end), each closing statement with
`result.duration` = the session's time and the SCO's overall result; responded, per
interaction whose result or response is new or changed (the object is the interaction, type
`.../cmi.interaction`, with the SCO as parent). Pathway adds the unit and the qualification to
`grouping`, and the enrolment's registration to every statement.

The package-level statement (completed / passed / failed about the catalogue activity itself,
what progress counts) is `rollup_statement`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from activities.scorm import datamodel
from activities.scorm.runtime import Happened, Status, find_item, package_version
from lms.content.scorm_manifest import sco_iri

PROFILE = "https://w3id.org/xapi/scorm"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = "http://adlnet.gov/expapi/activities/"
COURSE = ACTIVITY_TYPES + "course"
LESSON = ACTIVITY_TYPES + "lesson"   # the profile's type of a SCO
ATTEMPT = ACTIVITY_TYPES + "attempt"
INTERACTION = ACTIVITY_TYPES + "cmi.interaction"
PROFILE_TYPE = ACTIVITY_TYPES + "profile"
ATTEMPT_NAMESPACE = uuid.UUID("5c0b3a52-3b0e-4b8e-9a43-6d1f0c2a9e71")  # Pathway's own


def attempt_iri(sco: str, registration: str, number: int) -> str:
    """The attempt's activity IRI: the SCO's with a stable `attemptId` (a UUID made from the
    registration, the SCO and the attempt's number), as the profile's examples write it."""
    attempt_id = uuid.uuid5(ATTEMPT_NAMESPACE, f"{registration}|{sco}|{number}")
    return f"{sco}?attemptId={attempt_id}"


def _lang(text: str) -> dict:
    return {"en-GB": text or "(untitled)"}


def _verb(name: str) -> dict:
    return {"id": ADL_VERBS + name, "display": {"en-GB": name}}


def _timestamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).astimezone(UTC).isoformat().replace("+00:00", "Z")


class AttemptStatements:
    """Builds the statements of one attempt of one learner at one SCO."""

    def __init__(self, attempt, sco_title: str):
        from lms.catalogue.iris import activity_iri, qualification_iri, unit_iri
        from lms.progress.record import learner_agent

        enrolment, activity = attempt.enrolment, attempt.activity
        self.attempt = attempt
        self.version = package_version(attempt.package)
        self.registration = enrolment.registration
        self.actor = learner_agent(enrolment.learner).as_version("1.0.3")
        self.course_iri = activity_iri(activity)
        item = find_item(attempt.package, attempt.sco_identifier)
        self.sco_iri = (item or {}).get("activity_id") or \
            sco_iri(self.course_iri, attempt.sco_identifier)
        self.sco = {"objectType": "Activity", "id": self.sco_iri, "definition": {
            "name": _lang(sco_title), "type": LESSON}}
        course = {"objectType": "Activity", "id": self.course_iri, "definition": {
            "name": _lang(activity.title), "type": COURSE}}
        attempt_activity = {
            "objectType": "Activity",
            "id": attempt_iri(self.sco_iri, self.registration, attempt.number),
            "definition": {"name": _lang(f"Attempt {attempt.number} of {sco_title}"),
                           "type": ATTEMPT}}
        self.grouping = [course, attempt_activity,
                         {"objectType": "Activity", "id": unit_iri(activity.unit)},
                         {"objectType": "Activity",
                          "id": qualification_iri(activity.unit.qualification)}]
        self.category = [{"objectType": "Activity", "id": PROFILE,
                          "definition": {"type": PROFILE_TYPE}}]

    def _statement(self, verb: str, target: dict, when, result=None, parent=None) -> dict:
        context_activities = {"grouping": self.grouping, "category": self.category}
        if parent:
            context_activities["parent"] = parent
        statement = {"id": str(uuid.uuid4()), "actor": self.actor, "verb": _verb(verb),
                     "object": target, "context": {
                         "registration": self.registration,
                         "contextActivities": context_activities},
                     "timestamp": _timestamp(when)}
        if result:
            statement["result"] = result
        return statement

    def sco_statement(self, verb: str, when=None, result=None) -> dict:
        """A statement about the SCO (initialized, resumed, completed, passed, ...)."""
        return self._statement(verb, self.sco, when, result)

    def of(self, happened: Happened) -> list[dict]:
        """The statements of what a commit (or an abandoned session's end) did, in order."""
        statements = []
        when = happened.when
        if happened.started:
            statements.append(self.sco_statement(happened.started, when))
        cmi = self.attempt.cmi or {}
        for index in happened.interactions:
            statements.append(self.interaction_statement(cmi, index, when))
        if happened.completed:
            statements.append(self.sco_statement("completed", when, {"completion": True}))
        if happened.success:
            result = {"success": happened.success == "passed"}
            score = score_of(happened.after, self.version, cmi)
            if score:
                result["score"] = score
            statements.append(self.sco_statement(happened.success, when, result))
        if happened.closed:
            result = overall_result(happened.after, self.version, cmi)
            result["duration"] = datamodel.format_interval(happened.session_seconds)
            statements.append(self.sco_statement(happened.closed, when, result))
        return statements

    def interaction_statement(self, cmi: dict, index: int, when=None) -> dict:
        """`responded` to interaction `index` of the data: the interaction as an activity
        (its type, correct responses and description), the response, and whether it was
        right."""
        prefix = f"cmi.interactions.{index}."
        identifier = cmi.get(prefix + "id") or str(index)
        kind = cmi.get(prefix + "type")
        definition: dict = {"name": _lang(identifier), "type": INTERACTION}
        description = cmi.get(prefix + "description")
        if description:
            definition["description"] = _lang(_without_lang(description))
        if kind:
            definition["interactionType"] = kind
            patterns = []
            for n in range(datamodel.collection_count(cmi, prefix + "correct_responses")):
                pattern = cmi.get(f"{prefix}correct_responses.{n}.pattern")
                if pattern is not None:
                    patterns.append(self._response(kind, pattern))
            if patterns:
                definition["correctResponsesPattern"] = patterns
        target = {"objectType": "Activity",
                  "id": f"{self.sco_iri}/interactions/{quote(identifier, safe='')}",
                  "definition": definition}
        result: dict = {}
        response = cmi.get(prefix + ("learner_response" if self.version == "2004"
                                     else "student_response"))
        if response is not None:
            result["response"] = self._response(kind, response)
        outcome = cmi.get(prefix + "result")
        if outcome in ("correct",):
            result["success"] = True
        elif outcome in ("wrong", "incorrect"):
            result["success"] = False
        latency = cmi.get(prefix + "latency")
        seconds = datamodel.session_seconds(self.version, latency) if latency else None
        if seconds is not None:
            result["duration"] = datamodel.format_interval(seconds)
        return self._statement("responded", target, when, result or None,
                               parent=[self.sco])

    def _response(self, kind: str | None, value: str) -> str:
        """A SCORM response or pattern in xAPI's format (SCORM 2004's is already)."""
        return value if self.version == "2004" else response_12(kind, value)


def _without_lang(text: str) -> str:
    return datamodel.LOCALIZED.sub("", text, count=1)


def response_12(kind: str | None, value: str) -> str:
    """A SCORM 1.2 response (or correct-response pattern) written as xAPI writes it: choices
    and sequences joined with "[,]", matching pairs with "[.]", true-false as true/false."""
    if kind == "true-false":
        return {"t": "true", "1": "true", "f": "false", "0": "false"}.get(
            value.strip().lower(), value)
    if kind in ("choice", "sequencing"):
        return "[,]".join(part.strip() for part in value.strip("{}").split(",") if part.strip())
    if kind == "matching":
        pairs = [part.strip() for part in value.strip("{}").split(",") if part.strip()]
        return "[,]".join(pair.replace(".", "[.]", 1) for pair in pairs)
    return value


def score_of(status: Status, version: str, cmi: dict) -> dict | None:
    """The xAPI score of the SCO's data: scaled (1.2: raw / 100, as the profile says), raw,
    min and max (min and max only when they frame the raw score, as xAPI requires)."""
    prefix = "cmi.core.score." if version == "1.2" else "cmi.score."
    score: dict = {}
    if status.score_scaled is not None and -1 <= status.score_scaled <= 1:
        score["scaled"] = status.score_scaled
    raw = _number(cmi.get(prefix + "raw"))
    low, high = _number(cmi.get(prefix + "min")), _number(cmi.get(prefix + "max"))
    if raw is not None:
        score["raw"] = raw
        if low is not None and high is not None and low <= raw <= high:
            score["min"], score["max"] = low, high
        elif low is not None and high is None and low <= raw:
            score["min"] = low
        elif high is not None and low is None and raw <= high:
            score["max"] = high
    elif low is not None and high is not None and low <= high:
        score["min"], score["max"] = low, high
    return score or None


def _number(value) -> float | int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or abs(number) == float("inf"):
        return None
    return int(number) if number.is_integer() else number


def overall_result(status: Status, version: str, cmi: dict) -> dict:
    """The SCO's overall result for a closing statement: success and completion when known,
    and the score."""
    result: dict = {}
    if status.success in ("passed", "failed"):
        result["success"] = status.success == "passed"
    if status.completion in ("completed", "incomplete"):
        result["completion"] = status.completion == "completed"
    score = score_of(status, version, cmi)
    if score:
        result["score"] = score
    return result


def rollup_statement(enrolment, activity, standing: str, statuses: list[Status],
                     when=None) -> dict:
    """The package's standing (completed, passed or failed) as a statement Pathway records
    about the catalogue activity: what progress counts (a SCO's own statements never
    complete the activity)."""
    from lms.progress.record import activity_statement

    statement = activity_statement(enrolment, activity, _tincan_verb(standing),
                                   when or datetime.now(UTC))
    result: dict = {"completion": standing != "failed" or all(s.done for s in statuses)}
    if standing in ("passed", "failed"):
        result["success"] = standing == "passed"
    scored = [s.score_scaled for s in statuses if s.score_scaled is not None]
    if len(statuses) == 1 and scored and -1 <= scored[0] <= 1:
        result["score"] = {"scaled": scored[0]}
    statement["result"] = result
    activities = statement["context"].setdefault("contextActivities", {})
    activities["category"] = [{"objectType": "Activity", "id": PROFILE,
                               "definition": {"type": PROFILE_TYPE}}]
    return statement


def _tincan_verb(standing: str):
    from lms.progress.record import COMPLETED, FAILED, PASSED

    return {"completed": COMPLETED, "passed": PASSED, "failed": FAILED}[standing]
