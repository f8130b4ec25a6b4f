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

The package's modules: ``_common`` (AttachmentError, Part, constants, header syntax),
``multipart`` (parsing and building multipart/mixed), ``signatures`` (JWS checks) and
``comparison`` (signed against received statement); matching parts to declared
attachments is here. Import from ``xapi.attachments`` itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets  # noqa: F401  (kept as xapi.attachments.secrets, which tests patch)
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from xapi.attachments._common import (
    _HASH_BY_HEX_LENGTH,
    HASH_HEADER,
    SIGNATURE_CONTENT_TYPE,
    SIGNATURE_USAGE,
    AttachmentError,
    Part,
    _is_sha2,
)
from xapi.attachments.multipart import build_multipart, parse_multipart
from xapi.attachments.signatures import verify_signature, verify_signatures

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
