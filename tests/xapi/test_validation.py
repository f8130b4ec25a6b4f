"""Tests of xapi.validation, organised by the sections of the xAPI 1.0.3 Data specification
(Part Two), with the xAPI 2.0.0 differences next to the rule they change.

Each rule has valid and invalid cases; invalid cases assert the JSON path of the error and a
fragment of its message. Property-based tests (Hypothesis) check that nothing but
StatementError ever escapes, whatever JSON is thrown at the validators.
"""

import copy
import math
import pickle
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xapi.validation import (
    INTERACTION_TYPES,
    StatementError,
    inverse_functional_identifier,
    is_iri,
    is_iso8601_duration,
    is_language_tag,
    is_uuid,
    parse_timestamp,
    validate_activity,
    validate_agent,
    validate_agent_parameter,
    validate_attachment,
    validate_context,
    validate_group,
    validate_result,
    validate_statement,
    validate_statements,
    validate_verb,
)

VERSIONS = ["1.0.3", "2.0.0"]
DELETE = object()

MINIMAL = {
    "actor": {"mbox": "mailto:learner@pathway.example"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "http://pathway.example/xapi/activities/unit-1/reading"},
}

FULL = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": {
        "objectType": "Agent",
        "name": "Alex Morgan",
        "mbox": "mailto:learner@pathway.example",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en-GB": "completed", "en-US": "completed"},
    },
    "object": {
        "objectType": "Activity",
        "id": "http://pathway.example/xapi/activities/unit-1/reading",
        "definition": {
            "name": {"en-GB": "Understanding restrictive practices"},
            "description": {"en-GB": "A reading about restrictive practices."},
            "type": "http://adlnet.gov/expapi/activities/lesson",
            "moreInfo": "http://pathway.example/units/1/reading",
            "extensions": {"http://pathway.example/xapi/extensions/pages": 12},
        },
    },
    "result": {
        "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
        "success": True,
        "completion": True,
        "response": "done",
        "duration": "PT45M12.5S",
        "extensions": {"http://pathway.example/xapi/extensions/attempts": 2},
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "instructor": {
            "objectType": "Agent",
            "name": "Sam Okafor",
            "mbox": "mailto:tutor@pathway.example",
        },
        "team": {
            "objectType": "Group",
            "name": "Riverside cohort",
            "member": [{"mbox": "mailto:aisha.khan@riverside-care.example"}],
        },
        "contextActivities": {
            "parent": [{"id": "http://pathway.example/xapi/activities/unit-1"}],
            "grouping": [
                {"objectType": "Activity", "id": "http://pathway.example/xapi/activities/diploma"}
            ],
            "category": [{"id": "http://pathway.example/xapi/profiles/pathway"}],
            "other": [{"id": "http://pathway.example/xapi/activities/handbook"}],
        },
        "revision": "2",
        "platform": "Pathway",
        "language": "en-GB",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
        "extensions": {"http://pathway.example/xapi/extensions/intake": "2024"},
    },
    "timestamp": "2024-05-04T17:00:00.123Z",
    "stored": "2024-05-04T17:00:01.456Z",
    "authority": {
        "objectType": "Agent",
        "name": "Pathway",
        "account": {"homePage": "http://pathway.example", "name": "pathway-lms"},
    },
    "version": "1.0.0",
    "attachments": [
        {
            "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": {"en-GB": "Certificate"},
            "description": {"en-GB": "Certificate of completion"},
            "contentType": "application/pdf",
            "length": 12345,
            "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
            "fileUrl": "http://pathway.example/certificates/1.pdf",
        }
    ],
}

SUBSTATEMENT = {
    "objectType": "SubStatement",
    "actor": {"objectType": "Agent", "mbox": "mailto:learner@pathway.example"},
    "verb": {"id": "http://example.com/verbs/will-visit", "display": {"en-US": "will visit"}},
    "object": {"objectType": "Activity", "id": "http://example.com/website"},
}

AGENT_OBJECT = {"objectType": "Agent", "mbox": "mailto:tutor@pathway.example"}
GROUP_OBJECT = {"objectType": "Group", "mbox": "mailto:cohort@pathway.example"}
STATEMENT_REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}
OAUTH_GROUP = {
    "objectType": "Group",
    "member": [
        {
            "account": {
                "homePage": "http://example.com/xAPI/OAuth/Token",
                "name": "oauth_consumer_x75db",
            }
        },
        {"mbox": "mailto:bob@example.com"},
    ],
}

_TOKEN_RE = re.compile(r'\[(\d+)\]|\["([^"]*)"\]|([^.\[\]]+)')


def _tokens(path: str) -> list:
    tokens = []
    for index, quoted, name in _TOKEN_RE.findall(path):
        tokens.append(int(index) if index else quoted or name)
    return tokens


def make(changes: dict | None = None, base: dict = FULL) -> dict:
    """A deep copy of ``base`` with ``{path: value}`` changes (DELETE removes the key)."""
    statement = copy.deepcopy(base)
    for path, value in (changes or {}).items():
        *parents, last = _tokens(path)
        target = statement
        for token in parents:
            target = target[token]
        if value is DELETE:
            del target[last]
        else:
            target[last] = copy.deepcopy(value)
    return statement


def error_of(statement, version: str = "1.0.3") -> StatementError:
    with pytest.raises(StatementError) as info:
        validate_statement(statement, version)
    return info.value


def assert_error(statement, path: str, fragment: str, version: str = "1.0.3") -> None:
    error = error_of(statement, version)
    assert error.path == path, str(error)
    assert fragment in error.message, str(error)


def assert_valid(statement, version: str = "1.0.3") -> None:
    validate_statement(statement, version)


# ============================================================================================
# StatementError
# ============================================================================================


def test_statement_error_carries_path_and_message():
    error = StatementError("actor.mbox", "must be a mailto: IRI")
    assert isinstance(error, ValueError)
    assert (error.path, error.message) == ("actor.mbox", "must be a mailto: IRI")
    assert str(error) == "actor.mbox: must be a mailto: IRI"


def test_statement_error_pickles():
    error = pickle.loads(pickle.dumps(StatementError("[3].verb", "is required")))  # noqa: S301
    assert (error.path, error.message, str(error)) == (
        "[3].verb",
        "is required",
        "[3].verb: is required",
    )


def test_unsupported_version_argument_is_a_programming_error():
    with pytest.raises(ValueError, match="unsupported xAPI version") as info:
        validate_statement(MINIMAL, "0.95")
    assert not isinstance(info.value, StatementError)


# ============================================================================================
# Data 2.2 Formatting requirements
# ============================================================================================


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("statement", [MINIMAL, FULL], ids=["minimal", "full"])
def test_valid_statements_pass(statement, version):
    original = copy.deepcopy(statement)
    assert validate_statement(statement, version) is None
    assert statement == original  # validation never changes the statement


@pytest.mark.parametrize("key", ["actor", "verb", "object"])
def test_actor_verb_and_object_are_required(key):
    assert_error(make({key: DELETE}), key, "is required")


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("iD", "iD"),
        ("Actor", "Actor"),
        ("veRb", "veRb"),
        ("oBject", "oBject"),
        ("RESULT", "RESULT"),
        ("conText", "conText"),
        ("timeStamp", "timeStamp"),
        ("STOred", "STOred"),
        ("auTHORity", "auTHORity"),
        ("Version", "Version"),
        ("attachmentS", "attachmentS"),
        ("objectType", "objectType"),
        ("extensions", "extensions"),
    ],
)
def test_statement_rejects_unknown_properties_and_wrong_case(key, path):
    assert_error(make({key: "1.0.0"}), path, "is not an allowed property of a Statement")


@pytest.mark.parametrize(
    ("changes", "path", "what"),
    [
        ({"actor.mbx": "x"}, "actor.mbx", "an Agent"),
        ({"authority.account.id": "x"}, "authority.account.id", "an account"),
        ({"verb.name": {"en": "x"}}, "verb.name", "a Verb"),
        ({"object.name": "x"}, "object.name", "an Activity"),
        ({"object.definition.title": "x"}, "object.definition.title", "an Activity Definition"),
        ({"result.Score": {}}, "result.Score", "a Result"),
        ({"result.score.percent": 1}, "result.score.percent", "a Score"),
        ({"context.Registration": "x"}, "context.Registration", "a Context"),
        ({"context.team.members": []}, "context.team.members", "a Group"),
        ({"context.statement.actor": {}}, "context.statement.actor", "a StatementRef"),
        ({"attachments[0].url": "x"}, "attachments[0].url", "an Attachment"),
    ],
)
def test_unknown_properties_are_rejected_in_every_object(changes, path, what):
    assert_error(make(changes), path, f"is not an allowed property of {what}")


