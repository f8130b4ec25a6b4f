"""`/api/v1/lrs/clients` and `/api/v1/lrs/forwarding` (administrators)."""

from datetime import UTC

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from lms.access import allow
from lms.errors import NotFound
from lms.lrs import schemas
from xapi.auth import create_client, list_clients, revoke_client
from xapi.forwarding import status

blp = Blueprint("lrs", __name__, url_prefix="/api/v1/lrs",
                description="Credentials of LRS clients, and forwarding to upstream LRSs.")


def _engine():
    return current_app.extensions["xapi"].engine


def _aware(row: dict) -> dict:
    for key in ("created_at", "expires_at", "revoked_at"):
        if row.get(key) is not None and row[key].tzinfo is None:
            row[key] = row[key].replace(tzinfo=UTC)
    return row


@blp.route("/clients")
class LrsClients(MethodView):
    @allow("admin")
    @blp.response(200, schemas.LrsClientSchema(many=True))
    def get(self):
        """Every LRS client, newest first (never their secrets)."""
        with _engine().connect() as connection:
            return [_aware(row) for row in list_clients(connection)]

    @allow("admin")
    @blp.arguments(schemas.LrsClientCreateSchema)
    @blp.response(201, schemas.NewLrsClientSchema)
    def post(self, data):
        """Create LRS credentials; the response holds the secret, shown only this once."""
        with _engine().begin() as connection:
            key, secret = create_client(connection, data["name"], data["scopes"],
                                        current_app.config["BASE_URL"])
            row = next(r for r in list_clients(connection) if r["key"] == key)
        return {**_aware(row), "secret": secret}


@blp.route("/clients/<key>")
class LrsClient(MethodView):
    @allow("admin")
    @blp.response(204)
    def delete(self, key):
        """Revoke LRS credentials (within 5 seconds on every server process)."""
        with _engine().begin() as connection:
            if not revoke_client(connection, key):
                raise NotFound(f"No active LRS client with key {key!r}.")


@blp.route("/forwarding")
class Forwarding(MethodView):
    @allow("admin")
    @blp.response(200, schemas.ForwardingTargetSchema(many=True))
    def get(self):
        """Each upstream LRS: statements pending and sent, the oldest pending, last error."""
        return status(_engine())
