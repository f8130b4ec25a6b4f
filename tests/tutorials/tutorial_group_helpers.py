"""Helpers of the group-session tests: calls to the tutorials API, the fields a refusal
names, and the messages (with their calendar invitations) people were sent."""

from datetime import datetime

from icalendar import Calendar

from lms.extensions import db
from lms.notifications.models import Notification

API = "/api/v1/tutorials"


def book(client, headers, session_id, **body):
    """POST a booking of a group session; the response."""
    return client.post(f"{API}/sessions/{session_id}/bookings", json=body, headers=headers)


def booked(client, headers, session_id, status="booked", **body) -> dict:
    """Book a group session and check the outcome; the booking's JSON."""
    response = book(client, headers, session_id, **body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == status
    return response.get_json()


def fields(response) -> list[str]:
    """The fields a 422 problem names (a schema's refusals say where, e.g. "json.capacity":
    only the field's name is kept)."""
    assert response.status_code == 422, response.get_json()
    return [error["field"].removeprefix("json.")
            for error in response.get_json().get("errors", [])]


def get(client, headers, path) -> dict | list:
    """GET an API path that must answer 200; its JSON."""
    response = client.get(f"{API}{path}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def when(value: str) -> datetime:
    """A timestamp of the API's JSON, as an aware datetime."""
    return datetime.fromisoformat(value)


def messages(user, kind: str | None = None) -> list[Notification]:
    """`user`'s stored messages (of `kind`), oldest first."""
    statement = db.select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    return list(db.session.execute(statement.order_by(Notification.id)).scalars())


def only_message(user, kind: str) -> Notification:
    found = messages(user, kind)
    assert len(found) == 1, [(m.kind, m.subject) for m in messages(user)]
    return found[0]


def invitation(message: Notification):
    """The calendar a message carries, read as a calendar program does: (METHOD, its event)."""
    assert message.calendar, f"message {message.kind!r} carries no invitation"
    return read_invitation(message.calendar)


def read_invitation(text: str):
    """(METHOD, its one event) of an iCalendar invitation."""
    calendar = Calendar.from_ical(text)
    [event] = calendar.events
    return str(calendar["METHOD"]), event
