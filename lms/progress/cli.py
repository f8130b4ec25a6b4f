"""`lms progress`: rebuild the projection from the learning record; show a learner's standing."""

import time

import click
from flask.cli import with_appcontext


@click.group()
def progress():
    """Progress toward hours, units and credits."""


@progress.command("rebuild")
@with_appcontext
def rebuild_command():
    """Recompute all progress from the statements in the LRS."""
    from lms.progress.projection import rebuild

    started = time.monotonic()
    counts = rebuild()
    click.echo(f"progress rebuilt from {counts['statements']} statements: "
               f"{counts['events']} learning events, {counts['activities']} activity records, "
               f"{counts['enrolments']} enrolments ({time.monotonic() - started:.1f} s)")


@progress.command("show")
@click.argument("email")
@with_appcontext
def show_command(email):
    """A learner's hours, credits and units, enrolment by enrolment."""
    from lms.enrolment.operations import enrolments_of
    from lms.people.operations import user_by_email
    from lms.progress.reports import enrolment_progress

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"{email}: no such account")
    for enrolment in enrolments_of(user):
        report = enrolment_progress(enrolment)
        hours, credits = report["hours"], report["credits"]
        click.echo(f"{report['qualification']['title']} (enrolment {enrolment.id}, window ends "
                   f"{enrolment.window_ends:%-d %B %Y})")
        click.echo(f"  hours {hours['total']:g}/{hours['target']:g} (guided "
                   f"{hours['guided']:g}, self-study {hours['self_study']:g}); credits "
                   f"{credits['awarded']}/{credits['target']}; forecast "
                   f"{report['forecast']['status']}")
        for unit in report["units"]:
            done = sum(a["complete"] for a in unit["activities"])
            click.echo(f"  unit {unit['number']}: {unit['status']} ({done}/"
                       f"{len(unit['activities'])} activities, {unit['credits_awarded']} "
                       "credits)")
