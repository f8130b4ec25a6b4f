"""Attachments and signed statements over HTTP (xAPI 1.0.3 Data 2.4.11 and 2.6,
Communication 1.5.2): multipart/mixed requests written out by hand, attachment data
returned byte-exactly by GET ?attachments=true, fileUrl-only attachments, and the refusals
(missing part, hash mismatch, a signature over another statement)."""

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

STATEMENTS = "/xapi/statements"
BOUNDARY = "xapi-test-boundary-7f3a"
SUPPORTING = "http://adlnet.gov/expapi/attachments/supporting_media"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
# Octets that trip naive parsers: CR LF, NUL, a blank line, something like a boundary.
DATA = b"notes\r\n\x00\x01\x02\r\n\r\n--" + BOUNDARY.encode()[:-1] + b"\r\n\xff\xfe end"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def statement(*attachments, actor="ann", **extra) -> dict:
    body = {"actor": {"objectType": "Agent", "mbox": f"mailto:{actor}@pathway.test"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"objectType": "Activity", "id": "http://pathway.test/activities/essay"},
            **extra}
    if attachments:
        body["attachments"] = list(attachments)
    return body


def attachment(data: bytes, usage=SUPPORTING, content_type="application/octet-stream",
               **extra) -> dict:
    return {"usageType": usage, "display": {"en-US": "Attachment"}, "contentType": content_type,
            "length": len(data), "sha2": sha256(data), **extra}


def multipart(statements, *parts, boundary=BOUNDARY) -> bytes:
    """A multipart/mixed body: the statements as JSON, then (data, sha2 header) parts."""
    dash = b"--" + boundary.encode()
    body = dash + b"\r\nContent-Type: application/json\r\n\r\n"
    body += json.dumps(statements).encode() + b"\r\n"
    for data, sha2 in parts:
        body += dash + b"\r\n"
        body += b"Content-Type: application/octet-stream\r\n"
        body += b"Content-Transfer-Encoding: binary\r\n"
        body += f"X-Experience-API-Hash: {sha2 or sha256(data)}\r\n\r\n".encode()
        body += data + b"\r\n"
    return body + dash + b"--\r\n"


def send(client, headers, statements, *parts, method="post", query=None):
    return getattr(client, method)(
        STATEMENTS, query_string=query, data=multipart(statements, *parts),
        content_type=f"multipart/mixed; boundary={BOUNDARY}", headers=headers)


def split_multipart(response) -> list[tuple[dict, bytes]]:
    """The parts of a multipart/mixed response: (headers with lower-case names, content)."""
    assert response.mimetype == "multipart/mixed"
    boundary = response.mimetype_params["boundary"].encode()
    body = response.get_data()
    chunks = body.split(b"--" + boundary)
    assert chunks[0] == b"" and chunks[-1] in (b"--", b"--\r\n")
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, _, content = chunk[2:-2].partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, content))
    return parts


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


