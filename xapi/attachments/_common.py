"""What every part of xapi.attachments shares: :class:`AttachmentError` (every refusal),
:class:`Part` (one attachment part of a request), the signature and hash-header
constants, and the header syntax of RFC 2045/2046/5322 with the small parsers built on it
(Content-Type values, SHA-2 hex digests, strict JSON from octets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xapi.protocol import loads

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
HASH_HEADER = "X-Experience-API-Hash"

# The SHA-2 function a hex digest of this many characters comes from.
_HASH_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}


class AttachmentError(ValueError):
    """A multipart body, an attachment or a signature that must be refused."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Part:
    """One attachment part of a multipart/mixed statement request.

    ``content_type`` is the part's Content-Type header as sent ("" when it has none);
    ``sha2`` its X-Experience-API-Hash as sent; ``content`` the exact octets between
    its headers and the next boundary; ``headers`` all its headers, names in lower case.
    """

    content_type: str
    sha2: str
    content: bytes = field(repr=False)
    headers: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# Header syntax (RFC 2045, RFC 2046, RFC 5322)

_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE_RE = re.compile(rf"[ \t]*({_TCHARS})/({_TCHARS})[ \t]*")
_PARAMETER_RE = re.compile(
    rf'[ \t]*;[ \t]*({_TCHARS})[ \t]*=[ \t]*(?:"((?:[^"\\\r\n]|\\[^\r\n])*)"|({_TCHARS}))[ \t]*'
)
_BOUNDARY_RE = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_FIELD_NAME_RE = re.compile(r"[!-9;-~]+")  # printable ASCII but ":"
_HEX_RE = re.compile(r"[0-9A-Fa-f]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_CRLF = b"\r\n"


def _parse_content_type(value: str, what: str) -> tuple[str, dict[str, str]]:
    """(media type in lower case, parameters with lower-case names) of a Content-Type."""
    match = _MEDIA_TYPE_RE.match(value)
    if match is None:
        raise AttachmentError(f"{what} {value!r} is not a media type")
    media_type = f"{match[1]}/{match[2]}".lower()
    parameters: dict[str, str] = {}
    position = match.end()
    while position < len(value):
        parameter = _PARAMETER_RE.match(value, position)
        if parameter is None:
            if value[position:].strip(" \t") == ";":  # a dangling ";" says nothing
                break
            raise AttachmentError(f"{what} {value!r}: cannot read {value[position:]!r}")
        name = parameter[1].lower()
        if name in parameters:
            raise AttachmentError(f"{what} {value!r} has the parameter {name!r} twice")
        if parameter[3] is not None:
            parameters[name] = parameter[3]
        else:
            parameters[name] = re.sub(r"\\(.)", r"\1", parameter[2])
        position = parameter.end()
    return media_type, parameters


def _media_type(value: object) -> str | None:
    """The lower-case type/subtype of a Content-Type value, or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return _parse_content_type(value, "contentType")[0]
    except AttachmentError:
        return None


def _is_sha2(value: object) -> bool:
    """Whether value is a hex SHA-2 digest (224, 256, 384 or 512 bits)."""
    return (
        isinstance(value, str)
        and len(value) in _HASH_BY_HEX_LENGTH
        and _HEX_RE.fullmatch(value) is not None
    )


def _load_json(data: bytes) -> Any:
    """Strict JSON from UTF-8 octets, as for an application/json body (xapi.protocol.loads:
    NaN and Infinity are not JSON; no lone surrogates, no nesting past MAX_JSON_DEPTH)."""
    return loads(data.decode("utf-8"))
