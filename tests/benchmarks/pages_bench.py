"""Benchmark of the pages' server time (run by hand; never part of the test suite).

    python tests/benchmarks/pages_bench.py --instance /tmp/pages-bench \
        [--learners 200] [--database-url postgresql://...]

1. The demo installation (`lms demo`): every page of every demo role, 20 times each, signed
   in through the login form: median and 95th percentile (bar: 200 ms).
2. The demo tutor then gets LEARNERS more learners, each with some recorded learning: the
   tutor's pages again (bar: 500 ms).

Times are measured in-process around Flask's test client (server time, no network).
"""

import argparse
import os
import re
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

LEARNER = "aisha.khan@riverside-care.example"
TUTOR = "tutor@pathway.example"
ADMIN = "admin@pathway.example"
MANAGER = "manager@riverside-care.example"
VERIFIER = "verifier@pathway.example"


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _signed_in(app, email):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": "pathway-demo"})
    assert response.status_code == 302, response.status_code
    return client


def _measure(client, paths, runs):
    rows = []
    for path in paths:
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        rows.append((path, statistics.median(seconds), _p95(seconds)))
    return rows


def _print(title, rows, bar):
    print(f"\n{title}")
    for path, median, p95 in rows:
        flag = "" if p95 * 1000 <= bar else f"  (over {bar} ms)"
        print(f"  {path:55} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms{flag}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    os.makedirs(options.instance, exist_ok=True)
    os.environ["LMS_INSTANCE_PATH"] = options.instance

    from lms import create_app
    from lms.cli import initialise

    config = {"PASSWORD_HASH_PROFILE": "cheapest"}
    if options.database_url:
        config["DATABASE_URL"] = options.database_url
    app = create_app(config)
    with app.app_context():
        initialise(demo=True)
        from lms.enrolment.models import Enrolment
        from lms.extensions import db
        from lms.people.operations import user_by_email

        aisha = user_by_email(LEARNER)
        enrolment = db.session.execute(db.select(Enrolment).filter_by(
            learner_id=aisha.id)).scalars().first()
        enrolment_id = enrolment.id
        aisha_public = aisha.public_id

    pages = {
        LEARNER: ["/", "/learn", f"/learn/{enrolment_id}/units/1", f"/learn/{enrolment_id}/units/2",
                  "/tutorials", "/messages", "/account",
                  f"/learn/{enrolment_id}/assessments/u1-assessment-case-study-reducing-restrictions"],
        TUTOR: ["/learners", f"/learners/{enrolment_id}", "/tutor/week", "/tutor/availability",
                "/assess", "/messages"],
        VERIFIER: ["/verify"],
        MANAGER: ["/organisation"],
        ADMIN: ["/admin", "/admin/catalogue", "/admin/users", f"/admin/users/{aisha_public}",
                "/admin/intakes", "/admin/lrs-clients"],
    }
    for who, paths in pages.items():
        client = _signed_in(app, who)
        paths = [p for p in paths if client.get(p).status_code == 200]
        _print(f"demo data, {who}", _measure(client, paths, options.runs), 200)

    with app.app_context():
        _add_learners(app, options.learners)
    client = _signed_in(app, TUTOR)
    _print(f"the demo tutor with {options.learners} more learners",
           _measure(client, ["/learners", "/learners?at_risk=yes&sort=hours", "/tutor/week",
                             "/assess", f"/learners/{enrolment_id}"], options.runs), 500)


def _add_learners(app, count):
    """`count` learners of the demo tutor on the current intake, each with a few activities
    finished (real statements through the LRS, so progress is projected as usual)."""
    from lms.catalogue.operations import qualification_by_slug
    from lms.enrolment.models import Enrolment
    from lms.enrolment.operations import enrol
    from lms.extensions import db
    from lms.people.operations import create_user, user_by_email
    from lms.progress.record import finished_statement, record_statements

    tutor = user_by_email(TUTOR)
    intake = db.session.execute(db.select(Enrolment).filter_by(tutor_id=tutor.id)
                                ).scalars().first().intake
    qualification = qualification_by_slug("l5-diploma-reducing-restrictive-practices")
    activities = [a for u in qualification.units for a in u.activities
                  if a.type in ("reading", "film", "interactive")]
    made = []
    for n in range(count):
        learner = create_user(f"bench-{uuid.uuid4().hex[:8]}@pathway.example",
                              f"Bench Learner {n}", ["learner"], password="bench-password")
        made.append(enrol(learner, intake, tutor=tutor))
    db.session.commit()
    now = datetime.now(UTC)
    for index, enrolment in enumerate(made):
        done = activities[: index % 12]
        if done:
            record_statements([finished_statement(enrolment, a, now - timedelta(days=3 * i + 1),
                                                  timedelta(minutes=40))
                               for i, a in enumerate(done)])


if __name__ == "__main__":
    main()