@pytest.mark.parametrize(
    ("set_path", "error_path"),
    [
        ("id", "id"),
        ("actor", "actor"),
        ("actor.name", "actor.name"),
        ("actor.objectType", "actor.objectType"),
        ("actor.mbox", "actor.mbox"),
        ("verb", "verb"),
        ("verb.id", "verb.id"),
        ("verb.display", "verb.display"),
        ("verb.display.en-US", 'verb.display["en-US"]'),
        ("object", "object"),
        ("object.id", "object.id"),
        ("object.objectType", "object.objectType"),
        ("object.definition", "object.definition"),
        ("object.definition.type", "object.definition.type"),
        ("object.definition.extensions", "object.definition.extensions"),
        ("result", "result"),
        ("result.score", "result.score"),
        ("result.score.raw", "result.score.raw"),
        ("result.success", "result.success"),
        ("result.response", "result.response"),
        ("result.duration", "result.duration"),
        ("context", "context"),
        ("context.registration", "context.registration"),
        ("context.contextActivities.parent", "context.contextActivities.parent"),
        ("context.contextActivities.parent[0]", "context.contextActivities.parent[0]"),
        ("context.revision", "context.revision"),
        ("context.language", "context.language"),
        ("timestamp", "timestamp"),
        ("stored", "stored"),
        ("authority", "authority"),
        ("version", "version"),
        ("attachments", "attachments"),
        ("attachments[0].length", "attachments[0].length"),
    ],
)
def test_null_is_never_allowed_outside_extensions(set_path, error_path):
    assert_error(make({set_path: None}), error_path, "must not be null")


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"result.score.raw": "95"}, "result.score.raw", "must be a number, not a string"),
        ({"result.score.scaled": "0.5"}, "result.score.scaled", "must be a number"),
        ({"result.score.min": True}, "result.score.min", "must be a number, not a boolean"),
        ({"result.success": "true"}, "result.success", "must be a boolean, not a string"),
        ({"result.completion": "false"}, "result.completion", "must be a boolean"),
        ({"result.completion": 1}, "result.completion", "must be a boolean, not a number"),
        ({"attachments[0].length": "27"}, "attachments[0].length", "must be an integer"),
        ({"actor.name": 42}, "actor.name", "must be a string, not a number"),
        ({"context.platform": ["Pathway"]}, "context.platform", "must be a string, not an array"),
        ({"verb": "completed"}, "verb", "must be a Verb object, not a string"),
        ({"object.definition": "x"}, "object.definition", "must be an Activity Definition object"),
    ],
)
def test_wrong_data_types_are_rejected(changes, path, fragment):
    assert_error(make(changes), path, fragment)


def test_malformed_object_type_string_is_rejected():
    assert_error(
        make({"actor.objectType": '"objectType": "Agent"'}), "actor.objectType", "must be 'Agent'"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"result": {}},
        {"context": {}},
        {"object.definition": {}},
        {"object.definition.extensions": {}},
        {"result.extensions": {}},
        {"context.extensions": {}},
        {"context.contextActivities": {}},
        {"verb.display": {}},
        {"result.score": {}},
        {"attachments": []},
    ],
)
def test_empty_objects_are_accepted(changes):
    assert_valid(make(changes))


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected(number):
    assert_error(make({"result.score.raw": number}), "result.score.raw", "finite")


# ============================================================================================
# Data 2.3.2 Voiding
# ============================================================================================

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def test_voiding_statement_with_statement_ref_is_valid():
    assert_valid(
        make(
            {"verb": {"id": VOIDED, "display": {"en-US": "voided"}}, "object": STATEMENT_REF},
            MINIMAL,
        )
    )


@pytest.mark.parametrize(
    "target",
    [
        {"id": "http://example.com/activity"},
        AGENT_OBJECT,
        GROUP_OBJECT,
        SUBSTATEMENT,
    ],
    ids=["activity", "agent", "group", "substatement"],
)
def test_voiding_statement_must_target_a_statement_ref(target):
    statement = make({"verb.id": VOIDED, "object": target}, MINIMAL)
    assert_error(statement, "object.objectType", "must be 'StatementRef'")


def test_voided_verb_inside_a_substatement_also_needs_a_statement_ref():
    sub = make({"verb.id": VOIDED}, SUBSTATEMENT)
    assert_error(make({"object": sub}, MINIMAL), "object.object.objectType", "'StatementRef'")
    assert_valid(
        make({"object": make({"verb.id": VOIDED, "object": STATEMENT_REF}, SUBSTATEMENT)}, MINIMAL)
    )


# ============================================================================================
# Data 2.4.1 ID
# ============================================================================================


@pytest.mark.parametrize(
    "value",
    [
        "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "FD41C918-B88B-4B20-A0A5-A4C32391AAA0",
        "Fd41c918-b88B-4b20-a0a5-A4c32391aaa0",
        "00000000-0000-0000-0000-000000000000",
        "c232d2a8-1c4d-11ef-9c2e-0242ac120002",  # version 1
        "6ba7b810-9dad-31d1-80b4-00c04fd430c8",  # version 3
        "0190a6f5-5e3c-7c33-8a6b-0d3d2c1e9f00",  # version 7
    ],
)
def test_statement_id_accepts_any_uuid_in_standard_form(value):
    assert_valid(make({"id": value}))


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("AA97B177-9383-4934-8543-0F91A7A028368", "standard string form"),
        ("MA97B177-9383-4934-8543-0F91A7A02836", "standard string form"),
        ("fd41c918b88b4b20a0a5a4c32391aaa0", "standard string form"),
        ("{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}", "standard string form"),
        ("urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "standard string form"),
        (" fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "standard string form"),
        ("fd41c918-b88b-4b20-a0a5-a4c32391aaa0\n", "standard string form"),
        ("", "standard string form"),
        (12345, "must be a UUID string, not a number"),
        ({"key": "value"}, "must be a UUID string, not an object"),
    ],
)
def test_statement_id_must_be_a_uuid(value, fragment):
    assert_error(make({"id": value}), "id", fragment)


# ============================================================================================
# Data 2.4.2 Actor: Agent, Group, inverse functional identifiers, account
# ============================================================================================

VALID_IFIS = [
    {"mbox": "mailto:xapi@adlnet.gov"},
    {"mbox": "mailto:first.last+tag@sub.example.co.uk"},
    {"mbox": "mailto:user@localhost"},
    {"mbox": "mailto:user@[192.168.0.1]"},
    {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
    {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"},
    {"openid": "http://openid.example.org/12345"},
    {"account": {"homePage": "http://www.example.com", "name": "1625378"}},
    {"account": {"homePage": "https://lms.example.com/users", "name": ""}},
]


@pytest.mark.parametrize("ifi", VALID_IFIS, ids=lambda ifi: next(iter(ifi)))
@pytest.mark.parametrize("object_type", [None, "Agent"])
def test_agent_with_one_valid_ifi_is_valid(ifi, object_type):
    agent = dict(ifi, name="Someone")
    if object_type:
        agent["objectType"] = object_type
    assert_valid(make({"actor": agent}, MINIMAL))
    validate_agent(agent, "actor")


@pytest.mark.parametrize("where", ["actor", "authority", "context.instructor"])
def test_agent_without_ifi_is_rejected(where):
    assert_error(make({where: {"objectType": "Agent", "name": "x"}}), where, "found none")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("mbox", "mbox_sha1sum"),
        ("mbox", "openid"),
        ("mbox", "account"),
        ("mbox_sha1sum", "openid"),
        ("mbox_sha1sum", "account"),
        ("openid", "account"),
    ],
)
def test_agent_with_two_ifis_is_rejected(first, second):
    ifis = {key: value for ifi in VALID_IFIS for key, value in ifi.items()}
    agent = {"objectType": "Agent", first: ifis[first], second: ifis[second]}
    assert_error(
        make({"actor": agent}), "actor", "exactly one inverse functional identifier, found 2"
    )


@pytest.mark.parametrize(
    "mbox",
    [
        "xapi@adlnet.gov",
        "mailto:",
        "mailto:xapi.adlnet.gov",
        "mailto:@adlnet.gov",
        "mailto:xapi@",
        "mailto:a@b@c",
        "mailto:xa pi@adlnet.gov",
        "mailto:xapi@adlnet..gov",
        "mailto:xapi@adlnet.gov?subject=hi",
        "MAILTO:xapi@adlnet.gov",
        "http://adlnet.gov/xapi",
        "",
    ],
)
def test_mbox_must_be_a_mailto_iri_with_an_address(mbox):
    assert_error(make({"actor.mbox": mbox}), "actor.mbox", "must be a mailto: IRI")


def test_mbox_must_be_a_string():
    assert_error(make({"actor.mbox": ["mailto:x@y"]}), "actor.mbox", "must be a mailto: IRI string")


@pytest.mark.parametrize(
    ("sha1", "fragment"),
    [
        ("cd9b00a5611f94eaa7b1661edab976068e36497", "40 hex digits"),
        ("cd9b00a5611f94eaa7b1661edab976068e3649755", "40 hex digits"),
        ("zd9b00a5611f94eaa7b1661edab976068e364975", "40 hex digits"),
        ("", "40 hex digits"),
        ({"sha1": "x"}, "must be a string, not an object"),
        (1234, "must be a string, not a number"),
    ],
)
def test_mbox_sha1sum_must_be_40_hex_digits(sha1, fragment):
    actor = {"mbox_sha1sum": sha1}
    assert_error(make({"actor": actor}), "actor.mbox_sha1sum", fragment)


@pytest.mark.parametrize(
    ("openid", "fragment"),
    [
        ("open.id.com/testUser", "with a scheme"),
        ("http://open id.com", "no spaces"),
        ("http://openid.example/ünïcode", "ASCII"),
        ("", "with a scheme"),
        (42, "must be an absolute URI string"),
    ],
)
def test_openid_must_be_an_absolute_uri(openid, fragment):
    assert_error(make({"actor": {"openid": openid}}), "actor.openid", fragment)


