"""The `tincan` library (Rustici's Python xAPI client, 1.0.x) as a real client of a served LRS.

`lms serve` runs on the test database; its credentials are made with `lms xapi clients create`.
Everything goes over HTTP through `tincan.RemoteLRS`: statements (one, a list, by id, queries
with `more`, voiding), the state resource and both profile resources with their ETags.

Where tincan 1.0.0 and this LRS do not fit together, the test says so and shows the way round:
- `about()` raises, since tincan's About refuses the version 2.0.0 this LRS lists;
- query parameters are sent with `str()`, so booleans must be given as "true"/"false" and
  `since` as an ISO 8601 string (not a datetime);
- `retrieve_*` never reads the ETag (it looks names up in `getheaders()`, a list of pairs),
  so the test takes it from the response itself, as a caller has to;
- `save_state` sends its PUT twice, so with an ETag the second PUT carries a stale one;
- `save_activity_profile` / `save_agent_profile` cannot send `If-None-Match: *`, which this LRS
  requires for creating a profile document with PUT, so creation goes through tincan's own
  transport (`RemoteLRS._send_request`) with that header;
- `retrieve_state` / `retrieve_*_profile` count a 404 as success (`ignore404`), so the test
  looks at the status.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
from conftest import free_port, health, stop_process
from tincan import (
    Activity,
    ActivityDefinition,
    ActivityProfileDocument,
    Agent,
    AgentProfileDocument,
    Context,
    LanguageMap,
    RemoteLRS,
    StateDocument,
    Statement,
    StatementList,
    StatementRef,
    Verb,
)
from tincan.http_request import HTTPRequest

pytestmark = pytest.mark.slow

EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ACTIVITY = "http://pathway.test/xapi/activities/tincan-unit"


# ---- a served LRS --------------------------------------------------------------------------------



def _env(instance, database_url) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_PATH=str(instance), LMS_DATABASE_URL=database_url,
               LMS_SCHEDULER_HEARTBEAT_SECONDS="1", LMS_PASSWORD_HASH_PROFILE="cheapest")
    return env






@contextmanager
def served(env, log_path):
    """`lms serve` (web + scheduler) until the block ends; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lms", "serve", "--port", str(port), "--workers", "1"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not ((h := health(base)) and h["database"]["ok"]
                       and h["scheduler"]["state"] == "running"):
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "lms serve did not come up"
                time.sleep(0.2)
            yield base
        finally:
            status = stop_process(process)
    assert status == 0, log_path.read_text()


def _create_credentials(env) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-m", "lms", "xapi", "clients", "create",
                           "--name", "tincan", "--scope", "all", "--json"],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    created = json.loads(done.stdout.strip().splitlines()[-1])
    return created["key"], created["secret"]


@pytest.fixture
def lrs(app, database_url, tmp_path):
    """A RemoteLRS speaking 1.0.3 to a served LRS on the test database."""
    env = _env(tmp_path / "served-instance", database_url)
    key, secret = _create_credentials(env)
    with served(env, tmp_path / "serve.log") as base:
        yield RemoteLRS(endpoint=f"{base}/xapi/", version="1.0.3", username=key,
                        password=secret)


# ---- helpers -------------------------------------------------------------------------------------

def learner(name="ann") -> Agent:
    return Agent(name=name.title(), mbox=f"mailto:{name}@pathway.test")


def activity(activity_id=ACTIVITY) -> Activity:
    return Activity(id=activity_id, definition=ActivityDefinition(
        name=LanguageMap({"en-GB": "Unit"}), type="http://adlnet.gov/expapi/activities/lesson"))


def make_statement(verb=EXPERIENCED, actor="ann", registration=None, **extra) -> Statement:
    context = Context(registration=registration) if registration else None
    return Statement(actor=learner(actor), verb=Verb(id=verb, display=LanguageMap(
        {"en-US": verb.rsplit("/", 1)[-1]})), object=activity(), context=context, **extra)


def ok(response, status=None):
    """Assert a tincan LRSResponse succeeded (with `status`, when given); return it."""
    assert response.success, (response.response.status, response.data)
    if status is not None:
        assert response.response.status == status
    return response


def etag(response) -> str:
    """The ETag of a tincan response (tincan's own `retrieve_*` never sets one)."""
    value = response.response.getheader("ETag")
    assert value, "the LRS sent no ETag"
    return value


def all_pages(lrs, query) -> tuple[list[str], list[int]]:
    """Ids of every statement a query matches, following `more`, and the page sizes."""
    result = ok(lrs.query_statements(query)).content
    ids, sizes = [str(s.id) for s in result.statements], [len(result.statements)]
    while result.more:
        result = ok(lrs.more_statements(result)).content
        ids += [str(s.id) for s in result.statements]
        sizes.append(len(result.statements))
    return ids, sizes


# ---- statements ----------------------------------------------------------------------------------

def test_about(lrs):
    # tincan's About accepts only 1.0.x versions, and this LRS also lists 2.0.0.
    with pytest.raises(ValueError, match="2.0.0"):
        lrs.about()
    response = ok(lrs._send_request(HTTPRequest(method="GET", resource="about")), 200)
    assert json.loads(response.data)["version"] == ["1.0.3", "2.0.0"]


