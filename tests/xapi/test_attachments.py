"""xapi.attachments: multipart/mixed statement requests (Communication 1.5.2), attachment
matching (Data 2.4.11), signed statements (Data 2.6) and multipart responses.

The refusal cases follow the ADL conformance suite (XAPI-00127 to 00135, 00115 to 00117)."""

import base64
import copy
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

import xapi.attachments
from xapi.attachments import (
    SIGNATURE_USAGE,
    AttachmentError,
    Part,
    build_multipart,
    check_attachments,
    iter_attachments,
    parse_multipart,
    verify_signature,
    verify_signatures,
)

BOUNDARY = "-------314159265358979323846"
CONTENT_TYPE = f"multipart/mixed; boundary={BOUNDARY}"
# Octets that trip naive parsers: NUL, CR, LF, blank lines, a near-boundary, a high byte.
BINARY = (
    b"\r\n\x00\x01\x02\r\n\r\n--"
    + BOUNDARY.encode()[:-1]
    + b"\r\n---"
    + BOUNDARY.encode()
    + b"X\r\n\xff\xfe\x00\n\r\r\n"
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def multipart(*parts, boundary=BOUNDARY, preamble=b"", epilogue=b"\r\n") -> bytes:
    """A multipart/mixed body from (header lines, content) pairs, written out by hand."""
    dash = b"--" + boundary.encode()
    body = preamble
    for headers, content in parts:
        body += dash + b"\r\n"
        body += b"".join(h.encode() + b"\r\n" for h in headers) + b"\r\n"
        body += content + b"\r\n"
    return body + dash + b"--" + epilogue


def json_part(statements, content_type="application/json"):
    return [f"Content-Type: {content_type}"], json.dumps(statements).encode()


def data_part(content: bytes, sha2=None, content_type="application/octet-stream"):
    headers = [
        f"Content-Type: {content_type}",
        "Content-Transfer-Encoding: binary",
        f"X-Experience-API-Hash: {sha2 or sha256(content)}",
    ]
    return headers, content


def attachment(content: bytes = b"", *, sha2=None, file_url=None, usage=None, ctype=None):
    declared = {
        "usageType": usage or "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": ctype or "application/octet-stream",
        "length": len(content),
        "sha2": sha2 or sha256(content),
    }
    if file_url:
        declared["fileUrl"] = file_url
    return declared


def make_statement(*attachments, **extra) -> dict:
    statement = {
        "id": "33cff416-e331-4c9d-969e-5373a1756120",
        "actor": {"mbox": "mailto:learner@example.com", "name": "A Learner", "objectType": "Agent"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {
            "id": "http://example.com/activities/unit-1",
            "objectType": "Activity",
            "definition": {"name": {"en-US": "Unit 1"}},
        },
    }
    if attachments:
        statement["attachments"] = list(attachments)
    statement.update(extra)
    return statement


def refused(call, *args) -> AttachmentError:
    with pytest.raises(AttachmentError) as caught:
        call(*args)
    assert caught.value.status == 400
    return caught.value


# ---- parse_multipart: accepted ---------------------------------------------------------------


def test_the_specification_example_is_parsed_and_matched():
    """Communication 1.5.2's own example: quoted boundary of every special character, headers
    written without a space after the colon."""
    boundary = "abcABC0123'()+_,-./:=?"
    statement = make_statement(
        {
            "usageType": "http://example.com/attachment-usage/test",
            "display": {"en-US": "A test attachment"},
            "contentType": "text/plain; charset=ascii",
            "length": 27,
            "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        }
    )
    body = (
        f"--{boundary}\r\nContent-Type:application/json\r\n\r\n"
        f"{json.dumps(statement, indent=4)}\r\n"
        f"--{boundary}\r\nContent-Type:text/plain\r\nContent-Transfer-Encoding:binary\r\n"
        "X-Experience-API-Hash:495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
        f"\r\n\r\nhere is a simple attachment\r\n--{boundary}--"
    ).encode()
    parsed, parts = parse_multipart(body, f'multipart/mixed; boundary="{boundary}"')
    assert parsed == statement
    assert [(p.content_type, p.sha2, p.content) for p in parts] == [
        ("text/plain", statement["attachments"][0]["sha2"], b"here is a simple attachment")
    ]
    assert check_attachments(parsed, parts) == {statement["attachments"][0]["sha2"]: parts[0]}


def test_binary_parts_are_returned_byte_exactly():
    other = b"\x00" * 3 + b"\r\n"
    statement = make_statement(attachment(BINARY), attachment(other))
    body = multipart(json_part(statement), data_part(BINARY), data_part(other))
    parsed, parts = parse_multipart(body, CONTENT_TYPE)
    assert parsed == statement
    assert [p.content for p in parts] == [BINARY, other]
    assert [p.sha2 for p in parts] == [sha256(BINARY), sha256(other)]
    assert parts[0].headers == {
        "content-type": "application/octet-stream",
        "content-transfer-encoding": "binary",
        "x-experience-api-hash": sha256(BINARY),
    }
    assert check_attachments(parsed, parts) == {sha256(BINARY): parts[0], sha256(other): parts[1]}


def test_a_conformance_suite_style_body_is_accepted():
    """The suite's signed-statement bodies open with CRLF, write 'Name:value' and end at the
    closing boundary without CRLF; its other bodies end with CRLF."""
    statement = make_statement(attachment(BINARY))
    dash = f"--{BOUNDARY}"
    body = (
        f"\r\n{dash}\r\nContent-Type:application/json\r\n\r\n".encode()
        + json.dumps(statement).encode()
        + f"\r\n{dash}\r\nContent-Type:application/octet-stream\r\n"
        f"Content-Transfer-Encoding:binary\r\nX-Experience-API-Hash:{sha256(BINARY)}\r\n\r\n".encode()
        + BINARY
        + f"\r\n{dash}--".encode()
    )
    parsed, parts = parse_multipart(body, CONTENT_TYPE)
    assert parsed == statement
    assert parts[0].content == BINARY


def test_preamble_epilogue_and_transport_padding_are_ignored():
    statement = make_statement(attachment(BINARY))
    body = multipart(
        json_part(statement),
        data_part(BINARY),
        preamble=b"This is a multi-part message in MIME format.\r\n",
        epilogue=b"  \r\nepilogue text\r\n",
    )
    padded = body.replace(f"--{BOUNDARY}\r\n".encode(), f"--{BOUNDARY} \t\r\n".encode())
    for candidate in (body, padded):
        parsed, parts = parse_multipart(candidate, CONTENT_TYPE)
        assert parsed == statement
        assert parts[0].content == BINARY


def test_header_names_and_encodings_are_case_insensitive_and_folding_is_read():
    statement = [make_statement(attachment(BINARY))]
    headers = [
        "content-type: application/octet-stream;",
        " name=picture.bin",
        "CONTENT-TRANSFER-ENCODING: BINARY",
        f"x-experience-api-hash:   {sha256(BINARY)}  ",
        f"Content-Length: {len(BINARY)}",
        "Content-Disposition: attachment; filename=picture.bin",
    ]
    body = multipart(
        (["CONTENT-TYPE: Application/JSON; charset=UTF-8"], json.dumps(statement).encode()),
        (headers, BINARY),
    )
    parsed, parts = parse_multipart(body, f'Multipart/Mixed; charset=utf-8; BOUNDARY="{BOUNDARY}"')
    assert parsed == statement
    assert parts[0].content_type == "application/octet-stream; name=picture.bin"
    assert parts[0].sha2 == sha256(BINARY)
    assert parts[0].headers["content-disposition"] == "attachment; filename=picture.bin"


def test_statements_without_attachment_parts_and_an_empty_attachment():
    parsed, parts = parse_multipart(multipart(json_part([make_statement()])), CONTENT_TYPE)
    assert parsed == [make_statement()] and parts == []

    statement = make_statement(attachment(b""))
    no_type = (data_part(b"")[0][1:], b"")  # no Content-Type header at all
    parsed, parts = parse_multipart(
        bytearray(multipart(json_part(statement), no_type)), CONTENT_TYPE
    )
    assert parts[0].content == b"" and parts[0].content_type == ""
    assert check_attachments(parsed, parts) == {sha256(b""): parts[0]}


def test_the_body_must_be_bytes():
    with pytest.raises(TypeError):
        parse_multipart("--x--", "multipart/mixed; boundary=x")


# ---- parse_multipart: refused ----------------------------------------------------------------

STATEMENT = make_statement(attachment(b"attachment one"))
GOOD_JSON = json_part(STATEMENT)
GOOD_DATA = data_part(b"attachment one")
DASH = f"--{BOUNDARY}"


def _without_first_boundary() -> bytes:  # XAPI-00131
    return multipart(GOOD_JSON, GOOD_DATA)[len(DASH) + 2 :]


def _without_second_boundary() -> bytes:  # XAPI-00130
    return multipart(GOOD_JSON, GOOD_DATA).replace(f"\r\n{DASH}\r\n".encode(), b"\r\n", 1)


REFUSED_BODIES = {
    "form-data content type (XAPI-00127)": (
        multipart(GOOD_JSON, GOOD_DATA),
        f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Type is multipart/form-data",
    ),
    "json content type": (multipart(GOOD_JSON), "application/json", "multipart/mixed"),
    "no content type": (multipart(GOOD_JSON), "", "is not a media type"),
    "no boundary in the header (XAPI-00131)": (
        multipart(GOOD_JSON, GOOD_DATA),
        "multipart/mixed;",
        "has no boundary parameter",
    ),
    "no parameters at all": (multipart(GOOD_JSON), "multipart/mixed", "no boundary parameter"),
    "boundary longer than 70": (
        multipart(GOOD_JSON, boundary="b" * 71),
        f"multipart/mixed; boundary={'b' * 71}",
        "not a valid RFC 2046 boundary",
    ),
    "boundary ending in a space": (
        multipart(GOOD_JSON, boundary="ab "),
        'multipart/mixed; boundary="ab "',
        "not a valid RFC 2046 boundary",
    ),
    "unterminated quoted boundary": (
        multipart(GOOD_JSON),
        f'multipart/mixed; boundary="{BOUNDARY}',
        "cannot read",
    ),
    "boundary twice": (
        multipart(GOOD_JSON),
        f"multipart/mixed; boundary={BOUNDARY}; boundary=x",
        "parameter 'boundary' twice",
    ),
    "boundary not in the body": (
        multipart(GOOD_JSON, boundary="other"),
        CONTENT_TYPE,
        "never uses the boundary",
    ),
    "no boundary before the first part (XAPI-00131)": (
        _without_first_boundary(),
        CONTENT_TYPE,
        "part 1 has Content-Type 'application/octet-stream'",
    ),
    "no boundary before the second part (XAPI-00130)": (
        _without_second_boundary(),
        CONTENT_TYPE,
        "part 1 (the statements) is not valid JSON",
    ),
    "no closing boundary": (
        multipart(GOOD_JSON, GOOD_DATA).removesuffix(f"\r\n{DASH}--\r\n".encode()),
        CONTENT_TYPE,
        "part 2 is not ended by a boundary",
    ),
    "boundary text run on": (
        multipart(GOOD_JSON).replace(f"{DASH}\r\n".encode(), f"{DASH}x\r\n".encode()),
        CONTENT_TYPE,
        "boundary line before part 1 does not end with CRLF",
    ),
    "LF line ends": (
        multipart(GOOD_JSON, GOOD_DATA).replace(b"\r\n", b"\n"),
        CONTENT_TYPE,
        "does not end with CRLF",
    ),
    "closed before any part": (f"{DASH}--\r\n".encode(), CONTENT_TYPE, "closes before its first"),
    "text after the closing boundary": (
        multipart(GOOD_JSON, epilogue=b"junk"),
        CONTENT_TYPE,
        "closing boundary is followed by other text",
    ),
    "first part text/plain (XAPI-00134)": (
        multipart(json_part(STATEMENT, "text/plain"), GOOD_DATA),
        CONTENT_TYPE,
        "part 1 has Content-Type 'text/plain'",
    ),
    "first part without Content-Type": (
        multipart(([], json.dumps(STATEMENT).encode())),
        CONTENT_TYPE,
        "part 1 has no Content-Type",
    ),
    "first part not JSON": (
        multipart((["Content-Type: application/json"], b"{'actor': 1}")),
        CONTENT_TYPE,
        "part 1 (the statements) is not valid JSON",
    ),
    "first part NaN": (
        multipart((["Content-Type: application/json"], b'{"result": {"score": NaN}}')),
        CONTENT_TYPE,
        "NaN is not JSON",
    ),
    "first part not UTF-8": (
        multipart((["Content-Type: application/json"], b'{"name": "\xe9"}')),
        CONTENT_TYPE,
        "not valid JSON",
    ),
    "first part a JSON string": (
        multipart((["Content-Type: application/json"], b'"statement"')),
        CONTENT_TYPE,
        "statement object or an array of statements, not a JSON str",
    ),
    "first part Latin-1": (
        multipart(json_part(STATEMENT, "application/json; charset=iso-8859-1")),
        CONTENT_TYPE,
        "part 1 has charset 'iso-8859-1'",
    ),
    "first part base64": (
        multipart(
            (
                ["Content-Type: application/json", "Content-Transfer-Encoding: base64"],
                base64.b64encode(json.dumps(STATEMENT).encode()),
            )
        ),
        CONTENT_TYPE,
        "part 1 has Content-Transfer-Encoding 'base64'",
    ),
    "statements split over two JSON parts (XAPI-00133)": (
        multipart(GOOD_JSON, GOOD_JSON, GOOD_DATA),
        CONTENT_TYPE,
        "part 2 has no Content-Transfer-Encoding header",
    ),
    "attachment without hash header (XAPI-00132)": (
        multipart(GOOD_JSON, (GOOD_DATA[0][:2], GOOD_DATA[1])),
        CONTENT_TYPE,
        "part 2 has no X-Experience-API-Hash header",
    ),
    "attachment hash not hex": (
        multipart(GOOD_JSON, data_part(b"attachment one", sha2="z" * 64)),
        CONTENT_TYPE,
        f"part 2 has X-Experience-API-Hash '{'z' * 64}'",
    ),
    "attachment hash SHA-1": (
        multipart(GOOD_JSON, data_part(b"x", sha2=hashlib.sha1(b"x").hexdigest())),  # noqa: S324
        CONTENT_TYPE,
        "not a hex SHA-224, SHA-256, SHA-384 or SHA-512 digest",
    ),
    "attachment base64 (XAPI-00135)": (
        multipart(
            GOOD_JSON,
            (
                [h.replace("binary", "base64") for h in GOOD_DATA[0]],
                base64.b64encode(GOOD_DATA[1]),
            ),
        ),
        CONTENT_TYPE,
        "part 2 has Content-Transfer-Encoding 'base64'",
    ),
    "attachment without Content-Transfer-Encoding": (
        multipart(GOOD_JSON, ([GOOD_DATA[0][0], GOOD_DATA[0][2]], GOOD_DATA[1])),
        CONTENT_TYPE,
        "part 2 has no Content-Transfer-Encoding header",
    ),
    "header twice": (
        multipart(GOOD_JSON, ([*GOOD_DATA[0], GOOD_DATA[0][2].upper()], GOOD_DATA[1])),
        CONTENT_TYPE,
        "part 2: the header X-EXPERIENCE-API-HASH appears twice",
    ),
    "header without colon": (
        multipart(GOOD_JSON, ([*GOOD_DATA[0], "Broken header"], GOOD_DATA[1])),
        CONTENT_TYPE,
        "part 2: 'Broken header' is not a 'Name: value' header",
    ),
    "header name with a space": (
        multipart((["Content Type: application/json"], b"{}")),
        CONTENT_TYPE,
        "part 1: 'Content Type: application/json' is not a 'Name: value' header",
    ),
    "header with a bare LF": (
        multipart((["Content-Type: application/json\nX-Other: 1"], b"{}")),
        CONTENT_TYPE,
        "holds a bare CR or LF",
    ),
    "header not UTF-8": (
        multipart(GOOD_JSON).replace(b"Content-Type", b"Content-\xffType", 1),
        CONTENT_TYPE,
        "part 1: its headers are not UTF-8",
    ),
    "headers opening with a folded line": (
        multipart(([" Content-Type: application/json"], b"{}")),
        CONTENT_TYPE,
        "part 1: its headers begin with a folded line",
    ),
    "headers without a blank line": (
        f"{DASH}\r\nContent-Type: application/json\r\n{DASH}--".encode(),
        CONTENT_TYPE,
        "part 1: its headers are not ended by a blank line",
    ),
    "Content-Length not the part's length": (
        multipart(GOOD_JSON, ([*GOOD_DATA[0], "Content-Length: 3"], GOOD_DATA[1])),
        CONTENT_TYPE,
        "part 2 has Content-Length '3' but 14 octets",
    ),
}


@pytest.mark.parametrize(
    ("body", "content_type", "message"), REFUSED_BODIES.values(), ids=REFUSED_BODIES.keys()
)
def test_malformed_requests_are_refused_naming_the_fault(body, content_type, message):
    error = refused(parse_multipart, body, content_type)
    assert message in str(error)


# ---- check_attachments -----------------------------------------------------------------------


def parts_of(*contents: bytes) -> list[Part]:
    return [Part("application/octet-stream", sha256(c), c, {}) for c in contents]


def test_parts_are_matched_to_declared_attachments_by_sha2():
    one, two = b"one", b"two"
    statements = [make_statement(attachment(one)), make_statement(attachment(two))]
    parts = parts_of(two, one)
    assert check_attachments(statements, parts) == {sha256(one): parts[1], sha256(two): parts[0]}


def test_sha224_sha384_and_sha512_are_accepted():
    digests = [hashlib.sha224(b"a"), hashlib.sha384(b"b"), hashlib.sha512(b"c")]
    statement = make_statement(*(attachment(sha2=d.hexdigest()) for d in digests))
    contents = [b"a", b"b", b"c"]
    parts = [
        Part("text/plain", d.hexdigest(), c, {}) for d, c in zip(digests, contents, strict=True)
    ]
    assert set(check_attachments(statement, parts)) == {d.hexdigest() for d in digests}


def test_a_file_url_attachment_needs_no_part_but_may_have_one():
    remote, sent = b"remote", b"sent"
    statement = make_statement(
        attachment(remote, file_url="http://example.com/remote.bin"),
        attachment(sent, file_url="http://example.com/sent.bin"),
    )
    assert check_attachments(statement, []) == {}
    parts = parts_of(sent)
    assert check_attachments(statement, parts) == {sha256(sent): parts[0]}


def test_one_part_may_serve_several_attachments_and_a_duplicate_part_is_accepted():
    shared = b"shared certificate"
    statements = [make_statement(attachment(shared)), make_statement(attachment(shared))]
    parts = parts_of(shared, shared)
    assert check_attachments(statements, parts) == {sha256(shared): parts[0]}


def test_a_substatement_may_declare_attachments():
    data = b"substatement data"
    inner = make_statement(attachment(data))
    del inner["id"]
    statement = make_statement(object={**inner, "objectType": "SubStatement"})
    parts = parts_of(data)
    assert check_attachments(statement, parts) == {sha256(data): parts[0]}
    error = refused(check_attachments, statement, [])
    assert "statement.object.attachments[0]" in str(error)
    assert [path for path, _ in iter_attachments(statement)] == ["statement.object.attachments[0]"]


def test_the_declared_length_and_content_type_are_not_what_matches_a_part():
    """Parts match by sha2 only (Communication 1.5.2). The conformance suite itself sends a
    JPEG as hex text under the file's byte length and expects 200."""
    data = b"ffd8ffe000104a464946"
    declared = {**attachment(data, ctype="image/jpeg"), "length": len(data) // 2}
    parts = [Part("text/plain", sha256(data), data, {})]
    assert check_attachments(make_statement(declared), parts) == {sha256(data): parts[0]}


def test_an_attachment_without_file_url_or_part_is_refused():  # XAPI-00129
    one, two = b"one", b"two"
    statements = [make_statement(attachment(one), attachment(two))]
    error = refused(check_attachments, statements, parts_of(one))
    assert str(error) == (
        f"statements[0].attachments[1] (sha2 {sha256(two)}) has no fileUrl and no part of the"
        " request carries its data"
    )
    # application/json requests carry no parts: every attachment needs a fileUrl.
    refused(check_attachments, make_statement(attachment(one)), [])


def test_a_part_no_attachment_declares_is_refused():  # XAPI-00128
    one, two, three = b"one", b"two", b"three"
    statement = make_statement(attachment(one), attachment(two))
    error = refused(check_attachments, statement, parts_of(one, two, three))
    assert f"part 4 (X-Experience-API-Hash {sha256(three)}) is not the data of any" in str(error)


def test_a_part_whose_content_does_not_have_its_hash_is_refused():  # XAPI-00132, 2nd case
    statement = make_statement(attachment(b"one"))
    wrong = "b018994f8bbe0f08992a65c48c8c8c56f09e9baceaa6227ed85c90ae52b73c89"
    error = refused(check_attachments, statement, [Part("text/plain", wrong, b"one", {})])
    assert str(error) == (
        f"part 2: the SHA256 of its 3 octets is {sha256(b'one')}, not its"
        f" X-Experience-API-Hash {wrong}"
    )
    # A part altered in transit, declared and hashed for other content:
    tampered = [Part("text/plain", sha256(b"one"), b"one!", {})]
    assert "part 2: the SHA256 of its 4 octets" in str(
        refused(check_attachments, statement, tampered)
    )


def test_sha2_must_match_exactly_but_hashing_ignores_letter_case():
    data = b"case"
    upper = sha256(data).upper()
    statement = make_statement(attachment(sha2=upper))
    parts = [Part("text/plain", upper, data, {})]
    assert check_attachments(statement, parts) == {upper: parts[0]}
    mixed = make_statement(attachment(data))
    error = refused(check_attachments, mixed, parts)
    assert "differs only in letter case" in str(error)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        ("a string", "must be a statement object or an array"),
        ([1], "statements[0] is not a JSON object"),
        (make_statement(attachments={"sha2": "x"}), "statement.attachments is not an array"),
        (make_statement(attachments=["x"]), "statement.attachments[0] is not an attachment"),
        (make_statement(attachments=[{"sha2": 1}]), "statement.attachments[0] has no sha2"),
    ],
)
def test_malformed_attachment_declarations_are_refused(statements, message):
    assert message in str(refused(check_attachments, statements, []))


# ---- signed statements -----------------------------------------------------------------------

JWS_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


def certificate_for(key) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pathway test signer")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def certificate(key):
    return certificate_for(key)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def x5c(certificate) -> list[str]:
    return [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()]


def sign(payload, key, alg="RS256", certificate=None, **header) -> bytes:
    """A JWS compact serialization, made here without the module under test."""
    header = {"alg": alg, **header}
    if certificate is not None:
        header["x5c"] = x5c(certificate)
    octets = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(octets)}".encode()
    if alg in JWS_HASHES:
        signature = key.sign(signing_input, padding.PKCS1v15(), JWS_HASHES[alg]())
    elif alg == "HS256":  # as the conformance suite does: the PEM key as HMAC secret
        secret = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    elif alg == "PS256":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        signature = key.sign(signing_input, pss, hashes.SHA256())
    else:
        signature = b""
    return signing_input + b"." + b64url(signature).encode()


def with_signature(statement: dict, token: bytes, content_type="application/octet-stream"):
    """(the statement with its signature attachment added, the signature's part)."""
    signed = copy.deepcopy(statement)
    signed.setdefault("attachments", []).append(
        {
            "usageType": SIGNATURE_USAGE,
            "display": {"en-US": "Signature"},
            "contentType": content_type,
            "length": len(token),
            "sha2": sha256(token),
        }
    )
    return signed, Part("application/octet-stream", sha256(token), token, {})


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_a_valid_signature_with_its_certificate_is_accepted(key, certificate, alg):
    statement = make_statement()
    received, part = with_signature(statement, sign(statement, key, alg, certificate))
    verify_signature(received, part)
    verify_signatures(received, check_attachments(received, [part]))


def test_a_signature_without_x5c_is_checked_for_form_only(key):
    statement = make_statement()
    verify_signature(*with_signature(statement, sign(statement, key)))


def test_a_payload_differing_from_the_statement_is_refused(key, certificate):
    signed = make_statement()
    received = make_statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    error = refused(
        verify_signature, *with_signature(received, sign(signed, key, "RS256", certificate))
    )
    assert "they differ at verb.id" in str(error)


@pytest.mark.parametrize("alg", ["HS256", "PS256", "none", "ES256"])
def test_other_algorithms_are_refused(key, certificate, alg):  # XAPI-00117
    statement = make_statement()
    error = refused(verify_signature, *with_signature(statement, sign(statement, key, alg)))
    assert f"the JWS algorithm is '{alg}': signed statements must use RS256, RS384" in str(error)


def test_a_missing_algorithm_is_refused(key):
    statement = make_statement()
    token = sign(statement, key, "RS256")
    header = b64url(json.dumps({"typ": "JWT"}).encode()).encode()
    forged = header + token[token.index(b".") :]
    assert "the JWS algorithm is None" in str(
        refused(verify_signature, *with_signature(statement, forged))
    )


def test_a_tampered_signature_is_refused(key, certificate):
    statement = make_statement()
    token = sign(statement, key, "RS256", certificate)
    head, payload, signature = token.split(b".")
    raw = bytearray(base64.urlsafe_b64decode(signature + b"=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    tampered = b".".join([head, payload, b64url(bytes(raw)).encode()])
    error = refused(verify_signature, *with_signature(statement, tampered))
    assert "does not verify with the key of the certificate in its x5c" in str(error)


def test_a_payload_swapped_under_a_valid_signature_is_refused(key, certificate):
    original = make_statement()
    changed = make_statement(result={"success": False})
    head, _, signature = sign(original, key, "RS256", certificate).split(b".")
    swapped = b".".join([head, b64url(json.dumps(changed).encode()).encode(), signature])
    error = refused(verify_signature, *with_signature(changed, swapped))
    assert "does not verify" in str(error)


def test_a_certificate_of_another_key_is_refused(key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    statement = make_statement()
    token = sign(statement, key, "RS256", certificate_for(other))
    assert "does not verify" in str(refused(verify_signature, *with_signature(statement, token)))


def test_a_certificate_without_an_rsa_key_is_refused(key):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    statement = make_statement()
    token = sign(statement, key, "RS256", certificate_for(ec_key))
    error = refused(verify_signature, *with_signature(statement, token))
    assert "x5c[0] certificate holds no RSA key" in str(error)


@pytest.mark.parametrize(
    ("x5c_value", "message"),
    [
        ("MIIB", "x5c is not an array"),
        ([], "x5c is not an array"),
        (["not base64!"], "x5c[0] is not a base64 DER X.509 certificate"),
        ([base64.b64encode(b"not a certificate").decode()], "x5c[0] is not a base64 DER"),
    ],
)
def test_a_malformed_x5c_is_refused(key, x5c_value, message):
    statement = make_statement()
    token = sign(statement, key, "RS256", x5c=x5c_value)
    assert message in str(refused(verify_signature, *with_signature(statement, token)))


def test_critical_header_extensions_are_refused(key):
    statement = make_statement()
    token = sign(statement, key, "RS256", crit=["b64"], b64=False)
    assert "critical extensions" in str(
        refused(verify_signature, *with_signature(statement, token))
    )


def test_a_payload_that_is_not_json_is_refused(key):  # XAPI-00115/00116 "breakJson"
    statement = make_statement()
    broken = json.dumps(statement).replace('"', "'", 1).encode()
    error = refused(verify_signature, *with_signature(statement, sign(broken, key)))
    assert "the JWS payload is not a JSON serialization of a statement" in str(error)
    error = refused(verify_signature, *with_signature(statement, sign(b"[1, 2]", key)))
    assert "the JWS payload is not a JSON statement object" in str(error)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (b"only.two", "has 2 dot-separated segments, not 3"),
        (b"a.b.c.d.e", "has 5 dot-separated segments, not 3"),
        (b"\xff\xfe", "it is not ASCII text"),
        (b"e30.e30.a+b/", "the JWS signature is not base64url"),
        (b"e30.e30.abcde", "bad length"),
        (b"bm90IGpzb24.e30.c2ln", "the JWS protected header is not JSON"),
        (b"W10.e30.c2ln", "the JWS protected header is not a JSON object"),
        (b'{"payload": "e30"}', "a JWS JSON signature entry has no 'signature'"),
        (b'{"payload": "e30", "signatures": []}', "'signatures' is not a non-empty array"),
        (b"{oops", "the JWS JSON serialization is not JSON"),
        (b'{"payload": 1, "signature": "c2ln"}', "the JWS payload is not base64url text"),
    ],
)
def test_a_signature_that_is_not_a_jws_is_refused(token, message):
    statement = make_statement()
    assert message in str(refused(verify_signature, *with_signature(statement, token)))


def test_an_empty_signature_segment_is_refused():
    statement = make_statement()
    header = b64url(json.dumps({"alg": "RS256"}).encode())
    token = f"{header}.{b64url(json.dumps(statement).encode())}.".encode()
    assert "the JWS signature is empty" in str(
        refused(verify_signature, *with_signature(statement, token))
    )


def test_the_signature_attachment_must_be_application_octet_stream(key):  # XAPI-00115
    statement = make_statement()
    received, part = with_signature(statement, sign(statement, key), "text/plain; charset=ascii")
    error = refused(verify_signature, received, part)
    assert "has contentType 'text/plain; charset=ascii': a signature's must be" in str(error)
    received, part = with_signature(statement, sign(statement, key))
    wrong_part = Part("text/plain", part.sha2, part.content, {})
    assert "has Content-Type 'text/plain'" in str(refused(verify_signature, received, wrong_part))


def test_a_part_not_declared_as_a_signature_is_refused(key):
    statement = make_statement()
    token = sign(statement, key)
    received = make_statement(attachment(token))
    part = Part("application/octet-stream", sha256(token), token, {})
    error = refused(verify_signature, received, part)
    assert "is not declared by a signature attachment" in str(error)


def test_verify_signatures_needs_every_signature_part(key):
    statement = make_statement()
    received, part = with_signature(statement, sign(statement, key))
    verify_signatures(received, {part.sha2: part})
    verify_signatures(make_statement(attachment(b"x")), {})  # nothing signed: nothing to do
    error = refused(verify_signatures, received, {})
    assert f"the signature attachment {part.sha2} has no part in the request" in str(error)


def test_the_jws_json_serializations_are_read(key, certificate):
    statement = make_statement()
    compact = sign(statement, key, "RS384", certificate).decode()
    protected, payload, signature = compact.split(".")
    flattened = {"protected": protected, "payload": payload, "signature": signature}
    general = {"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}
    for document in (flattened, general):
        verify_signature(*with_signature(statement, json.dumps(document).encode()))
    unprotected_alg = {"protected": protected, "header": {"alg": "RS384"}, "payload": payload}
    unprotected_alg["signature"] = signature
    error = refused(
        verify_signature, *with_signature(statement, json.dumps(unprotected_alg).encode())
    )
    assert "share parameters ['alg']" in str(error)
    bad = {
        **general,
        "signatures": [{"protected": protected, "signature": signature[:-4] + "AAAA"}],
    }
    assert "does not verify" in str(
        refused(verify_signature, *with_signature(statement, json.dumps(bad).encode()))
    )


# What the statement comparison requirements let differ between the signed statement and the
# received one (Data 2.3.1; durations Data 4.6), and what they do not.
GROUP = {
    "objectType": "Group",
    "name": "Cohort",
    "member": [{"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}],
}
EQUIVALENT = {
    "LRS-set properties": (
        {},
        {
            "stored": "2024-01-01T00:00:00Z",
            "authority": {"mbox": "mailto:lrs@example.com"},
            "version": "1.0.3",
        },
    ),
    "id only on one side": ({"id": None}, {}),
    "id letter case": ({}, {"id": "33CFF416-E331-4C9D-969E-5373A1756120"}),
    "timestamp zone": (
        {"timestamp": "2013-04-01T12:00:00.1234Z"},
        {"timestamp": "2013-04-01T14:00:00.123+02:00"},
    ),
    "timestamp rounded to milliseconds": (
        {"timestamp": "2013-04-01T12:00:00.1236Z"},
        {"timestamp": "2013-04-01T12:00:00.124Z"},
    ),
    "timestamp only on one side": ({"timestamp": "2013-04-01T12:00:00Z"}, {}),
    "verb display": ({}, {"verb": {"id": "http://adlnet.gov/expapi/verbs/attended"}}),
    "activity definition": (
        {},
        {"object": {"id": "http://example.com/activities/unit-1", "definition": {}}},
    ),
    "group member order and default objectType": (
        {"actor": GROUP},
        {"actor": {**GROUP, "member": GROUP["member"][::-1]}},
    ),
    "mbox domain case": (
        {},
        {"actor": {"mbox": "MAILTO:learner@EXAMPLE.com", "name": "A Learner"}},
    ),
    "duration beyond 0.01 s (xAPI 2.0 conformance test)": (
        {"result": {"duration": "P1DT12H36M0.12S"}},
        {"result": {"duration": "P1DT12H36M0.1237S"}},
    ),
    "single context activity as an array": (
        {"context": {"contextActivities": {"parent": {"id": "http://example.com/course"}}}},
        {
            "context": {
                "contextActivities": {
                    "parent": [
                        {"id": "http://example.com/course", "objectType": "Activity"},
                    ]
                }
            }
        },
    ),
    "registration case": (
        {"context": {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}},
        {"context": {"registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7"}},
    ),
    "JWT claims in the payload": ({"iat": 1700000000}, {}),
    "integer and float": ({"result": {"score": {"raw": 1}}}, {"result": {"score": {"raw": 1.0}}}),
}
DIFFERENT = {
    "another id": ({}, {"id": "0f9c1b3e-2c71-4d5b-9a43-4f0d1b6b2d11"}, "id"),
    "another timestamp": (
        {"timestamp": "2013-04-01T12:00:00Z"},
        {"timestamp": "2013-04-01T12:00:01Z"},
        "timestamp",
    ),
    "another actor": ({}, {"actor": {"mbox": "mailto:someone@example.com"}}, "actor.mbox"),
    "mbox local part case": ({}, {"actor": {"mbox": "mailto:Learner@example.com"}}, "actor.mbox"),
    "another duration": (
        {"result": {"duration": "PT1.12S"}},
        {"result": {"duration": "PT1.13S"}},
        "result.duration",
    ),
    "true and 1": ({"result": {"success": True}}, {"result": {"success": 1}}, "result.success"),
    "a missing result": ({"result": {"completion": True}}, {}, "result (present in only one"),
    "an extension": (
        {"context": {"extensions": {"http://example.com/x": [1, 2]}}},
        {"context": {"extensions": {"http://example.com/x": [2, 1]}}},
        "context.extensions.http://example.com/x[0]",
    ),
    "a longer array": (
        {"context": {"contextActivities": {"other": [{"id": "http://example.com/a"}]}}},
        {"context": {"contextActivities": {"other": []}}},
        "context.contextActivities.other (arrays of 1 and 0 items)",
    ),
    "a substatement timestamp": (
        {"object": {"objectType": "SubStatement", **make_statement(timestamp="2020-01-01T00:00Z")}},
        {"object": {"objectType": "SubStatement", **make_statement()}},
        "object.timestamp",
    ),
}


def _variant(changes: dict) -> dict:
    statement = make_statement()
    for name, value in changes.items():
        if value is None:
            statement.pop(name)
        else:
            statement[name] = value
    return statement


@pytest.mark.parametrize(("signed", "received"), EQUIVALENT.values(), ids=EQUIVALENT.keys())
def test_differences_the_comparison_rules_allow_are_accepted(key, signed, received):
    signed_statement = _variant(signed)
    received_statement = _variant(received)
    verify_signature(*with_signature(received_statement, sign(signed_statement, key)))


@pytest.mark.parametrize(("signed", "received", "where"), DIFFERENT.values(), ids=DIFFERENT.keys())
def test_differences_the_comparison_rules_forbid_are_refused(key, signed, received, where):
    token = sign(_variant(signed), key)
    error = refused(verify_signature, *with_signature(_variant(received), token))
    assert f"they differ at {where}" in str(error)


def test_a_signed_statement_request_end_to_end(key, certificate):
    """A body built as the conformance suite builds signed statements, through all checks."""
    statement = make_statement()
    token = sign(statement, key, "RS512", certificate)
    received, _ = with_signature(statement, token)
    dash = f"--{BOUNDARY}"
    body = (
        (
            f"\r\n{dash}\r\nContent-Type:application/json\r\n\r\n{json.dumps(received)}"
            f"\r\n{dash}\r\nContent-Type:application/octet-stream\r\n"
            f"Content-Transfer-Encoding:binary\r\nX-Experience-API-Hash:{sha256(token)}\r\n\r\n"
        ).encode()
        + token
        + f"\r\n{dash}--".encode()
    )
    parsed, parts = parse_multipart(body, CONTENT_TYPE)
    verify_signatures(parsed, check_attachments(parsed, parts))


def test_the_specification_appendix_d_signature_verifies():
    """Appendix D's signed statement: a real x5c chain (expired in 2014: certificates are not
    judged), a CRLF-formatted payload without the attachment, declared length 4235 though the
    JWS has 4239 octets."""
    token = APPENDIX_D_JWS.encode()
    statement = copy.deepcopy(APPENDIX_D_STATEMENT)
    assert statement["attachments"][0]["sha2"] == sha256(token)
    verify_signature(statement, Part("application/octet-stream", sha256(token), token, {}))
    statement["object"]["id"] = "https://www.youtube.com/watch?v=other"
    refused(verify_signature, statement, Part("application/octet-stream", sha256(token), token, {}))


# ---- build_multipart -------------------------------------------------------------------------


def test_a_built_response_parses_back_byte_exactly():
    other = b"\x00\r\n\r\n"
    statement = make_statement(attachment(BINARY), attachment(other))
    result = json.dumps({"statements": [statement], "more": ""}).encode()
    body, content_type = build_multipart(
        result,
        [
            (sha256(BINARY), "image/png", BINARY),
            (sha256(other), "text/plain; charset=ascii", other),
        ],
    )
    parsed, parts = parse_multipart(body, content_type)
    assert parsed == {"statements": [statement], "more": ""}
    assert [(p.content_type, p.sha2, p.content) for p in parts] == [
        ("image/png", sha256(BINARY), BINARY),
        ("text/plain; charset=ascii", sha256(other), other),
    ]
    assert all(p.headers["content-transfer-encoding"] == "binary" for p in parts)
    assert check_attachments(parsed["statements"], parts)


def test_the_built_response_has_the_shape_conformance_clients_read():
    """The suite reads the boundary as `split(";")[1].replace(" boundary=", "")`, splits the
    body on it, and expects each hash once in the statement and once in a part header."""
    data = b"here is a simple attachment"
    statement = make_statement(attachment(data))
    result = json.dumps(statement).encode()
    body, content_type = build_multipart(result, [(sha256(data), "text/plain", data)])
    assert content_type.split(";")[0] == "multipart/mixed"
    boundary = content_type.split(";")[1].replace(" boundary=", "")
    assert boundary.isalnum() and len(boundary) <= 70
    assert body.startswith(f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode())
    assert body.endswith(f"\r\n--{boundary}--\r\n".encode())
    assert body.count(sha256(data).encode()) == 2
    first = body.split(boundary.encode())[1]
    assert json.loads(first[first.index(b"{") : first.rindex(b"}") + 1]) == statement


def test_data_shared_by_several_attachments_is_sent_once_and_types_default():
    data = b"shared"
    body, content_type = build_multipart(b"[]", [(sha256(data), "", data)] * 2)
    _, parts = parse_multipart(body, content_type)
    assert [(p.content_type, p.content) for p in parts] == [("application/octet-stream", data)]
    body, content_type = build_multipart("[]", [])
    assert parse_multipart(body, content_type) == ([], [])


def test_the_boundary_never_occurs_in_the_content(monkeypatch):
    taken = "a" * 48
    data = b"\r\n--" + taken.encode() + b"--\r\n"
    values = iter([taken, "b" * 48])
    monkeypatch.setattr(xapi.attachments.secrets, "token_hex", lambda _n: next(values))
    body, content_type = build_multipart(b"{}", [(sha256(data), "text/plain", data)])
    assert content_type == f"multipart/mixed; boundary={'b' * 48}"
    assert parse_multipart(body, content_type)[1][0].content == data


@pytest.mark.parametrize(
    ("part", "message"),
    [
        (("not-a-hash", "text/plain", b""), "is not a hex SHA-2 digest"),
        ((sha256(b""), "text/plain\r\nX-Injected: 1", b""), "holds a line break"),
    ],
)
def test_build_refuses_bad_parts(part, message):
    with pytest.raises(ValueError, match=message):
        build_multipart(b"{}", [part])


APPENDIX_D_STATEMENT = {
    "version": "1.0.0",
    "id": "33cff416-e331-4c9d-969e-5373a1756120",
    "actor": {
        "mbox": "mailto:example@example.com",
        "name": "Example Learner",
        "objectType": "Agent",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/experienced",
        "display": {"en-US": "experienced"},
    },
    "object": {
        "id": "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
        "objectType": "Activity",
        "definition": {
            "name": {"en-US": "Tax Tips & Information : How to File a Tax Return "},
            "description": {
                "en-US": "Filing a tax return will require filling out either a 1040, 1040A or"
                " 1040EZ form"
            },
        },
    },
    "timestamp": "2013-04-01T12:00:00Z",
    "attachments": [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "description": {"en-US": "A test signature"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
        }
    ],
}

APPENDIX_D_JWS = (
    "ew0KICAgICJhbGciOiAiUlMyNTYiLA0KICAgICJ4NWMiOiBbDQogICAgICAgICJNSUlEQVRDQ0FtcWdBd0lCQWdJSkFN"
    "QjFjc051QTYra01BMEdDU3FHU0liM0RRRUJCUVVBTUhFeEN6QUpCZ05WQkFZVEFsVlRNUkl3RUFZRFZRUUlFd2xVWlc1"
    "dVpYTnpaV1V4R0RBV0JnTlZCQW9URDBWNFlXMXdiR1VnUTI5dGNHRnVlVEVRTUE0R0ExVUVBeE1IUlhoaGJYQnNaVEVp"
    "TUNBR0NTcUdTSWIzRFFFSkFSWVRaWGhoYlhCc1pVQmxlR0Z0Y0d4bExtTnZiVEFlRncweE16QTBNRFF4TlRJNE16QmFG"
    "dzB4TkRBME1EUXhOVEk0TXpCYU1JR1dNUXN3Q1FZRFZRUUdFd0pWVXpFU01CQUdBMVVFQ0JNSlZHVnVibVZ6YzJWbE1S"
    "RXdEd1lEVlFRSEV3aEdjbUZ1YTJ4cGJqRVlNQllHQTFVRUNoTVBSWGhoYlhCc1pTQkRiMjF3WVc1NU1SQXdEZ1lEVlFR"
    "TEV3ZEZlR0Z0Y0d4bE1SQXdEZ1lEVlFRREV3ZEZlR0Z0Y0d4bE1TSXdJQVlKS29aSWh2Y05BUWtCRmhObGVHRnRjR3hs"
    "UUdWNFlXMXdiR1V1WTI5dE1JR2ZNQTBHQ1NxR1NJYjNEUUVCQVFVQUE0R05BRENCaVFLQmdRRGp4dlpYRjMwV0w0b0tq"
    "WllYZ1IwWnlhWCt1M3k2K0pxVHFpTmtGYS9WVG5ldDZMeTJPVDZabW1jSkVQbnEzVW5ld3BIb09RK0dmaGhUa1cxM2ow"
    "Nmo1aU5uNG9iY0NWV1RMOXlYTnZKSCtLbyt4dTRZbC95U1BScklQeVRqdEhkRzBNMlh6SWxtbUxxbStDQVMrS0NiSmVI"
    "NHRmNTQza0lXQzVwQzVwM2NWUUlEQVFBQm8zc3dlVEFKQmdOVkhSTUVBakFBTUN3R0NXQ0dTQUdHK0VJQkRRUWZGaDFQ"
    "Y0dWdVUxTk1JRWRsYm1WeVlYUmxaQ0JEWlhKMGFXWnBZMkYwWlRBZEJnTlZIUTRFRmdRVVZzM3Y1YWZFZE9lb1llVmFq"
    "QVFFNHYwV1MxUXdId1lEVlIwakJCZ3dGb0FVeVZJYzN5dnJhNEVCejIwSTRCRjM5SUFpeEJrd0RRWUpLb1pJaHZjTkFR"
    "RUZCUUFEZ1lFQWdTL0ZGNUQwSG5qNDRydlQ2a2duM2tKQXZ2MmxqL2Z5anp0S0lyWVMzM2xqWEduNmdHeUE0cXRiWEEy"
    "M1ByTzR1Yy93WUNTRElDRHBQb2JoNjJ4VENkOXFPYktoZ3dXT2kwNVBTQkxxVXUzbXdmQWUxNUxKQkpCcVBWWjRLMGtw"
    "cGVQQlU4bTZhSVpvSDU3TC85dDRPb2FMOHlLcy9xaktGZUkxT0ZXWnh2QT0iLA0KICAgICAgICAiTUlJRE56Q0NBcUNn"
    "QXdJQkFnSUpBTUIxY3NOdUE2K2pNQTBHQ1NxR1NJYjNEUUVCQlFVQU1IRXhDekFKQmdOVkJBWVRBbFZUTVJJd0VBWURW"
    "UVFJRXdsVVpXNXVaWE56WldVeEdEQVdCZ05WQkFvVEQwVjRZVzF3YkdVZ1EyOXRjR0Z1ZVRFUU1BNEdBMVVFQXhNSFJY"
    "aGhiWEJzWlRFaU1DQUdDU3FHU0liM0RRRUpBUllUWlhoaGJYQnNaVUJsZUdGdGNHeGxMbU52YlRBZUZ3MHhNekEwTURR"
    "eE5USTFOVE5hRncweU16QTBNREl4TlRJMU5UTmFNSEV4Q3pBSkJnTlZCQVlUQWxWVE1SSXdFQVlEVlFRSUV3bFVaVzV1"
    "WlhOelpXVXhHREFXQmdOVkJBb1REMFY0WVcxd2JHVWdRMjl0Y0dGdWVURVFNQTRHQTFVRUF4TUhSWGhoYlhCc1pURWlN"
    "Q0FHQ1NxR1NJYjNEUUVKQVJZVFpYaGhiWEJzWlVCbGVHRnRjR3hsTG1OdmJUQ0JuekFOQmdrcWhraUc5dzBCQVFFRkFB"
    "T0JqUUF3Z1lrQ2dZRUExc0JuQldQWjBmN1dKVUZUSnk1KzAxU2xTNVo2RERENlV5ZTl2SzlBeWNnVjVCMytXQzhIQzV1"
    "NWg5MU11akFDMUFSUFZVT3RzdlBSczQ1cUtORklnSUdSWEtQQXdaamF3RUkyc0NKUlNLVjQ3aTZCOGJEdjRXa3VHdlFh"
    "dmVaR0kwcWxtTjVSMUVpbTJnVUl0UmoxaGdjQzlyUWF2amxuRktEWTJybFhHdWtDQXdFQUFhT0IxakNCMHpBZEJnTlZI"
    "UTRFRmdRVXlWSWMzeXZyYTRFQnoyMEk0QkYzOUlBaXhCa3dnYU1HQTFVZEl3U0JtekNCbUlBVXlWSWMzeXZyYTRFQnoy"
    "MEk0QkYzOUlBaXhCbWhkYVJ6TUhFeEN6QUpCZ05WQkFZVEFsVlRNUkl3RUFZRFZRUUlFd2xVWlc1dVpYTnpaV1V4R0RB"
    "V0JnTlZCQW9URDBWNFlXMXdiR1VnUTI5dGNHRnVlVEVRTUE0R0ExVUVBeE1IUlhoaGJYQnNaVEVpTUNBR0NTcUdTSWIz"
    "RFFFSkFSWVRaWGhoYlhCc1pVQmxlR0Z0Y0d4bExtTnZiWUlKQU1CMWNzTnVBNitqTUF3R0ExVWRFd1FGTUFNQkFmOHdE"
    "UVlKS29aSWh2Y05BUUVGQlFBRGdZRUFEaHdUZWJHazczNXlLaG04RHFDeHZObkVaME54c1lFWU9qZ1JHMXlYVGxXNXBF"
    "NjkxZlNINUFaK1Q2ZnB3cFpjV1k1UVlrb042RG53ak94R2tTZlFDMy95R21jVURLQlB3aVo1TzJzOUMrZkUxa1VFbnJY"
    "MlhlYTRhZ1ZuZ016UjhEUTZvT2F1TFdxZWhEQitnMkVOV1JMb1ZnUyttYTUvWWNzMEdUeXJFQ1k9Ig0KICAgIF0NCn0."
    "ew0KICAgICJ2ZXJzaW9uIjogIjEuMC4wIiwNCiAgICAiaWQiOiAiMzNjZmY0MTYtZTMzMS00YzlkLTk2OWUtNTM3M2Ex"
    "NzU2MTIwIiwNCiAgICAiYWN0b3IiOiB7DQogICAgICAgICJtYm94IjogIm1haWx0bzpleGFtcGxlQGV4YW1wbGUuY29t"
    "IiwNCiAgICAgICAgIm5hbWUiOiAiRXhhbXBsZSBMZWFybmVyIiwNCiAgICAgICAgIm9iamVjdFR5cGUiOiAiQWdlbnQi"
    "DQogICAgfSwNCiAgICAidmVyYiI6IHsNCiAgICAgICAgImlkIjogImh0dHA6Ly9hZGxuZXQuZ292L2V4cGFwaS92ZXJi"
    "cy9leHBlcmllbmNlZCIsDQogICAgICAgICJkaXNwbGF5Ijogew0KICAgICAgICAgICAgImVuLVVTIjogImV4cGVyaWVu"
    "Y2VkIg0KICAgICAgICB9DQogICAgfSwNCiAgICAib2JqZWN0Ijogew0KICAgICAgICAiaWQiOiAiaHR0cHM6Ly93d3cu"
    "eW91dHViZS5jb20vd2F0Y2g_dj14aDRrSWlIM1NtOCIsDQogICAgICAgICJvYmplY3RUeXBlIjogIkFjdGl2aXR5IiwN"
    "CiAgICAgICAgImRlZmluaXRpb24iOiB7DQogICAgICAgICAgICAibmFtZSI6IHsNCiAgICAgICAgICAgICAgICAiZW4t"
    "VVMiOiAiVGF4IFRpcHMgJiBJbmZvcm1hdGlvbiA6IEhvdyB0byBGaWxlIGEgVGF4IFJldHVybiAiDQogICAgICAgICAg"
    "ICB9LA0KICAgICAgICAgICAgImRlc2NyaXB0aW9uIjogew0KICAgICAgICAgICAgICAgICJlbi1VUyI6ICJGaWxpbmcg"
    "YSB0YXggcmV0dXJuIHdpbGwgcmVxdWlyZSBmaWxsaW5nIG91dCBlaXRoZXIgYSAxMDQwLCAxMDQwQSBvciAxMDQwRVog"
    "Zm9ybSINCiAgICAgICAgICAgIH0NCiAgICAgICAgfQ0KICAgIH0sDQogICAgInRpbWVzdGFtcCI6ICIyMDEzLTA0LTAx"
    "VDEyOjAwOjAwWiINCn0.FWuwaPhwUbkk7h9sKW5zSvjsYNugvxJ-TrVaEgt_DCUT0bmKhQScRrjMB6P9O50uznPwT66o"
    "F1NnU_G0HVhRzS5voiXE-y7tT3z0M3-8A6YK009Bk_digVUul-HA4Fpd5IjoBBGe3yzaQ2ZvzarvRuipvNEQCI0onpfu"
    "ZZJQ0d8"
)