def fetch(client, headers, **params):
    response = client.get(STATEMENTS, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def stored_ids(client, headers) -> list[str]:
    return [s["id"] for s in fetch(client, headers).get_json()["statements"]]


# ---- multipart requests and responses ----------------------------------------------------------

def test_a_multipart_statement_is_stored_and_its_data_returned_byte_exactly(client, headers):
    sid = str(uuid.uuid4())
    declared = attachment(DATA)
    response = send(client, headers, statement(declared, id=sid), (DATA, None))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == [sid]

    got = fetch(client, headers, statementId=sid, attachments="true")
    [(json_headers, json_part), (data_headers, data)] = split_multipart(got)
    assert json_headers["content-type"] == "application/json"
    assert json.loads(json_part)["attachments"] == [declared]
    assert data == DATA
    assert data_headers["x-experience-api-hash"] == sha256(DATA)
    assert data_headers["content-transfer-encoding"] == "binary"
    assert data_headers["content-type"] == "application/octet-stream"
    assert got.headers["X-Experience-API-Consistent-Through"]


def test_without_attachments_true_the_answer_is_json_without_data(client, headers):
    sid = str(uuid.uuid4())
    send(client, headers, statement(attachment(DATA), id=sid), (DATA, None))
    for params in ({}, {"attachments": "false"}):
        response = fetch(client, headers, statementId=sid, **params)
        assert response.mimetype == "application/json"
        assert response.get_json()["attachments"][0]["sha2"] == sha256(DATA)
        response = fetch(client, headers, **params)
        assert response.mimetype == "application/json"
        assert DATA not in response.get_data()


def test_a_statement_list_with_attachments_true_carries_each_data_once(client, headers):
    other = b"%PDF-1.4 second attachment \x00\xff"
    shared = attachment(DATA)
    batch = [statement(shared, actor="a"), statement(shared, attachment(other), actor="b")]
    response = send(client, headers, batch, (DATA, None), (other, None))
    assert response.status_code == 200, response.get_data(as_text=True)
    parts = split_multipart(fetch(client, headers, attachments="true"))
    result = json.loads(parts[0][1])
    assert [s["id"] for s in result["statements"]] == response.get_json()[::-1]
    assert result["more"] == ""
    data = {h["x-experience-api-hash"]: content for h, content in parts[1:]}
    assert data == {sha256(DATA): DATA, sha256(other): other}


def test_put_takes_a_multipart_statement(client, headers):
    sid = str(uuid.uuid4())
    response = send(client, headers, statement(attachment(DATA)), (DATA, None), method="put",
                    query={"statementId": sid})
    assert response.status_code == 204, response.get_data(as_text=True)
    [_, (_, data)] = split_multipart(fetch(client, headers, statementId=sid,
                                           attachments="true"))
    assert data == DATA


def test_a_file_url_attachment_may_come_as_application_json(client, headers):
    remote = attachment(b"kept elsewhere", fileUrl="http://files.pathway.test/essay.pdf",
                        content_type="application/pdf")
    response = client.post(STATEMENTS, json=statement(remote), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    [sid] = response.get_json()
    assert fetch(client, headers, statementId=sid).get_json()["attachments"] == [remote]
    parts = split_multipart(fetch(client, headers, statementId=sid, attachments="true"))
    assert len(parts) == 1
    assert json.loads(parts[0][1])["attachments"] == [remote]


# ---- refusals ----------------------------------------------------------------------------------

def test_an_attachment_without_file_url_sent_as_json_is_400(client, headers):
    response = client.post(STATEMENTS, json=statement(attachment(DATA)), headers=headers)
    assert response.status_code == 400
    assert "no fileUrl" in response.get_json()["error"]["message"]
    assert stored_ids(client, headers) == []


def test_a_missing_part_is_400_and_nothing_is_stored(client, headers):
    other = b"the second attachment"
    batch = [statement(attachment(DATA)), statement(attachment(other))]
    response = send(client, headers, batch, (DATA, None))
    assert response.status_code == 400
    assert "statements[1].attachments[0]" in response.get_json()["error"]["message"]
    assert stored_ids(client, headers) == []


def test_a_part_whose_data_does_not_match_its_hash_is_400(client, headers):
    declared = attachment(DATA)
    response = send(client, headers, statement(declared), (DATA + b"!", sha256(DATA)))
    assert response.status_code == 400
    assert "part 2" in response.get_json()["error"]["message"]
    assert stored_ids(client, headers) == []


def test_a_part_no_attachment_declares_is_400(client, headers):
    response = send(client, headers, statement(attachment(DATA)), (DATA, None),
                    (b"stray", None))
    assert response.status_code == 400
    assert stored_ids(client, headers) == []


def test_a_malformed_multipart_body_is_400(client, headers):
    body = multipart(statement(attachment(DATA)), (DATA, None))
    response = client.post(STATEMENTS, data=body[: len(body) // 2],
                           content_type=f"multipart/mixed; boundary={BOUNDARY}",
                           headers=headers)
    assert response.status_code == 400
    response = client.post(STATEMENTS, data=body, content_type="multipart/mixed",
                           headers=headers)  # no boundary
    assert response.status_code == 400
    assert stored_ids(client, headers) == []


# ---- signed statements (Data 2.6) --------------------------------------------------------------

@pytest.fixture(scope="module")
def signer():
    """An RSA key and a self-signed certificate for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pathway test signer")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    return key, certificate


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(payload: dict, signer) -> bytes:
    """A JWS compact serialization, RS256, with the certificate in x5c."""
    key, certificate = signer
    der = certificate.public_bytes(serialization.Encoding.DER)
    header = {"alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}".encode()


def signed(body: dict, token: bytes) -> dict:
    return {**body, "attachments": [attachment(token, usage=SIGNATURE)]}


def test_a_signed_statement_is_accepted_and_its_signature_returned(client, headers, signer):
    original = statement(id=str(uuid.uuid4()), timestamp="2024-05-07T10:00:00.000Z")
    token = jws(original, signer)
    response = send(client, headers, signed(original, token), (token, None))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == [original["id"]]
    parts = split_multipart(fetch(client, headers, statementId=original["id"],
                                  attachments="true"))
    assert parts[1][1] == token
    assert json.loads(parts[0][1])["attachments"][0]["usageType"] == SIGNATURE


def test_a_signature_over_a_different_statement_is_400(client, headers, signer):
    original = statement(id=str(uuid.uuid4()))
    token = jws({**original, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}, signer)
    response = send(client, headers, signed(original, token), (token, None))
    assert response.status_code == 400
    assert "verb" in response.get_json()["error"]["message"]
    assert stored_ids(client, headers) == []


def test_a_tampered_signature_is_400(client, headers, signer):
    original = statement(id=str(uuid.uuid4()))
    token = jws(original, signer)
    forged = token[:-6] + (b"AAAAAA" if not token.endswith(b"AAAAAA") else b"BBBBBB")
    response = send(client, headers, signed(original, forged), (forged, None))
    assert response.status_code == 400
    assert stored_ids(client, headers) == []


def test_a_signature_attachment_without_its_part_is_400(client, headers, signer):
    original = statement(id=str(uuid.uuid4()))
    token = jws(original, signer)
    body = signed(original, token)
    body["attachments"][0]["fileUrl"] = "http://files.pathway.test/signature"
    response = client.post(STATEMENTS, json=body, headers=headers)
    assert response.status_code == 400
    assert stored_ids(client, headers) == []
