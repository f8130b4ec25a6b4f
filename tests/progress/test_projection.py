"""The progress projection: statements in, activity status, hours, units and credits out;
idempotent, voiding takes back, unknown things leave progress alone, rebuild equals
incremental."""

from datetime import UTC, date, datetime, timedelta

import pytest
from progress_factory import activities, snapshot, statement, store, voiding

from lms.progress.projection import rebuild
from lms.progress.reports import enrolment_progress


@pytest.fixture
def learner_enrolment(make_user, enrol):
    tutor = make_user("tutor")
    return enrol(make_user("learner"), tutor=tutor)


def _activity(report, slug):
    for unit in report["units"]:
        for activity in unit["activities"]:
            if activity["slug"] == slug:
                return activity
    raise AssertionError(slug)


def test_a_completed_activity_credits_its_nominal_hours_and_reports_time_spent(
        catalogue, learner_enrolment):
    interactive = activities(catalogue, "interactive")[0]
    store([statement(learner_enrolment, interactive, "completed", seconds=5400)],
          trusted=False)

    report = enrolment_progress(learner_enrolment)
    entry = _activity(report, interactive.slug)
    assert entry["status"] == "completed"
    assert entry["credited_hours"] == float(interactive.hours) == 3.0
    assert entry["time_spent"] == "PT1H30M"
    assert report["hours"] == {"guided": 0.0, "self_study": 3.0, "total": 3.0, "target": 360.0}
    assert report["credits"]["awarded"] == 0
    assert report["units"][0]["status"] == "in-progress"


def test_time_spent_beyond_nominal_hours_never_credits_more(catalogue, learner_enrolment):
    interactive = activities(catalogue, "interactive")[0]
    store([statement(learner_enrolment, interactive, "progressed", seconds=20000),
           statement(learner_enrolment, interactive, "completed", seconds=20000)],
          trusted=False)
    entry = _activity(enrolment_progress(learner_enrolment), interactive.slug)
    assert entry["credited_hours"] == 3.0
    assert entry["time_spent_seconds"] == 40000


def test_guided_and_self_study_hours_are_kept_apart(catalogue, learner_enrolment):
    webinar = activities(catalogue, "webinar")[0]
    interactive = activities(catalogue, "interactive")[0]
    store([statement(learner_enrolment, webinar, "attended", seconds=7200),
           statement(learner_enrolment, interactive, "completed")])
    hours = enrolment_progress(learner_enrolment)["hours"]
    assert hours["guided"] == float(webinar.hours)
    assert hours["self_study"] == float(interactive.hours)
    assert hours["total"] == float(webinar.hours + interactive.hours)


def test_a_statement_stored_twice_counts_once(catalogue, learner_enrolment, client,
                                              lrs_headers):
    interactive = activities(catalogue, "interactive")[0]
    body = statement(learner_enrolment, interactive, "completed", seconds=60)
    headers = lrs_headers("all")
    for _ in range(2):
        response = client.put(f"/xapi/statements?statementId={body['id']}", json=body,
                              headers=headers)
        assert response.status_code == 204
    entry = _activity(enrolment_progress(learner_enrolment), interactive.slug)
    assert entry["status"] == "completed"
    assert entry["time_spent_seconds"] == 60


def test_voiding_takes_back_the_effect(catalogue, learner_enrolment):
    interactive = activities(catalogue, "interactive")[0]
    [completed] = store([statement(learner_enrolment, interactive, "completed", seconds=60)])
    assert enrolment_progress(learner_enrolment)["hours"]["total"] == 3.0

    store([voiding(completed, learner_enrolment)])

    report = enrolment_progress(learner_enrolment)
    assert report["hours"]["total"] == 0.0
    assert _activity(report, interactive.slug)["status"] == "not-started"
    assert report["units"][0]["status"] == "not-started"


def test_a_statement_voided_before_it_arrives_never_counts(catalogue, learner_enrolment):
    interactive = activities(catalogue, "interactive")[0]
    body = statement(learner_enrolment, interactive, "completed")
    store([voiding(body["id"], learner_enrolment)])
    store([body])
    assert enrolment_progress(learner_enrolment)["hours"]["total"] == 0.0


@pytest.mark.parametrize("change", ["registration", "activity", "actor", "qualification"])
def test_statements_about_unknown_things_are_stored_but_leave_progress_alone(
        catalogue, learner_enrolment, make_user, enrol, change, client, lrs_headers):
    interactive = activities(catalogue, "interactive")[0]
    other = enrol(make_user("learner"))
    kwargs = {
        "registration": {"registration": "0f8e3a52-4b8c-4b6b-9d0c-000000000001"},
        "activity": {"object_id": "http://elsewhere.example/activities/x"},
        "actor": {"actor": {"objectType": "Agent", "account": {
            "homePage": "http://pathway.test", "name": other.learner.public_id}}},
        "qualification": {"object_id": "http://pathway.test/activities/no-such-activity"},
    }[change]
    body = statement(learner_enrolment, interactive, "completed", **kwargs)
    response = client.post("/xapi/statements", json=body, headers=lrs_headers("all"))
    assert response.status_code == 200
    assert enrolment_progress(learner_enrolment)["hours"]["total"] == 0.0
    assert enrolment_progress(other)["hours"]["total"] == 0.0
    assert snapshot()["learning_events"] == []


