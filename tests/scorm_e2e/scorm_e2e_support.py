"""Helpers of the SCORM and cmi5 browser tests: the test packages zipped from their folders,
a real `lms serve` for a whole module, plain HTTP to it (package upload, the LRS, the progress
API), the learner's way to an activity, and the stored records read back.

(`tests/browser/browser_support.py` is not importable from this folder, and its server lives
for one test; this one serves a module, on its own instance folder, so that the uploaded
packages stay where the server reads them.)"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from conftest import browser_support, free_port, health, stop_process

HERE = Path(__file__).parent
PACKAGES = HERE / "packages"
CATALOGUE = HERE / "e2e_catalogue.yaml"
CHROMIUM = browser_support().CHROMIUM
CHROMIUM_ARGS = browser_support().CHROMIUM_ARGS

SCORM12 = "e2e-scorm12-noticing-restrictions"
SCORM2004 = "e2e-scorm2004-capable-environments"
CMI5 = "e2e-cmi5-lived-experience"
TITLES = {SCORM12: "SCORM 1.2: Noticing restrictions",
          SCORM2004: "SCORM 2004: Capable environments",
          CMI5: "cmi5: Working alongside people with lived experience"}
PACKAGE_OF = {SCORM12: "scorm12_single", SCORM2004: "scorm2004_two_scos",
              CMI5: "cmi5_two_aus"}
ADL = "http://adlnet.gov/expapi/verbs/"


def package_zip(name: str) -> bytes:
    """The test package `name` (a folder of `packages/`) zipped as a tool exports it: every
    file at its relative path, the manifest at the root."""
    folder = PACKAGES / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def sync_playwright():
    """Playwright's sync API, or a skip (a failure with PATHWAY_BROWSER_TESTS=required)."""
    return browser_support().sync_playwright()


@contextmanager
def serving(instance_path: Path, database_url: str, log_path: Path):
    """`lms serve` (two workers, no scheduler) on a free loopback port with its own instance
    folder; BASE_URL is its own address, so launch URLs are on the pages' origin. Yields it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_PATH=str(instance_path), LMS_DATABASE_URL=database_url,
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


# -- plain HTTP to the server -------------------------------------------------------------

class Answer:
    """An HTTP answer: `status`, `headers`, `body` (bytes) and `json()`."""

    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:500]!r}>"


def http(method: str, url: str, headers: dict | None = None, body: bytes | None = None) \
        -> Answer:
    """One request; any status comes back as an Answer (no exception for 4xx/5xx)."""
    request = urllib.request.Request(url, data=body, method=method,  # noqa: S310
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def upload_package(base: str, slug: str, headers: dict, name: str | None = None) -> dict:
    """PUT the activity's test package through the API, as an administrator does; returns
    the package's JSON (201 expected)."""
    boundary = uuid.uuid4().hex
    data = package_zip(name or PACKAGE_OF[slug])
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name or PACKAGE_OF[slug]}.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    answer = http("PUT", f"{base}/api/v1/activities/{slug}/package",
                  {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}, body)
    assert answer.status == 201, answer
    return answer.json()


def statements(base: str, lrs_headers: dict, **filters) -> list[dict]:
    """Every statement the LRS holds that matches `filters` (xAPI query parameters), oldest
    first, all pages read."""
    query = {"ascending": "true", "limit": "100", **filters}
    url = f"{base}/xapi/statements?{urlencode(query)}"
    found = []
    while url:
        answer = http("GET", url, lrs_headers)
        assert answer.status == 200, answer
        page = answer.json()
        found.extend(page["statements"])
        more = page.get("more")
        url = base + more if more else None
    return found


def verbs(found: list[dict]) -> list[str]:
    """The last part of each statement's verb id, in order."""
    return [s["verb"]["id"].rstrip("/").rsplit("/", 1)[1] for s in found]


def progress_entry(base: str, enrolment_id: int, slug: str, headers: dict) -> dict:
    """The activity's entry in the enrolment's progress, from the API."""
    answer = http("GET", f"{base}/api/v1/enrolments/{enrolment_id}/progress", headers)
    assert answer.status == 200, answer
    for unit in answer.json()["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == slug:
                return activity
    raise AssertionError(f"{slug} is not in the progress of enrolment {enrolment_id}")


def eventually(check, seconds: float = 15, every: float = 0.2):
    """Call `check()` until it returns something true (then return that) or `seconds` pass
    (then call it once more and let its assertion, or its falsy result, fail the test).
    Used where the browser sends on its own time: a beacon on page exit, say."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
        except AssertionError:
            found = None
        if found:
            return found
        time.sleep(every)
    found = check()
    assert found, f"{getattr(check, '__name__', 'check')} never held"
    return found


# -- the learner's way in ---------------------------------------------------------------

def named(*words: str) -> re.Pattern:
    """A button's accessible name that begins with `words` (Chromium reads the visually
    hidden part of "Start<span>: Title</span>" as a block of its own: "Start : Title")."""
    return re.compile("^" + r"\s*".join(re.escape(w) for w in words))


def open_from_unit_page(page, base: str, enrolment_id: int, slug: str) -> None:
    """Go to unit 1's page and press the activity's button (Start, Continue or Open again),
    as the learner does, then wait for the player page."""
    page.goto(f"{base}/learn/{enrolment_id}/units/1")
    page.get_by_role("button", name=re.compile(
        r"^(Start|Continue|Open again)\s*:\s*" + re.escape(TITLES[slug]))).click()
    page.wait_for_url(re.compile(r"/player(\?|$)"))


# -- stored records, read as the server committed them ----------------------------------------

def scorm_attempts(db, enrolment_id: int, slug: str):
    """The enrolment's SCORM attempts at the activity, by SCO then number (fresh from the
    database: the test's session ends its transaction first)."""
    from activities.scorm.models import ScormAttempt
    from lms.catalogue.models import Activity

    db.session.rollback()
    return db.session.execute(
        db.select(ScormAttempt).join(Activity, ScormAttempt.activity_id == Activity.id)
        .where(ScormAttempt.enrolment_id == enrolment_id, Activity.slug == slug)
        .order_by(ScormAttempt.sco_identifier, ScormAttempt.number)).scalars().all()


def cmi5_sessions(db, enrolment_id: int):
    """The enrolment's cmi5 sessions, oldest first (fresh from the database)."""
    from activities.cmi5.models import Cmi5Session

    db.session.rollback()
    return db.session.execute(
        db.select(Cmi5Session).where(Cmi5Session.enrolment_id == enrolment_id)
        .order_by(Cmi5Session.id)).scalars().all()


def cmi5_satisfied(db, registration: str) -> dict[str, str]:
    """{object IRI: kind} of what has been satisfied under the registration."""
    from activities.cmi5.models import Cmi5Satisfied

    db.session.rollback()
    rows = db.session.execute(
        db.select(Cmi5Satisfied).where(Cmi5Satisfied.registration == registration)).scalars()
    return {row.object_iri: row.kind for row in rows}
