"""Benchmark of SCORM and cmi5 content (run by hand; never part of the test suite).

    python tests/benchmarks/content_bench.py --instance /tmp/content-bench \
        [--commits 120] [--large-commits 20] [--threads 4] [--renders 50] [--imports 5] \
        [--cmi5-sessions 50] [--database-url postgresql://...]

Builds an instance with the default Diploma plus the SCORM runtime tests' and the cmi5 core
tests' qualifications (tests/scorm_runtime, tests/cmi5_core), learners signed in through the
login form, then measures (server time, in-process, Flask's test client, medians and 95th
percentiles):

1. SCORM runtime commits (`POST /scorm/attempts/<id>/commit`) to the first SCO of the 2-SCO
   SCORM 2004 test package, each in the session the player page opened:
   - typical: cmi.location, 4 KB of cmi.suspend_data, cmi.session_time and 5 interactions
     (id, type, learner_response, result); the responses change on every commit, so each
     commit also records 5 `responded` statements;
   - large: 500 interactions x 3 values (id, type, learner_response), all answered anew
     (500 `responded` statements);
   from one thread (one learner), then from THREADS threads at once (one learner each;
   commits/s is the requests over the wall time). The threads share one interpreter (and
   its GIL), so this shows the commits' locking, not a multi-process server's throughput.
2. The player page of that package (`GET /learn/<enrolment>/<slug>/player`), which opens or
   continues the learner's attempt on every render.
3. Manifest import (`lms.content.operations.import_package` and its commit): a SCORM 2004
   package of 200 SCOs in 10 chapters (a file each), and a cmi5 course structure of 1,000 AUs
   in 10 blocks (cmi5.xml alone, absolute AU URLs), IMPORTS times each.
4. cmi5: CMI5_SESSIONS AU sessions (10 AUs, moveOn Completed, several learners): the launch
   through the API, then the AU's initialized, completed and terminated statements, each
   POSTed alone to /xapi/statements with the fetched token (the cmi5 rules are enforced on
   them), per request.

With --database-url (a PostgreSQL server's database, e.g. postgresql://postgres@127.0.0.1:5432/
test), the benchmark makes a database of its own beside the one named and drops it at the end.
"""

import argparse
import io
import os
import statistics
import sys
import threading
import time
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "scorm_runtime"), str(TESTS / "cmi5_core")]

PASSWORD = "correct horse battery"  # the tests' password, which their `sign_in` sends
SCORM_SLUG = "rt-scorm2004-two"        # the 2-SCO SCORM 2004 test package
SCORM_IMPORT_SLUG = "rt-scorm2004-plain"
CMI5_SLUG = "cmi5-core-lived-experience"
CMI5_IMPORT_SLUG = "cmi5-core-second-course"
CMI5_AUS = 10


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


class Table:
    """Rows of figures, printed as one table at the end."""

    def __init__(self):
        self.rows = []

    def section(self, title):
        self.rows.append(title)

    def times(self, name, seconds, wall=None, unit="ms"):
        """A row of latencies (seconds); `wall` (seconds) adds requests per second."""
        shown = (lambda v: f"{v * 1000:7.1f} ms") if unit == "ms" else (lambda v: f"{v:7.3f} s ")
        rate = f"{len(seconds) / wall:8.1f}" if wall else ""
        self.rows.append(f"  {name:56} {len(seconds):5d} {shown(statistics.median(seconds))} "
                         f"{shown(_p95(seconds))} {shown(max(seconds))} {rate}")
        print(f"  done: {name}", file=sys.stderr, flush=True)

    def print(self, heading):
        print(f"\n{heading}")
        print(f"  {'':56} {'runs':>5} {'median':>10} {'p95':>10} {'max':>10} {'per s':>8}")
        for row in self.rows:
            print(row)


# -- content built for the benchmark ----------------------------------------------------------

