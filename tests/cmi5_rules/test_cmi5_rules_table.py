"""The cmi5 statement rules (`activities.cmi5.rules`), pure: for every rule a conformant
batch that passes and a batch that breaks it, refused with the statement's index and the
rule's requirement id."""

import dataclasses
import re

import pytest
from cmi5_rules_support import Session

from activities.cmi5 import rules, vocab
from activities.cmi5.rules import Cmi5RuleBroken, SessionState, check_batch, session_verb

BLOCK = "https://pathway.test/cmi5/block/0"
COURSE = "https://pathway.test/cmi5/course"


def state_of(session: Session, **changes) -> SessionState:
    state = SessionState(session_id=session.session_id, au_id=session.au_id,
                         registration=session.registration, actor=session.actor,
                         mastery_score=session.mastery_score,
                         context_template=session.context_template(),
                         structure_ids=frozenset({BLOCK, COURSE, session.au_id,
                                                  session.publisher_id}))
    return dataclasses.replace(state, **changes)


def changed(statement: dict, change) -> dict:
    change(statement)
    return statement


def without(statement: dict, *path) -> dict:
    target = statement
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return statement


def categories(statement: dict) -> list:
    return statement["context"]["contextActivities"].setdefault("category", [])


def add_moveon(statement: dict) -> dict:
    categories(statement).append({"id": vocab.CATEGORY_MOVEON})
    return statement


def no_categories(statement: dict) -> dict:
    statement["context"]["contextActivities"].pop("category", None)
    return statement


def scored(statement: dict, **score) -> dict:
    statement["result"]["score"] = score
    return statement


def voiding(s: Session) -> dict:
    statement = s.allowed("http://adlnet.gov/expapi/verbs/voided")
    statement["object"] = {"objectType": "StatementRef",
                           "id": "8f5b1a2c-0000-4000-8000-000000000001"}
    return statement


def lms_statement(s: Session, verb: str, target: str, defined: bool = False) -> dict:
    statement = s.allowed(verb, target)
    if defined:
        categories(statement).append({"id": vocab.CATEGORY_CMI5})
    return statement


# (id, session's masteryScore, state changes, batch from the session, rule broken or None,
#  index of the statement at fault)
CASES = [
    # A conformant session, in one request or several (see also the tests below the table).
    ("whole session", None, {}, lambda s: [s.initialized(), s.allowed(), s.completed(),
                                           s.passed(), s.allowed(), s.terminated()], None, 0),
    ("failed session", None, {}, lambda s: [s.initialized(), s.failed(), s.terminated()],
     None, 0),
    ("allowed only", None, {"initialized": True}, lambda s: [s.allowed(), s.allowed()], None, 0),
    # 9.3.0.0-5, 9.3.6.0-2, 9.3.7.0-3: nothing once the session has ended
    ("after terminated in the batch", None, {},
     lambda s: [s.initialized(), s.terminated(), s.allowed()], "9.3.0.0-5", 2),
    ("after terminated earlier", None, {"initialized": True, "terminated": True},
     lambda s: [s.allowed()], "9.3.0.0-5", 0),
    ("terminated twice", None, {"initialized": True, "terminated": True},
     lambda s: [s.terminated()], "9.3.0.0-5", 0),
    ("after abandoned", None, {"initialized": True, "abandoned": True},
     lambda s: [s.allowed()], "9.3.6.0-2", 0),
    ("a waiver's session", None, {"waived": True}, lambda s: [s.initialized()],
     "9.3.7.0-3", 0),
    # 9.1.0.0-1: statement ids
    ("no id", None, {}, lambda s: [without(s.initialized(), "id")], "9.1.0.0-1", 0),
    # 6.3.0.0-1: no voiding
    ("voiding", None, {"initialized": True}, lambda s: [voiding(s)], "6.3.0.0-1", 0),
    # 9.7.0.0-1, 9.7.0.0-2: timestamps, in UTC
    ("no timestamp", None, {}, lambda s: [s.initialized(), without(s.allowed(), "timestamp")],
     "9.7.0.0-1", 1),
    ("timestamp +01:00", None, {},
     lambda s: [changed(s.initialized(),
                        lambda x: x.update(timestamp="2025-03-01T11:00:00+01:00"))],
     "9.7.0.0-2", 0),
    ("timestamp -05", None, {},
     lambda s: [changed(s.initialized(), lambda x: x.update(timestamp="2025-03-01T05:00:00-05"))],
     "9.7.0.0-2", 0),
    ("timestamp +00:00, +0000 and no zone", None, {},
     lambda s: [changed(s.initialized(), lambda x: x.update(timestamp="2025-03-01T10:00:00+00:00")),
                changed(s.allowed(), lambda x: x.update(timestamp="20250301T100001+0000")),
                changed(s.allowed(), lambda x: x.update(timestamp="2025-03-01T10:00:02.5"))],
     None, 0),
    # 8.1.3.0-3: the launch's actor
    ("another actor", None, {},
     lambda s: [changed(s.initialized(),
                        lambda x: x["actor"]["account"].update(name="bob"))], "8.1.3.0-3", 0),
    # 9.6.0.0-1, 9.6.1.0-1: a context with the registration
    ("no context", None, {"initialized": True}, lambda s: [without(s.allowed(), "context")],
     "9.6.0.0-1", 0),
    ("another registration", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["context"].update(
         registration="c0ffee00-0000-4000-8000-000000000000"))], "9.6.1.0-1", 0),
    ("no registration", None, {"initialized": True},
     lambda s: [without(s.allowed(), "context", "registration")], "9.6.1.0-1", 0),
    ("registration in capitals", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["context"].update(
         registration=s.registration.upper()))], None, 0),
    # 9.6.3.1-4: the session id extension, this session's
    ("no session id", None, {"initialized": True},
     lambda s: [without(s.allowed(), "context", "extensions", vocab.SESSION_ID)],
     "9.6.3.1-4", 0),
    ("no session id in initialized", None, {},
     lambda s: [without(s.initialized(), "context", "extensions")], "9.6.3.1-4", 0),
    ("another session id", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["context"]["extensions"].update(
         {vocab.SESSION_ID: "another-session"}))], "9.6.3.1-4", 0),
    # 10.2.1.0-6, 10.2.1.0-7: the contextTemplate
    ("no publisher id grouping", None, {},
     lambda s: [s.initialized(), without(s.allowed(), "context", "contextActivities",
                                         "grouping")], "10.2.1.0-6", 1),
    ("a template extension left out", None, "extra template extension",
     lambda s: [s.initialized()], "10.2.1.0-7", 0),
    ("more grouping than the template", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["context"]["contextActivities"][
         "grouping"].append({"id": "https://example.com/other"}))], None, 0),
    # the verbs only the LMS uses
    ("satisfied about the AU", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.SATISFIED, s.au_id)], "9.3.9", 0),
    ("satisfied about the course", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.SATISFIED, COURSE)], "9.3.9", 0),
    ("waived about a block", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.WAIVED, BLOCK)], "9.3.7", 0),
    ("launched with the cmi5 category", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.LAUNCHED, "https://example.com/x", defined=True)],
     "9.3.1", 0),
    ("abandoned about the AU", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.ABANDONED, s.au_id)], "9.3.6", 0),
    ("satisfied about an objective of the AU (allowed)", None, {"initialized": True},
     lambda s: [lms_statement(s, vocab.SATISFIED, f"{s.au_id}/objectives/1")], None, 0),
    # 9.6.2.1-1: cmi5 verbs about the AU carry the cmi5 category
    ("completed about the AU without the cmi5 category", None, {"initialized": True},
     lambda s: [no_categories(s.completed())], "9.6.2.1-1", 0),
    ("initialized without the cmi5 category", None, {},
     lambda s: [no_categories(s.initialized())], "9.6.2.1-1", 0),
    ("completed about a page (allowed)", None, {"initialized": True},
     lambda s: [s.allowed(vocab.COMPLETED)], None, 0),
    # 9.3.0.0-4: initialized first
    ("allowed first", None, {}, lambda s: [s.allowed(), s.initialized()], "9.3.0.0-4", 0),
    ("completed first", None, {}, lambda s: [s.completed()], "9.3.0.0-4", 0),
    ("initialized about a page first", None, {}, lambda s: [s.allowed(vocab.INITIALIZED)],
     "9.3.0.0-4", 0),
    # 9.3.0.0-1: only the AU's cmi5 verbs with the cmi5 category
    ("another verb with the cmi5 category", None, {"initialized": True},
     lambda s: [changed(s.terminated(), lambda x: x.update(
         verb={"id": "http://adlnet.gov/expapi/verbs/progressed"}))], "9.3.0.0-1", 0),
    # 9.2.0.0-2, 9.2.0.0-3: an Agent with an account
    ("a Group actor", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["actor"].update(objectType="Group"))],
     "9.2.0.0-2", 0),
    ("an actor without account", None, "mbox actor", lambda s: [s.initialized()],
     "9.2.0.0-3", 0),
    # 8.1.5.0-6: the AU as object
    ("cmi5 defined about another activity", None, {},
     lambda s: [changed(s.initialized(), lambda x: x["object"].update(
         id="https://example.com/other"))], "8.1.5.0-6", 0),
    # 10.2.2.0-2, 10.2.2.0-3: Browse and Review record no satisfaction
    ("completed in Browse", None, {"launch_mode": "Browse"},
     lambda s: [s.initialized(), s.completed()], "10.2.2.0-2", 1),
    ("passed in Review", None, {"launch_mode": "Review"},
     lambda s: [s.initialized(), s.passed()], "10.2.2.0-3", 1),
    ("failed in Browse", None, {"launch_mode": "Browse", "initialized": True},
     lambda s: [s.failed()], "10.2.2.0-2", 0),
    ("Review: initialized, allowed, terminated", None, {"launch_mode": "Review"},
     lambda s: [s.initialized(), s.allowed(), s.terminated()], None, 0),
    # 9.5.3.0-1, 9.5.3.0-2: result.completion
    ("completed without completion", None, {"initialized": True},
     lambda s: [without(s.completed(), "result", "completion")], "9.5.3.0-1", 0),
    ("completed with completion false", None, {"initialized": True},
     lambda s: [changed(s.completed(), lambda x: x["result"].update(completion=False))],
     "9.5.3.0-1", 0),
    ("passed with completion", None, {"initialized": True},
     lambda s: [changed(s.passed(), lambda x: x["result"].update(completion=True))],
     "9.5.3.0-2", 0),
    # 9.5.2.0-1..3: result.success
    ("passed without success", None, {"initialized": True},
     lambda s: [without(s.passed(), "result", "success")], "9.5.2.0-1", 0),
    ("failed with success true", None, {"initialized": True},
     lambda s: [changed(s.failed(), lambda x: x["result"].update(success=True))],
     "9.5.2.0-2", 0),
    ("terminated with success", None, {"initialized": True},
     lambda s: [changed(s.terminated(), lambda x: x["result"].update(success=True))],
     "9.5.2.0-3", 0),
    # 9.6.2.2-1, 9.6.2.2-2: the moveon category
    ("completed without moveon", None, {"initialized": True},
     lambda s: [changed(s.completed(), lambda x: categories(x).pop())], "9.6.2.2-1", 0),
    ("initialized with moveon", None, {}, lambda s: [add_moveon(s.initialized())],
     "9.6.2.2-2", 0),
    ("allowed with moveon", None, {"initialized": True}, lambda s: [add_moveon(s.allowed())],
     "9.6.2.2-2", 0),
    # 9.5.1.0-2, 9.5.1.0-3: scores
    ("completed with a score", None, {"initialized": True},
     lambda s: [scored(s.completed(), scaled=1.0)], "9.5.1.0-2", 0),
    ("raw score without min and max", None, {"initialized": True},
     lambda s: [scored(s.passed(), raw=8)], "9.5.1.0-3", 0),
    ("raw score with min and max", None, {"initialized": True},
     lambda s: [scored(s.passed(), raw=8, min=0, max=10)], None, 0),
    # 9.6.3.2-2, 9.3.4.0-2, 9.3.5.0-2: masteryScore
    ("scored pass without the masteryScore extension", 0.8, {"initialized": True},
     lambda s: [without(s.passed(0.9), "context", "extensions", vocab.MASTERY_SCORE)],
     "9.6.3.2-2", 0),
    ("scored fail with another masteryScore", 0.8, {"initialized": True},
     lambda s: [changed(s.failed(0.5), lambda x: x["context"]["extensions"].update(
         {vocab.MASTERY_SCORE: 0.7}))], "9.6.3.2-2", 0),
    ("pass below the masteryScore", 0.8, {"initialized": True}, lambda s: [s.passed(0.79)],
     "9.3.4.0-2", 0),
    ("pass at the masteryScore", 0.8, {"initialized": True}, lambda s: [s.passed(0.8)],
     None, 0),
    ("fail at the masteryScore", 0.8, {"initialized": True}, lambda s: [s.failed(0.8)],
     "9.3.5.0-2", 0),
    ("fail below the masteryScore", 0.8, {"initialized": True}, lambda s: [s.failed(0.79)],
     None, 0),
    ("pass without a score, masteryScore set", 0.8, {"initialized": True},
     lambda s: [s.passed()], None, 0),
    ("raw score only, masteryScore set, no extension", 0.8, {"initialized": True},
     lambda s: [scored(s.passed(), raw=9, min=0, max=10)], None, 0),
    ("scored pass without masteryScore", None, {"initialized": True},
     lambda s: [s.passed(0.1)], None, 0),
    # 9.5.4.1-1..4: durations
    ("terminated without duration", None, {"initialized": True},
     lambda s: [without(s.terminated(), "result")], "9.5.4.1-1", 0),
    ("completed without duration", None, {"initialized": True},
     lambda s: [without(s.completed(), "result", "duration")], "9.5.4.1-2", 0),
    ("passed without duration", None, {"initialized": True},
     lambda s: [without(s.passed(), "result", "duration")], "9.5.4.1-3", 0),
    ("failed without duration", None, {"initialized": True},
     lambda s: [without(s.failed(), "result", "duration")], "9.5.4.1-4", 0),
    # 9.3.0.0-2, 9.3.0.0-3: no verb twice, one of passed and failed in a session
    ("initialized twice", None, {}, lambda s: [s.initialized(), s.initialized()],
     "9.3.0.0-2", 1),
    ("initialized again in a later request", None, {"initialized": True},
     lambda s: [s.initialized()], "9.3.0.0-2", 0),
    ("completed twice", None, {"initialized": True}, lambda s: [s.completed(), s.completed()],
     "9.3.0.0-2", 1),
    ("failed twice", None, {"initialized": True, "failed": True}, lambda s: [s.failed()],
     "9.3.0.0-2", 0),
    ("passed after failed", None, {"initialized": True}, lambda s: [s.failed(), s.passed()],
     "9.3.0.0-3", 1),
    ("failed after passed", None, {"initialized": True, "passed": True},
     lambda s: [s.failed()], "9.3.0.0-3", 0),
    # 9.3.0.0-6..8: per registration
    ("completed again in the registration", None,
     {"initialized": True, "completed_in_registration": True}, lambda s: [s.completed()],
     "9.3.0.0-6", 0),
    ("passed again in the registration", None,
     {"initialized": True, "passed_in_registration": True}, lambda s: [s.passed()],
     "9.3.0.0-7", 0),
    ("failed after a pass in the registration", None,
     {"initialized": True, "passed_in_registration": True}, lambda s: [s.failed()],
     "9.3.0.0-8", 0),
    ("passed in a later session after a fail", None, {"initialized": True},
     lambda s: [s.passed(), s.terminated()], None, 0),
]


