"""The evidence export of one learner's unit: each submission's files in attempt folders,
feedback.html, decisions.csv and files.csv; for the learner, their tutor and admins."""

import csv
import hashlib
import io
import zipfile

import pytest
from assessment_support import ASSESSMENT, OTHER_ASSESSMENT, PDF, PNG, UNIT, all_met, problem

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests


@pytest.fixture
def history(submit, decide, verify, people):
    """Attempt 1 not yet met (two files of the same name), attempt 2 met and verified, and a
    second assessment of the unit awaiting a decision."""
    first = submit([(PDF, "audit.pdf"), (PDF, "audit.pdf")], note="=SUM(A1:A2)").get_json()
    criteria = all_met()
    criteria[2] = {"code": "1.5", "decision": "not-yet-met",
                   "feedback": "<b>Add</b> the recommendations."}
    assert decide(first["id"], criteria, feedback="Nearly there.").status_code == 201
    second = submit([(PNG, "plan.png")]).get_json()
    assert decide(second["id"], all_met("Now clear.")).status_code == 201
    assert verify(second["id"], "agreed", "Agree.").status_code == 201
    other = submit([(PDF, "reflection.pdf")], slug=OTHER_ASSESSMENT).get_json()
    return first, second, other


def _export(client, headers, user, enrolment, unit=UNIT):
    return client.get(f"/api/v1/enrolments/{enrolment.id}/units/{unit}/evidence.zip",
                      headers=headers(user), buffered=True)


def test_the_zip_holds_every_attempt_with_decisions_feedback_and_verifications(
        client, headers, people, history):
    response = _export(client, headers, people.learner, people.enrolment)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=alex_morgan-{UNIT}-evidence.zip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted([
        f"{ASSESSMENT}/attempt-1/audit.pdf", f"{ASSESSMENT}/attempt-1/audit-2.pdf",
        f"{ASSESSMENT}/attempt-2/plan.png", f"{OTHER_ASSESSMENT}/attempt-1/reflection.pdf",
        "feedback.html", "decisions.csv", "files.csv"])
    assert archive.read(f"{ASSESSMENT}/attempt-2/plan.png") == PNG

    rows = list(csv.DictReader(io.StringIO(archive.read("decisions.csv").decode("utf-8-sig"))))
    assert [(r["activity"], r["attempt"], r["criterion"], r["decision"]) for r in rows] == [
        (ASSESSMENT, "1", "1.1", "met"), (ASSESSMENT, "1", "1.3", "met"),
        (ASSESSMENT, "1", "1.5", "not-yet-met"), (ASSESSMENT, "1", "1.6", "met"),
        (ASSESSMENT, "2", "1.1", "met"), (ASSESSMENT, "2", "1.3", "met"),
        (ASSESSMENT, "2", "1.5", "met"), (ASSESSMENT, "2", "1.6", "met"),
        (OTHER_ASSESSMENT, "1", "", "")]
    assert rows[2]["criterion_feedback"] == "<b>Add</b> the recommendations."
    assert rows[0]["outcome"] == "not-yet-met" and rows[0]["overall_feedback"] == "Nearly there."
    assert rows[0]["assessor"] == "Sam Okafor" and rows[0]["assessed_at"]
    assert rows[4]["verifications"].startswith("agreed by Morgan Lee on ")
    assert rows[4]["verifications"].endswith(": Agree.")
    assert rows[8]["outcome"] == "awaiting decision" and rows[0]["on_time"] == "yes"

    files = list(csv.DictReader(io.StringIO(archive.read("files.csv").decode("utf-8-sig"))))
    assert {r["path"]: r["sha256"] for r in files}[f"{ASSESSMENT}/attempt-2/plan.png"] == \
        hashlib.sha256(PNG).hexdigest()
    assert {r["present"] for r in files} == {"yes"}

    html = archive.read("feedback.html").decode()
    assert "Alex Morgan" in html and "Principles of Restrictive Practice Reduction" in html
    assert "&lt;b&gt;Add&lt;/b&gt; the recommendations." in html  # escaped, never markup
    assert "Not yet met" in html and "Agreed" in html and "Nearly there." in html
    assert "This is my own work." in html and "=SUM(A1:A2)" in html


def test_the_tutor_and_an_admin_may_export(client, headers, people, history):
    for user in (people.tutor, people.admin):
        assert _export(client, headers, user, people.enrolment).status_code == 200


def test_others_may_not_export(client, headers, people, history, make_user, db):
    from lms.enrolment.models import Organisation

    problem(_export(client, headers, people.other_learner, people.enrolment), 404)
    problem(_export(client, headers, people.other_tutor, people.enrolment), 404)
    riverside = Organisation(slug="riverside", name="Riverside Care")
    db.session.add(riverside)
    db.session.commit()
    people.learner.organisation_id = riverside.id
    db.session.commit()
    manager = make_user("org_manager", organisation=riverside)
    body = problem(_export(client, headers, manager, people.enrolment), 403)
    assert "Only the learner, their tutor or an administrator" in body["detail"]


def test_an_unknown_unit_is_404(client, headers, people):
    body = problem(_export(client, headers, people.learner, people.enrolment, "no-unit"), 404)
    assert "no unit 'no-unit'" in body["detail"]


def test_a_unit_without_evidence_exports_an_empty_record(client, headers, people):
    response = _export(client, headers, people.learner, people.enrolment,
                       "providing-capable-environments")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["decisions.csv", "feedback.html", "files.csv"]
    assert "No evidence has been submitted" in archive.read("feedback.html").decode()


def test_formula_like_text_is_quoted_in_the_csv(client, headers, people, submit, decide):
    first = submit().get_json()
    decide(first["id"], all_met(), feedback="=HYPERLINK(\"http://evil\")")
    archive = zipfile.ZipFile(io.BytesIO(_export(client, headers, people.learner,
                                                 people.enrolment).data))
    rows = list(csv.DictReader(io.StringIO(archive.read("decisions.csv").decode("utf-8-sig"))))
    assert rows[0]["overall_feedback"] == "'=HYPERLINK(\"http://evil\")"
