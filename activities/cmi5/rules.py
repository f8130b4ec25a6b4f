"""The cmi5 rules for the statements an AU sends with its session's credentials (pure: no
database, no app).

`check_batch(state, statements)` goes through a request's statements in order, checking each
against the session's state as the statements before it left it (so `[initialized, completed,
terminated]` in one request is fine), and returns the state after them; the first statement
that breaks a rule raises `Cmi5RuleBroken`, naming the statement's index, the field at fault
and the rule (its requirement id in ADL's cmi5 requirements list, as the cmi5 conformance
test suite reports them). The specification (cmi5 Quartz, section 6.3) has the LMS reject
such statements; Pathway's LRS answers 403 Forbidden and stores none of the request.

What is checked, with the specification's sections:
- every statement (cmi5 defined or allowed): not after `terminated` (9.3.0.0-5) or after the
  session was abandoned (9.3.6.0-2) or for a waiver's session (9.3.7.0-3); a statement id
  (9.1.0.0-1); no voiding (6.3.0.0-1); a timestamp (9.7.0.0-1) in UTC (9.7.0.0-2); the
  session's actor (8.1.3.0-3); a context (9.6.0.0-1) with the session's registration
  (9.6.1.0-1), the session id extension with this session's id (9.6.3.1-4) and everything
  the session's `contextTemplate` holds (10.2.1.0-6, 10.2.1.0-7); the first statement of a
  session is `initialized` (9.3.0.0-4); the moveon category only in a cmi5 defined
  completed/passed/failed whose result has success or completion (9.6.2.2-2);
- a statement with a cmi5 verb about the AU itself carries the cmi5 category (9.6.2.1-1),
  and the verbs only the LMS uses (launched, abandoned, waived, satisfied) are refused with
  the cmi5 category or about the AU, a block or the course (9.3.1, 9.3.6, 9.3.7, 9.3.9);
- cmi5 defined statements (the cmi5 category): only initialized, completed, passed, failed
  and terminated (9.3.0.0-1); an Agent actor (9.2.0.0-2) with an account (9.2.0.0-3); the
  AU as object (8.1.5.0-6); no completed/passed/failed in Browse or Review mode (10.2.2.0-2,
  10.2.2.0-3); `result.completion` true in completed only (9.5.3.0-1, 9.5.3.0-2);
  `result.success` true in passed, false in failed, absent elsewhere (9.5.2.0-1..3); the
  moveon category with success or completion (9.6.2.2-1); a score only in passed/failed
  (9.5.1.0-2), with min and max beside raw (9.5.1.0-3); when the launch has a masteryScore,
  a scaled score comes with the masteryScore extension (9.6.3.2-2) and is at or above it to
  pass (9.3.4.0-2), below it to fail (9.3.5.0-2); `result.duration` in completed, passed,
  failed and terminated (9.5.4.1-1..4);
  no verb twice in a session (9.3.0.0-2), not both passed and failed (9.3.0.0-3); per
  registration and AU, one completed (9.3.0.0-6), one passed (9.3.0.0-7) and no failed
  after a pass (9.3.0.0-8).

Order is the order statements arrive in (a request's statements in their order), which the
`timestamp`s of a conformant AU follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from activities.cmi5 import vocab
from xapi.validation import inverse_functional_identifier

VOIDED = "http://adlnet.gov/expapi/verbs/voided"

# The cmi5 defined verbs an AU sends, and what each sets in the session.
AU_VERBS = {vocab.INITIALIZED: "initialized", vocab.COMPLETED: "completed",
            vocab.PASSED: "passed", vocab.FAILED: "failed", vocab.TERMINATED: "terminated"}
SATISFACTION_VERBS = frozenset({vocab.COMPLETED, vocab.PASSED, vocab.FAILED})
JUDGED_VERBS = frozenset({vocab.PASSED, vocab.FAILED})
LMS_VERB_SECTIONS = {vocab.LAUNCHED: "9.3.1", vocab.ABANDONED: "9.3.6", vocab.WAIVED: "9.3.7",
                     vocab.SATISFIED: "9.3.9"}
DURATION_RULES = {vocab.TERMINATED: "9.5.4.1-1", vocab.COMPLETED: "9.5.4.1-2",
                  vocab.PASSED: "9.5.4.1-3", vocab.FAILED: "9.5.4.1-4"}
# The time zone at the end of a timestamp's time: Z, or a sign with hours (and minutes).
_ZONE = re.compile(r"(?:([Zz])|([+-])(\d\d)(?::?(\d\d))?)$")


class Cmi5RuleBroken(Exception):
    """A statement breaks a cmi5 rule: `index` (its position in the request), `field` (the
    JSON path within it, may be ""), `rule` (the cmi5 requirement id) and `detail`."""

    def __init__(self, index: int, field: str, rule: str, detail: str):
        self.index, self.field, self.rule, self.detail = index, field, rule, detail
        super().__init__(f"[{index}]{field}: {detail} (cmi5 {rule})")

    @property
    def message(self) -> str:
        """The whole message, as the LRS answers it."""
        return str(self)


@dataclass(frozen=True)
class SessionState:
    """What the rules need to know about one cmi5 session (one launch of one AU).

    `au_id` is the AU's activity id as launched (`activityId`); `context_template` the
    `contextTemplate` of its `LMS.LaunchData` (None: only the session id is checked);
    `structure_ids` the activity ids of the course, its blocks and AUs (for the LMS-only
    verbs); `completed_in_registration` / `passed_in_registration` whether some session of
    the same registration (this one included) already recorded the AU completed / passed.
    """

    session_id: str
    au_id: str
    registration: str
    actor: dict
    launch_mode: str = "Normal"
    mastery_score: float | None = None
    context_template: dict | None = None
    structure_ids: frozenset[str] = field(default_factory=frozenset)
    initialized: bool = False
    completed: bool = False
    passed: bool = False
    failed: bool = False
    terminated: bool = False
    abandoned: bool = False
    waived: bool = False
    completed_in_registration: bool = False
    passed_in_registration: bool = False


def _activities(value) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    return [a for a in value or [] if isinstance(a, dict)]


def _category_ids(statement: dict) -> set[str]:
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    return {a.get("id") for a in _activities(context_activities.get("category"))}


def is_cmi5_defined(statement: dict) -> bool:
    """Whether a statement carries the cmi5 category (a "cmi5 defined" statement)."""
    return vocab.CATEGORY_CMI5 in _category_ids(statement)


def session_verb(statement: dict, au_id: str) -> str | None:
    """The session event a statement records: "initialized", "completed", "passed",
    "failed" or "terminated" for a cmi5 defined statement of those verbs about the AU, else
    None (a cmi5 allowed statement, whatever its verb)."""
    if not is_cmi5_defined(statement) or (statement.get("object") or {}).get("id") != au_id:
        return None
    return AU_VERBS.get(statement["verb"]["id"])


def check_batch(state: SessionState, statements: list[dict]) -> SessionState:
    """Check a request's statements in order (see the module's docstring); returns the
    session's state after them, or raises `Cmi5RuleBroken` for the first rule broken."""
    for index, statement in enumerate(statements):
        state = check_statement(state, statement, index)
    return state


