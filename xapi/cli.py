"""`lms xapi ...` (or `flask xapi ...`): LRS clients and bulk operations."""

import json
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from xapi.auth import SCOPES, create_client, list_clients, revoke_client


def _engine():
    return current_app.extensions["xapi"].engine


@click.group("xapi")
def xapi_group():
    """The xAPI Learning Record Store."""


@xapi_group.group("clients")
def clients_group():
    """LRS credentials (HTTP Basic key and secret, with scopes)."""


@clients_group.command("create")
@click.option("--name", required=True, help="Who the credentials are for.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES),
              help="Repeat for several scopes.")
@click.option("--json", "as_json", is_flag=True, help='Print {"key": ..., "secret": ...}.')
@with_appcontext
def clients_create(name, scopes, as_json):
    """Create LRS credentials; the secret is printed once."""
    with _engine().begin() as connection:
        key, secret = create_client(connection, name, scopes, current_app.config.get(
            "BASE_URL", "http://localhost"))
    if as_json:
        click.echo(json.dumps({"key": key, "secret": secret}))
    else:
        click.echo(f"key:    {key}\nsecret: {secret}\n(the secret is not shown again)")


@clients_group.command("list")
@with_appcontext
def clients_list():
    """List LRS credentials (never their secrets)."""
    with _engine().connect() as connection:
        for client in list_clients(connection):
            state = "revoked" if client["revoked_at"] else "active"
            click.echo(f"{client['key']}\t{client['name']}\t{','.join(client['scopes'])}"
                       f"\t{state}")


@clients_group.command("revoke")
@click.argument("key")
@with_appcontext
def clients_revoke(key):
    """Revoke the credentials with KEY."""
    with _engine().begin() as connection:
        if not revoke_client(connection, key):
            raise click.ClickException(f"no active client with key {key}")
    click.echo(f"revoked {key}")


__all__ = ["clients_group", "timedelta", "xapi_group"]
