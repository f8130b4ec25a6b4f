"""Benchmark of progress (run by hand; never part of the test suite).

    python tests/benchmarks/progress_bench.py --instance /tmp/progress-bench \
        [--learners 1000] [--statements 1000000] [--database-url postgresql://...]

Builds an instance with the default Diploma, one tutor and LEARNERS enrolled learners, stores
STATEMENTS statements about their learning through the LRS's service layer (as `lms xapi
import` does: each batch also updates progress incrementally), then measures:

- a learner's progress page data (`GET /api/v1/enrolments/<id>/progress`), 200 learners;
- the tutor's summary of all learners (`GET /api/v1/progress`), 10 times;
- `lms progress rebuild` (the rebuild function), once.

Times are server times measured in-process with Flask's test client (no network).
"""

import argparse
import os
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

ADL = "http://adlnet.gov/expapi/verbs/"


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _statements_for(base, learner_id, registration, activities, budget, rng, start):
    """About `budget` statements of one learner working through the course in order."""
    actor = {"objectType": "Agent", "account": {"homePage": base, "name": learner_id}}
    reached = rng.randint(0, len(activities))
    when = start
    out = []

    def add(verb, iri, seconds=None, success=None):
        nonlocal when
        when += timedelta(minutes=rng.randint(5, 600))
        body = {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": ADL + verb},
                "object": {"objectType": "Activity", "id": iri},
                "context": {"registration": registration},
                "timestamp": min(when, datetime.now(UTC)).isoformat()}
        result = {}
        if seconds:
            result["duration"] = f"PT{seconds}S"
        if success is not None:
            result["success"] = success
        if result:
            body["result"] = result
        out.append(body)

    for index, (iri, kind, learning) in enumerate(activities):
        if len(out) >= budget:
            break
        add("launched", iri)
        add("initialized", iri)
        if index >= reached:
            continue
        if kind == "assessment":
            add("passed", iri, success=True)
        else:
            add("attended" if learning == "guided" else "completed", iri,
                seconds=rng.randint(600, 7200))
        add("terminated", iri)
    while len(out) < budget and activities:
        iri, _, _ = rng.choice(activities)
        add("progressed", iri, seconds=rng.randint(30, 900))
    return out[:budget]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--skip-load", action="store_true",
                        help="Measure an instance loaded by an earlier run.")
    args = parser.parse_args()
    os.environ["LMS_INSTANCE_PATH"] = args.instance
    if args.database_url:
        os.environ["LMS_DATABASE_URL"] = args.database_url

    from lms import create_app

    app = create_app()
    with app.app_context():
        if not args.skip_load:
            _load(app, args)
        _measure(app)


def _load(app, args):
    from lms.catalogue import DEFAULT_CATALOGUE
    from lms.catalogue.iris import activity_iri
    from lms.catalogue.operations import load_file, qualification_by_slug
    from lms.cli import upgrade_schema
    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol
    from lms.extensions import db
    from lms.people.operations import create_user
    from xapi.service import import_authority, record

    upgrade_schema()
    report = load_file(DEFAULT_CATALOGUE)
    qualification = qualification_by_slug(report.qualification)
    tutor = create_user("bench-tutor@pathway.example", "Bench Tutor", ["tutor"])
    start = date.today() - timedelta(days=200)
    intake = Intake(qualification=qualification, name="Bench intake", start_date=start)
    db.session.add(intake)
    enrolments = []
    for number in range(args.learners):
        learner = create_user(f"bench{number}@pathway.example", f"Learner {number:04d}",
                              ["learner"])
        enrolments.append(enrol(learner, intake, tutor=tutor))
    db.session.commit()
    activities = [(activity_iri(a), a.type, a.learning)
                  for unit in qualification.units for a in unit.activities]
    base = app.config["BASE_URL"]
    rng = random.Random(8)
    per_learner = args.statements // args.learners
    begin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    started, total = time.monotonic(), 0
    for enrolment in enrolments:
        batch = _statements_for(base, enrolment.learner.public_id, enrolment.registration,
                                activities, per_learner, rng, begin)
        for offset in range(0, len(batch), 1000):
            record(batch[offset:offset + 1000], import_authority(), authority_key="import")
        total += len(batch)
    seconds = time.monotonic() - started
    print(f"stored {total} statements for {args.learners} learners with incremental progress "
          f"in {seconds:.0f} s ({total / seconds:.0f} statements/s)")


def _measure(app):
    from lms.enrolment.models import Enrolment
    from lms.extensions import db
    from lms.people.operations import create_token, user_by_email
    from lms.progress.projection import rebuild

    tutor = user_by_email("bench-tutor@pathway.example")
    _, secret = create_token(tutor, "bench")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    ids = db.session.execute(db.select(Enrolment.id)).scalars().all()
    client = app.test_client()
    sample = random.Random(1).sample(ids, min(200, len(ids)))
    client.get(f"/api/v1/enrolments/{sample[0]}/progress", headers=headers)  # warm up
    page = []
    for enrolment_id in sample:
        began = time.perf_counter()
        response = client.get(f"/api/v1/enrolments/{enrolment_id}/progress", headers=headers)
        page.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.json
    print(f"progress page data, {len(page)} learners: median {statistics.median(page):.1f} ms, "
          f"p95 {_percentile(page, 0.95):.1f} ms, max {max(page):.1f} ms")
    summary = []
    for _ in range(10):
        began = time.perf_counter()
        response = client.get("/api/v1/progress", headers=headers)
        summary.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    print(f"summary of {response.json['count']} learners ({response.json['at_risk']} at risk): "
          f"median {statistics.median(summary):.0f} ms, max {max(summary):.0f} ms")
    began = time.perf_counter()
    counts = rebuild()
    print(f"rebuild: {counts['statements']} statements, {counts['events']} events, "
          f"{counts['activities']} activity records in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