def check_statement(state: SessionState, statement: dict, index: int = 0) -> SessionState:
    """Check one statement against the session's state; returns the state after it."""
    def broken(path: str, rule: str, detail: str):
        return Cmi5RuleBroken(index, path, rule, detail)

    verb = statement["verb"]["id"]
    _check_session_open(state, broken)
    _check_basics(state, statement, verb, broken)
    _check_context(state, statement, broken)
    defined = is_cmi5_defined(statement)
    about_au = (statement.get("object") or {}).get("id") == state.au_id
    if verb in LMS_VERB_SECTIONS and (
            defined or (statement.get("object") or {}).get("id") in
            state.structure_ids | {state.au_id}):
        raise broken(".verb.id", LMS_VERB_SECTIONS[verb],
                     f"{vocab.VERB_NAMES[verb]!r} statements about the course structure are "
                     "recorded by the LMS, not sent by the AU")
    if verb in AU_VERBS and about_au and not defined:
        raise broken(".context.contextActivities.category", "9.6.2.1-1",
                     f"a {AU_VERBS[verb]!r} statement about the AU must carry the cmi5 "
                     f"category {vocab.CATEGORY_CMI5}")
    if not defined and vocab.CATEGORY_MOVEON in _category_ids(statement):
        raise broken(".context.contextActivities.category", "9.6.2.2-2",
                     "only cmi5 defined completed, passed and failed statements carry the "
                     "moveon category")
    if not state.initialized and not (defined and verb == vocab.INITIALIZED):
        raise broken(".verb.id", "9.3.0.0-4", "the first statement of a cmi5 session must be "
                     f"the cmi5 defined 'initialized', not {verb}")
    if not defined:
        return state  # a cmi5 allowed statement, between initialized and terminated
    _check_defined(state, statement, verb, broken)
    _check_result(state, statement, verb, broken)
    _check_sequence(state, verb, broken)
    return _after(state, verb)


def _check_session_open(state: SessionState, broken) -> None:
    if state.waived:
        raise broken("", "9.3.7.0-3", "the session of a waiver takes no statements from an AU")
    if state.abandoned:
        raise broken("", "9.3.6.0-2", "the session was abandoned: it takes no more statements")
    if state.terminated:
        raise broken("", "9.3.0.0-5", "the session is terminated: 'terminated' must be its "
                     "last statement")


