"""Waiving an AU: the learner's tutor or an administrator, with a cmi5 reason and a note; a
`waived` statement in a session of its own, then moveOn (satisfied statements with the
waiver's session id when it completes a block); refusals (not their tutor, already satisfied,
NotApplicable, bad reason or note); the waiver page."""

from __future__ import annotations

from cmi5_core_support import (
    AU1_ID,
    AU2_ID,
    CATEGORY_CMI5,
    CATEGORY_MOVEON,
    COMPLETED,
    SATISFIED,
    SESSION_ID,
    SLUG,
    WAIVED,
    au,
    course_xml,
    course_zip,
    csrf_token,
    sign_in,
)
from sqlalchemy import select

from activities.cmi5.models import Cmi5Session

pytest_plugins = ["cmi5_core_fixtures"]

REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
NOTE = "http://pathway.test/xapi/extensions/waiver-note"


def waive(client, enrolment, headers, index=1, reason="Tested Out",
          note="Passed the unit test on paper."):
    return client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/{index}/"
                       "waive", json={"reason": reason, "note": note}, headers=headers)


def test_a_tutor_waives_an_au(client, uploaded, enrolment, tutor, tutor_headers, statements,
                              db, learner):
    response = waive(client, enrolment, tutor_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["satisfied"] == []  # the block still waits for the transcript
    waived = statements(verb=WAIVED)
    assert len(waived) == 1
    statement = waived[0]
    assert statement["id"] == body["statement_id"]
    assert statement["actor"]["account"]["name"] == learner.public_id
    assert statement["object"]["id"].startswith(
        f"http://pathway.test/activities/{SLUG}/cmi5/au/")
    assert statement["result"] == {"success": True, "completion": True,
                                   "extensions": {REASON: "Tested Out"}}
    context = statement["context"]
    assert context["registration"] == enrolment.registration
    assert context["extensions"] == {SESSION_ID: body["session_id"],
                                     NOTE: "Passed the unit test on paper."}
    assert {a["id"] for a in context["contextActivities"]["category"]} == {CATEGORY_CMI5,
                                                                          CATEGORY_MOVEON}
    assert context["contextActivities"]["grouping"] == [{"objectType": "Activity",
                                                         "id": AU2_ID}]
    assert context["instructor"]["account"]["name"] == tutor.public_id
    assert statement["authority"]["account"]["name"] == "pathway"
    db.session.rollback()
    row = db.session.execute(select(Cmi5Session).where(
        Cmi5Session.session_id == body["session_id"])).scalar_one()
    assert row.waived_at is not None and row.fetch_token_hash is None
    assert row.au_index == 1


def test_a_waiver_that_completes_the_course_satisfies_it_with_its_session(
        client, launched_au, enrolment, admin_headers, statements, learner_headers):
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED)
    response = waive(client, enrolment, admin_headers, reason="Equivalent Outside Activity")
    assert response.status_code == 201
    body = response.get_json()
    satisfied = statements(verb=SATISFIED)
    assert len(satisfied) == 2 == len(body["satisfied"])
    assert {s["context"]["extensions"][SESSION_ID] for s in satisfied} == \
        {body["session_id"]}
    progress = client.get(f"/api/v1/enrolments/{enrolment.id}/progress",
                          headers=learner_headers).get_json()
    activity = next(a for u in progress["units"] for a in u["activities"]
                    if a["slug"] == SLUG)
    assert activity["status"] == "completed"


def test_a_waived_au_then_satisfied_by_the_other_aus_session(client, launched_au, enrolment,
                                                              tutor_headers, statements):
    assert waive(client, enrolment, tutor_headers).status_code == 201
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED)
    satisfied = statements(verb=SATISFIED)
    assert {s["context"]["extensions"][SESSION_ID] for s in satisfied} == \
        {transcript.session_id}


def test_waiving_twice_or_a_satisfied_au_is_409(client, launched_au, enrolment, tutor_headers,
                                                statements):
    assert waive(client, enrolment, tutor_headers).status_code == 201
    again = waive(client, enrolment, tutor_headers)
    assert again.status_code == 409
    assert "already satisfied" in again.get_json()["detail"]
    transcript = launched_au(0)
    transcript.run("initialized", COMPLETED)
    assert waive(client, enrolment, tutor_headers, index=0).status_code == 409
    assert len(statements(verb=WAIVED)) == 1