def scorm_200_zip() -> bytes:
    """A SCORM 2004 4th edition package: 10 chapters of 20 SCOs, one HTML file each."""
    chapters, resources = [], []
    for c in range(10):
        items = []
        for s in range(20):
            n = c * 20 + s
            items.append(f'<item identifier="item_{n}" identifierref="res_{n}">'
                         f"<title>Lesson {n + 1}</title></item>")
            resources.append(f'<resource identifier="res_{n}" type="webcontent" '
                             f'adlcp:scormType="sco" href="sco{n}/index.html">'
                             f'<file href="sco{n}/index.html"/></resource>')
        chapters.append(f'<item identifier="chapter_{c}"><title>Chapter {c + 1}</title>'
                        f'{"".join(items)}</item>')
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="org.pathway.bench.two-hundred" version="1"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Two hundred lessons</title>{"".join(chapters)}
    </organization>
  </organizations>
  <resources>{"".join(resources)}</resources>
</manifest>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for n in range(200):
            archive.writestr(f"sco{n}/index.html",
                             f"<!doctype html><title>Lesson {n + 1}</title><p>Lesson.</p>")
    return buffer.getvalue()


def cmi5_course(course_id: str, aus: int, per_block: int) -> bytes:
    """A cmi5.xml of `aus` AUs (moveOn Completed, absolute URLs) in blocks of `per_block`."""
    from cmi5_core_support import au, block, course_xml

    blocks = []
    for b in range(0, aus, per_block):
        members = [au(f"{course_id}/aus/{n}", f"https://au.example.org/bench/au-{n}/index.html",
                      f"AU {n + 1}", moveOn="Completed")
                   for n in range(b, min(aus, b + per_block))]
        blocks.append(block(f"{course_id}/blocks/{b // per_block}", *members,
                            title=f"Block {b // per_block + 1}"))
    return course_xml(*blocks, course_id=course_id, title="Benchmark course").encode()


