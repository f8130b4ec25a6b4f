"""Property tests of the LRS's input handling: whatever arrives, it answers 200/204 or a 4xx
with a JSON error message, never a 5xx, and a refused request stores nothing.

Bodies are random JSON values, and valid statements with random mutations: a property
dropped, renamed or given another type, wrong types nested inside, huge strings, unusual
Unicode, very deep nesting, non-finite numbers. They go to the statements resource by POST
(as application/json and as multipart/mixed) and by PUT with a statementId, and (as Agents)
as the `agent` parameter of a statements query and of the state resource. What is stored must
come back as JSON.
"""

import json
import urllib.parse
import uuid

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from xapi.models import documents
from xapi.protocol import MAX_JSON_DEPTH

STATEMENTS = "/xapi/statements"
STATE = "/xapi/activities/state"

# The `client`, `headers` and the database live for the whole test, across its examples;
# that is intended (each example compares counts before and after itself).
FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


# ---- strategies ----------------------------------------------------------------------------------

def _texts(max_size=20):
    # Any code point but lone surrogates, which the `surrogate` mutations try on purpose.
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size)


scalars = (st.none() | st.booleans() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
           | st.floats() | _texts())
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_texts(12), inner,
                                                                          max_size=4),
    max_leaves=12)

hosts = st.sampled_from(["pathway.test", "example.org", "xn--bcher-kva.example", "lrs.test"])
words = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
iris = st.builds(lambda h, w: f"http://{h}/{w}", hosts, words)
lang_maps = st.dictionaries(st.sampled_from(["en", "en-GB", "en-US", "fr", "de-CH", "und"]),
                            _texts(30), max_size=3)


def _finite(value) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return False
    return True


extensions = st.dictionaries(iris, json_values.filter(_finite), max_size=2)


def _agent_strategy():
    ifi = st.one_of(
        st.builds(lambda w, h: {"mbox": f"mailto:{w}@{h}"}, words, hosts),
        st.builds(lambda n: {"mbox_sha1sum": f"{n:040x}"}, st.integers(0, 2 ** 160 - 1)),
        st.builds(lambda i: {"openid": i}, iris),
        st.builds(lambda h, n: {"account": {"homePage": f"http://{h}", "name": n}}, hosts,
                  _texts(10).filter(lambda n: n and "\x00" not in n)),  # NUL: refused
    )
    return st.builds(lambda ifi, name, typed: {**({"objectType": "Agent"} if typed else {}),
                                              **({"name": name} if name is not None else {}),
                                              **ifi},
                     ifi, st.none() | _texts(20), st.booleans())


agents = _agent_strategy()
groups = st.builds(lambda members, ident: {"objectType": "Group", "member": members, **ident},
                   st.lists(agents, min_size=1, max_size=3),
                   st.just({}) | agents.map(lambda a: {k: v for k, v in a.items()
                                                       if k not in ("objectType", "name")}))
actors = agents | groups
verbs = st.builds(lambda i, d: {"id": i, **({"display": d} if d else {})}, iris, lang_maps)
definitions = st.fixed_dictionaries({}, optional={
    "name": lang_maps, "description": lang_maps, "type": iris, "moreInfo": iris,
    "extensions": extensions})
choice_definition = st.builds(
    lambda ids: {"interactionType": "choice", "correctResponsesPattern": ["[,]".join(ids[:1])],
                 "choices": [{"id": i, "description": {"en": i}} for i in ids]},
    st.lists(words, min_size=1, max_size=3, unique=True))
activities = st.builds(lambda i, d, typed: {**({"objectType": "Activity"} if typed else {}),
                                            "id": i, **({"definition": d} if d else {})},
                       iris, definitions | choice_definition, st.booleans())
statement_refs = st.builds(lambda u: {"objectType": "StatementRef", "id": str(u)}, st.uuids())
timestamps = st.sampled_from(["2024-05-04T17:00:00Z", "2024-05-04T17:00:00.123+01:00",
                              "2015-11-18T12:17:00.000Z", "2030-01-01T00:00:00-05:30"])
scores = st.builds(lambda a, b, scaled: {"min": min(a, b), "max": max(a, b), "raw": a,
                                         "scaled": scaled},
                   st.integers(-100, 100), st.integers(-100, 100),
                   st.floats(-1, 1, allow_nan=False))
results = st.fixed_dictionaries({}, optional={
    "score": scores, "success": st.booleans(), "completion": st.booleans(),
    "response": _texts(40), "duration": st.sampled_from(["PT1H", "PT2.5S", "P1DT3M", "P2W"]),
    "extensions": extensions})
contexts = st.fixed_dictionaries({}, optional={
    "registration": st.uuids().map(str), "instructor": agents,
    "contextActivities": st.fixed_dictionaries({}, optional={
        "parent": st.lists(activities, min_size=1, max_size=2), "grouping": activities,
        "category": st.lists(activities, max_size=1), "other": st.lists(activities,
                                                                        max_size=2)}),
    "revision": words, "platform": words, "language": st.sampled_from(["en", "fr-CA"]),
    "statement": statement_refs, "extensions": extensions})


def _statement_strategy(objects):
    return st.builds(
        lambda actor, verb, obj, extra: {"actor": actor, "verb": verb, "object": obj, **extra},
        actors, verbs, objects,
        st.fixed_dictionaries({}, optional={"id": st.uuids().map(str), "result": results,
                                            "context": contexts, "timestamp": timestamps}))


object_agents = agents.map(lambda a: {**a, "objectType": "Agent"})  # required as an object
substatements = _statement_strategy(activities | object_agents | statement_refs).map(
    lambda s: {"objectType": "SubStatement", **{k: v for k, v in s.items() if k != "id"}})
statements = _statement_strategy(activities | object_agents | statement_refs | substatements)


def _valid_for_storage(statement) -> bool:
    """revision and platform go only with an Activity object (Data 2.4.6)."""
    def fine(s):
        obj = s["object"]
        if obj.get("objectType", "Activity") != "Activity" and (
                {"revision", "platform"} & set(s.get("context", {}))):
            return False
        return obj.get("objectType") != "SubStatement" or fine(obj)
    return fine(statement)


valid_statements = statements.filter(_valid_for_storage)


# ---- mutations ----------------------------------------------------------------------------------

DEEP = "\x00deep-nesting-{}\x00"
DEPTHS = [5_000, 990, 975, 970, 960, 201, 200, 199, 500, 50, 100_000]
HUGE_NUMBER = "\x00huge-number\x00"  # 1e400: JSON, but too large for a float


def _paths(value, here=()):
    """Every path into `value` (tuples of keys and indexes), `()` being the value itself."""
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    return [*value[:head], _replace(value[head], rest, new), *value[head + 1:]]


def _drop(value, path):
    parent, key = path[:-1], path[-1]

    def without(container):
        if isinstance(container, dict):
            return {k: v for k, v in container.items() if k != key}
        return [v for i, v in enumerate(container) if i != key]

    return _replace(value, parent, without(_get(value, parent)))


def _rename(value, path, name):
    parent, key = path[:-1], path[-1]
    container = _get(value, parent)
    if not isinstance(container, dict):
        return value
    return _replace(value, parent, {(name if k == key else k): v for k, v in container.items()})


def _get(value, path):
    for key in path:
        value = value[key]
    return value


WEIRD_TEXT = st.sampled_from([
    "", " ", "\u202eevil\u202c", "zero\u200bwidth", "e\u0301", "\U0001f600" * 50,
    "\x00nul", "line\nbreak", "tab\there", "\ufeffbom", "ＨＴＴＰ://ｆｕｌｌ.ｗｉｄｔｈ",
    "mailto:\u00e9@\u00e9.test", "http://ex\u00e4mple.test/\u6f22\u5b57", "\uffff", "\U0010ffff",
    "ſ", "İ", "ß" * 100,
]) | st.text(max_size=30)
# Lone surrogates: json.dumps writes them as \uD8xx escapes, which JSON lets through.
SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\ud83d", "mailto:\udc00@pathway.test",
                              "http://pathway.test/\udbff"])