@pytest.mark.parametrize(
    ("account", "path", "fragment"),
    [
        ({"name": "123456"}, "actor.account.homePage", "is required"),
        ({"homePage": "http://www.example.com"}, "actor.account.name", "is required"),
        ({"homePage": "homePage.com/testUser", "name": "1"}, "actor.account.homePage", "an IRL"),
        ({"homePage": 12, "name": "1"}, "actor.account.homePage", "must be an IRL string"),
        (
            {"homePage": "http://example.com", "name": 123456},
            "actor.account.name",
            "must be a string",
        ),
        (
            {"homePage": "http://example.com", "name": "1", "id": "2"},
            "actor.account.id",
            "an account",
        ),
        ("http://example.com|1", "actor.account", "must be an account object"),
    ],
)
def test_account_needs_home_page_irl_and_name_string(account, path, fragment):
    assert_error(make({"actor": {"account": account}}), path, fragment)


@pytest.mark.parametrize("object_type", ["agent", "Group ", "Person", 1, {"x": 1}])
def test_agent_object_type_must_be_agent(object_type):
    assert_error(make({"actor.objectType": object_type}), "actor.objectType", "must be 'Agent'")


def test_anonymous_group_is_valid():
    group = {
        "objectType": "Group",
        "name": "Team",
        "member": [{"mbox": "mailto:a@example.com"}, {"openid": "http://openid.example/b"}],
    }
    assert_valid(make({"actor": group}, MINIMAL))


@pytest.mark.parametrize("ifi", VALID_IFIS, ids=lambda ifi: next(iter(ifi)))
@pytest.mark.parametrize("with_members", [False, True])
def test_identified_group_is_valid_with_or_without_members(ifi, with_members):
    group = dict(ifi, objectType="Group")
    if with_members:
        group["member"] = [{"mbox": "mailto:a@example.com"}]
    assert_valid(make({"actor": group}, MINIMAL))
    validate_group(group, "actor")


@pytest.mark.parametrize(
    ("group", "path", "fragment"),
    [
        ({"objectType": "Group", "name": "x"}, "actor.member", "is required in an anonymous Group"),
        ({"objectType": "Group", "member": []}, "actor.member", "at least one member"),
        (
            {"objectType": "Group", "member": {"mbox": "mailto:a@b.c"}},
            "actor.member",
            "an array of Agents",
        ),
        ({"member": [{"mbox": "mailto:a@b.c"}]}, "actor.objectType", "is required"),
        (
            {
                "objectType": "Group",
                "member": [
                    {"mbox": "mailto:a@b.c"},
                    {"objectType": "Group", "mbox": "mailto:g@b.c"},
                ],
            },
            "actor.member[1]",
            "must be Agents, not Groups",
        ),
        ({"objectType": "Group", "member": [{"mbox": "a@b.c"}]}, "actor.member[0].mbox", "mailto:"),
        ({"objectType": "Group", "member": [{"name": "x"}]}, "actor.member[0]", "found none"),
        ({"objectType": "Group", "member": ["mailto:a@b.c"]}, "actor.member[0]", "an Agent object"),
        (
            {"objectType": "Group", "mbox": "mailto:g@b.c", "openid": "http://openid.example/g"},
            "actor",
            "a Group must have exactly one inverse functional identifier, found 2",
        ),
        (
            {"objectType": "Group", "mbox": "mailto:g@b.c", "name": 7},
            "actor.name",
            "must be a string",
        ),
    ],
)
def test_group_rules(group, path, fragment):
    assert_error(make({"actor": group}), path, fragment)


@pytest.mark.parametrize(
    "where",
    [
        "actor",
        "object",
        "context.instructor",
        "context.team",
        "object.actor",
        "object.context.team",
    ],
)
def test_group_rules_apply_wherever_a_group_appears(where):
    if where.startswith("object."):
        base = make({"object": SUBSTATEMENT | {"context": {}}}, MINIMAL)
    else:
        base = FULL
    statement = make({where: {"objectType": "Group", "name": "x"}}, base)
    assert_error(statement, f"{where}.member", "is required in an anonymous Group")


# ============================================================================================
# Data 2.4.3 Verb
# ============================================================================================


@pytest.mark.parametrize(
    "verb",
    [
        {"id": "http://adlnet.gov/expapi/verbs/attended"},
        {
            "id": "http://example.com/xapi/verbs#defenestrated",
            "display": {"en-US": "defenestrated", "es": "defenestrado"},
        },
        {"id": "http://example.com/فعل/خواندن", "display": {"ar": "قرأ"}},
        {"id": "urn:x-pathway:verbs:read", "display": {}},
    ],
)
def test_valid_verbs(verb):
    assert_valid(make({"verb": verb}))
    validate_verb(verb)


@pytest.mark.parametrize(
    ("verb", "path", "fragment"),
    [
        ({"display": {"en-US": "attended"}}, "verb.id", "is required"),
        ({"id": "adlnet.gov/expapi/verbs/attended"}, "verb.id", "with a scheme"),
        ({"id": "http://adlnet.gov/expapi/verbs/att ended"}, "verb.id", "no spaces"),
        ({"id": 7}, "verb.id", "must be an IRI string"),
        (
            {"id": "http://x.example/v", "display": "attended"},
            "verb.display",
            "must be a language map",
        ),
        ({"id": "http://x.example/v", "display": 12}, "verb.display", "must be a language map"),
        (
            {"id": "http://x.example/v", "display": {"a12345": "x"}},
            'verb.display["a12345"]',
            "RFC 5646",
        ),
        (
            {"id": "http://x.example/v", "display": {"en": 1}},
            'verb.display["en"]',
            "must be a string",
        ),
        ({"id": "http://x.example/v", "lang": "en"}, "verb.lang", "a Verb"),
    ],
)
def test_invalid_verbs(verb, path, fragment):
    assert_error(make({"verb": verb}), path, fragment)


# ============================================================================================
# Data 2.4.4 Object
# ============================================================================================

INTERACTIONS = {
    "true-false": {"correctResponsesPattern": ["true"]},
    "choice": {
        "correctResponsesPattern": ["golf[,]tetris"],
        "choices": [{"id": "golf", "description": {"en-US": "Golf"}}, {"id": "tetris"}],
    },
    "fill-in": {"correctResponsesPattern": ["{case_matters=false}Bob's your uncle"]},
    "long-fill-in": {"correctResponsesPattern": ["{lang=en}It's a long story"]},
    "matching": {
        "correctResponsesPattern": ["ben[.]3[,]chris[.]2"],
        "source": [{"id": "ben"}, {"id": "chris"}],
        "target": [{"id": "2"}, {"id": "3"}],
    },
    "performance": {
        "correctResponsesPattern": ["pong[.]1:[,]dg[.]:10"],
        "steps": [{"id": "pong"}, {"id": "dg"}],
    },
    "sequencing": {"correctResponsesPattern": ["a[,]b"], "choices": [{"id": "a"}, {"id": "b"}]},
    "likert": {
        "correctResponsesPattern": ["likert_3"],
        "scale": [{"id": "likert_0"}, {"id": "likert_3"}],
    },
    "numeric": {"correctResponsesPattern": ["4[:]"]},
    "other": {"correctResponsesPattern": ["(35.937432,-86.868896)"]},
}


def activity(definition=None, **fields):
    value = {"objectType": "Activity", "id": "http://example.com/activities/q1"} | fields
    if definition is not None:
        value["definition"] = definition
    return value


@pytest.mark.parametrize("interaction_type", sorted(INTERACTION_TYPES))
def test_every_interaction_type_with_its_component_lists_is_valid(interaction_type):
    definition = {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": interaction_type,
    } | INTERACTIONS[interaction_type]
    assert_valid(make({"object": activity(definition)}))
    assert_valid(
        make(
            {
                "object": activity(
                    {"interactionType": interaction_type, "correctResponsesPattern": []}
                )
            }
        )
    )


@pytest.mark.parametrize(
    "object_",
    [
        {"id": "http://example.com/a"},
        {"objectType": "Activity", "id": "http://example.com/a"},
        {"id": "http://example.com/path/../a"},
        {"id": "urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0"},
        {
            "id": "http://example.com/a",
            "definition": {"name": {"und": "?"}, "description": {"zh-Hant": "說明"}},
        },
    ],
)
def test_valid_activities(object_):
    assert_valid(make({"object": object_}))
    validate_activity(object_)


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"object.objectType": "activity"}, "object.objectType", "must be one of Activity"),
        ({"object.id": DELETE}, "object.id", "is required"),
        ({"object.id": "www.example.com/meetings/34534"}, "object.id", "with a scheme"),
        ({"object.id": "#fragment"}, "object.id", "with a scheme"),
        ({"object.definition.name": "x"}, "object.definition.name", "must be a language map"),
        ({"object.definition.description": 1}, "object.definition.description", "language map"),
        (
            {"object.definition.name": {"en-GB": {"text": "x"}}},
            'object.definition.name["en-GB"]',
            "string",
        ),
        ({"object.definition.type": "activities/lesson"}, "object.definition.type", "an IRI"),
        (
            {"object.definition.moreInfo": "pathway.example/x"},
            "object.definition.moreInfo",
            "an IRL",
        ),
        ({"object.definition.extensions": "x"}, "object.definition.extensions", "an object of IRI"),
        (
            {"object.definition.extensions": {"not.valid.com/extension": 1234}},
            'object.definition.extensions["not.valid.com/extension"]',
            "extension keys are IRIs",
        ),
    ],
)
def test_invalid_activities(changes, path, fragment):
    assert_error(make(changes), path, fragment)


