"""The xAPI request as the resources see it: method, parameters, headers and body, whether
it came directly or through the 1.0.x alternate request syntax; the version it speaks; the
parameter rules shared by every resource."""

import json
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from flask import request
from werkzeug.datastructures import Headers

from xapi.errors import BadRequest

VERSION_HEADER = "X-Experience-API-Version"
LATEST_1 = "1.0.3"
LATEST_2 = "2.0.0"
SUPPORTED_VERSIONS = (LATEST_1, LATEST_2)

# Headers the alternate request syntax may carry as form fields.
ALTERNATE_HEADERS = {"authorization", "x-experience-api-version", "content-type",
                     "content-length", "if-match", "if-none-match"}


@dataclass
class XRequest:
    """One xAPI request, after unwrapping the alternate request syntax."""

    method: str
    params: dict[str, str]
    headers: Headers
    body: bytes
    version: str = LATEST_1
    alternate: bool = False
    client: object = None

    @property
    def mimetype(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def is_v2(self) -> bool:
        return self.version == LATEST_2

    def json_body(self, what: str = "the request body"):
        """The body parsed as JSON, or a 400 naming what was expected."""
        try:
            return loads(self.body)
        except ValueError as exc:  # UnicodeDecodeError is one
            raise BadRequest(f"{what} is not valid JSON: {exc}") from exc


MAX_JSON_DEPTH = 200
# A lone surrogate can only come from a \uD800-\uDFFF escape or from UTF-8-encoded surrogates
# (which json.loads lets through); bodies without either need no further look.
_SURROGATE_HINT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


def _deeper_than(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def loads(data: bytes | str):
    """Client JSON that the LRS can store and serve back as JSON, or ValueError: no NaN or
    Infinity (nor numbers too large for a float), no lone surrogates (no database encoding can
    hold them), nothing nested more than MAX_JSON_DEPTH deep (deeper, Python's own JSON code
    and the code that handles statements run out of stack)."""
    try:
        value = json.loads(data, parse_constant=_not_json, parse_float=_finite_float)
    except RecursionError as exc:
        raise ValueError(f"it is nested more than {MAX_JSON_DEPTH} deep") from exc
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if (isinstance(value, dict | list) and raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH
            and _deeper_than(value, MAX_JSON_DEPTH)):
        raise ValueError(f"it is nested more than {MAX_JSON_DEPTH} deep")
    if _SURROGATE_HINT.search(raw):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("it holds a lone surrogate (U+D800 to U+DFFF), which is not "
                             "text") from exc
    return value


def default_version() -> str:
    """The version a request without a version header is answered in (XAPI_DEFAULT_VERSION)."""
    from flask import current_app

    return current_app.config.get("XAPI_DEFAULT_VERSION", LATEST_2)


def negotiate_version(value: str | None, required: bool = True) -> str:
    """The version this request is answered in: 1.0.x requests get 1.0.3, 2.0 gets 2.0.0."""
    if value is None or not value.strip():
        if required:
            raise BadRequest(f"The {VERSION_HEADER} header is required (1.0.3 or 2.0.0).",
                             version=default_version())
        return default_version()
    value = value.strip()
    if value in ("1.0", "1.0.0") or (value.startswith("1.0.") and value[4:].isdigit()):
        return LATEST_1
    if value in ("2.0", "2.0.0"):
        return LATEST_2
    raise BadRequest(f"{VERSION_HEADER} {value!r} is not supported; this LRS speaks "
                     f"1.0.x (answered as {LATEST_1}) and {LATEST_2}.", version=default_version())


def build_request(version_required: bool = True) -> XRequest:
    """The current Flask request as an XRequest (unwrapping the alternate syntax)."""
    method = request.method
    raw_args = parse_qs(request.query_string.decode("utf-8", "replace"),
                        keep_blank_values=True)
    if method == "POST" and "method" in raw_args:
        return _alternate(raw_args, version_required)
    params = _single_values(raw_args)
    headers = Headers(request.headers)
    version = negotiate_version(headers.get(VERSION_HEADER), version_required)
    return XRequest(method=method, params=params, headers=headers,
                    body=request.get_data(cache=True), version=version)


def _single_values(raw: dict[str, list[str]]) -> dict[str, str]:
    params = {}
    for name, values in raw.items():
        if len(values) > 1:
            raise BadRequest(f"Parameter {name!r} is given {len(values)} times.")
        params[name] = values[0]
    return params


def _alternate(raw_args, version_required: bool) -> XRequest:
    """1.0.x alternate request syntax: `POST ?method=X` with a form-encoded body holding the
    headers, the parameters and `content`."""
    if set(raw_args) != {"method"}:
        others = sorted(set(raw_args) - {"method"})
        raise BadRequest(f"The alternate request syntax allows only 'method' in the query "
                         f"string, not {others}.")
    [method] = raw_args["method"]
    method = method.upper()
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        raise BadRequest(f"method={method!r} is not an HTTP method the LRS supports.")
    mimetype = (request.mimetype or "").lower()
    if mimetype != "application/x-www-form-urlencoded":
        raise BadRequest("The alternate request syntax needs an "
                         "application/x-www-form-urlencoded body.")
    form = parse_qs(request.get_data(as_text=True), keep_blank_values=True)
    headers = Headers()
    params: dict[str, str] = {}
    body = b""
    for name, values in form.items():
        value = values[-1]
        if name.lower() in ALTERNATE_HEADERS:
            if "\x00" in value:  # as in real headers, which HTTP servers refuse with one
                raise BadRequest(f"The {name} field must not contain a NUL character.")
            headers[name] = value
        elif name == "content":
            body = value.encode("utf-8")
        else:
            params[name] = value
    if "Authorization" not in headers and "Authorization" in request.headers:
        headers["Authorization"] = request.headers["Authorization"]
    version_value = headers.get(VERSION_HEADER) or request.headers.get(VERSION_HEADER)
    version = negotiate_version(version_value, version_required)
    if version == LATEST_2:
        raise BadRequest("xAPI 2.0.0 has no alternate request syntax.")
    if body and "Content-Type" not in headers:
        headers["Content-Type"] = "application/json"
    return XRequest(method=method, params=params, headers=headers, body=body, version=version,
                    alternate=True)


def check_params(xreq: XRequest, allowed: set[str], required: set[str] = frozenset()) -> None:
    """400 for unknown parameters, parameters that differ from known ones only in case, and
    missing required ones."""
    lowered = {name.lower(): name for name in allowed}
    for name, value in xreq.params.items():
        if "\x00" in value:  # no database text column can hold it
            raise BadRequest(f"Parameter {name!r} must not contain a NUL character.")
        if name in allowed:
            continue
        if name.lower() in lowered:
            raise BadRequest(f"Parameter {name!r} must be spelt {lowered[name.lower()]!r}.")
        raise BadRequest(f"Parameter {name!r} is not recognised here; allowed: "
                         f"{', '.join(sorted(allowed)) or 'none'}.")
    for name in sorted(required):
        if name not in xreq.params:
            raise BadRequest(f"Parameter {name!r} is required.")


def bool_param(xreq: XRequest, name: str, default: bool = False) -> bool:
    """A boolean parameter written as JSON: true or false."""
    value = xreq.params.get(name)
    if value is None:
        return default
    if value in ("true", "false"):
        return value == "true"
    raise BadRequest(f"Parameter {name!r} must be true or false, not {value!r}.")
