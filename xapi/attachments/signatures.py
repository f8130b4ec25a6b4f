"""Signed statements (xAPI Data 2.6): reading the JWS of a signature attachment (compact or
JSON serialization, RS256/384/512, verified against its ``x5c`` certificate when the
header has one), and :func:`verify_signature` / :func:`verify_signatures`, which also
require the signed statement to be equivalent to the received one.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from xapi.attachments._common import (
    HASH_HEADER,
    SIGNATURE_CONTENT_TYPE,
    SIGNATURE_USAGE,
    AttachmentError,
    Part,
    _load_json,
    _media_type,
)
from xapi.attachments.comparison import _compare_signed_statement

_JWS_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


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
# Signed statements: verification


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