@pytest.mark.parametrize(
    "value",
    ["true-faLse", "choiCe", "fill-iN", "Other", "multiple-choice", "", "http://x.example/t"],
)
def test_interaction_type_must_match_the_vocabulary_exactly(value):
    assert_error(
        make({"object": activity({"interactionType": value})}),
        "object.definition.interactionType",
        "must be one of",
    )


def test_interaction_type_must_be_a_string():
    assert_error(
        make({"object": activity({"interactionType": 1})}),
        "object.definition.interactionType",
        "string",
    )


@pytest.mark.parametrize("interaction_type", sorted(INTERACTION_TYPES))
def test_interaction_properties_require_an_interaction_type(interaction_type):
    definition = dict(INTERACTIONS[interaction_type])
    assert_error(
        make({"object": activity(definition)}),
        "object.definition.correctResponsesPattern",
        "requires interactionType",
    )
    del definition["correctResponsesPattern"]
    if definition:
        key = next(iter(definition))
        assert_error(
            make({"object": activity(definition)}),
            f"object.definition.{key}",
            "requires interactionType",
        )


@pytest.mark.parametrize(
    ("interaction_type", "key"),
    [
        ("true-false", "choices"),
        ("likert", "choices"),
        ("choice", "scale"),
        ("matching", "steps"),
        ("performance", "source"),
        ("fill-in", "target"),
        ("numeric", "steps"),
        ("other", "scale"),
    ],
)
def test_component_lists_must_suit_the_interaction_type(interaction_type, key):
    definition = {"interactionType": interaction_type, key: [{"id": "a"}]}
    assert_error(
        make({"object": activity(definition)}),
        f"object.definition.{key}",
        f"not allowed for interactionType '{interaction_type}'",
    )


@pytest.mark.parametrize(
    ("definition", "path", "fragment"),
    [
        (
            {"correctResponsesPattern": "a[,]b"},
            "object.definition.correctResponsesPattern",
            "an array of strings",
        ),
        (
            {"correctResponsesPattern": ["a", 2]},
            "object.definition.correctResponsesPattern[1]",
            "a string",
        ),
        (
            {"choices": {"id": "a"}},
            "object.definition.choices",
            "an array of interaction components",
        ),
        ({"choices": ["a"]}, "object.definition.choices[0]", "interaction component object"),
        (
            {"choices": [{"description": {"en": "A"}}]},
            "object.definition.choices[0].id",
            "is required",
        ),
        ({"choices": [{"id": 1}]}, "object.definition.choices[0].id", "must be a string"),
        (
            {"choices": [{"id": "a"}, {"id": "b"}, {"id": "a"}]},
            "object.definition.choices[2].id",
            "distinct",
        ),
        (
            {"choices": [{"id": "a", "description": "A"}]},
            "object.definition.choices[0].description",
            "language map",
        ),
        (
            {"choices": [{"id": "a", "description": {"en-": "A"}}]},
            'object.definition.choices[0].description["en-"]',
            "RFC 5646",
        ),
        (
            {"choices": [{"id": "a", "name": "A"}]},
            "object.definition.choices[0].name",
            "interaction component",
        ),
    ],
)
def test_invalid_interaction_components(definition, path, fragment):
    definition = {"interactionType": "choice"} | definition
    assert_error(make({"object": activity(definition)}), path, fragment)


def test_component_ids_may_repeat_across_lists():
    definition = {"interactionType": "matching", "source": [{"id": "1"}], "target": [{"id": "1"}]}
    assert_valid(make({"object": activity(definition)}))


@pytest.mark.parametrize("target", [AGENT_OBJECT, GROUP_OBJECT], ids=["agent", "group"])
def test_agent_or_group_object_needs_object_type(target):
    assert_valid(make({"object": target}, MINIMAL))
    without = {key: value for key, value in target.items() if key != "objectType"}
    assert_error(
        make({"object": without}, MINIMAL),
        "object.objectType",
        "is required when the object is an Agent",
    )


def test_unknown_object_type_is_rejected():
    assert_error(make({"object.objectType": "Person"}), "object.objectType", "must be one of")
    assert_error(make({"object.objectType": 3}), "object.objectType", "must be a string")


@pytest.mark.parametrize(
    ("ref", "path", "fragment"),
    [
        (
            {"objectType": "statementref", "id": STATEMENT_REF["id"]},
            "object.objectType",
            "must be one of",
        ),
        ({"objectType": "StatementRef"}, "object.id", "is required"),
        ({"objectType": "StatementRef", "id": "not-a-uuid"}, "object.id", "UUID"),
        ({"objectType": "StatementRef", "id": 1}, "object.id", "UUID string"),
        (STATEMENT_REF | {"definition": {}}, "object.definition", "a StatementRef"),
    ],
)
def test_statement_ref_rules(ref, path, fragment):
    assert_valid(make({"object": STATEMENT_REF}, MINIMAL))
    assert_error(make({"object": ref}, MINIMAL), path, fragment)


def test_context_statement_ref_needs_object_type():
    assert_error(
        make({"context.statement": {"id": STATEMENT_REF["id"]}}),
        "context.statement.objectType",
        "is required",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"result": FULL["result"], "context": FULL["context"]},
        {"timestamp": "2031-11-26T05:11:44.694Z"},
        {"attachments": FULL["attachments"]},
        {"object": AGENT_OBJECT},
        {"object": STATEMENT_REF},
        {"actor": OAUTH_GROUP},
    ],
)
def test_valid_substatements(changes):
    assert_valid(make({"object": make(changes, SUBSTATEMENT)}, MINIMAL))


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"id": FULL["id"]}, "object.id", "is not allowed in a SubStatement"),
        ({"stored": FULL["stored"]}, "object.stored", "is not allowed in a SubStatement"),
        ({"version": "1.0.0"}, "object.version", "is not allowed in a SubStatement"),
        ({"authority": FULL["authority"]}, "object.authority", "is not allowed in a SubStatement"),
        ({"actor": DELETE}, "object.actor", "is required"),
        ({"verb": DELETE}, "object.verb", "is required"),
        ({"object": DELETE}, "object.object", "is required"),
        ({"object": SUBSTATEMENT}, "object.object.objectType", "must not contain a SubStatement"),
        ({"objectType": "substatement"}, "object.objectType", "must be one of"),
        ({"actor.mbox": "nobody"}, "object.actor.mbox", "mailto:"),
        ({"object": {"mbox": "mailto:a@b.c"}}, "object.object.objectType", "is required"),
        ({"timestamp": "yesterday"}, "object.timestamp", "ISO 8601"),
        ({"extra": 1}, "object.extra", "is not an allowed property of a SubStatement"),
    ],
)
def test_invalid_substatements(changes, path, fragment):
    assert_error(make({"object": make(changes, SUBSTATEMENT)}, MINIMAL), path, fragment)


# ============================================================================================
# Data 2.4.5 Result
# ============================================================================================


@pytest.mark.parametrize(
    "result",
    [
        {"score": {"scaled": 1.0}},
        {"score": {"scaled": -1.0}},
        {"score": {"scaled": 0}},
        {"score": {"scaled": 0.12123434, "raw": 12.125, "min": 0.12123434, "max": 45.45}},
        {"score": {"raw": 95, "min": 0, "max": 100.6767676}},
        {"score": {"raw": 5, "min": 5, "max": 5}},
        {"score": {"raw": -50}},
        {"score": {"min": -10, "max": 10}},
        {"success": False, "completion": False, "response": ""},
        {"duration": "P4W"},
        {"extensions": {"http://example.com/ext": None}},
    ],
)
def test_valid_results(result):
    assert_valid(make({"result": result}))
    validate_result(result)


@pytest.mark.parametrize(
    ("result", "path", "fragment"),
    [
        ({"score": 95}, "result.score", "a Score object"),
        ({"score": "95"}, "result.score", "a Score object"),
        ({"score": {"scaled": 1.01}}, "result.score.scaled", "between -1 and 1"),
        ({"score": {"scaled": -1.00001}}, "result.score.scaled", "between -1 and 1"),
        ({"score": {"raw": 101, "max": 100}}, "result.score.raw", "greater than max"),
        ({"score": {"raw": -1, "min": 0}}, "result.score.raw", "less than min"),
        (
            {"score": {"raw": 1, "min": 104.67, "max": 100.67}},
            "result.score.min",
            "greater than max",
        ),
        ({"score": {"raw": "1"}}, "result.score.raw", "must be a number"),
        ({"score": {"max": None}}, "result.score.max", "must not be null"),
        ({"success": "true"}, "result.success", "boolean"),
        ({"completion": 0}, "result.completion", "boolean"),
        ({"response": 42}, "result.response", "must be a string"),
        ({"response": {"answer": "x"}}, "result.response", "must be a string"),
        ({"duration": "should fail"}, "result.duration", "ISO 8601 duration"),
        ({"duration": 12345}, "result.duration", "ISO 8601 duration string"),
        ({"duration": "P4W1D"}, "result.duration", "ISO 8601 duration"),
        ({"extensions": 1}, "result.extensions", "an object of IRI"),
        (
            {"extensions": {"example.com/extension/wrong": 1}},
            'result.extensions["example.com/extension/wrong"]',
            "IRI",
        ),
    ],
)
def test_invalid_results(result, path, fragment):
    assert_error(make({"result": result}), path, fragment)


# ============================================================================================
# Data 2.4.6 Context (and xAPI 2.0.0 contextAgents / contextGroups)
# ============================================================================================


