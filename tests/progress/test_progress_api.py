"""The progress API: who sees what, summaries with at-risk flags, window extensions and
attendance at guided activities."""

from datetime import UTC, datetime, timedelta

import pytest
from progress_factory import activities, statement, store

from lms.enrolment.models import Cohort, Organisation, WindowExtension
from lms.extensions import db


@pytest.fixture
def people(make_user, enrol, db):
    organisation = Organisation(slug="riverside", name="Riverside Care")
    other_org = Organisation(slug="elsewhere", name="Elsewhere Care")
    db.session.add_all([organisation, other_org])
    db.session.commit()
    cohort = Cohort(intake=enrol.intake, organisation=organisation, name="Riverside cohort")
    db.session.add(cohort)
    db.session.commit()
    tutor, other_tutor = make_user("tutor"), make_user("tutor")
    learner = make_user("learner", organisation=organisation)
    classmate = make_user("learner", organisation=organisation)
    stranger = make_user("learner", organisation=other_org)
    return {
        "tutor": tutor, "other_tutor": other_tutor, "learner": learner,
        "classmate": classmate, "stranger": stranger, "cohort": cohort,
        "manager": make_user("org_manager", organisation=organisation),
        "other_manager": make_user("org_manager", organisation=other_org),
        "admin": make_user("admin"),
        "enrolment": enrol(learner, tutor=tutor, cohort=cohort),
        "classmate_enrolment": enrol(classmate, tutor=tutor, cohort=cohort),
        "stranger_enrolment": enrol(stranger, tutor=other_tutor),
    }


@pytest.mark.parametrize("who,status", [
    ("learner", 200), ("tutor", 200), ("manager", 200), ("admin", 200),
    ("classmate", 404), ("stranger", 404), ("other_tutor", 404), ("other_manager", 404)])
def test_who_may_see_a_learners_progress(client, auth, people, who, status):
    response = client.get(f"/api/v1/enrolments/{people['enrolment'].id}/progress",
                          headers=auth(people[who]))
    assert response.status_code == status
    if status == 404:
        assert response.json["detail"].startswith("enrolment: there is no enrolment")
        assert "units" not in response.json


def test_progress_shows_units_activities_hours_deadline_and_forecast(client, auth, people,
                                                                    catalogue):
    enrolment = people["enrolment"]
    interactive = activities(catalogue, "interactive")[0]
    store([statement(enrolment, interactive, "completed", seconds=3600)], trusted=False)

    body = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                      headers=auth(people["learner"])).json
    assert body["hours"] == {"guided": 0.0, "self_study": 3.0, "total": 3.0, "target": 360.0}
    assert body["credits"] == {"awarded": 0, "target": 36}
    assert [u["number"] for u in body["units"]] == [1, 2, 3, 4, 5]
    assert sum(len(u["activities"]) for u in body["units"]) == 70
    entry = next(a for a in body["units"][0]["activities"] if a["slug"] == interactive.slug)
    assert entry["status"] == "completed" and entry["time_spent"] == "PT1H"
    assert body["enrolment"]["window_ends"] == enrolment.window_ends.isoformat()
    assert body["enrolment"]["registration"] == enrolment.registration
    assert body["forecast"]["status"] in ("on-track", "at-risk", "not-started")
    assert body["next_up"]["slug"] == activities(catalogue)[0].slug
    assert body["learner"] == {"id": people["learner"].public_id,
                               "name": people["learner"].name}


def test_a_tutor_summary_lists_only_their_learners_with_at_risk_flags(client, auth, people,
                                                                       catalogue):
    recent = datetime.now(UTC) - timedelta(days=3)
    for activity in activities(catalogue)[:10]:
        verb = "attended" if activity.learning == "guided" else "completed"
        store([statement(people["enrolment"], activity, verb, when=recent)])

    body = client.get("/api/v1/progress", headers=auth(people["tutor"])).json
    names = [entry["learner"]["name"] for entry in body["learners"]]
    assert sorted(names) == sorted([people["learner"].name, people["classmate"].name])
    assert body["count"] == 2
    by_name = {e["learner"]["name"]: e for e in body["learners"]}
    busy = by_name[people["learner"].name]
    assert busy["hours"]["total"] > 0 and busy["forecast"]["hours_per_week"] > 0
    assert body["at_risk"] == sum(e["at_risk"] for e in body["learners"])

    only_risk = client.get("/api/v1/progress?at_risk=true", headers=auth(people["tutor"])).json
    assert all(e["at_risk"] for e in only_risk["learners"])
    by_hours = client.get("/api/v1/progress?sort=hours", headers=auth(people["tutor"])).json
    assert [e["hours"]["total"] for e in by_hours["learners"]] == \
        sorted(e["hours"]["total"] for e in by_hours["learners"])


