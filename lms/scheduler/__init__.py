"""The scheduler: one APScheduler 3 process per deployment (`lms scheduler`, started by
`lms serve`), keeping its jobs in the database. Never started inside `create_app`."""


def init_app(app):
    """Make the heartbeat table known; the scheduler itself runs in its own process."""
    from lms.scheduler import models  # noqa: F401
