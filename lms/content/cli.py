"""`lms content import ACTIVITY_SLUG FILE`: import a content package from the command line."""

import sys

import click
from flask.cli import with_appcontext

from lms.extensions import db


@click.group("content")
def content_group():
    """Content packages of activities."""


@content_group.command("import")
@click.argument("activity_slug")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def content_import(activity_slug, file):
    """Import FILE (a zip with tincan.xml) as the content package of ACTIVITY_SLUG. A refused
    package is reported as `FILE: reason`, exits with status 1 and stores nothing."""
    from lms.catalogue.operations import activity_by_slug
    from lms.content.operations import commit_import, import_package
    from lms.content.safe_zip import PackageRefused
    from lms.errors import PathwayError

    try:
        activity = activity_by_slug(activity_slug)
        with open(file, "rb") as source:
            package = import_package(activity, source)
        commit_import(package)
    except PackageRefused as exc:
        db.session.rollback()
        _fail(f"{file}: {exc.reason}")
    except PathwayError as exc:
        db.session.rollback()
        _fail(f"{file}: {exc.detail}")
    except OSError as exc:
        db.session.rollback()
        _fail(f"{file}: {exc.strerror or exc}")
    click.echo(f"{file}: imported {package.title!r} for {activity.slug} "
               f"({package.file_count} files, {package.size} bytes; launches "
               f"{package.launch_path}; activity id {package.root_activity_id})")


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)