@pytest.mark.parametrize("key", ["parent", "grouping", "category", "other"])
@pytest.mark.parametrize("version", VERSIONS)
def test_context_activities_accept_a_single_activity_or_an_array(key, version):
    single = {"id": "http://example.com/activities/course"}
    assert_valid(make({"context.contextActivities": {key: single}}), version)
    assert_valid(
        make({"context.contextActivities": {key: [single, {"id": "http://example.com/b"}]}}),
        version,
    )
    assert_valid(make({"context.contextActivities": {key: []}}), version)


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"context.registration": "not-a-uuid"}, "context.registration", "UUID"),
        ({"context.registration": {"id": 1}}, "context.registration", "a UUID string"),
        ({"context.instructor": "Sam"}, "context.instructor", "an Agent object"),
        ({"context.instructor": {"key": "x"}}, "context.instructor.key", "an Agent"),
        (
            {"context.team": {"objectType": "Agent", "mbox": "mailto:a@b.c"}},
            "context.team.objectType",
            "must be 'Group'",
        ),
        ({"context.team": {"mbox": "mailto:a@b.c"}}, "context.team.objectType", "is required"),
        (
            {"context.contextActivities": "parent"},
            "context.contextActivities",
            "contextActivities object",
        ),
        (
            {"context.contextActivities.consequences": []},
            "context.contextActivities.consequences",
            "parent, grouping, category, other",
        ),
        (
            {"context.contextActivities.parent": "http://example.com/a"},
            "context.contextActivities.parent",
            "an Activity or an array",
        ),
        (
            {"context.contextActivities.parent[0].id": "course"},
            "context.contextActivities.parent[0].id",
            "IRI",
        ),
        (
            {
                "context.contextActivities.other": [
                    {"id": "http://example.com/a"},
                    {"id": "http://example.com/b", "key": 1},
                ]
            },
            "context.contextActivities.other[1].key",
            "an Activity",
        ),
        (
            {"context.contextActivities.parent": [{"objectType": "Agent", "mbox": "mailto:a@b.c"}]},
            "context.contextActivities.parent[0].objectType",
            "must be 'Activity'",
        ),
        ({"context.revision": 10}, "context.revision", "must be a string"),
        ({"context.platform": {"name": "x"}}, "context.platform", "must be a string"),
        ({"context.language": "en_GB"}, "context.language", "RFC 5646"),
        ({"context.language": 1}, "context.language", "language tag string"),
        ({"context.statement": STATEMENT_REF | {"id": "x"}}, "context.statement.id", "UUID"),
        (
            {"context.extensions": {"example.com/extension/wrong": 1234}},
            'context.extensions["example.com/extension/wrong"]',
            "IRI",
        ),
        ({"context.contextAgents": []}, "context.contextAgents", "only allowed in xAPI 2.0"),
        ({"context.contextGroups": []}, "context.contextGroups", "only allowed in xAPI 2.0"),
    ],
)
def test_invalid_contexts(changes, path, fragment):
    assert_error(make(changes), path, fragment)


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize(
    "target",
    [AGENT_OBJECT, GROUP_OBJECT, STATEMENT_REF, SUBSTATEMENT],
    ids=["agent", "group", "ref", "sub"],
)
def test_revision_and_platform_only_with_an_activity_object(key, target):
    statement = make({"object": target, "context": {key: "x"}}, MINIMAL)
    assert_error(
        statement, f"context.{key}", "only allowed when the Statement's object is an Activity"
    )
    assert_valid(make({"context": {key: "x"}}, MINIMAL))


def test_revision_rule_inside_a_substatement_looks_at_its_own_object():
    sub = make({"object": AGENT_OBJECT, "context": {"revision": "2"}}, SUBSTATEMENT)
    assert_error(make({"object": sub}, MINIMAL), "object.context.revision", "only allowed")
    assert_valid(make({"object": make({"context": {"revision": "2"}}, SUBSTATEMENT)}, MINIMAL))


def test_validate_context_helper_takes_version_and_object_kind():
    validate_context({"revision": "1"})
    with pytest.raises(StatementError, match="context.revision: is only allowed"):
        validate_context({"revision": "1"}, object_is_activity=False)
    validate_context({"contextAgents": []}, version="2.0.0")
    with pytest.raises(StatementError, match="only allowed in xAPI 2.0"):
        validate_context({"contextAgents": []}, version="1.0.3")


CONTEXT_AGENTS = [
    {
        "objectType": "contextAgent",
        "agent": {"objectType": "Agent", "mbox": "mailto:player-1@example.com"},
        "relevantTypes": ["https://example.com/xapi/activity-types/personnel/player"],
    },
    {"objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.com"}},
]
CONTEXT_GROUPS = [
    {
        "objectType": "contextGroup",
        "group": {
            "objectType": "Group",
            "mbox": "mailto:team-1@example.com",
            "member": [{"mbox": "mailto:p1@example.com"}],
        },
        "relevantTypes": ["https://example.com/xapi/activity-types/team/a"],
    },
    {
        "objectType": "contextGroup",
        "group": {"objectType": "Group", "member": [{"mbox": "mailto:p3@example.com"}]},
    },
]


def test_context_agents_and_groups_are_valid_in_xapi_2():
    statement = make(
        {"context.contextAgents": CONTEXT_AGENTS, "context.contextGroups": CONTEXT_GROUPS}
    )
    assert_valid(statement, "2.0.0")
    assert_valid(
        make({"object": make({"context": statement["context"]}, SUBSTATEMENT)}, MINIMAL), "2.0.0"
    )


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        (
            {"context.contextAgents": CONTEXT_AGENTS[0]},
            "context.contextAgents",
            "an array of contextAgent",
        ),
        ({"context.contextAgents": ["x"]}, "context.contextAgents[0]", "a contextAgent object"),
        (
            {"context.contextAgents[0].objectType": "Should fail"},
            "context.contextAgents[0].objectType",
            "must be 'contextAgent'",
        ),
        (
            {"context.contextAgents[0].objectType": DELETE},
            "context.contextAgents[0].objectType",
            "is required",
        ),
        (
            {"context.contextAgents[0].agent": DELETE},
            "context.contextAgents[0].agent",
            "is required",
        ),
        (
            {"context.contextAgents[0].agent": {"key": "x"}},
            "context.contextAgents[0].agent.key",
            "an Agent",
        ),
        (
            {"context.contextAgents[0].agent": GROUP_OBJECT},
            "context.contextAgents[0].agent.objectType",
            "must be 'Agent'",
        ),
        (
            {"context.contextAgents[0].relevantTypes": []},
            "context.contextAgents[0].relevantTypes",
            "must not be empty",
        ),
        (
            {"context.contextAgents[0].relevantTypes": ["abc"]},
            "context.contextAgents[0].relevantTypes[0]",
            "an IRI",
        ),
        (
            {"context.contextAgents[0].relevantTypes": "http://x.example/t"},
            "context.contextAgents[0].relevantTypes",
            "an array of IRIs",
        ),
        (
            {"context.contextAgents[0].member": []},
            "context.contextAgents[0].member",
            "a contextAgent",
        ),
        (
            {"context.contextGroups[0].objectType": "contextAgent"},
            "context.contextGroups[0].objectType",
            "must be 'contextGroup'",
        ),
        (
            {"context.contextGroups[0].group": {"objectType": "Group", "key": "x"}},
            "context.contextGroups[0].group.key",
            "a Group",
        ),
        (
            {"context.contextGroups[0].group": {"key": "x"}},
            "context.contextGroups[0].group.objectType",
            "is required",
        ),
        (
            {"context.contextGroups[1].group": {"objectType": "Group"}},
            "context.contextGroups[1].group.member",
            "is required",
        ),
        (
            {"context.contextGroups[0].relevantTypes": []},
            "context.contextGroups[0].relevantTypes",
            "must not be empty",
        ),
        (
            {"context.contextGroups[0].relevantTypes": ["abc"]},
            "context.contextGroups[0].relevantTypes[0]",
            "an IRI",
        ),
    ],
)
def test_invalid_context_agents_and_groups(changes, path, fragment):
    base = make({"context.contextAgents": CONTEXT_AGENTS, "context.contextGroups": CONTEXT_GROUPS})
    assert_error(make(changes, base), path, fragment, "2.0.0")


