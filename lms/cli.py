"""The `lms` command: `lms init | demo | serve | scheduler | catalogue | users | tokens | db`.

`lms` is Flask's command group bound to `create_app`, so `lms routes` and `lms shell` work too,
and Flask-Migrate adds `lms db ...` for schema migrations.
"""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from lms.access import ROLES
from lms.extensions import db


def _create_app():
    from lms import create_app

    return create_app()


def main() -> None:
    """Entry point of the `lms` console script."""
    cli = FlaskGroup(create_app=_create_app, load_dotenv=False, set_debug_flag=False,
                     help="Pathway: run and operate the learning-management service.")
    cli.main(prog_name="lms")


def init_app(app) -> None:
    """Attach Pathway's commands to the app's command group."""
    from activities.cli import activity_types_command

    for command in (init_command, demo_command, serve_command, scheduler_command,
                    catalogue_group, users_group, tokens_group, activity_types_command):
        app.cli.add_command(command)


def upgrade_schema() -> None:
    """Bring the database schema to the newest migration."""
    from flask_migrate import upgrade

    upgrade(directory=str(Path(__file__).parent / "migrations"))


def initialise(demo: bool = False) -> list[str]:
    """Create or upgrade the schema, load the default catalogue, and optionally the demo data.

    Idempotent: running it again changes nothing. Returns what it did, line by line.
    """
    from lms.catalogue import DEFAULT_CATALOGUE
    from lms.catalogue.operations import load_file

    upgrade_schema()
    done = ["schema: up to date"]
    changed = False
    for path in [DEFAULT_CATALOGUE, *current_app.config.get("CATALOGUE_FILES", [])]:
        report = load_file(path)
        db.session.commit()
        changed = changed or report.changed
        done.append(f"catalogue {report.summary()}")
    if changed:
        done.append(recompute_progress())
    from lms.invoicing.prices import load_prices

    added = load_prices()
    db.session.commit()
    if added:
        done.append(f"prices: {added} added")
    if demo:
        from lms.demo import create_demo

        done.append(create_demo())
        db.session.commit()
    return done


def recompute_progress() -> str:
    """After a catalogue change (hours, required activities, completion settings), progress
    is rebuilt from the learning record, so it never keeps figures of the old catalogue."""
    from lms.progress.projection import rebuild

    counts = rebuild()
    return f"progress: recomputed from {counts['statements']} statements (the catalogue changed)"


@click.command("init")
@click.option("--demo", is_flag=True, help="Also create the demo intake, people and progress.")
@with_appcontext
def init_command(demo):
    """Create or upgrade the database and load the default catalogue (safe to repeat)."""
    from lms.catalogue.fileformat import CatalogueError

    try:
        for line in initialise(demo=demo):
            click.echo(line)
    except CatalogueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


@click.command("demo")
@with_appcontext
def demo_command():
    """Create the demo intake, organisation, cohort, people and progress (safe to repeat)."""
    from lms.demo import create_demo

    click.echo(create_demo())
    db.session.commit()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-scheduler", is_flag=True, help="Do not start the scheduler process.")
@click.option("--demo", is_flag=True, help="Create the demo data first (if not there yet).")
@with_appcontext
def serve_command(host, port, workers, no_scheduler, demo):
    """Create or upgrade the database, then run the web server (gunicorn) and the one
    scheduler process until Ctrl-C or SIGTERM."""
    from lms.serve import serve

    click.echo("\n".join(initialise(demo=demo)))
    db.session.remove()
    db.engine.dispose()  # the children open their own connections
    sys.exit(serve(host, port, workers, scheduler=not no_scheduler))


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler in this process (one per deployment) until Ctrl-C or SIGTERM."""
    from lms.scheduler.runner import SchedulerAlreadyRunning, run

    try:
        run(current_app._get_current_object())
    except SchedulerAlreadyRunning as exc:
        raise click.ClickException(f"not started: {exc}") from exc


@click.group("catalogue")
def catalogue_group():
    """Check and load catalogue files."""


@catalogue_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@with_appcontext
def catalogue_check(files):
    """Check catalogue FILES without changing anything."""
    from lms.catalogue.fileformat import CatalogueError
    from lms.catalogue.operations import check_file

    failed = False
    for path in files:
        try:
            document = check_file(path)
        except CatalogueError as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        q = document["qualification"]
        click.echo(f"{path}: ok: {q['title']}: {len(q['units'])} units, {q['credits']} "
                   f"credits, {q['hours']:f} hours")
    if failed:
        sys.exit(1)


@catalogue_group.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@with_appcontext
def catalogue_load(files):
    """Load catalogue FILES (all or nothing: one bad file loads none of them)."""
    from lms.catalogue.fileformat import CatalogueError
    from lms.catalogue.operations import load_file

    try:
        reports = [load_file(path) for path in files]
    except CatalogueError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing loaded:\n{exc}") from exc
    db.session.commit()
    for report in reports:
        click.echo(report.summary())
    if any(report.changed for report in reports):
        click.echo(recompute_progress())


@click.group("users")
def users_group():
    """Create and manage accounts."""


def _read_password(password):
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(ROLES))
@click.option("--password", help="Prompted for when not given.")
@with_appcontext
def users_create(email, name, roles, password):
    """Create an account with one or more --role."""
    from lms.errors import PathwayError
    from lms.people.operations import create_user

    try:
        user = create_user(email, name, roles, password=_read_password(password))
    except PathwayError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    click.echo(f"created {user.email} ({', '.join(sorted(user.role_names))}) id {user.public_id}")


@users_group.command("set-password")
@click.argument("email")
@click.option("--password", help="Prompted for when not given.")
@with_appcontext
def users_set_password(email, password):
    """Set the password of the account with EMAIL."""
    from lms.errors import PathwayError
    from lms.people.operations import set_password, user_by_email

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    try:
        set_password(user, _read_password(password))
    except PathwayError as exc:
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    click.echo(f"password set for {user.email}")


@users_group.command("list")
@with_appcontext
def users_list():
    """List accounts."""
    from lms.people.models import User

    for user in db.session.execute(db.select(User).order_by(User.email)).scalars():
        state = "" if user.active else " (disabled)"
        click.echo(f"{user.email}\t{user.name}\t{','.join(sorted(user.role_names))}{state}")


@click.group("tokens")
def tokens_group():
    """Personal API tokens."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--name", default="cli", show_default=True)
@click.option("--days", type=int, help="Days until it expires (default 90).")
@click.option("--json", "as_json", is_flag=True, help="Print {\"token\": ..., ...} as JSON.")
@with_appcontext
def tokens_create(email, name, days, as_json):
    """Make a personal API token for the account with EMAIL; it is printed once."""
    from lms.errors import PathwayError
    from lms.people.operations import create_token, user_by_email

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    try:
        token, secret = create_token(user, name, days)
    except PathwayError as exc:
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    if as_json:
        click.echo(json.dumps({"token": secret, "id": token.id,
                               "expires_at": token.expires_at.isoformat()}))
    else:
        click.echo(secret)
        click.echo(f"(token {token.id} for {user.email}, expires "
                   f"{token.expires_at:%Y-%m-%d}; it will not be shown again)", err=True)