@st.composite
def mutated_statements(draw):
    """A valid statement with one to three random mutations."""
    statement = draw(valid_statements)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(statement))
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["drop", "rename", "retype", "nested-type", "huge",
                                     "unicode", "surrogate", "deep", "non-finite"]))
        event(f"mutation: {kind}")
        if kind == "drop" and path:
            statement = _drop(statement, path)
        elif kind == "rename" and path:
            name = draw(st.sampled_from(["ID", "Actor", "objecttype", "mbox ", "", "verb.id",
                                         "$where", "__proto__"]) | _texts(10))
            statement = _rename(statement, path, name)
        elif kind == "retype":
            statement = _replace(statement, path, draw(json_values))
        elif kind == "nested-type":
            wrapper = draw(st.sampled_from(["list", "object", "string"]))
            current = _get(statement, path)
            new = {"list": [current], "object": {"value": current},
                   "string": json.dumps(current)}[wrapper]
            statement = _replace(statement, path, new)
        elif kind == "huge":
            size = draw(st.sampled_from([1_000, 70_000, 300_000]))
            statement = _replace(statement, path, draw(st.sampled_from("x\u00e9\U0001f600"))
                                 * size)
        elif kind == "unicode":
            statement = _replace(statement, path, draw(WEIRD_TEXT))
        elif kind == "surrogate":
            statement = _replace(statement, path, draw(SURROGATES))
        elif kind == "deep":
            statement = _replace(statement, path, DEEP.format(draw(st.sampled_from(DEPTHS))))
        elif kind == "non-finite":
            statement = _replace(statement, path, draw(st.sampled_from(
                [float("nan"), float("inf"), -float("inf"), HUGE_NUMBER])))
    return statement


def to_json(value) -> bytes:
    """JSON text of `value`, with the deep-nesting placeholders expanded (Python's own encoder
    would give up on the nesting) and NaN/Infinity written as Python writes them."""
    text = json.dumps(value).replace(json.dumps(HUGE_NUMBER), "1e400")
    for depth in DEPTHS:
        placeholder = json.dumps(DEEP.format(depth))
        if placeholder in text:
            text = text.replace(placeholder, nested(depth))
    return text.encode()


def nested(depth: int) -> str:
    """JSON text of objects and arrays `depth` deep."""
    half = depth // 2
    return '{"a":' * half + "[" * (depth - half) + "1" + "]" * (depth - half) + "}" * half


RAW_BODIES = st.sampled_from([
    b"", b"{", b"[]", b"[{}]", b"null", b"\xff\xfe not UTF-8", b'"\\ud800"',
    b'{"actor": "\\ud800"}', b"1" * 5_000, b"[" * 100_000, b"NaN", b'{"a":1,"a":2}',
    b"\xef\xbb\xbf{}", b'{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://v.test/\\ud83d"},'
    b'"object":{"id":"http://o.test/"}}',
    # UTF-8-encoded surrogates, which json.loads lets through
    b'{"actor":{"mbox":"mailto:a@b.c","name":"\xed\xa0\x80"},"verb":{"id":"http://v.test/"},'
    b'"object":{"id":"http://o.test/"}}',
    b'{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://v.test/"},"object":{"id":'
    b'"http://o.test/"},"result":{"score":{"raw":1e400,"min":0,"max":1e400}}}',
])


# ---- checks --------------------------------------------------------------------------------------

def check(response, allowed=(200, 204)) -> bool:
    """Never a 5xx: a success, or a 4xx with a JSON error message. True for a success."""
    text = response.get_data(as_text=True)
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, text[:2000]
    if response.status_code >= 400:
        error = response.get_json()["error"]
        assert error["status"] == response.status_code
        assert isinstance(error["message"], str) and error["message"]
        return False
    assert response.status_code in allowed, text[:2000]
    return True


def _refuse(name):
    raise AssertionError(f"the LRS served {name}, which is not JSON")