def test_statements_round_trip(lrs):
    registration = str(uuid.uuid4())
    one = make_statement(registration=registration)
    response = ok(lrs.save_statement(one), 200)  # no id: POST, the LRS answers the id
    assert str(one.id) == json.loads(response.data)[0]  # tincan keeps ids as UUIDs

    chosen = str(uuid.uuid4())
    ok(lrs.save_statement(make_statement(id=chosen, registration=registration)), 204)  # PUT
    time.sleep(0.005)  # so that the next statements are stored strictly later (see `since`)

    batch = StatementList([make_statement(verb=COMPLETED, registration=registration,
                                          actor=f"learner{i}") for i in range(5)])
    response = ok(lrs.save_statements(batch), 200)
    batch_ids = json.loads(response.data)
    assert [str(s.id) for s in batch] == batch_ids and len(set(batch_ids)) == 5

    fetched = ok(lrs.retrieve_statement(one.id), 200).content
    assert fetched.id == one.id
    assert fetched.actor.mbox == "mailto:ann@pathway.test"
    assert fetched.verb.id == EXPERIENCED
    assert fetched.object.id == ACTIVITY
    assert fetched.context.registration == uuid.UUID(registration)
    assert fetched.stored is not None and fetched.authority is not None
    assert str(ok(lrs.retrieve_statement(chosen)).content.id) == chosen

    # A filter and a limit: five completions, two a page, newest first, then `more`.
    ids, sizes = all_pages(lrs, {"verb": Verb(id=COMPLETED), "registration": registration,
                                 "limit": 2})
    assert sizes == [2, 2, 1]
    assert ids == batch_ids[::-1]
    # tincan sends parameters with str(), so a boolean must be given as JSON text.
    ids, _ = all_pages(lrs, {"registration": registration, "limit": 3, "ascending": "true"})
    assert ids == [str(one.id), chosen, *batch_ids]
    refused = lrs.query_statements({"registration": registration, "ascending": True})
    assert not refused.success and refused.response.status == 400  # "True" is not a boolean
    ids, _ = all_pages(lrs, {"agent": learner("learner3"), "registration": registration})
    assert ids == [batch_ids[3]]
    # `since` likewise: str() of a datetime has a space where ISO 8601 wants a "T".
    stored = ok(lrs.retrieve_statement(chosen)).content.stored
    ids, _ = all_pages(lrs, {"registration": registration, "since": stored.isoformat()})
    assert ids == batch_ids[::-1]
    refused = lrs.query_statements({"registration": registration, "since": stored})
    assert not refused.success and refused.response.status == 400

    unknown = lrs.retrieve_statement(str(uuid.uuid4()))
    assert not unknown.success and unknown.response.status == 404


def test_voided_statements_leave_queries_but_can_be_fetched_as_voided(lrs):
    registration = str(uuid.uuid4())
    kept, gone = make_statement(registration=registration), make_statement(
        registration=registration, verb=COMPLETED)
    ok(lrs.save_statements(StatementList([kept, gone])))

    voiding = Statement(actor=learner("admin"), verb=Verb(id=VOIDED, display=LanguageMap(
        {"en-US": "voided"})), object=StatementRef(id=gone.id))
    ok(lrs.save_statement(voiding))

    # The voided statement leaves the query; the voiding statement comes in, since it
    # refers to a statement that matches (Communication 2.1.3, filter conditions).
    ids, _ = all_pages(lrs, {"registration": registration})
    assert ids == [str(voiding.id), str(kept.id)]
    missing = lrs.retrieve_statement(gone.id)
    assert not missing.success and missing.response.status == 404
    voided = ok(lrs.retrieve_voided_statement(gone.id), 200).content
    assert voided.id == gone.id and voided.verb.id == COMPLETED
    not_voided = lrs.retrieve_voided_statement(kept.id)
    assert not not_voided.success and not_voided.response.status == 404
    # The voiding statement itself is an ordinary statement.
    assert ok(lrs.retrieve_statement(voiding.id)).content.object.id == gone.id
    ids, _ = all_pages(lrs, {"verb": Verb(id=VOIDED), "agent": learner("admin")})
    assert str(voiding.id) in ids


# ---- documents -----------------------------------------------------------------------------------

