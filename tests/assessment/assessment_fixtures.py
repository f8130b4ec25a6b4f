"""Fixtures of the practice-assessment tests: people on an enrolment, and the API calls of
each step as callables. Test modules load them with `pytest_plugins = ["assessment_fixtures"]`
(a conftest.py here would shadow the top-level one for `from conftest import ...`)."""

import io
from dataclasses import dataclass

import pytest
from assessment_support import ASSESSMENT, PDF
from sqlalchemy import func, select

from lms.assessment.rules import DECLARATION


@dataclass
class People:
    learner: object
    tutor: object
    other_tutor: object
    admin: object
    other_learner: object
    verifier: object
    enrolment: object
    other_enrolment: object


@pytest.fixture
def people(make_user, enrol):
    """A learner on the Diploma with their tutor, another tutor, an administrator, a second
    learner (also the tutor's), and an internal verifier (a tutor too, of nobody here)."""
    tutor = make_user("tutor", name="Sam Okafor")
    other_tutor = make_user("tutor", name="Rita Osei")
    admin = make_user("admin", name="Priya Shah")
    learner = make_user("learner", name="Alex Morgan")
    other_learner = make_user("learner", name="Ben Carter")
    verifier = make_user("tutor", "verifier", name="Morgan Lee")
    return People(learner, tutor, other_tutor, admin, other_learner, verifier,
                  enrol(learner, tutor=tutor), enrol(other_learner, tutor=tutor))


@pytest.fixture
def headers(auth, people):
    """`headers(user)`: API headers of one of the people (tokens made once each)."""
    made = {}

    def get(user):
        if user.id not in made:
            made[user.id] = auth(user)
        return made[user.id]

    return get


@pytest.fixture
def submit(client, people, headers):
    """`submit(files=[(bytes, name)], ...)` -> the response of submitting evidence."""

    def post(files=None, *, user=None, enrolment=None, slug=ASSESSMENT,
             declaration=DECLARATION, signed_name=None, note=None):
        user = user or people.learner
        enrolment = enrolment or people.enrolment
        data = {}
        if files is None:
            files = [(PDF, "case study.pdf")]
        if files:
            data["files"] = [(io.BytesIO(content), name) for content, name in files]
        if declaration is not None:
            data["declaration"] = declaration
        data["signed_name"] = user.name if signed_name is None else signed_name
        if note is not None:
            data["note"] = note
        return client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{slug}/submissions",
                           data=data, headers=headers(user), content_type="multipart/form-data")

    return post


@pytest.fixture
def decide(client, people, headers):
    """`decide(submission_id, criteria, user=tutor)` -> the response."""

    def post(submission_id, criteria, *, user=None, feedback="Overall: good work."):
        return client.post(f"/api/v1/submissions/{submission_id}/decision",
                           json={"criteria": criteria, "feedback": feedback},
                           headers=headers(user or people.tutor))

    return post


@pytest.fixture
def verify(client, people, headers):
    """`verify(submission_id, outcome, comment, user=verifier)` -> the response."""

    def post(submission_id, outcome="agreed", comment="", *, user=None):
        return client.post(f"/api/v1/submissions/{submission_id}/verification",
                           json={"outcome": outcome, "comment": comment},
                           headers=headers(user or people.verifier))

    return post


@pytest.fixture
def stored_state(app, db):
    """`stored_state()` -> counts of every assessment row, evidence file on disk and LRS
    statement, to assert that a refused request changed nothing."""
    from pathlib import Path

    from lms.assessment.models import CriterionDecision, EvidenceFile, Submission, Verification
    from xapi.models import statements

    def state():
        db.session.rollback()
        folder = Path(app.instance_path) / "evidence"
        with app.extensions["xapi"].engine.connect() as connection:
            lrs = connection.execute(select(func.count()).select_from(statements)).scalar()
        return {
            "submissions": db.session.scalar(select(func.count(Submission.id))),
            "outcomes": sorted((s.id, s.outcome) for s in db.session.scalars(select(Submission))),
            "evidence_rows": db.session.scalar(select(func.count(EvidenceFile.id))),
            "decisions": db.session.scalar(
                select(func.count()).select_from(CriterionDecision)),
            "verifications": db.session.scalar(select(func.count(Verification.id))),
            "files_on_disk": sorted(p.name for p in folder.iterdir()) if folder.exists() else [],
            "statements": lrs,
        }

    return state


@pytest.fixture
def lrs_statements(client, lrs_headers):
    """`lrs_statements(**query)` -> the statements the LRS returns for a query."""
    heads = {}

    def get(**query):
        if not heads:
            heads.update(lrs_headers("all/read"))
        response = client.get("/xapi/statements", query_string=query, headers=heads)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["statements"]

    return get
