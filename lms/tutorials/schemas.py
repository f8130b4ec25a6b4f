"""Schemas of the tutorials API."""

import re

import marshmallow as ma
from marshmallow import fields as F
from marshmallow import validate as V

from lms.api import PageArgs, page_schema
from lms.tutorials.operations import config_hours, waitlist_position, when_text

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Weekday(F.Field):
    """A day of the week: its English name ("tuesday") or 0 (Monday) to 6 (Sunday)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else WEEKDAYS[value]

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return value
        if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
            return WEEKDAYS.index(value.strip().lower())
        raise ma.ValidationError("must be a day of the week: monday ... sunday, or 0 (Monday) "
                                 "to 6 (Sunday)")


class LocalTime(F.Time):
    """A Europe/London wall-clock time, "HH:MM"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        # Minutes only: seconds would be kept but never shown, and an offset means nothing for
        # a London wall-clock time (and made comparing the two times fail).
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
            raise ma.ValidationError('must be a time as "HH:MM", e.g. "09:30"')
        return super()._deserialize(value.strip(), attr, data, **kwargs)


class WindowSchema(ma.Schema):
    weekday = Weekday(required=True)
    starts = LocalTime(required=True, metadata={"description": "HH:MM, Europe/London."})
    ends = LocalTime(required=True, metadata={"description": "HH:MM, Europe/London."})

    @ma.validates_schema
    def _ends_after_start(self, data, **kwargs):
        if "starts" in data and "ends" in data and data["ends"] <= data["starts"]:
            raise ma.ValidationError("must be after starts", "ends")


class AvailabilitySchema(ma.Schema):
    """A tutor's weekly windows for individual tutorials (Europe/London) and slot settings."""

    windows = F.List(F.Nested(WindowSchema), required=True, validate=V.Length(max=50))
    slot_minutes = F.Integer(load_default=None, validate=V.Range(min=15, max=240),
                             metadata={"description": "Length of an individual tutorial."})
    buffer_minutes = F.Integer(load_default=None, validate=V.Range(min=0, max=120),
                               metadata={"description": "Gap kept after each tutorial."})
    timezone = F.Constant("Europe/London", dump_only=True)


class ExceptionSchema(ma.Schema):
    """Days (or a time on those days) when the tutor is not available: leave, bank holidays."""

    id = F.Integer(dump_only=True)
    first_day = F.Date(required=True)
    last_day = F.Date(load_default=None, metadata={"description": "Default: first_day."})
    starts = LocalTime(load_default=None, allow_none=True,
                       metadata={"description": "Omit (with ends) for whole days."})
    ends = LocalTime(load_default=None, allow_none=True)
    reason = F.String(load_default="", validate=V.Length(max=200))

    @ma.validates_schema
    def _consistent(self, data, **kwargs):
        if data.get("last_day") and data.get("first_day") and data["last_day"] < data["first_day"]:
            raise ma.ValidationError("must not be before first_day", "last_day")
        if (data.get("starts") is None) != (data.get("ends") is None):
            raise ma.ValidationError("give both starts and ends, or neither (whole days)",
                                     "ends" if data.get("starts") else "starts")
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            raise ma.ValidationError("must be after starts", "ends")


class SlotArgs(ma.Schema):
    start = F.Date(data_key="from", load_default=None,
                   metadata={"description": "First London day (default: today)."})
    end = F.Date(data_key="to", load_default=None,
                 metadata={"description": "Last London day (default: four weeks on; at most "
                                          "62 days after `from`)."})


class SlotSchema(ma.Schema):
    starts_at = F.AwareDateTime()
    ends_at = F.AwareDateTime()
    starts_local = F.Function(lambda s: when_text(s["starts_at"]),
                              metadata={"description": "In Europe/London, in words."})


class SlotsSchema(ma.Schema):
    tutor = F.Dict()
    slot_minutes = F.Integer()
    slots = F.List(F.Nested(SlotSchema))


def _brief_user(user):
    """A person as the API names them: their public id and name."""
    return None if user is None else {"id": user.public_id, "name": user.name}


