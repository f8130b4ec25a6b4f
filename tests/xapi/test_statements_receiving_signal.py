"""`xapi.signals.statements_receiving`: sent for each statements PUT or POST after the xAPI
checks and before storing, with the client, the statements and the version; a receiver that
raises an `XAPIError` refuses the whole request (its status and message, nothing stored); with
no receiver, or one that lets the statements through, the LRS stores as before."""

import copy
import uuid

import pytest
from sqlalchemy import func, select

from xapi.auth import basic_header
from xapi.errors import BadRequest, Forbidden
from xapi.models import statements as statements_table
from xapi.service import record
from xapi.signals import statement_stored, statements_receiving

STATEMENTS = "/xapi/statements"


def statement(actor="ann", **extra) -> dict:
    return {"actor": {"objectType": "Agent", "mbox": f"mailto:{actor}@pathway.test"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"objectType": "Activity", "id": "http://pathway.test/activities/unit-1"},
            **extra}


def stored_count(app) -> int:
    with app.extensions["xapi"].engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(statements_table)).scalar()


@pytest.fixture
def credentials(lrs_credentials):
    def make(version="1.0.3", **kwargs):
        key, secret = lrs_credentials("all", name="Receiving test client", **kwargs)
        return key, {"Authorization": basic_header(key, secret),
                     "X-Experience-API-Version": version}

    return make


@pytest.fixture
def received(app):
    """The kwargs of each `statements_receiving` sent during the test, with the number of
    statements stored at that moment (a copy of the statements as they were then: the LRS
    adds ids and more to the same objects when it stores them)."""
    calls = []

    def receiver(sender, **kwargs):
        assert sender is app
        calls.append({**kwargs, "statements": copy.deepcopy(kwargs["statements"]),
                      "stored_then": stored_count(app)})

    with statements_receiving.connected_to(receiver, sender=app):
        yield calls


@pytest.fixture
def stored_signals(app):
    calls = []
    with statement_stored.connected_to(lambda sender, **kw: calls.append(kw), sender=app):
        yield calls


def refuse(error):
    """A receiver that refuses every batch with `error`."""
    def receiver(sender, **kwargs):
        raise error
    return receiver


def test_a_post_is_announced_before_storing_with_client_statements_and_version(
        app, client, credentials, received):
    key, headers = credentials(version="2.0.0")
    given_id = str(uuid.uuid4())
    batch = [statement("a", id=given_id), statement("b")]
    response = client.post(STATEMENTS, json=batch, headers=headers)
    assert response.status_code == 200
    [call] = received
    assert call["stored_then"] == 0
    assert call["client"].key == key
    assert call["client"].name == "Receiving test client"
    assert call["version"] == "2.0.0"
    sent = call["statements"]
    assert [s["actor"]["mbox"] for s in sent] == ["mailto:a@pathway.test", "mailto:b@pathway.test"]
    assert sent[0]["id"] == given_id
    assert "id" not in sent[1]  # the LRS assigns ids when it stores
    assert "stored" not in sent[0] and "authority" not in sent[0]
    assert stored_count(app) == 2


def test_a_put_is_announced_with_its_statement_id(app, client, credentials, received):
    _, headers = credentials()
    sid = str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=statement(),
                          headers=headers)
    assert response.status_code == 204
    [call] = received
    assert [s["id"] for s in call["statements"]] == [sid]
    assert call["version"] == "1.0.3"


def test_launch_credentials_are_the_client_with_their_actor_and_registration(
        app, client, credentials, received):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "mbox": "mailto:ann@pathway.test"}
    _, headers = credentials(actor=actor, registration=registration)
    body = statement("ann", context={"registration": registration})
    assert client.post(STATEMENTS, json=body, headers=headers).status_code == 200
    [call] = received
    assert call["client"].actor == actor
    assert call["client"].registration == registration


@pytest.mark.parametrize("error, status", [(Forbidden("Refused by a profile rule."), 403),
                                           (BadRequest("Refused by a profile rule."), 400)])
def test_a_receiver_that_raises_refuses_the_whole_batch(app, client, credentials,
                                                        stored_signals, error, status):
    _, headers = credentials()
    with statements_receiving.connected_to(refuse(error), sender=app):
        response = client.post(STATEMENTS, json=[statement("a"), statement("b")],
                               headers=headers)
        put = client.put(STATEMENTS, query_string={"statementId": str(uuid.uuid4())},
                         json=statement("c"), headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["message"] == "Refused by a profile rule."
    assert put.status_code == status
    assert stored_count(app) == 0
    assert stored_signals == []


def test_a_receiver_may_refuse_one_client_and_let_another_through(app, client, credentials):
    refused_key, refused_headers = credentials()
    _, other_headers = credentials()

    def receiver(sender, client, **kwargs):
        if client.key == refused_key:
            raise Forbidden("Not these credentials.")

    with statements_receiving.connected_to(receiver, sender=app):
        assert client.post(STATEMENTS, json=statement("a"),
                           headers=refused_headers).status_code == 403
        assert client.post(STATEMENTS, json=statement("b"),
                           headers=other_headers).status_code == 200
    assert stored_count(app) == 1


def test_nothing_is_announced_for_a_batch_the_xapi_checks_refuse(app, client, credentials,
                                                                 received):
    _, headers = credentials()
    bad = statement("b")
    del bad["verb"]
    assert client.post(STATEMENTS, json=[statement("a"), bad], headers=headers).status_code \
        == 400
    registration = str(uuid.uuid4())
    _, launch = credentials(actor={"objectType": "Agent", "mbox": "mailto:ann@pathway.test"},
                            registration=registration)
    other_learner = statement("bob", context={"registration": registration})
    assert client.post(STATEMENTS, json=other_learner, headers=launch).status_code == 403
    assert received == []


def test_a_statement_already_stored_is_announced_again_and_stored_once(app, client,
                                                                      credentials, received):
    _, headers = credentials()
    body = statement(id=str(uuid.uuid4()))
    assert client.post(STATEMENTS, json=body, headers=headers).status_code == 200
    assert client.post(STATEMENTS, json=body, headers=headers).status_code == 200
    assert [[s["id"] for s in call["statements"]] for call in received] == [[body["id"]]] * 2
    assert stored_count(app) == 1


def test_the_service_layer_does_not_announce(app, received):
    pathway = {"objectType": "Agent", "account": {"homePage": "http://pathway.test",
                                                  "name": "pathway"}}
    with statements_receiving.connected_to(refuse(Forbidden("no")), sender=app):
        record([statement("a")], pathway)
    assert received == []
    assert stored_count(app) == 1


def test_with_a_receiver_that_lets_them_through_the_lrs_stores_as_without(
        app, client, credentials, stored_signals):
    _, headers = credentials()
    with statements_receiving.connected_to(lambda sender, **kw: None, sender=app):
        with_receiver = client.post(STATEMENTS, json=[statement("a"), statement("b")],
                                    headers=headers)
    without = client.post(STATEMENTS, json=[statement("c")], headers=headers)
    assert with_receiver.status_code == without.status_code == 200
    assert [len(call["statements"]) for call in stored_signals] == [2, 1]
    assert stored_count(app) == 3
