"""The SCORM run-time on the server: opening a learner's session on a SCO (the attempt it
continues or starts, the runtime token, the data the SCO starts with) and applying the
commits the player page's JavaScript sends (checked again, then stored with the statuses the
specifications derive).

Rules Pathway keeps (the failures learners of other LMSs report):
- every launch continues the SCO's current attempt, with its location, suspend data,
  interactions, objectives, score and status; `entry` is `resume` after an exit with
  `suspend`, `ab-initio` at an attempt's first session and "" otherwise. A new attempt (fresh
  data) is made only when the learner asks to start again;
- a completed or passed SCO stays so within its attempt, whatever the SCO reports later (a
  known success, passed or failed, is not forgotten when the SCO reports "unknown");
- total time adds each session's `session_time` (the latest value the session set), whether
  the session ended with Terminate/LMSFinish, with the page's unload, or not at all;
- SCORM 1.2: with credit, a mastery score and a raw score, the LMS sets lesson_status to
  passed or failed; LMSFinish with lesson_status still "not attempted" makes it "completed";
- SCORM 2004: with a completion threshold, progress_measure decides completed/incomplete;
  with a scaled passing score, score.scaled decides passed/failed (no scaled score: unknown);
  otherwise the SCO's own statuses;
- review mode (no-credit) stores nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from activities.scorm import datamodel
from activities.scorm.models import ScormAttempt
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound, PathwayError
from lms.extensions import db
from lms.timeutil import utcnow

EVENTS = ("initialize", "commit", "terminate", "unload")
MAX_VALUES = 20000          # values in one commit request
MAX_SEQUENCE = 2 ** 31 - 1  # a commit's sequence number (the column is a 32-bit integer)
COMMIT_EVERY_MS = 10000

# Elements of one session: kept while it is open (a later request may end it), cleared when
# the next session opens, never given back to the SCO.
SESSION_KEYS = {"1.2": ("cmi.core.exit", "cmi.core.session_time"),
                "2004": ("cmi.exit", "cmi.session_time", "adl.nav.request")}
EXIT_KEY = {"1.2": "cmi.core.exit", "2004": "cmi.exit"}
SESSION_TIME_KEY = {"1.2": "cmi.core.session_time", "2004": "cmi.session_time"}
LOCATION_KEY = {"1.2": "cmi.core.lesson_location", "2004": "cmi.location"}


class BadCommit(PathwayError):
    """A commit request that is not in the protocol's shape (400)."""

    status = 400
    title = "Bad Request"


# -- the package ------------------------------------------------------------------------------

def package_version(package) -> str:
    """"1.2" or "2004", from the manifest (or the package's kind)."""
    version = (package.manifest or {}).get("version")
    if version in datamodel.VERSIONS:
        return version
    return "1.2" if package.kind == "scorm12" else "2004"


def manifest_items(package) -> list[dict]:
    """The manifest's items in organization order (SCOs, assets and folders)."""
    return [item for item in (package.manifest or {}).get("items") or []
            if isinstance(item, dict) and item.get("identifier")]


def sco_items(package) -> list[dict]:
    """The items the learner can launch and that talk to the runtime (SCOs)."""
    return [item for item in manifest_items(package)
            if item.get("sco") and item.get("launch_path")]


def find_item(package, identifier: str) -> dict | None:
    """The launchable item `identifier` of the package, or None."""
    for item in manifest_items(package):
        if item["identifier"] == identifier and item.get("launch_path"):
            return item
    return None


def item_data(package, identifier: str) -> dict:
    """The manifest's run-time values for the item (mastery score, thresholds...)."""
    item = find_item(package, identifier) or {}
    return dict(item.get("data") or {})


# -- statuses ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """A SCO attempt's derived standing."""

    completion: str = "not attempted"
    success: str = "unknown"
    score_scaled: float | None = None
    score_raw: float | None = None

    @property
    def done(self) -> bool:
        return self.completion == "completed" or self.success == "passed"

    def as_json(self) -> dict:
        score = None
        if self.score_scaled is not None or self.score_raw is not None:
            score = {"scaled": self.score_scaled, "raw": self.score_raw}
        return {"completion": self.completion, "success": self.success, "score": score}