def _finish_unit(enrolment, qualification, unit=1, assessment=True, when=None):
    """Trusted records of every activity of a unit (assessments passed if `assessment`)."""
    batch = []
    for activity in activities(qualification, unit=unit):
        if activity.type == "assessment":
            if assessment:
                batch.append(statement(enrolment, activity, "passed", success=True, when=when))
        else:
            verb = "attended" if activity.learning == "guided" else "completed"
            batch.append(statement(enrolment, activity, verb, seconds=600, when=when))
    store(batch)


def test_a_unit_is_achieved_and_its_credits_awarded_only_when_its_assessment_is_met(
        catalogue, learner_enrolment):
    _finish_unit(learner_enrolment, catalogue, assessment=False)
    report = enrolment_progress(learner_enrolment)
    unit = report["units"][0]
    assert unit["status"] == "in-progress"
    assert unit["credits_awarded"] == 0 and report["credits"]["awarded"] == 0
    hours_without_assessment = report["hours"]["total"]
    assert 0 < hours_without_assessment < 80

    assessment = activities(catalogue, "assessment")[0]
    store([statement(learner_enrolment, assessment, "failed", success=False)])
    assert enrolment_progress(learner_enrolment)["units"][0]["status"] == "in-progress"

    _finish_unit(learner_enrolment, catalogue)
    report = enrolment_progress(learner_enrolment)
    unit = report["units"][0]
    assert unit["status"] == "achieved"
    assert unit["credits_awarded"] == 8 and report["credits"]["awarded"] == 8
    assert unit["guided_hours"] + unit["self_study_hours"] == 80.0
    assert report["units_achieved"] == 1 and not report["achieved"]


def test_an_assessment_passed_by_browser_content_does_not_count(catalogue,
                                                                 learner_enrolment):
    assessment = activities(catalogue, "assessment")[0]
    store([statement(learner_enrolment, assessment, "passed", success=True)], trusted=False)
    entry = _activity(enrolment_progress(learner_enrolment), assessment.slug)
    assert entry["status"] != "passed" and entry["credited_hours"] == 0


def test_the_diploma_is_achieved_when_all_units_are_achieved_inside_the_window(
        catalogue, learner_enrolment, client, auth):
    inside = datetime.combine(learner_enrolment.window_ends, datetime.min.time(),
                              tzinfo=UTC) - timedelta(days=30)
    for unit in range(1, 6):
        _finish_unit(learner_enrolment, catalogue, unit=unit, when=inside)
    report = enrolment_progress(learner_enrolment)
    assert report["credits"]["awarded"] == 36 and report["hours"]["total"] == 360.0
    assert report["achieved"] is True
    assert report["forecast"]["status"] == "achieved"


def test_units_finished_after_the_window_do_not_achieve_the_diploma_until_extended(
        catalogue, make_user, db, client, auth):
    from lms.enrolment.models import Intake
    from lms.enrolment.operations import enrol

    tutor, learner = make_user("tutor"), make_user("learner")
    intake = Intake(qualification=catalogue, name="2024", start_date=date(2024, 5, 7))
    db.session.add(intake)
    enrolment = enrol(learner, intake, tutor=tutor)
    db.session.commit()
    assert enrolment.window_ends == date(2025, 11, 7)
    late = datetime(2025, 12, 1, 12, tzinfo=UTC)
    for unit in range(1, 6):
        _finish_unit(enrolment, catalogue, unit=unit, when=late)
    assert enrolment_progress(enrolment)["achieved"] is False

    response = client.post(f"/api/v1/enrolments/{enrolment.id}/extensions",
                           json={"window_ends": "2026-01-31", "reason": "Long-term illness"},
                           headers=auth(tutor))
    assert response.status_code == 201, response.json
    db.session.refresh(enrolment)
    assert enrolment_progress(enrolment)["achieved"] is True


def test_rebuild_gives_the_same_projection_as_the_incremental_route(catalogue,
                                                                     learner_enrolment):
    _finish_unit(learner_enrolment, catalogue)
    interactive = activities(catalogue, "interactive", unit=2)[0]
    [first] = store([statement(learner_enrolment, interactive, "completed")], trusted=False)
    store([voiding(first, learner_enrolment)])
    incremental = snapshot()
    assert incremental["learning_events"]

    counts = rebuild()

    assert snapshot() == incremental
    assert counts["events"] == len(incremental["learning_events"])


