"""Evidence files that are what they say, decisions, and other helpers of the
practice-assessment tests (fixtures are in this folder's conftest.py)."""

import io
import json
import zipfile

from sqlalchemy import select

from lms.catalogue.models import Activity

ASSESSMENT = "u1-assessment-case-study-reducing-restrictions"  # criteria 1.1 1.3 1.5 1.6
CRITERIA = ["1.1", "1.3", "1.5", "1.6"]
OTHER_ASSESSMENT = "u1-assessment-reflective-account-impact-and-strategies"
UNIT = "principles-of-restrictive-practice-reduction"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
TEXT = "A reflective account of my practice.\r\nIt is my own work — with a dash.\n".encode()


def make_zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(main_part: str, extra: dict | None = None) -> bytes:
    return make_zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
                     main_part: "<document/>", **(extra or {})})


def opendocument(kind: str) -> bytes:
    return make_zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}",
                     "content.xml": "<office:document-content/>"})


DOCX = ooxml("word/document.xml")
GOOD_FILES = {
    "pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "doc": OLE2, "xls": OLE2, "ppt": OLE2,
    "docx": DOCX, "xlsx": ooxml("xl/workbook.xml"), "pptx": ooxml("ppt/presentation.xml"),
    "odt": opendocument("text"), "ods": opendocument("spreadsheet"),
    "odp": opendocument("presentation"), "txt": TEXT, "csv": b"criterion,notes\n1.1,met\n",
}


def problem(response, status: int) -> dict:
    """The response is a problem+json with `status`; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == status and body["detail"]
    return body


def all_met(feedback="Clear and well evidenced."):
    return [{"code": code, "decision": "met", "feedback": feedback} for code in CRITERIA]


def not_yet_met(missing="1.5"):
    return [{"code": code, "decision": "not-yet-met" if code == missing else "met",
             "feedback": f"Say more about {code}."} for code in CRITERIA]


def activity(db, slug):
    return db.session.execute(select(Activity).where(Activity.slug == slug)).scalar_one()
