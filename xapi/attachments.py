"""Attachments and signed statements (xAPI 1.0.3 Data 2.4.11 and 2.6, Communication 1.5.2).

A statement request that carries attachment data is a ``multipart/mixed`` body (RFC 2046):
the first part is the statement or the array of statements (``application/json``); every
further part is the raw data of one attachment, sent with ``Content-Transfer-Encoding:
binary`` and an ``X-Experience-API-Hash`` header holding the SHA-2 of its data.

- :func:`parse_multipart` splits such a body, byte-exactly, and parses the JSON part.
- :func:`check_attachments` matches parts to the attachments the statements declare (by
  their ``sha2`` and nothing else) and checks every part's hash.  Called with no parts it
  is also the check for ``application/json`` requests: every attachment needs a fileUrl.
- :func:`verify_signature` / :func:`verify_signatures` check a signed statement: its JWS
  (RS256/384/512; verified against the ``x5c`` certificate when the header has one) must
  carry a statement equivalent to the received one under the spec's comparison rules.
- :func:`build_multipart` writes the response of ``GET statements?attachments=true``.

Every refusal is an :class:`AttachmentError` whose message names the part or field at
fault; ``.status`` is the HTTP status to answer with (400).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from xapi.protocol import loads

__all__ = [
    "HASH_HEADER",
    "SIGNATURE_CONTENT_TYPE",
    "SIGNATURE_USAGE",
    "AttachmentError",
    "Part",
    "build_multipart",
    "check_attachments",
    "iter_attachments",
    "parse_multipart",
    "verify_signature",
    "verify_signatures",
]

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
HASH_HEADER = "X-Experience-API-Hash"

# The SHA-2 function a hex digest of this many characters comes from.
_HASH_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}
_JWS_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


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


# --------------------------------------------------------------------------------------
# multipart/mixed


def _split_body(body: bytes, boundary: str) -> list[bytes]:
    """The raw body parts (headers and content) of a multipart body, per RFC 2046 5.1.1.

    Delimiters are CRLF "--" boundary; the first may open the body.  A preamble before
    the first delimiter and an epilogue after the closing one are ignored.  A delimiter
    line may end in spaces or tabs (transport padding) but nothing else.
    """
    dash_boundary = b"--" + boundary.encode("ascii")
    delimiter = _CRLF + dash_boundary
    if body.startswith(dash_boundary):
        position = len(dash_boundary)
    else:
        found = body.find(delimiter)
        if found < 0:
            raise AttachmentError(
                f"the body never uses the boundary {boundary!r} given in its Content-Type"
            )
        position = found + len(delimiter)
    raw_parts: list[bytes] = []
    while True:
        if body.startswith(b"--", position):  # the close delimiter
            if not raw_parts:
                raise AttachmentError("the multipart body closes before its first part")
            epilogue = body[position + 2 :].lstrip(b" \t")
            if epilogue and not epilogue.startswith(_CRLF):
                raise AttachmentError("the closing boundary is followed by other text on its line")
            return raw_parts
        line_end = position
        while line_end < len(body) and body[line_end] in b" \t":
            line_end += 1
        if not body.startswith(_CRLF, line_end):
            raise AttachmentError(
                f"the boundary line before part {len(raw_parts) + 1} does not end with CRLF"
                " after the boundary (malformed delimiter, or boundary text inside a part)"
            )
        start = line_end + 2
        end = body.find(delimiter, start)
        if end < 0:
            raise AttachmentError(
                f"part {len(raw_parts) + 1} is not ended by a boundary: the body has no"
                " closing boundary (CRLF --boundary--)"
            )
        raw_parts.append(body[start:end])
        position = end + len(delimiter)


def _split_part(raw: bytes, number: int) -> tuple[dict[str, str], bytes]:
    """(headers with lower-case names, exact content) of one raw body part."""
    if raw.startswith(_CRLF):  # no headers at all
        return {}, raw[2:]
    end = raw.find(_CRLF + _CRLF)
    if end < 0:
        raise AttachmentError(f"part {number}: its headers are not ended by a blank line")
    block, content = raw[:end], raw[end + 4 :]
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise AttachmentError(f"part {number}: its headers are not UTF-8 text") from None
    headers: dict[str, str] = {}
    last: str | None = None
    for line in text.split("\r\n"):
        if "\r" in line or "\n" in line:
            raise AttachmentError(
                f"part {number}: header line {line!r} holds a bare CR or LF"
                " (lines must end with CRLF)"
            )
        if line[:1] in (" ", "\t"):  # folded continuation of the header before
            if last is None:
                raise AttachmentError(f"part {number}: its headers begin with a folded line")
            continuation = line.strip(" \t")
            headers[last] = f"{headers[last]} {continuation}".strip(" \t")
            continue
        name, colon, value = line.partition(":")
        if not colon or not _FIELD_NAME_RE.fullmatch(name):
            raise AttachmentError(f"part {number}: {line!r} is not a 'Name: value' header")
        key = name.lower()
        if key in headers:
            raise AttachmentError(f"part {number}: the header {name} appears twice")
        headers[key] = value.strip(" \t")
        last = key
    return headers, content


def parse_multipart(body: bytes, content_type_header: str) -> tuple[Any, list[Part]]:
    """Split a multipart/mixed statement request into its JSON and its attachment parts.

    Returns (the parsed first part: a statement object or an array of statements,
    the further parts in order).  Raises AttachmentError when the Content-Type is not
    multipart/mixed with a valid boundary, when the body is not well-formed multipart,
    when the first part is not ``application/json`` holding a JSON object or array, or
    when a further part lacks ``Content-Transfer-Encoding: binary`` or a well-formed
    ``X-Experience-API-Hash``, or contradicts its own Content-Length.
    Part contents are not hashed here: :func:`check_attachments` does that.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"body must be bytes, not {type(body).__name__}")
    body = bytes(body)
    media_type, parameters = _parse_content_type(content_type_header or "", "Content-Type")
    if media_type != "multipart/mixed":
        raise AttachmentError(
            f"Content-Type is {media_type}: statements with attachment data must be sent as"
            " multipart/mixed"
        )
    boundary = parameters.get("boundary")
    if boundary is None:
        raise AttachmentError("the multipart/mixed Content-Type has no boundary parameter")
    if not _BOUNDARY_RE.fullmatch(boundary):
        raise AttachmentError(
            f"the boundary {boundary!r} is not a valid RFC 2046 boundary"
            " (1 to 70 characters from letters, digits and '()+_,-./:=? and space)"
        )
    raw_parts = _split_body(body, boundary)

    headers, content = _split_part(raw_parts[0], 1)
    statements_type = headers.get("content-type")
    if statements_type is None:
        raise AttachmentError(
            "part 1 has no Content-Type: the first part must be the statements, as application/json"
        )
    json_type = _media_type(statements_type)
    if json_type != "application/json":
        raise AttachmentError(
            f"part 1 has Content-Type {statements_type!r}: the first part must be the"
            " statements, as application/json"
        )
    charset = _parse_content_type(statements_type, "part 1 Content-Type")[1].get("charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise AttachmentError(f"part 1 has charset {charset!r}: statements must be UTF-8")
    encoding = headers.get("content-transfer-encoding")
    if encoding is not None and encoding.lower() not in ("binary", "8bit", "7bit"):
        raise AttachmentError(
            f"part 1 has Content-Transfer-Encoding {encoding!r}: the statements part must"
            " not be encoded"
        )
    try:
        statements = _load_json(content)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AttachmentError(f"part 1 (the statements) is not valid JSON: {exc}") from None
    if not isinstance(statements, dict | list):
        raise AttachmentError(
            "part 1 must hold a statement object or an array of statements, not"
            f" a JSON {type(statements).__name__}"
        )

    parts: list[Part] = []
    for number, raw in enumerate(raw_parts[1:], start=2):
        headers, content = _split_part(raw, number)
        encoding = headers.get("content-transfer-encoding")
        if encoding is None:
            raise AttachmentError(
                f"part {number} has no Content-Transfer-Encoding header: attachment parts"
                " must have Content-Transfer-Encoding: binary"
            )
        if encoding.lower() != "binary":
            raise AttachmentError(
                f"part {number} has Content-Transfer-Encoding {encoding!r}: attachment"
                " parts must be binary"
            )
        declared = headers.get(HASH_HEADER.lower())
        if declared is None:
            raise AttachmentError(f"part {number} has no {HASH_HEADER} header")
        sha2 = declared
        if not _is_sha2(sha2):
            raise AttachmentError(
                f"part {number} has {HASH_HEADER} {declared!r}, which is not a hex SHA-224,"
                " SHA-256, SHA-384 or SHA-512 digest"
            )
        length = headers.get("content-length")
        if length is not None and (not _DIGITS_RE.fullmatch(length) or int(length) != len(content)):
            raise AttachmentError(
                f"part {number} has Content-Length {length!r} but {len(content)} octets"
            )
        parts.append(
            Part(
                content_type=headers.get("content-type", ""),
                sha2=sha2,
                content=content,
                headers=headers,
            )
        )
    return statements, parts


# --------------------------------------------------------------------------------------
# Declared attachments and their parts


def _statement_list(statements: object) -> tuple[list[Any], str]:
    if isinstance(statements, Mapping):
        return [statements], "statement"
    if isinstance(statements, list | tuple):
        return list(statements), "statements[{}]"
    raise AttachmentError("the statements must be a statement object or an array of them")


def iter_attachments(
    statement: Mapping[str, Any], where: str = "statement"
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(path, attachment) for each attachment of a statement and of its SubStatement.

    A SubStatement may declare attachments of its own (the spec only recommends putting
    them on the containing statement), so its attachments count as declared too.
    """
    if not isinstance(statement, Mapping):
        raise AttachmentError(f"{where} is not a JSON object")
    holders: list[tuple[str, Any]] = [(where, statement)]
    inner = statement.get("object")
    if isinstance(inner, Mapping) and inner.get("objectType") == "SubStatement":
        holders.append((f"{where}.object", inner))
    for holder_path, holder in holders:
        attachments = holder.get("attachments")
        if attachments is None:
            continue
        if not isinstance(attachments, list):
            raise AttachmentError(f"{holder_path}.attachments is not an array")
        for index, attachment in enumerate(attachments):
            path = f"{holder_path}.attachments[{index}]"
            if not isinstance(attachment, Mapping):
                raise AttachmentError(f"{path} is not an attachment object")
            if not isinstance(attachment.get("sha2"), str):
                raise AttachmentError(f"{path} has no sha2 string")
            yield path, attachment


def _has_file_url(attachment: Mapping[str, Any]) -> bool:
    file_url = attachment.get("fileUrl")
    return isinstance(file_url, str) and file_url != ""


def _check_part_hash(part: Part, number: int) -> str:
    sha2 = part.sha2
    if not _is_sha2(sha2):
        raise AttachmentError(
            f"part {number} has {HASH_HEADER} {part.sha2!r}, which is not a hex SHA-2 digest"
        )
    algorithm = _HASH_BY_HEX_LENGTH[len(sha2)]
    actual = hashlib.new(algorithm, part.content).hexdigest()
    if not hmac.compare_digest(actual, sha2.lower()):
        raise AttachmentError(
            f"part {number}: the {algorithm.upper()} of its {len(part.content)} octets is"
            f" {actual}, not its {HASH_HEADER} {sha2}"
        )
    return sha2


def check_attachments(statements: Any, parts: Sequence[Part]) -> dict[str, Part]:
    """Match attachment parts to the attachments the statements declare.

    ``statements`` is a statement or a list of them (as parse_multipart returns);
    ``parts`` the attachment parts, in request order (the first is the request's part 2).
    Each part's content must hash (SHA-224/256/384/512, chosen by the digest's length)
    to its X-Experience-API-Hash; each part must be declared by the ``sha2`` of some
    attachment (of a statement or its SubStatement); each attachment without a fileUrl
    must have a part.  The same data may serve several attachments, and a duplicate part
    is accepted if it hashes right.  A sha2 is matched as the exact string declared (hex
    letters in the same case).  Returns {sha2: the first part with it}.

    With ``parts=[]`` this is the application/json rule: every attachment needs a fileUrl.
    """
    statement_list, where = _statement_list(statements)
    declared: set[str] = set()
    needed: list[tuple[str, str]] = []
    for index, statement in enumerate(statement_list):
        for path, attachment in iter_attachments(statement, where.format(index)):
            sha2 = attachment["sha2"]
            declared.add(sha2)
            if not _has_file_url(attachment):
                needed.append((path, sha2))

    by_sha2: dict[str, Part] = {}
    for number, part in enumerate(parts, start=2):
        sha2 = _check_part_hash(part, number)
        if sha2 not in declared:
            near = sorted(d for d in declared if d.lower() == sha2.lower())
            hint = (
                ""
                if not near
                else f" ({near[0]!r} differs only in letter case: sha2 must match exactly)"
            )
            raise AttachmentError(
                f"part {number} ({HASH_HEADER} {sha2}) is not the data of any attachment:"
                f" no attachment declares that sha2{hint}"
            )
        by_sha2.setdefault(sha2, part)
    for path, sha2 in needed:
        if sha2 not in by_sha2:
            raise AttachmentError(
                f"{path} (sha2 {sha2}) has no fileUrl and no part of the request carries its data"
            )
    return by_sha2


# --------------------------------------------------------------------------------------
# Signed statements: JWS


def _b64url(text: object, what: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise AttachmentError(f"the {what} is not base64url text")
    if len(text) % 4 == 1:
        raise AttachmentError(f"the {what} is not base64url text (bad length)")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = _load_json(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AttachmentError(f"the {what} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise AttachmentError(f"the {what} is not a JSON object")
    return value


def _check_jws_signature(header: Mapping[str, Any], signing_input: bytes, signature: bytes) -> None:
    """The header rules of xAPI 2.6, and the signature against x5c[0] when there is one."""
    algorithm = header.get("alg")
    if algorithm not in _JWS_HASHES:
        raise AttachmentError(
            f"the JWS algorithm is {algorithm!r}: signed statements must use RS256, RS384 or RS512"
        )
    if "crit" in header:
        raise AttachmentError(
            f"the JWS header lists critical extensions {header['crit']!r}, which this LRS"
            " does not support"
        )
    if not signature:
        raise AttachmentError("the JWS signature is empty")
    chain = header.get("x5c")
    if chain is None:
        return
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise AttachmentError("the JWS header's x5c is not an array of base64 certificates")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except (binascii.Error, ValueError) as exc:
        raise AttachmentError(
            f"the JWS header's x5c[0] is not a base64 DER X.509 certificate: {exc}"
        ) from None
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise AttachmentError(
            f"the JWS header's x5c[0] certificate holds no RSA key, so {algorithm} cannot be"
            " verified with it"
        )
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), _JWS_HASHES[algorithm]())
    except InvalidSignature:
        raise AttachmentError(
            "the JWS signature does not verify with the key of the certificate in its x5c"
            " header (the signature or the signed statement was altered, or the wrong"
            " certificate was sent)"
        ) from None


def _decode_compact_jws(text: str) -> bytes:
    segments = text.split(".")
    if len(segments) != 3:
        raise AttachmentError(
            "the signature is not a JWS compact serialization: it has"
            f" {len(segments)} dot-separated segments, not 3"
        )
    protected, payload, signature = segments
    header = _json_object(_b64url(protected, "JWS protected header"), "JWS protected header")
    payload_octets = _b64url(payload, "JWS payload")
    signature_octets = _b64url(signature, "JWS signature")
    _check_jws_signature(header, f"{protected}.{payload}".encode("ascii"), signature_octets)
    return payload_octets


def _decode_json_jws(text: str) -> bytes:
    """A JWS in the (discouraged but allowed) JSON serialization, general or flattened."""
    document = _json_object(text.encode("utf-8"), "JWS JSON serialization")
    payload = document.get("payload")
    if "signatures" in document:
        signatures = document["signatures"]
        if set(document) & {"protected", "header", "signature"}:
            raise AttachmentError("the JWS JSON has both 'signatures' and a flattened signature")
        if not isinstance(signatures, list) or not signatures:
            raise AttachmentError("the JWS JSON's 'signatures' is not a non-empty array")
    else:
        flattened = ("protected", "header", "signature")
        signatures = [{key: document[key] for key in flattened if key in document}]
    payload_octets = _b64url(payload, "JWS payload")
    for entry in signatures:
        if not isinstance(entry, Mapping) or "signature" not in entry:
            raise AttachmentError("a JWS JSON signature entry has no 'signature'")
        protected = entry.get("protected", "")
        header: dict[str, Any] = (
            _json_object(_b64url(protected, "JWS protected header"), "JWS protected header")
            if protected
            else {}
        )
        unprotected = entry.get("header", {})
        if not isinstance(unprotected, Mapping):
            raise AttachmentError("a JWS JSON unprotected 'header' is not an object")
        if "crit" in unprotected:
            raise AttachmentError("the JWS 'crit' parameter must be in the protected header")
        if set(header) & set(unprotected):
            raise AttachmentError(
                "the JWS protected and unprotected headers share parameters"
                f" {sorted(set(header) & set(unprotected))}"
            )
        merged = {**header, **unprotected}
        _check_jws_signature(
            merged,
            f"{protected}.{payload}".encode("ascii"),
            _b64url(entry["signature"], "JWS signature"),
        )
    return payload_octets


def _decode_jws(content: bytes) -> dict[str, Any]:
    """The statement a JWS signs, after checking the JWS (raises AttachmentError)."""
    try:
        text = content.decode("ascii").strip()
    except UnicodeDecodeError:
        raise AttachmentError("the signature is not a JWS: it is not ASCII text") from None
    payload = _decode_json_jws(text) if text.startswith("{") else _decode_compact_jws(text)
    try:
        signed = _load_json(payload)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AttachmentError(
            f"the JWS payload is not a JSON serialization of a statement: {exc}"
        ) from None
    if not isinstance(signed, dict):
        raise AttachmentError("the JWS payload is not a JSON statement object")
    return signed


# --------------------------------------------------------------------------------------
# Signed statements: statement comparison (Data 2.3.1 and "Statement Comparison
# Requirements"): differences that the immutability exceptions could cause are ignored.

# Assigned or replaced by an LRS, or not part of the statement at all: never compared.
_NOT_COMPARED = frozenset({"stored", "authority", "version", "attachments"})
# Registered JWT claims a signing library may add to the payload; never statement fields.
_JWT_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
_SECONDS_RE = re.compile(r"(\d+)(?:[.,](\d*))?S$")


@dataclass(frozen=True)
class _Timestamp:
    """A timestamp compared as the point in time it names, to the millisecond."""

    text: Any
    instant: datetime | None

    @classmethod
    def of(cls, value: Any) -> _Timestamp:
        instant = None
        if isinstance(value, str):
            try:
                instant = datetime.fromisoformat(value)
            except ValueError:
                instant = None
            if instant is not None and instant.tzinfo is None:
                instant = instant.replace(tzinfo=UTC)
        return cls(value, instant)

    def same(self, other: _Timestamp) -> bool:
        if self.instant is not None and other.instant is not None:
            # An LRS may truncate or round timestamps to milliseconds.
            return abs(self.instant - other.instant) < timedelta(milliseconds=1)
        return self.text == other.text


def _lower_uuid(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _comparable_mbox(value: Any) -> Any:
    """mailto IRIs: the scheme and the domain are case-insensitive."""
    if not isinstance(value, str) or value[:7].lower() != "mailto:":
        return value
    local, at, domain = value[7:].rpartition("@")
    return f"mailto:{local}{at}{domain.lower()}" if at else f"mailto:{value[7:]}"


def _comparable_agent(agent: Any) -> Any:
    """An Agent or Group: default objectType, mbox case, and members in no order."""
    if not isinstance(agent, Mapping):
        return agent
    out = dict(agent)
    out.setdefault("objectType", "Agent")
    if "mbox" in out:
        out["mbox"] = _comparable_mbox(out["mbox"])
    if isinstance(out.get("member"), list):
        members = [_comparable_agent(member) for member in out["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True, default=str))
    return out


def _comparable_activity(activity: Any) -> Any:
    """An Activity without its definition (not part of the statement itself)."""
    if not isinstance(activity, Mapping):
        return activity
    out = {key: value for key, value in activity.items() if key != "definition"}
    out.setdefault("objectType", "Activity")
    return out


def _comparable_object(target: Any) -> Any:
    if not isinstance(target, Mapping):
        return target
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return _comparable_activity(target)
    if kind in ("Agent", "Group"):
        return _comparable_agent(target)
    if kind == "SubStatement":
        return _comparable_statement(target, substatement=True)
    if kind == "StatementRef":
        return {**target, "id": _lower_uuid(target.get("id"))}
    return target


def _comparable_duration(duration: Any) -> Any:
    """Durations compare without precision beyond 0.01 s (Data 4.6)."""
    if not isinstance(duration, str) or "T" not in duration:
        return duration
    match = _SECONDS_RE.search(duration)
    if match is None:
        return duration
    fraction = (match[2] or "")[:2].rstrip("0")
    seconds = f"{match[1]}.{fraction}" if fraction else match[1]
    return f"{duration[: match.start()]}{seconds}S"


def _comparable_context(context: Any) -> Any:
    if not isinstance(context, Mapping):
        return context
    out = dict(context)
    if "registration" in out:
        out["registration"] = _lower_uuid(out["registration"])
    for key in ("instructor", "team"):
        if key in out:
            out[key] = _comparable_agent(out[key])
    activities = out.get("contextActivities")
    if isinstance(activities, Mapping):
        # A single Activity is returned by an LRS as an array of one (Data 2.4.6.2).
        out["contextActivities"] = {
            key: [_comparable_activity(a) for a in (value if isinstance(value, list) else [value])]
            for key, value in activities.items()
        }
    reference = out.get("statement")
    if isinstance(reference, Mapping):
        out["statement"] = {**reference, "id": _lower_uuid(reference.get("id"))}
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):  # xAPI 2.0
        if isinstance(out.get(key), list):
            out[key] = [
                {**entry, inner: _comparable_agent(entry[inner])}
                if isinstance(entry, Mapping) and inner in entry
                else entry
                for entry in out[key]
            ]
    return out


def _comparable_statement(statement: Mapping[str, Any], substatement: bool = False) -> dict:
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if key in _NOT_COMPARED:
            continue
        if key == "actor":
            value = _comparable_agent(value)
        elif key == "verb" and isinstance(value, Mapping):
            # The Verb's display is not part of the statement itself (Data 2.3.1).
            value = {k: v for k, v in value.items() if k != "display"}
        elif key == "object":
            value = _comparable_object(value)
        elif key == "context":
            value = _comparable_context(value)
        elif key == "result" and isinstance(value, Mapping) and "duration" in value:
            value = {**value, "duration": _comparable_duration(value["duration"])}
        elif key == "timestamp" and substatement:
            value = _Timestamp.of(value)
        out[key] = value
    return out


def _difference(a: Any, b: Any, path: str) -> str | None:
    """The path of the first difference between two comparable JSON values, or None."""
    here = path or "the statement"
    if isinstance(a, _Timestamp) and isinstance(b, _Timestamp):
        return None if a.same(b) else here
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in sorted(set(a) | set(b)):
            child = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                return f"{child} (present in only one of them)"
            found = _difference(a[key], b[key], child)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{here} (arrays of {len(a)} and {len(b)} items)"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(a, bool) or isinstance(b, bool):
        return None if type(a) is type(b) and a == b else here
    if isinstance(a, int | float) and isinstance(b, int | float):
        return None if a == b else here
    return None if type(a) is type(b) and a == b else here


def _compare_signed_statement(signed: Mapping[str, Any], received: Mapping[str, Any]) -> None:
    signed = {k: v for k, v in signed.items() if k not in _JWT_CLAIMS}
    left = _comparable_statement(signed)
    right = _comparable_statement(received)
    # An LRS assigns "id" and "timestamp" only when they are missing: compare them when
    # both statements have them (the id's case and the timestamp's zone do not count).
    for key, comparable in (("id", _lower_uuid), ("timestamp", _Timestamp.of)):
        if key in signed and key in received:
            left[key], right[key] = comparable(signed[key]), comparable(received[key])
        else:
            left.pop(key, None)
            right.pop(key, None)
    difference = _difference(left, right, "")
    if difference is not None:
        raise AttachmentError(
            "the statement signed in the JWS payload is not the statement received:"
            f" they differ at {difference}"
        )


def _signature_attachments(statement: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    attachments = statement.get("attachments")
    if not isinstance(attachments, list):
        return []
    return [
        a
        for a in attachments
        if isinstance(a, Mapping)
        and a.get("usageType") == SIGNATURE_USAGE
        and isinstance(a.get("sha2"), str)
    ]


def verify_signature(statement: Mapping[str, Any], part: Part) -> None:
    """Check the signature ``part`` of a signed ``statement`` (xAPI Data 2.6).

    The part must be declared by a signature attachment of the statement (usageType
    SIGNATURE_USAGE, contentType application/octet-stream) with its sha2.  Its content
    must be a JWS (compact serialization; the JSON serializations are also read) using
    RS256, RS384 or RS512.  If the JOSE header has x5c, the signature must verify with
    the first certificate's RSA key; the certificate's validity and chain are not judged
    (the spec: this catches mistakes, it is not a security measure).  The payload must be
    a JSON statement equivalent to ``statement``: "stored", "authority", "version" and
    "attachments" are ignored; "id" and "timestamp" (as an instant, to the millisecond)
    only count when both have them; the Verb's display and Activity definitions are
    ignored; durations compare to 0.01 s; Group members in any order; mbox domains and
    UUIDs in any case; single context Activities as arrays of one.
    Raises AttachmentError on any failure.
    """
    if not isinstance(statement, Mapping):
        raise AttachmentError("a signed statement must be a JSON object")
    sha2 = part.sha2
    declaring = [a for a in _signature_attachments(statement) if a["sha2"] == sha2]
    if not declaring:
        raise AttachmentError(
            f"the part with {HASH_HEADER} {sha2} is not declared by a signature attachment"
            f" (usageType {SIGNATURE_USAGE}) of this statement"
        )
    for attachment in declaring:
        if _media_type(attachment.get("contentType")) != SIGNATURE_CONTENT_TYPE:
            raise AttachmentError(
                f"the signature attachment {sha2} has contentType"
                f" {attachment.get('contentType')!r}: a signature's must be"
                f" {SIGNATURE_CONTENT_TYPE}"
            )
    if part.content_type and _media_type(part.content_type) != SIGNATURE_CONTENT_TYPE:
        raise AttachmentError(
            f"the signature part {sha2} has Content-Type {part.content_type!r}: a"
            f" signature's must be {SIGNATURE_CONTENT_TYPE}"
        )
    try:
        signed = _decode_jws(part.content)
        _compare_signed_statement(signed, statement)
    except AttachmentError as exc:
        raise AttachmentError(f"signature attachment {sha2}: {exc}", exc.status) from None


def verify_signatures(statement: Mapping[str, Any], parts_by_sha2: Mapping[str, Part]) -> None:
    """Verify every signature attachment of a statement (see :func:`verify_signature`).

    ``parts_by_sha2`` is what :func:`check_attachments` returns.  A signature attachment
    whose data did not come with the request (fileUrl only) is refused: the signature
    could not be checked.
    """
    if not isinstance(statement, Mapping):
        raise AttachmentError("a signed statement must be a JSON object")
    for attachment in _signature_attachments(statement):
        sha2 = attachment["sha2"]
        part = parts_by_sha2.get(sha2)
        if part is None:
            raise AttachmentError(
                f"the signature attachment {sha2} has no part in the request: a signed"
                " statement must be sent with its signature"
            )
        verify_signature(statement, part)


# --------------------------------------------------------------------------------------
# Responses


def build_multipart(
    statement_result_json: bytes, parts: Sequence[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """A multipart/mixed response: the statements JSON, then each attachment's data.

    ``parts`` are (sha2, content type, data) triples; a sha2 seen before is skipped (one
    copy of data used by several attachments).  An empty content type is sent as
    application/octet-stream.  Returns (body, Content-Type header value); the boundary is
    random hex, unquoted, and checked not to occur in the body.
    """
    if isinstance(statement_result_json, str):
        statement_result_json = statement_result_json.encode("utf-8")
    unique: list[tuple[str, str, bytes]] = []
    seen: set[str] = set()
    for sha2, content_type, content in parts:
        if not _is_sha2(sha2):
            raise ValueError(f"{sha2!r} is not a hex SHA-2 digest")
        content_type = content_type or "application/octet-stream"
        if any(c in content_type for c in "\r\n\0"):
            raise ValueError(f"content type {content_type!r} holds a line break")
        if sha2 in seen:
            continue
        seen.add(sha2)
        unique.append((sha2, content_type, bytes(content)))

    while True:
        boundary = secrets.token_hex(24)
        marker = b"--" + boundary.encode("ascii")
        if marker not in statement_result_json and not any(marker in c for _, _, c in unique):
            break
    body = bytearray()
    body += marker + b"\r\nContent-Type: application/json\r\n\r\n"
    body += statement_result_json + b"\r\n"
    for sha2, content_type, content in unique:
        body += marker + b"\r\n"
        body += f"Content-Type: {content_type}\r\n".encode()
        body += b"Content-Transfer-Encoding: binary\r\n"
        body += f"{HASH_HEADER}: {sha2}\r\n\r\n".encode()
        body += content + b"\r\n"
    body += marker + b"--\r\n"
    return bytes(body), f"multipart/mixed; boundary={boundary}"
