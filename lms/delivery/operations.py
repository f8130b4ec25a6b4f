"""Launching an activity: the checks, the launch credentials, the `launched` statement and the
type's own `launch` hook."""

from datetime import UTC, datetime

import marshmallow as ma
from flask import current_app, url_for

from activities.base import Launch, LaunchContext, NotReady
from lms.catalogue.iris import activity_iri
from lms.catalogue.models import Activity
from lms.enrolment.models import Enrolment
from lms.errors import Conflict, Forbidden, NotFound, field_errors
from lms.extensions import db
from lms.progress.record import LAUNCHED, activity_statement, learner_agent, record_statements
from xapi import service as lrs

LAUNCHABLE = ("active",)


def activity_type(activity: Activity):
    """The installed type of `activity`, or 409 when its plugin is not installed."""
    found = current_app.extensions["lms.activity_types"].get(activity.type)
    if found is None:
        raise Conflict(f"Activity {activity.slug!r} is of type {activity.type!r}, which is not "
                       "installed on this server.")
    return found


def checked_config(kind, activity: Activity) -> dict:
    """The activity's configuration as its type reads it, or 409 when the stored configuration
    no longer fits the type (say, a catalogue loaded before the type changed its rules)."""
    try:
        return kind.validate_config(activity.config)
    except ma.ValidationError as exc:
        faults = "; ".join(f"{e['field']}: {e['detail']}"
                           for e in field_errors(exc.messages, "config"))
        raise Conflict(f"activity: the stored configuration of activity {activity.slug!r} no "
                       f"longer fits its type {activity.type!r} ({faults}); an administrator "
                       "must correct it in the catalogue.") from exc


def activity_of_enrolment(enrolment: Enrolment, slug: str) -> Activity:
    """The current activity `slug` of the enrolment's qualification, or 404."""
    from lms.catalogue.models import Unit

    activity = db.session.execute(
        db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Activity.slug == slug, Activity.retired.is_(False),
               Unit.qualification_id == enrolment.intake.qualification_id)).scalar_one_or_none()
    if activity is None:
        raise NotFound(f"activity: there is no activity {slug!r} in the qualification of "
                       f"enrolment {enrolment.id}.")
    return activity


def current_package(activity: Activity):
    """The activity's current uploaded content package, or None."""
    from lms.content.models import ContentPackage

    return db.session.execute(
        db.select(ContentPackage).where(ContentPackage.activity_id == activity.id,
                                        ContentPackage.current.is_(True))
        .order_by(ContentPackage.id.desc()).limit(1)).scalar_one_or_none()


def content_url(path: str) -> str:
    """The URL of a file of the content folder."""
    return url_for("learn.content_file", path=path)


def launch_activity(learner, enrolment: Enrolment, activity: Activity) -> Launch:
    """Launch `activity` for `learner` under `enrolment` and return what to open.

    Only the enrolment's own learner may launch, only while the enrolment is active. Records
    `launched` in the LRS (after the type has said what to open, so a launch that cannot
    happen records nothing). Commits: the LRS writes on its own connection."""
    if enrolment.learner_id != learner.id:
        raise Forbidden("Only the enrolled learner can launch their activities.")
    if enrolment.status not in LAUNCHABLE:
        when = f" It starts on {enrolment.start_date:%-d %B %Y}." \
            if enrolment.status == "pending" else ""
        raise Conflict(f"Enrolment {enrolment.id} is {enrolment.status}: its activities cannot "
                       f"be launched.{when}")
    kind = activity_type(activity)
    config = checked_config(kind, activity)
    db.session.commit()  # nothing of ours may hold SQLite's write lock while the LRS writes
    actor = learner_agent(learner).as_version("1.0.3")
    auth = lrs.launch_credentials(actor, enrolment.registration,
                                  current_app.config["LAUNCH_CREDENTIALS_MINUTES"]) \
        if kind.needs_credentials(config) else None
    context = LaunchContext(
        activity=activity, enrolment=enrolment, activity_id=activity_iri(activity),
        actor=actor, registration=enrolment.registration,
        endpoint=lrs.endpoint_url() if auth else None, auth=auth,
        player_url=url_for("learn.player", enrolment_id=enrolment.id, slug=activity.slug),
        content_url=content_url, package=current_package(activity))
    try:
        launch = kind.launch(context)
    except Exception as exc:
        if auth is not None:  # made for a launch that does not happen: nothing may use them
            lrs.revoke_launch_credentials(auth)
        if isinstance(exc, NotReady):
            raise Conflict(f"activity: {exc}") from exc
        raise
    record_statements([activity_statement(enrolment, activity, LAUNCHED,
                                          datetime.now(UTC))])
    return launch
