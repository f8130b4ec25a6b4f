"""The xAPI resources under the LRS's base path (`/xapi/` in Pathway):

statements, statements/more/<token>, activities, activities/state, activities/profile,
agents, agents/profile, about. Each view turns the HTTP request into an `XRequest`, checks
the credentials' scopes, and answers JSON with the `X-Experience-API-Version` header.
"""

import json
import logging

from flask import Blueprint, Response, current_app, request

from xapi import resources
from xapi.errors import MethodNotAllowed, NotFound, XAPIError
from xapi.protocol import VERSION_HEADER, build_request, default_version
from xapi.resources import CONSISTENT_THROUGH
from xapi.statements import consistent_through, format_time

log = logging.getLogger(__name__)

bp = Blueprint("xapi", __name__)

# PATCH is routed too, so that it gets the LRS's own 405 (JSON, with the version header).
ALL_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"]
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, PUT, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version, "
                                    "If-Match, If-None-Match, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, X-Experience-API-Version, "
                                     "X-Experience-API-Consistent-Through",
    "Access-Control-Max-Age": "600",
}


def _error(status: int, message: str, headers=None) -> Response:
    body = json.dumps({"error": {"status": status, "message": message}})
    return Response(body, status=status, mimetype="application/json", headers=headers or {})


def _respond(handler, version_required=True, statements_resource=False):
    if request.method == "OPTIONS":
        return Response(status=200)
    xreq, version = None, None
    try:
        xreq = build_request(version_required=version_required)
        response = handler(xreq)
    except XAPIError as error:
        response = _error(error.status, error.message, error.headers)
        version = error.version
    except Exception:  # a bug of ours: answer like the LRS, and log it
        log.exception("xAPI request failed: %s %s", request.method, request.full_path)
        response = _error(500, "The LRS failed to handle this request; it has been logged.")
    response.headers[VERSION_HEADER] = xreq.version if xreq else (version or default_version())
    if statements_resource and CONSISTENT_THROUGH not in response.headers:
        with current_app.extensions["xapi"].engine.connect() as connection:
            response.headers[CONSISTENT_THROUGH] = format_time(consistent_through(connection))
    return response


@bp.after_request
def _cors(response):
    origin = request.headers.get("Origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers.update(CORS_HEADERS)
    return response


def _route(rule, handler, endpoint, version_required=True):
    statements_resource = endpoint in ("statements", "more")

    def view(**kwargs):
        return _respond(lambda xreq: handler(xreq, **kwargs), version_required,
                        statements_resource=statements_resource)

    view.__name__ = endpoint
    view.__doc__ = handler.__doc__
    view.access = ("xapi credentials",)  # HTTP Basic LRS clients and scopes (xapi.auth)
    bp.add_url_rule(rule, endpoint, view, methods=ALL_METHODS)


def _by_method(**handlers):
    def dispatch(xreq, **kwargs):
        handler = handlers.get(xreq.method)
        if handler is None:
            raise MethodNotAllowed(f"{xreq.method} is not allowed here; use "
                                   f"{', '.join(sorted(handlers))}.")
        return handler(xreq, **kwargs)

    return dispatch


_route("/statements", _by_method(GET=resources.get_statements, HEAD=resources.get_statements,
                                 PUT=resources.put_statement, POST=resources.post_statements),
       "statements")
_route("/statements/more/<token>", _by_method(GET=resources.more_statements,
                                              HEAD=resources.more_statements), "more")
_route("/activities/state", _by_method(
    GET=resources.get_state, HEAD=resources.get_state, PUT=resources.put_state,
    POST=resources.post_state, DELETE=resources.delete_state), "state")
for _path, _profile in (("/activities/profile", resources.activity_profile),
                       ("/agents/profile", resources.agent_profile)):
    _route(_path, _by_method(GET=_profile.get, HEAD=_profile.get, PUT=_profile.put,
                             POST=_profile.post, DELETE=_profile.delete), _profile.kind)
_route("/activities", _by_method(GET=resources.get_activity, HEAD=resources.get_activity),
       "activities")
_route("/agents", _by_method(GET=resources.get_person, HEAD=resources.get_person), "agents")
_route("/extensions/export/<kind>", _by_method(GET=resources.export_statements), "export")


def _unknown(xreq, rest):
    raise NotFound(f"There is no xAPI resource {rest!r}; see the about resource for what this "
                   "LRS offers.")


_route("/<path:rest>", _unknown, "unknown", version_required=False)
_route("/about", _by_method(GET=resources.about, HEAD=resources.about), "about",
       version_required=False)
