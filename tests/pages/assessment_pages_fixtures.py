"""Fixtures of the practice-assessment page tests (load with
`pytest_plugins = ["assessment_pages_fixtures"]`): the people, and a signed-in browser for
each. Names are particular to these tests, so they never shadow other tests' fixtures."""

from dataclasses import dataclass

import pytest
from assessment_pages_support import sign_in
from conftest import PASSWORD, OwnContextClient


@dataclass
class AssessmentPeople:
    learner: object
    tutor: object
    other_tutor: object
    admin: object
    other_learner: object
    verifier: object
    enrolment: object
    other_enrolment: object


@pytest.fixture
def assessing(make_user, enrol):
    """A learner on the Diploma with their tutor, another tutor, an administrator, a second
    learner (the other tutor's), and an internal verifier."""
    tutor = make_user("tutor", name="Sam Okafor")
    other_tutor = make_user("tutor", name="Rita Osei")
    admin = make_user("admin", name="Priya Shah")
    learner = make_user("learner", name="Alex Morgan")
    other_learner = make_user("learner", name="Ben Carter")
    verifier = make_user("verifier", name="Morgan Lee")
    return AssessmentPeople(learner, tutor, other_tutor, admin, other_learner, verifier,
                            enrol(learner, tutor=tutor), enrol(other_learner, tutor=other_tutor))


@pytest.fixture
def browser_of(app):
    """`browser_of(user)`: a test client signed in as `user` through the login form (one
    per person, made once)."""
    made = {}

    def get(user):
        if user.id not in made:
            client = OwnContextClient(app, app.response_class, use_cookies=True)
            made[user.id] = sign_in(client, user, PASSWORD)
        return made[user.id]

    return get