def test_state_documents(lrs):
    agent, unit = learner("bea"), activity()
    bookmark = StateDocument(id="bookmark", activity=unit, agent=agent,
                             content_type="application/json", content='{"page": 3}')
    ok(lrs.save_state(bookmark), 204)  # a 1.0.3 state PUT needs no precondition
    ok(lrs.save_state(StateDocument(id="progress", activity=unit, agent=agent,
                                    content_type="text/plain", content="halfway")), 204)

    assert sorted(ok(lrs.retrieve_state_ids(unit, agent)).content) == ["bookmark", "progress"]
    assert ok(lrs.retrieve_state_ids(unit, learner("other"))).content == []

    response = ok(lrs.retrieve_state(unit, agent, "bookmark"), 200)
    assert json.loads(bytes(response.content.content)) == {"page": 3}
    assert response.response.getheader("Content-Type") == "application/json"
    assert response.content.etag is None  # tincan does not read the ETag ...
    current = etag(response)  # ... so the caller takes it from the response

    # With an ETag, save_state sends If-Match; tincan sends the PUT twice, so the first one
    # stores the change and the second, with what is now a stale ETag, is refused (412).
    moved = StateDocument(id="bookmark", activity=unit, agent=agent, etag=current,
                          content_type="application/json", content='{"page": 4}')
    repeated = lrs.save_state(moved)
    assert not repeated.success and repeated.response.status == 412
    response = ok(lrs.retrieve_state(unit, agent, "bookmark"))
    assert json.loads(bytes(response.content.content)) == {"page": 4}
    assert etag(response) != current

    # delete_state sends If-Match when the document has an ETag: a stale one is refused.
    stale = StateDocument(id="bookmark", activity=unit, agent=agent, etag=current)
    refused = lrs.delete_state(stale)
    assert not refused.success and refused.response.status == 412
    ok(lrs.delete_state(StateDocument(id="bookmark", activity=unit, agent=agent,
                                      etag=etag(response))), 204)
    assert ok(lrs.retrieve_state_ids(unit, agent)).content == ["progress"]
    gone = lrs.retrieve_state(unit, agent, "bookmark")  # tincan counts 404 as success here
    assert gone.response.status == 404

    ok(lrs.clear_state(unit, agent), 204)
    assert ok(lrs.retrieve_state_ids(unit, agent)).content == []


def _create_document(lrs, resource, params, content):
    """PUT a new document with `If-None-Match: *` through tincan's transport."""
    request = HTTPRequest(method="PUT", resource=resource, query_params=params,
                          headers={"Content-Type": "application/json", "If-None-Match": "*"},
                          content=json.dumps(content))
    return ok(lrs._send_request(request), 204)


PROFILE_KINDS = {
    "activity": dict(document=lambda pid, **kw: ActivityProfileDocument(
                         id=pid, activity=activity(), **kw),
                     resource="activities/profile",
                     params=lambda pid: {"profileId": pid, "activityId": ACTIVITY},
                     save="save_activity_profile", retrieve="retrieve_activity_profile",
                     ids="retrieve_activity_profile_ids", delete="delete_activity_profile",
                     scope=lambda: activity()),
    "agent": dict(document=lambda pid, **kw: AgentProfileDocument(
                      id=pid, agent=learner("cal"), **kw),
                  resource="agents/profile",
                  params=lambda pid: {"profileId": pid, "agent": learner("cal").to_json("1.0.3")},
                  save="save_agent_profile", retrieve="retrieve_agent_profile",
                  ids="retrieve_agent_profile_ids", delete="delete_agent_profile",
                  scope=lambda: learner("cal")),
}


@pytest.mark.parametrize("kind", sorted(PROFILE_KINDS))
def test_profile_documents_with_etags(lrs, kind):
    k = PROFILE_KINDS[kind]
    save, retrieve = getattr(lrs, k["save"]), getattr(lrs, k["retrieve"])
    ids, delete = getattr(lrs, k["ids"]), getattr(lrs, k["delete"])

    # tincan creates with a plain PUT (no precondition header): this LRS wants
    # If-None-Match: * for that, and says so.
    refused = save(k["document"]("prefs", content_type="application/json",
                                 content='{"speed": 1}'))
    assert not refused.success and refused.response.status == 400
    assert "If-None-Match" in json.loads(refused.data)["error"]["message"]
    _create_document(lrs, k["resource"], k["params"]("prefs"), {"speed": 1})

    response = ok(retrieve(k["scope"](), "prefs"), 200)
    assert json.loads(bytes(response.content.content)) == {"speed": 1}
    first = etag(response)

    # A PUT over it without an ETag is a conflict; with the current one it is stored.
    conflict = save(k["document"]("prefs", content_type="application/json",
                                  content='{"speed": 2}'))
    assert not conflict.success and conflict.response.status == 409
    ok(save(k["document"]("prefs", etag=first, content_type="application/json",
                          content='{"speed": 2}')), 204)
    response = ok(retrieve(k["scope"](), "prefs"))
    assert json.loads(bytes(response.content.content)) == {"speed": 2}
    second = etag(response)
    assert second != first

    # The old ETag no longer matches: neither a save nor a delete goes through with it.
    stale = save(k["document"]("prefs", etag=first, content_type="application/json",
                               content='{"speed": 3}'))
    assert not stale.success and stale.response.status == 412
    stale = delete(k["document"]("prefs", etag=first))
    assert not stale.success and stale.response.status == 412
    assert json.loads(bytes(ok(retrieve(k["scope"](), "prefs")).content.content)) == {
        "speed": 2}

    assert ok(ids(k["scope"]())).content == ["prefs"]
    ok(delete(k["document"]("prefs", etag=second)), 204)
    assert ok(ids(k["scope"]())).content == []
    assert retrieve(k["scope"](), "prefs").response.status == 404