class SessionSchema(ma.Schema):
    """A tutorial session. Learners see counts, not who else is booked."""

    id = F.Integer(dump_only=True)
    kind = F.String(dump_only=True)
    status = F.String(dump_only=True)
    title = F.String()
    description = F.String()
    activity = F.Function(lambda s: {"slug": s.activity.slug, "title": s.activity.title})
    unit = F.Function(lambda s: {"number": s.activity.unit.number,
                                 "title": s.activity.unit.title})
    tutor = F.Function(lambda s: _brief_user(s.tutor))
    starts_at = F.AwareDateTime()
    ends_at = F.AwareDateTime()
    starts_local = F.Function(lambda s: when_text(s.starts_at))
    minutes = F.Integer(dump_only=True)
    capacity = F.Integer()
    places_taken = F.Integer(dump_only=True)
    places_left = F.Function(lambda s: s.capacity - s.places_taken if s.status == "scheduled"
                             else 0)
    waitlist_length = F.Function(lambda s: sum(1 for b in s.bookings
                                               if b.status == "waitlisted"))
    meeting_url = F.String()
    series = F.Integer(attribute="series_id", dump_only=True, allow_none=True)
    cancel_reason = F.String(dump_only=True)
    my_booking = F.Method("_my_booking", metadata={
        "description": "The caller's own place (or waitlist place), if any."})

    def _my_booking(self, session):
        viewer = _current_viewer()
        if viewer is None:
            return None
        for booking in session.bookings:
            if booking.learner_id == viewer.id and booking.status != "cancelled":
                return {"id": booking.id, "status": booking.status,
                        "waitlist_position": waitlist_position(booking)}
        return None


def _current_viewer():
    from flask_login import current_user

    return current_user if current_user.is_authenticated else None


class SessionListArgs(ma.Schema):
    start = F.AwareDateTime(data_key="from", load_default=None,
                            metadata={"description": "From this time (default: now)."})
    end = F.AwareDateTime(data_key="to", load_default=None,
                          metadata={"description": "Until this time (default: 90 days on)."})
    kind = F.String(load_default=None, validate=V.OneOf(["group", "individual"]))
    activity = F.String(load_default=None, metadata={"description": "An activity's slug."})
    unit = F.Integer(load_default=None, validate=V.Range(min=1, max=1000),
                     metadata={"description": "A unit's number."})
    tutor = F.String(load_default=None, metadata={"description": "A tutor's public id."})
    include_cancelled = F.Boolean(load_default=False)


class SessionCreateSchema(ma.Schema):
    activity = F.String(required=True, metadata={
        "description": "Slug of the guided activity held (a group tutorial, a live webinar); "
                       "its unit is the session's unit."})
    tutor = F.String(load_default=None, metadata={
        "description": "Administrators only: the public id of the tutor who runs it (default: "
                       "the caller)."})
    title = F.String(load_default=None, validate=V.Length(min=3, max=200))
    description = F.String(load_default=None, validate=V.Length(max=5000))
    starts_at = F.AwareDateTime(required=True)
    ends_at = F.AwareDateTime(required=True)
    capacity = F.Integer(required=True, validate=V.Range(min=1, max=100))
    meeting_url = F.Url(load_default=None, schemes={"https", "http"}, require_tld=False,
                        validate=V.Length(max=500))
    weeks = F.Integer(load_default=1, validate=V.Range(min=1, max=52), metadata={
        "description": "Repeat weekly, at the same Europe/London time, this many weeks."})


class SessionUpdateSchema(ma.Schema):
    title = F.String(validate=V.Length(min=3, max=200))
    description = F.String(validate=V.Length(max=5000))
    starts_at = F.AwareDateTime()
    ends_at = F.AwareDateTime()
    capacity = F.Integer(validate=V.Range(min=1, max=100))
    meeting_url = F.Url(schemes={"https", "http"}, require_tld=False,
                        validate=V.Length(max=500))
    reason = F.String(load_default="", validate=V.Length(max=1000),
                      metadata={"description": "Told to the learners with the change."})


class SessionCancelSchema(ma.Schema):
    reason = F.String(required=True, validate=V.Length(min=3, max=1000))
    series = F.Boolean(load_default=False, metadata={
        "description": "Also cancel the later sessions of its weekly series."})


