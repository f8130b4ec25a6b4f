"""One learner's record for their tutor: progress per unit, deadline and forecast, their
tutorials (upcoming, and past with the minutes attended), their submissions, and the
timeline of their learning record in sentences. Another tutor's learner is a 404."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from records_support import sign_in, text_of, timeline_lines
from tincan import Result
from werkzeug.datastructures import FileStorage

from lms.catalogue.models import Activity
from lms.extensions import db
from lms.progress.record import ATTENDED, COMPLETED, activity_statement, record_statements
from lms.timeutil import utcnow
from lms.tutorials import attendance
from lms.tutorials.models import Booking, TutorialSession
from lms.web.format import london_time

pytest_plugins = ["records_fixtures"]

HUMAN_RIGHTS = "Human rights, the law and the least-restrictive principle"
LIVED_EXPERIENCE = "Seeing restrictive practice through lived experience"
DILEMMAS = "Group tutorial: Working through human-rights dilemmas"
RESTRICTIONS = "Group tutorial: Restrictions we see in our services"
CASE_STUDY = "Practice assessment: Case study on reducing restrictions for one person and a service"


def activity(slug: str) -> Activity:
    return db.session.execute(db.select(Activity).where(Activity.slug == slug)).scalar_one()


def session_with_place(tutor, learner, slug, starts_at, minutes=60) -> Booking:
    """A group session of `slug` at `starts_at` with a place booked for `learner` (stored
    directly: the API books only ahead, and these tests need past ones too)."""
    session = TutorialSession(kind="group", tutor_id=tutor.id, activity=activity(slug),
                              title=activity(slug).title, starts_at=starts_at,
                              ends_at=starts_at + timedelta(minutes=minutes), capacity=6,
                              places_taken=1, created_by_id=tutor.id)
    booking = Booking(session=session, learner_id=learner.id, enrolment_id=learner.enrolment.id,
                      status="booked", booked_at=utcnow() - timedelta(days=10),
                      booked_by_id=learner.id)
    db.session.add_all([session, booking])
    db.session.commit()
    return booking


@pytest.fixture
def tess_client(client, people):
    sign_in(client, people.tess.email)
    return client


def page_of(client, learner):
    response = client.get(f"/learners/{learner.enrolment.id}")
    assert response.status_code == 200
    return response


def test_the_page_shows_progress_per_unit_deadline_and_forecast(tess_client, people):
    text = text_of(page_of(tess_client, people.ada))
    assert "Ada Ashworth" in text and "Hillside cohort" in text and "Recent intake" in text
    assert "Level 5 BTEC Diploma" in text
    assert "of 360" in text and "0 of 36" in text and "0 of 5 units achieved" in text
    assert "On track" in text and "Deadline" in text and "days left" in text
    assert "1. Principles of Restrictive Practice Reduction In progress" in text
    assert "2. Providing Capable Environments Not started" in text
    assert f"Reading: {HUMAN_RIGHTS} Completed 3.5 of 3.5 (self-study)" in text


def test_the_timeline_reads_as_sentences(tess_client, people):
    db.session.commit()
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    record_statements([activity_statement(
        people.ada.enrolment, activity("u1-group-tutorial-restrictions-in-our-services"),
        ATTENDED, when,
        Result(completion=True, duration=timedelta(minutes=55)), instructor=people.tess)])
    lines = timeline_lines(page_of(tess_client, people.ada))
    assert lines[0] == f"Attended '{RESTRICTIONS}', 55 min"
    # recorded with finished_statement two days ago (self-study completed, guided attended)
    assert f"Read '{HUMAN_RIGHTS}', 3 h 30 min" in lines
    assert f"Watched '{LIVED_EXPERIENCE}' film to the end, 1 h" in lines
    assert ("Attended 'Live webinar: Understanding restrictive practices and their impact', "
            "2 h") in lines
    assert "Completed 'Interactive: Recognising restrictions in everyday support', 3 h" in lines
    body = page_of(tess_client, people.ada).get_data(as_text=True)
    assert f'<time datetime="{when.isoformat()}" class="muted">{london_time(when)}</time>' \
        in body  # times in London words


def test_an_empty_record(tess_client, people):
    text = text_of(page_of(tess_client, people.cal))
    assert "Nothing recorded yet." in text and "No tutorials booked ahead." in text
    assert "No evidence submitted yet." in text and "No learning yet" in text


def test_tutorials_upcoming_and_past_with_the_minutes_attended(tess_client, people):
    past = session_with_place(people.tess, people.ada,
                              "u1-group-tutorial-human-rights-dilemmas",
                              utcnow() - timedelta(days=1), minutes=60)
    statements = attendance.mark(past, True, 50, people.tess)
    db.session.commit()
    attendance.record(statements)
    missed = session_with_place(people.tess, people.ada,
                                "u1-group-tutorial-presenting-recommendations",
                                utcnow() - timedelta(days=5))
    attendance.mark(missed, False, None, people.tess)
    db.session.commit()
    session_with_place(people.tess, people.ada, "u1-group-tutorial-restrictions-in-our-services",
                       utcnow() + timedelta(days=6))

    response = page_of(tess_client, people.ada)
    text = text_of(response)
    upcoming = text.split("Coming up", 1)[1].split("Past tutorials", 1)[0]
    past_part = text.split("Past tutorials", 1)[1].split("Assessment", 1)[0]
    assert RESTRICTIONS in upcoming and "Tess Tutor Booked" in upcoming
    assert f"{DILEMMAS} Tess Tutor Attended , 50 min" in past_part
    assert "Group tutorial: Presenting your recommendations Tess Tutor Did not attend" in past_part
    assert past_part.index(DILEMMAS) < past_part.index("Presenting")  # most recent first
    assert timeline_lines(response)[0] == f"Attended '{DILEMMAS}', 50 min"


def test_submissions_and_the_tutors_judgement(tess_client, people, app):
    from lms.assessment.decisions import decide
    from lms.assessment.operations import submit
    from lms.assessment.rules import DECLARATION

    task = activity("u1-assessment-case-study-reducing-restrictions")
    submission = submit(people.ada, people.ada.enrolment, task, declaration=DECLARATION,
                        signed_name="Ada Ashworth", note="",
                        uploads=[FileStorage(BytesIO(b"My case study."), filename="case.txt",
                                             content_type="text/plain")])
    db.session.commit()
    response = page_of(tess_client, people.ada)
    assert f"{CASE_STUDY}" in text_of(response).split("Assessment", 1)[1]
    assert "Awaiting decision" in text_of(response)
    assert timeline_lines(response)[0] == f"Submitted evidence for '{CASE_STUDY}'"
    assert f'<a href="/assess/{submission.id}">{CASE_STUDY}</a>' in response.get_data(as_text=True)

    decide(people.tess, submission, [
        {"code": "1.1", "decision": "met"}, {"code": "1.3", "decision": "met"},
        {"code": "1.5", "decision": "met"},
        {"code": "1.6", "decision": "not-yet-met", "feedback": "Say more on consent."}],
        "Nearly there.")
    response = page_of(tess_client, people.ada)
    assert "Not yet met" in text_of(response) and "by Tess Tutor" in text_of(response)
    assert timeline_lines(response)[0] == (
        f"Tutor judged '{CASE_STUDY}': not yet met (3 of 4 criteria met)")


def test_another_tutors_learner_is_not_found(tess_client, people):
    assert tess_client.get(f"/learners/{people.olive.enrolment.id}").status_code == 404
    assert tess_client.get("/learners/999999").status_code == 404


def test_an_administrator_opens_any_learner(client, people):
    sign_in(client, people.adele.email)
    assert "Olive Other" in text_of(page_of(client, people.olive))
    assert "Ada Ashworth" in text_of(page_of(client, people.ada))


def test_the_list_links_to_each_learners_page(tess_client, people):
    body = tess_client.get("/learners").get_data(as_text=True)
    assert f'href="/learners/{people.ada.enrolment.id}">Ada Ashworth</a>' in body


def test_a_voided_statement_is_not_in_the_timeline(tess_client, people):
    booking = session_with_place(people.tess, people.cal,
                                 "u1-group-tutorial-human-rights-dilemmas",
                                 utcnow() - timedelta(days=1))
    statements = attendance.mark(booking, True, 45, people.tess)
    db.session.commit()
    attendance.record(statements)
    assert timeline_lines(page_of(tess_client, people.cal)) == [
        f"Attended '{DILEMMAS}', 45 min"]
    statements = attendance.mark(booking, False, None, people.tess)  # a correction voids it
    db.session.commit()
    attendance.record(statements)
    response = page_of(tess_client, people.cal)
    assert timeline_lines(response) == []
    assert f"{DILEMMAS} Tess Tutor Did not attend" in text_of(response)


def test_the_timeline_shows_the_newest_hundred_lines(tess_client, people):
    reading = activity("u1-reading-human-rights-and-restriction")
    db.session.commit()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    record_statements([activity_statement(
        people.cal.enrolment, reading, ATTENDED if n % 2 else COMPLETED,
        start + timedelta(minutes=n), Result(duration=timedelta(minutes=n % 50 + 1)))
        for n in range(450)])  # more than two pages of the LRS's query
    response = page_of(tess_client, people.cal)
    lines = timeline_lines(response)
    assert len(lines) == 100
    assert lines[0] == f"Attended '{HUMAN_RIGHTS}', 50 min"  # n = 449
    assert lines[-1] == f"Read '{HUMAN_RIGHTS}', 1 min"  # n = 350
    assert "the latest 100 entries" in text_of(response)
