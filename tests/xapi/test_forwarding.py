"""Forwarding statements to an upstream LRS (xapi/forwarding.py), end to end.

The upstream is a second, real `lms serve` with its own SQLite database (also when the suite
runs on PostgreSQL) and its own credentials, made there with `lms xapi clients create`. The
test app stores statements (through the `client` fixture), the targets are configured and
drained with `lms xapi forwarding ...` (the `runner` fixture), and the upstream is asked over
HTTP what it holds. `forwarding status` does not report attempts, so those are read from the
outbox table.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from conftest import free_port, health, stop_process
from sqlalchemy import select, update

from xapi.auth import basic_header
from xapi.models import outbox

pytestmark = pytest.mark.slow

EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"


# ---- the upstream LRS ----------------------------------------------------------------------------







class Upstream:
    """An LRS of its own: an instance folder, a SQLite file, credentials, a port."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/xapi/"
        self.log = folder / "upstream.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
        self.env.update(LMS_INSTANCE_PATH=str(folder / "instance"),
                        LMS_DATABASE_URL=f"sqlite:///{folder}/upstream.db",
                        LMS_SCHEDULER_HEARTBEAT_SECONDS="1",
                        LMS_PASSWORD_HASH_PROFILE="cheapest")
        self._lms("init")
        created = self._lms("xapi", "clients", "create", "--name", "downstream",
                            "--scope", "all", "--json")
        credentials = json.loads(created.splitlines()[-1])
        self.key, self.secret = credentials["key"], credentials["secret"]

    def _lms(self, *args) -> str:
        done = subprocess.run([sys.executable, "-m", "lms", *args], env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    @contextmanager
    def running(self):
        """`lms serve` (web + scheduler) on this upstream's port until the block ends."""
        with open(self.log, "a") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "lms", "serve", "--port", str(self.port),
                 "--workers", "1"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                deadline = time.monotonic() + 60
                while not ((h := health(self.base)) and h["database"]["ok"]
                           and h["scheduler"]["state"] == "running"):
                    assert process.poll() is None, self.log.read_text()
                    assert time.monotonic() < deadline, "the upstream did not come up"
                    time.sleep(0.2)
                yield self
            finally:
                status = stop_process(process)
        assert status == 0, self.log.read_text()
        assert health(self.base) is None  # nothing is left listening

    def get(self, path="statements", version="1.0.3", **params):
        """(status, JSON body) of a GET on the upstream's xAPI."""
        url = f"{self.endpoint}{path}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(url, headers={  # noqa: S310 (loopback)
            "Authorization": basic_header(self.key, self.secret),
            "X-Experience-API-Version": version})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())

    def statement(self, statement_id) -> dict | None:
        status, body = self.get(statementId=statement_id)
        assert status in (200, 404), body
        return body if status == 200 else None

    def ids(self, **params) -> list[str]:
        """Ids of every statement upstream matching `params`, following `more`."""
        status, page = self.get(limit="100", **params)
        assert status == 200, page
        ids = [s["id"] for s in page["statements"]]
        while page["more"]:
            status, page = self.get("statements/more/" + page["more"].rsplit("/", 1)[-1])
            assert status == 200, page
            ids += [s["id"] for s in page["statements"]]
        return ids


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """One upstream LRS, running, shared by the tests of this module."""
    with Upstream(tmp_path_factory.mktemp("upstream")).running() as lrs:
        yield lrs


# ---- the test app's side -------------------------------------------------------------------------

@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


def statement(verb=EXPERIENCED, activity="http://pathway.test/activities/unit-1",
              registration=None, actor="ann", **extra) -> dict:
    body = {"actor": {"objectType": "Agent", "mbox": f"mailto:{actor}@pathway.test"},
            "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": activity}, **extra}
    if registration:
        body["context"] = {"registration": registration, **body.get("context", {})}
    return body


