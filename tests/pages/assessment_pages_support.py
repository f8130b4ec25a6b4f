"""Helpers of the practice-assessment page tests: signing in through the login form, the
CSRF token a page carries, a page's text, evidence files, submitting through the page, and
trusted records that finish the rest of a unit."""

import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from lms.assessment.models import CriterionDecision, EvidenceFile, Submission, Verification
from lms.catalogue.iris import activity_iri, qualification_iri, unit_iri
from lms.catalogue.models import Activity, Unit
from lms.extensions import db
from lms.progress.record import pathway_authority
from xapi.service import record

ASSESSMENT = "u1-assessment-case-study-reducing-restrictions"  # criteria 1.1 1.3 1.5 1.6
CRITERIA = ["1.1", "1.3", "1.5", "1.6"]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ADL = "http://adlnet.gov/expapi/verbs/"


def csrf_token(page: str) -> str:
    """The value of the page's hidden `csrf_token` input, as a browser would send it."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(page).split())


def page_of(response) -> str:
    return response.get_data(as_text=True)


def sign_in(client, user, password):
    """Sign `client` in as `user` through the login form."""
    token = csrf_token(page_of(client.get("/login")))
    response = client.post("/login", data={"email": user.email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, page_of(response)
    return client


def submission_url(enrolment, slug=ASSESSMENT) -> str:
    return f"/learn/{enrolment.id}/assessments/{slug}"


def submit_through_page(client, enrolment, *, files=None, confirm=True, signed_name=None,
                        note="My case study.", slug=ASSESSMENT, token=True):
    """POST the evidence form of the learner's page, as a browser does."""
    url = submission_url(enrolment, slug)
    data = {"note": note, "signed_name": signed_name or enrolment.learner.name}
    if token:
        data["csrf_token"] = csrf_token(page_of(client.get(url)))
    if confirm:
        data["confirm"] = "y"
    files = [(PDF, "case study.pdf")] if files is None else files
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(url, data=data, content_type="multipart/form-data")


def all_met_form(token: str, count: int = len(CRITERIA)) -> dict:
    form = {"csrf_token": token, "feedback": "A thoughtful case study."}
    for position in range(count):
        form[f"decision_{position}"] = "met"
        form[f"feedback_{position}"] = "Well evidenced."
    return form


def stored() -> dict:
    """Counts of every assessment row and evidence file on disk."""
    db.session.rollback()
    folder = Path(current_app.instance_path) / "evidence"
    return {
        "submissions": db.session.scalar(select(func.count(Submission.id))),
        "outcomes": sorted((s.id, s.outcome) for s in db.session.scalars(select(Submission))),
        "files": db.session.scalar(select(func.count(EvidenceFile.id))),
        "decisions": db.session.scalar(select(func.count()).select_from(CriterionDecision)),
        "verifications": db.session.scalar(select(func.count(Verification.id))),
        "on_disk": sorted(p.name for p in folder.iterdir()) if folder.exists() else [],
    }


def finish_rest_of_unit(enrolment, but=ASSESSMENT, unit=1) -> None:
    """Trusted records of every current activity of the unit except `but`: attended or
    completed, and the unit's other assessments passed."""
    qualification_id = enrolment.intake.qualification_id
    activities = db.session.execute(
        select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Unit.qualification_id == qualification_id, Unit.number == unit,
               Activity.retired.is_(False), Activity.slug != but)).scalars().all()
    base = current_app.config["BASE_URL"]
    when = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    batch = []
    for activity in activities:
        if activity.type == "assessment":
            verb, result = "passed", {"success": True, "completion": True}
        else:
            verb = "attended" if activity.learning == "guided" else "completed"
            result = {"completion": True, "duration": "PT10M"}
        batch.append({
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent",
                      "account": {"homePage": base, "name": enrolment.learner.public_id}},
            "verb": {"id": ADL + verb},
            "object": {"objectType": "Activity", "id": activity_iri(activity)},
            "result": result,
            "context": {"registration": enrolment.registration, "contextActivities": {
                "parent": [{"id": unit_iri(activity.unit)}],
                "grouping": [{"id": qualification_iri(activity.unit.qualification)}]}},
            "timestamp": when})
    db.session.commit()
    record(batch, pathway_authority(), authority_key="pathway")
