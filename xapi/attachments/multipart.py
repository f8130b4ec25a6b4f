"""multipart/mixed bodies (RFC 2046, xAPI Communication 1.5.2): :func:`parse_multipart`
splits a statement request byte-exactly into its JSON part and its attachment parts, and
:func:`build_multipart` writes the response of ``GET statements?attachments=true``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from xapi.attachments._common import (
    _BOUNDARY_RE,
    _CRLF,
    _DIGITS_RE,
    _FIELD_NAME_RE,
    HASH_HEADER,
    AttachmentError,
    Part,
    _is_sha2,
    _load_json,
    _media_type,
    _parse_content_type,
)

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
