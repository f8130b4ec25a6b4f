"""Launch credentials (one LRS client per launch) do not pile up: the scheduler's daily job
deletes those that expired more than a week ago, and keeps every other client."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.scheduler import jobs
from lms.scheduler.runner import build_scheduler
from xapi.auth import create_client, create_launch_credentials, revoke_client
from xapi.models import clients
from xapi.service import purge_expired_launch_credentials

ACTOR = {"objectType": "Agent", "account": {"homePage": "http://pathway.test", "name": "p1"}}
DAY = 24 * 60  # minutes


@pytest.fixture
def made(app):
    """Clients of every kind, by what each is: {description: key}."""
    base = app.config["BASE_URL"]

    def launch(minutes):
        return create_launch_credentials(connection, ACTOR, str(uuid.uuid4()), base,
                                         minutes)[0]

    with app.extensions["xapi"].engine.begin() as connection:
        keys = {
            "launch expired 8 days ago": launch(-8 * DAY),
            "launch expired 30 days ago, revoked": launch(-30 * DAY),
            "launch expired 6 days ago": launch(-6 * DAY),
            "launch expired a minute ago": launch(-1),
            "launch still valid": launch(240),
            "client expired 30 days ago": create_client(
                connection, "Course player", ["all"], base, lifetime=timedelta(days=-30))[0],
            "client named like a launch, expired": create_client(
                connection, "launch party", ["all"], base, lifetime=timedelta(days=-30))[0],
            "client without expiry": create_client(connection, "Reporting", ["all/read"],
                                                   base)[0],
        }
        revoke_client(connection, keys["launch expired 30 days ago, revoked"])
    return keys


def remaining(app) -> set[str]:
    with app.extensions["xapi"].engine.connect() as connection:
        return set(connection.execute(select(clients.c.key)).scalars())


PURGED = {"launch expired 8 days ago", "launch expired 30 days ago, revoked"}


def test_purging_deletes_only_launch_credentials_expired_longer_ago(app, made):
    assert purge_expired_launch_credentials(timedelta(days=7)) == len(PURGED)
    assert remaining(app) == {key for what, key in made.items() if what not in PURGED}
    assert purge_expired_launch_credentials(timedelta(days=7)) == 0  # nothing left to do


def test_a_shorter_keeping_time_purges_more_launch_credentials_and_nothing_else(app, made):
    assert purge_expired_launch_credentials(timedelta(0)) == 4
    assert remaining(app) == {made["launch still valid"], made["client expired 30 days ago"],
                              made["client named like a launch, expired"],
                              made["client without expiry"]}


def test_the_administrators_client_list_still_works_after_a_purge(
        app, client, made, make_user, auth):
    purge_expired_launch_credentials(timedelta(days=7))
    response = client.get("/api/v1/lrs/clients", headers=auth(make_user("admin")))
    assert response.status_code == 200
    listed = {entry["key"] for entry in response.json}
    assert listed == {key for what, key in made.items() if what not in PURGED}


def test_the_scheduler_purges_daily_with_its_job(app, made, monkeypatch):
    scheduler = build_scheduler(app)
    job = scheduler.get_job("launch-credentials-purge")
    assert job is not None
    assert job.func_ref == "lms.scheduler.jobs:purge_launch_credentials"
    assert {field.name: str(field) for field in job.trigger.fields
            if field.name in ("day", "hour", "minute")} == {"day": "*", "hour": "3",
                                                            "minute": "40"}
    monkeypatch.setattr(jobs, "_app", app)  # as `lms scheduler` binds it
    assert jobs.purge_launch_credentials() == len(PURGED)
    assert made["launch expired 8 days ago"] not in remaining(app)
