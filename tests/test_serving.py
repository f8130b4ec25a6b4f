"""`/healthz`, the single scheduler process and `lms serve`, run as real processes."""

import os
import subprocess
import sys
import time
import urllib.request
from json import loads

import pytest
from conftest import free_port, stop_process

pytestmark = pytest.mark.slow


def _env(app, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_PATH=app.instance_path, LMS_DATABASE_URL=database_url,
               LMS_SCHEDULER_HEARTBEAT_SECONDS="1", LMS_PASSWORD_HASH_PROFILE="cheapest")
    return env


def _wait_for(predicate, seconds=40, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _scheduler_state(client):
    return client.get("/healthz").json["scheduler"]["state"]




def test_healthz_without_a_scheduler(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["ok"] is True
    assert response.json["scheduler"]["state"] == "never started"
    assert response.json["status"] == "degraded"


def test_one_scheduler_runs_beats_and_stops_cleanly(app, client, database_url, db, tmp_path):
    env = _env(app, database_url)
    command = [sys.executable, "-m", "lms", "scheduler"]
    log = open(tmp_path / "scheduler.log", "w")  # noqa: SIM115
    first = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: _scheduler_state(client) == "running", what="a heartbeat")
        beat = client.get("/healthz").json
        assert beat["status"] == "ok"
        assert beat["scheduler"]["pid"] == first.pid

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "another scheduler" in second.stderr

        from sqlalchemy import text

        jobs = db.session.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
        assert "heartbeat" in jobs
        db.session.rollback()
    finally:
        status = stop_process(first)
        log.close()
    assert status == 0, (tmp_path / "scheduler.log").read_text()
    assert _scheduler_state(client) == "stopped"




def _get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return loads(response.read())
    except OSError:
        return None


def test_lms_serve_runs_web_and_scheduler_and_stops_both(app, database_url, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "lms", "serve", "--port", str(port), "--workers", "1"],
        env=_env(app, database_url), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        health = _wait_for(
            lambda: (h := _get_json(f"{base}/healthz")) and h["scheduler"]["state"] == "running"
            and h, seconds=60, what="the served /healthz with a running scheduler")
        assert health["database"]["ok"] is True
        [diploma] = _get_json(f"{base}/api/v1/qualifications")["items"]
        assert (diploma["credits"], diploma["hours"], diploma["unit_count"]) == (36, 360, 5)
    finally:
        status = stop_process(server)
        log.close()
    assert status == 0, (tmp_path / "serve.log").read_text()
    assert _get_json(f"{base}/healthz") is None  # nothing is left listening