def test_a_not_applicable_au_is_satisfied_already(client, upload, enrolment, tutor_headers,
                                                  learner_headers):
    upload(course_zip(course_xml(au(AU1_ID, "transcript/index.html"),
                                 au(AU2_ID, "check/index.html", moveOn="Passed"))))
    client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/launch",
                headers=learner_headers)  # the course opened: AU 0 satisfied at once
    assert waive(client, enrolment, tutor_headers, index=0).status_code == 409
    assert waive(client, enrolment, tutor_headers, index=1).status_code == 201


def test_only_the_learners_tutor_or_an_administrator(client, uploaded, enrolment, auth,
                                                     make_user, learner_headers, statements):
    other_tutor = auth(make_user("tutor"))
    refused = waive(client, enrolment, other_tutor)
    assert refused.status_code in (403, 404)  # another tutor's learner is not theirs to see
    assert waive(client, enrolment, learner_headers).status_code == 403
    assert statements(verb=WAIVED) == []


def test_a_tutor_who_sees_the_enrolment_but_is_not_its_tutor_is_403(
        client, uploaded, enrolment, auth, make_user, db):
    # An administrator who is also a tutor may; a tutor-and-manager of the learner's
    # organisation sees the enrolment but is not its tutor.
    from lms.enrolment.models import Organisation

    organisation = Organisation(slug="care-home", name="Care home")
    db.session.add(organisation)
    db.session.commit()
    enrolment.learner.organisation_id = organisation.id
    db.session.commit()
    manager = make_user("tutor", "org_manager", organisation=organisation)
    response = waive(client, enrolment, auth(manager))
    assert response.status_code == 403
    assert "tutor" in response.get_json()["detail"]


def test_bad_reason_note_or_index(client, uploaded, enrolment, tutor_headers):
    bad_reason = waive(client, enrolment, tutor_headers, reason="Felt like it")
    assert bad_reason.status_code == 422
    assert bad_reason.get_json()["errors"][0]["field"] == "reason"
    no_note = waive(client, enrolment, tutor_headers, note="   ")
    assert no_note.status_code == 422
    assert no_note.get_json()["errors"][0]["field"] == "note"
    missing = client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{SLUG}/aus/1/waive",
                          json={"reason": "Administrative"}, headers=tutor_headers)
    assert missing.status_code == 422
    assert "note" in missing.get_data(as_text=True)
    assert waive(client, enrolment, tutor_headers, index=9).status_code == 404


def test_the_waiver_page(client, uploaded, enrolment, tutor, learner, statements):
    sign_in(client, tutor)
    record = client.get(f"/learners/{enrolment.id}").get_data(as_text=True)
    assert f'href="/cmi5/{enrolment.id}/{SLUG}/waive">Waive an AU' in record  # the way there
    page = client.get(f"/cmi5/{enrolment.id}/{SLUG}/waive")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The transcript" in html and "The check" in html
    assert html.count('class="waive"') == 2
    response = client.post(f"/cmi5/{enrolment.id}/{SLUG}/aus/1/waive",
                           data={"csrf_token": csrf_token(html), "reason": "Administrative",
                                 "note": "Agreed at the review."})
    assert response.status_code == 302
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The AU is waived." in after
    assert after.count('class="waive"') == 1
    assert statements(verb=WAIVED)[0]["result"]["extensions"][
        "https://w3id.org/xapi/cmi5/result/extensions/reason"] == "Administrative"
    refused = client.post(f"/cmi5/{enrolment.id}/{SLUG}/aus/0/waive",
                          data={"csrf_token": csrf_token(after), "reason": "Administrative",
                                "note": ""})
    assert "say why the AU is waived" in client.get(refused.headers["Location"]).get_data(
        as_text=True)
    # The learner's course page says so.
    client.post("/logout", data={"csrf_token": csrf_token(after)})
    sign_in(client, learner)
    course = client.get(f"/learn/{enrolment.id}/{SLUG}/player").get_data(as_text=True)
    assert "Waived" in course
    assert course.count('value="Review"') == 1 and course.count('value="Browse"') == 1