def test_a_voiding_projected_before_its_target_still_takes_it_back(catalogue,
                                                                    learner_enrolment):
    """Two requests: one stores a statement, the other voids it; their projections may run
    in either order."""
    from lms.progress.projection import apply_statements
    from xapi.signals import statement_stored

    interactive = activities(catalogue, "interactive")[0]
    target = statement(learner_enrolment, interactive, "completed")
    void = voiding(target["id"], learner_enrolment)
    with statement_stored.muted():
        store([target], trusted=False)
        store([void])
    stored_target = dict(target, stored=datetime.now(UTC).isoformat(),
                         authority={"objectType": "Agent", "account": {
                             "homePage": "http://pathway.test", "name": "content-client"}})

    apply_statements([void], [target["id"]])      # the voiding's projection runs first
    apply_statements([stored_target], [])          # then the target's

    assert enrolment_progress(learner_enrolment)["hours"]["total"] == 0.0
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental


def test_browser_content_cannot_backdate_its_learning(catalogue, learner_enrolment):
    interactive = activities(catalogue, "interactive")[0]
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    store([statement(learner_enrolment, interactive, "completed", when=long_ago)],
          trusted=False)
    entry = _activity(enrolment_progress(learner_enrolment), interactive.slug)
    assert entry["completed_at"] > datetime.now(UTC) - timedelta(minutes=5)


def test_a_faulty_plugin_does_not_stop_progress(app, catalogue, learner_enrolment,
                                                monkeypatch, caplog):
    interactive = activities(catalogue, "interactive")[0]
    webinar = activities(catalogue, "webinar")[0]
    broken = app.extensions["lms.activity_types"]["interactive"]
    monkeypatch.setattr(broken, "completion", lambda config, events: 1 / 0)
    store([statement(learner_enrolment, interactive, "completed"),
           statement(learner_enrolment, webinar, "attended")])
    report = enrolment_progress(learner_enrolment)
    assert _activity(report, webinar.slug)["status"] == "completed"
    assert _activity(report, interactive.slug)["status"] == "started"
    assert "could not judge" in caplog.text


def test_a_catalogue_change_recomputes_progress(catalogue, learner_enrolment, runner,
                                                tmp_path, db):
    import yaml

    from lms.catalogue import DEFAULT_CATALOGUE

    interactive = activities(catalogue, "interactive")[0]
    store([statement(learner_enrolment, interactive, "completed")])
    assert enrolment_progress(learner_enrolment)["hours"]["self_study"] == 3.0

    document = yaml.safe_load(DEFAULT_CATALOGUE.read_text())
    for unit in document["qualification"]["units"]:
        for entry in unit["activities"]:
            if entry["slug"] == interactive.slug:
                entry["hours"] = 2.5
                unit["activities"][-1]["hours"] += 0.5  # the unit keeps its total
    changed = tmp_path / "diploma.yaml"
    changed.write_text(yaml.safe_dump(document, sort_keys=False))
    result = runner.invoke(args=["catalogue", "load", str(changed)])
    assert result.exit_code == 0, result.output
    assert "progress: recomputed" in result.output
    db.session.expire_all()
    assert enrolment_progress(learner_enrolment)["hours"]["self_study"] == 2.5


def test_statements_stored_during_a_rebuild_are_projected_by_it(app, catalogue,
                                                                 learner_enrolment,
                                                                 monkeypatch):
    """PostgreSQL: the LRS keeps storing while a rebuild runs; the incremental update stands
    aside and the rebuild takes the new statement (and a voiding) before it commits."""
    from lms.extensions import db
    from lms.progress import projection

    if db.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite a rebuild holds the database's only write lock")
    webinar, interactive, reading = (activities(catalogue, t)[0]
                                     for t in ("webinar", "interactive", "reading"))
    [early] = store([statement(learner_enrolment, reading, "completed")])
    store([statement(learner_enrolment, webinar, "attended")])
    replay = projection.iter_statements

    def replay_while_learning_goes_on(*args, **kwargs):
        for number, item in enumerate(replay(*args, **kwargs)):
            if number == 0:
                assert projection.apply_statements([], []) == 0
                store([statement(learner_enrolment, interactive, "completed"),
                       voiding(early, learner_enrolment)])
            yield item

    monkeypatch.setattr(projection, "iter_statements", replay_while_learning_goes_on)
    counts = rebuild()

    report = enrolment_progress(learner_enrolment)
    assert _activity(report, interactive.slug)["status"] == "completed"
    assert _activity(report, webinar.slug)["status"] == "completed"
    assert _activity(report, reading.slug)["status"] == "not-started"
    assert counts["statements"] == 4
    monkeypatch.undo()
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental
