"""Notifications API: the caller's own messages.

`GET  /api/v1/notifications` (newest first, paginated)
`POST /api/v1/notifications/<id>/read`
`GET  /api/v1/notifications/<id>/calendar.ics` (the invitation a message carries)
"""

from flask import Response, current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import _decode_cursor, _encode_cursor, next_link
from lms.errors import NotFound
from lms.extensions import db
from lms.notifications import operations, schemas
from lms.notifications.models import Notification

blp = Blueprint("notifications", __name__, url_prefix="/api/v1",
                description="The caller's messages (also e-mailed when SMTP is configured).")


def _newest_first(statement, args) -> dict:
    """One page of messages, newest first: `lms.api.paginate`'s cursors, walking down."""
    config = current_app.config
    limit = min(args.get("limit") or config["API_PAGE_DEFAULT"], config["API_PAGE_MAX"])
    if args.get("cursor"):
        statement = statement.where(Notification.id < _decode_cursor(args["cursor"]))
    rows = db.session.execute(
        statement.order_by(Notification.id.desc()).limit(limit + 1)).scalars().all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": _encode_cursor(rows[-1].id) if more else None}


@blp.route("/notifications")
class Notifications(MethodView):
    @allow("signed-in")
    @blp.arguments(schemas.NotificationArgs, location="query")
    @blp.response(200, schemas.NotificationPage)
    def get(self, args):
        """The caller's own messages, newest first."""
        statement = operations.notifications_of(current_user)
        if args.get("unread") is not None:
            statement = statement.where(Notification.read_at.is_(None) if args["unread"]
                                        else Notification.read_at.is_not(None))
        page = _newest_first(statement, args)
        return page, 200, next_link(page)


@blp.route("/notifications/<int:notification_id>/read")
class NotificationRead(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.NotificationSchema)
    def post(self, notification_id):
        """Mark one of the caller's messages read."""
        notification = operations.mark_read(
            operations.notification_for(current_user, notification_id))
        db.session.commit()
        return notification


@blp.route("/notifications/<int:notification_id>/calendar.ics")
class NotificationCalendar(MethodView):
    @allow("signed-in")
    @blp.response(200, content_type="text/calendar")
    def get(self, notification_id):
        """The iCalendar invitation (or cancellation) one of the caller's messages carries,
        as e-mailed: open it to add the tutorial to a calendar."""
        notification = operations.notification_for(current_user, notification_id)
        if not notification.calendar:
            raise NotFound(f"calendar: notification {notification_id} carries no invitation.")
        response = Response(notification.calendar, mimetype="text/calendar")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="pathway-{notification_id}.ics"')
        response.headers["Cache-Control"] = "private, no-store"
        return response