def status_of(attempt: ScormAttempt | None) -> Status:
    """The stored standing of an attempt (not attempted when there is none)."""
    if attempt is None:
        return Status()
    return Status(attempt.completion_status, attempt.success_status, attempt.score_scaled,
                  attempt.score_raw)


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


LESSON_STATUS_12 = {  # lesson_status -> (completion, success)
    "passed": ("completed", "passed"),
    "failed": ("completed", "failed"),
    "completed": ("completed", "unknown"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("browsed", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


def lesson_status_12(status: Status) -> str:
    """SCORM 1.2's single lesson_status for a standing."""
    if status.success in ("passed", "failed"):
        return status.success
    return status.completion if status.completion in LESSON_STATUS_12 else "incomplete"


def derive_12(cmi: dict, data: dict, finishing: bool, credit: bool = True) -> str:
    """The lesson_status the LMS holds after the SCO's values (SCORM 1.2 RTE 3.4.4): a raw
    score against the mastery score decides passed/failed (with credit); LMSFinish leaves no
    "not attempted" (it becomes "completed")."""
    status = cmi.get("cmi.core.lesson_status") or "not attempted"
    mastery = _float(data.get("mastery_score", data.get("masteryscore")))
    raw = _float(cmi.get("cmi.core.score.raw"))
    if credit and mastery is not None and raw is not None:
        status = "passed" if raw >= mastery else "failed"
    if finishing and status == "not attempted":
        status = "completed"
    return status


def completion_threshold(data: dict) -> float | None:
    """The SCO's completion threshold, unless the manifest (4th edition) does not have
    completion decided by measure: `completedByMeasure="false"`, or a `minProgressMeasure`
    without `completedByMeasure` (whose default is false, CAM 4th edition). Then the SCO's
    own status counts, and the SCO is not given one: a SCO that reports "completed" and no
    progress measure is completed, not "unknown" for ever."""
    if data.get("completed_by_measure") is False:
        return None
    if "min_progress_measure" in data and data.get("completed_by_measure") is not True:
        return None
    return _float(data.get("completion_threshold"))


def derive_2004(cmi: dict, data: dict) -> tuple[str, str]:
    """completion_status and success_status as SCORM 2004 (4th edition, RTE 4.2.4.1 and
    4.2.22.1) defines them: with a completion_threshold, progress_measure against it
    ("unknown" without a measure, whatever the SCO said); with a scaled_passing_score,
    score.scaled against it ("unknown" without a scaled score); otherwise the SCO's own
    value ("unknown" when it set none)."""
    threshold = completion_threshold(data)
    progress = _float(cmi.get("cmi.progress_measure"))
    if threshold is not None:
        completion = "unknown" if progress is None else (
            "completed" if progress >= threshold else "incomplete")
    else:
        completion = cmi.get("cmi.completion_status") or "unknown"
    passing = _float(data.get("scaled_passing_score"))
    scaled = _float(cmi.get("cmi.score.scaled"))
    if passing is not None:
        success = "unknown" if scaled is None else ("passed" if scaled >= passing else "failed")
    else:
        success = cmi.get("cmi.success_status") or "unknown"
    return completion, success


def keep_done(previous: Status, completion: str, success: str) -> tuple[str, str]:
    """Within an attempt a SCO completed stays completed, passed stays passed, and a known
    success is not forgotten for "unknown" (a relaunched SCO that reports itself incomplete
    or unknown again must not undo what the learner achieved)."""
    if previous.completion == "completed":
        completion = "completed"
    if previous.success == "passed" or (success == "unknown" and previous.success == "failed"):
        success = previous.success
    return completion, success


def scaled_12(raw: float, low: float | None, high: float | None) -> float:
    """A SCORM 1.2 raw score as xAPI's scaled score: within the SCO's own min and max when it
    gives both (8 of 0..10 is 0.8), else as a percentage (SCORM 1.2's 0..100 by default)."""
    if low is not None and high is not None and high > low:
        return (raw - low) / (high - low)
    return raw / 100


def derive(version: str, cmi: dict, data: dict, previous: Status,
           finishing: bool) -> tuple[Status, dict]:
    """The attempt's new standing from its data, and the values the LMS itself sets in the
    data (1.2: lesson_status)."""
    lms_set: dict[str, str] = {}
    if version == "1.2":
        lesson_status = derive_12(cmi, data, finishing)
        if lesson_status != (cmi.get("cmi.core.lesson_status") or "not attempted"):
            lms_set["cmi.core.lesson_status"] = lesson_status
        completion, success = LESSON_STATUS_12[lesson_status]
        raw = _float(cmi.get("cmi.core.score.raw"))
        scaled = None if raw is None else max(-1.0, min(1.0, scaled_12(
            raw, _float(cmi.get("cmi.core.score.min")), _float(cmi.get("cmi.core.score.max")))))
    else:
        completion, success = derive_2004(cmi, data)
        raw = _float(cmi.get("cmi.score.raw"))
        scaled = _float(cmi.get("cmi.score.scaled"))
    completion, success = keep_done(previous, completion, success)
    return Status(completion, success, scaled, raw), lms_set


def package_rollup(statuses: list[Status]) -> str | None:
    """The package's standing from its SCOs' current attempts: failed when a SCO failed;
    once every SCO is done, passed when one passed, else completed; None before that."""
    if not statuses:
        return None
    if any(s.success == "failed" for s in statuses):
        return "failed"
    if all(s.done for s in statuses):
        return "passed" if any(s.success == "passed" for s in statuses) else "completed"
    return None


# -- attempts and sessions --------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_attempt(enrolment_id: int, activity_id: int, identifier: str) -> ScormAttempt | None:
    """The SCO's current attempt (the highest number), or None."""
    return db.session.execute(
        db.select(ScormAttempt)
        .where(ScormAttempt.enrolment_id == enrolment_id,
               ScormAttempt.activity_id == activity_id,
               ScormAttempt.sco_identifier == identifier)
        .order_by(ScormAttempt.number.desc()).limit(1)).scalar_one_or_none()


def current_attempts(enrolment_id: int, activity_id: int) -> dict[str, ScormAttempt]:
    """Every SCO's current attempt, by item identifier."""
    found: dict[str, ScormAttempt] = {}
    for attempt in db.session.execute(
            db.select(ScormAttempt)
            .where(ScormAttempt.enrolment_id == enrolment_id,
                   ScormAttempt.activity_id == activity_id)
            .order_by(ScormAttempt.number)).scalars():
        found[attempt.sco_identifier] = attempt
    return found


def new_attempt(enrolment, activity, package, identifier: str, number: int) -> ScormAttempt:
    """A fresh attempt; SCORM 2004 objectives the manifest declares start with their ids."""
    cmi: dict[str, str] = {}
    if package_version(package) == "2004":
        objectives = item_data(package, identifier).get("objectives") or []
        for index, objective in enumerate(objectives[:datamodel.COLLECTION_LIMIT]):
            cmi[f"cmi.objectives.{index}.id"] = str(objective)
    attempt = ScormAttempt(
        enrolment_id=enrolment.id, activity_id=activity.id, package_id=package.id,
        sco_identifier=identifier, number=number, cmi=cmi, completion_status="not attempted",
        success_status="unknown", total_seconds=0.0, location="", suspended=False,
        entry_next="ab-initio", started_at=utcnow(), updated_at=utcnow(), last_sequence=0,
        session_mode="normal", session_seconds=0.0, session_initialized=False, sessions=0)
    try:
        with db.session.begin_nested():  # two first opens at once (two tabs, a double click)
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        found = current_attempt(enrolment.id, activity.id, identifier)
        if found is None or found.number < number:
            raise
        return found  # the other request made it: one attempt, not a 500
    return attempt


@dataclass
class Happened:
    """What a commit (or the closing of an abandoned session) did, for the statements."""

    started: str | None = None            # "initialized" or "resumed"
    completed: bool = False
    success: str | None = None            # "passed" or "failed", when it changed
    interactions: list[int] = field(default_factory=list)
    closed: str | None = None             # "suspended" or "terminated"
    session_seconds: float = 0.0
    before: Status = field(default_factory=Status)
    after: Status = field(default_factory=Status)
    when: datetime | None = None


def close_abandoned(attempt: ScormAttempt) -> Happened | None:
    """End the attempt's open session whose page went away without a word (no Terminate, no
    unload): what it committed is kept, the session time it reported already counts; returns
    what happened when the session had started (for its closing statement)."""
    if attempt.terminated_at is not None or attempt.sessions == 0:
        return None
    version = _version_of(attempt)
    attempt.terminated_at = attempt.updated_at or utcnow()
    if attempt.session_mode != "normal" or not attempt.session_initialized:
        return None
    exit_value = (attempt.cmi or {}).get(EXIT_KEY[version], "")
    _after_session(attempt, exit_value)
    status = status_of(attempt)
    return Happened(closed="suspended" if exit_value == "suspend" else "terminated",
                    session_seconds=attempt.session_seconds, before=status, after=status,
                    when=attempt.terminated_at)


def _after_session(attempt: ScormAttempt, exit_value: str) -> None:
    attempt.suspended = exit_value == "suspend"
    attempt.entry_next = "resume" if attempt.suspended else ""


def _version_of(attempt: ScormAttempt) -> str:
    return package_version(attempt.package)


def open_session(attempt: ScormAttempt, mode: str) -> str:
    """Open a session of `attempt` in `mode` ("normal" or "review") and return its runtime
    token (only its hash is stored). Opening a session ends any other of the attempt: its
    token stops working."""
    token = secrets.token_urlsafe(32)
    attempt.token_hash = token_hash(token)
    attempt.last_sequence = 0
    attempt.session_mode = mode
    attempt.session_started_at = utcnow()
    attempt.terminated_at = None
    attempt.session_initialized = False
    if mode == "normal":
        version = _version_of(attempt)
        cmi = {k: v for k, v in (attempt.cmi or {}).items() if k not in SESSION_KEYS[version]}
        attempt.cmi = cmi
        attempt.session_seconds = 0.0
        attempt.sessions += 1
    db.session.flush()
    return token


def learner_name_12(name: str) -> str:
    """"Last, First" as SCORM 1.2's cmi.core.student_name expects."""
    parts = name.strip().rsplit(" ", 1)
    return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else name.strip()


def _number_text(value) -> str | None:
    number = _float(value)
    if number is None:
        return None
    return f"{number:.7f}".rstrip("0").rstrip(".")


def initial_values(attempt: ScormAttempt, learner, mode: str) -> dict[str, str]:
    """The data model the SCO starts the session with: the attempt's stored elements and the
    values the LMS owns (learner, entry, credit, mode, statuses, total time, the manifest's
    values)."""
    package = attempt.package
    version = package_version(package)
    data = item_data(package, attempt.sco_identifier)
    review = mode == "review"
    entry = "" if review else attempt.entry_next
    status = status_of(attempt)
    values = {k: v for k, v in (attempt.cmi or {}).items() if k not in SESSION_KEYS[version]}
    given: dict[str, str | None]
    if version == "1.2":
        given = {
            "cmi.core.student_id": learner.public_id,
            "cmi.core.student_name": learner_name_12(learner.name),
            "cmi.core.lesson_location": attempt.location or "",
            "cmi.core.credit": "no-credit" if review else "credit",
            "cmi.core.lesson_status": lesson_status_12(status),
            "cmi.core.entry": entry,
            "cmi.core.total_time": datamodel.format_timespan(attempt.total_seconds),
            "cmi.core.lesson_mode": "review" if review else "normal",
            "cmi.suspend_data": values.get("cmi.suspend_data", ""),
            "cmi.launch_data": data.get("launch_data", data.get("datafromlms")),
            "cmi.comments_from_lms": data.get("comments_from_lms"),
            "cmi.student_data.mastery_score": _number_text(
                data.get("mastery_score", data.get("masteryscore"))),
            "cmi.student_data.max_time_allowed": data.get("max_time_allowed",
                                                          data.get("maxtimeallowed")),
            "cmi.student_data.time_limit_action": data.get("time_limit_action",
                                                           data.get("timelimitaction")),
        }
    else:
        given = {
            "cmi.learner_id": learner.public_id,
            "cmi.learner_name": learner.name,
            "cmi.location": attempt.location or "",
            "cmi.credit": "no-credit" if review else "credit",
            "cmi.completion_status": None if status.completion == "not attempted"
            else status.completion,
            "cmi.success_status": None if status.success == "unknown" else status.success,
            "cmi.entry": entry,
            "cmi.mode": "review" if review else "normal",
            "cmi.total_time": datamodel.format_interval(attempt.total_seconds),
            "cmi.launch_data": data.get("launch_data", data.get("datafromlms")),
            "cmi.completion_threshold": _number_text(completion_threshold(data)),
            "cmi.scaled_passing_score": _number_text(data.get("scaled_passing_score")),
            "cmi.max_time_allowed": data.get("max_time_allowed"),
            "cmi.time_limit_action": data.get("time_limit_action"),
        }
    for name, value in given.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = str(value)
    return values


# -- commits ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Commit:
    """A commit request, checked for shape."""

    token: str
    sequence: int
    event: str
    values: list[tuple[str, str]]


def read_commit(body) -> Commit:
    """The commit request `body` (parsed JSON), or BadCommit naming the field at fault."""
    if not isinstance(body, dict):
        raise BadCommit("the body must be a JSON object",
                        errors=[{"field": "(body)", "detail": "must be a JSON object"}])

    def fault(name: str, detail: str) -> BadCommit:
        return BadCommit(f"{name}: {detail}", errors=[{"field": name, "detail": detail}])

    token, sequence, event = body.get("token"), body.get("sequence"), body.get("event")
    values = body.get("values", [])
    if not isinstance(token, str) or not token:
        raise fault("token", "the runtime token (a string) is required")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or \
            not 1 <= sequence <= MAX_SEQUENCE:
        raise fault("sequence", f"must be a whole number from 1 to {MAX_SEQUENCE}")
    if event not in EVENTS:
        raise fault("event", f"must be one of {', '.join(EVENTS)}")
    if not isinstance(values, list):
        raise fault("values", "must be a list of [element, value] pairs")
    if len(values) > MAX_VALUES:
        raise fault("values", f"holds {len(values)} values; at most {MAX_VALUES} per request")
    pairs = []
    for index, pair in enumerate(values):
        if not (isinstance(pair, list | tuple) and len(pair) == 2
                and isinstance(pair[0], str) and isinstance(pair[1], str)):
            raise fault(f"values[{index}]", "must be a pair [element, value] of two strings")
        pairs.append((pair[0], pair[1]))
    return Commit(token, sequence, event, pairs)


def attempt_for(attempt_id: int, learner, *, lock: bool = True) -> ScormAttempt:
    """Attempt `attempt_id` when it belongs to `learner` (404 for anyone else's: nothing about
    it is told). Locked for the request, so one commit applies at a time: two requests of one
    session arriving together (a commit still unanswered and the page's unload) are applied
    one after the other, each reading what the other stored."""
    from lms.enrolment.models import Enrolment

    if lock:
        # A write before any read: on SQLite it takes the database's write lock (waiting for
        # a concurrent commit to finish), so the reads below are current; on PostgreSQL it
        # takes the row's lock. It changes nothing.
        db.session.execute(db.update(ScormAttempt).where(ScormAttempt.id == attempt_id)
                           .values(last_sequence=ScormAttempt.last_sequence)
                           .execution_options(synchronize_session=False))
    statement = (db.select(ScormAttempt).join(Enrolment, ScormAttempt.enrolment_id
                                              == Enrolment.id)
                 .where(ScormAttempt.id == attempt_id, Enrolment.learner_id == learner.id))
    if lock:
        statement = statement.with_for_update(of=ScormAttempt)
    attempt = db.session.execute(statement).scalar_one_or_none()
    if attempt is None:
        raise NotFound(f"attempt: there is no SCORM attempt {attempt_id} of yours.")
    return attempt


def check_token(attempt: ScormAttempt, token: str) -> None:
    """403 unless `token` is the runtime token of the attempt's open session (compared in
    constant time)."""
    if attempt.token_hash is None or \
            not hmac.compare_digest(token_hash(token), attempt.token_hash):
        raise Forbidden("token: this is not the runtime token of the attempt's current "
                        "session (the SCO was opened again elsewhere); reload the page.",
                        errors=[{"field": "token", "detail": "is not the current session's "
                                 "runtime token"}])


def _interaction_changes(version: str, before: dict, after: dict) -> list[int]:
    """Interactions whose result or learner response is set for the first time or changed."""
    response = "learner_response" if version == "2004" else "student_response"
    changed = []
    for index in range(datamodel.collection_count(after, "cmi.interactions")):
        for child in ("result", response):
            key = f"cmi.interactions.{index}.{child}"
            if key in after and after.get(key) != before.get(key):
                changed.append(index)
                break
    return changed


def apply_commit(attempt: ScormAttempt, commit: Commit) -> Happened | None:
    """Apply a checked commit request to the attempt (token checked by the caller). Returns
    what happened, or None for a sequence already applied (a retried request: nothing
    changes). Raises Conflict after the session ended, InvalidInput (nothing stored) for a
    value the data model refuses."""
    if commit.sequence <= attempt.last_sequence:
        return None
    if attempt.terminated_at is not None:
        raise Conflict("attempt: this session has ended (Terminate or the page's unload was "
                       "received); reload the page to open a new one.")
    now = utcnow()
    version = _version_of(attempt)
    ending = commit.event in ("terminate", "unload")
    happened = Happened(before=status_of(attempt), when=now)
    if attempt.session_mode != "normal":  # review: the SCO may run, nothing is kept
        attempt.last_sequence = commit.sequence
        if ending:
            attempt.terminated_at = now
        happened.after = happened.before
        return happened
    before = dict(attempt.cmi or {})
    cmi = dict(before)
    errors = []
    entries = datamodel.Entries(cmi)
    for index, (name, value) in enumerate(commit.values):
        problem = datamodel.check(version, name, value, cmi, entries)
        if problem:
            errors.append({"field": f"values[{index}] {name}", "detail": problem})
        else:
            cmi[name] = value
            entries.add(name)
    if errors:
        detail = "; ".join(f"{e['field']}: {e['detail']}" for e in errors[:5])
        raise InvalidInput(f"Nothing was stored: {detail}", errors=errors)
    if not attempt.session_initialized:
        attempt.session_initialized = True
        happened.started = "resumed" if attempt.entry_next == "resume" else "initialized"
    seconds = datamodel.session_seconds(version, cmi.get(SESSION_TIME_KEY[version], ""))
    if seconds is not None and seconds != attempt.session_seconds:
        attempt.total_seconds = max(0.0, attempt.total_seconds - attempt.session_seconds
                                    + seconds)
        attempt.session_seconds = seconds
    data = item_data(attempt.package, attempt.sco_identifier)
    status, lms_set = derive(version, cmi, data, happened.before,
                             finishing=commit.event == "terminate")
    cmi.update(lms_set)
    attempt.cmi = cmi
    attempt.completion_status, attempt.success_status = status.completion, status.success
    attempt.score_scaled, attempt.score_raw = status.score_scaled, status.score_raw
    attempt.location = cmi.get(LOCATION_KEY[version], "")
    attempt.last_sequence = commit.sequence
    attempt.updated_at = now
    happened.after = status
    happened.completed = status.completion == "completed" and \
        happened.before.completion != "completed"
    if status.success in ("passed", "failed") and status.success != happened.before.success:
        happened.success = status.success
    happened.interactions = _interaction_changes(version, before, cmi)
    if ending:
        exit_value = cmi.get(EXIT_KEY[version], "")
        attempt.terminated_at = now
        _after_session(attempt, exit_value)
        happened.closed = "suspended" if exit_value == "suspend" else "terminated"
        happened.session_seconds = attempt.session_seconds
    db.session.flush()
    return happened