def typical_values(n: int) -> list:
    """A typical SCORM 2004 commit, the `n`th of its session."""
    filler = f"bench-state-{n:06d}|"
    values = [("cmi.location", f"page-{n % 40}"),
              ("cmi.suspend_data", (filler * (4096 // len(filler) + 1))[:4096]),
              ("cmi.session_time", f"PT{n + 1}M")]
    for i in range(5):
        values += [(f"cmi.interactions.{i}.id", f"question-{i}"),
                   (f"cmi.interactions.{i}.type", "choice"),
                   (f"cmi.interactions.{i}.learner_response", f"choice-{(n + i) % 4}"),
                   (f"cmi.interactions.{i}.result", "correct" if (n + i) % 4 else "incorrect")]
    return values


def large_values(n: int) -> list:
    """500 interactions x 3 values, every response new for the `n`th commit."""
    values = []
    for i in range(500):
        values += [(f"cmi.interactions.{i}.id", f"item-{i}"),
                   (f"cmi.interactions.{i}.type", "fill-in"),
                   (f"cmi.interactions.{i}.learner_response", f"answer {n} to {i}")]
    return values


# -- the instance -----------------------------------------------------------------------------

@contextmanager
def own_database(url):
    """None (SQLite in the instance) or a new PostgreSQL database beside `url`, dropped at
    the end."""
    if not url:
        yield None
        return
    from sqlalchemy import create_engine, make_url, text

    from lms.database import database_uri

    sa_url = make_url(database_uri(url, "/nonexistent"))
    name = f"{sa_url.database}_content_bench_{os.getpid()}"
    admin = create_engine(sa_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def setup(app, options):
    """Schema, catalogues, packages, learners and their enrolments; returns what the
    measurements need (plain values: ids, emails, API headers)."""
    from cmi5_core_support import CATALOGUE as CMI5_CATALOGUE
    from scorm_runtime_support import CATALOGUE as SCORM_CATALOGUE
    from scorm_runtime_support import package_zip

    from lms.catalogue.models import Activity
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.cli import initialise
    from lms.content.operations import commit_import, import_package
    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol
    from lms.extensions import db
    from lms.people.operations import create_token, create_user

    initialise()
    intakes = {}
    for path in (SCORM_CATALOGUE, CMI5_CATALOGUE):
        report = load_file(path)
        db.session.commit()
        intake = Intake(qualification=qualification_by_slug(report.qualification),
                        name="Bench intake", start_date=date.today() - timedelta(days=7))
        db.session.add(intake)
        intakes[path] = intake
    db.session.commit()

    def activity(slug):
        return db.session.execute(db.select(Activity).filter_by(slug=slug)).scalar_one()

    admin = create_user(f"bench-admin-{uuid.uuid4().hex[:8]}@pathway.example", "Bench Admin",
                        ["admin"], password=PASSWORD)
    commit_import(import_package(activity(SCORM_SLUG), io.BytesIO(package_zip(SCORM_SLUG)),
                                 admin))
    course_id = f"http://example.org/cmi5/bench-{uuid.uuid4().hex[:8]}"
    commit_import(import_package(activity(CMI5_SLUG),
                                 io.BytesIO(cmi5_course(course_id, CMI5_AUS, CMI5_AUS)), admin))
    tutor = create_user(f"bench-tutor-{uuid.uuid4().hex[:8]}@pathway.example", "Bench Tutor",
                        ["tutor"], password=PASSWORD)

    def learners(count, intake, what):
        made = []
        for n in range(count):
            learner = create_user(f"bench-{what}-{uuid.uuid4().hex[:8]}@pathway.example",
                                  f"{what.title()} Learner {n}", ["learner"], password=PASSWORD)
            enrolment = enrol(learner, intake, tutor=tutor)
            enrolment.status = "active"
            made.append((learner, enrolment))
        db.session.commit()
        return made

    scorm = learners(options.threads + 1, intakes[SCORM_CATALOGUE], "scorm")
    cmi5 = learners(-(-options.cmi5_sessions // CMI5_AUS), intakes[CMI5_CATALOGUE], "cmi5")
    cmi5_headers = []
    for learner, enrolment in cmi5:
        _, secret = create_token(learner, "bench")
        cmi5_headers.append((enrolment.id, {"Authorization": f"Bearer {secret}"}))
    db.session.commit()
    return {"scorm": [(learner.email, enrolment.id) for learner, enrolment in scorm],
            "cmi5": cmi5_headers}


def signed_in(app, email):
    """A test client signed in through the login form."""
    from scorm_runtime_support import sign_in

    client = app.test_client()
    sign_in(client, email)
    return client


# -- the measurements -------------------------------------------------------------------------

def open_session(app, email, enrolment_id):
    """A signed-in client's runtime `Session` on the player page's SCO, initialised."""
    from scorm_runtime_support import Session, runtime_config

    client = signed_in(app, email)
    page = client.get(f"/learn/{enrolment_id}/{SCORM_SLUG}/player")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    config = runtime_config(page.get_data(as_text=True))
    assert config is not None, "no runtime configuration on the player page"
    session = Session(client, config)
    session.ok("initialize")
    return session


def timed_commit(session, values):
    started = time.perf_counter()
    session.ok("commit", values)
    return time.perf_counter() - started


def commits(table, sessions, make_values, runs, label):
    """`runs` commits from the first session alone, then `runs` commits shared among all
    sessions, one thread each."""
    first = sessions[0]
    started = time.perf_counter()
    seconds = [timed_commit(first, make_values(first.sequence)) for _ in range(runs)]
    table.times(f"{label}, 1 thread", seconds, time.perf_counter() - started)

    latencies, lock = [], threading.Lock()

    def work(index):
        session = sessions[index]
        for _ in range(runs // len(sessions) + (index < runs % len(sessions))):
            elapsed = timed_commit(session, make_values(session.sequence))
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(work, range(len(sessions))))
    table.times(f"{label}, {len(sessions)} threads", latencies,
                time.perf_counter() - started)


def player_renders(table, app, email, enrolment_id, runs):
    client = signed_in(app, email)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(f"/learn/{enrolment_id}/{SCORM_SLUG}/player")
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        assert b"scorm-runtime-config" in response.data
    table.times("player page, 2-SCO SCORM 2004 package", seconds)


def imports(table, app, runs):
    from lms.catalogue.models import Activity
    from lms.content.operations import commit_import, import_package
    from lms.extensions import db

    scorm = scorm_200_zip()
    with app.app_context():
        activity = db.session.execute(db.select(Activity).filter_by(
            slug=SCORM_IMPORT_SLUG)).scalar_one()
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            package = import_package(activity, io.BytesIO(scorm))
            commit_import(package)
            seconds.append(time.perf_counter() - started)
            assert len(package.manifest["activity_ids"]) == 201  # its own IRI, the SCOs
        table.times(f"SCORM 2004, 200 SCOs ({len(scorm) // 1024} KB zip)",
                    seconds, unit="s")
        course_id = f"http://example.org/cmi5/bench-large-{uuid.uuid4().hex[:8]}"
        xml = cmi5_course(course_id, 1000, 100)
        activity = db.session.execute(db.select(Activity).filter_by(
            slug=CMI5_IMPORT_SLUG)).scalar_one()
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            package = import_package(activity, io.BytesIO(xml))
            commit_import(package)
            seconds.append(time.perf_counter() - started)
            assert len(package.manifest["aus"]) == 1000
        table.times(f"cmi5, 1,000 AUs (cmi5.xml alone, {len(xml) // 1024} KB)",
                    seconds, unit="s")


def cmi5_statements(table, app, learners, sessions):
    """`sessions` AU sessions: launch, fetch, then initialized / completed / terminated."""
    from cmi5_core_support import AU, COMPLETED, TERMINATED

    client = app.test_client()
    launches, fetches = [], []
    verbs = {"initialized": [], "completed": [], "terminated": []}
    steps = [("initialized", None), COMPLETED, TERMINATED]
    for n in range(sessions):
        enrolment_id, headers = learners[n // CMI5_AUS]
        started = time.perf_counter()
        response = client.post(f"/api/v1/enrolments/{enrolment_id}/activities/{CMI5_SLUG}/"
                               f"aus/{n % CMI5_AUS}/launch", json={}, headers=headers)
        launches.append(time.perf_counter() - started)
        assert response.status_code == 201, response.get_data(as_text=True)
        unit = AU(client, response.get_json()["url"])
        started = time.perf_counter()
        assert "auth-token" in unit.fetch()
        fetches.append(time.perf_counter() - started)
        unit.read_launch_data()
        for verb, result in steps:
            statement = unit.statement(verb, result)
            started = time.perf_counter()
            response = unit.send(statement)
            verbs[verb].append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_data(as_text=True)
    table.times("AU launch (API)", launches)
    table.times("AU fetch (token)", fetches)
    for verb, seconds in verbs.items():
        table.times(f"statements: {verb}", seconds)
    table.times("statements: all three", [s for v in verbs.values() for s in v])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True)
    parser.add_argument("--commits", type=int, default=120)
    parser.add_argument("--large-commits", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--cmi5-sessions", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    os.makedirs(options.instance, exist_ok=True)
    os.environ["LMS_INSTANCE_PATH"] = options.instance

    from lms import create_app

    with own_database(options.database_url) as url:
        config = {"PASSWORD_HASH_PROFILE": "cheapest"}
        if url:
            config["DATABASE_URL"] = url
        app = create_app(config)
        with app.app_context():
            made = setup(app, options)
        try:
            run(app, options, made)
        finally:
            from lms.extensions import db

            with app.app_context():
                db.engine.dispose()
            app.extensions["xapi"].engine.dispose()


def run(app, options, made):
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    table = Table()
    started = time.perf_counter()
    sessions = [open_session(app, email, enrolment_id)
                for email, enrolment_id in made["scorm"][:options.threads]]
    table.section("SCORM 2004 runtime commits (POST /scorm/attempts/<id>/commit)")
    commits(table, sessions, typical_values, options.commits,
            "typical (location, 4 KB suspend, 5 inter.)")
    commits(table, sessions, large_values, options.large_commits,
            "large (500 interactions x 3 values)")
    table.section("Player page (GET /learn/<enrolment>/<slug>/player)")
    email, enrolment_id = made["scorm"][options.threads]
    player_renders(table, app, email, enrolment_id, options.renders)
    table.section("Manifest import (import_package + commit)")
    imports(table, app, options.imports)
    table.section("cmi5 AU sessions (POST /xapi/statements, one statement each, rules on)")
    cmi5_statements(table, app, made["cmi5"], options.cmi5_sessions)
    table.print(f"Content benchmark, database {backend}, {time.perf_counter() - started:.0f} s "
                "of measurements")


if __name__ == "__main__":
    main()