def test_summary_arguments_are_checked(client, auth, people):
    response = client.get("/api/v1/progress?sort=shoe-size", headers=auth(people["tutor"]))
    assert response.status_code == 422
    assert "sort" in str(response.json)


def test_a_cohort_summary_for_its_manager_and_not_for_another_organisation(client, auth,
                                                                           people):
    cohort = people["cohort"].id
    mine = client.get(f"/api/v1/cohorts/{cohort}/progress", headers=auth(people["manager"]))
    assert mine.status_code == 200 and mine.json["count"] == 2
    theirs = client.get(f"/api/v1/cohorts/{cohort}/progress",
                        headers=auth(people["other_manager"]))
    assert theirs.status_code == 404
    learner = client.get(f"/api/v1/cohorts/{cohort}/progress", headers=auth(people["learner"]))
    assert learner.status_code == 403


def test_extending_a_window_needs_the_tutor_a_reason_and_a_later_date(client, auth, people):
    enrolment = people["enrolment"]
    url = f"/api/v1/enrolments/{enrolment.id}/extensions"
    end = enrolment.window_ends
    later = (end + timedelta(days=60)).isoformat()

    refused = [
        (people["learner"], {"window_ends": later, "reason": "Illness"}, 403),
        (people["other_tutor"], {"window_ends": later, "reason": "Illness"}, 404),
        (people["tutor"], {"window_ends": end.isoformat(), "reason": "Illness"}, 422),
        (people["tutor"], {"window_ends": later}, 422),
        (people["tutor"], {"window_ends": "next year", "reason": "Illness"}, 422),
    ]
    for who, body, status in refused:
        response = client.post(url, json=body, headers=auth(who))
        assert response.status_code == status, (body, response.json)
    db.session.refresh(enrolment)
    assert enrolment.window_ends == end
    assert db.session.execute(db.select(WindowExtension)).first() is None

    response = client.post(url, json={"window_ends": later, "reason": "Illness"},
                           headers=auth(people["tutor"]))
    assert response.status_code == 201
    assert response.json["previous_end"] == end.isoformat()
    assert response.json["window_ends"] == later
    assert response.json["approved_by"] == people["tutor"].name
    db.session.refresh(enrolment)
    assert enrolment.window_ends.isoformat() == later
    listed = client.get(url, headers=auth(people["learner"])).json
    assert [(e["reason"], e["window_ends"]) for e in listed] == [("Illness", later)]


def test_attendance_completes_a_guided_activity(client, auth, people, catalogue):
    enrolment = people["enrolment"]
    webinar = activities(catalogue, "webinar")[0]
    url = f"/api/v1/enrolments/{enrolment.id}/attendance"

    response = client.post(url, json={"activity": webinar.slug, "minutes": 110},
                           headers=auth(people["tutor"]))
    assert response.status_code == 201, response.json

    body = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                      headers=auth(people["learner"])).json
    entry = next(a for a in body["units"][0]["activities"] if a["slug"] == webinar.slug)
    assert entry["status"] == "completed" and entry["time_spent"] == "PT1H50M"
    assert body["hours"]["guided"] == float(webinar.hours)


@pytest.mark.parametrize("who,body,status", [
    ("tutor", {"activity": "SELF-STUDY", "minutes": 30}, 422),
    ("tutor", {"activity": "no-such-activity", "minutes": 30}, 404),
    ("tutor", {"activity": "WEBINAR", "minutes": 0}, 422),
    ("tutor", {"activity": "WEBINAR", "minutes": 30, "attended_at": "2999-01-01T10:00:00Z"},
     422),
    ("other_tutor", {"activity": "WEBINAR", "minutes": 30}, 404),
    ("learner", {"activity": "WEBINAR", "minutes": 30}, 403),
])
def test_attendance_refusals_change_nothing(client, auth, people, catalogue, who, body,
                                            status):
    slugs = {"SELF-STUDY": activities(catalogue, "reading")[0].slug,
             "WEBINAR": activities(catalogue, "webinar")[0].slug}
    body = {**body, "activity": slugs.get(body["activity"], body["activity"])}
    enrolment = people["enrolment"]
    response = client.post(f"/api/v1/enrolments/{enrolment.id}/attendance", json=body,
                           headers=auth(people[who]))
    assert response.status_code == status, response.json
    progress = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                          headers=auth(people["learner"])).json
    assert progress["hours"]["total"] == 0.0