# ============================================================================================
# Data 2.4.7 Timestamp, 2.4.8 Stored, 4.5 ISO 8601 Timestamps
# ============================================================================================


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-05-18T05:32:34.804Z", datetime(2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC)),
        ("2013-05-18T05:32:34.804+00:00", datetime(2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC)),
        ("2008-09-15T15:53:00.601+00:00", datetime(2008, 9, 15, 15, 53, 0, 601000, tzinfo=UTC)),
        ("2023-05-04T12:00:00-05:00", datetime(2023, 5, 4, 17, 0, tzinfo=UTC)),
        ("2023-05-04T12:00:00+0530", datetime(2023, 5, 4, 6, 30, tzinfo=UTC)),
        ("2023-05-04T12:00:00+01", datetime(2023, 5, 4, 11, 0, tzinfo=UTC)),
        ("2023-05-04t12:00:00z", datetime(2023, 5, 4, 12, 0, tzinfo=UTC)),
        ("2023-05-04T12:00Z", datetime(2023, 5, 4, 12, 0, tzinfo=UTC)),
        ("2023-05-04T12:00:00,5Z", datetime(2023, 5, 4, 12, 0, 0, 500000, tzinfo=UTC)),
        ("2023-05-04T12:00:00.123456789Z", datetime(2023, 5, 4, 12, 0, 0, 123456, tzinfo=UTC)),
        ("20230504T120000Z", datetime(2023, 5, 4, 12, 0, tzinfo=UTC)),
        ("20230504T120000.5+0100", datetime(2023, 5, 4, 11, 0, 0, 500000, tzinfo=UTC)),
        ("2023-05-04T24:00:00Z", datetime(2023, 5, 5, 0, 0, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2017, 1, 1, 0, 0, tzinfo=UTC)),
        ("1776-07-04T16:00:45.123Z", datetime(1776, 7, 4, 16, 0, 45, 123000, tzinfo=UTC)),
        ("2024-02-29T00:00:00Z", datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_parse_timestamp_returns_aware_utc(text, expected):
    for version in VERSIONS:
        parsed = parse_timestamp(text, version)
        assert parsed == expected
        assert parsed.tzinfo is UTC


def test_timestamp_without_time_zone_is_utc_in_1_0_but_rejected_in_2_0():
    assert parse_timestamp("2013-05-18T05:32:34.804", "1.0.3") == datetime(
        2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC
    )
    assert_valid(make({"timestamp": "2013-05-18T05:32:34.804"}), "1.0.3")
    assert_error(make({"timestamp": "2013-05-18T05:32:34.804"}), "timestamp", "time zone", "2.0.0")
    assert_error(make({"stored": "2013-05-18T05:32:34"}), "stored", "time zone", "2.0.0")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("should fail", "ISO 8601"),
        ("01/011/2015", "ISO 8601"),
        ("2015-01-01", "ISO 8601"),
        ("2015-01-01 12:00:00Z", "ISO 8601"),
        ("2015-1-01T12:00:00Z", "ISO 8601"),
        ("2015-01-01T12:00:00ZZ", "ISO 8601"),
        ("2015-01-01T12:00:00+5", "ISO 8601"),
        ("2015-01-01T12:00:00.Z", "ISO 8601"),
        ("", "ISO 8601"),
        ("2008-09-15T15:53:00.601-00", "-00:00"),
        ("2008-09-15T15:53:00.601-0000", "-00:00"),
        ("2008-09-15T15:53:00.601-00:00", "-00:00"),
        ("2015-02-29T12:00:00Z", "out of range"),
        ("2015-13-01T12:00:00Z", "out of range"),
        ("2015-01-01T25:00:00Z", "out of range"),
        ("2015-01-01T24:00:01Z", "out of range"),
        ("2015-01-01T12:60:00Z", "out of range"),
        ("0000-01-01T00:00:00Z", "out of range"),
        ("0001-01-01T00:00:00+01:00", "out of range"),
        ("2015-01-01T12:00:00+24:00", "invalid time zone offset"),
        ("2015-01-01T12:00:00+01:60", "invalid time zone offset"),
        ("２０１５-01-01T12:00:00Z", "ISO 8601"),
    ],
)
def test_parse_timestamp_rejects(text, fragment):
    with pytest.raises(StatementError) as info:
        parse_timestamp(text, "1.0.3")
    assert info.value.path == "timestamp"
    assert fragment in info.value.message


def test_parse_timestamp_names_the_path_given():
    with pytest.raises(StatementError, match=r"^since: must be an ISO 8601"):
        parse_timestamp("tomorrow", "1.0.3", path="since")
    with pytest.raises(StatementError, match="must not be null"):
        parse_timestamp(None)


@pytest.mark.parametrize("key", ["timestamp", "stored"])
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("should fail", "must be an ISO 8601 date and time"),
        ("2008-09-15T15:53:00.601-00:00", "unknown local offset -00:00"),
        (1368855154, "ISO 8601 timestamp string, not a number"),
        ({"t": 1}, "ISO 8601 timestamp string, not an object"),
    ],
)
def test_statement_timestamp_and_stored_are_validated(key, value, fragment):
    assert_error(make({key: value}), key, fragment)


def test_future_timestamps_are_accepted():
    future = (datetime.now(UTC) + timedelta(days=3650)).isoformat()
    assert_valid(make({"timestamp": future, "stored": future}), "2.0.0")


# ============================================================================================
# Data 2.4.9 Authority
# ============================================================================================


@pytest.mark.parametrize(
    "authority", [FULL["authority"], AGENT_OBJECT, {"mbox": "mailto:a@b.c"}, OAUTH_GROUP]
)
def test_valid_authorities(authority):
    assert_valid(make({"authority": authority}))


@pytest.mark.parametrize(
    ("authority", "path", "fragment"),
    [
        (OAUTH_GROUP | {"mbox": "mailto:bob@example.com"}, "authority", "must be anonymous"),
        (
            OAUTH_GROUP | {"openid": "http://openid.example.org/12345"},
            "authority",
            "must be anonymous",
        ),
        (
            {
                "objectType": "Group",
                "name": "xAPI Group",
                "mbox": "mailto:xapigroup@example.com",
                "member": [{"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}],
            },
            "authority",
            "must be anonymous",
        ),
        (
            {"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]},
            "authority.member",
            "exactly two Agents",
        ),
        (
            {
                "objectType": "Group",
                "member": OAUTH_GROUP["member"] + [{"mbox": "mailto:c@example.com"}],
            },
            "authority.member",
            "exactly two Agents",
        ),
        ({"objectType": "Group"}, "authority.member", "is required"),
        ({"objectType": "Agent"}, "authority", "found none"),
        (
            {"objectType": "Activity", "id": "http://x.example/a"},
            "authority.objectType",
            "must be 'Agent'",
        ),
        ("Pathway", "authority", "an Agent object"),
    ],
)
def test_invalid_authorities(authority, path, fragment):
    assert_error(make({"authority": authority}), path, fragment)


# ============================================================================================
# Data 2.4.10 Version
# ============================================================================================


@pytest.mark.parametrize("value", ["1.0", "1.0.0", "1.0.3", "1.0.9", "1.0.10", "1.0.3-rc.1"])
def test_versions_starting_with_1_0_are_accepted(value):
    for version in VERSIONS:
        assert_valid(make({"version": value}), version)


@pytest.mark.parametrize("value", ["2.0.0", "2.0", "2.0.1"])
def test_2_0_versions_only_under_xapi_2(value):
    assert_valid(make({"version": value}), "2.0.0")
    assert_error(make({"version": value}), "version", "must be a 1.0.x version", "1.0.3")


@pytest.mark.parametrize(
    "value", ["should fail", "0.9.9", "1.1.0", "1", "1.0.", "10.0.0", "2.1.0", " 1.0.0", 1.0]
)
def test_other_versions_are_rejected(value):
    for version in VERSIONS:
        error = error_of(make({"version": value}), version)
        assert error.path == "version"


# ============================================================================================
# Data 2.4.11 Attachments, 2.6 Signed Statements
# ============================================================================================

ATTACHMENT = FULL["attachments"][0]
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"fileUrl": DELETE, "description": DELETE},
        {"contentType": "text/plain; charset=ascii"},
        {"length": 0},
        {"sha2": "A" * 128},
        {"sha2": "0" * 96},
        {"usageType": SIGNATURE, "contentType": "application/octet-stream"},
    ],
)
def test_valid_attachments(changes):
    value = make(changes, ATTACHMENT)
    assert_valid(make({"attachments": [value, value]}))
    validate_attachment(value)


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"usageType": DELETE}, "attachments[0].usageType", "is required"),
        ({"display": DELETE}, "attachments[0].display", "is required"),
        ({"contentType": DELETE}, "attachments[0].contentType", "is required"),
        ({"length": DELETE}, "attachments[0].length", "is required"),
        ({"sha2": DELETE}, "attachments[0].sha2", "is required"),
        ({"usageType": "attachment-usage/test"}, "attachments[0].usageType", "an IRI"),
        ({"display": "Certificate"}, "attachments[0].display", "language map"),
        ({"display": {"a12345678": "x"}}, 'attachments[0].display["a12345678"]', "RFC 5646"),
        ({"description": 12}, "attachments[0].description", "language map"),
        ({"contentType": 12}, "attachments[0].contentType", "media type string"),
        ({"contentType": "pdf"}, "attachments[0].contentType", "Internet media type"),
        (
            {"contentType": "text/plain\r\nX-Evil: 1"},
            "attachments[0].contentType",
            "Internet media type",
        ),
        ({"length": -1}, "attachments[0].length", "must not be negative"),
        ({"length": 27.5}, "attachments[0].length", "an integer"),
        ({"length": True}, "attachments[0].length", "an integer"),
        ({"sha2": 12}, "attachments[0].sha2", "must be a string"),
        ({"sha2": "not a hash"}, "attachments[0].sha2", "SHA-2"),
        (
            {"sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848"},
            "attachments[0].sha2",
            "SHA-2",
        ),
        ({"fileUrl": "over.there.com/file.txt"}, "attachments[0].fileUrl", "an IRL"),
        ({"url": "http://x.example"}, "attachments[0].url", "an Attachment"),
        ({"usageType": SIGNATURE}, "attachments[0].contentType", "application/octet-stream"),
    ],
)
def test_invalid_attachments(changes, path, fragment):
    assert_error(make({"attachments": [make(changes, ATTACHMENT)]}), path, fragment)


