"""Schemas of the notifications API."""

import marshmallow as ma

from lms.api import PageArgs, page_schema


class NotificationSchema(ma.Schema):
    """One message to the caller."""

    id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.String(dump_only=True)
    subject = ma.fields.String(dump_only=True)
    body = ma.fields.String(dump_only=True)
    data = ma.fields.Dict(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    read_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    sent_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True,
                                      metadata={"description": "When it was e-mailed."})
    calendar = ma.fields.Function(
        lambda n: (f"/api/v1/notifications/{n.id}/calendar.ics" if n.calendar else None),
        dump_only=True, metadata={"description": "The calendar invitation sent with it (a "
                                                 "tutorial's), if any: its path."})


class NotificationArgs(PageArgs):
    """Query arguments of the list."""

    unread = ma.fields.Boolean(load_default=None,
                               metadata={"description": "Only unread (true) or read (false)."})


NotificationPage = page_schema(NotificationSchema, "NotificationPage")
