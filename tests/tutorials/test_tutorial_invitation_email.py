"""A tutorial's invitation by e-mail, received by a real SMTP server started here: the text,
the `text/calendar` part calendar programs act on (METHOD REQUEST, then CANCEL with the same
UID and a higher SEQUENCE) and the invite.ics file; and the same invitation through the
notifications API."""

import email
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from conftest import free_port
from icalendar import Calendar
from tutorial_support import london_at, next_weekday

from lms.notifications.sending import send_due

pytest_plugins = ["tutorial_fixtures"]

TITLE = "Reflective practice tutorial"


class Inbox:
    """An aiosmtpd handler keeping the messages it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=policy.default)
                for e in self.envelopes]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(smtp_port):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, "SMTP_STARTTLS": False,
            "MAIL_FROM": "Pathway <no-reply@pathway.test>", "SCHEDULER_NETWORK_TIMEOUT": 5}


@pytest.fixture
def inbox(smtp_port):
    """A real SMTP server on the configured port, for this test."""
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield received
    controller.stop()


@pytest.fixture
def booked(client, auth, learner, create_session):
    """A place of the learner in a group session next week at 10:00 London time."""
    starts = london_at(next_weekday(2), 10)
    session = create_session(starts, title=TITLE, meeting_url="https://meet.example/xyz")
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    return {"session": session, "booking": response.get_json(), "starts": starts}


def parts(message: EmailMessage) -> dict:
    """{content type: [part]} of every non-multipart part."""
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def attendees(event) -> list[str]:
    found = event.get("ATTENDEE", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def the_calendar_of(message: EmailMessage, method: str) -> Calendar:
    """The message's calendar part (checked against its invite.ics file), parsed."""
    by_type = parts(message)
    [calendar_part] = by_type["text/calendar"]
    assert calendar_part.get_param("method") == method
    [attachment] = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
    document = calendar_part.get_content()
    assert attachment.get_content().decode() == document
    calendar = Calendar.from_ical(document)
    assert str(calendar["METHOD"]) == method
    return calendar


def test_a_booked_place_is_emailed_with_its_invitation(
        db, inbox, booked, tutor, learner):
    assert send_due() == 1
    [message] = inbox.messages()
    assert message["To"] == learner.email
    assert message["Subject"] == f"Booked: {TITLE}"
    assert message.is_multipart()
    [body] = parts(message)["text/plain"]
    assert "Your place is booked." in body.get_content()
    assert "10:00 to 11:00 (UK time)" in body.get_content()

    calendar = the_calendar_of(message, "REQUEST")
    [event] = calendar.events
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["ORGANIZER"]) == f"mailto:{tutor.email}"
    assert event["ORGANIZER"].params["CN"] == tutor.name
    assert attendees(event) == [f"mailto:{learner.email}"]
    assert event["ATTENDEE"].params["CN"] == learner.name
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == booked["starts"]
    assert event.decoded("DTSTART").strftime("%H:%M") == "10:00"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "https://meet.example/xyz"
    # The zone's definition travels with it, for calendars that do not know it.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_cancelled_place_is_emailed_as_a_cancel_of_the_same_event(
        db, client, auth, inbox, booked, learner):
    assert send_due() == 1
    response = client.post(f"/api/v1/tutorials/bookings/{booked['booking']['id']}/cancel",
                           json={"reason": "Working that day"}, headers=auth(learner))
    assert response.status_code == 200, response.get_json()
    assert send_due() == 1
    invited, cancelled = inbox.messages()
    assert cancelled["Subject"] == f"Cancelled: {TITLE}"
    assert "Reason: Working that day" in parts(cancelled)["text/plain"][0].get_content()

    [request] = the_calendar_of(invited, "REQUEST").events
    [cancel] = the_calendar_of(cancelled, "CANCEL").events
    assert str(cancel["UID"]) == str(request["UID"])
    assert cancel.decoded("SEQUENCE") > request.decoded("SEQUENCE")
    assert str(cancel["STATUS"]) == "CANCELLED"
    assert cancel.decoded("DTSTART") == booked["starts"]

    # Booked again: the same event comes back, as a newer version than the cancellation.
    response = client.post(f"/api/v1/tutorials/sessions/{booked['session']['id']}/bookings",
                           json={}, headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    assert send_due() == 1
    [again] = the_calendar_of(inbox.messages()[-1], "REQUEST").events
    assert str(again["UID"]) == str(request["UID"])
    assert again.decoded("SEQUENCE") > cancel.decoded("SEQUENCE")
    assert str(again["STATUS"]) == "CONFIRMED"


def test_a_moved_session_is_emailed_as_a_newer_version_of_the_same_event(
        db, client, auth, inbox, booked, tutor):
    assert send_due() == 1
    later = london_at(next_weekday(4), 15)
    response = client.patch(f"/api/v1/tutorials/sessions/{booked['session']['id']}",
                            json={"starts_at": later.isoformat()}, headers=auth(tutor))
    assert response.status_code == 200, response.get_json()
    assert send_due() == 1
    invited, moved = inbox.messages()
    [request] = the_calendar_of(invited, "REQUEST").events
    [update] = the_calendar_of(moved, "REQUEST").events
    assert str(update["UID"]) == str(request["UID"])
    assert update.decoded("SEQUENCE") > request.decoded("SEQUENCE")
    assert update.decoded("DTSTART") == later
    assert update["DTSTART"].params["TZID"] == "Europe/London"


def test_the_notifications_api_gives_the_invitation_each_message_carries(
        db, client, auth, inbox, booked, learner, learners, create_session):
    # A second session, full, so that the learner is on its waitlist: a message without
    # an invitation (nothing to put in a calendar yet).
    [other] = learners(1)
    full = create_session(london_at(next_weekday(3), 14), capacity=1)
    for who, status in ((other, "booked"), (learner, "waitlisted")):
        response = client.post(f"/api/v1/tutorials/sessions/{full['id']}/bookings", json={},
                               headers=auth(who))
        assert response.get_json()["status"] == status

    response = client.get("/api/v1/notifications", headers=auth(learner))
    assert response.status_code == 200
    waitlisted, booked_message = response.get_json()["items"]  # newest first
    assert waitlisted["kind"] == "tutorial-waitlisted" and waitlisted["calendar"] is None
    assert booked_message["kind"] == "tutorial-booked"
    path = booked_message["calendar"]
    assert path == f"/api/v1/notifications/{booked_message['id']}/calendar.ics"

    response = client.get(path, headers=auth(learner))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.get_data(as_text=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.events
    assert str(event["SUMMARY"]) == TITLE
    assert attendees(event) == [f"mailto:{learner.email}"]

    # The API's copy is the e-mailed one.
    assert send_due() == 3
    [emailed] = [m for m in inbox.messages() if m["To"] == learner.email
                 and m["Subject"] == f"Booked: {TITLE}"]
    assert str(the_calendar_of(emailed, "REQUEST").events[0]["UID"]) == str(event["UID"])

    response = client.get(f"/api/v1/notifications/{waitlisted['id']}/calendar.ics",
                          headers=auth(learner))
    assert response.status_code == 404
    response = client.get(path, headers=auth(other))  # someone else's message
    assert response.status_code == 404
    assert client.get(path).status_code == 401