@pytest.mark.parametrize(("value", "kind"), [({}, "an object"), ("x", "a string"), (1, "a number")])
def test_attachments_must_be_an_array_of_objects(value, kind):
    assert_error(
        make({"attachments": value}), "attachments", f"an array of Attachments, not {kind}"
    )
    if value != {}:
        assert_error(
            make({"attachments": [ATTACHMENT, value]}), "attachments[1]", "an Attachment object"
        )


# ============================================================================================
# Data 4.1 Extensions
# ============================================================================================


@pytest.mark.parametrize(
    "value", [None, "", {}, [], 0, False, {"a": [None, {"b": None}]}, "X:\\meetings"]
)
@pytest.mark.parametrize(
    "where", ["object.definition.extensions", "result.extensions", "context.extensions"]
)
def test_extension_values_may_be_any_json(where, value):
    assert_valid(make({where: {"http://example.com/ex": value}}))


@pytest.mark.parametrize(
    "key", ["not.valid.com/extension", "ext", "", "http://example.com/has space"]
)
@pytest.mark.parametrize(
    "where", ["object.definition.extensions", "result.extensions", "context.extensions"]
)
def test_extension_keys_must_be_iris(where, key):
    assert_error(make({where: {key: 1}}), f'{where}["{key}"]', "extension keys are IRIs")


# ============================================================================================
# Data 4.2 Language maps (RFC 5646 tags)
# ============================================================================================

VALID_TAGS = [
    "en",
    "de",
    "en-US",
    "en-GB",
    "de-DE",
    "es-MX",
    "es-419",
    "zh-Hant",
    "zh-Hans-CN",
    "sr-Latn-RS",
    "sr-Cyrl",
    "cmn",
    "ase",
    "tlh",
    "und",
    "ja",
    "fr-CA",
    "de-CH-1901",
    "sl-rozaj-biske",
    "en-a-bbb-x-a-ccc",
    "x-whatever",
    "qaa-Qaaa-QM-x-southern",
    "zh-yue-HK",
    "i-klingon",
    "en-GB-oed",
    "zh-min-nan",
    "art-lojban",
    "EN-us",
    "hy-Latn-IT-arevela",
]
INVALID_TAGS = [
    "",
    "a",
    "123",
    "a12345678",
    "en-",
    "-en",
    "en_US",
    "en US",
    "en--US",
    "zh-z-aaa-z-bbb-c-ccc",
    "de-1901-1901",
    "toolongtag",
    "x",
    "x-",
    "en-x",
    "ar-a-aaa-b-bbb-a-ccc",
    "12-US",
    "en-US-",
    "i-notgrandfathered",
    "something",
]


@pytest.mark.parametrize("tag", VALID_TAGS)
def test_is_language_tag_accepts(tag):
    assert is_language_tag(tag)
    assert_valid(make({"verb.display": {tag: "x"}, "context.language": tag}))


@pytest.mark.parametrize("tag", INVALID_TAGS)
def test_is_language_tag_rejects(tag):
    assert not is_language_tag(tag)
    assert_error(make({"verb.display": {tag: "x"}}), f'verb.display["{tag}"]', "RFC 5646")


@pytest.mark.parametrize("value", [None, 1, ["en"], {"en": "x"}])
def test_is_language_tag_rejects_non_strings(value):
    assert not is_language_tag(value)


@pytest.mark.parametrize(
    "where",
    [
        "verb.display",
        "object.definition.name",
        "object.definition.description",
        "attachments[0].display",
        "attachments[0].description",
    ],
)
def test_language_maps_everywhere_check_keys_and_values(where):
    assert_error(make({where: {"a12345": "should fail"}}), f'{where}["a12345"]', "RFC 5646")
    assert_error(make({where: {"en": ["x"]}}), f'{where}["en"]', "must be a string, not an array")
    assert_error(make({where: ["en", "x"]}), where, "language map")


# ============================================================================================
# Data 4.3 IRIs (and IRLs)
# ============================================================================================


@pytest.mark.parametrize(
    "value",
    [
        "http://example.com",
        "https://example.com/path?q=1#frag",
        "http://example.com/path/../x",
        "urn:isbn:0451450523",
        "mailto:someone@example.com",
        "tag:example.com,2024:verbs/read",
        "http://例え.テスト/パス",
        "http://example.com/%E2%82%AC",
        "x:y",
    ],
)
def test_is_iri_accepts(value):
    assert is_iri(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "example.com/path",
        "/relative/path",
        "#fragment",
        "http:",
        "1http://example.com",
        "http://exa mple.com",
        "http://example.com/<tag>",
        'http://example.com/"q"',
        "http://example.com/{x}",
        "http://example.com/a|b",
        "http://example.com/a\\b",
        "http://example.com/\tx",
        "http://example.com/%zz",
        "http://example.com/%4",
        "http://example.com/#a#b",
        None,
        42,
    ],
)
def test_is_iri_rejects(value):
    assert not is_iri(value)


# ============================================================================================
# Data 4.4 UUIDs
# ============================================================================================


def test_is_uuid():
    assert is_uuid("fd41c918-b88b-4b20-a0a5-a4c32391aaa0")
    assert is_uuid("FD41C918-B88B-4B20-A0A5-A4C32391AAA0")
    assert not is_uuid("fd41c918-b88b-4b20-a0a5-a4c32391aaa")
    assert not is_uuid("fd41c918b88b4b20a0a5a4c32391aaa0")
    assert not is_uuid("gd41c918-b88b-4b20-a0a5-a4c32391aaa0")
    assert not is_uuid(None)
    assert not is_uuid(1234)


# ============================================================================================
# Data 4.6 ISO 8601 Durations
# ============================================================================================


@pytest.mark.parametrize(
    "value",
    [
        "PT4H35M59.14S",
        "PT16559.14S",
        "P3Y1M29DT4H35M59.14S",
        "P3Y",
        "P4W",
        "PT1H0M0.1S",
        "PT1H0M0S",
        "P1DT12H36M0.12567S",
        "P0D",
        "PT0S",
        "P1M",
        "PT1M",
        "P1Y2M3DT4H5M6S",
        "PT0,5S",
        "P0.5Y",
        "P1.5W",
        "PT36H",
    ],
)
def test_is_iso8601_duration_accepts(value):
    assert is_iso8601_duration(value)
    assert_valid(make({"result.duration": value}))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "P",
        "PT",
        "P1DT",
        "PA1H0M0S",
        "P4W1D",
        "P1W2D",
        "PT1H30",
        "1H",
        "pt1h",
        "P1H",
        "PT1D",
        "P1M1Y",
        "PT1S1M",
        "P0.5Y1M",
        "PT1.5H30M",
        "P1.5.5D",
        "P0003-06-04T12:30:05",
        "PT-1S",
        "P 1D",
        "PT1H ",
        "should fail",
    ],
)
def test_is_iso8601_duration_rejects(value):
    assert not is_iso8601_duration(value)


@pytest.mark.parametrize(
    ("value", "predicate"),
    [
        ("P" + "1" * 200_000 + "X", is_iso8601_duration),
        ("PT" + "1" * 200_000 + ".1", is_iso8601_duration),
        ("en-" + "-".join(["abcde"] * 40_000), is_language_tag),
        ("a-" * 100_000, is_language_tag),
        ("http://" + "a" * 200_000 + " ", is_iri),
        ("x-" + "a" * 8 + "-a" * 100_000, is_language_tag),
    ],
    ids=["duration", "duration-fraction", "tag-variants", "tag-dashes", "iri", "tag-private"],
)
def test_long_inputs_are_handled_in_linear_time(value, predicate):
    predicate(value)  # completes in milliseconds: no catastrophic backtracking


def test_is_iso8601_duration_rejects_non_strings():
    assert not is_iso8601_duration(12345)
    assert not is_iso8601_duration(None)


# ============================================================================================
# Statement batches (Communication 2.1: one Statement or an array of Statements)
# ============================================================================================


def test_validate_statements_wraps_a_single_statement():
    statement = make()
    result = validate_statements(statement)
    assert result == [statement] and result[0] is statement


def test_validate_statements_returns_the_list():
    batch = [make(), make({"id": DELETE}), make({"id": DELETE})]
    assert validate_statements(batch, "2.0.0") is batch


def test_batch_errors_name_the_statement_index():
    batch = [make(), make({"id": "0c3b6c0a-1c2b-4b71-8b0f-7c1b6b7f6d21", "actor.mbox": "nobody"})]
    with pytest.raises(StatementError) as info:
        validate_statements(batch)
    assert info.value.path == "[1].actor.mbox"
    assert str(info.value).startswith("[1].actor.mbox: must be a mailto: IRI")


def test_batch_items_must_be_objects():
    with pytest.raises(StatementError, match=r"^\[2\]: must be a Statement object, not a string"):
        validate_statements([make(), make({"id": DELETE}), "statement"])


def test_batch_must_not_repeat_an_id():
    first = make()
    second = make({"id": FULL["id"].upper()})
    with pytest.raises(StatementError) as info:
        validate_statements([first, make({"id": DELETE}), second])
    assert info.value.path == "[2].id"
    assert "duplicates the id of Statement [0]" in info.value.message


def test_empty_batch_is_rejected():
    with pytest.raises(StatementError) as info:
        validate_statements([])
    assert info.value.path == ""
    assert "at least one Statement" in info.value.message


