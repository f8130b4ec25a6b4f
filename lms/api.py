"""Conventions of the JSON API under `/api/v1/`: the flask-smorest `Api`, cursor pagination,
and the schemas they share."""

import base64
import binascii
import json

import marshmallow as ma
from flask import current_app, request, url_for
from flask_smorest import Api

from lms.errors import InvalidInput, PathwayError


class UnsupportedMediaType(PathwayError):
    """The request body is not in a format the API takes (415)."""

    status = 415
    title = "Unsupported Media Type"


class PathwayApi(Api):
    """flask-smorest's Api, with errors left to `lms.errors` (problem+json) and bearer tokens
    declared in the OpenAPI document."""

    def _register_error_handlers(self):
        """`lms.errors.init_app` answers every error; nothing to register here."""

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.init_app_json_only(app)
        self.spec.components.security_scheme(
            "bearerToken",
            {"type": "http", "scheme": "bearer",
             "description": "A personal API token (`lms tokens create` or POST /api/v1/tokens)."},
        )
        self.spec.components.security_scheme(
            "session", {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "The web pages' login session (unsafe methods also need "
                                       "the `X-CSRFToken` header)."},
        )
        self.spec.options["security"] = [{"bearerToken": []}, {"session": []}]

    def init_app_json_only(self, app):
        """Refuse request bodies that are not JSON under /api/ (415), before any view."""

        @app.before_request
        def _json_bodies_only():
            if (request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH")
                    and request.content_length and not request.is_json
                    and not _view_takes_uploads()):
                raise UnsupportedMediaType(
                    f"Send the request body as application/json, not "
                    f"{request.mimetype or 'without a content type'}.")

    def register_blueprint(self, blp, **options):
        """Register an API blueprint, leaving CSRF to `lms.access`: bearer-token calls need
        none, and browser-session calls to unsafe methods are checked there."""
        from lms.extensions import csrf

        csrf.exempt(blp)
        super().register_blueprint(blp, **options)


def takes_uploads(view):
    """Mark an API view (or MethodView method) that takes `multipart/form-data` (file
    uploads) instead of JSON; every other API body must be JSON."""
    view.takes_uploads = True
    return view


def _view_takes_uploads() -> bool:
    if request.mimetype != "multipart/form-data" or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    view = getattr(getattr(view, "view_class", None), request.method.lower(), view)
    return getattr(view, "takes_uploads", False)


class PageArgs(ma.Schema):
    """Query arguments of every list endpoint."""

    limit = ma.fields.Integer(
        load_default=None, validate=ma.validate.Range(min=1),
        metadata={"description": "Items per page (default 50, at most 500)."},
    )
    cursor = ma.fields.String(
        load_default=None, metadata={"description": "The `next_cursor` of the previous page."}
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page of `item_schema` items: `{"items": [...], "next_cursor": "..." | null}`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "next_cursor": ma.fields.String(allow_none=True),
        },
        name=name,
    )


def _decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
        if not isinstance(after, int):
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput.field("cursor", "is not a cursor this API gave out") from exc


def _encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def paginate(db, statement, key, args: dict):
    """One page of `statement` ordered by the integer column `key`, after `args["cursor"]`.

    The cursor holds the last key seen, so a page stays stable while rows are added.
    Returns `{"items": [...], "next_cursor": ...}` and sets a `Link: rel="next"` header
    through `link_header` for the view to add.
    """
    limit = min(args.get("limit") or current_app.config["API_PAGE_DEFAULT"],
                current_app.config["API_PAGE_MAX"])
    if args.get("cursor"):
        statement = statement.where(key > _decode_cursor(args["cursor"]))
    rows = db.session.execute(statement.order_by(key).limit(limit + 1)).scalars().all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(getattr(rows[-1], key.key)) if more and rows else None
    return {"items": rows, "next_cursor": next_cursor}


def next_link(page: dict) -> dict:
    """Response headers for a page: `Link: <url>; rel="next"` when there is a next page."""
    if not page.get("next_cursor"):
        return {}
    # Only plain query arguments: names such as _external or _anchor mean something to url_for.
    args = {k: v for k, v in request.args.items() if not k.startswith("_")}
    args["cursor"] = page["next_cursor"]
    url = url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)
    return {"Link": f'<{url}>; rel="next"'}
