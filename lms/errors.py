"""Pathway's errors, and the one handler that answers them: `application/problem+json`
(RFC 9457) under `/api/`, an HTML page elsewhere.

Operations raise a `PathwayError` subclass; views never build error responses by hand.
"""

import logging

from flask import Flask, Response, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TITLES = {422: "Unprocessable Content", 413: "Content Too Large"}  # RFC 9110's names


class PathwayError(Exception):
    """An error a client caused or must know about, with its HTTP status."""

    status = 400
    title = "Bad Request"

    def __init__(self, detail: str, *, errors: list[dict] | None = None, headers=None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


class InvalidInput(PathwayError):
    """The request was understood but a field's value is wrong (422)."""

    status = 422
    title = "Unprocessable Content"

    @classmethod
    def field(cls, field: str, message: str) -> "InvalidInput":
        """One field at fault: `InvalidInput.field("email", "is already taken")`."""
        return cls(f"{field}: {message}", errors=[{"field": field, "detail": message}])


class Unauthorized(PathwayError):
    """No valid credentials were given (401)."""

    status = 401
    title = "Unauthorized"


class Forbidden(PathwayError):
    """The caller is known but may not do this (403)."""

    status = 403
    title = "Forbidden"


class NotFound(PathwayError):
    """No such thing, or not one the caller may know about (404)."""

    status = 404
    title = "Not Found"


class Conflict(PathwayError):
    """The request clashes with what is stored (409)."""

    status = 409
    title = "Conflict"


def field_errors(messages, prefix: str = "") -> list[dict]:
    """Flatten marshmallow/webargs messages into `[{"field": "a.b[2].c", "detail": ...}]`."""
    found: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            found.extend(field_errors(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        found.extend({"field": prefix or "(request)", "detail": m} for m in messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            found.extend(field_errors(value, f"{prefix}[{index}]"))
    else:
        found.append({"field": prefix or "(request)", "detail": str(messages)})
    return found


def answers_json(view):
    """Mark a view outside `/api/` whose callers are scripts (an activity type's runtime
    endpoint, say): its errors, including "not signed in", are problem+json too, not pages
    or a redirect to the login page. Put it above `lms.access.allow`."""
    view.answers_json = True
    return view


def wants_json() -> bool:
    """Whether this request's errors are answered as problem+json: the JSON API, and views
    marked with `answers_json`."""
    if request.path.startswith("/api/") or request.path == "/api":
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "answers_json", False))


_wants_json = wants_json


def _problem(status: int, title: str, detail: str, errors=None, headers=None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.path}
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_JSON
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _page(status: int, title: str, detail: str, errors=None, headers=None):
    html = render_template("error.html", status=status, title=title, detail=detail,
                           errors=errors or [])
    return html, status, headers or {}


def handle_pathway_error(error: PathwayError):
    """Answer an operation's error in the caller's format."""
    answer = _problem if _wants_json() else _page
    return answer(error.status, error.title, error.detail, error.errors, error.headers)


def handle_http_exception(error: HTTPException):
    """Answer routing errors, aborts and webargs validation failures in the caller's format."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = []
    detail = error.description or error.name
    if "messages" in data or "errors" in data:
        errors = field_errors(data.get("errors") or data.get("messages"))
        detail = "; ".join(f"{e['field']}: {e['detail']}" for e in errors) or detail
    elif "message" in data:
        detail = data["message"]
    headers = dict(data.get("headers") or {})
    if getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    answer = _problem if _wants_json() else _page
    return answer(status, TITLES.get(status, error.name), detail, errors, headers)


def handle_unexpected(error: Exception):
    """Log an unexpected failure and answer 500 without leaking its details."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers (replacing flask-smorest's plain JSON one)."""
    app.register_error_handler(PathwayError, handle_pathway_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
