"""`lms xapi ...` (or `flask xapi ...`): LRS clients and bulk operations."""

import json

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


@xapi_group.group("forwarding")
def forwarding_group():
    """Forward stored statements to upstream LRSs."""


@forwarding_group.command("add")
@click.option("--name", required=True)
@click.option("--endpoint", required=True, help="The upstream's xAPI base URL.")
@click.option("--username", default="", help="Its Basic key.")
@click.option("--password", default="", help="Its Basic secret.")
@click.option("--verb", "verbs", multiple=True, help="Forward only these verbs (repeatable).")
@click.option("--activity-prefix", help="Forward only activities whose id starts with this.")
@with_appcontext
def forwarding_add(name, endpoint, username, password, verbs, activity_prefix):
    """Forward statements stored from now on to an upstream LRS."""
    from xapi.forwarding import add_target

    try:
        with _engine().begin() as connection:
            add_target(connection, name, endpoint, username, password, verbs, activity_prefix)
    except ValueError as exc:  # a bad endpoint, or the name is taken
        raise click.ClickException(str(exc)) from exc
    click.echo(f"forwarding to {name} ({endpoint})")


@forwarding_group.command("remove")
@click.argument("name")
@with_appcontext
def forwarding_remove(name):
    """Stop forwarding to NAME."""
    from xapi.forwarding import remove_target

    with _engine().begin() as connection:
        if not remove_target(connection, name):
            raise click.ClickException(f"no forwarding target {name}")
    click.echo(f"stopped forwarding to {name}")


@forwarding_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def forwarding_status(as_json):
    """How far each target has got: pending, sent, oldest pending, last error."""
    from xapi.forwarding import status

    report = status(_engine())
    if as_json:
        click.echo(json.dumps(report, default=str))
        return
    if not report:
        click.echo("no forwarding targets")
    for target in report:
        state = "active" if target["active"] else "removed"
        age = target["oldest_pending_seconds"]
        click.echo(f"{target['name']} ({state}) {target['endpoint']}: {target['pending']} "
                   f"pending{f', oldest {age} s' if age is not None else ''}, "
                   f"{target['sent']} sent, {target['refused']} refused"
                   f"{'; last error: ' + target['last_error'] if target['last_error'] else ''}")


@forwarding_group.command("retry")
@click.argument("name")
@with_appcontext
def forwarding_retry(name):
    """Send NAME's refused statements again (after the upstream was put right)."""
    from xapi.forwarding import retry_refused

    try:
        with _engine().begin() as connection:
            count = retry_refused(connection, name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{name}: {count} refused statements queued again")


@forwarding_group.command("drain")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 600),
              help="Seconds to wait for an upstream before giving up on it.")
@with_appcontext
def forwarding_drain(timeout):
    """Send what is due now (the scheduler does this every few seconds)."""
    import socket

    from xapi.forwarding import drain

    socket.setdefaulttimeout(timeout)  # tincan sets none: a stalled upstream must not hang us

    for name, count in drain(_engine()).items():
        click.echo(f"{name}: sent {count}")


@xapi_group.command("export")
@click.option("--as", "kind", type=click.Choice(["ndjson", "csv"]), default="ndjson",
              show_default=True)
@click.option("--agent", help="An Agent as JSON.")
@click.option("--verb")
@click.option("--activity")
@click.option("--registration")
@click.option("--since", help="ISO 8601; stored after this.")
@click.option("--until", help="ISO 8601; stored at or before this.")
@click.option("--related", is_flag=True, help="Match related agents and activities too.")
@click.option("-o", "--output", type=click.File("w"), default="-")
@with_appcontext
def export_command(kind, agent, verb, activity, registration, since, until, related, output):
    """Write every matching statement (oldest first) as NDJSON or CSV."""
    from xapi import export
    from xapi.query import Query
    from xapi.validation import inverse_functional_identifier, parse_timestamp

    query = Query(verb=verb, activity=activity, registration=registration, since=since,
                  until=until, related_activities=related, related_agents=related)
    if agent:
        try:
            query.agent = inverse_functional_identifier(json.loads(agent))
        except (ValueError, AttributeError) as exc:
            raise click.ClickException(f"--agent is not an Agent as JSON: {exc}") from exc
        if query.agent is None:
            raise click.ClickException("--agent names no mbox, mbox_sha1sum, openid or "
                                       "account: it would match every learner")
    writer = export.csv_lines if kind == "csv" else export.ndjson
    for chunk in writer(_engine(), query, lambda v: parse_timestamp(v, "1.0.3")):
        output.write(chunk)


@xapi_group.command("import")
@click.argument("source", type=click.File("rb"))
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1, 10_000),
              help="Statements per transaction.")
@click.option("--version", "version", default="1.0.3", show_default=True,
              type=click.Choice(["1.0.3", "2.0.0"]), help="xAPI rules to validate against.")
@with_appcontext
def import_command(source, batch, version):
    """Store the statements of SOURCE (JSON lines, or one JSON array; '-' for stdin).

    Each batch is validated by the same rules as POST and stored in one transaction (with
    an `import` authority; attachments cannot be imported); a bad statement stops the import
    at that batch, with every earlier batch kept."""
    import time

    from xapi.service import import_authority, record

    started, total, pending, line_number = time.monotonic(), 0, [], 0
    for line_number, statement in _read_statements(source):
        pending.append(statement)
        if len(pending) >= batch:
            total += _import(record, pending, version, line_number, import_authority())
            pending = []
    if pending:
        total += _import(record, pending, version, line_number, import_authority())
    seconds = time.monotonic() - started
    click.echo(f"imported {total} statements in {seconds:.1f} s "
               f"({total / seconds if seconds else 0:.0f}/s)")


def _read_statements(source):
    head = source.peek(1)[:1] if hasattr(source, "peek") else b""
    if head.lstrip()[:1] == b"[":
        yield from enumerate(json.load(source), start=1)
        return
    for number, raw in enumerate(source, start=1):
        if raw.strip():
            try:
                yield number, json.loads(raw)
            except ValueError as exc:
                raise click.ClickException(f"line {number}: not JSON ({exc})") from exc


def _import(record, statements, version, last_line, authority) -> int:
    from xapi.errors import XAPIError

    try:
        record(statements, authority, version, authority_key="import")
    except XAPIError as exc:
        first = last_line - len(statements) + 1
        raise click.ClickException(f"lines {first}-{last_line}: {exc.message} "
                                   "(earlier batches were imported)") from exc
    return len(statements)