def served_back(client, headers, statement_id) -> dict:
    """The stored statement, fetched; what the LRS serves must be JSON (no NaN, no Infinity)."""
    response = client.get(STATEMENTS, query_string={"statementId": statement_id},
                          headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return json.loads(response.get_data(as_text=True), parse_constant=_refuse)


def count(client, headers) -> int:
    """How many statements a GET lists (every page)."""
    response = client.get(STATEMENTS, query_string={"format": "ids", "limit": "200"},
                          headers=headers)
    assert response.status_code == 200
    page = response.get_json()
    total = len(page["statements"])
    while page["more"]:
        response = client.get(page["more"], headers=headers)
        assert response.status_code == 200
        page = response.get_json()
        total += len(page["statements"])
    return total


def query(params: dict) -> str:
    """A query string; lone surrogates go as the (invalid) UTF-8 bytes a client could send."""
    return "&".join(f"{name}={urllib.parse.quote(value.encode('utf-8', 'surrogatepass'))}"
                    for name, value in params.items())


def post_raw(client, headers, body: bytes):
    return client.post(STATEMENTS, data=body, headers=headers, content_type="application/json")


def stored_documents(db) -> int:
    with db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(documents)).scalar()


# ---- tests ---------------------------------------------------------------------------------------

@FUZZ
@given(body=json_values | RAW_BODIES)
def test_random_json_is_refused_cleanly(client, headers, body):
    before = count(client, headers)
    raw = body if isinstance(body, bytes) else to_json(body)
    response = post_raw(client, headers, raw)
    if check(response, allowed=(200,)):
        for statement_id in response.get_json():
            served_back(client, headers, statement_id)
    else:
        assert count(client, headers) == before


@FUZZ
@given(statement=valid_statements, version=st.sampled_from(["1.0.3", "2.0.0"]))
def test_valid_statements_are_stored(client, lrs_headers, statement, version):
    headers = lrs_headers("all", version=version)
    if "id" in statement:  # Hypothesis repeats its UUIDs; a stored id must stay unique
        statement = {**statement, "id": str(uuid.uuid4())}
    before = count(client, headers)
    response = post_raw(client, headers, to_json(statement))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert count(client, headers) == before + 1


@FUZZ
@given(statement=mutated_statements(), batch=st.booleans(), multipart=st.booleans(),
       version=st.sampled_from(["1.0.3", "2.0.0"]))
def test_mutated_statements_are_stored_or_refused_cleanly(client, lrs_headers, statement,
                                                          batch, multipart, version):
    headers = lrs_headers("all", version=version)
    before = count(client, headers)
    body = [statement, {"actor": {"mbox": "mailto:ok@pathway.test"},
                        "verb": {"id": "http://pathway.test/verbs/ok"},
                        "object": {"id": "http://pathway.test/ok"}}] if batch else statement
    if multipart:  # the statements part of a multipart/mixed request, without attachments
        response = client.post(STATEMENTS, headers=headers, data=(
            b"--fuzz\r\nContent-Type: application/json\r\n\r\n" + to_json(body)
            + b"\r\n--fuzz--\r\n"), content_type="multipart/mixed; boundary=fuzz")
    else:
        response = post_raw(client, headers, to_json(body))
    if check(response, allowed=(200,)):
        for statement_id in response.get_json():
            served_back(client, headers, statement_id)
    else:  # all or nothing: the good statement of a batch is not stored either
        assert count(client, headers) == before


@FUZZ
@given(statement=mutated_statements(), body_id=st.sampled_from(["same", "none", "kept"]))
def test_mutated_statements_put_with_a_statement_id(client, headers, statement, body_id):
    statement_id = str(uuid.uuid4())
    if isinstance(statement, dict) and body_id != "kept":
        statement = {k: v for k, v in statement.items() if k != "id"}
        if body_id == "same":
            statement["id"] = statement_id
    before = count(client, headers)
    response = client.put(STATEMENTS, query_string={"statementId": statement_id},
                          data=to_json(statement), headers=headers,
                          content_type="application/json")
    if check(response, allowed=(204,)):
        assert served_back(client, headers, statement_id)["id"] == statement_id
    else:
        assert count(client, headers) == before
        fetched = client.get(STATEMENTS, query_string={"statementId": statement_id},
                             headers=headers)
        assert fetched.status_code == 404