class BookingSchema(ma.Schema):
    """A learner's place in a tutorial (or on its waitlist)."""

    id = F.Integer()
    status = F.String()
    waitlist_position = F.Function(waitlist_position)
    session = F.Function(lambda b: SessionSchema(exclude=["my_booking"]).dump(b.session))
    learner = F.Function(lambda b: _brief_user(b.learner))
    enrolment = F.Integer(attribute="enrolment_id")
    booked_at = F.AwareDateTime(allow_none=True)
    booked_by = F.Function(lambda b: _brief_user(b.booked_by))
    waitlisted_at = F.AwareDateTime(allow_none=True)
    cancelled_at = F.AwareDateTime(allow_none=True)
    cancel_reason = F.String()
    attendance = F.Function(lambda b: None if b.attendance_marked_at is None else {
        "attended": b.status == "attended", "minutes": b.attendance_minutes,
        "marked_at": b.attendance_marked_at.isoformat(),
        "marked_by": _brief_user(b.attendance_marked_by), "statement": b.statement_id})
    can_change_until = F.Method("_until", metadata={
        "description": "Until when the learner may cancel or move it themselves."})

    def _until(self, booking):
        if booking.status != "booked":
            return None
        return (booking.session.starts_at
                - config_hours("TUTORIAL_CHANGE_CUTOFF_HOURS")).isoformat()


class BookingListArgs(PageArgs):
    status = F.String(load_default=None, validate=V.OneOf(
        ["booked", "waitlisted", "cancelled", "attended", "no_show"]))
    upcoming = F.Boolean(load_default=None, metadata={
        "description": "Only tutorials still to come (true) or already begun (false)."})
    learner = F.String(load_default=None, metadata={"description": "A learner's public id."})
    session = F.Integer(load_default=None, validate=V.Range(min=1))


BookingPage = page_schema(BookingSchema, "BookingPage")


class BookPlaceSchema(ma.Schema):
    learner = F.String(load_default=None, metadata={
        "description": "Tutors and administrators: the public id of the learner to book for "
                       "(default: the caller)."})
    enrolment = F.Integer(load_default=None, metadata={
        "description": "Which of the learner's enrolments (default: the active one on the "
                       "tutorial's qualification)."})


class BookIndividualSchema(BookPlaceSchema):
    activity = F.String(required=True, metadata={
        "description": "Slug of an individual-tutorial activity (its unit counts toward the "
                       "allowance)."})
    starts_at = F.AwareDateTime(required=True, metadata={
        "description": "One of the tutor's free slots (GET /api/v1/tutors/<id>/slots)."})


class BookingCancelSchema(ma.Schema):
    reason = F.String(load_default="", validate=V.Length(max=1000))


class RescheduleSchema(ma.Schema):
    starts_at = F.AwareDateTime(load_default=None, metadata={
        "description": "Individual tutorials: another free slot of the tutor."})
    session = F.Integer(load_default=None, metadata={
        "description": "Group sessions: another session of the same tutorial."})
    reason = F.String(load_default="", validate=V.Length(max=1000))

    @ma.validates_schema
    def _one_of(self, data, **kwargs):
        if (data.get("starts_at") is None) == (data.get("session") is None):
            raise ma.ValidationError("give starts_at (individual tutorial) or session (group "
                                     "session), not both", "starts_at")


class AttendanceMarkSchema(ma.Schema):
    attended = F.Boolean(required=True, metadata={"description": "false: did not attend."})
    minutes = F.Integer(load_default=None, validate=V.Range(min=1, max=600), metadata={
        "description": "Minutes attended (default: the whole session)."})


class SessionAttendanceItem(AttendanceMarkSchema):
    booking = F.Integer(required=True)


class SessionAttendanceSchema(ma.Schema):
    marks = F.List(F.Nested(SessionAttendanceItem), required=True,
                   validate=V.Length(min=1, max=100))


class ChangeSchema(ma.Schema):
    id = F.Integer()
    session = F.Integer(attribute="session_id")
    booking = F.Integer(attribute="booking_id", allow_none=True)
    action = F.String()
    actor = F.Function(lambda c: _brief_user(c.actor))
    reason = F.String()
    details = F.Dict()
    created_at = F.AwareDateTime()


class FeedSchema(ma.Schema):
    url = F.String(metadata={"description": "Shown once, when made; keep it private."})
    created_at = F.AwareDateTime(allow_none=True)
    last_used_at = F.AwareDateTime(allow_none=True)
    exists = F.Boolean()