def _check_basics(state: SessionState, statement: dict, verb: str, broken) -> None:
    if not statement.get("id"):
        raise broken(".id", "9.1.0.0-1", "an AU must give each statement an id (a UUID)")
    if verb == VOIDED:
        raise broken(".verb.id", "6.3.0.0-1", "an AU's credentials may not void statements")
    timestamp = statement.get("timestamp")
    if not timestamp:
        raise broken(".timestamp", "9.7.0.0-1", "every statement must have a timestamp")
    if not _is_utc(timestamp):
        raise broken(".timestamp", "9.7.0.0-2", f"timestamps must be in UTC (Z or +00:00), "
                     f"not {timestamp!r}")
    if inverse_functional_identifier(statement.get("actor") or {}) != \
            inverse_functional_identifier(state.actor):
        raise broken(".actor", "8.1.3.0-3", "the actor must be the one given at launch")


def _is_utc(timestamp: str) -> bool:
    _, separator, time = timestamp.replace("t", "T").partition("T")
    match = _ZONE.search(time) if separator else None
    if match is None:
        return True  # no zone: xAPI 1.0.x reads it as UTC (2.0 refuses it before us)
    zulu, sign, hours, minutes = match.groups()
    return bool(zulu) or (sign == "+" and hours == "00" and (minutes or "00") == "00")


def _check_context(state: SessionState, statement: dict, broken) -> None:
    context = statement.get("context")
    if not isinstance(context, dict):
        raise broken(".context", "9.6.0.0-1", "a cmi5 statement needs a context (from the "
                     "contextTemplate of LMS.LaunchData)")
    if (context.get("registration") or "").lower() != state.registration.lower():
        raise broken(".context.registration", "9.6.1.0-1",
                     f"the registration must be the one given at launch, {state.registration}")
    extensions = context.get("extensions") or {}
    path = f".context.extensions[{vocab.SESSION_ID!r}]"
    if not extensions.get(vocab.SESSION_ID):
        raise broken(path, "9.6.3.1-4", "every statement must carry the session id extension")
    if extensions[vocab.SESSION_ID] != state.session_id:
        raise broken(path, "9.6.3.1-4", f"the session id must be this session's, "
                     f"{state.session_id}, not {extensions[vocab.SESSION_ID]!r}")
    template = state.context_template or {}
    for key, value in (template.get("extensions") or {}).items():
        if extensions.get(key) != value:
            raise broken(f".context.extensions[{key!r}]", "10.2.1.0-7",
                         f"must be {value!r}, as the contextTemplate of LMS.LaunchData has it")
    given = context.get("contextActivities") or {}
    for kind, wanted in (template.get("contextActivities") or {}).items():
        present = {a.get("id") for a in _activities(given.get(kind))}
        for activity in _activities(wanted):
            if activity.get("id") not in present:
                raise broken(f".context.contextActivities.{kind}", "10.2.1.0-6",
                             f"must include the activity {activity.get('id')}, as the "
                             "contextTemplate of LMS.LaunchData has it")


def _check_defined(state: SessionState, statement: dict, verb: str, broken) -> None:
    if verb not in AU_VERBS:
        raise broken(".verb.id", "9.3.0.0-1", f"{verb} is not a cmi5 defined verb: a statement "
                     "with the cmi5 category uses initialized, completed, passed, failed or "
                     "terminated")
    actor = statement["actor"]
    if actor.get("objectType", "Agent") != "Agent":
        raise broken(".actor.objectType", "9.2.0.0-2",
                     "the actor of a cmi5 defined statement must be an Agent")
    if not isinstance(actor.get("account"), dict):
        raise broken(".actor.account", "9.2.0.0-3",
                     "the actor of a cmi5 defined statement must have an account")
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") != "Activity" or target.get("id") != state.au_id:
        raise broken(".object.id", "8.1.5.0-6", "the object of a cmi5 defined statement must "
                     f"be the AU, {state.au_id} (the launch's activityId)")
    if verb in SATISFACTION_VERBS and state.launch_mode in ("Browse", "Review"):
        rule = "10.2.2.0-2" if state.launch_mode == "Browse" else "10.2.2.0-3"
        raise broken(".verb.id", rule, f"no {AU_VERBS[verb]!r} in {state.launch_mode} mode: "
                     "it records nothing towards satisfaction")


