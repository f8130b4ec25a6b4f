"""`lms activity-types`: the activity types installed on this server (built in or added by a
plugin package through the `lms.activities` entry points)."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext


def describe(activity_type) -> dict:
    """What an operator needs to know about an installed type."""
    return {"name": activity_type.name, "title": activity_type.title,
            "learning": activity_type.learning, "assessed": activity_type.assessed,
            "tracks_in_browser": activity_type.tracks_in_browser,
            "module": type(activity_type).__module__}


@click.command("activity-types")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@with_appcontext
def activity_types_command(as_json):
    """List the installed activity types: name, title, default learning hours (guided or
    self-study), whether a tutor's judgement completes it, and the module it comes from."""
    types = [describe(t) for _, t in sorted(current_app.extensions["lms.activity_types"]
                                            .items())]
    if as_json:
        click.echo(json.dumps(types, indent=2))
        return
    click.echo("name\ttitle\tlearning\tassessed\tmodule")
    for t in types:
        click.echo(f"{t['name']}\t{t['title']}\t{t['learning']}\t"
                   f"{'yes' if t['assessed'] else 'no'}\t{t['module']}")
