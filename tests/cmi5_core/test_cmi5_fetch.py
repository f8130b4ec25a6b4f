"""The fetch URL: one use, an auth token that works only for the session's learner and
registration, the cmi5 error codes (status 200, JSON), POST only, no CSRF token needed, any
origin may read it."""

from __future__ import annotations

import base64
import uuid
from urllib.parse import urlsplit

from cmi5_core_support import SESSION_ID, basic_key_of
from sqlalchemy import select

from activities.cmi5.models import Cmi5Session

pytest_plugins = ["cmi5_core_fixtures"]


def session_row(db, session_id: str) -> Cmi5Session:
    db.session.rollback()
    return db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == session_id)).scalar_one()


def test_the_first_post_gives_a_token_the_second_an_error(launched_au, client, db):
    au = launched_au(0, fetch=False)
    fetch_path = urlsplit(au.params["fetch"]).path
    first = client.post(fetch_path)
    assert first.status_code == 200
    assert first.mimetype == "application/json"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["Cache-Control"] == "no-store"
    token = first.get_json()["auth-token"]
    key, _, secret = base64.b64decode(token).decode().partition(":")
    assert key and secret
    row = session_row(db, au.session_id)
    assert row.client_key == key
    assert row.fetch_used_at is not None
    second = client.post(fetch_path)
    assert second.status_code == 200
    assert second.mimetype == "application/json"
    assert second.get_json() == {"error-code": "1", "error-text":
                                 "The authorization token has already been returned."}
    assert session_row(db, au.session_id).client_key == key  # unchanged


def test_an_unknown_token_is_error_code_2(client, uploaded):
    response = client.post("/cmi5/fetch/made-up-token")
    assert response.status_code == 200
    assert response.get_json()["error-code"] == "2"


def test_get_is_not_allowed(launched_au, client):
    au = launched_au(0, fetch=False)
    assert client.get(urlsplit(au.params["fetch"]).path).status_code == 405
    assert "auth-token" in au.fetch()  # the GET did not use it up


def test_the_fetch_url_of_an_abandoned_session_is_error_code_1(launched_au):
    first = launched_au(0, fetch=False)
    launched_au(0)  # abandons the first
    body = first.fetch()
    assert body["error-code"] == "1"
    assert "ended" in body["error-text"]


def test_the_token_works_for_its_learner_and_registration_only(launched_au, enrolment):
    au = launched_au(0)
    assert basic_key_of(au.auth)
    au.run("initialized")
    stranger = {"objectType": "Agent",
                "account": {"homePage": "http://pathway.test", "name": "someone-else"}}
    other_actor = au.send(au.statement("completed", {"completion": True, "duration": "PT1M"},
                                       actor=stranger))
    assert other_actor.status_code == 403
    assert "actor" in other_actor.get_data(as_text=True)
    other_registration = au.send(au.statement(
        "completed", {"completion": True, "duration": "PT1M"},
        registration=str(uuid.uuid4())))
    assert other_registration.status_code == 403
    assert "registration" in other_registration.get_data(as_text=True)


def test_statements_sent_with_the_token_follow_the_session(launched_au, db):
    au = launched_au(0)
    au.run("initialized", ("completed", {"completion": True, "duration": "PT3M"}),
           ("terminated", {"duration": "PT4M30S"}))
    row = session_row(db, au.session_id)
    assert row.initialized_at is not None and row.completed_at is not None
    assert row.terminated_at is not None and row.last_statement_at is not None
    assert row.seconds == 270.0
    assert row.passed_at is None and row.failed_at is None
    assert au.launch_data["contextTemplate"]["extensions"][SESSION_ID] == au.session_id
