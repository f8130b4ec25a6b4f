"""`GET /healthz`: is the database answering, and is the scheduler alive?"""

from datetime import timedelta

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.access import allow
from lms.extensions import db
from lms.scheduler.jobs import HEARTBEAT
from lms.scheduler.models import SchedulerHeartbeat
from lms.timeutil import utcnow

bp = Blueprint("health", __name__)


def scheduler_state() -> dict:
    """`running`, `stale` (no heartbeat lately), `stopped` or `never started`."""
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    if beat is None:
        return {"state": "never started"}
    age = (utcnow() - beat.beat_at).total_seconds()
    limit = timedelta(seconds=3 * current_app.config["SCHEDULER_HEARTBEAT_SECONDS"])
    state = beat.state
    if state == "running" and age > limit.total_seconds():
        state = "stale"
    return {"state": state, "pid": beat.pid, "host": beat.hostname,
            "started_at": beat.started_at.isoformat(), "last_heartbeat": beat.beat_at.isoformat(),
            "seconds_since_heartbeat": round(age, 1)}


@bp.get("/healthz")
@allow("anyone")
def healthz():
    """200 when the database answers (the scheduler's state is reported either way), else 503."""
    try:
        db.session.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": db.engine.dialect.name}
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="unavailable", database={"ok": False, "error": type(exc).__name__},
                       scheduler={"state": "unknown"}), 503
    try:
        scheduler = scheduler_state()
    except SQLAlchemyError:
        db.session.rollback()
        scheduler = {"state": "unknown (schema not initialised; run `lms init`)"}
    status = "ok" if scheduler["state"] == "running" else "degraded"
    return jsonify(status=status, database=database, scheduler=scheduler), 200


def init_app(app):
    """Register `/healthz`."""
    app.register_blueprint(bp)
