"""Helpers of the browser tests: a real `lms serve` on the test database, and Debian's
Chromium driven by Playwright (never a downloaded browser)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, health, stop_process

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def sync_playwright():
    """Playwright's sync API, or a skip saying what is missing (a failure instead when
    PATHWAY_BROWSER_TESTS=required, as `.ci/run` sets after installing both)."""
    missing = None
    if not Path(CHROMIUM).is_file():
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright as found
        except ImportError:
            missing = "Playwright for Python is not installed (pip install -e '.[test]')"
    if missing and os.environ.get("PATHWAY_BROWSER_TESTS") == "required":
        pytest.fail(f"browser tests required, but {missing}")
    if missing:
        pytest.skip(missing)
    return found


@contextmanager
def served(app, database_url, log_path: Path):
    """`lms serve` (no scheduler) on a free port of the loopback, with BASE_URL its own
    address so launch endpoints are on the same origin as the pages; yields that address."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_PATH=app.instance_path, LMS_DATABASE_URL=database_url,
               LMS_BASE_URL=base, LMS_PASSWORD_HASH_PROFILE="cheapest")
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "lms", "serve", "--port", str(port), "--workers", "2",
             "--no-scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while health(base) is None:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("lms serve did not start:\n" + log_path.read_text())
                time.sleep(0.2)
            yield base
        finally:
            stop_process(server)


def sign_in(page, base: str, email: str, password: str) -> None:
    """Sign in through the login page, as a person does."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def start_activity(page, base: str, enrolment_id: int, slug: str) -> str:
    """Press a "Start" button for the activity (a form POST with the page's CSRF token, as
    the unit pages send it) and wait for the player; returns the player's address."""
    page.goto(f"{base}/account")
    page.evaluate("""([action]) => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = action;
        const token = document.querySelector("input[name=csrf_token]").cloneNode();
        form.appendChild(token);
        document.body.appendChild(form);
        form.submit();
    }""", [f"/learn/{enrolment_id}/{slug}/launch"])
    page.wait_for_url("**/player?**")
    return page.url


def wait_until_sent(page, seconds=20) -> None:
    """Wait until the player's tracker has nothing left to send."""
    page.wait_for_function(
        "() => { const t = window.PathwayTracking && window.PathwayTracking.current;"
        " return t && !t.sending && t.queue.length === 0 && !t.problem; }",
        timeout=seconds * 1000)


def activity_progress(page, base: str, enrolment_id: int, slug: str) -> dict:
    """The activity's entry in the learner's progress (the API, with the page's session)."""
    response = page.request.get(f"{base}/api/v1/enrolments/{enrolment_id}/progress")
    assert response.ok, response.text()
    for unit in response.json()["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == slug:
                return activity
    raise AssertionError(slug)