def _check_result(state: SessionState, statement: dict, verb: str, broken) -> None:
    result = statement.get("result") or {}
    name = AU_VERBS[verb]
    if verb == vocab.COMPLETED and result.get("completion") is not True:
        raise broken(".result.completion", "9.5.3.0-1",
                     "a 'completed' statement must have result.completion true")
    if verb != vocab.COMPLETED and "completion" in result:
        raise broken(".result.completion", "9.5.3.0-2",
                     f"a {name!r} statement must not have result.completion")
    if verb == vocab.PASSED and result.get("success") is not True:
        raise broken(".result.success", "9.5.2.0-1",
                     "a 'passed' statement must have result.success true")
    if verb == vocab.FAILED and result.get("success") is not False:
        raise broken(".result.success", "9.5.2.0-2",
                     "a 'failed' statement must have result.success false")
    if verb not in JUDGED_VERBS and "success" in result:
        raise broken(".result.success", "9.5.2.0-3",
                     f"a {name!r} statement must not have result.success")
    moveon = vocab.CATEGORY_MOVEON in _category_ids(statement)
    if ("success" in result or "completion" in result) and not moveon:
        raise broken(".context.contextActivities.category", "9.6.2.2-1",
                     f"a {name!r} statement must carry the moveon category "
                     f"{vocab.CATEGORY_MOVEON}")
    if moveon and not ("success" in result or "completion" in result):
        raise broken(".context.contextActivities.category", "9.6.2.2-2",
                     f"a {name!r} statement must not carry the moveon category")
    if "score" in result:
        _check_score(state, statement, verb, result["score"], broken)
    if verb in DURATION_RULES and "duration" not in result:
        raise broken(".result.duration", DURATION_RULES[verb],
                     f"a {name!r} statement must have result.duration")


def _check_score(state: SessionState, statement: dict, verb: str, score: dict,
                 broken) -> None:
    if verb not in JUDGED_VERBS:
        raise broken(".result.score", "9.5.1.0-2",
                     f"a {AU_VERBS[verb]!r} statement must not have a score")
    if "raw" in score and ("min" not in score or "max" not in score):
        raise broken(".result.score", "9.5.1.0-3", "a raw score needs min and max beside it")
    scaled = score.get("scaled")
    if state.mastery_score is None or scaled is None:
        return  # only a scaled score is judged against masteryScore (a scaled value)
    extensions = statement["context"].get("extensions") or {}
    given = extensions.get(vocab.MASTERY_SCORE)
    path = f".context.extensions[{vocab.MASTERY_SCORE!r}]"
    if given is None:
        raise broken(path, "9.6.3.2-2", "a 'passed' or 'failed' with a scaled score must "
                     f"carry the masteryScore extension, {state.mastery_score}")
    if isinstance(given, bool) or not isinstance(given, int | float) or \
            abs(given - state.mastery_score) > 1e-9:
        raise broken(path, "9.6.3.2-2", f"the masteryScore extension must be the launch's "
                     f"masteryScore, {state.mastery_score}, not {given!r}")
    if verb == vocab.PASSED and scaled < state.mastery_score:
        raise broken(".result.score.scaled", "9.3.4.0-2", f"a pass needs a scaled score of at "
                     f"least the masteryScore {state.mastery_score}, not {scaled}")
    if verb == vocab.FAILED and scaled >= state.mastery_score:
        raise broken(".result.score.scaled", "9.3.5.0-2", f"a fail needs a scaled score below "
                     f"the masteryScore {state.mastery_score}, not {scaled}")


def _check_sequence(state: SessionState, verb: str, broken) -> None:
    name = AU_VERBS[verb]
    if getattr(state, name):
        raise broken(".verb.id", "9.3.0.0-2", f"the session already has {name!r}: no cmi5 "
                     "defined verb twice in a session")
    if verb in JUDGED_VERBS and (state.passed or state.failed):
        raise broken(".verb.id", "9.3.0.0-3", f"the session is already "
                     f"{'passed' if state.passed else 'failed'}: one of passed or failed per "
                     "session")
    if verb == vocab.COMPLETED and state.completed_in_registration:
        raise broken(".verb.id", "9.3.0.0-6", "the AU is already completed in this "
                     "registration: one 'completed' per registration")
    if verb == vocab.PASSED and state.passed_in_registration:
        raise broken(".verb.id", "9.3.0.0-7", "the AU is already passed in this registration: "
                     "one 'passed' per registration")
    if verb == vocab.FAILED and state.passed_in_registration:
        raise broken(".verb.id", "9.3.0.0-8", "the AU is already passed in this registration: "
                     "no 'failed' after a pass")


def _after(state: SessionState, verb: str) -> SessionState:
    changes = {AU_VERBS[verb]: True}
    if verb == vocab.COMPLETED:
        changes["completed_in_registration"] = True
    elif verb == vocab.PASSED:
        changes["passed_in_registration"] = True
    return replace(state, **changes)