def _state(session: Session, changes) -> SessionState:
    if changes == "extra template extension":
        template = session.context_template()
        template["extensions"]["https://example.com/lms/ext"] = "kept"
        return state_of(session, context_template=template)
    if changes == "mbox actor":
        session.actor = {"objectType": "Agent", "mbox": "mailto:ann@pathway.test"}
        return state_of(session)
    return state_of(session, **changes)


@pytest.mark.parametrize("mastery, changes, batch, rule, index",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_rule(mastery, changes, batch, rule, index):
    session = Session(mastery_score=mastery)
    state = _state(session, changes)
    statements = batch(session)
    if rule is None:
        check_batch(state, statements)
        return
    with pytest.raises(Cmi5RuleBroken) as caught:
        check_batch(state, statements)
    assert (caught.value.rule, caught.value.index) == (rule, index)
    assert str(caught.value).startswith(f"[{index}]")
    assert str(caught.value).endswith(f"(cmi5 {rule})")


def documented_rules() -> set[str]:
    """The requirement ids the rules module's docstring lists ("9.5.2.0-1..3" is three)."""
    found = set()
    for rule, last in re.findall(r"(\d+\.\d+\.\d+(?:\.\d+-\d+)?)(?:\.\.(\d+))?",
                                 rules.__doc__):
        if last:
            stem, first = rule.rsplit("-", 1)
            found |= {f"{stem}-{n}" for n in range(int(first), int(last) + 1)}
        else:
            found.add(rule)
    return found


def test_the_table_breaks_every_rule_the_module_documents():
    breaking = {case[4] for case in CASES} - {None}
    assert documented_rules() == breaking
    assert len(breaking) > 40


def test_the_state_after_a_batch_says_what_happened_and_the_state_given_is_unchanged():
    session = Session()
    state = state_of(session)
    after = check_batch(state, [session.initialized(), session.completed(), session.passed(),
                                session.terminated()])
    assert (after.initialized, after.completed, after.passed, after.failed,
            after.terminated) == (True, True, True, False, True)
    assert after.completed_in_registration and after.passed_in_registration
    assert not (state.initialized or state.completed or state.terminated)


def test_a_session_sent_one_statement_per_request_gives_the_same_answer():
    session = Session(mastery_score=0.5)
    state = state_of(session)
    for statement in [session.initialized(), session.allowed(), session.failed(0.2),
                      session.terminated()]:
        state = check_batch(state, [statement])
    assert state.failed and state.terminated
    with pytest.raises(Cmi5RuleBroken, match=r"^\[0\]: the session is terminated"):
        check_batch(state, [session.allowed()])


def test_a_refusal_names_the_field_and_the_rule():
    session = Session()
    state = state_of(session, initialized=True)
    with pytest.raises(Cmi5RuleBroken) as caught:
        check_batch(state, [session.allowed(), without(session.completed(), "result",
                                                        "duration")])
    assert str(caught.value) == ("[1].result.duration: a 'completed' statement must have "
                                 "result.duration (cmi5 9.5.4.1-2)")
    assert caught.value.field == ".result.duration"


def test_session_verb_is_what_the_session_records():
    session = Session()
    assert session_verb(session.initialized(), session.au_id) == "initialized"
    assert session_verb(session.terminated(), session.au_id) == "terminated"
    assert session_verb(session.allowed(vocab.TERMINATED), session.au_id) is None
    assert session_verb(no_categories(session.completed()), session.au_id) is None
    assert session_verb(session.completed(), "https://example.com/another-au") is None