def post(client, headers, body) -> list[str]:
    response = client.post("/xapi/statements", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def lms(runner, *args) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def add_target(runner, upstream, name="up", *options, username=None, password=None):
    return lms(runner, "xapi", "forwarding", "add", "--name", name,
               "--endpoint", upstream.endpoint,
               "--username", upstream.key if username is None else username,
               "--password", upstream.secret if password is None else password, *options)


def drain(runner) -> dict[str, int]:
    """`lms xapi forwarding drain` -> {target: statements sent}."""
    output = lms(runner, "xapi", "forwarding", "drain")
    sent = {}
    for line in output.splitlines():
        name, found, count = line.partition(": sent ")
        if found:
            sent[name] = int(count)
    return sent


def status(runner) -> dict[str, dict]:
    """`lms xapi forwarding status --json`, by target name."""
    return {t["name"]: t for t in json.loads(lms(runner, "xapi", "forwarding", "status",
                                                 "--json"))}


def outbox_rows(app) -> list:
    with app.extensions["xapi"].engine.connect() as connection:
        return connection.execute(select(outbox).order_by(outbox.c.id)).all()


def make_due(app) -> None:
    """Bring every pending row's next attempt into the past.

    A failed batch waits 30 s (then 60 s, ...) before it is tried again; a test cannot wait
    that long, so it moves the due time back as the clock would have, instead of sleeping."""
    with app.extensions["xapi"].engine.begin() as connection:
        connection.execute(update(outbox).where(outbox.c.sent_at.is_(None)).values(
            next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))


def moment(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---- tests ---------------------------------------------------------------------------------------

def test_drain_forwards_every_statement_upstream(client, headers, runner, upstream):
    assert "forwarding to up" in add_target(runner, upstream)
    registration = str(uuid.uuid4())
    ids = post(client, headers, statement(registration=registration))
    ids += post(client, headers, [statement(registration=registration, actor=f"learner{i}",
                                            verb=COMPLETED) for i in range(4)])
    chosen = str(uuid.uuid4())
    response = client.put("/xapi/statements", query_string={"statementId": chosen},
                          json=statement(registration=registration), headers=headers)
    assert response.status_code == 204
    ids.append(chosen)
    assert status(runner)["up"]["pending"] == 6
    assert all(upstream.statement(i) is None for i in ids)

    assert drain(runner) == {"up": 6}

    for statement_id in ids:
        here = client.get("/xapi/statements", query_string={"statementId": statement_id},
                          headers=headers).get_json()
        there = upstream.statement(statement_id)
        assert there is not None, statement_id
        for key in ("id", "actor", "verb", "object", "context", "timestamp"):
            assert there[key] == here[key]
    assert sorted(upstream.ids(registration=registration)) == sorted(ids)
    report = status(runner)["up"]
    assert (report["pending"], report["sent"], report["last_error"]) == (0, 6, None)
    assert report["oldest_pending_seconds"] is None
    assert drain(runner) == {"up": 0}  # nothing is sent twice


def test_filter_forwards_only_matching_statements(client, headers, runner, upstream):
    prefix = f"http://pathway.test/activities/{uuid.uuid4()}/"
    add_target(runner, upstream, "filtered", "--verb", COMPLETED, "--verb", PASSED,
               "--activity-prefix", prefix)
    add_target(runner, upstream, "verbs-only", "--verb", PASSED)
    registration = str(uuid.uuid4())
    wanted = post(client, headers, [
        statement(COMPLETED, prefix + "unit-1", registration),
        statement(PASSED, prefix + "unit-2/quiz", registration)])
    unwanted = post(client, headers, [
        statement(EXPERIENCED, prefix + "unit-1", registration),  # another verb
        statement(COMPLETED, "http://pathway.test/activities/other", registration),
        statement(COMPLETED, prefix.rstrip("/"), registration),  # the prefix, not under it
        statement(COMPLETED, registration=registration,  # not an Activity
                  object={"objectType": "Agent", "mbox": "mailto:bob@pathway.test"}),
    ])
    report = status(runner)
    assert report["filtered"]["filter"] == {"verbs": [COMPLETED, PASSED],
                                            "activity_prefix": prefix}
    assert (report["filtered"]["pending"], report["verbs-only"]["pending"]) == (2, 1)

    assert drain(runner) == {"filtered": 2, "verbs-only": 1}

    assert sorted(upstream.ids(registration=registration)) == sorted(wanted)
    for statement_id in unwanted:
        assert upstream.statement(statement_id) is None


def test_statements_go_upstream_as_stored(client, lrs_headers, runner, upstream):
    """xAPI 2.0 statements (contextAgents, version 2.0.0) and 1.0.3 ones alike, unchanged."""
    add_target(runner, upstream)
    registration = str(uuid.uuid4())
    v2 = statement(registration=registration, result={"duration": "PT1H30M"}, context={
        "contextAgents": [{"objectType": "contextAgent",
                           "agent": {"mbox": "mailto:tutor@pathway.test"},
                           "relevantTypes": ["http://pathway.test/types/tutor"]}]})
    v1 = statement(registration=registration, actor="bob", result={"duration": "PT2.5S"})
    ids = post(client, lrs_headers("all", version="2.0.0"), v2)
    ids += post(client, lrs_headers("all", version="1.0.3"), v1)

    assert drain(runner) == {"up": 2}

    for statement_id, version in zip(ids, ["2.0.0", "1.0.3"], strict=True):
        here = client.get("/xapi/statements", query_string={"statementId": statement_id},
                          headers=lrs_headers("all", version=version)).get_json()
        status_, there = upstream.get(statementId=statement_id, version=version)
        assert status_ == 200, there
        assert there["version"] == here["version"]
        for key in ("actor", "verb", "object", "context", "result", "timestamp"):
            assert there[key] == here[key]
    assert status(runner)["up"]["pending"] == 0


def test_refused_credentials_keep_statements_pending_with_the_error(
        client, headers, runner, upstream):
    add_target(runner, upstream, "wrong", password="not the secret")
    ids = post(client, headers, [statement(), statement(actor="bob")])

    assert drain(runner) == {"wrong": 0}

    report = status(runner)["wrong"]
    assert (report["pending"], report["sent"]) == (2, 0)
    assert report["last_error"].startswith("HTTP 401")
    assert moment(report["next_attempt_at"]) > datetime.now(UTC)
    assert [row.attempts for row in outbox_rows(client.application)] == [1, 1]
    assert all(upstream.statement(i) is None for i in ids)


def test_an_unreachable_upstream_gets_everything_once_it_is_back(
        app, client, headers, runner, tmp_path, make_user, auth):
    (tmp_path / "upstream").mkdir()
    upstream = Upstream(tmp_path / "upstream")  # its database and credentials; not running
    add_target(runner, upstream)
    registration = str(uuid.uuid4())
    ids = post(client, headers, [statement(registration=registration, actor=f"learner{i}")
                                 for i in range(3)])

    # Nothing listens on the port: nothing is sent, nothing is lost, and the batch backs off.
    before = datetime.now(UTC)
    assert drain(runner) == {"up": 0}
    report = status(runner)["up"]
    assert (report["pending"], report["sent"]) == (3, 0)
    assert "Connection refused" in report["last_error"]
    assert report["oldest_pending_seconds"] >= 0
    first_due = moment(report["next_attempt_at"])
    assert before + timedelta(seconds=25) < first_due <= datetime.now(UTC) + timedelta(
        seconds=31)
    assert [row.attempts for row in outbox_rows(app)] == [1, 1, 1]

    # The JSON API reports the same to an administrator, and nothing to a learner.
    api = client.get("/api/v1/lrs/forwarding", headers=auth(make_user("admin")))
    assert api.status_code == 200
    [target] = api.get_json()
    for key in ("name", "endpoint", "active", "filter", "pending", "sent", "last_error"):
        assert target[key] == report[key]
    assert moment(target["next_attempt_at"]) == first_due
    assert client.get("/api/v1/lrs/forwarding",
                      headers=auth(make_user("learner"))).status_code == 403

    # Until the back-off has passed, draining again tries nothing, even once it is up.
    assert drain(runner) == {"up": 0}
    assert [row.attempts for row in outbox_rows(app)] == [1, 1, 1]
    with upstream.running():
        assert drain(runner) == {"up": 0}
        assert status(runner)["up"]["pending"] == 3
        assert upstream.ids(registration=registration) == []

        make_due(app)
        assert drain(runner) == {"up": 3}
        assert drain(runner) == {"up": 0}
        assert sorted(upstream.ids(registration=registration)) == sorted(ids)
        report = status(runner)["up"]
        assert (report["pending"], report["sent"], report["last_error"]) == (0, 3, None)
        assert report["next_attempt_at"] is None
        api = client.get("/api/v1/lrs/forwarding", headers=auth(make_user("admin")))
        assert {k: api.get_json()[0][k] for k in ("pending", "sent", "last_error")} == {
            "pending": 0, "sent": 3, "last_error": None}

    # Stopped again: new statements wait, and a second failure backs off twice as long.
    later = post(client, headers, [statement(registration=registration, actor="late"),
                                   statement(registration=registration, actor="later")])
    assert drain(runner) == {"up": 0}
    make_due(app)
    before = datetime.now(UTC)
    assert drain(runner) == {"up": 0}
    report = status(runner)["up"]
    assert (report["pending"], report["sent"]) == (2, 3)
    assert report["last_error"]
    assert moment(report["next_attempt_at"]) >= before + timedelta(seconds=59)
    assert [row.attempts for row in outbox_rows(app)] == [1, 1, 1, 2, 2]

    with upstream.running():
        make_due(app)
        assert drain(runner) == {"up": 2}
        ids_upstream = upstream.ids(registration=registration)
    assert sorted(ids_upstream) == sorted(ids + later)  # each exactly once
    assert len(ids_upstream) == len(set(ids_upstream)) == 5
    report = status(runner)["up"]
    assert (report["pending"], report["sent"], report["last_error"]) == (0, 5, None)
    assert all(row.sent_at is not None for row in outbox_rows(app))


def test_a_statement_the_upstream_refuses_does_not_hold_the_others_back(
        app, client, headers, runner, upstream):
    """The upstream already holds a statement with the same id and other content (409 for
    it): the batch is sent again one by one, the others arrive, that one is marked refused,
    kept, shown, and sent again only when asked."""
    clash = str(uuid.uuid4())
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{upstream.endpoint}statements?statementId={clash}", method="PUT",
        data=json.dumps(statement(actor="someone-else")).encode(), headers={
            "Authorization": basic_header(upstream.key, upstream.secret),
            "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 204
    add_target(runner, upstream, "strict")
    before = post(client, headers, statement(actor="before"))
    client.put("/xapi/statements", query_string={"statementId": clash},
               json=statement(actor="ann"), headers=headers)
    after = post(client, headers, statement(actor="after"))

    assert drain(runner) == {"strict": 2}
    assert all(upstream.statement(i) is not None for i in before + after)
    report = status(runner)["strict"]
    assert (report["pending"], report["sent"], report["refused"]) == (0, 2, 1)
    assert report["last_error"].startswith("HTTP 409")
    assert drain(runner) == {"strict": 0}  # a refused statement is not retried by itself

    assert "1 refused statements queued again" in lms(runner, "xapi", "forwarding", "retry",
                                                      "strict")
    assert status(runner)["strict"]["pending"] == 1
    assert drain(runner) == {"strict": 0}
    assert status(runner)["strict"]["refused"] == 1


def test_a_removed_target_gets_nothing_more_and_can_be_added_again(app, client, headers,
                                                                  runner, tmp_path):
    """Removing a target stops forwarding at once (no attempts are made); adding the name
    again sets it up anew (its queued statements go on)."""
    port = free_port()  # nothing listens here: any attempt would be recorded as an error
    lms(runner, "xapi", "forwarding", "add", "--name", "gone",
        "--endpoint", f"http://127.0.0.1:{port}/xapi/")
    post(client, headers, statement())
    assert "stopped forwarding to gone" in lms(runner, "xapi", "forwarding", "remove", "gone")
    assert drain(runner) == {}
    assert [row.attempts for row in outbox_rows(app)] == [0]
    assert "forwarding to gone" in lms(runner, "xapi", "forwarding", "add", "--name", "gone",
                                       "--endpoint", f"http://127.0.0.1:{port}/xapi/")
    again = runner.invoke(args=["xapi", "forwarding", "add", "--name", "gone",
                                "--endpoint", f"http://127.0.0.1:{port}/xapi/"])
    assert again.exit_code != 0 and "exists; remove it first" in again.output
    assert drain(runner) == {"gone": 0}
    assert [row.attempts for row in outbox_rows(app)] == [1]
