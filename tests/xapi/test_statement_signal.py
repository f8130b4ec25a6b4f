"""`xapi.signals.statement_stored`: sent once per committed request (HTTP or the service
layer's `xapi.service.record`) with the statements stored and the ids they voided; never
for a rejected request or one that stored nothing new."""

import uuid

import pytest
from sqlalchemy import select

from xapi.auth import basic_header
from xapi.errors import BadRequest
from xapi.models import statements as statements_table
from xapi.service import record
from xapi.signals import statement_stored

STATEMENTS = "/xapi/statements"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
PATHWAY = {"objectType": "Agent", "name": "Pathway",
           "account": {"homePage": "http://pathway.test", "name": "pathway"}}


def statement(actor="ann", **extra) -> dict:
    return {"actor": {"objectType": "Agent", "mbox": f"mailto:{actor}@pathway.test"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"objectType": "Activity", "id": "http://pathway.test/activities/unit-1"},
            **extra}


def voiding(target_id: str) -> dict:
    return {"actor": {"objectType": "Agent", "mbox": "mailto:admin@pathway.test"},
            "verb": {"id": VOIDED}, "object": {"objectType": "StatementRef", "id": target_id}}


@pytest.fixture
def sent(app):
    """The signals sent by the app during the test: a list of their kwargs; each also
    records whether its statements were already committed (visible to a new connection)."""
    calls = []
    engine = app.extensions["xapi"].engine

    def receiver(sender, **kwargs):
        assert sender is app
        wanted = [s["id"].lower() for s in kwargs["statements"]]
        with engine.connect() as connection:
            found = set(connection.execute(select(statements_table.c.id).where(
                statements_table.c.id.in_(wanted))).scalars())
        calls.append({**kwargs, "committed": found == set(wanted)})

    with statement_stored.connected_to(receiver, sender=app):
        yield calls


@pytest.fixture
def credentials(lrs_credentials):
    key, secret = lrs_credentials("all", name="Signal test client")
    return key, {"Authorization": basic_header(key, secret), "X-Experience-API-Version": "1.0.3"}


def test_a_post_sends_one_signal_with_the_stored_statements(client, credentials, sent, app):
    key, headers = credentials
    response = client.post(STATEMENTS, json=[statement("a"), statement("b"), statement("c")],
                           headers=headers)
    assert response.status_code == 200
    assert len(sent) == 1
    [call] = sent
    assert call["committed"]
    assert [s["id"] for s in call["statements"]] == response.get_json()
    assert call["voided_ids"] == []
    stored = {s["stored"] for s in call["statements"]}
    assert len(stored) == 1
    for sent_statement in call["statements"]:
        assert sent_statement["authority"] == {
            "objectType": "Agent", "name": "Signal test client",
            "account": {"homePage": app.config["BASE_URL"], "name": key}}
        fetched = client.get(STATEMENTS, query_string={"statementId": sent_statement["id"]},
                             headers=headers).get_json()
        assert fetched == sent_statement


def test_a_put_sends_one_signal(client, credentials, sent):
    _, headers = credentials
    sid = str(uuid.uuid4())
    response = client.put(STATEMENTS, query_string={"statementId": sid}, json=statement(),
                          headers=headers)
    assert response.status_code == 204
    assert [[s["id"] for s in call["statements"]] for call in sent] == [[sid]]


def test_a_voiding_statement_names_the_voided_id(client, credentials, sent):
    _, headers = credentials
    [target] = client.post(STATEMENTS, json=statement(), headers=headers).get_json()
    response = client.post(STATEMENTS, json=voiding(target), headers=headers)
    assert response.status_code == 200
    assert len(sent) == 2
    assert sent[1]["voided_ids"] == [target]
    assert [s["id"] for s in sent[1]["statements"]] == response.get_json()


def test_a_voiding_of_an_unknown_statement_names_no_voided_id(client, credentials, sent):
    _, headers = credentials
    response = client.post(STATEMENTS, json=voiding(str(uuid.uuid4())), headers=headers)
    assert response.status_code == 200
    assert [call["voided_ids"] for call in sent] == [[]]


def test_a_rejected_batch_sends_nothing(client, credentials, sent):
    _, headers = credentials
    bad = statement("b")
    del bad["verb"]
    response = client.post(STATEMENTS, json=[statement("a"), bad], headers=headers)
    assert response.status_code == 400
    [target] = client.post(STATEMENTS, json=statement(), headers=headers).get_json()
    [void_id] = client.post(STATEMENTS, json=voiding(target), headers=headers).get_json()
    sent.clear()
    response = client.post(STATEMENTS, json=voiding(void_id), headers=headers)
    assert response.status_code == 400
    response = client.post(STATEMENTS, json=statement("other", id=target), headers=headers)
    assert response.status_code == 409
    assert sent == []


def test_a_duplicate_sends_nothing(client, credentials, sent):
    _, headers = credentials
    body = statement(id=str(uuid.uuid4()))
    client.post(STATEMENTS, json=body, headers=headers)
    sent.clear()
    assert client.post(STATEMENTS, json=body, headers=headers).status_code == 200
    response = client.put(STATEMENTS, query_string={"statementId": body["id"]}, json=body,
                          headers=headers)
    assert response.status_code == 204
    assert sent == []


def test_a_batch_with_old_and_new_statements_sends_only_the_new(client, credentials, sent):
    _, headers = credentials
    old = statement("a", id=str(uuid.uuid4()))
    client.post(STATEMENTS, json=old, headers=headers)
    sent.clear()
    response = client.post(STATEMENTS, json=[old, statement("b")], headers=headers)
    assert response.status_code == 200
    [call] = sent
    assert [s["id"] for s in call["statements"]] == response.get_json()[1:]


# ---- the service layer ---------------------------------------------------------------------------

def test_record_stores_and_sends_the_signal(app, client, lrs_headers, sent):
    ids = record([statement("a"), statement("b")], PATHWAY)
    assert len(ids) == 2
    [call] = sent
    assert call["committed"]
    assert [s["id"] for s in call["statements"]] == ids
    assert all(s["authority"] == PATHWAY and s["stored"] for s in call["statements"])
    headers = lrs_headers("all")
    fetched = client.get(STATEMENTS, query_string={"statementId": ids[0]},
                         headers=headers).get_json()
    assert fetched["authority"] == PATHWAY
    assert fetched["version"] == "1.0.0"


def test_record_voids_and_names_the_voided_id(app, sent):
    [target] = record(statement(), PATHWAY)
    record(voiding(target), PATHWAY)
    assert [call["voided_ids"] for call in sent] == [[], [target]]


def test_record_of_an_invalid_statement_raises_and_stores_nothing(app, client, lrs_headers,
                                                                  sent):
    bad = statement("b", timestamp="not a time")
    with pytest.raises(BadRequest, match=r"\[1\]\.timestamp"):
        record([statement("a"), bad], PATHWAY)
    assert sent == []
    response = client.get(STATEMENTS, headers=lrs_headers("all"))
    assert response.get_json()["statements"] == []


def test_record_of_a_duplicate_sends_nothing(app, sent):
    body = statement(id=str(uuid.uuid4()))
    assert record(dict(body), PATHWAY) == [body["id"]]
    sent.clear()
    assert record(dict(body), PATHWAY) == [body["id"]]
    assert sent == []
