"""Things the API shows that the pages show too: a person's enrolments on the administrator's
account page, the unit's evidence zip from the tutor's decision page, and what has happened to
a learner's place on their tutorials page."""

import re

from admin_pages_support import sign_in, text_of

from lms.assessment.models import Submission
from lms.cli import initialise
from lms.extensions import db
from lms.people.operations import user_by_email

DEMO_PASSWORD = "pathway-demo"


def test_an_account_page_lists_the_persons_enrolments(client, make_user, enrol):
    learner = make_user("learner")
    enrolment = enrol(learner)
    sign_in(client, make_user("admin"))
    page = client.get(f"/admin/users/{learner.public_id}").get_data(as_text=True)
    assert f'href="/enrolments/{enrolment.id}"' in page
    assert f'href="/learners/{enrolment.id}"' in page


def test_the_tutor_downloads_the_units_evidence_zip_from_the_decision_page(app, client):
    initialise(demo=True)
    waiting = db.session.execute(db.select(Submission).where(Submission.outcome.is_(None))
                                 ).scalars().first()
    sign_in(client, user_by_email("tutor@pathway.example"), DEMO_PASSWORD)
    page = client.get(f"/assess/{waiting.id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+evidence\.zip)"', page).group(1)
    response = client.get(link, buffered=True)
    assert response.status_code == 200
    assert response.data[:2] == b"PK"


def test_the_learner_sees_what_has_happened_to_their_place(app, client):
    initialise(demo=True)
    sign_in(client, user_by_email("learner@pathway.example"), DEMO_PASSWORD)
    page = text_of(client.get("/tutorials"))
    assert "What has happened to this place" in page
    assert "Booked by Alex Morgan" in page