@pytest.mark.parametrize("body", [None, "statement", 42, True])
def test_body_must_be_an_object_or_an_array(body):
    with pytest.raises(StatementError) as info:
        validate_statements(body)
    assert info.value.path == ""
    assert "a Statement object or an array of Statements" in info.value.message


def test_validate_statement_path_prefix():
    with pytest.raises(StatementError) as info:
        validate_statement(make({"verb.id": "nope"}), path="[7]")
    assert info.value.path == "[7].verb.id"


# ============================================================================================
# Public helpers for other resources: agent parameter, IFI keys, helper paths
# ============================================================================================


@pytest.mark.parametrize(
    "value",
    [
        {"mbox": "mailto:a@example.com"},
        {
            "objectType": "Agent",
            "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"},
        },
        {"objectType": "Group", "mbox": "mailto:team@example.com"},
        {
            "objectType": "Group",
            "openid": "http://openid.example/t",
            "member": [{"mbox": "mailto:a@b.c"}],
        },
    ],
)
def test_agent_parameter_accepts_agents_and_identified_groups(value):
    validate_agent_parameter(value)


@pytest.mark.parametrize(
    ("value", "path", "fragment"),
    [
        ("not JSON", "agent", "an Agent object"),
        (True, "agent", "an Agent object"),
        ({"objectType": "Agent"}, "agent", "found none"),
        (
            {"objectType": "Agent", "account": {"homePage": "http://x.example"}},
            "agent.account.name",
            "is required",
        ),
        (
            {"objectType": "Group", "member": [{"mbox": "mailto:a@b.c"}]},
            "agent",
            "anonymous Group is not allowed",
        ),
        ({"mbox": "mailto:a@b.c", "openid": "http://openid.example/a"}, "agent", "found 2"),
        ({"mbox": "mailto:a@b.c", "extra": 1}, "agent.extra", "an Agent"),
    ],
)
def test_agent_parameter_rejects(value, path, fragment):
    with pytest.raises(StatementError) as info:
        validate_agent_parameter(value)
    assert (info.value.path, fragment in info.value.message) == (path, True), str(info.value)


@pytest.mark.parametrize(
    ("agent", "key"),
    [
        ({"mbox": "mailto:Learner@Pathway.Example"}, "mbox:mailto:Learner@pathway.example"),
        (
            {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"},
            "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975",
        ),
        ({"openid": "http://openid.example.org/12345"}, "openid:http://openid.example.org/12345"),
        (
            {"account": {"homePage": "http://www.example.com", "name": "1625378"}},
            "account:http://www.example.com|1625378",
        ),
        (
            {"objectType": "Group", "mbox": "mailto:team@example.com", "member": []},
            "mbox:mailto:team@example.com",
        ),
        ({"objectType": "Group", "member": [{"mbox": "mailto:a@b.c"}]}, None),
        ({"name": "nobody"}, None),
        ({"account": {"homePage": "http://x.example"}}, None),
        ("mailto:a@b.c", None),
    ],
)
def test_inverse_functional_identifier(agent, key):
    assert inverse_functional_identifier(agent) == key


def test_helpers_report_the_path_they_are_given():
    cases = [
        (validate_agent, {"mbox": "x"}, "who", "who.mbox"),
        (validate_group, {"objectType": "Group"}, "team", "team.member"),
        (validate_activity, {"id": "x"}, "parent[0]", "parent[0].id"),
        (validate_verb, {"id": "x"}, "verb", "verb.id"),
        (validate_result, {"duration": "x"}, "r", "r.duration"),
        (validate_attachment, {"usageType": "x"}, "a", "a.display"),
    ]
    for function, value, path, expected in cases:
        with pytest.raises(StatementError) as info:
            function(value, path)
        assert info.value.path == expected, (function.__name__, str(info.value))


def test_helper_default_paths():
    with pytest.raises(StatementError, match=r"^actor: "):
        validate_agent({})
    with pytest.raises(StatementError, match=r"^object\.id: "):
        validate_activity({})
    with pytest.raises(StatementError, match=r"^attachments\[0\]\.usageType: "):
        validate_attachment({})
    with pytest.raises(StatementError, match=r"^context\.registration: "):
        validate_context({"registration": "x"})


# ============================================================================================
# Property-based tests: nothing but StatementError ever escapes
# ============================================================================================

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "mailto:a@example.com",
            "http://example.com/x",
            "en-US",
            "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "2024-05-04T17:00:00Z",
            "PT1H",
            "Agent",
            "Group",
            "Activity",
            "SubStatement",
            "StatementRef",
            "contextAgent",
            "contextGroup",
            "choice",
            "http://adlnet.gov/expapi/verbs/voided",
            "1.0.0",
            "2.0.0",
        ]
    )
)
KNOWN_KEYS = sorted(
    {key for key in FULL}
    | {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member", "homePage"}
    | {"display", "definition", "description", "type", "moreInfo", "interactionType"}
    | {"correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
    | {"score", "scaled", "raw", "min", "max", "success", "completion", "response", "duration"}
    | {"registration", "instructor", "team", "contextActivities", "revision", "platform"}
    | {"language", "statement", "parent", "grouping", "category", "other", "contextAgents"}
    | {"contextGroups", "agent", "group", "relevantTypes", "usageType", "contentType", "length"}
    | {"sha2", "fileUrl", "extensions"}
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
FUZZ = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _only_statement_errors(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except StatementError as error:
        assert isinstance(error.path, str)
        assert error.message
        assert str(error) == f"{error.path}: {error.message}"


@FUZZ
@given(body=JSON_VALUES, version=st.sampled_from(["1.0.0", "1.0.3", "2.0.0"]))
def test_random_json_never_raises_anything_but_statement_error(body, version):
    _only_statement_errors(validate_statements, body, version)
    _only_statement_errors(validate_statement, body, version)


@FUZZ
@given(value=JSON_VALUES)
def test_helpers_never_raise_anything_but_statement_error(value):
    for function in (
        validate_agent,
        validate_group,
        validate_activity,
        validate_verb,
        validate_result,
        validate_context,
        validate_attachment,
        validate_agent_parameter,
    ):
        _only_statement_errors(function, value)
    _only_statement_errors(parse_timestamp, value, "2.0.0")
    for predicate in (is_uuid, is_iri, is_language_tag, is_iso8601_duration):
        assert predicate(value) in (True, False)
    inverse_functional_identifier(value)


def _paths(value, prefix=()):
    """Every (container path, key) in a JSON value."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from _paths(child, (*prefix, index))


BASES = [
    FULL,
    make(
        {"object": make({"result": FULL["result"], "context": FULL["context"]}, SUBSTATEMENT)},
        MINIMAL,
    ),
    make(
        {
            "context.contextAgents": CONTEXT_AGENTS,
            "context.contextGroups": CONTEXT_GROUPS,
            "authority": OAUTH_GROUP,
        }
    ),
    make({"object": activity({"interactionType": "matching"} | INTERACTIONS["matching"])}),
]
BASE_PATHS = [(index, path) for index, base in enumerate(BASES) for path in _paths(base)]


@FUZZ
@given(
    target=st.sampled_from(BASE_PATHS),
    action=st.sampled_from(["replace", "delete", "add"]),
    value=JSON_VALUES,
    version=st.sampled_from(VERSIONS),
)
def test_mutated_valid_statements_never_raise_anything_but_statement_error(
    target, action, value, version
):
    base_index, path = target
    statement = copy.deepcopy(BASES[base_index])
    *parents, last = path
    container = statement
    for token in parents:
        container = container[token]
    if action == "replace":
        container[last] = value
    elif action == "delete":
        del container[last]
    elif isinstance(container, dict):
        container["x-unknown"] = value
    else:
        container.append(value)
    _only_statement_errors(validate_statements, [statement, BASES[1]], version)


TIME_ZONES = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@FUZZ
@given(
    moment=st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=TIME_ZONES
    ),
    separator=st.sampled_from(["T", "t"]),
)
def test_parse_timestamp_round_trips_isoformat(moment, separator):
    text = moment.isoformat(sep=separator)
    if text.endswith("-00:00"):
        return
    assert parse_timestamp(text, "2.0.0") == moment.astimezone(UTC)


@FUZZ
@given(
    parts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=6, max_size=6),
    present=st.lists(st.booleans(), min_size=6, max_size=6),
    fraction=st.one_of(st.none(), st.integers(min_value=0, max_value=999)),
)
def test_built_durations_are_accepted(parts, present, fraction):
    if not any(present):
        present[0] = True
    units = "YMDHMS"
    date = "".join(f"{parts[i]}{units[i]}" for i in range(3) if present[i])
    time = "".join(f"{parts[i]}{units[i]}" for i in range(3, 6) if present[i])
    text = "P" + date + ("T" + time if time else "")
    if fraction is not None:
        text = text[:-1] + f".{fraction}" + text[-1]
    assert is_iso8601_duration(text), text


LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=20)
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@FUZZ
@given(
    local=LOCAL,
    labels=st.lists(LABEL, min_size=1, max_size=4),
    name=st.text(max_size=20),
    version=st.sampled_from(VERSIONS),
)
def test_generated_valid_statements_are_accepted(local, labels, name, version):
    mbox = f"mailto:{local}@{'.'.join(labels)}"
    statement = make(
        {
            "actor": {"objectType": "Agent", "name": name, "mbox": mbox},
            "context.instructor.mbox": mbox,
        }
    )
    validate_statement(statement, version)
    assert inverse_functional_identifier(statement["actor"]) == f"mbox:{mbox}"