def _agent_parameters():
    agent_like = (agents | groups).flatmap(
        lambda a: mutated_from(a) if a else st.just(a))
    return (agents.map(json.dumps) | agent_like.map(lambda a: to_json(a).decode())
            | json_values.map(lambda v: to_json(v).decode()) | st.text(max_size=40)
            | WEIRD_TEXT | SURROGATES)


def mutated_from(agent):
    @st.composite
    def mutate(draw):
        value = agent
        path = draw(st.sampled_from(list(_paths(value))))
        kind = draw(st.sampled_from(["keep", "drop", "retype", "unicode", "surrogate",
                                     "deep"]))
        if kind == "drop" and path:
            value = _drop(value, path)
        elif kind == "retype":
            value = _replace(value, path, draw(json_values))
        elif kind == "unicode":
            value = _replace(value, path, draw(WEIRD_TEXT))
        elif kind == "surrogate":
            value = _replace(value, path, draw(SURROGATES))
        elif kind == "deep":
            value = _replace(value, path, DEEP.format(draw(st.sampled_from([500, 5_000]))))
        return value
    return mutate()


@FUZZ
@given(agent=_agent_parameters())
def test_agent_parameter_of_a_statements_query(client, headers, agent):
    response = client.get(STATEMENTS, query_string=query({"agent": agent}), headers=headers)
    if check(response, allowed=(200,)):
        assert isinstance(response.get_json()["statements"], list)


@FUZZ
@given(agent=_agent_parameters(), method=st.sampled_from(["GET", "PUT", "POST", "DELETE"]))
def test_agent_parameter_of_the_state_resource(client, headers, db, agent, method):
    params = {"activityId": "http://pathway.test/activities/fuzz", "agent": agent,
              "stateId": "fuzz"}
    before = stored_documents(db)
    response = client.open(STATE, method=method, query_string=query(params), headers=headers,
                           data=b'{"page": 1}', content_type="application/json")
    ok = check(response, allowed=(200, 204))
    if ok and method in ("PUT", "POST"):
        assert stored_documents(db) == before + 1
        fetched = client.get(STATE, query_string=query(params), headers=headers)
        assert fetched.status_code == 200 and fetched.get_json() == {"page": 1}
        assert client.delete(STATE, query_string=query(params),
                             headers=headers).status_code == 204
        assert stored_documents(db) == before
    elif not ok:
        assert stored_documents(db) == before


@pytest.mark.parametrize("where", ["object.definition.extensions", "result.extensions",
                                   "context.extensions", "actor.name"])
def test_nesting_up_to_and_past_every_limit(client, headers, where):
    """Around the LRS's own limit (MAX_JSON_DEPTH) and Python's (about 1,000 frames, less the
    stack in use): stored while it is within the limit, a 400 past it, never a 5xx."""
    base = {"actor": {"mbox": "mailto:deep@pathway.test"},
            "verb": {"id": "http://pathway.test/verbs/nested"},
            "object": {"id": "http://pathway.test/activities/deep", "definition": {}},
            "result": {}, "context": {}}
    limits = range(MAX_JSON_DEPTH - 10, MAX_JSON_DEPTH + 6)
    for depth in [*limits, *range(900, 1001, 2), 5_000]:
        statement = json.loads(json.dumps(base))
        *parents, key = where.split(".")
        target = statement
        for name in parents:
            target = target[name]
        target[key] = {"http://pathway.test/ext": DEEP.format(0)} if "extensions" in key \
            else DEEP.format(0)
        body = to_json(statement).replace(json.dumps(DEEP.format(0)).encode(),
                                          nested(depth).encode())
        before = count(client, headers)
        response = post_raw(client, headers, body)
        fits = depth + len(parents) + (2 if "extensions" in key else 1) <= MAX_JSON_DEPTH
        if where == "actor.name" or not fits:
            assert response.status_code == 400, (depth, response.get_data(as_text=True))
            assert count(client, headers) == before
        else:
            assert response.status_code == 200, (depth, response.get_data(as_text=True))
