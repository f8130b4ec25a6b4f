"""Benchmark of tutorials (run by hand; never part of the test suite).

    python tests/benchmarks/tutorials_bench.py --instance /tmp/tutorials-bench \
        [--learners 200] [--sessions 300] [--threads 4] [--database-url postgresql://...]

Builds an instance with the default Diploma, one tutor with LEARNERS learners, weekday
availability 09:00-17:00 and SESSIONS group sessions over the next year, then measures
(server time, in-process, Flask's test client, medians and 95th percentiles):

- a learner's four weeks of free individual slots (`GET /api/v1/tutors/<id>/slots`);
- a learner's next 90 days of sessions (`GET /api/v1/tutorials/sessions`);
- the tutor's private calendar feed (every session, with who is booked);
- bookings: every learner books a place in one of 20 sessions, from THREADS threads at once
  (all changes to tutorials take one lock, so this is the lock's throughput), then the same
  learners book individual tutorials.
"""

import argparse
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _report(name, seconds):
    print(f"{name}: median {statistics.median(seconds) * 1000:.1f} ms, "
          f"p95 {_p95(seconds) * 1000:.1f} ms ({len(seconds)} runs)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    os.makedirs(options.instance, exist_ok=True)
    os.environ["LMS_INSTANCE_PATH"] = options.instance

    from lms import create_app
    from lms.cli import initialise
    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol
    from lms.extensions import db
    from lms.people.operations import create_token, create_user
    from lms.timeutil import LONDON
    from lms.tutorials import sessions, slots
    from lms.tutorials.operations import take_lock

    config = {"PASSWORD_HASH_PROFILE": "cheapest", "TUTORIAL_INDIVIDUAL_FUTURE_CAP": 100}
    if options.database_url:
        config["DATABASE_URL"] = options.database_url
    app = create_app(config)
    with app.app_context():
        initialise()
        from datetime import time as clock

        from lms.catalogue.models import Activity
        from lms.catalogue.operations import qualification_by_slug

        qualification = qualification_by_slug("l5-diploma-reducing-restrictive-practices")
        today = datetime.now(LONDON).date()
        intake = Intake(qualification=qualification, name="Bench intake",
                        start_date=today - timedelta(days=30))
        db.session.add(intake)
        tutor = create_user("bench-tutor@pathway.example", "Bench Tutor", ["tutor"],
                            password="bench-password")
        learners = []
        for n in range(options.learners):
            learner = create_user(f"bench-learner-{n}@pathway.example", f"Learner {n}",
                                  ["learner"], password="bench-password")
            enrol(learner, intake, tutor=tutor)
            learners.append(learner)
        db.session.commit()
        take_lock()
        slots.set_availability(tutor.id, [{"weekday": d, "starts": clock(9), "ends": clock(17)}
                                          for d in range(5)], 60, 15)
        group = db.session.execute(db.select(Activity).filter_by(
            slug="u1-group-tutorial-restrictions-in-our-services")).scalar_one()
        made = []
        for n in range(options.sessions):
            day = today + timedelta(days=2 + n * 365 // options.sessions)
            start = datetime.combine(day, clock(18, 30), tzinfo=LONDON)
            made += sessions.create_group_sessions(tutor, group, {
                "starts_at": start, "ends_at": start + timedelta(minutes=90), "capacity": 12},
                tutor)
        db.session.commit()
        session_ids = [s.id for s in made[:20]]
        tokens = {}
        for user in [tutor, *learners]:
            _, secret = create_token(user, "bench")
            tokens[user.id] = {"Authorization": f"Bearer {secret}"}
        db.session.commit()
        tutor_public = tutor.public_id
        learner_ids = [u.id for u in learners]

    client = app.test_client()
    first = learner_ids[0]

    def timed(method, path, headers, runs, **kwargs):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            response = getattr(client, method)(path, headers=headers, **kwargs)
            seconds.append(time.perf_counter() - started)
            assert response.status_code < 300, (path, response.status_code, response.data[:300])
        return seconds

    print(f"{options.learners} learners, {options.sessions} group sessions, "
          f"database {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    # Bookings first (they fill the sessions the reads then show).
    latencies, lock = [], threading.Lock()

    def book(index_and_learner):
        index, learner_id = index_and_learner
        local = app.test_client()
        started = time.perf_counter()
        response = local.post(f"/api/v1/tutorials/sessions/{session_ids[index % 20]}/bookings",
                              json={}, headers=tokens[learner_id])
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.get_json()
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(options.threads) as pool:
        list(pool.map(book, enumerate(learner_ids)))
    wall = time.perf_counter() - started
    print(f"group bookings from {options.threads} threads: {len(learner_ids) / wall:.0f} "
          f"bookings/s; latency median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {_p95(latencies) * 1000:.1f} ms")

    _report("free slots, four weeks", timed(
        "get", f"/api/v1/tutors/{tutor_public}/slots", tokens[first], 50))
    _report("a learner's sessions, 90 days", timed(
        "get", "/api/v1/tutorials/sessions", tokens[first], 50))
    _report("the tutor's bookings, first page", timed(
        "get", "/api/v1/tutorials/bookings", tokens[learners_tutor(tokens, learner_ids)], 20))
    feed = client.post("/api/v1/calendar-feed", headers=tokens[learners_tutor(tokens,
                                                                              learner_ids)])
    path = "/" + feed.get_json()["url"].split("/", 3)[3]
    _report(f"the tutor's calendar feed ({options.sessions} sessions)",
            timed("get", path, {}, 10))


def learners_tutor(tokens, learner_ids):
    """The tutor's key in `tokens` (the one that is not a learner's)."""
    return next(key for key in tokens if key not in set(learner_ids))


if __name__ == "__main__":
    main()
